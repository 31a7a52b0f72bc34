"""What `unified dse` shows: progress lines, the CSV, the Pareto plot, the front tables and
the points that failed."""

from __future__ import annotations

import csv
from pathlib import Path

from unified.dse.pareto import front
from unified.dse.points import Result

CSV_FIELDS = ("kind", "opt_level", "unroll", "banks", "pipeline", "vlen", "lmul", "tile", "cycles",
              "luts", "instructions", "correct", "error", "same_as", "seconds")


def describe(result: Result) -> str:
    """One line for a finished point: its label, figures, correctness and time (or `cached`,
    or the point it shares a flow with); `failed: why` for a point that could not be built."""
    if result.error:
        return f"{result.point.label()}: failed: {result.error}"
    if result.point.kind == "hw":
        figures = f"{result.cycles} cycles, {result.luts} LUTs"
    else:
        figures = f"{result.instructions} instructions"
    ok = "correct" if result.correct else "WRONG OUTPUT"
    when = ("same flow as " + result.same_as if result.same_as else
            "cached" if result.cached else f"{result.seconds:.1f} s")
    return f"{result.point.label()}: {figures}, {ok} ({when})"


def hw_front(results: list[Result]) -> list[Result]:
    """The correct hardware points no other beats on both cycles and LUTs (one point per flow)."""
    hw = [r for r in results if r.point.kind == "hw" and r.correct and not r.same_as]
    return front(hw, lambda r: (r.cycles or 0, r.luts or 0))


def sw_front(results: list[Result]) -> list[Result]:
    """The correct software points no other beats on both instructions and VLEN (its cost)."""
    sw = [r for r in results if r.point.kind == "sw" and r.correct]
    return front(sw, lambda r: (r.instructions or 0, r.point.vlen))


def front_table(results: list[Result]) -> str:
    """The Pareto fronts as an aligned text table."""
    rows = [("point", "cycles", "LUTs", "instructions")]
    seen: dict[tuple[str, int | None, int | None, int | None], int] = {}
    for r in hw_front(results) + sw_front(results):
        figures = (r.point.kind, r.cycles, r.luts, r.instructions)
        if figures in seen:  # knobs that built the same design: one row, every name
            at = seen[figures]
            rows[at] = (f"{rows[at][0]} = {r.point.label().removeprefix('hw ')}",
                        *rows[at][1:])
            continue
        seen[figures] = len(rows)
        rows.append((r.point.label(), _text(r.cycles), _text(r.luts), _text(r.instructions)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["Pareto front (hardware: cycles vs LUTs; software: instructions vs VLEN)"]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))).rstrip())
    return "\n".join(lines)


def failed_table(results: list[Result]) -> str:
    """`Failed points` and one `label: why` line each; empty when every point was measured."""
    failed = [r for r in results if r.error]
    if not failed:
        return ""
    return "\n".join(["Failed points", *(f"  {r.point.label()}: {r.error}" for r in failed)])


def _text(value: int | None) -> str:
    return "-" if value is None else str(value)


def write_csv(path: str | Path, results: list[Result]) -> None:
    """One row per point (see CSV_FIELDS); figures that do not apply are empty."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in results:
            writer.writerow(r.row())


def plot(path: str | Path, results: list[Result], *, title: str = "") -> None:
    """A PNG: hardware latency vs area with the front highlighted; software instructions vs VLEN."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    hw = [r for r in results if r.point.kind == "hw" and not r.error and not r.same_as]
    sw = [r for r in results if r.point.kind == "sw" and not r.error]
    panels = [kind for kind, rs in (("hw", hw), ("sw", sw)) if rs]
    fig, axes = plt.subplots(1, len(panels), figsize=(6 * len(panels), 4.5), squeeze=False)
    for ax, kind in zip(axes[0], panels):
        if kind == "hw":
            _hw_panel(ax, hw, hw_front(results))
        else:
            _sw_panel(ax, sw, sw_front(results))
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _hw_panel(ax, results: list[Result], best: list[Result]) -> None:
    ax.scatter([r.cycles for r in results], [r.luts for r in results], color="tab:gray",
               label="measured point", zorder=2)
    ax.plot([r.cycles for r in best], [r.luts for r in best], "o-", color="tab:red",
            label="Pareto front", zorder=3)
    _annotate(ax, results, lambda r: (r.cycles, r.luts),
              lambda r: r.point.label().removeprefix("hw ") + ("" if r.correct else " (wrong)"))
    ax.set_xlabel("latency (Verilator cycles)")
    ax.set_ylabel("area (Yosys LUTs, 7-series)")
    ax.set_title("hardware")
    ax.grid(True, alpha=0.3)
    ax.legend()


def _sw_panel(ax, results: list[Result], best: list[Result]) -> None:
    ax.scatter([r.point.vlen for r in results], [r.instructions for r in results],
               color="tab:gray", label="measured point", zorder=2)
    ax.plot([r.point.vlen for r in best], [r.instructions for r in best], "o", color="tab:red",
            label="Pareto front", zorder=3)
    _annotate(ax, results, lambda r: (r.point.vlen, r.instructions),
              lambda r: r.point.label().removeprefix(f"sw vlen={r.point.vlen}").strip()
              or "lmul=auto")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("VLEN (bits)")
    ax.set_ylabel("instructions (qemu, one call)")
    ax.set_title("software (RVV)")
    ax.grid(True, alpha=0.3)
    ax.legend()


def _annotate(ax, results: list[Result], xy, name) -> None:
    """One label per plotted position: the names of the points there, a count past three."""
    at: dict[tuple, list[str]] = {}
    for r in results:
        at.setdefault(xy(r), []).append(name(r))
    for position, names in at.items():
        text = ", ".join(names[:3]) + (f" +{len(names) - 3}" if len(names) > 3 else "")
        ax.annotate(text, position, textcoords="offset points", xytext=(5, 5))
