"""The full differential fuzzing campaign: random integer (or f32) kernels on every target.

    .venv/bin/python bench/fuzz.py [--count 200] [--seed 1] [-j 2] [--csv fuzz.csv]
                                   [--reduce tests/fuzz/cases] [--ray ADDRESS]
                                   [--profile float]

The options are those of `unified fuzz` (see --help); here --count defaults to 200, every
target runs and the CSV goes to fuzz.csv. Prints counts per target and outcome and the
seconds per kernel per target; exits 1 when any mismatch, error or crash was seen.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from unified.fuzz.cli import add_arguments, main


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    """The campaign's options: `unified fuzz`'s, with campaign-sized defaults."""
    p = argparse.ArgumentParser(prog="bench/fuzz.py", description=__doc__.splitlines()[0])
    add_arguments(p)
    p.set_defaults(count=200, csv="fuzz.csv")
    return p.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main(parse()))
