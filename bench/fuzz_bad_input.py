"""Bad-input campaign: every mutation of unified.fuzz.bad_input on every example kernel.

    .venv/bin/python bench/fuzz_bad_input.py [--seeds 3] [--kernels examples/kernels/*.mlir]

Prints one line per broken promise (a traceback, an unlocated message, a half-written
folder) and the totals; exit 1 when any promise was broken.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from unified.core import source
from unified.core.errors import UnifiedError
from unified.fuzz.bad_input import MUTATIONS, run_one
from unified.measure import sample_inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds per mutation (default 3)")
    parser.add_argument("--kernels", nargs="*", type=Path,
                        default=sorted((ROOT / "examples" / "kernels").glob("*.mlir")),
                        help="modules to mutate (default: examples/kernels/*.mlir)")
    args = parser.parse_args()
    runs = broken = 0
    start = time.time()
    for path in args.kernels:
        try:
            src = source.read(path)
        except UnifiedError as e:
            print(f"skip {path.name}: {e.message}")
            continue
        func = next(iter(src.info.functions))
        inputs = sample_inputs(src.function(func))
        for mutation in MUTATIONS:
            for seed in range(args.seeds):
                for o in run_one(path, func, inputs, mutation, seed):
                    runs += 1
                    if o.problem:
                        broken += 1
                        last = o.stderr.strip().splitlines()[-1:] or [""]
                        print(f"{path.name} {mutation} seed={seed} {o.command.split()[0]}: "
                              f"{o.problem} (exit {o.exit_code}): {last[0][:200]}")
        print(f"[{path.name}] {runs} runs, {broken} broken so far ({time.time() - start:.0f} s)",
              file=sys.stderr)
    print(f"{runs} runs of unified compile/sim on mutated input, {broken} broken promises, "
          f"{time.time() - start:.0f} s")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
