"""Our passes that build hardware in CIRCT dialects, by name (see unified.passes)."""

PASSES = {
    "scratch-memories": "hw_dialects.scratch_memory:ScratchMemories",
}
