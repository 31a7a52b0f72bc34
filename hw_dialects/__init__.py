"""Hardware built in CIRCT dialects: the accelerator shell, scratchpads, the AXI4-Lite top,
and the check that a hand-written hw.module fits the kernel it implements."""

from hw_dialects.implements import check_implements

__all__ = ["check_implements"]
