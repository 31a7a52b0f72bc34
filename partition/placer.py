"""Placement: each kernel's cost, the forced targets, the search, and the reason per kernel.

    costs = kernel_costs(app, sw_profile)   # IR estimates; refine with schedule/area
    placement = place(app, "auto", costs=costs)
"""

from __future__ import annotations

from partition import cost_model, search
from partition.application import Application
from partition.cost_model import KernelCost
from partition.ir_profile import ModuleProfile
from partition.placement import Decision, Placement
from unified.core.durations import human
from unified.core.errors import PartitionError
from unified.core.platform import Platform
from unified.core.toolchain import Call, worker

MODES = ("auto", "hw", "sw")


def kernel_costs(app: Application, sw_profile: ModuleProfile) -> dict[str, KernelCost]:
    """The IR-only cost of the entry and every kernel it reaches, by function name.

    Software cycles come from `sw_profile` (the code the CPU runs: unified.sw_flow's
    `software_profile`),
    hardware cycles from the unified module's own (affine) IR. The entry is costed as
    software only; a declaration implemented by an hw.module has no software cost.
    """
    out = {}
    for k in [app.entry, *app.kernels()] if app.entry else app.kernels():
        fn = app.function(k)
        if fn.declaration:  # hand-written RTL only: no body to estimate, its bus traffic known
            nbytes, tcycles = cost_model.transfer(fn, app.platform)
            out[k] = KernelCost(k, float("inf"), 0.0, tcycles, nbytes, hw_source="unknown")
            continue
        out[k] = cost_model.estimate(fn, app.profile.functions[k], app.platform, app.path)
        if k in sw_profile.functions:
            out[k].sw_cycles = cost_model.sw_cycles(sw_profile.functions[k])
        if k == app.entry:
            out[k].hw_cycles, out[k].no_hw_reason = None, "is the entry"
    return out


def tile_for_budget(text: str, build: str, platform: Platform,
                    entry: str) -> tuple[str, list[dict]]:
    """(module text, tilings): every kernel of `entry` whose memrefs exceed the platform's
    on-chip memory budget split into software tile loops around a tile kernel that fits
    (partition/tile_for_hw.py); the text unchanged when nothing is over the budget."""
    res = worker(build).run_full(text, [Call("partition.tile_for_hw:tile", {
        "budget_bytes": platform.onchip_memory_bytes, "entry": entry})])
    tilings = res.values[0]
    return (res.text if tilings else text), tilings


def check_forced(app: Application) -> None:
    """PartitionError at the function when a kernel forced to hardware cannot be hardware."""
    for k in app.kernels():
        fn = app.function(k)
        if fn.target != "hw" or fn.declaration or app.implementation(k) is not None:
            continue
        reason = cost_model.no_hw_reason(app.profile.functions[k], fn, app.path)
        if reason:
            raise PartitionError(
                f"@{k} is forced to hardware (unified.target = \"hw\") but it {reason}",
                app.loc(fn.loc), hint="set unified.target = \"sw\" or \"auto\", or rewrite "
                "the kernel in integer arithmetic")


def place(app: Application, mode: str, *, costs: dict[str, KernelCost]) -> Placement:
    """Where each kernel runs and why. `mode` hw/sw forces every kernel that can go there;
    a kernel's own `unified.target` wins over the mode. PartitionError (located) when a
    forced-hardware kernel cannot be hardware or forced kernels exceed the area budget."""
    check_forced(app)
    forced_hw: set[str] = set()
    forced_sw: dict[str, str] = {}
    free: list[str] = []
    by_mode: list[str] = []  # --partition hw: hardware while the area budget lasts
    for k in app.kernels():
        fn, c = app.function(k), costs[k]
        if fn.declaration or fn.target == "hw":  # a declaration: only its hw.module implements it
            forced_hw.add(k)
        elif fn.target == "sw":
            forced_sw[k] = next((f"it loops over the tiles of @{t['tile_kernel']} (tiled for the "
                                 "on-chip memory budget)" for t in app.tilings
                                 if t["kernel"] == k), "unified.target = \"sw\" in the source")
        elif c.no_hw_reason:
            forced_sw[k] = f"it {c.no_hw_reason}"
        elif mode == "hw":
            by_mode.append(k)
        elif mode == "sw":
            forced_sw[k] = "--partition sw"
        else:
            free.append(k)
    calls = app.graph.calls
    fixed_luts = sum(costs[k].luts or 0 for k in forced_hw)
    if fixed_luts > app.platform.area_budget_luts:
        raise PartitionError(
            f"the kernels forced to hardware need {fixed_luts} LUTs, the area budget is "
            f"{app.platform.area_budget_luts}", app.loc(app.profile.platform_loc),
            hint="raise unified.platform's area_budget_luts or force fewer kernels to hardware")
    luts = fixed_luts
    for k in by_mode:
        if luts + (costs[k].luts or 0) <= app.platform.area_budget_luts:
            forced_hw.add(k)
            luts += costs[k].luts or 0
        else:
            forced_sw[k] = (f"--partition hw, but its {costs[k].luts} LUTs do not fit the area "
                            f"budget ({app.platform.area_budget_luts - luts} left)")
    choice = search.choose(costs, calls, app.platform, forced_hw=forced_hw, free=free)
    placement = Placement(estimated_total_cycles=choice.total_cycles)
    for k in app.kernels():
        c = costs[k]
        target = "hw" if k in choice.hw else "sw"
        placement.decisions[k] = Decision(
            kernel=k, target=target,
            reason=_reason(app, k, c, target, mode, forced_hw, forced_sw, choice),
            sw_cycles=None if c.sw_cycles == float("inf") else c.sw_cycles,
            hw_cycles=c.hw_cycles, transfer_cycles=c.transfer_cycles if c.hw_cycles is not None
            else None, hw_luts=c.luts, calls=calls.get(k, 1))
    return placement


def _reason(app: Application, k: str, c: KernelCost, target: str, mode: str, forced_hw: set[str],
            forced_sw: dict[str, str], choice: search.Choice) -> str:
    fn = app.function(k)
    if k in forced_sw:
        return f"software: {forced_sw[k]}"
    if fn.declaration:
        impl = app.implementation(k)
        return f"hardware: implemented by hw.module @{impl.name if impl else '?'}"
    if k in forced_hw:
        if fn.target != "hw":
            return "hardware: --partition hw"
        why = "hardware: forced by unified.target = \"hw\" in the source"
        if c.hw_cycles is None:
            return why
        hw, sw = times(c, app.platform)
        return f"{why} (estimates: {hw} per call in hardware with the transfer, {sw} in software)"
    assert c.hw_cycles is not None
    hw, sw = times(c, app.platform)
    search_kind = "exact search" if choice.exact else "greedy search"
    if target == "hw":
        return f"hardware: {hw} per call with the transfer against {sw} in software ({search_kind})"
    if c.hw_total_ns(app.platform) < c.sw_ns(app.platform):
        return (f"software: hardware would take {hw} per call with the transfer against {sw}, "
                f"but the area budget ({app.platform.area_budget_luts} LUTs) is spent "
                f"({search_kind})")
    return f"software: {sw} per call against {hw} in hardware with the transfer ({search_kind})"


def times(c: KernelCost, platform: Platform) -> tuple[str, str]:
    """(hardware with the transfer, software) time of one call, as a person reads them."""
    return human(c.hw_total_ns(platform)), human(c.sw_ns(platform))
