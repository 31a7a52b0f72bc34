"""What the dse tests share: running `unified` as a user does, reading the CSV, a cached rerun."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from unified.core import tools


def run(*args):
    """Runs the venv's `unified` with `args` as a user does."""
    return tools.run_program(tools.script("unified"), [str(a) for a in args], timeout=600)


def csv_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a dse CSV."""
    with open(path) as f:
        return list(csv.DictReader(f))


def rerun(*args) -> tuple[object, float]:
    """Runs `unified ARGS` again after a first run: (the result, its seconds). A second try
    only if someone edited the compiler's sources meanwhile (a point measured again)."""
    for _ in range(2):
        start = time.monotonic()
        again = run(*args)
        seconds = time.monotonic() - start
        assert again.returncode == 0, again.stderr
        if " s)" not in again.stderr:
            break
    return again, seconds
