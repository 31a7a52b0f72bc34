"""Our passes of the Calyx stage, by name (see unified.passes)."""

PASSES = {
    "calyx-serialize-par": "calyx_flow.serialize_par:SerializePar",
    "remove-comb-groups": "calyx_flow.remove_comb_groups:RemoveCombGroups",
    "insert-clock-reset": "calyx_flow.insert_clock_reset:InsertClockReset",
    "sv-comb-defaults": "calyx_flow.comb_defaults:CombDefaults",
    "tie-unused-outputs": "calyx_flow.tie_unused_outputs:TieUnusedOutputs",
    "calyx-par-compact": "calyx_flow.par_compact:ParCompact",
    "calyx-par-to-group": "calyx_flow.par_to_group:ParToGroup",
}
PASSES["calyx-chain-loads"] = "calyx_flow.chain_loads:ChainLoads"
PASSES["calyx-flatten-seq"] = "calyx_flow.flatten_seq:FlattenSeq"
PASSES["calyx-ungate-data"] = "calyx_flow.ungate_data:UngateData"
PASSES["calyx-fast-done"] = "calyx_flow.fast_done:FastDone"
PASSES["float-to-bits"] = "calyx_flow.float_to_bits:FloatToBits"
PASSES["bind-float-units"] = "calyx_flow.bind_float_units:BindFloatUnits"
PASSES["calyx-static-loops"] = "calyx_flow.static_loops:StaticLoops"
PASSES["ungate-stream-cells"] = "calyx_flow.ungate_stream_cells:UngateStreamCells"
