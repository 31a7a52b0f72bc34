"""The memory-port bound of a kernel: the cycles needed just to move its loads and stores.

Runs inside the `mlir` worker on affine IR (before `lower-affine`):

    bound = worker("mlir").call(text, "hls.port_bound:port_bound", func="gemm")
    bound.cycles, bound.by_memory["arg2"].accesses

Every `affine.load`/`affine.store` (and `memref.load`/`memref.store`) counts once per
iteration of the loops around it (`affine.for` and `scf.for` with constant bounds). A memory
with P ports moves at most P accesses per cycle, so it needs ceil(accesses / P) cycles; the
kernel needs at least the largest of those. One port per memory is what the -O0 flow gives
every memref (one `ext_mem` port set); banking by a factor F gives F: run the bound on the
banked IR (after hls-bank-memories), where each bank is a memory `argN.bankB` of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from hls.bank_memories import layout_of
from unified.core import mlir
from unified.core.errors import Loc, UnifiedError

# Published 8x8 integer PolyBench figures the issue measures against: Vivado HLS 2019.2.
VIVADO_CYCLES = {"gemm": 2684, "2mm": 3718, "atax": 715, "bicg": 218, "gesummv": 532, "mvt": 597}
VIVADO_LUTS = {"gemm": 633, "2mm": 939, "atax": 610, "bicg": 327, "gesummv": 756, "mvt": 657}


@dataclass(frozen=True)
class MemoryTraffic:
    """Loads and stores of one memory over a whole kernel run, and the ports it has."""

    name: str  # "argN" for a memref argument, "allocN" for a memref.alloc/alloca
    loads: int
    stores: int
    ports: int = 1

    @property
    def accesses(self) -> int:
        return self.loads + self.stores

    @property
    def cycles(self) -> int:
        return math.ceil(self.accesses / self.ports)


@dataclass(frozen=True)
class PortBound:
    """The port bound of one function: `cycles` = max over its memories of their cycles."""

    func: str
    by_memory: dict[str, MemoryTraffic] = field(default_factory=dict)

    @property
    def cycles(self) -> int:
        return max((m.cycles for m in self.by_memory.values()), default=0)

    @property
    def busiest(self) -> str:
        """The memory that sets the bound ('' when the kernel touches no memory)."""
        if not self.by_memory:
            return ""
        return max(self.by_memory.values(), key=lambda m: m.cycles).name


def port_bound(module: Any, func: str, ports: dict[str, int] | None = None,
               default_ports: int = 1) -> PortBound:
    """The port bound of function `func` in `module`; `ports` maps memory names to port counts.

    Raises UnifiedError (with the loop's location) when a loop around a memory access has
    bounds that are not constants, since the bound then depends on the inputs.
    """
    ports = ports or {}
    fn = _find_func(module, func)
    names = _memory_names(fn)
    loads: dict[str, int] = {}
    stores: dict[str, int] = {}
    for op, trips in _accesses(fn):
        memref = op.operands[1] if op.name.endswith("store") else op.operands[0]
        name = names.get(_key(memref), "unknown")
        table = stores if op.name.endswith("store") else loads
        table[name] = table.get(name, 0) + trips
    by_memory = {
        n: MemoryTraffic(n, loads.get(n, 0), stores.get(n, 0), ports.get(n, default_ports))
        for n in sorted(set(loads) | set(stores), key=_natural)
    }
    return PortBound(func, by_memory)


def trip_count(loop: Any) -> int:
    """The iteration count of an `affine.for` or `scf.for` with constant bounds.

    Raises UnifiedError pointing at the loop when a bound is not a constant.
    """
    ir = mlir.ir
    if loop.name == "affine.for":
        lower = _constant_map(loop.attributes["lowerBoundMap"])
        upper = _constant_map(loop.attributes["upperBoundMap"])
        step = ir.IntegerAttr(loop.attributes["step"]).value
    else:  # scf.for: lower, upper, step are SSA operands
        lower, upper, step = (_constant_value(v) for v in list(loop.operands)[:3])
    if lower is None or upper is None or not step:
        file, line, col = mlir.location_of(loop.location)
        raise UnifiedError(
            "the memory-port bound needs loops with constant bounds",
            Loc(file, line, col),
            hint="give this loop constant bounds (or leave the kernel out of the bound report)",
        )
    return max(0, math.ceil((upper - lower) / step))


# ---------------------------------------------------------------------------- helpers

_ACCESS_OPS = ("affine.load", "affine.store", "memref.load", "memref.store")
_LOOP_OPS = ("affine.for", "scf.for")


def _find_func(module: Any, name: str) -> Any:
    try:
        return mlir.function(module, name)
    except LookupError:
        raise UnifiedError(f"no function '@{name}' in the module", hint="check --func") from None



def _accesses(fn: Any) -> list[tuple[Any, int]]:
    """Every memory access op under `fn` with the product of its loops' trip counts."""
    found: list[tuple[Any, int]] = []

    def visit(op: Any, trips: int) -> None:
        for region in op.regions:
            for block in region.blocks:
                for child in block.operations:
                    child = child.operation
                    if child.name in _ACCESS_OPS:
                        found.append((child, trips))
                    inner = trips * trip_count(child) if child.name in _LOOP_OPS else trips
                    visit(child, inner)

    visit(fn, 1)
    return found


def _memory_names(fn: Any) -> dict[Any, str]:
    """Names every memref the function can touch: its arguments and its allocations."""
    names: dict[Any, str] = {}
    entry = fn.regions[0].blocks[0]
    for arg, where in zip(entry.arguments, layout_of(fn)):
        # a bank of a banked argument (hls-bank-memories) is a memory of its own
        names[_key(arg)] = (f"arg{where.arg}" + (f".copy{where.copy}" if where.copy else "")
                            + (f".bank{where.bank}" if where.factor > 1 else ""))
    count = 0

    def visit(op: Any) -> None:
        nonlocal count
        for region in op.regions:
            for block in region.blocks:
                for child in block.operations:
                    child = child.operation
                    if child.name in ("memref.alloc", "memref.alloca", "memref.get_global"):
                        names[_key(child.results[0])] = f"alloc{count}"
                        count += 1
                    visit(child)

    visit(fn)
    return names


def _key(value: Any) -> Any:
    """A hashable identity for an SSA value (bindings hand out fresh Python wrappers)."""
    return value if hasattr(value, "__hash__") and value.__hash__ is not None else id(value)


def _constant_map(attr: Any) -> int | None:
    ir = mlir.ir
    amap = ir.AffineMapAttr(attr).value
    if amap.n_inputs or len(amap.results) != 1:
        return None
    try:
        return ir.AffineConstantExpr(amap.results[0]).value
    except ValueError:  # not a constant expression
        return None


def _constant_value(value: Any) -> int | None:
    owner = value.owner
    if not hasattr(owner, "name") or owner.name != "arith.constant":
        return None
    return mlir.ir.IntegerAttr(owner.attributes["value"]).value


def _natural(name: str) -> tuple[str, int]:
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return head, int(tail) if tail else -1
