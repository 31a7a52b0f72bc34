// Reduced by unified.fuzz from kernel 4 (seed 4204017145) of campaign seed 1; found on hw-O1.
// affine-loop-invariant-code-motion (-O1 and up) hoists an scf.if whose arm uses the loop's
// induction variable out of the loop: "operand #0 does not dominate this use".
// Fixed by hls-licm (0a9cdb7).
// check: hw-O1 (--target hw -O 1)
// check: hw-O3 (--target hw -O 3)
// check: sw (--target sw)
// fuzz: func=kernel
func.func @kernel(%m1: memref<1xi64>) {
  affine.for %i19 = 0 to 1 {
    %v27 = arith.constant true
    %r30 = scf.if %v27 -> (i64) {
      %v28 = arith.index_cast %i19 : index to i64
      scf.yield %v28 : i64
    } else {
      %c29 = arith.constant 1 : i64
      scf.yield %c29 : i64
    }
    %z6_2_0 = arith.constant 1 : i64
    affine.store %z6_2_0, %m1[0] : memref<1xi64>
  }
  return
}
