"""`unified serve` through Flask's test client: compile, IR levels, runs, comparisons, errors.

Figures are checked against numpy and against each other, on real tools (the MLIR/CIRCT
workers, Verilator); a kernel forced to hardware keeps every hardware level on its path.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

HW_LEVELS = ["affine", "scf", "calyx", "hw", "sv dialect", "SystemVerilog"]
BROKEN = "func.func @f(%a: memref<4xi32>) {\n  %x = arith.addi %a, %a : i32\n  return\n}\n"


def _npz(response) -> dict[str, np.ndarray]:
    with np.load(io.BytesIO(response.data), allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def test_compile_serves_every_ir_level_of_the_kernel(vadd_job) -> None:
    c, job = vadd_job
    kernel = job["report"]["kernels"]["vadd"]
    assert kernel["target"] == "hw" and kernel["reason"]
    assert [label for label, _ in job["ir"]["hw"]["vadd"]] == HW_LEVELS
    assert [label for label, _ in job["ir"]["sw"]] == ["vector", "llvm dialect", "LLVM IR",
                                                       "RVV assembly"]
    texts = {label: c.get(f"/api/jobs/{job['job']}/ir/{name}").get_data(as_text=True)
             for label, name in job["ir"]["hw"]["vadd"] + job["ir"]["sw"]}
    assert "affine.for" in texts["affine"] and "calyx.component" in texts["calyx"]
    assert re.search(r"^module vadd\(", texts["SystemVerilog"], re.MULTILINE)
    assert re.search(r"loc\(\"-\":3:\d+\)", texts["affine"])  # locations lead back to the source
    # in hardware, the software module only declares it (the C driver defines it)
    assert re.search(r"func\.func private @vadd\(", texts["vector"])
    assert job["source"].startswith("func.func @vadd")


def test_run_in_verilator_matches_numpy_and_has_a_waveform(vadd_job) -> None:
    c, job = vadd_job
    r = c.post(f"/api/jobs/{job['job']}/run", data={"func": "vadd", "target": "hw", "seed": "7",
                                                    "partition": "hw"})
    assert r.status_code == 200, r.json
    assert r.json["report"]["cycles"] > 0 and r.json["vcd"]
    base = f"/api/jobs/{job['job']}/runs/{r.json['run']}"
    inputs, outputs = _npz(c.get(f"{base}/inputs.npz")), _npz(c.get(f"{base}/outputs.npz"))
    np.testing.assert_array_equal(outputs["arg2"], inputs["arg0"] + inputs["arg1"])
    vcd = c.get(f"{base}/wave.vcd").get_data(as_text=True)
    assert "$enddefinitions" in vcd and re.search(r"\$var wire 1 \S+ done \$end", vcd)


def test_run_uses_uploaded_inputs_on_the_host(vadd_job) -> None:
    c, job = vadd_job
    a, b = np.arange(8, dtype=np.int32), np.full(8, 100, dtype=np.int32)
    buf = io.BytesIO()
    np.savez(buf, arg0=a, arg1=b, arg2=np.zeros(8, np.int32))
    r = c.post(f"/api/jobs/{job['job']}/run", data={
        "func": "vadd", "target": "sw", "inputs": (io.BytesIO(buf.getvalue()), "in.npz")})
    assert r.status_code == 200, r.json
    assert r.json["outputs"]["arg2"] == "int32[8] [100 101 102 103 104 105 106 107]"
    assert not r.json["vcd"]


def test_compare_two_option_sets(client) -> None:
    r = client.post("/api/compare", data={"example": "kernels/vadd.mlir", "simulate": "0",
                                          "a_opt_level": "0", "a_partition": "hw",
                                          "b_opt_level": "3", "b_partition": "hw"})
    assert r.status_code == 200, r.json
    a, b = (r.json[s]["report"]["kernels"]["vadd"] for s in "ab")
    assert r.json["a"]["job"] != r.json["b"]["job"]
    assert a["cycles"] > b["cycles"]  # -O3 unrolls the loop and banks the memories
    assert r.json["diff"].startswith("--- A/vadd.sv\n+++ B/vadd.sv\n")


def test_broken_module_gives_its_location(client) -> None:
    r = client.post("/api/compile", data={"source": BROKEN})
    assert r.status_code == 422
    error = r.json["error"]
    assert (error["file"], error["line"], error["col"]) == ("input.mlir", 2, 19)
    assert re.fullmatch(r"input\.mlir:2:19: error: use of value '%a' expects different type "
                        r"than prior uses: 'i32' vs 'memref<4xi32>'\ninput\.mlir:1:14: note: "
                        r"prior use here — fix the MLIR syntax at that place", error["text"])


def test_uploaded_module_error_names_the_file(client) -> None:
    r = client.post("/api/compile", data={"module": (io.BytesIO(BROKEN.encode()), "mine.mlir")})
    assert r.status_code == 422 and r.json["error"]["text"].startswith("mine.mlir:2:19: error:")


def test_unknown_function_in_a_run_is_located(vadd_job) -> None:
    c, job = vadd_job
    r = c.post(f"/api/jobs/{job['job']}/run", data={"func": "nope", "target": "sw"})
    assert r.status_code == 422
    assert re.fullmatch(r"kernels/vadd\.mlir:1:1: error: no function @nope in this module — "
                        r"functions here: @vadd", r.json["error"]["text"])


@pytest.mark.parametrize(("field", "value", "message"), [
    ("opt_level", "7", r"opt_level '7' is not an integer from 0 to 3"),
    ("partition", "fpga", r"partition 'fpga' is not one of auto, hw, sw"),
    ("vlen", "100", r"vlen '100' is not one of 64, 128, 256, 512, 1024"),
    ("entry", "main()", r"entry 'main\(\)' is not a function name"),
])
def test_bad_option_is_refused_before_any_job(client, field, value, message) -> None:
    r = client.post("/api/compile", data={"example": "kernels/vadd.mlir", field: value})
    assert r.status_code == 400
    assert re.fullmatch("error: " + message + r" — choose .*", r.json["error"]["text"])


def test_uploaded_onnx_model_is_imported_compiled_and_run(client) -> None:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"], name="relu0")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    r = client.post("/api/compile", data={
        "module": (io.BytesIO(model.SerializeToString()), "tiny.onnx"), "simulate": "0"})
    assert r.status_code == 200, r.json
    assert r.json["name"] == "tiny.onnx"
    assert r.json["report"]["kernels"]["relu0"]["onnx_op"] == "Relu"
    assert "func.func @relu0(" in r.json["source"]  # the imported unified module is shown
    run = client.post(f"/api/jobs/{r.json['job']}/run", data={"func": "relu0", "target": "sw"})
    assert run.status_code == 200, run.json
    base = f"/api/jobs/{r.json['job']}/runs/{run.json['run']}"
    x = _npz(client.get(f"{base}/inputs.npz"))["arg0"]
    np.testing.assert_array_equal(_npz(client.get(f"{base}/outputs.npz"))["arg1"],
                                  np.maximum(x, 0))
