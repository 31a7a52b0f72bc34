"""The same input compiled twice, each time with an empty build cache, gives byte-identical
SystemVerilog, objects, driver and report (timings aside)."""

from __future__ import annotations

import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMINGS = ("timings_s", "cached_builds_s")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "report.md"}


def _report(folder: Path) -> dict:
    data = json.loads((folder / "report.json").read_text())
    for key in TIMINGS:
        data.pop(key)
    return data


def test_two_cold_compiles_are_identical(run_script, tmp_out: Path, require_tool) -> None:
    require_tool("yosys")
    outs = []
    for run in ("first", "second"):
        env = dict(os.environ, UNIFIED_CACHE=str(tmp_out / f"cache-{run}"))
        out = tmp_out / run
        proc = run_script("unified", "compile", ROOT / "tests" / "cosim" / "inputs" / "cnn.mlir",
                          "-o", out, "--partition", "hw", "-O", "1", "--no-sim", "-q", env=env,
                          timeout=900)
        assert proc.returncode == 0, proc.stderr
        outs.append(out)
    first, second = (_files(o) for o in outs)
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".sv") for name in first) and any(
        name.endswith(".rvv.o") for name in first)
    differ = [name for name in first if name != "report.json" and first[name] != second[name]]
    assert differ == []
    assert _report(outs[0]) == _report(outs[1])
    md = [(o / "report.md").read_text().split("## Stage timings")[0] for o in outs]
    assert md[0] == md[1]
