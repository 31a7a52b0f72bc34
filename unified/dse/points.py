"""The design space of `unified dse`: points (one design choice each) and their results."""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hls.opt_pipeline import HlsOptions

# The pass each hardware knob needs in the flow; a point asking for it fails until it is there.
KNOB_PASSES = {"banks": "hls-bank-memories", "pipeline": "hls-pipeline-loops"}


@dataclasses.dataclass(frozen=True)
class Point:
    """One design choice: hardware at -O`opt_level` with its knobs (None: the level decides),
    or software at `vlen` bits, `lmul` (0: the vectorizer chooses) and `tile` (0: untiled)."""

    kind: str  # "hw" or "sw"
    opt_level: int = 0
    unroll: int | None = None
    banks: int | None = None
    pipeline: bool | None = None
    vlen: int = 0
    lmul: int = 0
    tile: int = 0

    def hls(self) -> HlsOptions:
        """The hardware flow's options for this point."""
        from hls.opt_pipeline import HlsOptions

        return HlsOptions(self.opt_level, self.unroll, self.banks, self.pipeline)

    def level_banks(self) -> int:
        """The banks the -O level alone would choose."""
        from hls.opt_pipeline import HlsOptions

        return HlsOptions(self.opt_level).bank_factor

    def label(self) -> str:
        """A short name: `hw -O1 u4 b2 pipe`, `sw vlen=256` or `sw vlen=256 lmul=4 tile=16`."""
        if self.kind == "hw":
            knobs = [f"u{self.unroll}" if self.unroll is not None else "",
                     f"b{self.banks}" if self.hls().bank_factor != self.level_banks() else "",
                     {None: "", True: "pipe", False: "nopipe"}[self.pipeline]]
            return " ".join([f"hw -O{self.opt_level}", *filter(None, knobs)])
        return (f"sw vlen={self.vlen}" + (f" lmul={self.lmul}" if self.lmul else "")
                + (f" tile={self.tile}" if self.tile else ""))


@dataclasses.dataclass(frozen=True)
class Result:
    """The measured figures of a point; hardware has cycles and LUTs, software instructions.
    A point that could not be built or run has `error` set and no figures; a point whose
    hardware flow is the one of an earlier point shares its figures and names it in `same_as`."""

    point: Point
    correct: bool
    cycles: int | None = None
    luts: int | None = None
    instructions: int | None = None
    seconds: float = 0.0
    cached: bool = False
    error: str = ""
    same_as: str = ""

    def row(self) -> dict[str, Any]:
        """One CSV row: kind, parameters, figures (empty when not applicable), correct, error."""
        p = self.point
        hw = p.kind == "hw"
        return {"kind": p.kind, "opt_level": p.opt_level if hw else "",
                "unroll": ("auto" if p.unroll is None else p.unroll) if hw else "",
                "banks": ("auto" if p.banks is None else p.banks) if hw else "",
                "pipeline": {None: "auto", True: "on", False: "off"}[p.pipeline] if hw else "",
                "vlen": "" if hw else p.vlen, "lmul": "" if hw else p.lmul,
                "tile": "" if hw else p.tile,
                "cycles": _blank(self.cycles), "luts": _blank(self.luts),
                "instructions": _blank(self.instructions), "correct": self.correct,
                "error": self.error, "same_as": self.same_as, "seconds": f"{self.seconds:.1f}"}


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


def space(opt_levels: Iterable[int], vlens: Iterable[int], lmuls: Iterable[int], *,
          unrolls: Iterable[int | None] = (None,), banks: Iterable[int | None] = (None,),
          pipelines: Iterable[bool | None] = (None,), tiles: Iterable[int] = (0,)) -> list[Point]:
    """The full sweep: a hardware point per (-O level, unroll, banks, pipeline), a software
    point per (VLEN, LMUL, tile)."""
    points = [Point("hw", opt_level=o, unroll=u, banks=b, pipeline=pipe)
              for o, u, b, pipe in itertools.product(opt_levels, unrolls, banks, pipelines)]
    points += [Point("sw", vlen=v, lmul=m, tile=t)
               for v, m, t in itertools.product(vlens, lmuls, tiles)]
    return points
