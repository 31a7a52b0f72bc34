"""`unified-opt FILE -p PIPELINE`: runs any pass (upstream, CIRCT or ours) and prints the result.

PIPELINE is a comma-separated list of items:
  NAME                 one of our passes          remove-comb-groups
  NAME{k=v k2=v2}      ... with options           insert-clock-reset{name=clk}
  BUILD(PIPELINE)      a textual pass pipeline    mlir(builtin.module(lower-affine))
                       run in MLIR build BUILD: mlir (upstream, from torch-mlir),
                       circt (the circt wheel) or pycde (the CIRCT inside pycde)
Consecutive items of one build run in one worker; IR crosses builds as text.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from unified.core import passes
from unified.core.errors import UnifiedError
from unified.core.pass_names import BUILDS_TRIED, LISTED_BUILDS, candidate_names
from unified.core.pass_spec import parse_pipeline, run
from unified.core.toolchain import worker


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="unified-opt",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", default="-",
                        help="input .mlir file, or - for standard input (the default)")
    parser.add_argument("-p", "--passes", default="", help="the pipeline to run (see above)")
    parser.add_argument("-o", "--output", default="-", help="where to write the result (default: stdout)")
    parser.add_argument("--generic", action="store_true", help="print the generic op form")
    parser.add_argument("--debug-info", action="store_true", help="print locations")
    parser.add_argument("--list", action="store_true", help="list our passes and the upstream ones, each with the MLIR builds that have it, and exit")
    args = parser.parse_args(argv)
    try:
        if args.list:
            list_passes()
            return 0
        parse_pipeline(args.passes)  # a bad -p is reported before the file is read
        text = sys.stdin.read() if args.file == "-" else _read(args.file)
        try:
            out = run(text, args.passes, generic=args.generic, debug_info=args.debug_info)
        except UnifiedError as e:
            raise e.with_file(args.file) from None
        if args.output == "-":
            sys.stdout.write(out)
        else:
            with open(args.output, "w") as f:
                f.write(out)
        return 0
    except UnifiedError as e:
        print(e.render(), file=sys.stderr)
        return e.exit_code


def list_passes() -> None:
    """Prints our passes with their build and first docstring line, then the upstream MLIR
    passes with every build that registers them (a bare name runs in the first one)."""
    passes._discover()
    print("our passes:")
    for name in sorted(passes.REGISTRY):
        cls = passes.load(name)
        doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
        print(f"  {name:30} [{cls.build}] {doc}")
    print("reading the passes each MLIR build registers (about 20 s)...", file=sys.stderr)
    found = {b: worker(b).call("module {}", "unified.core.pass_names:registered",
                               names=candidate_names(b)) for b in LISTED_BUILDS}
    print(f"\nupstream and CIRCT passes (a bare name runs in the first build of "
          f"{', '.join(BUILDS_TRIED)} that has it):")
    for name in sorted(set().union(*found.values())):
        have = [b for b in LISTED_BUILDS if name in found[b]]
        print(f"  {name:44} [{', '.join(have)}]")


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise UnifiedError(f"cannot read '{path}': {e.strerror}", hint="check the path") from None


if __name__ == "__main__":
    sys.exit(main())
