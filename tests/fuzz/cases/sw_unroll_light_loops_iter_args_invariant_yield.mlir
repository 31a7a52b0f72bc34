// Reduced by unified.fuzz from kernel 95 (seed 1756996434) of campaign seed 7; found on sw.
// The same upstream affine-loop-unroll bug as hw-O2_unroll_iter_args_invariant_yield, on the
// software side: sw-unroll-light-loops unrolls the 5-trip loop by 4, and the cleanup
// iteration starts %acc11 from the other iter_arg's (loop-invariant) yield: the stored
// value is max(1, trunc(%s1)) ^ 1 instead of 1 ^ 1 ^ 1 ^ 1 ^ 1 ^ 1 = 0.
// check: sw (--target sw)
// check: rvv128 (--target rvv --vlen 128)
// check: hw-O2 (--target hw -O 2)
// Fixed in sw-unroll-light-loops: a loop with iter_args is unrolled only when the factor
// divides its trips.
// fuzz: func=kernel
func.func @kernel(%s1: i32, %m0: memref<1xi16>) {
  %v9 = arith.constant 1 : i16
  %r18:2 = affine.for %i10 = 0 to 5 iter_args(%acc11 = %v9, %acc12 = %v9) -> (i16, i16) {
    %v14 = arith.constant 1 : i16
    %v15 = arith.xori %acc11, %v14 : i16
    %v16 = arith.trunci %s1 : i32 to i16
    %z9_5_0 = arith.constant 1 : i16
    %v17 = arith.maxsi %z9_5_0, %v16 : i16
    affine.yield %v15, %v17 : i16, i16
  }
  affine.store %r18#0, %m0[0] : memref<1xi16>
  return
}
