// The page of `unified serve`: input, options, report, IR tabs, runs and comparisons.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { job: null, result: null, sourceLines: [], irLocs: [] };

const OPTIONS = [
  ["opt_level", "-O", ["3", "2", "1", "0"]],
  ["unroll", "unroll", null],
  ["banks", "banks", null],
  ["pipeline", "pipeline", ["", "on", "off"]],
  ["partition", "partition", ["auto", "hw", "sw"]],
  ["vlen", "VLEN", ["128", "64", "256", "512", "1024"]],
  ["entry", "entry", null],
];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function fillOptions(form) {
  for (const [name, label, choices] of OPTIONS) {
    const input = choices
      ? el("select", { name }, ...choices.map((c) => el("option", { value: c }, c || "level's choice")))
      : el("input", { name, size: 6, placeholder: name === "entry" ? "main" : "level's" });
    form.append(el("label", {}, label + " ", input));
  }
  const sim = el("input", { name: "simulate", type: "checkbox", value: "1" });
  sim.checked = true;
  form.append(el("label", {}, sim, " measure (Verilator, qemu)"));
}

function addOptions(data, form, prefix) {
  for (const field of form.elements) {
    if (field.type === "checkbox") data.append(prefix + field.name, field.checked ? "1" : "0");
    else if (field.name) data.append(prefix + field.name, field.value);
  }
}

function moduleData() {
  const data = new FormData();
  const file = $("upload").files[0];
  if (file) data.append("module", file);
  else data.append("source", $("source").value);
  return data;
}

async function post(url, data, what) {
  $("status").textContent = what + "…";
  $("error").hidden = true;
  const response = await fetch(url, { method: "POST", body: data });
  let body;
  try { body = await response.json(); } catch (e) { body = { ok: false, error: { text: `HTTP ${response.status}` } }; }
  $("status").textContent = body.ok === false ? "" : "done";
  if (body.ok === false) {
    showError(body.error);
    if (url !== "/api/compile" && url !== "/api/compare") return null;
    for (const id of ["report-section", "ir-section", "run-section", "compare-section"]) $(id).hidden = true;
  }
  return body.ok === false ? null : body;
}

function showError(error) {
  const box = $("error");
  box.replaceChildren(el("div", { class: "message" }, error.text));
  const lines = $("source").value.split("\n");
  if (error.line && error.line <= lines.length) {
    for (let n = Math.max(1, error.line - 2); n <= Math.min(lines.length, error.line + 2); n++) {
      box.append(el("div", { class: n === error.line ? "at" : "" }, `${String(n).padStart(4)} | ${lines[n - 1]}`));
      if (n === error.line) box.append(el("div", { class: "at" }, "     | " + " ".repeat(Math.max(0, error.col - 1)) + "^"));
    }
  }
  box.hidden = false;
}

async function compile() {
  const data = moduleData();
  addOptions(data, $("opts"), "");
  const result = await post("/api/compile", data, "compiling");
  if (result) show(result);
}

function show(result) {
  state.job = result.job;
  state.result = result;
  if ($("upload").files[0]) $("source").value = result.source;
  state.sourceLines = result.source.split("\n");
  showReport(result.report);
  showIr(result);
  const funcs = Object.keys(result.report.kernels);
  if (result.report.entry) funcs.push(result.report.entry);
  $("func").replaceChildren(...funcs.map((k) => el("option", { value: k }, "@" + k)));
  $("run-section").hidden = false;
  $("run-result").hidden = true;
}

const num = (v) => (v === null || v === undefined ? "—" : typeof v === "number" ? Math.round(v).toLocaleString("en") : v);
const ns = (v) => (v === null || v === undefined ? "" : v >= 1000 ? ` (${(v / 1000).toFixed(2)} µs)` : ` (${v.toFixed(0)} ns)`);

function table(id, head, rows) {
  if (!rows.length) rows = [head.map((_, i) => (i ? "" : "none"))];
  $(id).replaceChildren(el("tr", {}, ...head.map((h) => el("th", {}, h))),
    ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c)))));
}

function showReport(r) {
  $("summary").textContent = `${r.entry ? "Entry @" + r.entry : "A kernel library"}, partition ${r.partition}, ${r.hls_options}, VLEN ${r.vlen}. ` +
    `Estimated total: ${num(r.estimated_total_cycles)} CPU cycles${ns(r.estimated_total_ns)}.`;
  const kernels = Object.entries(r.kernels);
  table("placement", ["kernel", "target", "cycles", "source", "SW estimate", "HW + transfer", "LUTs", "DSPs", "why"],
    kernels.map(([k, v]) => ["@" + k, v.target, num(v.cycles) + ns(v.ns), v.cycles_source, num(v.sw_estimate_cycles) + ns(v.sw_estimate_ns),
      v.hw_total_ns === null ? "—" : ns(v.hw_total_ns).slice(2, -1), num(v.luts), num(v.dsps), v.reason]));
  table("loops", ["kernel", "line", "iterations", "interval (cycles)"],
    kernels.flatMap(([k, v]) => v.loops.map((l) => ["@" + k, l.line, num(l.trips), num(l.interval)])));
  showRegisterMap(r.register_map);
  table("timings", ["stage", "seconds"], Object.entries(r.timings_s).concat(
    Object.entries(r.cached_builds_s).map(([k, v]) => [k + " (cached build)", v])));
  $("notes").replaceChildren(...r.notes.map((n) => el("li", {}, n)));
  $("report-section").hidden = false;
}

function showRegisterMap(map) {
  const box = $("regmap");
  if (!map) { box.replaceChildren(el("p", {}, "no kernel in hardware: no accelerator shell")); return; }
  const hex = (v, w) => "0x" + v.toString(16).padStart(w, "0");
  box.replaceChildren(el("p", {}, `AXI4-Lite, ${map.bus_width}-bit data, a window of ${hex(map.window, 1)} bytes per accelerator`));
  for (const a of map.accels) {
    const t = el("table", { class: "regs" });
    box.append(el("h4", {}, `@${a.kernel} at ${hex(a.base, 8)}`), t);
    const rows = [["0x000", "CTRL", "start (bit0), done (bit1), irq enable (bit2)"], ["0x004", "CYCLES", "cycles go to done of the last run"]];
    for (const s of a.scalars) rows.push([hex(s.offset, 3), "ARG" + s.arg_index, `i${s.bits} scalar`]);
    for (const m of a.scratchpads) rows.push([hex(m.offset, 3), `MEM${m.mem_index}`, `arg${m.arg_index} ${m.banks > 1 ? `bank ${m.bank}/${m.banks} ` : ""}${m.element}[${m.shape.join("x")}]`]);
    t.append(el("tr", {}, el("th", {}, "offset"), el("th", {}, "name"), el("th", {}, "contents")),
      ...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c)))));
  }
}

function showIr(result) {
  const kernels = Object.keys(result.report.kernels);
  $("kernel").replaceChildren(...kernels.map((k) => el("option", { value: k }, "@" + k)));
  $("ir-section").hidden = false;
  showKernel(kernels[0]);
}

function showKernel(kernel) {
  const info = state.result.report.kernels[kernel];
  const hw = state.result.ir.hw[kernel] || [];
  const sw = state.result.ir.sw;
  $("path").textContent = `path: ${info.target === "hw" ? "hardware" : "software"} (${info.reason}); the other side's levels are in grey`;
  const tabs = (info.target === "hw" ? [hw, sw] : [sw, hw]).flat();
  $("tabs").replaceChildren(...tabs.map(([label, file]) => {
    const own = (info.target === "hw") === hw.some((t) => t[1] === file);
    const b = el("button", { type: "button", class: own ? "tab" : "tab other", "data-file": file }, label);
    b.title = own ? "on this kernel's path" : "the other side's IR";
    b.onclick = () => openTab(b, kernel);
    return b;
  }));
  renderSource(0);
  if (tabs.length) openTab($("tabs").firstChild, kernel);
  else $("irview").textContent = "no IR was written for this kernel";
}

async function openTab(button, kernel) {
  for (const b of $("tabs").children) b.classList.toggle("active", b === button);
  const file = button.dataset.file;
  const response = await fetch(`/api/jobs/${state.job}/ir/${encodeURIComponent(file)}`);
  const text = await response.text();
  $("irtitle").textContent = file;
  const lines = text.split("\n");
  state.irLocs = irLocations(lines);
  $("irview").replaceChildren(...lines.map((line, i) => {
    const d = el("div", { class: state.irLocs[i] ? "line has-loc" : "line" }, line || " ");
    d.onclick = () => selectIrLine(i);
    return d;
  }));
  const at = lines.findIndex((l) => l.includes("@" + kernel + "(") || l.startsWith(kernel + ":") || l.includes("module " + kernel));
  if (at >= 0) $("irview").children[at].scrollIntoView({ block: "center" });
}

// The source line of each IR line: an inline loc("file":L:C), or loc(#locN) through the
// aliases the printer puts at the end (#locN = loc(...), fused[...] takes its first).
function irLocations(lines) {
  const aliases = {};
  for (const l of lines) {
    const m = l.match(/^(#loc\d*) = loc\((.*)\)\s*$/);
    if (m) aliases[m[1]] = m[2];
  }
  const resolve = (body, depth) => {
    const direct = body.match(/"[^"]*":(\d+):(\d+)/);
    if (direct) return +direct[1];
    const ref = body.match(/#loc\d*/);
    return ref && depth < 8 && aliases[ref[0]] ? resolve(aliases[ref[0]], depth + 1) : 0;
  };
  return lines.map((l) => {
    if (/^#loc\d* = /.test(l)) return 0;
    const m = l.match(/loc\(("[^"]*":\d+:\d+|#loc\d*|fused\[[^\]]*\])\)/);
    return m ? resolve(m[1], 0) : 0;
  });
}

function selectIrLine(i) {
  for (const d of $("irview").children) d.classList.remove("selected");
  $("irview").children[i].classList.add("selected");
  renderSource(state.irLocs[i]);
}

function renderSource(line) {
  $("srcview").replaceChildren(...state.sourceLines.map((text, i) => {
    const d = el("div", { class: i + 1 === line ? "line highlight" : "line" }, `${String(i + 1).padStart(4)}  ${text}`);
    d.onclick = () => markIrFor(i + 1);
    return d;
  }));
  if (line) $("srcview").children[line - 1].scrollIntoView({ block: "center" });
}

function markIrFor(line) {
  renderSource(line);
  const rows = $("irview").children;
  let first = null;
  state.irLocs.forEach((l, i) => { rows[i].classList.toggle("selected", l === line); if (l === line && first === null) first = rows[i]; });
  if (first) first.scrollIntoView({ block: "center" });
}

async function run() {
  const data = new FormData(); // the job's own compile options apply
  data.append("func", $("func").value);
  data.append("target", $("target").value);
  data.append("seed", $("seed").value || "0");
  const inputs = $("inputs").files[0];
  if (inputs) data.append("inputs", inputs);
  const result = await post(`/api/jobs/${state.job}/run`, data, "running @" + $("func").value);
  if (!result) return;
  const r = result.report;
  $("cycles").textContent = `@${$("func").value} on ${r.target}: ` +
    Object.entries(r).filter(([k, v]) => typeof v === "number").map(([k, v]) => `${k} ${num(v)}`).join(", ");
  const show = (obj) => Object.entries(obj).map(([k, v]) => `${k} = ${v}`).join("\n\n");
  $("run-inputs").textContent = show(result.inputs);
  $("run-outputs").textContent = show(result.outputs);
  $("run-result").hidden = false;
  $("wave-box").hidden = !result.vcd;
  if (result.vcd) {
    const vcd = await (await fetch(`/api/jobs/${state.job}/runs/${result.run}/wave.vcd`)).text();
    state.wave = parseVcd(vcd);
    drawWave();
  }
}

function drawWave() {
  renderWave($("wave"), state.wave, $("wave-filter").value);
}

async function compare() {
  const data = moduleData();
  addOptions(data, $("opts"), "a_");
  addOptions(data, $("opts-b"), "b_");
  const result = await post("/api/compare", data, "compiling A and B");
  if (!result) return;
  show(result.a);
  const a = result.a.report.kernels, b = result.b.report.kernels;
  const [na, nb] = [result.a.report.hls_options, result.b.report.hls_options].map((o, i) => `${"AB"[i]} (${o})`);
  table("compare-table", ["kernel", na + " target", na + " cycles", na + " LUTs", nb + " target", nb + " cycles", nb + " LUTs"],
    Object.keys(a).map((k) => ["@" + k, a[k].target, num(a[k].cycles), num(a[k].luts), b[k].target, num(b[k].cycles), num(b[k].luts)]));
  $("diff").replaceChildren(...(result.diff || "(no difference in SystemVerilog)").split("\n").map((l) =>
    el("div", { class: l.startsWith("+") ? "add" : l.startsWith("-") ? "del" : "" }, l || " ")));
  $("compare-section").hidden = false;
}

async function loadExamples() {
  const list = await (await fetch("/api/examples")).json();
  $("example").append(...list.examples.map((n) => el("option", { value: n }, n)));
}

async function loadExample() {
  const name = $("example").value;
  if (!name) return;
  const body = await (await fetch("/api/examples/" + name)).json();
  $("source").value = body.text;
  $("upload").value = "";
}

window.addEventListener("DOMContentLoaded", () => {
  fillOptions($("opts"));
  fillOptions($("opts-b"));
  $("opts-b").elements.opt_level.value = "0";
  loadExamples();
  $("load").onclick = loadExample;
  $("example").onchange = loadExample;
  $("compile").onclick = compile;
  $("compare").onclick = compare;
  $("compare-on").onchange = () => { $("compare-box").hidden = !$("compare-on").checked; };
  $("kernel").onchange = () => showKernel($("kernel").value);
  $("run").onclick = run;
  $("wave-filter").oninput = drawWave;
  $("upload").onchange = async () => {
    const file = $("upload").files[0];
    $("upload-name").textContent = file ? "compiles the uploaded " + file.name : "";
    if (file && file.name.endsWith(".mlir")) $("source").value = await file.text();
  };
});
