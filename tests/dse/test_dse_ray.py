"""`unified dse --ray ADDRESS` on a real Ray cluster (skipped unless `ray` is installed).

The test starts a local cluster (`ray.init`), runs the sweep on it from another process
through its address, as a user would against `ray start --head`, then reruns the sweep in
the local pool: every point must come from the cache the Ray tasks filled, same figures.
"""

from __future__ import annotations

import csv
import sys
import uuid
from pathlib import Path

import pytest

from unified.core import tools

ROOT = Path(__file__).resolve().parents[2]
VADD = ROOT / "examples" / "kernels" / "vadd.mlir"
OPTIONS = ("--func", "vadd", "--opt-levels", "0,1", "--vlens", "128,256")
CLI = "import sys; from unified.cli import main; sys.exit(main(sys.argv[1:]))"


def run(*args):
    """`unified ARGS` in this interpreter (the one that has ray)."""
    return tools.run_program(sys.executable, ["-c", CLI, *map(str, args)], timeout=600)


@pytest.fixture(scope="module")
def cluster():
    """The address of a two-CPU Ray cluster started for this module."""
    ray = pytest.importorskip("ray", reason="ray is optional: pip install ray")
    for tool in ("verilator", "yosys", "qemu-riscv64", "riscv64-gcc"):
        if tools.version(tool) is None:
            pytest.skip(f"{tool} is not installed")
    context = ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield context.address_info["gcs_address"]
    ray.shutdown()


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path) as f:
        return [{k: v for k, v in r.items() if k != "seconds"} for r in csv.DictReader(f)]


def test_sweep_runs_on_the_cluster_and_fills_the_cache(cluster, tmp_path):
    kernel = tmp_path / "vadd.mlir"
    kernel.write_text(f"// dse ray test {uuid.uuid4()}\n" + VADD.read_text())
    on_ray = run("dse", kernel, *OPTIONS, "--ray", cluster, "--csv", tmp_path / "ray.csv")
    assert on_ray.returncode == 0, on_ray.stderr
    assert "Connected to Ray cluster" in on_ray.stderr
    assert on_ray.stderr.count(" s)") == 4  # every point measured by a Ray task
    rows = _rows(tmp_path / "ray.csv")
    assert len(rows) == 4 and all(r["correct"] == "True" for r in rows)
    local = run("dse", kernel, *OPTIONS, "--csv", tmp_path / "local.csv")
    assert local.returncode == 0 and local.stderr.count("(cached)") == 4
    assert _rows(tmp_path / "local.csv") == rows
