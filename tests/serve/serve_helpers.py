"""Jobs that misbehave on purpose, for the pool's crash and time-limit tests (run in the
pool's child processes, so they must be importable by name)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def abort(folder: str, **_options: object) -> None:
    """Dies as a segfaulting wheel would: SIGABRT, no reply."""
    os.abort()


def sleep_forever(folder: str, **_options: object) -> None:
    """Outlives any time limit; leaves its pid behind so the test can see it was killed."""
    (Path(folder) / "sleeper.pid").write_text(str(os.getpid()))
    time.sleep(3600)
