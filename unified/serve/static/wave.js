// A small VCD reader and SVG waveform renderer for the runs of `unified serve`.
"use strict";

// {signals: [{name, width, changes: [[time, value]]}], end}: every $var of the dump (an id
// shared by several names is listed once, under its first name), values as bit strings.
function parseVcd(text) {
  const byId = new Map();
  const signals = [];
  const scope = [];
  let time = 0;
  let end = 0;
  let inDefinitions = true;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (inDefinitions) {
      const words = line.split(/\s+/);
      if (words[0] === "$scope") scope.push(words[2]);
      else if (words[0] === "$upscope") scope.pop();
      else if (words[0] === "$var" && !byId.has(words[3])) {
        const signal = { name: scope.slice(1).concat(words[4]).join("."), width: +words[2], changes: [] };
        byId.set(words[3], signal);
        signals.push(signal);
      } else if (words[0] === "$enddefinitions") inDefinitions = false;
      continue;
    }
    if (line[0] === "#") { time = +line.slice(1); end = Math.max(end, time); continue; }
    if (line[0] === "$") continue; // $dumpvars, $end
    let value, id;
    if (line[0] === "b" || line[0] === "r") { [value, id] = line.slice(1).split(/\s+/); }
    else { value = line[0]; id = line.slice(1); }
    const signal = byId.get(id);
    if (!signal) continue;
    const last = signal.changes[signal.changes.length - 1];
    if (!last || last[1] !== value) signal.changes.push([time, value]);
  }
  return { signals, end };
}

const SVG = "http://www.w3.org/2000/svg";
const ROW = 22, NAME_WIDTH = 210, MAX_ROWS = 40;

function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function hexValue(bits) {
  if (/[xz]/i.test(bits)) return bits.length > 8 ? "x" : bits;
  return "0x" + BigInt("0b" + bits).toString(16);
}

// Signals to show: those matching `filter` (a regular expression), else the top module's
// ports: clock, reset, go, done, then the memory ports the core drives; at most MAX_ROWS.
function chooseSignals(wave, filter) {
  let chosen;
  if (filter) {
    let re;
    try { re = new RegExp(filter, "i"); } catch (e) { re = null; }
    chosen = wave.signals.filter((s) => (re ? re.test(s.name) : s.name.includes(filter)));
  } else {
    const order = [/^clk$/, /^reset$/, /^go$/, /^done$/, /write_en/, /addr/, /write_data/, /read_data/];
    const rank = (s) => { const i = order.findIndex((re) => re.test(s.name)); return i < 0 ? order.length : i; };
    chosen = wave.signals.filter((s) => !s.name.includes(".")).sort((a, b) => rank(a) - rank(b));
  }
  return chosen.slice(0, MAX_ROWS);
}

function renderWave(box, wave, filter) {
  const rows = chooseSignals(wave, filter);
  const width = Math.max(600, box.clientWidth || 900);
  const plot = width - NAME_WIDTH - 10;
  const end = wave.end || 1;
  const x = (t) => NAME_WIDTH + (t / end) * plot;
  const svg = svgEl("svg", { width, height: (rows.length + 1) * ROW + 6, class: "wave" });
  svg.append(svgEl("text", { x: 4, y: 14, class: "axis" }, `0 … ${end} ps, ${rows.length} of ${wave.signals.length} signals`));
  rows.forEach((s, i) => {
    const top = (i + 1) * ROW + 4, low = top + ROW - 6, high = top + 2;
    svg.append(svgEl("text", { x: 4, y: top + 14, class: "name" }, s.name));
    const g = svgEl("g", { class: "signal", "data-name": s.name });
    s.changes.forEach(([t, v], k) => {
      const t1 = k + 1 < s.changes.length ? s.changes[k + 1][0] : end;
      const x0 = x(t), x1 = x(t1);
      if (s.width === 1) {
        const y = v === "1" ? high : v === "0" ? low : (high + low) / 2;
        g.append(svgEl("line", { x1: x0, x2: x1, y1: y, y2: y, class: v === "1" || v === "0" ? "bit" : "bit x" }));
        if (k > 0) g.append(svgEl("line", { x1: x0, x2: x0, y1: high, y2: low, class: "edge" }));
      } else {
        g.append(svgEl("rect", { x: x0, y: high, width: Math.max(0.5, x1 - x0), height: low - high, class: "bus" }));
        const label = hexValue(v);
        if (x1 - x0 > label.length * 7) g.append(svgEl("text", { x: x0 + 3, y: top + 14, class: "value" }, label));
      }
    });
    svg.append(g);
  });
  box.replaceChildren(svg);
}
