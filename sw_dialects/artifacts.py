"""What the software flow hands to the driver, the simulators and `unified compile`."""

from __future__ import annotations

from dataclasses import dataclass, field

from unified.core.kernels import Function


@dataclass
class SwArtifacts:
    """Kernels compiled for the CPU: LLVM IR, one object per target, the C header, signatures.

    `objects` maps a target name (`rvv`, `rv64gc`, `host`) to an ELF relocatable object that
    defines, for every function, `<name>` (expanded memref convention) and
    `_mlir_ciface_<name>` (memref descriptors by pointer); `header` declares both.
    """

    module: str  # a name for the files: OUT/sw/<module>.ll, <module>.rvv.o, <module>.h
    llvm_ir: str
    objects: dict[str, bytes]
    header: str
    functions: list[Function]
    vlen: int = 128
    ir: dict[str, str] = field(default_factory=dict)  # IR level -> text, for --dump-dir
