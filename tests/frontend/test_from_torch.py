"""PyTorch models through `frontend.from_torch` (skipped, visibly, without torch)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from frontend import from_torch
from unified import simulate
from unified.core import source

torch = pytest.importorskip("torch", reason="torch is not installed (pip install torch==2.13.0)")


class _Net(torch.nn.Module):
    """Conv + ReLU + MaxPool + Linear, seeded."""

    def __init__(self) -> None:
        super().__init__()
        torch.manual_seed(0)
        self.conv = torch.nn.Conv2d(2, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 4 * 4, 10)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.nn.functional.max_pool2d(torch.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(x, 1))


def test_torch_module_on_host_matches_torch(tmp_path: Path) -> None:
    """The imported @main on the host gives torch's own outputs (f32, 1e-5)."""
    net = _Net()
    x = torch.randn(1, 2, 8, 8, generator=torch.Generator().manual_seed(1))
    mlir = tmp_path / "net.mlir"
    mlir.write_text(from_torch(net, (x,), name="net"))
    src = source.read(mlir)
    assert [src.info.functions[k].onnx[1] for k in src.info.functions["main"].callees] == [
        "Conv+Relu", "MaxPool", "Flatten", "Gemm"]
    with torch.no_grad():
        want = net(x).numpy()
    result = simulate.run(src, "main", {"arg0": x.numpy(), "arg1": np.zeros((1, 10), np.float32)},
                          "sw")
    np.testing.assert_allclose(result.outputs["arg1"], want, rtol=1e-5, atol=1e-6)
