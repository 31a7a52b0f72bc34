"""`unified import MODEL.onnx`: the frontend as one short list of named stages.

    text = import_model("lenet.onnx")   # the unified module: kernels + @main, weights global

Every stage runs in the upstream-MLIR worker (torch-mlir's build); the IR levels are
`torch` (ONNX operators), `linalg` (tensors), `memref` (buffers, out-parameters), `affine`
(loops) and `unified` (with `@main`).
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from frontend import onnx_graph
from unified.core import cache
from unified.core.pipeline import Stage, run_stages
from unified.core.toolchain import Call, Pipeline

UINT8 = 2  # onnx.TensorProto.UINT8
LEVELS = ("torch", "linalg", "memref", "affine", "unified")

# ONNX operators -> torch -> linalg on tensors, torch-mlir's own two pipelines.
TO_LINALG = Pipeline("builtin.module(torch-onnx-to-torch-backend-pipeline, "
                     "torch-backend-to-linalg-on-tensors-backend-pipeline)")
# Tensors -> buffers with identity layouts at function boundaries; returned buffers become
# output arguments (the kernel writes straight into them, no copy when it can).
BUFFERIZE = Pipeline("builtin.module(one-shot-bufferize{bufferize-function-boundaries "
                     "function-boundary-type-conversion=identity-layout-map}, "
                     "buffer-results-to-out-params{hoist-static-allocs modify-public-functions}, "
                     "canonicalize)")
# linalg -> affine loops; loops of one iteration promoted, views folded into the indices.
TO_AFFINE = Pipeline("builtin.module(func.func(convert-linalg-to-affine-loops, "
                     "affine-loop-normalize{promote-single-iter}), fold-memref-alias-ops, "
                     "canonicalize, cse)")


def stages(graph: onnx_graph.Graph, targets: dict[str, str] | None = None) -> list[Stage]:
    """The frontend's stages for `graph` (its kernels already cut out as ONNX models);
    `targets` maps kernel functions to a forced `unified.target`."""
    types = {t.name: (list(t.shape), t.element) for k in graph.kernels
             for t in k.inputs + k.outputs}
    calls = [(k.name, k.nodes[0], "+".join(k.op_types), [t.name for t in k.inputs],
              [t.name for t in k.outputs]) for k in graph.kernels]
    main = {"inputs": [(t.name, list(t.shape), t.element) for t in graph.inputs],
            "outputs": [(t.name, list(t.shape), t.element) for t in graph.outputs],
            "kernels": calls, "types": types, "graph": graph.name, "targets": targets or {}}
    channels = {k.name: k.requant for k in graph.kernels if k.requant}
    unsigned = [k.name for k in graph.kernels if "MaxPool" in k.op_types
                and k.inputs[0].onnx_type == UINT8]
    return [
        # torch: one function per kernel, `torch.operator "onnx.Conv"` and friends
        Stage("torch", "mlir", (Call("frontend.import_onnx:import_kernels",
                                     {"models": [k.model for k in graph.kernels]}),)),
        # linalg: torch's ONNX and backend pipelines, tensors in linalg ops
        Stage("linalg", "mlir", (TO_LINALG,)),
        # memref: buffers, weights as memref.global constants, results as out-parameters
        Stage("memref", "mlir", (BUFFERIZE, Call("frontend.copies_to_loops:copies_to_linalg"))),
        # affine: loops, loads and stores (none through a view); f64 constants rounded to
        # the f32 they feed; uint8 max pooling unsigned; int8 requantization in fixed point
        # (per-channel multipliers, shifts and a Gemm's bias as arrays indexed by channel)
        Stage("affine", "mlir", (TO_AFFINE, Call("frontend.fold_subview_access:"
                                                 "fold_subview_access"),
                                 Call("frontend.fold_truncf:fold_truncf"),
                                 Call("frontend.unsigned_max_pool:unsigned_max_pool",
                                      {"kernels": unsigned}),
                                 Call("frontend.fixed_point_requant:requantize_fixed_point",
                                      {"channels": channels}),
                                 Pipeline("builtin.module(canonicalize)"))),
        # unified: @main takes the inputs then the outputs and calls the kernels in order,
        # passing the weights (globals) as trailing arguments; attributes the CIRCT
        # readers reject dropped
        Stage("unified", "mlir", (Call("frontend.build_main:build_main", main),
                                  Call("frontend.weights_as_arguments:weights_as_arguments"),
                                  Call("frontend.portable_attributes:drop_unportable"))),
    ]


def import_model(path: str | Path, *, stop_after: str | None = None,
                 dump_dir: Path | None = None, targets: dict[str, str] | None = None) -> str:
    """The unified module (text) for the ONNX model at `path`; located UnifiedErrors.

    `targets` forces a side per ONNX node name (or kernel name): {"conv2": "hw", ...}."""
    graph = onnx_graph.split(onnx_graph.load(path), str(path))
    forced = onnx_graph.kernel_targets(graph, targets or {}, str(path))
    return run_stages("module {}", stages(graph, forced), stop_after=stop_after,
                      dump_dir=dump_dir, name=Path(path).stem)


def import_cached(path: str | Path) -> Path:
    """The imported `.mlir` for `path`, cached by the model file's content and this code."""
    here = Path(__file__).resolve().parent
    key = cache.key(Path(path).read_bytes(), version("torch-mlir"), version("onnx"),
                    *(f.read_bytes() for f in sorted(here.glob("*.py"))))
    stem = Path(path).stem

    def build(folder: Path) -> None:
        (folder / f"{stem}.mlir").write_text(import_model(path))

    return cache.entry("onnx", key, build) / f"{stem}.mlir"
