"""`unified doctor` lists every wheel, MLIR build and tool with a version; setup.sh is idempotent."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from unified import doctor
from unified.core import tools

ROOT = Path(__file__).resolve().parents[2]


def expected_components() -> list[str]:
    return [*doctor.WHEELS, *(f"MLIR build '{b}'" for b in ("mlir", "circt", "pycde")),
            *tools.TOOLS]


def test_doctor_lists_every_component_present(run_script) -> None:
    proc = run_script("unified", "doctor")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line and not line.startswith(" ")]
    names = expected_components()
    width = max(len(n) for n in names)
    table = rows[: len(names)]
    assert [row[:width].rstrip() for row in table] == names
    for row in table:
        status = row[width:].strip()  # version, then purpose
        assert status and not status.startswith(("MISSING", "BROKEN")), row
    assert rows[-1] == "all components present"


def test_setup_is_quiet_when_nothing_is_to_do() -> None:
    stamp = ROOT / ".venv" / ".unified-setup-stamp"
    if not stamp.exists() or Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("the suite does not run in a venv that ./setup.sh made")
    if (ROOT / "pyproject.toml").stat().st_mtime > stamp.stat().st_mtime:
        pytest.skip("pyproject.toml changed since the last ./setup.sh (it would reinstall)")
    start = time.monotonic()
    proc = tools.run_program(ROOT / "setup.sh", [], cwd=ROOT, timeout=600)
    assert (proc.returncode, proc.stdout + proc.stderr) == (0, "")
    assert time.monotonic() - start < 10
