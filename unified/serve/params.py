"""Request parameters of `unified serve`, checked against fixed choices before any job runs.

Every value a request may carry is parsed here into a typed field: integers in a range,
a choice from a fixed set, or a name matching an MLIR symbol. Nothing else goes on.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from unified.core.errors import UnifiedError

SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_$.]{0,127}")
TARGETS = ("hw", "sw", "rvv", "auto")
VLENS = (64, 128, 256, 512, 1024)


class BadRequest(UnifiedError):
    """A request parameter outside its choices (HTTP 400)."""


@dataclass(frozen=True)
class Options:
    """The compile options of the CLI: -O and its knobs, --partition, --vlen, --entry."""

    opt_level: int = 3
    unroll: int | None = None
    banks: int | None = None
    pipeline: str | None = None  # "on" | "off" | None (the level's choice)
    partition: str = "auto"
    vlen: int = 128
    entry: str = "main"
    simulate: bool = True  # Verilator / qemu figures in the report

    def as_kwargs(self) -> dict:
        return asdict(self)


def options(form: Mapping[str, str], prefix: str = "") -> Options:
    """The Options a form holds (fields `{prefix}opt_level`, ...); BadRequest on a bad value."""

    def get(name: str) -> str:
        return (form.get(prefix + name) or "").strip()

    return Options(
        opt_level=integer(get("opt_level") or "3", "opt_level", 0, 3),
        unroll=integer(get("unroll"), "unroll", 1, 64) if get("unroll") else None,
        banks=integer(get("banks"), "banks", 1, 64) if get("banks") else None,
        pipeline=choice(get("pipeline"), "pipeline", ("on", "off")) if get("pipeline") else None,
        partition=choice(get("partition") or "auto", "partition", ("auto", "hw", "sw")),
        vlen=int(choice(get("vlen") or "128", "vlen", tuple(str(v) for v in VLENS))),
        entry=symbol(get("entry") or "main", "entry"),
        simulate=choice(get("simulate") or "1", "simulate", ("1", "0")) == "1",
    )


def integer(text: str, name: str, low: int, high: int) -> int:
    """`text` as an integer in [low, high]."""
    if not re.fullmatch(r"-?[0-9]{1,6}", text) or not low <= int(text) <= high:
        raise BadRequest(f"{name} '{text[:40]}' is not an integer from {low} to {high}",
                         hint=f"choose {name} between {low} and {high}")
    return int(text)


def choice(text: str, name: str, choices: tuple[str, ...]) -> str:
    """`text` when it is one of `choices`."""
    if text not in choices:
        raise BadRequest(f"{name} '{text[:40]}' is not one of {', '.join(choices)}",
                         hint=f"choose {name} from {', '.join(choices)}")
    return text


def symbol(text: str, name: str) -> str:
    """`text` when it is a plain MLIR symbol name (a function), without the @."""
    text = text.removeprefix("@")
    if not SYMBOL.fullmatch(text):
        raise BadRequest(f"{name} '{text[:40]}' is not a function name",
                         hint="choose the name of a func.func in the module, e.g. main")
    return text
