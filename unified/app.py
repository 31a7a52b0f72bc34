"""The unified module as an application: parsed, verified, with its call graph and platform.

`load_app(path)` checks the rules of DESIGN.md's "Unified module conventions" and raises
one located VerifyError (in the user's file) for the first rule a module breaks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path

from hw_dialects import check_implements
from partition import kernel_costs, place
from partition.callgraph import CallGraph
from partition.callgraph import build as build_callgraph
from partition.ir_profile import ModuleProfile
from partition.placement import Placement
from partition.placer import tile_for_budget
from unified.core import source
from unified.core.errors import Loc, ParseError, UnifiedError, VerifyError
from unified.core.kernels import Function, HwModule, signature_problem
from unified.core.platform import Platform
from unified.core.toolchain import worker
from unified.sw_flow import software_profile

TARGETS = ("auto", "hw", "sw")


@dataclass
class App:
    """A verified unified module: its source, entry, call graph, IR profile and platform."""

    src: source.Source
    entry: str
    graph: CallGraph
    profile: ModuleProfile
    platform: Platform
    tilings: list[dict] = field(default_factory=list)  # partition/tile_for_hw.py's outcomes

    @property
    def path(self) -> str:
        """The user's file, as given."""
        return self.src.path

    @property
    def name(self) -> str:
        """The application's name (the file stem, as a C identifier)."""
        stem = Path(self.src.path).stem
        return "".join(c if c.isalnum() else "_" for c in stem) or "app"

    def function(self, name: str) -> Function:
        """The signature, target and location of function @name."""
        return self.src.info.functions[name]

    def kernels(self) -> list[str]:
        """Functions the entry calls (directly or not), in first-call order."""
        return self.graph.kernels()

    def implementation(self, kernel: str) -> HwModule | None:
        """The hand-written hw.module that implements `kernel`, if the module has one."""
        for m in self.src.info.hw_modules.values():
            if m.implements == kernel:
                return m
        return None

    def loc(self, where: tuple[str, int, int]) -> Loc:
        """A location read off the IR, in the user's file."""
        return Loc(self.src.path, where[1], where[2])


def load_app(path: str | Path, entry: str | None = "main") -> App:
    """Parses and verifies the unified module at `path`; the App, or a located VerifyError.

    A module without the entry is a kernel library when `entry` is None, or is the default
    "main" and the module defines no @main: each public function with a body is then a
    kernel called once (`App.entry` is ""), and the flows export each one's core or object.
    """
    try:
        src = source.read(path)
    except ParseError as e:
        raise _undefined_call(e) or e from None
    prof: ModuleProfile = worker(src.build).call(src.text, "partition.ir_profile:profile")
    module_loc = src.loc(prof.platform_loc) if prof.platform_loc[1] else Loc(src.path, 1, 1)
    platform = _platform(prof, module_loc)
    functions = src.info.functions
    if entry is None or (entry == "main" and "main" not in functions):
        entry = ""
    elif entry not in functions or functions[entry].declaration:
        have = ", ".join(f"@{n}" for n, f in functions.items() if not f.declaration) or "none"
        raise VerifyError(f"the entry function @{entry} is not defined in this module", module_loc,
                          hint=f"pass --entry with one of: {have}")
    tilings: list[dict] = []
    if entry:  # kernels over the on-chip memory budget: tile loops around a tile kernel
        src, prof, tilings = _tiled(src, prof, platform, entry)
        functions = src.info.functions
    for fn in functions.values():
        if fn.target not in TARGETS:
            raise VerifyError(f"@{fn.name} has unified.target = \"{fn.target}\"", src.loc(fn.loc),
                              hint="use \"auto\", \"hw\" or \"sw\"")
    for hw in src.info.hw_modules.values():
        _check_implementation(src, hw)
    graph = build_callgraph(prof, entry, src.path) if entry else library_graph(
        prof, functions, src.loc(next(iter(functions.values())).loc) if functions else module_loc)
    for name in graph.kernels():
        fn = functions[name]
        problem = signature_problem(fn)
        if problem:
            raise VerifyError(problem[0], src.loc(fn.loc), hint=problem[1])
        if fn.declaration and not any(m.implements == name for m in src.info.hw_modules.values()):
            site = next(s for f in prof.functions.values() for s in f.calls if s.callee == name)
            raise VerifyError(f"@{name} is called but has no body and no hw.module implements it",
                              src.loc(site.loc),
                              hint=f"give @{name} a body, or add an hw.module with "
                              f"unified.implements = @{name}")
    return App(src, entry, graph, prof, platform, tilings)


def _tiled(src: source.Source, prof: ModuleProfile, platform: Platform,
           entry: str) -> tuple[source.Source, ModuleProfile, list[dict]]:
    """The source, profile and tilings after partition's tile-for-hw (unchanged: none)."""
    try:
        text, tilings = tile_for_budget(src.text, src.build, platform, entry)
    except UnifiedError as e:
        raise e.with_file(src.path) from None
    if not tilings:
        return src, prof, []
    info = worker(src.build).call(text, "unified.core.kernels:describe")
    tiled = source.Source(src.path, text, info, src.build)
    return tiled, worker(src.build).call(text, "partition.ir_profile:profile"), tilings


def library_graph(prof: ModuleProfile, functions: dict[str, Function], loc: Loc) -> CallGraph:
    """The call graph of a kernel library: every public function with a body, called once,
    in the module's order."""
    public = [n for n, f in functions.items() if not f.declaration and not f.private]
    if not public:
        raise VerifyError("the module defines no public function: there is nothing to compile",
                          loc, hint="add a func.func with a body (or drop `private` from one)")
    graph = CallGraph("")
    graph.order = public
    graph.calls = dict.fromkeys(public, 1)
    return graph


def _undefined_call(e: ParseError) -> VerifyError | None:
    """MLIR's verifier reports a call to an undefined symbol; say it the unified way."""
    head = e.message.splitlines()[0]
    marker = "' does not reference a valid function"
    if not head.startswith("'func.call' op '") or marker not in head:
        return None
    callee = head[len("'func.call' op '"): head.index(marker)]
    return VerifyError(f"call to the undefined function @{callee}", e.loc,
                       hint=f"define func.func @{callee} in this module or fix the name")


def platform_of(src: source.Source) -> Platform:
    """The platform `src`'s `unified.platform` attribute states (defaults where it is silent)."""
    prof: ModuleProfile = worker(src.build).call(src.text, "partition.ir_profile:profile")
    return _platform(prof, src.loc(prof.platform_loc) if prof.platform_loc[1]
                     else Loc(src.path, 1, 1))


def _platform(prof: ModuleProfile, loc: Loc) -> Platform:
    known = [f.name for f in fields(Platform)]
    try:
        return Platform.from_dict(prof.platform)
    except KeyError as e:
        raise VerifyError(f"unknown unified.platform entry '{e.args[0]}'", loc,
                          hint=f"known entries: {', '.join(known)}") from None
    except (TypeError, ValueError) as e:
        raise VerifyError(f"a unified.platform entry has the wrong type ({e})", loc,
                          hint="give integers for widths, addresses and budgets, floats for "
                          "clocks") from None


def _check_implementation(src: source.Source, hw: HwModule) -> None:
    """`unified.implements = @k` names a function and the module's ports fit its signature."""
    if hw.implements is None:
        return
    functions = src.info.functions
    if hw.implements not in functions:
        raise VerifyError(f"hw.module @{hw.name} implements @{hw.implements}, which is not "
                          "defined", src.loc(hw.loc),
                          hint="declare the kernel: func.func private @NAME(...) with its "
                          "signature")
    problems = check_implements(hw, functions[hw.implements])
    if problems:
        raise VerifyError(f"the ports of hw.module @{hw.name} do not fit @{hw.implements}: "
                          f"{problems[0]}", src.loc(hw.loc),
                          hint="give it the ports a generated core has: clk, reset, go in, done "
                          "out, ext_mem<n>_* per memref argument (see hw_dialects/implements.py)")


def estimated_placement(app: App, mode: str = "auto") -> Placement:
    """Where the partitioner puts each kernel from the IR estimates alone (no schedules, no
    synthesis): the software side profiled at its `vector` level."""
    sw_profile, _ = software_profile(app.src.text, vlen=app.platform.vlen, path=app.path,
                                     module=app.name)
    return place(app, mode, costs=kernel_costs(app, sw_profile))
