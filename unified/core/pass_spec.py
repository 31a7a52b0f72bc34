"""Pass pipeline specs: `-p` text to (build, step) pairs, run across builds, and back to text.

A spec is a comma-separated list of items:
  NAME                 one of our passes          remove-comb-groups
  NAME{k=v k2=v2}      ... with options           insert-clock-reset{name=clk}
  BUILD(PIPELINE)      a textual pass pipeline    mlir(builtin.module(lower-affine))
                       run in MLIR build BUILD: mlir (upstream, from torch-mlir),
                       circt (the circt wheel) or pycde (the CIRCT inside pycde)
Consecutive items of one build run in one worker; IR crosses builds as text.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Sequence

from unified.core import passes
from unified.core.errors import Loc, ParseError, PassFailedError, UnifiedError
from unified.core.mlir import BUILDS
from unified.core.pass_names import BUILDS_TRIED, candidates
from unified.core.toolchain import Pass, Pipeline, Step, worker


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
            out.append(resolve(raw))
            continue
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


def resolve(item: str) -> tuple[str, Step]:
    """A bare upstream or CIRCT item (`lower-affine`, `builtin.module(lower-affine)`) as a
    pipeline of the first build that parses it (unified.core.pass_names.BUILDS_TRIED)."""
    for build in BUILDS_TRIED:
        for pipeline in candidates(item):
            if _parses(build, pipeline):
                return build, Pipeline(pipeline)
    names = ", ".join(sorted(passes.REGISTRY)) or "none yet"
    raise UnifiedError(
        f"unknown pass '{item}': neither ours nor registered in any MLIR build",
        hint=f"our passes are: {names}; upstream and CIRCT passes are taken by their "
        "mlir-opt/circt-opt names (unified-opt --list shows them), or as BUILD(PIPELINE) "
        "with BUILD one of mlir, circt, pycde",
    )


@functools.cache
def _parses(build: str, pipeline: str) -> bool:
    return bool(worker(build).call("module {}", "unified.core.pass_names:parses",
                                   pipeline=pipeline))


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
