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
import os
import sys
import tempfile
from collections.abc import Sequence

from unified import passes
from unified.errors import Loc, ParseError, PassFailedError, UnifiedError
from unified.mlir import BUILDS
from unified.toolchain import Pass, Pipeline, Step, worker


def parse_pipeline(spec: str) -> list[tuple[str, Step]]:
    """Splits a -p spec into (build, step) pairs; raises UnifiedError on unknown names."""
    items: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(spec):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        elif ch == "," and depth == 0:
            items.append(spec[start:i])
            start = i + 1
    items.append(spec[start:])
    out: list[tuple[str, Step]] = []
    for raw in (i.strip() for i in items):
        if not raw:
            continue
        head = raw.split("(", 1)[0].split("{", 1)[0]
        if head in BUILDS and raw.endswith(")") and "(" in raw:
            out.append((head, Pipeline(raw[len(head) + 1 : -1])))
            continue
        if not passes.known(head):
            names = ", ".join(sorted(passes.REGISTRY)) or "none yet"
            raise UnifiedError(
                f"unknown pass '{head}'",
                hint=f"our passes are: {names}; run an upstream or CIRCT pipeline as "
                "BUILD(PIPELINE) with BUILD one of mlir, circt, pycde",
            )
        options: dict[str, str] = {}
        if "{" in raw:
            body = raw[raw.index("{") + 1 : raw.rindex("}")]
            for kv in body.split():
                key, _, value = kv.partition("=")
                options[key] = value or "true"
        cls = passes.load(head)
        try:
            cls.from_options(options)
        except (ValueError, TypeError) as e:
            raise UnifiedError(str(e)) from None
        out.append((cls.build, Pass(head, options)))
    return out


def describe_steps(build: str, steps: Sequence[Step]) -> str:
    """The -p spec that reruns `steps` in `build` (used in failure reproducers)."""
    parts = []
    for s in steps:
        if isinstance(s, Pipeline):
            parts.append(f"{build}({s.text})")
        elif isinstance(s, Pass):
            opts = " ".join(f"{k}={v}" for k, v in s.options.items())
            parts.append(f"{s.name}{{{opts}}}" if opts else s.name)
        else:
            parts.append(f"<call {s.function}>")
    return ",".join(parts)


def run(text: str, spec: str, *, generic: bool = False, debug_info: bool = False) -> str:
    """Runs the pipeline `spec` on `text`, batching consecutive steps of one build."""
    groups: list[tuple[str, list[Step]]] = []
    for build, step in parse_pipeline(spec):
        if groups and groups[-1][0] == build:
            groups[-1][1].append(step)
        else:
            groups.append((build, [step]))
    if not groups:
        groups = [("mlir", [])]
    for i, (build, steps) in enumerate(groups):
        last = i == len(groups) - 1
        try:
            text = worker(build).run(
                text, steps, generic=generic and last, debug_info=debug_info or not last
            )
        except ParseError as e:
            if i == 0:
                raise
            raise _handoff_error(e, text, groups[i - 1][0], build, steps) from None
    return text


def _handoff_error(error: ParseError, text: str, source: str, build: str,
                   steps: Sequence[Step]) -> PassFailedError:
    """Build `build` cannot read what `source` printed: keep that IR in a file, name the rerun."""
    fd, dump = tempfile.mkstemp(prefix=f"unified-{source}-to-{build}-", suffix=".mlir")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    loc = Loc(dump, error.loc.line, error.loc.col) if error.loc else Loc(dump)
    return PassFailedError(
        f"the {build} build cannot read the IR the {source} build printed: {error.message}",
        loc,
        hint="rewrite what the older build cannot parse before the hand-over "
        "(e.g. drop-overflow-flags for arith overflow flags)",
        stage=describe_steps(build, steps),
        reproducer=f"unified-opt {dump} -p '{describe_steps(build, steps)}'",
    )


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
    parser.add_argument("--list", action="store_true", help="list our passes and exit")
    args = parser.parse_args(argv)
    try:
        if args.list:
            passes._discover()
            for name in sorted(passes.REGISTRY):
                cls = passes.load(name)
                doc = (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""
                print(f"{name:28} [{cls.build}] {doc}")
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


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        raise UnifiedError(f"cannot read '{path}': {e.strerror}", hint="check the path") from None


if __name__ == "__main__":
    sys.exit(main())
