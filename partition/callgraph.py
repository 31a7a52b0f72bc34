"""The call graph from the entry: which kernels run and how many times per run of the entry."""

from __future__ import annotations

from dataclasses import dataclass, field

from partition.ir_profile import ModuleProfile
from unified.core.errors import Loc, VerifyError


@dataclass
class CallGraph:
    """The functions the entry reaches and how many times each runs per run of the entry."""

    entry: str
    calls: dict[str, int] = field(default_factory=dict)  # function -> calls per run of entry
    order: list[str] = field(default_factory=list)  # reachable functions, callers first
    callees: dict[str, list[str]] = field(default_factory=dict)

    def kernels(self) -> list[str]:
        """The functions the entry reaches, in first-call order (the entry itself excluded)."""
        return [f for f in self.order if f != self.entry]


def build(profile: ModuleProfile, entry: str, path: str) -> CallGraph:
    """Walks call sites from `entry`, multiplying loop trip counts along each path.

    Recursion has no static call count (and no hardware): a VerifyError at the call site.
    """
    graph = CallGraph(entry)
    _visit(profile, entry, [], graph, path)
    # calls per run: push counts down in topological (callers-first) order
    graph.calls = {f: 0 for f in graph.order}
    graph.calls[entry] = 1
    for caller in _topological(graph):
        fp = profile.functions.get(caller)
        if fp is None:
            continue
        for site in fp.calls:
            graph.calls[site.callee] += graph.calls[caller] * site.times
    return graph


def _visit(profile: ModuleProfile, fn: str, stack: list[str], graph: CallGraph, path: str) -> None:
    if fn not in graph.order:
        graph.order.append(fn)
    fp = profile.functions.get(fn)
    if fp is None:  # a declaration: no body, no calls
        graph.callees.setdefault(fn, [])
        return
    graph.callees[fn] = [s.callee for s in fp.calls]
    for site in fp.calls:
        if site.callee in stack or site.callee == fn:
            raise VerifyError(f"@{fn} calls @{site.callee} recursively",
                              Loc(path, site.loc[1], site.loc[2]),
                              hint="unroll the recursion into a loop: kernels need a static call "
                              "count to be placed")
        if site.callee not in graph.callees:
            _visit(profile, site.callee, [*stack, fn], graph, path)


def _topological(graph: CallGraph) -> list[str]:
    seen: set[str] = set()
    post: list[str] = []

    def dfs(f: str) -> None:
        seen.add(f)
        for c in graph.callees.get(f, []):
            if c not in seen:
                dfs(c)
        post.append(f)

    dfs(graph.entry)
    return list(reversed(post))
