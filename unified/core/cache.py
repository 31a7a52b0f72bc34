"""A content-addressed build cache (Verilator models, host shared objects, qemu executables).

Entries live under $UNIFIED_CACHE (default ~/.cache/unified), one folder per key; a
folder appears only once complete, so a crash never leaves a half-built entry behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def root() -> Path:
    return Path(os.environ.get("UNIFIED_CACHE", Path.home() / ".cache" / "unified"))


def key(*parts: str | bytes) -> str:
    """A hex digest over the parts (texts, file contents, versions, options)."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()[:24]


def entry(kind: str, digest: str, build: Callable[[Path], None]) -> Path:
    """The folder of cache entry kind/digest, calling build(tmpdir) to fill it when missing."""
    final = root() / kind / digest
    if final.exists():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{digest}-", dir=final.parent))
    try:
        build(tmp)
        try:
            tmp.rename(final)
        except OSError:  # another process finished first: theirs is as good as ours
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final
