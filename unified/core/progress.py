"""A progress line on stderr while a long simulation runs.

On a terminal the line is rewritten in place twice a second; otherwise (a log, CI) one line
is printed every `every` seconds; with `say`, each line goes to that callback instead (the
compiler's own progress messages). Nothing is printed when the run ends before the first
line is due, so short runs stay quiet.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Self, TextIO


class Progress:
    """`with Progress("co-simulating @main") as p: ... p.update("1.2M cycles")`."""

    def __init__(self, what: str, *, every: float = 5.0, stream: TextIO | None = None,
                 say: Callable[[str], None] | None = None):
        self.what = what
        self.stream = stream or sys.stderr
        self.say = say
        self.tty = say is None and self.stream.isatty()
        self.every = 0.5 if self.tty else every
        self.detail = ""
        self.start = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._shown = False

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        if self._shown and self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def update(self, detail: str) -> None:
        """What the run has done so far (cycles, calls), shown on the next line."""
        self.detail = detail

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        return f"unified: {self.what}: {elapsed:.0f} s" + (f", {self.detail}" if self.detail else "")

    def _loop(self) -> None:
        while not self._stop.wait(self.every):
            if self.say is not None:
                self.say(self.line())
                continue
            self.stream.write(("\r" + self.line() + "\033[K") if self.tty else self.line() + "\n")
            self.stream.flush()
            self._shown = True
