// Reduced by unified.fuzz from kernel 55 (seed 414543480) of campaign seed 7; found on hw-O2.
// affine-loop-unroll{unroll-factor=2} on a 3-trip loop with two iter_args, one of which
// yields a loop-invariant value: the cleanup iteration starts %acc50 from the wrong result
// of the unrolled loop (expected 1 - 3 = -2, got 0). Any --unroll 2 shows it (-O0 too);
// -O3 and --unroll 4 unroll the 3 trips fully and are right.
// check: hw-O2 (--target hw -O 2)
// check: hw-O3 (--target hw -O 3)
// check: sw (--target sw)
// check: hw-O0-unroll2 (--target hw -O 0 --unroll 2)
// Fixed in hls-unroll-budget: a loop with iter_args is unrolled only by a divisor of its trips.
// fuzz: func=kernel
func.func @kernel(%m1: memref<1xi64>) {
  %v48 = arith.constant 1 : i64
  %r56:2 = affine.for %i49 = 0 to 3 iter_args(%acc50 = %v48, %acc51 = %v48) -> (i64, i64) {
    %v52 = arith.constant 1 : i64
    %v53 = arith.subi %acc50, %v52 : i64
    %v55 = arith.constant 1 : i64
    affine.yield %v53, %v55 : i64, i64
  }
  affine.store %r56#0, %m1[0] : memref<1xi64>
  return
}
