"""What `unified serve` runs in its pool's child processes: a compile and a run of one function.

Both work only inside the job folder they are given and call the library, never a shell:
`compiler.compile_app` (its kernel cache shared with the CLI) and `simulate.run`.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np

SOURCE = "input.mlir"  # every job's module, pasted, uploaded, an example or imported ONNX
MODEL = "model.onnx"
MAX_CYCLES = 2_000_000  # a run in the page stops with an error after this many cycles


def compile_job(folder: str, options: dict[str, Any]) -> dict[str, Any]:
    """Compiles the job's module into out/, the IR of every stage into ir/ (with each hardware
    kernel's SystemVerilog as ir/KERNEL.sv); returns the report."""
    from unified.compiler import compile_app
    from unified.kernel_cache import compile_cached

    work = Path(folder)
    if (work / MODEL).is_file():  # a model: compile the unified module it imports to
        from unified.model_input import resolve

        shutil.copyfile(resolve(str(work / MODEL)), work / SOURCE)
    hls = _hls(options)
    report = compile_app(work / SOURCE, work / "out", partition=options["partition"],
                         opt_level=hls, vlen=options["vlen"], simulate=options["simulate"],
                         entry=options["entry"], dump_dir=work / "ir", progress=None)
    text = (work / SOURCE).read_text()
    for kernel in report["kernels"]:
        if (work / "ir" / f"{kernel}.sv.mlir").is_file():  # compiled: a cache hit
            art = compile_cached(text, kernel, opt_level=hls, path=str(work / SOURCE))
            (work / "ir" / f"{kernel}.sv").write_text(
                "".join(f"// ----- {name}\n{sv}\n" for name, sv in art.sv_files.items()))
    return report


def run_job(folder: str, run: str, func: str, target: str, options: dict[str, Any],
            seed: int) -> dict[str, Any]:
    """Runs @func of the job's module on `target` with run/inputs.npz when uploaded, else
    seeded random inputs; writes run/outputs.npz (and run/wave.vcd in hardware)."""
    from unified import simulate
    from unified.core import sim_io, source
    from unified.measure import sample_inputs

    work = Path(folder)
    out = work / "runs" / run
    src = source.read(work / SOURCE)
    uploaded = out / "inputs.npz"
    inputs = sim_io.load_inputs(uploaded) if uploaded.is_file() else sample_inputs(
        src.function(func), seed)
    vcd = out / "wave.vcd" if target == "hw" else None
    result = simulate.run(src, func, inputs, target, opt_level=_hls(options), vlen=options["vlen"],
                          vcd=str(vcd) if vcd else None, max_cycles=MAX_CYCLES,
                          entry=options["entry"])
    if not uploaded.is_file():
        sim_io.save_outputs(uploaded, inputs)
    sim_io.save_outputs(out / "outputs.npz", result.outputs)
    return {"report": json.loads(json.dumps(result.report, default=str)),
            "inputs": {k: _show(v) for k, v in sorted(inputs.items())},
            "outputs": {k: _show(v) for k, v in sorted(result.outputs.items())},
            "vcd": vcd is not None and vcd.is_file()}


def _hls(options: dict[str, Any]) -> Any:
    """The HlsOptions of -O, --unroll, --banks and --pipeline, checked as the CLI checks them."""
    from unified.options import hls_options

    return hls_options(argparse.Namespace(**options))


def _show(array: np.ndarray) -> str:
    a = np.asarray(array)
    return f"{a.dtype}{list(a.shape)} " + np.array2string(a, threshold=512, max_line_width=96)
