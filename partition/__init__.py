"""The partitioner: analysis (call graph, IR profile, cost model, search) kept apart from
the split.

    sw_profile = unified.sw_flow.software_profile(app)   # the software flow up to `vector`
    costs = kernel_costs(app, sw_profile)                # IR estimates
    placement = place(app, "auto", costs=costs)
"""

from partition.placer import MODES, check_forced, kernel_costs, place

__all__ = ["MODES", "check_forced", "kernel_costs", "place"]
