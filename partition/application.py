"""What the partitioner reads of a verified unified module (unified.app.App provides it)."""

from __future__ import annotations

from typing import Protocol

from partition.callgraph import CallGraph
from partition.ir_profile import ModuleProfile
from unified.core.errors import Loc
from unified.core.kernels import Function, HwModule
from unified.core.platform import Platform


class Application(Protocol):
    """The entry, its call graph, the IR profile and platform, and lookups by name."""

    entry: str
    graph: CallGraph
    profile: ModuleProfile
    platform: Platform
    tilings: list[dict]  # partition/tile_for_hw.py's outcomes (kernel, tile_kernel, tile, ...)

    @property
    def path(self) -> str: ...

    def function(self, name: str) -> Function: ...

    def kernels(self) -> list[str]: ...

    def implementation(self, kernel: str) -> HwModule | None: ...

    def loc(self, where: tuple[str, int, int]) -> Loc: ...
