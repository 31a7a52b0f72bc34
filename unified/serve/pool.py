"""The bounded job pool of `unified serve`: each job in its own process, killed on a time limit.

A job is a function named "module:function" run in a fresh (spawned) process that leads its
own process group, so a timeout kills the MLIR workers, Verilator and qemu it started too,
and a crash (a segfault in a wheel) ends that process, never the server.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
import traceback
from typing import Any

from unified.core.errors import UnifiedError


class JobFailed(UnifiedError):
    """A job timed out, crashed or raised something that is not the user's error."""


class JobPool:
    """Runs at most `workers` jobs at once, each for at most `timeout` seconds."""

    def __init__(self, workers: int = 2, timeout: float = 600.0):
        self.timeout = timeout
        self._slots = threading.BoundedSemaphore(workers)
        self._context = multiprocessing.get_context("spawn")

    def run(self, function: str, **kwargs: Any) -> Any:
        """The value of `function(**kwargs)` run in a child; its UnifiedError is raised here."""
        if not self._slots.acquire(timeout=self.timeout):
            raise JobFailed(f"the server was busy with other jobs for {self.timeout:g} s",
                            hint="try again later, or start the server with more --workers")
        try:
            reply, exitcode = self._run_one(function, kwargs)
        finally:
            self._slots.release()
        if reply is None:
            raise JobFailed(f"the job took longer than {self.timeout:g} s and was stopped",
                            hint="try a smaller module, fewer options, or start the server "
                            "with a longer --time-limit")
        if reply.get("crashed"):
            raise JobFailed(f"the job crashed (exit code {exitcode}); the server is "
                            "still running", hint="this is a compiler bug: report the module "
                            "that caused it")
        if "error" in reply:
            raise reply["error"]
        return reply["value"]

    def _run_one(self, function: str, kwargs: dict[str, Any]) -> tuple[dict | None, int | None]:
        """(the child's reply, None after the time limit; its exit code)."""
        receiver, sender = self._context.Pipe(duplex=False)
        process = self._context.Process(target=_child, args=(sender, function, kwargs))
        process.start()
        sender.close()
        try:
            reply = receiver.recv() if receiver.poll(self.timeout) else None
        except EOFError:  # the child died before it could answer
            reply = {"crashed": True}
        finally:
            _kill(process)
            receiver.close()
        return reply, process.exitcode


def _child(sender: Any, function: str, kwargs: dict[str, Any]) -> None:
    os.setpgrp()  # its own process group: _kill ends everything it starts
    try:
        module, name = function.split(":")
        reply: dict[str, Any] = {"value": getattr(importlib.import_module(module), name)(**kwargs)}
    except UnifiedError as e:
        reply = {"error": e}
    except Exception as e:  # noqa: BLE001 - any other failure is a compiler bug, reported
        traceback.print_exc(file=sys.stderr)
        reply = {"error": JobFailed(f"internal error: {e.__class__.__name__}: {e}",
                                    hint="this is a compiler bug: report the module that "
                                    "caused it")}
    sender.send(reply)
    sender.close()


def _kill(process: multiprocessing.process.BaseProcess) -> None:
    """Ends the job's process group (its MLIR workers, simulators) and reaps the job."""
    if process.pid is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):  # gone, or not yet its own group
            pass
    process.kill()
    process.join()
