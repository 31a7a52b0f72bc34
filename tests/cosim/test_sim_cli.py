"""`unified sim --target auto` on an application whose kernel is hand-written RTL."""

from __future__ import annotations

import json

import numpy as np
from cosim_cases import DOUBLE, need


def test_sim_auto_runs_the_hand_written_core(tmp_path, run_script):
    need("verilator", "cc", "objcopy")
    values = np.array([5, -6, 7, 123456], np.int32)
    np.savez(tmp_path / "in.npz", arg0=values, arg1=np.zeros(4, np.int32))
    proc = run_script("unified", "sim", DOUBLE, "--func", "main", "--target", "auto",
                      "--inputs", tmp_path / "in.npz", "--outputs", tmp_path / "out.npz",
                      "--report", tmp_path / "r.json", timeout=1200)
    assert proc.returncode == 0, proc.stderr
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_array_equal(out["arg1"], 2 * values)
        np.testing.assert_array_equal(out["arg0"], values)
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["target"] == "auto"
    assert report["placement"] == {"double": "hw"}
    kernel = report["kernels"]["double"]
    assert (kernel["cycles"], kernel["runs"], kernel["writes"]) == (4, 1, 4 + 4 + 1)
    assert kernel["reads"] == report["bus_reads"]  # the only accelerator on the bus
    assert kernel["bus_cycles"] == report["bus_cycles"] > kernel["cycles"]
    assert report["cycles"] == 4
    assert report["bus_writes"] == 4 + 4 + 1
    assert report["bus_reads"] == 4 + 4 + report["poll_reads"]


def test_sim_auto_rejects_misshapen_inputs(tmp_path, run_script):
    np.savez(tmp_path / "in.npz", arg0=np.zeros(3, np.int32), arg1=np.zeros(4, np.int32))
    proc = run_script("unified", "sim", DOUBLE, "--func", "main", "--target", "auto",
                      "--inputs", tmp_path / "in.npz")
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"{DOUBLE}:") and "Traceback" not in proc.stderr
    assert "input 'arg0' of @main has shape (3,), the argument needs (4,)" in proc.stderr


def test_scalar_argument_and_a_kernel_called_twice():
    """The scalar register (arg0 before the memrefs) and two runs of one accelerator."""
    need("verilator", "cc", "objcopy")
    from cosim_cases import AXPY

    from unified import cosim
    from unified.core import sim_io, source

    src = source.read(AXPY)
    a, x, y = np.int32(-3), np.arange(8, dtype=np.int32) - 4, np.arange(8, dtype=np.int32) * 5
    inputs = sim_io.check_inputs(src.function("main"), {"arg0": np.array(a), "arg1": x,
                                                        "arg2": y}, src.path)
    result = cosim.simulate(src, "main", inputs)
    y1 = a * x + y
    np.testing.assert_array_equal(result.outputs["arg2"], a * (y1 * y1) + y1)
    report = result.report
    assert report["kernels"]["axpy"]["runs"] == 2 and report["kernels"]["square"]["runs"] == 1
    # axpy: 8 + 8 words in, one scalar word, start; twice. square: 8 + 8 words in, start.
    # Back: the memref each writes (8 words), not the one it only loads.
    assert report["bus_writes"] == 2 * (16 + 1 + 1) + (16 + 1)
    assert report["bus_reads"] == 2 * 8 + 8 + report["poll_reads"]


def test_cycle_limit_is_a_located_error(tmp_path, run_script):
    need("verilator", "cc", "objcopy")
    np.savez(tmp_path / "in.npz", arg0=np.arange(4, dtype=np.int32), arg1=np.zeros(4, np.int32))
    proc = run_script("unified", "sim", DOUBLE, "--func", "main", "--target", "auto",
                      "--inputs", tmp_path / "in.npz", "--max-cycles", "20", timeout=1200)
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        f"{DOUBLE}:31:3: error: the co-simulation of @main ran 20 cycles without finishing "
        "— raise --max-cycles, or check the kernel's loop bounds")


def test_narrow_elements_cross_the_bus_one_per_word(tmp_path, run_script):
    need("verilator", "cc", "objcopy")
    values = np.array([1, -2, 300, -32768], np.int16)
    np.savez(tmp_path / "in.npz", arg0=values, arg1=np.zeros(4, np.int16))
    app = DOUBLE.parent / "neg_i16.mlir"
    proc = run_script("unified", "sim", app, "--func", "main", "--target", "auto", "--inputs",
                      tmp_path / "in.npz", "--outputs", tmp_path / "out.npz", "--report",
                      tmp_path / "r.json", timeout=1200)
    assert proc.returncode == 0, proc.stderr
    with np.load(tmp_path / "out.npz") as out:
        np.testing.assert_array_equal(out["arg1"], (-values.astype(np.int32)).astype(np.int16))
    report = json.loads((tmp_path / "r.json").read_text())
    assert report["bus_writes"] == 4 + 4 + 1
