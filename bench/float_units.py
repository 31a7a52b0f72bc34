"""The IEEE-754 units against numpy float32 on 1,000,000 operand pairs each, with area.

    .venv/bin/python bench/float_units.py [--pairs N] [--only addf,mulf] [--no-synth] [--fmax]
                                          [--json OUT]

Each unit (calyx_flow/float_units) is generated, built with Verilator and driven through its
go/done handshake on the special-value cross product, half-way rounding cases and N random
pairs (half uniform bit patterns, half of nearby magnitude); every result is compared
bit-exactly with numpy float32 (any NaN matches any NaN; conversions out of range as
ieee754.float_to_int states). Prints mismatches, the latency seen, and Yosys `synth_xilinx`
LUT/FF/DSP per unit (the same module the Calyx flow binds). `--fmax` also places and routes
each unit on an ECP5 (hw_dialects/place_route.py, the optional extra `pnr`), pipelined and as
the single combinational stage it replaces, with `out` registered so that the datapath is
timed: minutes per unit.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from calyx_flow import synth
from calyx_flow.artifacts import HwArtifacts
from calyx_flow.float_units.export import TIMED
from calyx_flow.float_units.ieee754 import PREDICATES
from calyx_flow.float_units.unit_sim import UnitSim, unit_verilog
from calyx_flow.float_units.units import module_name
from calyx_flow.float_units.vectors import (
    EXTREMA,
    TO_FLOAT,
    TO_INT,
    mismatches,
    operand_pairs,
    reference,
)
from hw_dialects.place_route import place_route
from unified.core.toolchain import worker

# Published binary32 figures to put beside ours: (LUTs, FFs, DSPs, note, source); None where
# no figure could be found and cited. Only numbers stated in the cited document.
EHLIAR = ("A. Ehliar, \"Area efficient floating-point adder and multiplier with IEEE-754 "
          "compatible semantics\", Int. Conf. on Field-Programmable Technology (FPT) 2014, "
          "abstract")
PUBLISHED: dict[str, tuple[int, str, str, str, str] | None] = {
    "addf": (261, "-", "-", ("Kintex-7 slice LUTs, pipelined, 319 MHz, 36-bit radix-16 "
                             "internal format, IEEE-754 results incl. subnormals"), EHLIAR),
    "mulf": (235, "-", "2", "Kintex-7 slice LUTs + 2 DSP48E, pipelined, 305 MHz, same format",
             EHLIAR),
    "divf": None,
}
NOT_FOUND = ("no citable binary32 figure found: the Xilinx/AMD Floating-Point Operator v7.1 "
             "(PG060) resource figures live in its 'Performance and Resource Utilization' "
             "page, whose binary32 add/multiply/divide rows we could not retrieve; none from "
             "FloPoCo or Berkeley HardFloat either")

KINDS = ["addf", "subf", "mulf", "divf", *TO_FLOAT, *TO_INT, *EXTREMA,
         *(f"cmpf_{p}" for p in PREDICATES)]


def fmax(kind: str, pipelined: bool) -> float:
    """ECP5 Fmax (MHz) of unit `kind` with its `out` registered (export.unit_files timed)."""
    files = worker("pycde").call("module {}", "calyx_flow.float_units.export:unit_files",
                                 kinds=[kind], pipelined=pipelined, timed=True)
    return place_route(files, module_name(kind) + TIMED).fmax_mhz


def measure(kind: str, pairs: int, with_area: bool, with_fmax: bool) -> dict[str, object]:
    """Vectors checked, mismatches (with up to 3 examples), latency, area and Fmax (single
    stage and pipelined) of unit `kind`."""
    left, right = operand_pairs(kind, random=pairs, seed=2026)
    t0 = time.perf_counter()
    got, cycles = UnitSim.build(kind).run(left, right)
    want = reference(kind, left, right)
    bad = mismatches(kind, got, want)
    row: dict[str, object] = {
        "unit": kind, "vectors": len(left), "mismatches": len(bad),
        "examples": [f"{left[i]:08x},{right[i]:08x}: got {got[i]:08x} want {want[i]:08x}"
                     for i in bad[:3]],
        "latency": sorted(set(cycles.tolist())), "seconds": round(time.perf_counter() - t0, 1)}
    if with_area:
        name, text = unit_verilog(kind)
        art = HwArtifacts(kernel=kind, top=name.removesuffix(".sv"), sv_files={name: text})
        figures = synth.area(art)
        row.update({k: figures[k] for k in ("luts", "ffs", "dsps")})
    if with_fmax:
        row.update({"fmax_single_stage": fmax(kind, False), "fmax": fmax(kind, True)})
    return row


def main() -> int:
    """Runs every unit (or --only), prints the table; exit 1 on any mismatch."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1_000_000)
    parser.add_argument("--only", default="", help="comma-separated units, e.g. addf,mulf")
    parser.add_argument("--no-synth", action="store_true", help="skip Yosys")
    parser.add_argument("--fmax", action="store_true",
                        help="place and route each unit on an ECP5, single stage and pipelined")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    kinds = [k for k in args.only.split(",") if k] or KINDS
    rows = []
    print(f"{'unit':<12}{'vectors':>10}{'mismatch':>10}{'latency':>9}{'LUT':>7}{'FF':>6}"
          f"{'DSP':>5}{'MHz 1-stage':>13}{'MHz piped':>11}")
    for kind in kinds:
        row = measure(kind, args.pairs, not args.no_synth, args.fmax)
        rows.append(row)
        print(f"{kind:<12}{row['vectors']:>10}{row['mismatches']:>10}"
              f"{','.join(map(str, row['latency'])):>9}{row.get('luts', '-'):>7}"
              f"{row.get('ffs', '-'):>6}{row.get('dsps', '-'):>5}"
              f"{row.get('fmax_single_stage', '-'):>13}{row.get('fmax', '-'):>11}", flush=True)
        for example in row["examples"]:
            print(f"    {example}")
    print()
    print("beside published binary32 units (ours: pipelined, the latency above; Yosys "
          "synth_xilinx)")
    print(f"{'unit':<6}{'ours LUT/FF/DSP':>17}  {'published LUT/FF/DSP':>20}  what, source")
    for kind in ("addf", "mulf", "divf"):
        row = next((r for r in rows if r["unit"] == kind), {})
        ours = "/".join(str(row.get(k, "-")) for k in ("luts", "ffs", "dsps"))
        pub = PUBLISHED[kind]
        if pub is None:
            print(f"{kind:<6}{ours:>17}  {'-':>20}  {NOT_FOUND}")
        else:
            print(f"{kind:<6}{ours:>17}  {f'{pub[0]}/{pub[1]}/{pub[2]}':>20}  {pub[3]}; {pub[4]}")
    print("('-': not stated in the cited abstract (FFs, latency; DSPs of the adder))")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 1 if any(r["mismatches"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
