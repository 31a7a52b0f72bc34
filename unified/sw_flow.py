"""The software flow: kernels at the affine level -> vector -> LLVM dialect -> objects.

    art = compile_sw(text, functions=["matmul"], vlen=128, target="rvv")
    write_sw(art, "OUT/sw")        # OUT/sw/<module>.ll, <module>.rvv.o, <module>.h
"""

from __future__ import annotations

from pathlib import Path

from partition.ir_profile import ModuleProfile
from sw_dialects import codegen
from sw_dialects.artifacts import SwArtifacts
from sw_dialects.header import header
from unified.core.errors import ParseError, UnifiedError
from unified.core.kernels import Function
from unified.core.pipeline import Stage, run_stages
from unified.core.toolchain import Call, Pass, Pipeline, worker

# Affine/vector/memref/arith/func/cf -> LLVM dialect, the upstream `convert-*-to-llvm` set.
LOWER_TO_LLVM = Pipeline(
    "builtin.module(lower-affine, func.func(convert-vector-to-scf), convert-scf-to-cf, "
    "convert-vector-to-llvm, expand-strided-metadata, lower-affine, finalize-memref-to-llvm, "
    "convert-math-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, "
    "convert-cf-to-llvm, convert-ub-to-llvm, reconcile-unrealized-casts, canonicalize)")

# Vector registers grouped per value (LMUL); 0 lets the vectorizer choose 8 or 4 per kernel.
LMUL = 0
TILE = 0  # affine-loop-tile's tile size (in vector steps) after the vectorizer; 0: untiled
LEVELS = ("affine", "vector", "llvm", "object")  # what --stop-after / --start-at accept
TARGETS = ("rvv", "rv64gc", "host")
# The core whose pipeline LLVM schedules rvv code for (the ISA stays generic rv64gcv)
TUNE_CPU = "sifive-x280"


def stages(functions: list[str] | None, vlen: int, vectorize: bool, lmul: int = LMUL,
           parser: str = "pycde", tile: int = TILE, tune: str = "") -> list[Stage]:
    """The flow as stages keyed by the IR level each one produces (`parser`: the build that
    reads the input: pycde for modules with hw.modules, mlir for software-only dialects;
    `tile`: the tile size of loop nests whose iterations are independent, applied once
    vectorized, 0 for none; `tune`: the CPU whose pipeline LLVM schedules for, "" generic)."""
    lanes = {"vlen": str(vlen), "lmul": str(lmul)}
    marking = (Pass("sw-mark-tileable", {"tile-size": str(tile)}),) if tile else ()
    tiling = (Pass("sw-tile-loops"),) if tile else ()
    vector_steps = (Pass("sw-split-remainder", lanes), Pass("sw-vectorize", lanes),
                    Pass("sw-vectorize-strided", lanes),
                    Pass("sw-transfers-in-bounds"), Pass("sw-broadcast-reads"),
                    Pass("sw-unroll-short-loops"),
                    # for the X280 (tune), loop overhead issues beside the vector unit, and
                    # unrolling a reduction only lets LLVM re-associate it into a tree
                    *(() if tune else (Pass("sw-unroll-light-loops"),)),
                    # in-order issue behind segment loads that do not chain: each load one
                    # load ahead of its uses (rvv only; the host reorders by itself)
                    *((Pass("sw-pipeline-segment-loads"),) if tune else ()),
                    Pass("sw-split-accumulators", {"vlen": str(vlen)}),
                    Pass("sw-sum-from-first")) if vectorize else ()
    return [
        # affine: the chosen kernels and their callees; hw.modules dropped
        Stage("affine", parser, (Call("sw_dialects.select:keep_functions", {"functions": functions}),)),
        # vector: C interface, short loops unrolled, tiling, VLEN-sized vectors + a masked tail, FMA
        Stage("vector", "mlir", (Pass("sw-emit-c-interface"), Pass("sw-unroll-short-loops"),
                                 Pipeline("builtin.module(canonicalize)"), *marking,
                                 *vector_steps, *tiling, Pass("sw-contract-float"),
                                 Pipeline("builtin.module(canonicalize, cse)"))),
        # llvm: the LLVM dialect; memref arguments noalias, f32 constants as exact bit patterns,
        # segment loads' addresses first, scheduled for the `tune` core's latencies
        Stage("llvm", "mlir", (LOWER_TO_LLVM, Pass("sw-noalias-memrefs"),
                               Pass("sw-float-constants-as-bits"),
                               *((Pass("sw-hoist-segment-addresses"),
                                  Pass("sw-tune-cpu", {"cpu": tune})) if tune else ()))),
    ]


def compile_sw(text: str, *, functions: list[str] | None = None, vlen: int = 128,
               target: str = "rvv", path: str = "<input>", dump_dir: str | Path | None = None,
               stop_after: str | None = None, start_at: str | None = None,
               module: str = "kernels", lmul: int = LMUL, tile: int = TILE) -> SwArtifacts:
    """Compiles the func.func kernels of `text` (those in `functions` and their callees, or all).

    `target` is `rvv` (rv64gcv, lp64d), `rv64gc` (scalar) or `host`; the object for it lands
    in `objects[target]`. With `stop_after` before `object`, `llvm_ir` is empty and
    `ir` holds the levels reached. `tile` > 0 tiles the vectorized loop nests by that size.
    """
    if target not in TARGETS:
        raise UnifiedError(f"unknown software target '{target}'", hint=f"use one of: {', '.join(TARGETS)}")
    if vlen < 64 or vlen & (vlen - 1):
        raise UnifiedError(f"VLEN {vlen} is not a power of two of at least 64",
                           hint="pass --vlen 128 (or 256, 512, ...)")
    dump = Path(dump_dir) if dump_dir else None
    reached: list[str] = []
    try:
        parser, kept = _kept_functions(text, functions, start_at)
        flow = stages(functions, vlen, vectorize=target != "rv64gc", lmul=lmul, parser=parser,
                      tile=tile, tune=TUNE_CPU if target == "rvv" else "")
        last = run_stages(text, flow, start_at=start_at, dump_dir=dump, name=module,
                          stop_after=None if stop_after == "object" else stop_after,
                          progress=reached.append)
    except UnifiedError as e:
        raise e.with_file(path) from None
    art = SwArtifacts(module, "", {}, "", kept, vlen)
    art.ir[reached[-1] if reached else (start_at or "input")] = last
    if stop_after is not None and stop_after != "object":
        return art
    # object: LLVM IR out of MLIR, then llvmlite's -O3 and code generation for the target
    art.llvm_ir = worker("mlir").call(last, "sw_dialects.translate:to_llvm_ir")
    art.objects[target] = codegen.emit_object(art.llvm_ir, codegen.target(target, vlen))
    art.header = header(art.functions, guard=f"UNIFIED_SW_{module.upper()}_H")
    if dump is not None:
        (dump / f"{module}.ll").write_text(art.llvm_ir)
        assembly = codegen.emit_assembly(art.llvm_ir, codegen.target(target, vlen))
        (dump / f"{module}.{target}.s").write_text(assembly)
    return art


def _kept_functions(text: str, functions: list[str] | None, start_at: str | None,
                    ) -> tuple[str, list[Function]]:
    """The build that parses `text`, and the signatures of the functions the flow keeps (the
    chosen ones and their callees)."""
    if start_at == "llvm":
        return "mlir", []
    parser = "mlir"
    try:
        info = worker(parser).call(text, "unified.core.kernels:describe")
    except ParseError:
        if start_at not in (None, "input"):
            raise
        parser = "pycde"  # hw.modules (CIRCT dialects) next to the kernels
        info = worker(parser).call(text, "unified.core.kernels:describe")
    wanted = list(info.functions) if functions is None else list(functions)
    for name in wanted:
        if name not in info.functions:
            have = ", ".join(f"@{n}" for n in info.functions) or "none"
            raise UnifiedError(f"no function @{name} in this module", hint=f"functions here: {have}")
    keep: list[str] = []
    while wanted:
        name = wanted.pop(0)
        if name in info.functions and name not in keep:
            keep.append(name)
            wanted += list(info.functions[name].callees)
    return parser, [fn for name, fn in info.functions.items() if name in keep and not fn.declaration]


def write_sw(art: SwArtifacts, out_dir: str | Path) -> list[Path]:
    """Writes `<module>.ll`, `<module>.<target>.o` per object and `<module>.h` into out_dir."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"{art.module}.ll", out / f"{art.module}.h"]
    written[0].write_text(art.llvm_ir)
    written[1].write_text(art.header)
    for name, data in art.objects.items():
        obj = out / f"{art.module}.{name}.o"
        obj.write_bytes(data)
        written.append(obj)
    return written


def software_profile(text: str, *, vlen: int, path: str = "<input>", module: str = "app"
                     ) -> tuple[ModuleProfile, str]:
    """The operation mix of the code the CPU will run: the whole module through the software
    flow up to its `vector` level (vectorized, short loops unrolled), profiled; and that IR."""
    art = compile_sw(text, vlen=vlen, target="rvv", path=path, stop_after="vector",
                     module=module)
    vector = art.ir["vector"]
    return worker("mlir").call(vector, "partition.ir_profile:profile"), vector
