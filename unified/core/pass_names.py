"""Upstream and CIRCT pass names typed bare (`lower-affine`), resolved to the build that has them.

People coming from mlir-opt and circt-opt write `-p lower-affine` or
`-p 'builtin.module(lower-affine)'`. We try the builds in the order of `BUILDS_TRIED`; the
first that parses the pipeline runs it (upstream MLIR wins over the CIRCT wheels, the
`circt` wheel over pycde's CIRCT, as the flows use them). A bare name is tried at the
anchors passes usually have: the module, `func.func`, `hw.module`, a Calyx component.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from unified.core import mlir

BUILDS_TRIED = ("mlir", "circt", "pycde")
ANCHORS = ("builtin.module({})", "builtin.module(func.func({}))", "builtin.module(hw.module({}))",
           "builtin.module(calyx.component({}))")


def parses(module: Any, pipeline: str) -> bool:
    """True when this build's PassManager parses `pipeline` (run inside a worker)."""
    try:
        mlir.passmanager.PassManager.parse(pipeline, module.context)
    except ValueError:
        return False
    return True


def candidates(item: str) -> list[str]:
    """The pipelines a bare item may mean: as written if it names an anchor, else each anchor."""
    if re.match(r"^[\w.]+\(", item):
        return [item]
    return [anchor.format(item) for anchor in ANCHORS]


# The builds whose passes `unified-opt --list` enumerates. pycde's CIRCT is left out: its
# parser crashes on some of the candidate strings (a bare name still resolves there).
LISTED_BUILDS = ("mlir", "circt")


def candidate_names(build: str) -> list[str]:
    """Kebab-case strings in `build`'s native libraries: a superset of its pass names (the
    parser decides which are passes, see `registered`)."""
    from importlib.util import find_spec

    spec = find_spec(mlir.BUILDS[build][0].rsplit(".", 1)[0])
    if spec is None or not spec.submodule_search_locations:
        return []
    folder = Path(next(iter(spec.submodule_search_locations))) / "_mlir_libs"
    data = b"".join(p.read_bytes() for p in sorted(folder.glob("*.so")))
    found = re.findall(rb"(?<![\w-])([a-z][a-z0-9]*(?:-[a-z0-9]+)*)(?=\x00)", data)
    # The linker shares a string's tail with a longer one ("cse" inside "...-cse"): take every
    # tail after a hyphen, and after any letter for tails that are whole pass names.
    names = {m.decode() for m in found}
    tails = {n[i:] for n in names for i in range(1, len(n) - 2)}
    return sorted(names | {t for t in tails if t[0].isalpha()})


def registered(module: Any, names: list[str]) -> list[str]:
    """The subset of `names` this build parses at one of the usual anchors (inside a worker)."""
    return [n for n in names if any(parses(module, p) for p in candidates(n))]
