"""The progress line of long simulations (unified/core/progress.py) and the watched run that feeds it
(unified.core.tools.run_program_watched)."""

from __future__ import annotations

import io
import re
import time

from unified.core import tools
from unified.core.progress import Progress


def test_progress_prints_lines_with_the_latest_detail_off_a_terminal():
    out = io.StringIO()
    with Progress("co-simulating @main", every=0.05, stream=out) as p:
        p.update("1.0M bus cycles, 3 accelerator runs")
        time.sleep(0.3)
    lines = out.getvalue().splitlines()
    assert len(lines) >= 2
    assert all(re.fullmatch(r"unified: co-simulating @main: \d+ s, 1\.0M bus cycles, "
                            r"3 accelerator runs", line) for line in lines)


def test_short_runs_print_nothing():
    out = io.StringIO()
    with Progress("co-simulating @main", every=5, stream=out):
        pass
    assert out.getvalue() == ""


def test_watched_run_hands_over_progress_lines_and_keeps_the_rest():
    seen = []

    def take(line: str) -> bool:
        seen.append(line)
        return line.startswith("cosim-progress ")

    proc = tools.run_program_watched(
        "/bin/sh", ["-c", "echo cosim-progress 1048576 2 >&2; echo out; echo other >&2; exit 3"],
        take)
    assert seen == ["cosim-progress 1048576 2\n", "other\n"]
    assert (proc.returncode, proc.stdout, proc.stderr) == (3, "out\n", "other\n")
