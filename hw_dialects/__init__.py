"""Hardware built in CIRCT dialects: the accelerator shell, scratchpads, bus, register map, driver."""

from hw_dialects.implements import check_implements

__all__ = ["check_implements"]
