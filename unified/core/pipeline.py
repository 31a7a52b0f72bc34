"""Running a flow: a list of named stages, each producing textual MLIR at one IR level.

The flows themselves (the hardware and software stage lists) live in `unified.flows`;
this module gives them `--stop-after`, `--start-at` and `--dump-dir` for free.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from unified.core.errors import PassFailedError, UnifiedError
from unified.core.toolchain import Step, worker


@dataclass(frozen=True)
class Stage:
    """One step of a flow: runs `steps` in MLIR build `build` and yields IR at `level`."""

    level: str
    build: str
    steps: tuple[Step, ...]
    doc: str = ""
    generic_out: bool = False  # print generic form (the next build is older than this one)
    options: dict[str, str] = field(default_factory=dict)


def run_stages(
    text: str,
    stages: Sequence[Stage],
    *,
    start_at: str | None = None,
    stop_after: str | None = None,
    dump_dir: Path | None = None,
    name: str = "module",
    progress: Callable[[str], None] | None = None,
    timings: dict[str, float] | None = None,
) -> str:
    """Runs the stages after `start_at` up to and including `stop_after`; returns the last IR.

    With `dump_dir`, the IR after each stage is written to `dump_dir/<name>.<level>.mlir`;
    a failing stage writes its input there (or to a temporary file) with a reproducer.
    """
    levels = [s.level for s in stages]
    for wanted in (start_at, stop_after):
        if wanted is not None and wanted not in levels and wanted != "input":
            raise UnifiedError(f"unknown IR level '{wanted}'", hint=f"use one of: {', '.join(levels)}")
    begin = levels.index(start_at) + 1 if start_at and start_at != "input" else 0
    for stage in stages[begin:]:
        if progress:
            progress(stage.level)
        t0 = time.perf_counter()
        try:
            text = worker(stage.build).run(text, list(stage.steps), generic=stage.generic_out,
                                           stage=stage.level)
        except PassFailedError as e:
            e.reproducer = _reproducer(text, stage, dump_dir, name)
            raise
        if timings is not None:
            timings[stage.level] = timings.get(stage.level, 0.0) + time.perf_counter() - t0
        if dump_dir is not None:
            dump_dir.mkdir(parents=True, exist_ok=True)
            (dump_dir / f"{name}.{stage.level}.mlir").write_text(text)
        if stage.level == stop_after:
            break
    return text


def _reproducer(text: str, stage: Stage, dump_dir: Path | None, name: str) -> str:
    import tempfile

    from unified.core.pass_spec import describe_steps

    folder = dump_dir or Path(tempfile.mkdtemp(prefix="unified-failure-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.before-{stage.level}.mlir"
    path.write_text(text)
    return f"unified-opt {path} -p '{describe_steps(stage.build, stage.steps)}'"
