"""What generated kernels may hold: `Features`, and the named profiles ("basic", "full",
"float", "layers")."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from unified.fuzz.desc import BIN_OPS, FLOAT_PREDICATES, INT_TYPES, PREDICATES

DIV_OPS = ("divsi", "divui", "remsi", "remui", "ceildivsi", "floordivsi")
SHIFT_OPS = ("shli", "shrsi", "shrui")
MINMAX_OPS = ("minsi", "maxsi", "minui", "maxui")
PLAIN_OPS = ("addi", "subi", "muli", "andi", "ori", "xori")
REDUCE_OPS = ("addi", "subi", "muli", "xori", "ori", "andi", "maxsi", "minui")
# f32 ops every target builds exactly. Not maxnumf/minnumf: LLVM's maxnum may return either
# zero of +0/-0, the hardware unit orders -0 below +0, so their result is not one value.
FLOAT_BIN_OPS = ("addf", "subf", "mulf", "divf", "maximumf", "minimumf")
FLOAT_UNARY_OPS = ("negf", "absf")
FLOAT_OPS = FLOAT_BIN_OPS + FLOAT_UNARY_OPS
FLOAT_REDUCE_OPS = ("addf", "subf", "mulf", "maximumf", "minimumf")


@dataclasses.dataclass(frozen=True)
class Features:
    """What a generated kernel may contain (a narrower profile for a target that rejects some).

    With "f32" among `types`, kernels hold f32 memrefs and values (scalar arguments stay
    integers: the hardware interface takes no f32 scalar), the float ops in `ops` and the
    cmpf predicates in `predicates`, and convert between f32 and the integer types."""

    types: tuple[str, ...] = INT_TYPES  # element and value types
    ops: tuple[str, ...] = BIN_OPS  # arith binary ops (and negf/absf)
    predicates: tuple[str, ...] = PREDICATES  # cmpi (and cmpf) predicates
    casts: bool = True  # extsi/extui/trunci between the types (and int <-> f32)
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
    # f32 kernels only: no mulf result reaches an addf/subf, and no addf/mulf iter_args
    # reduction (the software flow contracts mul-add into FMA and vectorizes such
    # reductions out of order, so their results are not the step-by-step IEEE ones)
    exact_sw: bool = True
    # the kernel's first nest is a layer: a perfect nest (2-4 loops, trip counts that powers
    # of two divide) around one memory reduction, as a gemm or a convolution
    layers: bool = False
    max_iterations: int = 500
    max_elements: int = 2048  # per memref

    def without(self, names: Iterable[str]) -> Features:
        """The same features with the named boolean ones (or op names) turned off."""
        flags = {n: False for n in names if n in self.__dataclass_fields__}
        ops = tuple(o for o in self.ops if o not in set(names))
        return dataclasses.replace(self, ops=ops, **flags)

    @property
    def floats(self) -> bool:
        """Whether kernels hold f32 values."""
        return "f32" in self.types


PROFILES = {
    "full": Features(),
    "basic": Features(types=("i32",), ops=PLAIN_OPS + SHIFT_OPS + ("minsi", "maxsi"),
                      casts=False, calls=False, scf_if=False, affine_if=False, iter_args=False,
                      allocs=False, steps=False, negative_strides=False, pad_shapes=False),
    "float": Features(types=("f32", "i32", "i64", "i16", "i8"),
                      ops=PLAIN_OPS + ("minsi", "maxsi") + FLOAT_BIN_OPS + FLOAT_UNARY_OPS,
                      predicates=PREDICATES + FLOAT_PREDICATES),
    # layers as long as -O3 jams them (hls-jam-outputs: 4096 iterations and up)
    "layers": Features(layers=True, max_iterations=24000, max_elements=8192),
}


def features(profile: str = "full", without: Iterable[str] = ()) -> Features:
    """The features of a named profile ("basic", "full", "float" or "layers"), minus those in
    `without`."""
    return PROFILES[profile].without(list(without))
