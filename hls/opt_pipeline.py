"""The -O1..-O3 hardware optimisations as steps added to the -O0 stages of `unified.hw_flow`.

    stages = opt_pipeline.optimise(hw_flow_stages, opt_level)

Affine-level steps go at the head of the `scf` stage (upstream MLIR, before lower-affine);
Calyx-level steps at the head of the `hw` stage (before `calyx-serialize-par`, which then
only sees the pars we could not merge). Every level stays exact against numpy.

  -O0  the straightforward flow: one group after the other
  -O1  loop-invariant code motion; a memory word read and written at one place in an
       innermost loop kept in a register (hls-promote-reductions); nested seqs flattened
       (calyx-flatten-seq); loads chained into their users (calyx-chain-loads);
       independent groups packed into pars (calyx-par-compact); groups that only write
       registers or memories done in their first cycle (calyx-fast-done); each par of
       enables run as one merged group (calyx-par-to-group); once the FSM has replaced the
       groups, the one guarded driver of a data input loses its guard (calyx-ungate-data:
       no AND gate per bit on multiplier, adder and register inputs)
  -O2  -O1 and innermost loops unrolled by 2, so that independent work from two iterations
       can share a step
  -O3  a reduction nest of 4096 iterations and up reordered so that 8 of its outputs share
       the innermost loop, one weight bank each (hls-jam-outputs: a convolution's output
       channels, a matrix product's columns), then -O1, and innermost loops unrolled by 8 (PolyBench 8x8: fully) where a function's
       unrolled multipliers stay within 16 (48 DSP48s), by 2 elsewhere, and a small loop a
       full unroll leaves innermost (a 3x3 window) unrolled fully in turn (hls-unroll-budget):
       each copy's load registers, address muxes and control cost LUTs; memref arguments
       in 8 banks, or 4 or 2 where 8 do not fit (hls-bank-memories), so the unrolled
       copies' loads and stores go through separate ports; innermost loops that are
       still loops software-pipelined on a static schedule (hls-pipeline-loops), and an
       innermost loop whose body then fits one cycle run by a counter-driven group at one
       iteration a cycle (calyx-static-loops, with ungate-stream-cells after the lowering)

`--pipeline on` pipelines at any level; the initiation interval each loop reaches is in
the sim report and report.md (`HwArtifacts.loops`, from the FSM schedule).

`HlsOptions` carries the level and the knobs that override its choices (the unroll factor,
memory banks, loop pipelining); every `opt_level=` of the hardware flow takes an int level
or an `HlsOptions`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from unified.core.pipeline import Stage
from unified.core.toolchain import Pass, Pipeline, Step

LOWER_CALYX_TO_HW = "builtin.module(lower-calyx-to-hw)"  # a step of hw_flow's `hw` stage
FOR_TO_WHILE = "builtin.module(scf-for-to-while,canonicalize,cse,arith-expand)"  # `scf` stage


@dataclasses.dataclass(frozen=True)
class HlsOptions:
    """An -O level and the knobs that override its choices (None: the level decides)."""

    level: int = 0
    unroll: int | None = None  # innermost loops unrolled by this factor
    banks: int | None = None  # memref arguments split cyclically into banks (hls-bank-memories)
    pipeline: bool | None = None  # innermost loops modulo scheduled (hls-pipeline-loops)

    def __str__(self) -> str:
        """`-O3`, or `-O1 unroll=4 banks=2 pipeline=on` with the knobs that were set."""
        knobs = [f"unroll={self.unroll}" if self.unroll is not None else "",
                 f"banks={self.banks}" if self.banks is not None else "",
                 "" if self.pipeline is None else f"pipeline={'on' if self.pipeline else 'off'}"]
        return " ".join([f"-O{self.level}", *filter(None, knobs)])

    def resolved(self) -> HlsOptions:
        """The same options with the level's choices spelled out (equal flows compare equal)."""
        return dataclasses.replace(self, banks=self.bank_factor, pipeline=self.pipelined)

    @property
    def bank_factor(self) -> int:
        """Banks per memref argument (the knob, else 8 at -O3: the -O3 unroll factor)."""
        if self.banks is not None:
            return self.banks
        return 8 if self.level >= 3 else 1

    @property
    def pipelined(self) -> bool:
        """Whether innermost loops are modulo scheduled (the knob, else -O3)."""
        return self.level >= 3 if self.pipeline is None else self.pipeline


def hls_options(opt: int | HlsOptions) -> HlsOptions:
    """`opt` as HlsOptions (an int is a plain -O level)."""
    return opt if isinstance(opt, HlsOptions) else HlsOptions(level=int(opt))


def affine_steps(opt: int | HlsOptions) -> list[Step]:
    """Steps on affine IR for `opt` (run in the `mlir` worker): the level's or the knob's
    unrolling, then the memory banking when `banks` > 1."""
    opts = hls_options(opt)
    steps = _unrolling(opts)
    if opts.bank_factor > 1:
        # the level's 8 banks settle for 4 or 2 where 8 do not fit an argument; --banks N is N
        divisors = "true" if opts.banks is None else "false"
        steps.append(Pass("hls-bank-memories", {"factor": str(opts.bank_factor),
                                                "divisors": divisors}))
    return steps


def _unrolling(opts: HlsOptions) -> list[Step]:
    """LICM, reductions into registers, then the knob's or the level's unrolling."""
    if opts.level <= 0 and opts.unroll is None:
        return []
    factor = opts.unroll if opts.unroll is not None else {1: 1, 2: 2}.get(opts.level)
    jam: list[Step] = []
    if factor is None and opts.bank_factor > 1:  # -O3: outputs side by side, one per bank
        jam = [Pass("hls-jam-outputs", {"factor": str(opts.bank_factor)}),
               Pipeline("builtin.module(canonicalize)")]
    steps: list[Step] = [*jam, Pass("hls-licm"), Pass("hls-promote-reductions")]
    if factor is None:  # -O3: as far as the multipliers allow
        steps.append(Pass("hls-unroll-budget",
                          {"factor": "8", "fallback": "2", "max-multipliers": "16"}))
    elif factor > 1:  # upstream's affine-loop-unroll, but dynamic loops stay rolled
        steps.append(Pass("hls-unroll-budget", {"uniform": str(factor)}))
    return [*steps, Pipeline("builtin.module(canonicalize)")]


def calyx_steps(opt: int | HlsOptions) -> list[Step]:
    """Our Calyx passes for `opt` (run in the `pycde` worker before the FSM lowering)."""
    if hls_options(opt).level <= 0:
        return []
    return [Pass("calyx-flatten-seq"), Pass("calyx-chain-loads"), Pass("calyx-par-compact"),
            Pass("calyx-fast-done"), Pass("calyx-par-to-group")]


def lowered_calyx_steps(opt: int | HlsOptions) -> list[Step]:
    """Our passes for `opt` on Calyx whose groups are gone (just before lower-calyx-to-hw)."""
    return [Pass("calyx-ungate-data")] if hls_options(opt).level > 0 else []


def optimise(stages: Sequence[Stage], opt: int | HlsOptions) -> list[Stage]:
    """The -O0 `stages` with the steps of `opt` added (unchanged for a plain level 0)."""
    opts = hls_options(opt)
    if opts.unroll is not None and opts.unroll < 1 or opts.bank_factor < 1:
        raise ValueError(f"{opts}: unroll and banks are at least 1")
    out = []
    for stage in stages:
        steps = list(stage.steps)
        if stage.level == "scf":
            at = _index(steps, "hoist-allocs")
            insert = 0 if at is None else at + 1
            steps[insert:insert] = affine_steps(opts)
            if opts.pipelined:
                at = _index(steps, FOR_TO_WHILE)
                steps[at:at] = [Pass("hls-pipeline-loops")]
        elif stage.level == "hw":
            steps[0:0] = calyx_steps(opts)
            if opts.pipelined:  # a loop whose body fits one cycle: one iteration a cycle
                at = _index(steps, "calyx-chain-loads")  # before it: loads still latch
                steps.insert(0 if at is None else at, Pass("calyx-static-loops"))
                at = _index(steps, LOWER_CALYX_TO_HW)
                steps.insert(len(steps) if at is None else at + 1, Pass("ungate-stream-cells"))
            if opts.level > 0:  # the loop-test groups remove-comb-groups makes
                at = _index(steps, "remove-comb-groups") + 1
                steps[at:at] = [Pass("calyx-flatten-seq"), Pass("calyx-fast-done")]
            at = _index(steps, LOWER_CALYX_TO_HW)
            at = len(steps) if at is None else at
            steps[at:at] = lowered_calyx_steps(opts)
        out.append(dataclasses.replace(stage, steps=tuple(steps)))
    return out


def _index(steps: list[Step], key: str) -> int | None:
    """Where the first step that is our pass `key`, or the pipeline `key`, stands."""
    return next((i for i, s in enumerate(steps)
                 if (s.name if isinstance(s, Pass) else getattr(s, "text", None)) == key), None)
