"""The int8 LeNet-5 co-compiled with a mixed placement, checked byte for byte.

    .venv/bin/python examples/models/lenet5_int8_mixed.py [OUT_DIR] [--compile] [--per-channel]

Builds `lenet5_int8.onnx` (seeded, build_models.py), imports it with conv2 and pool2 forced
to hardware and the other layers to software (left to the cost model, conv1 and fc1 go to
hardware too and their scratchpads overflow the platform's 64 KiB window), co-simulates
`@main` (software on the host, the hardware layers in Verilator behind the C driver, their
weights filled into scratchpads by the driver) and compares the 10 output bytes with
`onnx.reference`. With `--compile` it also writes `unified compile`'s build and report; with
`--per-channel` the weights are quantized per output channel. OUT_DIR defaults to
build/lenet5_int8.
Each command is printed before it runs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import build_models
import numpy as np
import onnx
from onnx.reference import ReferenceEvaluator

UNIFIED = str(Path(sys.executable).parent / "unified")
HW, SW = "conv2,pool2", "conv1,pool1,fc1,fc2,fc3"


def run(*args: str | Path) -> None:
    """Runs `unified ARGS...`, echoing the command; exits with its code when it fails."""
    cmd = [UNIFIED, *map(str, args)]
    print("$ " + " ".join(["unified", *cmd[1:]]), flush=True)
    code = subprocess.call(cmd)
    if code:
        sys.exit(code)


def main(argv: list[str]) -> int:
    """Builds, imports, co-simulates (and with --compile compiles) the model into OUT_DIR."""
    folders = [a for a in argv if not a.startswith("--")]
    out = Path(folders[0] if folders else "build/lenet5_int8")
    out.mkdir(parents=True, exist_ok=True)
    model = build_models.lenet5_int8(per_channel="--per-channel" in argv)
    onnx.save(model, str(out / "lenet5_int8.onnx"))
    image = np.random.default_rng(1).integers(0, 256, (1, 1, 32, 32)).astype(np.uint8)
    np.savez(out / "in.npz", arg0=image.view(np.int8), arg1=np.zeros((1, 10), np.int8))
    run("import", out / "lenet5_int8.onnx", "-o", out / "lenet5_int8.mlir", "--hw", HW, "--sw", SW)
    run("sim", out / "lenet5_int8.mlir", "--func", "main", "--target", "auto",
        "--inputs", out / "in.npz", "--outputs", out / "out.npz", "--report", out / "sim.json")
    if "--compile" in argv:
        run("compile", out / "lenet5_int8.mlir", "-o", out / "build")
    (want,) = ReferenceEvaluator(model).run(None, {"image": image})
    got = np.load(out / "out.npz")["arg1"].view(np.uint8)
    print(f"onnx.reference: {want.ravel().tolist()}\nco-simulated:   {got.ravel().tolist()}")
    wrong = int((got != want).sum())
    print(f"{wrong} of {want.size} output bytes differ")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
