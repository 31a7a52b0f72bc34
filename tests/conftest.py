"""Test plumbing shared by every area.

- Every `tests/lit/**/*.mlir` file is a pytest item that runs lit on it, so one
  `pytest -n 2 tests` covers the lit pass tests and the pytest tests alike.
- Fixtures: `tmp_out` (a fresh output folder), `require_tool` (skip with the reason
  when an external tool is missing) and `run_script` (run unified / unified-opt as a
  user does, for exit codes and stderr).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from unified.core import tools
from unified.core.errors import ToolNotFound

LIT_ROOT = Path(__file__).parent / "lit"
LIT_SKIP_DIRS = {"Inputs", "Output"}

# pytest imports test files by path (--import-mode=importlib, pyproject.toml), so two areas
# may both hold a test_compile.py. Helper modules beside them (sw_suite.py, kernel_suite.py)
# are imported by name from these folders: their names must differ across areas.
for _area in sorted(p for p in Path(__file__).parent.iterdir() if p.is_dir() and p != LIT_ROOT):
    if str(_area) not in sys.path:
        sys.path.append(str(_area))


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    """Collects each lit test file (a .mlir under tests/lit/, outside Inputs/ and Output/)."""
    if file_path.suffix != ".mlir" or LIT_ROOT not in file_path.parents:
        return None
    if LIT_SKIP_DIRS & set(file_path.relative_to(LIT_ROOT).parts[:-1]):
        return None
    return LitFile.from_parent(parent, path=file_path)


class LitFile(pytest.File):
    """A lit test file: one item, named after the file."""

    def collect(self) -> Iterator[LitItem]:
        yield LitItem.from_parent(self, name=self.path.name)


class LitFailure(Exception):
    """lit reported the file as failing; the message is lit's verbose output."""


class LitItem(pytest.Item):
    """Runs `lit -v FILE`; passes on PASS/XFAIL, skips on UNSUPPORTED, fails with lit's output."""

    def runtest(self) -> None:
        proc = tools.run_program(tools.script("lit"), ["-v", "--no-progress-bar", str(self.path)],
                                 timeout=600)
        output = (proc.stdout + proc.stderr).strip()
        if proc.returncode != 0:
            raise LitFailure(output)
        if "UNSUPPORTED:" in output:
            pytest.skip(f"lit: unsupported here ({self.path.name})")
        if "PASS:" not in output and "XFAIL:" not in output:
            raise LitFailure(f"lit ran no test in {self.path}:\n{output}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: str | None = None) -> str:
        if isinstance(excinfo.value, LitFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style=style))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"lit {self.path.relative_to(LIT_ROOT)}"


@pytest.fixture
def tmp_out(tmp_path: Path) -> Path:
    """A fresh, empty folder for a test's outputs (give `tmp_out / "build"` to `-o`)."""
    out = tmp_path / "out"
    out.mkdir()
    return out


@pytest.fixture
def require_tool() -> Callable[[str], str]:
    """require_tool(name) -> the tool's path, or a visible skip naming the package to install."""

    def require(name: str) -> str:
        try:
            return tools.find(name)
        except ToolNotFound as e:
            pytest.skip(f"{name} is missing: {e.render()}")

    return require


@pytest.fixture
def run_script() -> Callable[..., subprocess.CompletedProcess[str]]:
    """run_script("unified", "sim", ...) runs a console script of the venv; returns its result."""

    def run(name: str, *args: str | Path, cwd: str | Path | None = None, timeout: float = 600,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return tools.run_program(tools.script(name), [str(a) for a in args], cwd=cwd,
                                 timeout=timeout, env=env)

    return run
