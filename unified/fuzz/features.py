"""What generated kernels may hold: `Features`, and the named profiles ("basic", "full")."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from unified.fuzz.desc import BIN_OPS, INT_TYPES, PREDICATES

DIV_OPS = ("divsi", "divui", "remsi", "remui", "ceildivsi", "floordivsi")
SHIFT_OPS = ("shli", "shrsi", "shrui")
MINMAX_OPS = ("minsi", "maxsi", "minui", "maxui")
PLAIN_OPS = ("addi", "subi", "muli", "andi", "ori", "xori")
REDUCE_OPS = ("addi", "subi", "muli", "xori", "ori", "andi", "maxsi", "minui")


@dataclasses.dataclass(frozen=True)
class Features:
    """What a generated kernel may contain (a narrower profile for a target that rejects some)."""

    types: tuple[str, ...] = INT_TYPES  # element and value types
    ops: tuple[str, ...] = BIN_OPS  # arith binary ops
    predicates: tuple[str, ...] = PREDICATES
    casts: bool = True  # extsi/extui/trunci between the types
    index_cast: bool = True  # loop variables as values
    scalars: bool = True  # integer scalar arguments
    calls: bool = True  # func.call of a helper function
    scf_if: bool = True
    affine_if: bool = True
    iter_args: bool = True  # reductions through affine.for iter_args
    allocs: bool = True  # memref.alloc'd local buffers
    steps: bool = True  # loop steps > 1 and lower bounds > 0
    negative_strides: bool = True  # accesses like a[7 - i]
    pad_shapes: bool = True  # memref arguments larger than their accesses need
    max_iterations: int = 500
    max_elements: int = 2048  # per memref

    def without(self, names: Iterable[str]) -> Features:
        """The same features with the named boolean ones (or op names) turned off."""
        flags = {n: False for n in names if n in self.__dataclass_fields__}
        ops = tuple(o for o in self.ops if o not in set(names))
        return dataclasses.replace(self, ops=ops, **flags)


PROFILES = {
    "full": Features(),
    "basic": Features(types=("i32",), ops=PLAIN_OPS + SHIFT_OPS + ("minsi", "maxsi"),
                      casts=False, calls=False, scf_if=False, affine_if=False, iter_args=False,
                      allocs=False, steps=False, negative_strides=False, pad_shapes=False),
}


def features(profile: str = "full", without: Iterable[str] = ()) -> Features:
    """The features of a named profile ("basic" or "full"), minus those in `without`."""
    return PROFILES[profile].without(list(without))
