// PolyBench bicg at 8x8, i32: s = A^T r, q = A p.
func.func @bicg(%A: memref<8x8xi32>, %s: memref<8xi32>, %q: memref<8xi32>, %p: memref<8xi32>,
                %r: memref<8xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    affine.store %zero, %s[%i] : memref<8xi32>
  }
  affine.for %i = 0 to 8 {
    affine.store %zero, %q[%i] : memref<8xi32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xi32>
      %rv = affine.load %r[%i] : memref<8xi32>
      %sv = affine.load %s[%j] : memref<8xi32>
      %m0 = arith.muli %rv, %a : i32
      %s1 = arith.addi %sv, %m0 : i32
      affine.store %s1, %s[%j] : memref<8xi32>
      %pv = affine.load %p[%j] : memref<8xi32>
      %qv = affine.load %q[%i] : memref<8xi32>
      %m1 = arith.muli %a, %pv : i32
      %q1 = arith.addi %qv, %m1 : i32
      affine.store %q1, %q[%i] : memref<8xi32>
    }
  }
  return
}
