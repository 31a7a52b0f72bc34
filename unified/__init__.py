"""unified: a hardware/software co-compiler on MLIR and CIRCT."""

__version__ = "0.1.0"
