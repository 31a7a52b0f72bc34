"""The software-path passes, by name (see `unified.passes`)."""

PASSES = {
    "sw-emit-c-interface": "sw_dialects.emit_c_interface:EmitCInterface",
    "sw-unroll-short-loops": "sw_dialects.unroll_short_loops:UnrollShortLoops",
    "sw-split-remainder": "sw_dialects.split_remainder:SplitRemainder",
    "sw-vectorize": "sw_dialects.vectorize:Vectorize",
    "sw-vectorize-strided": "sw_dialects.vectorize_strided:VectorizeStrided",
    "sw-transfers-in-bounds": "sw_dialects.transfers_in_bounds:TransfersInBounds",
    "sw-broadcast-reads": "sw_dialects.broadcast_reads:BroadcastReads",
    "sw-unroll-light-loops": "sw_dialects.unroll_light_loops:UnrollLightLoops",
    "sw-pipeline-segment-loads": "sw_dialects.pipeline_segment_loads:PipelineSegmentLoads",
    "sw-split-accumulators": "sw_dialects.split_accumulators:SplitAccumulators",
    "sw-sum-from-first": "sw_dialects.sum_from_first:SumFromFirst",
    "sw-contract-float": "sw_dialects.contract_float:ContractFloat",
    "sw-float-constants-as-bits": "sw_dialects.float_constants:FloatConstantsAsBits",
    "sw-noalias-memrefs": "sw_dialects.noalias_memrefs:NoaliasMemrefs",
    "sw-hoist-segment-addresses": "sw_dialects.hoist_segment_addresses:HoistSegmentAddresses",
    "sw-tune-cpu": "sw_dialects.tune_cpu:TuneCpu",
    "sw-mark-tileable": "sw_dialects.mark_tileable:MarkTileable",
    "sw-tile-loops": "sw_dialects.tile_loops:TileLoops",
}
