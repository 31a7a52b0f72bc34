"""The CPU side of the flow: affine kernels -> vectors -> LLVM -> rv64gcv (RVV 1.0) or the host.

Passes, in the order `unified.sw_flow` runs them (one per file, listed in registry.py):
  sw-emit-c-interface       every kernel also gets `_mlir_ciface_<name>` (descriptors by pointer)
  sw-unroll-short-loops     filter windows and pools unrolled, so the long loop is innermost
  sw-split-remainder        whole-vector main loop + remainder loop per innermost loop
  sw-vectorize              affine-super-vectorize with VLEN*LMUL/bits lanes
  sw-transfers-in-bounds    unmasked loads/stores where loop bounds prove them in bounds
  sw-broadcast-reads        invariant operands read once and splat (vfmacc.vf, vmacc.vx)
  sw-unroll-short-loops     (again) vector loops of a few iterations become straight code
  sw-unroll-light-loops     innermost loops reading few values unrolled by 4 (host only)
  sw-pipeline-segment-loads loops of segment loads unrolled by 2, the next iteration's first
                            load issued in this one, each load one load ahead of its uses (rvv)
  sw-split-accumulators     a chained vector sum split over accumulators (latency hidden)
  sw-sum-from-first         an integer vector sum starts from its first vector, not zero
  sw-contract-float         fused multiply-add allowed
  sw-noalias-memrefs        distinct memref arguments do not overlap (LLVM dialect)
  sw-float-constants-as-bits  f32 constants survive the trip to llvmlite's LLVM exactly
  sw-hoist-segment-addresses  segment loads' addresses computed first in their block (rvv)
  sw-tune-cpu               rvv: LLVM schedules for the X280's pipeline (tune-cpu), ISA generic
Beside them: loop_analysis (queries), codegen (llvmlite), header and harness (C emitters),
run (host and qemu execution, instruction counting), disasm (objdump reading), rvv_isa and
rvv_timing (the RVV timing model).
"""
