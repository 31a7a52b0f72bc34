"""Toolchain workers: one long-lived process per MLIR build, behind one small interface.

Importing two MLIR builds (torch-mlir's upstream MLIR, the `circt` wheel, the CIRCT in
`pycde`) into one process crashes, so each runs in a worker of its own and stages hand
each other textual MLIR. A worker starts on first use and lives as long as this process,
so a compile pays each import once.

    text = worker("circt").run(text, [Pipeline("builtin.module(lower-scf-to-calyx)")])
    text = worker("pycde").run(text, [Pass("remove-comb-groups")])
"""

from __future__ import annotations

import atexit
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from unified.core.errors import Loc, ParseError, PassFailedError, UnifiedError
from unified.core.mlir import BUILDS


@dataclass(frozen=True)
class Pipeline:
    """An upstream/CIRCT textual pipeline, e.g. `builtin.module(func.func(lower-affine))`."""

    text: str


@dataclass(frozen=True)
class Pass:
    """One of our registered passes, with `{key=value}` options."""

    name: str
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Call:
    """A function `pkg.module:function(module, **kwargs)` run on the IR; its result is returned.

    The function may change the module; whatever it returns must be picklable.
    """

    function: str
    kwargs: dict[str, Any] = field(default_factory=dict)


Step = Pipeline | Pass | Call


@dataclass
class Result:
    text: str
    values: list[Any]


class Worker:
    """A process that holds one MLIR build and runs steps on textual modules."""

    def __init__(self, build: str):
        if build not in BUILDS:
            raise ValueError(f"unknown MLIR build '{build}' (one of {', '.join(BUILDS)})")
        self.build = build
        self._proc: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        self._log: Any = None  # the process's stderr, a temporary file kept only if it dies
        self._died = False

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            if self._log is None:
                self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - lives as long as the process
                    prefix=f"unified-{self.build}-", suffix=".log", delete=False)
            root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "unified.core.worker", self.build],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._log,
                env=env,
            )
        return self._proc

    def start(self) -> None:
        """Starts the process now without waiting for it: its imports overlap other work."""
        with self._lock:
            self._start()

    def run(self, text: str, steps: list[Step], *, generic: bool = False,
            debug_info: bool = True, stage: str = "") -> str:
        """Parses `text`, runs `steps` in order, prints the module (generic form if asked)."""
        return self.run_full(text, steps, generic=generic, debug_info=debug_info, stage=stage).text

    def call(self, text: str, function: str, **kwargs: Any) -> Any:
        """Runs one `Call` on the parsed module and returns its value (the IR is not printed)."""
        res = self.run_full(text, [Call(function, kwargs)], print_module=False)
        return res.values[0]

    def run_full(self, text: str, steps: list[Step], *, generic: bool = False,
                 debug_info: bool = True, print_module: bool = True, stage: str = "") -> Result:
        request = {
            "text": text,
            "steps": [_encode(s) for s in steps],
            "generic": generic,
            "debug_info": debug_info,
            "print": print_module,
        }
        with self._lock:
            proc = self._start()
            try:
                _send(proc.stdin, request)
                reply = _recv(proc.stdout)
            except (BrokenPipeError, EOFError, struct.error) as e:
                self._proc = None
                self._died = True
                raise PassFailedError(
                    f"the {self.build} worker died ({e.__class__.__name__}); its log: {self._log.name}",
                    stage=stage,
                ) from None
        if reply["ok"]:
            return Result(reply["text"], reply["values"])
        raise _error_from(reply, self.build, stage)

    def close(self) -> None:
        """Stops the process; removes its log unless it died (the error named the log)."""
        if self._proc is not None and self._proc.poll() is None:
            try:
                _send(self._proc.stdin, None)
                self._proc.wait(timeout=5)
            except Exception:  # noqa: BLE001 - whatever went wrong, the process must go
                self._proc.kill()
        self._proc = None
        if self._log is not None:
            self._log.close()
            if not self._died:
                Path(self._log.name).unlink(missing_ok=True)
            self._log = None

    @property
    def log_path(self) -> str:
        """The current process's stderr log ('' before the process starts)."""
        return self._log.name if self._log is not None else ""


_WORKERS: dict[str, Worker] = {}


def worker(build: str) -> Worker:
    """The worker holding `build` (`mlir`, `circt` or `pycde`), started on first use."""
    if build not in _WORKERS:
        _WORKERS[build] = Worker(build)
    return _WORKERS[build]


@atexit.register
def _shutdown() -> None:
    for w in _WORKERS.values():
        w.close()


# ---------------------------------------------------------------------------- wire format


def _encode(step: Step) -> tuple:
    if isinstance(step, Pipeline):
        return ("pipeline", step.text)
    if isinstance(step, Pass):
        return ("pass", step.name, dict(step.options))
    return ("call", step.function, dict(step.kwargs))


def _send(stream: BinaryIO | None, obj: Any) -> None:
    assert stream is not None
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _recv(stream: BinaryIO | None) -> Any:
    assert stream is not None
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError("worker closed its pipe")
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError("worker closed its pipe")
    return pickle.loads(data)


def _error_from(reply: dict[str, Any], build: str, stage: str) -> UnifiedError:
    if "exception" in reply:  # a UnifiedError raised by our own pass: keep it as it is
        return reply["exception"]
    diags = reply.get("diagnostics") or []
    loc = None
    message = reply["message"]
    if diags:
        file, line, col, msg = diags[0]
        loc = Loc(file, line, col) if line else None
        message = msg
        notes = [f"{Loc(f, ln, c)}: note: {m}" for f, ln, c, m in diags[1:] if ln]
        if notes:
            message += "\n" + "\n".join(notes)
    if reply["kind"] == "parse":
        return ParseError(message, loc, hint="fix the MLIR syntax at that place")
    step = reply.get("step", "")
    return PassFailedError(message, loc, stage=stage or step, reproducer=reply.get("trace", ""))
