"""ONNX's own node test cases, imported with `unified import` and run on the host and RVV.

A representative subset of bench/onnx_cases.py (which runs every case of the frontend's
operators): each case's outputs must match ONNX's expected ones within the case's rtol and
atol (1e-3 and 1e-7, as onnx's backend runner checks them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import onnx_cases

HOST_CASES = [
    "test_add_bcast", "test_sub_bcast", "test_mul_bcast", "test_div_bcast", "test_relu",
    "test_leakyrelu", "test_clip_splitbounds", "test_sigmoid", "test_tanh",
    "test_basic_conv_with_padding", "test_conv_with_strides_and_asymmetric_padding",
    "test_conv_with_autopad_same", "test_gemm_all_attributes", "test_gemm_transposeA",
    "test_gemm_default_vector_bias", "test_matmul_2d", "test_matmul_bcast", "test_matmul_4d",
    "test_maxpool_2d_pads", "test_maxpool_2d_dilations", "test_maxpool_2d_ceil",
    "test_averagepool_2d_pads_count_include_pad", "test_averagepool_2d_strides",
    "test_globalaveragepool", "test_batchnorm_epsilon", "test_flatten_axis2",
    "test_reshape_negative_extended_dims", "test_reshape_zero_dim",
    "test_transpose_all_permutations_4", "test_concat_3d_axis_negative_2",
    "test_softmax_axis_1", "test_softmax_large_number",
    # int8 (torch-mlir's quantized lowerings)
    "test_quantizelinear", "test_dequantizelinear", "test_qlinearconv",
    "test_qlinearmatmul_2D_int8_float32", "test_matmulinteger", "test_convinteger_without_padding",
]
RVV_CASES = ["test_basic_conv_with_padding", "test_gemm_all_attributes", "test_softmax_axis_1",
             "test_maxpool_2d_pads", "test_matmulinteger", "test_qlinearconv"]


@cache
def _cases() -> dict[str, Any]:
    return {c.name: c for c in onnx_cases.node_cases()}


def _check(name: str, folder: Path, target: str) -> None:
    outcome = onnx_cases.run_case(_cases()[name], folder, target)
    assert outcome.status == "pass", f"{name}: {outcome.status}: {outcome.detail}"


def test_subset_covers_every_operator() -> None:
    """Each operator the frontend lowers has at least one case in the host subset."""
    tested = {onnx_cases.op_of(_cases()[n]) for n in HOST_CASES}
    assert tested == set(onnx_cases.OPS)


@pytest.mark.parametrize("name", HOST_CASES)
def test_case_on_host(name: str, tmp_path: Path) -> None:
    """The case's outputs, computed on the host, within onnx's tolerances."""
    _check(name, tmp_path, "sw")


@pytest.mark.parametrize("name", RVV_CASES)
def test_case_under_qemu(name: str, tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    """The case's outputs, computed by the rv64gcv code under qemu, within onnx's tolerances."""
    require_tool("qemu-riscv64")
    require_tool("riscv64-gcc")
    _check(name, tmp_path, "rvv")


def test_left_out_cases_say_why() -> None:
    """Cases outside the float32 frontend are skipped with their reason, not run."""
    cases = _cases()
    assert onnx_cases.skip_reason(cases["test_add_int16"]) == "int16 tensors"
    assert onnx_cases.skip_reason(cases["test_batchnorm_example_training_mode"]) == (
        "training mode (running mean/variance outputs)")
    assert onnx_cases.skip_reason(cases["test_basic_conv_with_padding"]) == ""
