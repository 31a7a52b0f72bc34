"""Reading generated machine code: the disassembly of one function of an rv64 object."""

from __future__ import annotations

import tempfile
from pathlib import Path

from unified.core import tools


def disassemble(obj: bytes) -> dict[str, list[str]]:
    """Mnemonic + operands of every instruction, per function symbol, of an rv64 ELF object."""
    with tempfile.TemporaryDirectory(prefix="unified-objdump-") as tmp:
        path = Path(tmp) / "k.o"
        path.write_bytes(obj)
        text = tools.run("riscv64-objdump", ["-d", "--no-show-raw-insn", str(path)]).stdout
    out: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.endswith(">:"):
            current = out.setdefault(line.split("<", 1)[1][:-2], [])
        elif current is not None and ":\t" in line:
            current.append(line.split(":\t", 1)[1].strip())
    return out


def mnemonics(obj: bytes, function: str) -> set[str]:
    """The set of instruction mnemonics used by `function` (e.g. {"vsetvli", "vle32.v", ...})."""
    return {insn.split()[0] for insn in disassemble(obj).get(function, [])}
