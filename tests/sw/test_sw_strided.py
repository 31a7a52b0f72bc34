"""Strided accesses vectorized as constant-stride gathers (sw-vectorize-strided), on the
host and under qemu (RVV, where they become vlse), against numpy, bit for bit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from sw_dialects import codegen
from unified.core import source
from unified.sw_flow import compile_sw
from unified.sw_run import simulate

KERNELS = Path(__file__).parent / "inputs" / "strided.mlir"

Case = tuple[dict[str, np.ndarray], Callable[[dict[str, np.ndarray]], dict[str, np.ndarray]]]


def _case(name: str, rng: np.random.Generator) -> Case:
    ints = lambda *shape: rng.integers(-99, 99, shape).astype(np.int32)
    if name == "maxpool_f32":
        def pool(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            x = i["arg0"]
            return {"arg1": np.maximum(np.maximum(x[0::2, 0::2], x[0::2, 1::2]),
                                       np.maximum(x[1::2, 0::2], x[1::2, 1::2]))}
        return {"arg0": rng.standard_normal((16, 16)).astype(np.float32),
                "arg1": np.zeros((8, 8), np.float32)}, pool
    if name == "stride3_i32":
        def stride3(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            out = i["arg3"].copy()
            out[1:38] = i["arg0"][2::3] * i["arg2"][0] - i["arg1"]
            return {"arg3": out}
        return {"arg0": ints(111), "arg1": ints(37), "arg2": ints(1), "arg3": ints(40)}, stride3
    if name == "pool_chain_f32":
        def chain(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
            x, out = i["arg0"], i["arg1"]
            for kr in (0, 1):
                for kc in (0, 1):
                    out = np.maximum(out, x[kr::2, kc::2])
            return {"arg1": out}
        return {"arg0": rng.standard_normal((4, 16)).astype(np.float32),
                "arg1": np.full((2, 8), -np.inf, np.float32)}, chain

    def update(i: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"arg1": i["arg1"] + i["arg0"][1::2]}
    return {"arg0": ints(16), "arg1": ints(8)}, update


NAMES = ["maxpool_f32", "stride3_i32", "update_i32", "pool_chain_f32"]


def _check(name: str, target: str, **options: int) -> None:
    inputs, reference = _case(name, np.random.default_rng(5))
    expected = reference(inputs)
    result = simulate(source.read(KERNELS), name, inputs, target=target, **options)
    for arg, want in expected.items():
        np.testing.assert_array_equal(result.outputs[arg], want, err_msg=f"{name} {arg}")


@pytest.mark.parametrize("name", NAMES)
def test_host(name: str, require_tool: Callable[[str], str]) -> None:
    require_tool("cc")
    _check(name, "sw")


@pytest.mark.parametrize("vlen", [128, 256, 512])
@pytest.mark.parametrize("name", NAMES)
def test_rvv_qemu(name: str, vlen: int, require_tool: Callable[[str], str]) -> None:
    require_tool("riscv64-gcc")
    require_tool("qemu-riscv64")
    _check(name, "rvv", vlen=vlen, count_instructions=False)


@pytest.mark.parametrize(("name", "load"), [("maxpool_f32", "vlseg2e32.v"),
                                             ("stride3_i32", "vlse32.v")])
def test_strided_loads(name: str, load: str) -> None:
    """Pairs of stride-2 reads reach RISC-V code as segment loads, a lone stride-3 read as a
    strided load."""
    art = compile_sw(KERNELS.read_text(), functions=[name], vlen=128, target="rvv")
    assembly = codegen.emit_assembly(art.llvm_ir, codegen.target("rvv", 128))
    assert load in assembly, assembly


OPS = {"addi": np.add, "muli": np.multiply, "maxsi": np.maximum, "subi": np.subtract}
KERNEL = """func.func @k(%a: memref<{na}xi32>, %b: memref<{nb}xi32>, %out: memref<{no}xi32>) {{
  affine.for %i = 0 to {n} {{
    %x = affine.load %a[{sa} * %i + {oa}] : memref<{na}xi32>
    %y = affine.load %b[{sb} * %i + {ob}] : memref<{nb}xi32>
    %w = affine.load %a[{sa} * %i + {oa} + 1] : memref<{na}xi32>
    %r = arith.{op} %x, %y : i32
    %q = arith.{op} %w, %r : i32
    affine.store %q, %out[%i + {oo}] : memref<{no}xi32>
  }}
  return
}}
"""


@pytest.mark.parametrize("seed", range(12))
def test_random_strides(seed: int, tmp_path: Path, require_tool: Callable[[str], str]) -> None:
    """Random strides (0 to 5), offsets, trip counts and ops: RVV at three VLENs and the host
    agree with numpy bit for bit (a small differential fuzz of the strided rewrite; with
    stride 2 the two reads of `a` form a segment)."""
    require_tool("qemu-riscv64")
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(3, 70))
    sa, sb = (int(s) for s in rng.choice([0, 1, 2, 2, 2, 3, 4, 5], 2))
    oa, ob, oo = (int(o) for o in rng.integers(0, 4, 3))
    op = list(OPS)[int(rng.integers(len(OPS)))]
    na, nb, no = sa * (n - 1) + oa + 2, sb * (n - 1) + ob + 1, n + oo + int(rng.integers(0, 3))
    path = tmp_path / "k.mlir"
    path.write_text(KERNEL.format(na=na, nb=nb, no=no, n=n, sa=sa, sb=sb, oa=oa, ob=ob, oo=oo,
                                  op=op))
    ints = lambda m: rng.integers(-2**31, 2**31, m, dtype=np.int64).astype(np.int32)
    inputs = {"arg0": ints(na), "arg1": ints(nb), "arg2": ints(no)}
    want = inputs["arg2"].copy()
    column = lambda arr, stride, first: arr[first::stride][:n] if stride else np.full(n, arr[first])
    with np.errstate(over="ignore"):
        r = OPS[op](column(inputs["arg0"], sa, oa), column(inputs["arg1"], sb, ob))
        want[oo:oo + n] = OPS[op](column(inputs["arg0"], sa, oa + 1), r)
    for target, vlen in (("sw", 128), ("rvv", 128), ("rvv", 256), ("rvv", 512)):
        options = {"vlen": vlen, "count_instructions": False} if target == "rvv" else {}
        result = simulate(source.read(path), "k", inputs, target=target, **options)
        np.testing.assert_array_equal(result.outputs["arg2"], want, err_msg=f"{target} {vlen}")
