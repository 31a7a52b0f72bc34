"""The MLIR build of the current worker process.

Only a toolchain worker binds this module (see `unified.toolchain`); pass code reads
`mlir.ir` and `mlir.passmanager` at call time, so the same pass file never imports a
build itself and never ends up with two builds in one process (which crashes).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

# build name -> (ir module, passmanager module, package holding register_dialects)
BUILDS: dict[str, tuple[str, str, str]] = {
    "mlir": ("torch_mlir.ir", "torch_mlir.passmanager", ""),
    "circt": ("circt.ir", "circt.passmanager", "circt"),
    "pycde": ("pycde.circt.ir", "pycde.circt.passmanager", "pycde.circt"),
}

build: str = ""
ir: Any = None
passmanager: Any = None
package: ModuleType | None = None


def bind(name: str) -> None:
    """Imports build `name` into this process. Called once, by the worker's main."""
    global build, ir, passmanager, package
    if build and build != name:
        raise RuntimeError(f"this process already holds the {build} build")
    ir_mod, pm_mod, pkg = BUILDS[name]
    ir = importlib.import_module(ir_mod)
    passmanager = importlib.import_module(pm_mod)
    package = importlib.import_module(pkg) if pkg else None
    build = name


def new_context() -> Any:
    """A context with every dialect this build can give us loaded (the workarounds live here)."""
    ctx = ir.Context()
    if build == "mlir":
        ctx.allow_unregistered_dialects = False
        return ctx
    package.register_dialects(ctx)
    if build == "circt":
        # The wheel registers only CIRCT's own dialects; running this pass on an empty
        # module loads func, arith, scf, memref and cf as its dependent dialects.
        empty = ir.Module.parse("module {}", ctx)
        passmanager.PassManager.parse(
            "builtin.module(func.func(convert-affine-to-loopschedule))", ctx
        ).run(empty.operation)
    elif build == "pycde":
        # memory-banking depends on affine and memref, which pycde does not register.
        empty = ir.Module.parse("module {}", ctx)
        passmanager.PassManager.parse("builtin.module(func.func(memory-banking))", ctx).run(
            empty.operation
        )
        # calyx is not registered either; lower-scf-to-calyx loads it as a dependent
        # dialect before it fails on the empty module (the failure is expected).
        with contextlib.suppress(ir.MLIRError):
            passmanager.PassManager.parse("builtin.module(lower-scf-to-calyx)", ctx).run(
                empty.operation
            )
    return ctx


def walk(op: Any) -> Iterator[Any]:
    """Every operation nested in `op` (pre-order, not `op` itself); each block's list is taken
    before its ops are yielded, so a caller may erase the op it was just given."""
    for region in op.regions:
        for block in region.blocks:
            for inner in list(block.operations):
                inner = inner.operation
                yield inner
                yield from walk(inner)


def ops_named(op: Any, *names: str) -> list[Any]:
    """The operations nested in `op` whose name is one of `names`, as a list (safe to rewrite)."""
    return [o for o in walk(op) if o.name in names]


def function(module: Any, name: str) -> Any:
    """The `func.func @name` at the top of `module`; LookupError when there is none."""
    for op in module.body.operations:
        op = op.operation
        if op.name == "func.func" and ir.StringAttr(op.attributes["sym_name"]).value == name:
            return op
    raise LookupError(f"no func.func @{name}")


def dialect(name: str) -> ModuleType:
    """The python builders of dialect `name` in this worker's build (e.g. `dialect("hw")`)."""
    return importlib.import_module(ir.__name__.rsplit(".", 1)[0] + ".dialects." + name)


def location_of(loc: Any) -> tuple[str, int, int]:
    """(file, line, col) of an MLIR location, looking through fused/callsite/name wrappers."""
    try:
        f = ir.FileLineColLoc(loc)
        return f.filename, f.start_line, f.start_col
    except (AttributeError, TypeError, ValueError):  # older builds: read the printed form
        text = str(loc)
        start = text.find('"')
        end = text.find('"', start + 1)
        if start < 0 or end < 0:
            return "", 0, 0
        tail = text[end + 1 :].split(":")
        try:
            return text[start + 1 : end], int(tail[1]), int(tail[2].rstrip(")").split()[0])
        except (IndexError, ValueError):
            return text[start + 1 : end], 0, 0
