"""`OUT/report.json` and `OUT/report.md`: each placement decision with both estimates.

Cycles are per call: a hardware kernel's `cycles` are accelerator cycles from go to done
(Verilator's exact count when it ran, else the schedule's or the IR's estimate); a
software kernel's are its RVV instructions under qemu when it ran, else the estimate.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hls.opt_pipeline import hls_options

if TYPE_CHECKING:
    from unified.build import Build

AREA_KEYS = ("cells", "luts", "ffs", "dsps")


def as_dict(b: Build) -> dict[str, Any]:
    """The report of a compile as plain data (what report.json holds)."""
    app, placement = b.app, b.placement
    kernels: dict[str, Any] = {}
    if app is not None and placement is not None:
        for k, d in placement.decisions.items():
            c = b.costs[k]
            sim = b.simulated.get(k, {})
            if d.target == "hw":
                cycles, source = (sim["cycles"], "verilator") if "cycles" in sim else (
                    None if c.hw_source == "unknown" else d.hw_cycles, c.hw_source)
            elif k in b.measured_sw:
                cycles, source = b.measured_sw[k], "qemu"
            else:
                cycles, source = d.sw_cycles, "ir estimate"
            entry: dict[str, Any] = {
                "target": d.target, "reason": d.reason, "calls": d.calls,
                "cycles": cycles, "cycles_source": source,
                "sw_estimate_cycles": d.sw_cycles,
                "hw_estimate_cycles": None if c.hw_source == "unknown" else d.hw_cycles,
                "hw_estimate_source": c.hw_source if d.hw_cycles is not None else None,
                "transfer_cycles": d.transfer_cycles, "transfer_bytes": c.transfer_bytes,
            }
            area = c.area or {}
            for key in AREA_KEYS:
                entry[key] = area.get(key, c.luts if key == "luts" and d.hw_cycles else None)
            entry["area_source"] = "yosys" if c.area else ("ir estimate" if c.luts else None)
            art = b.hw.get(k) if d.target == "hw" else None
            entry["loops"] = list(art.loops) if art is not None else []
            kernels[k] = entry
    return {
        "source": b.path,
        "entry": (app.entry or None) if app else b.entry,  # None: a kernel library
        "partition": b.partition,
        "opt_level": hls_options(b.opt_level).level,
        "hls_options": str(hls_options(b.opt_level)),
        "vlen": b.vlen,
        "platform": asdict(app.platform) if app else None,
        "estimated_total_cycles": placement.estimated_total_cycles if placement else None,
        "entry_estimate_cycles": b.costs[b.entry].sw_cycles if b.entry in b.costs else None,
        "kernels": kernels,
        "register_map": b.shell.register_map.to_dict() if b.shell is not None else None,
        "driver": b.driver_files,
        "timings_s": {k: round(v, 3) for k, v in b.timings.items()},
        "cached_builds_s": {k: round(v, 3) for k, v in b.apart.items()},
        "notes": b.notes,
    }


def write(b: Build, folder: Path) -> None:
    """Writes report.json and report.md into `folder`."""
    data = as_dict(b)
    (folder / "report.json").write_text(json.dumps(data, indent=2) + "\n")
    (folder / "report.md").write_text(markdown(data, b))


def _num(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:,.0f}" if isinstance(v, (int, float)) else str(v)


def _what(data: dict[str, Any]) -> str:
    if data["entry"]:
        return f"Entry @{data['entry']}"
    return "A kernel library (no @main: every public function is a kernel, called once)"


def markdown(data: dict[str, Any], b: Build) -> str:
    """A readable report: the placement table, each decision's reason, the register map."""
    p = data["platform"] or {}
    lines = [f"# unified compile: {data['source']}", "",
             (f"{_what(data)}, partition `{data['partition']}`, {data['hls_options']}, "
             f"VLEN {data['vlen']}. Platform: {p.get('bus_width')}-bit bus at "
             f"{p.get('bus_cycles_per_beat')} cycles per beat, accelerators at "
             f"{p.get('clock_mhz')} MHz, CPU at {p.get('cpu_mhz')} MHz, area budget "
             f"{p.get('area_budget_luts')} LUTs."), "",
             ("| kernel | target | calls | cycles | SW estimate | HW estimate | transfer | LUTs "
             "| FFs | DSPs |"),
             "|---|---|---|---|---|---|---|---|---|---|"]
    for k, v in data["kernels"].items():
        lines.append(f"| @{k} | **{v['target']}** | {v['calls']} | {_num(v['cycles'])} "
                     f"({v['cycles_source']}) | {_num(v['sw_estimate_cycles'])} | "
                     f"{_num(v['hw_estimate_cycles'])} | {_num(v['transfer_cycles'])} | "
                     f"{_num(v['luts'])} | {_num(v['ffs'])} | {_num(v['dsps'])} |")
    if data["entry"]:
        total = (f"Estimated total: {_num(data['estimated_total_cycles'])} CPU cycles per run "
                 f"of @{data['entry']}, {_num(data['entry_estimate_cycles'])} of them in its own "
                 "code (calls, allocations).")
    else:
        total = (f"Estimated total: {_num(data['estimated_total_cycles'])} CPU cycles for one "
                 "call of each kernel, transfers included.")
    lines += ["", total, "", "## Why", ""]
    lines += [f"- @{k}: {v['reason']}." for k, v in data["kernels"].items()]
    lines += ["", ("Cycles are per call. SW estimate: CPU cycles from the IR's operation counts "
              "(calibrated against qemu instruction counts). HW estimate: accelerator cycles "
              "from go to done (the Calyx schedule, or the IR's operation counts). Transfer: "
              "CPU cycles to copy the arguments across the bus and start the accelerator."), ""]
    loops = [(k, lp) for k, v in data["kernels"].items() for lp in v.get("loops", [])]
    if loops:
        lines += ["## Hardware loops", "", ("Initiation interval: cycles from the start of one "
                  "iteration to the next, from the FSM schedule (pipelined loops run fewer, "
                  "overlapped iterations)."), "", "| kernel | line | iterations | interval |",
                  "|---|---|---|---|"]
        lines += [f"| @{k} | {lp['line']} | {_num(lp['trips'])} | {_num(lp['interval'])} |"
                  for k, lp in loops]
        lines.append("")
    if b.shell is not None:
        lines += ["## Register map", "", b.shell.register_map.to_markdown(), ""]
    lines += ["## Stage timings", "", "| stage | seconds |", "|---|---|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in data["timings_s"].items()]
    lines += [f"| {k} (cached build) | {v:.2f} |" for k, v in data["cached_builds_s"].items()]
    if data["notes"]:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in data["notes"]]
    return "\n".join(lines) + "\n"
