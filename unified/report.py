"""`OUT/report.json` and `OUT/report.md`: each placement decision with both estimates.

Cycles are per call, each in its own clock: a hardware kernel's `cycles` are accelerator
cycles from go to done at `clock_mhz` (Verilator's exact count when it ran, else the
schedule's or the IR's estimate); a software kernel's are CPU cycles at `cpu_mhz`: qemu's
executed instruction stream timed by the RVV model when it ran (its `instructions` beside),
else the IR's estimate; transfers are bus cycles at the
accelerator clock. Every figure in cycles has its `*_ns` beside it. With `--timing` each
placed core's `timing` gives its Fmax, critical path and cells, and its cycles in ns at Fmax
(`ns`) beside the platform clock (`ns_at_clock`); `shell_timing` is the whole hardware side's.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls.opt_pipeline import hls_options
from hw_dialects.memory_primitive import BLOCK_FROM_BITS
from unified.core.durations import cycles_to_ns, human
from unified.model_input import shown_path

if TYPE_CHECKING:
    from unified.build import Build

AREA_KEYS = ("cells", "luts", "ffs", "dsps")
SHELL_AREA_KEYS = ("luts", "lutram", "ffs", "bram18")  # an accelerator's own shell, core apart


def as_dict(b: Build) -> dict[str, Any]:
    """The report of a compile as plain data (what report.json holds)."""
    app, placement = b.app, b.placement
    kernels: dict[str, Any] = {}
    if app is not None and placement is not None:
        cpu, accel = app.platform.cpu_mhz, app.platform.clock_mhz
        for k, d in placement.decisions.items():
            c = b.costs[k]
            sim = b.simulated.get(k, {})
            ns: float | None = None
            if d.target == "hw":
                cycles, source = (sim["cycles"], "verilator") if "cycles" in sim else (
                    None if c.hw_source == "unknown" else d.hw_cycles, c.hw_source)
                ns = _ns(cycles, accel)
            elif k in b.measured_sw:  # qemu's executed stream timed by the RVV model
                cycles, source = b.measured_sw[k], "qemu + RVV model"
                ns = _ns(cycles, cpu)
            else:
                cycles, source = d.sw_cycles, "ir estimate"
                ns = _ns(cycles, cpu)
            hw_cycles = None if c.hw_source == "unknown" else d.hw_cycles
            hw_ns, transfer_ns = _ns(hw_cycles, accel), _ns(d.transfer_cycles, accel)
            entry: dict[str, Any] = {
                "target": d.target, "reason": d.reason, "calls": d.calls,
                "cycles": cycles, "cycles_source": source, "ns": ns,
                "sw_estimate_cycles": d.sw_cycles, "sw_estimate_ns": _ns(d.sw_cycles, cpu),
                "hw_estimate_cycles": hw_cycles, "hw_estimate_ns": hw_ns,
                "hw_estimate_source": c.hw_source if d.hw_cycles is not None else None,
                "transfer_cycles": d.transfer_cycles, "transfer_ns": transfer_ns,
                "hw_total_ns": None if hw_ns is None or transfer_ns is None else hw_ns + transfer_ns,
                "transfer_bytes": c.transfer_bytes,
                "instructions": b.measured_sw_instructions.get(k),
                "onnx_node": (app.function(k).onnx or (None, None))[0],
                "onnx_op": (app.function(k).onnx or (None, None))[1],
            }
            area = c.area or {}
            for key in AREA_KEYS:
                entry[key] = area.get(key, c.luts if key == "luts" and d.hw_cycles else None)
            entry["area_source"] = "yosys" if c.area else ("ir estimate" if c.luts else None)
            shell_area = b.shell_area.get(k)
            entry["shell_area"] = ({key: shell_area.get(key, 0) for key in SHELL_AREA_KEYS}
                                   if shell_area is not None else None)
            entry["brams"] = (None if c.area is None and shell_area is None else
                              (c.area or {}).get("bram18", 0) + (shell_area or {}).get("bram18", 0))
            art = b.hw.get(k) if d.target == "hw" else None
            entry["loops"] = list(art.loops) if art is not None else []
            entry["timing"] = _placed(b.placed.get(k), cycles if d.target == "hw" else hw_cycles,
                                      accel)
            kernels[k] = entry
    return {
        "source": shown_path(b.path),  # the .onnx for a model input
        "entry": (app.entry or None) if app else b.entry,  # None: a kernel library
        "partition": b.partition,
        "opt_level": hls_options(b.opt_level).level,
        "hls_options": str(hls_options(b.opt_level)),
        "vlen": b.vlen,
        "dlen": b.dlen,  # the RVV timing model's datapath (--dlen, else the platform's)
        "platform": asdict(app.platform) if app else None,
        "estimated_total_cycles": placement.estimated_total_cycles if placement else None,
        "estimated_total_ns": _ns(placement.estimated_total_cycles if placement else None,
                                  app.platform.cpu_mhz if app else 0),
        "entry_estimate_cycles": b.costs[b.entry].sw_cycles if b.entry in b.costs else None,
        "entry_estimate_ns": _ns(b.costs[b.entry].sw_cycles if b.entry in b.costs else None,
                                 app.platform.cpu_mhz if app else 0),
        "kernels": kernels,
        "register_map": b.shell.register_map.to_dict() if b.shell is not None else None,
        "shell_timing": b.placed_shell.as_dict() if b.placed_shell is not None else None,
        "accelerator_fmax_mhz": _accelerator_fmax(b, placement),
        "driver": b.driver_files,
        "timings_s": {k: round(v, 3) for k, v in b.timings.items()},
        "cached_builds_s": {k: round(v, 3) for k, v in b.apart.items()},
        "notes": b.notes,
    }


def _accelerator_fmax(b: Build, placement: Any) -> float | None:
    """The clock the built accelerator can run at: the slowest of its cores and the shell;
    None unless every one of them was placed and routed."""
    hw = placement.hw_kernels() if placement is not None else []
    if b.placed_shell is None or any(k not in b.placed for k in hw):
        return None
    return min([b.placed_shell.fmax_mhz, *(b.placed[k].fmax_mhz for k in hw)])


def _placed(timing: Any, cycles: float | None, mhz: float) -> dict[str, Any] | None:
    """A placed core's figures (place_route.Timing) with its cycles in ns at Fmax and at `mhz`."""
    if timing is None:
        return None
    return {**timing.as_dict(), "cycles": cycles,
            "ns": None if cycles is None else timing.ns(cycles), "ns_at_clock": _ns(cycles, mhz)}


def write(b: Build, folder: Path) -> None:
    """Writes report.json and report.md into `folder`."""
    data = as_dict(b)
    (folder / "report.json").write_text(json.dumps(data, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(data, b))


def _ns(cycles: float | None, mhz: float) -> float | None:
    return None if cycles is None or not mhz else cycles_to_ns(cycles, mhz)


def _when(ns: float | None) -> str:
    return "—" if ns is None or ns == float("inf") else human(ns)


def _time(ns: float | None, sep: str = "") -> str:
    """" (2.1 µs)", or with `sep` ", 2.1 µs"; nothing without a time."""
    if ns is None or ns == float("inf"):
        return ""
    return f"{sep}{human(ns)}" if sep else f" ({human(ns)})"


def _memories_section(data: dict[str, Any]) -> list[str]:
    """Each accelerator's own shell (scratchpads, registers; its core apart) in Yosys figures."""
    rows = [(k, v["shell_area"]) for k, v in data["kernels"].items() if v.get("shell_area")]
    if not rows:
        return []
    lines = ["## Memories", "", ("Each accelerator's shell with its core left out: its "
             "scratchpads (one per memref argument or bank; block RAM from "
             f"{BLOCK_FROM_BITS} bits on, read on the falling clock edge so that the core "
             "still gets its word in the cycle of the address; LUT-RAM below) and its "
             "control registers, `synth_xilinx` figures. BRAMs in the table above are "
             "RAMB18 halves, core and shell."), "",
             "| kernel | LUTs | of them LUT-RAM | FFs | RAMB18 |", "|---|---|---|---|---|"]
    lines += [f"| @{k} | {_num(a['luts'])} | {_num(a['lutram'])} | {_num(a['ffs'])} | "
              f"{_num(a['bram18'])} |" for k, a in rows]
    return [*lines, ""]


def _num(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if isinstance(v, (int, float)) else str(v)


def _origin(kernel: dict[str, Any]) -> str:
    """` (ONNX node 'conv1', Conv+Relu)` for an imported kernel, else nothing."""
    if not kernel.get("onnx_node"):
        return ""
    return f" (ONNX node '{kernel['onnx_node']}', {kernel['onnx_op']})"


def _what(data: dict[str, Any]) -> str:
    if data["entry"]:
        return f"Entry @{data['entry']}"
    return "A kernel library (no @main: every public function is a kernel, called once)"


def markdown(data: dict[str, Any], b: Build) -> str:
    """A readable report: the placement table, each decision's reason, the register map."""
    p = data["platform"] or {}
    lines = [f"# unified compile: {data['source']}", "",
             (f"{_what(data)}, partition `{data['partition']}`, {data['hls_options']}, "
             f"VLEN {data['vlen']} (DLEN {data.get('dlen') or p.get('dlen')}). Platform: "
             f"{p.get('bus_width')}-bit "
             f"bus at {p.get('bus_cycles_per_beat')} cycles per beat, accelerators at "
             f"{p.get('clock_mhz')} MHz, CPU at {p.get('cpu_mhz')} MHz, area budget "
             f"{p.get('area_budget_luts')} LUTs."), "",
             ("| kernel | target | calls | cycles | SW estimate | HW estimate | transfer | "
              "HW + transfer | LUTs | FFs | DSPs | BRAMs |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for k, v in data["kernels"].items():
        lines.append(f"| @{k} | **{v['target']}** | {v['calls']} | {_num(v['cycles'])} "
                     f"({v['cycles_source']}{_time(v['ns'], ', ')}) | {_num(v['sw_estimate_cycles'])}"
                     f"{_time(v['sw_estimate_ns'])} | {_num(v['hw_estimate_cycles'])}"
                     f"{_time(v['hw_estimate_ns'])} | {_num(v['transfer_cycles'])}"
                     f"{_time(v['transfer_ns'])} | {_when(v['hw_total_ns'])} | "
                     f"{_num(v['luts'])} | {_num(v['ffs'])} | {_num(v['dsps'])} | "
                     f"{_num(v.get('brams'))} |")
    if data["entry"]:
        total = (f"Estimated total: {_num(data['estimated_total_cycles'])} CPU cycles per run "
                 f"of @{data['entry']}{_time(data['estimated_total_ns'])}, "
                 f"{_num(data['entry_estimate_cycles'])}{_time(data['entry_estimate_ns'])} of "
                 "them in its own code (calls, allocations).")
    else:
        total = (f"Estimated total: {_num(data['estimated_total_cycles'])} CPU cycles for one "
                 f"call of each kernel, transfers included{_time(data['estimated_total_ns'])}.")
    lines += ["", total, "", "## Why", ""]
    lines += [f"- @{k}{_origin(v)}: {v['reason']}." for k, v in data["kernels"].items()]
    lines += ["", ("Cycles and times are per call, each side in its own clock. SW estimate: CPU "
              f"cycles at {p.get('cpu_mhz')} MHz from the IR's operation counts (calibrated "
              "against the RVV timing model, sw_dialects/rvv_timing.py, over qemu's "
              f"instruction stream at VLEN {data['vlen']}, DLEN {data.get('dlen') or p.get('dlen')})"
              ". HW "
              f"estimate: accelerator cycles from go to done at {p.get('clock_mhz')} MHz (the "
              "Calyx schedule, or the IR's operation counts). Transfer: bus cycles, at the "
              "accelerator clock, to copy the arguments across the bus and start the "
              "accelerator. Placements compare the times."), ""]
    loops = [(k, lp) for k, v in data["kernels"].items() for lp in v.get("loops", [])]
    if loops:
        lines += ["## Hardware loops", "", ("Initiation interval: cycles from the start of one "
                  "iteration to the next, from the schedule (pipelined loops run fewer, "
                  "overlapped iterations; 1: a static loop, one iteration a cycle)."), "", "| kernel | line | iterations | interval |",
                  "|---|---|---|---|"]
        lines += [f"| @{k} | {lp['line']} | {_num(lp['trips'])} | {_num(lp['interval'])} |"
                  for k, lp in loops]
        lines.append("")
    lines += _memories_section(data)
    lines += _timing_section(data)
    if b.shell is not None:
        lines += ["## Register map", "", b.shell.register_map.to_markdown(), ""]
    lines += ["## Stage timings", "", "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in data["timings_s"].items()]
    lines += [f"| {k} (cached build) | {v:.2f} |" for k, v in data["cached_builds_s"].items()]
    if data["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in data["notes"]]
    return "\n".join(lines) + "\n"


def _timing_section(data: dict[str, Any]) -> list[str]:
    """`--timing`: each placed core and the shell, Fmax and latency beside the platform clock."""
    placed = {f"@{k}": v["timing"] for k, v in data["kernels"].items() if v.get("timing")}
    if data.get("shell_timing"):
        placed[data["shell_timing"]["top"]] = {**data["shell_timing"], "cycles": None}
    if not placed:
        return []
    t = next(iter(placed.values()))
    clock = (data["platform"] or {}).get("clock_mhz")
    lines = ["## Timing (place and route)", "",
             (f"Yosys `synth_ecp5`, then nextpnr-ecp5 out of context on a Lattice {t['device']} "
              f"(seed fixed, aiming at {t['target_mhz']:g} MHz). Latency: the cycles above at "
              f"Fmax, beside the same cycles at the platform's {clock} MHz. The cost model "
              "clocked each core at its own Fmax; the whole accelerator runs at the slowest of "
              "its cores and the shell"
              + (f": {data['accelerator_fmax_mhz']:.1f} MHz." if data.get("accelerator_fmax_mhz")
                 else ".")), "",
             (f"| design | Fmax | critical path | cycles | at {clock} MHz | at Fmax | LUT4 | "
              "carry (CCU2C) | LUT RAM (DPR16X4) | FFs | DP16KD | MULT18X18D |"),
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, v in placed.items():
        u = v["utilisation"]
        lines.append(f"| {name} | {v['fmax_mhz']:.1f} MHz | {v['start']} → {v['end']} "
                     f"({v['path_ns']:.2f} ns) | {_num(v['cycles'])} | {_when(v.get('ns_at_clock'))} "
                     f"| {_when(v.get('ns'))} | {_num(u['LUT4'])} | {_num(u['CCU2C'])} | "
                     f"{_num(u.get('TRELLIS_DPR16X4'))} | "
                     f"{_num(u['TRELLIS_FF'])} | {_num(u['DP16KD'])} | {_num(u['MULT18X18D'])} |")
    return lines + [""]
