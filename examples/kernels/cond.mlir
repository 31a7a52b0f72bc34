// Conditionals: x[i] = |x[i]|, plus bias (an i64 scalar, truncated) from element 4 on.
func.func @cond(%x: memref<8xi32>, %bias: i64) {
  %c0 = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xi32>
    %neg = arith.cmpi slt, %v, %c0 : i32
    %r = scf.if %neg -> (i32) {
      %m = arith.subi %c0, %v : i32
      scf.yield %m : i32
    } else {
      scf.yield %v : i32
    }
    affine.if affine_set<(d0) : (d0 - 4 >= 0)>(%i) {
      %w = arith.trunci %bias : i64 to i32
      %s = arith.addi %r, %w : i32
      affine.store %s, %x[%i] : memref<8xi32>
    } else {
      affine.store %r, %x[%i] : memref<8xi32>
    }
  }
  return
}
