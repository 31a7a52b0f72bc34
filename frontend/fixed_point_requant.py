"""Requantization in integers: `fptosi(clamp(roundeven(sitofp(acc) * M) + zp))` -> i64
multiply by a 31-bit multiplier, a rounding shift (ties to even), clamp, truncate.

torch's QLinearConv/QLinearMatMul lowerings accumulate in i32 and then requantize in f32
(scale products, `math.roundeven`). An integer kernel is what hardware and integer-only
CPUs want: M (the product of the scale constants) becomes M0 * 2^-s with
M0 < 2^31. Kernels holding the pattern first get their loop nests fused
(`affine-loop-fusion`, `affine-scalrep`) so the chain is one expression. M is the f32
value ONNX's own scale product gives (onnx.reference and onnxruntime round it to f32), held
exactly by M0 and s.

Per-channel layers (and QDQ Gemm's bias) come with their constants from the parent
(`frontend.channel_constants`): the kernel was imported with channel 0's scale, and here
every output channel c gets its own M0[c] and s[c] (and int32 bias[c], added to the
accumulator), held in `memref.global` arrays that the kernel loads at the output's channel
index, so the code stays integer-only.
"""

from __future__ import annotations

import math as pymath
from typing import Any

import numpy as np

from unified.core import mlir
from unified.core.errors import PassFailedError

CASTS = ("arith.fptosi", "arith.fptoui")


def _defining(value: Any, name: str) -> Any:
    """The op named `name` defining `value`, or None."""
    op = getattr(value.owner, "operation", None)
    return op if op is not None and op.name == name else None


def _constant(value: Any) -> float | None:
    op = _defining(value, "arith.constant")
    if op is None or not isinstance(op.attributes["value"], mlir.ir.FloatAttr):
        return None
    return mlir.ir.FloatAttr(op.attributes["value"]).value


def _match(cast: Any) -> tuple[Any, float, float, float, float] | None:
    """(the i32 accumulator, M, zero point, low, high) of a requantization chain ending in
    `cast`, or None when `cast` ends something else."""
    low_high = []
    value = cast.operands[0]
    for name in ("arith.minimumf", "arith.maximumf"):
        op = _defining(value, name)
        bound = _constant(op.operands[1]) if op is not None else None
        if bound is None:
            return None
        low_high.append(bound)
        value = op.operands[0]
    add = _defining(value, "arith.addf")
    zero = _constant(add.operands[1]) if add is not None else None
    rounded = _defining(add.operands[0], "math.roundeven") if add is not None else None
    if zero is None or rounded is None:
        return None
    scale, value = 1.0, rounded.operands[0]
    while True:
        op = getattr(value.owner, "operation", None)
        if op is None:
            return None
        if op.name == "arith.sitofp" and str(op.operands[0].type) == "i32":
            high, low = low_high
            return op.operands[0], scale, zero, low, high
        factor = _constant(op.operands[1]) if op.name in ("arith.mulf", "arith.divf") else None
        if not factor:
            return None
        # in f32, step by step, as ONNX computes x_scale * w_scale / y_scale
        scale = float(np.float32(scale) * np.float32(factor) if op.name == "arith.mulf"
                      else np.float32(scale) / np.float32(factor))
        value = op.operands[0]


def requantize_fixed_point(module: Any, channels: dict[str, dict] | None = None) -> int:
    """Rewrites every requantization chain in `module` (see the module docstring); returns
    how many. `channels` maps a kernel to its per-channel constants: {"axis": the output's
    channel dimension (-1: the last), "scales": M per channel or None, "bias": int32 per
    channel or None}; a kernel named there must hold a chain."""
    channels = channels or {}
    # twice: behind a padded input the first round leaves the scale's multiply and divide
    # in two nests
    round_ = "affine-loop-fusion{mode=producer}, affine-scalrep, canonicalize, cse"
    fuse = mlir.passmanager.PassManager.parse(f"func.func({round_}, {round_})")
    for op in mlir.walk(module.operation):
        if op.name == "func.func" and mlir.ops_named(op, "math.roundeven"):
            fuse.run(op)
    done, rewritten = 0, set()
    for fn in mlir.ops_named(module.operation, "func.func"):
        name = mlir.ir.StringAttr(fn.attributes["sym_name"]).value
        arrays: dict[str, Any] = {}
        for cast in mlir.ops_named(fn, *CASTS):
            found = _match(cast)
            if found is None or not 0 < found[1] < 2**31:
                continue
            if name in channels:
                _rewrite(cast, *found, _ChannelLoads(fn, name, channels[name], arrays, cast))
                rewritten.add(name)
            else:
                _rewrite(cast, *found)
            done += 1
    missing = sorted(set(channels) - rewritten)
    if missing:
        raise PassFailedError(f"kernel @{missing[0]} has per-channel requantization constants "
                              "but no requantization chain to put them in",
                              hint="report this model: torch-mlir lowered the layer in a form "
                              "the fixed-point rewrite does not know")
    if done:
        mlir.passmanager.PassManager.parse("builtin.module(canonicalize)").run(module.operation)
    return done


def _fixed_point(scale: float) -> tuple[int, int]:
    """(M0, s) with scale == M0 * 2^-s exactly for an f32 `scale` and M0 in [2^30, 2^31)
    (smaller only when s reaches 62)."""
    shift = min(62, 30 - pymath.frexp(scale)[1] + 1)
    return round(scale * 2.0**shift), shift


class _ChannelLoads:
    """Loads of one kernel's per-channel constants at the channel of the output element a
    chain computes; the `memref.global` arrays are made once per kernel (in `arrays`)."""

    def __init__(self, fn: Any, name: str, spec: dict, arrays: dict[str, Any], cast: Any):
        self.fn, self.name, self.spec, self.arrays = fn, name, spec, arrays
        self.map, self.operands = _channel_index(cast, spec["axis"], name)

    def load(self, what: str, values: list[int]) -> Any:
        """An i32 affine.load of array `what` (made from `values` on first use) at the channel."""
        ir = mlir.ir
        i32 = ir.IntegerType.get_signless(32)
        if what not in self.arrays:
            kind = ir.MemRefType.get([len(values)], i32)
            symbol = f"{self.name}_requant_{what}"
            with ir.InsertionPoint(self.fn), self.fn.location:
                mlir.dialect("memref").GlobalOp(
                    symbol, ir.TypeAttr.get(kind), sym_visibility="private", constant=True,
                    initial_value=ir.DenseElementsAttr.get(np.array(values, np.int32)))
            entry = self.fn.regions[0].blocks[0]
            with ir.InsertionPoint.at_block_begin(entry), self.fn.location:
                self.arrays[what] = mlir.dialect("memref").GetGlobalOp(kind, symbol).result
        return ir.Operation.create("affine.load", results=[i32],
                                   operands=[self.arrays[what], *self.operands],
                                   attributes={"map": ir.AffineMapAttr.get(self.map)},
                                   ip=ir.InsertionPoint.current).result


def _channel_index(cast: Any, axis: int, name: str) -> tuple[Any, list[Any]]:
    """(affine map, operands) giving the channel of the element that the affine.store of
    `cast`'s result writes (its index in dimension `axis`)."""
    ir = mlir.ir
    for use in cast.results[0].uses:
        store = use.owner
        if store.name == "affine.store" and use.operand_number == 0:
            full = ir.AffineMapAttr(store.attributes["map"]).value
            pick = axis if axis >= 0 else len(full.results) + axis
            return (ir.AffineMap.get(full.n_dims, full.n_symbols, [full.results[pick]]),
                    list(store.operands)[2:])
    raise PassFailedError(f"kernel @{name}: the requantized value is not stored straight "
                          "into the output, so its channel is unknown",
                          hint="report this model: the per-channel rewrite needs the store")


def _rewrite(cast: Any, acc: Any, scale: float, zero: float, low: float, high: float,
             channel: _ChannelLoads | None = None) -> None:
    """Replaces `cast`'s result with the integer requantization of `acc` by `scale` (or by
    the per-channel constants `channel` loads)."""
    ir = mlir.ir
    arith = mlir.dialect("arith")
    i64 = ir.IntegerType.get_signless(64)

    def const(v: int) -> Any:
        return arith.ConstantOp(i64, v).result

    with ir.InsertionPoint(cast), cast.location:
        if channel and channel.spec.get("bias"):
            # in i32, as ONNX adds the bias to the i32 accumulator
            acc = arith.AddIOp(acc, channel.load("bias", channel.spec["bias"])).result
        wide = arith.ExtSIOp(i64, acc).result
        scales = channel.spec.get("scales") if channel else None
        if scales:
            pairs = [_fixed_point(s) for s in scales]
            multiplier = arith.ExtSIOp(i64, channel.load("multiplier", [m for m, _ in pairs]))
            shift = arith.ExtSIOp(i64, channel.load("shift", [s for _, s in pairs])).result
            product = arith.MulIOp(wide, multiplier.result).result
            half = arith.ShLIOp(const(1), arith.SubIOp(shift, const(1)).result).result
            mask = arith.SubIOp(arith.ShLIOp(const(1), shift).result, const(1)).result
        else:
            m0, s = _fixed_point(scale)
            product = arith.MulIOp(wide, const(m0)).result
            shift, half, mask = const(s), const(1 << (s - 1)), const((1 << s) - 1)
        up = arith.ShRSIOp(arith.AddIOp(product, half).result, shift).result
        remainder = arith.AndIOp(product, mask).result
        tie = arith.CmpIOp(arith.CmpIPredicate.eq, remainder, half).result
        even = arith.AndIOp(up, const(-2)).result
        rounded = arith.SelectOp(tie, even, up).result
        shifted = arith.AddIOp(rounded, const(round(zero))).result
        clamped = arith.MinSIOp(arith.MaxSIOp(shifted, const(round(low))).result,
                                const(round(high))).result
        result = arith.TruncIOp(cast.results[0].type, clamped).result
    cast.results[0].replace_all_uses_with(result)
    cast.erase()
