"""tile-for-hw under the differential fuzzer's kernels: tiled against the fuzzer's interpreter.

    .venv/bin/python bench/tile_fuzz.py [--count 200] [--seed 0] [--profile basic]

Each random kernel of `unified fuzz` (unified/fuzz) is given an on-chip memory budget of a
quarter of its memref arguments' bytes and run through partition/tile_for_hw.py. A kernel the
pass tiles (one perfect nest of the accesses it handles, with a tile that fits) keeps its
name and signature as the software loop nest over tiles; that module runs on the host and
every memref is compared bit for bit with the fuzzer's own interpreter of the kernel. The
rest are counted as not tileable, by reason. Exit 1 on any mismatch.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from unified.core import source
from unified.core.errors import UnifiedError
from unified.core.toolchain import Call, worker
from unified.fuzz.features import features
from unified.fuzz.generator import generate
from unified.fuzz.inputs import make_inputs
from unified.fuzz.printer import to_mlir
from unified.fuzz.reference import run as reference_run
from unified.fuzz.runner import compare, kernel_seed

NO_ENTRY = ""  # every function with a body is a candidate


def check_one(seed: int, profile: str, folder: Path) -> tuple[str, str]:
    """(outcome, detail) of one fuzzer kernel: tiled-exact, tiled-mismatch, skipped, error."""
    from unified import sw_run

    kernel = generate(seed, features(profile))
    text = to_mlir(kernel)
    whole = sum(max(1, int(a.elem[1:]) // 8) * _elements(a.shape) for a in kernel.args
                if a.is_memref)
    budget = max(4, whole // 4)
    res = worker("pycde").run_full(text, [Call("partition.tile_for_hw:tile", {
        "budget_bytes": budget, "entry": NO_ENTRY})])
    [tiling] = res.values[0] or [None]
    if tiling is None:
        return "skipped", ""
    path = folder / f"k{seed}.mlir"
    path.write_text(res.text)
    inputs = make_inputs(kernel, seed)
    try:
        got = sw_run.simulate(source.read(path), kernel.name, inputs, target="sw").outputs
    except UnifiedError as e:
        return "error", e.render()[:300]
    diff = compare(got, reference_run(kernel, inputs))
    tile = "x".join(map(str, tiling["tile"]))
    return ("tiled-exact", tile) if diff is None else ("tiled-mismatch", f"{tile}: {diff}")


def _elements(shape: tuple[int, ...] | None) -> int:
    n = 1
    for d in shape or ():
        n *= d
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", default="basic", choices=("basic", "full"))
    args = parser.parse_args(argv)
    counts: collections.Counter[str] = collections.Counter()
    with tempfile.TemporaryDirectory(prefix="tile-fuzz-") as tmp:
        for i in range(args.count):
            seed = kernel_seed(args.seed, i)
            outcome, detail = check_one(seed, args.profile, Path(tmp))
            counts[outcome] += 1
            if outcome in ("tiled-mismatch", "error"):
                print(f"kernel {i} (seed {seed}): {outcome}: {detail}", file=sys.stderr)
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 1 if counts["tiled-mismatch"] or counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
