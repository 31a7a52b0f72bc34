"""`python -m unified.fuzz ...`: `unified fuzz` until the command is wired into unified.cli."""

from __future__ import annotations

import sys

from unified.fuzz.cli import run

if __name__ == "__main__":
    sys.exit(run(prog="python -m unified.fuzz"))
