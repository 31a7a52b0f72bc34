"""Our passes of the affine-level hardware preparation, by name (see unified.passes)."""

PASSES = {
    "extract-kernel": "hls.extract_kernel:ExtractKernel",
    "check-hw-kernel": "hls.check_hw_kernel:CheckHwKernel",
    "drop-overflow-flags": "hls.drop_overflow_flags:DropOverflowFlags",
    "legalize-for-calyx": "hls.legalize_for_calyx:LegalizeForCalyx",
    "hoist-allocs": "hls.hoist_allocs:HoistAllocs",
    "if-conversion": "hls.if_conversion:IfConversion",
}
PASSES["hls-unroll-budget"] = "hls.unroll_budget:UnrollBudget"
PASSES["hls-bank-memories"] = "hls.bank_memories:BankMemories"
PASSES["hls-pipeline-loops"] = "hls.pipeline_loops:PipelineLoops"
PASSES["hls-promote-reductions"] = "hls.promote_reductions:PromoteReductions"
PASSES["hls-licm"] = "hls.licm:Licm"
PASSES["hls-absf-to-bits"] = "hls.absf_to_bits:AbsfToBits"
PASSES["hls-jam-outputs"] = "hls.jam_outputs:JamOutputs"
