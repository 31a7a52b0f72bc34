// PolyBench bicg at 8x8, f32: s = A^T r, q = A p.
func.func @bicg(%A: memref<8x8xf32>, %s: memref<8xf32>, %q: memref<8xf32>, %p: memref<8xf32>,
                %r: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 8 {
    affine.store %zero, %s[%i] : memref<8xf32>
  }
  affine.for %i = 0 to 8 {
    affine.store %zero, %q[%i] : memref<8xf32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xf32>
      %rv = affine.load %r[%i] : memref<8xf32>
      %sv = affine.load %s[%j] : memref<8xf32>
      %m0 = arith.mulf %rv, %a : f32
      %s1 = arith.addf %sv, %m0 : f32
      affine.store %s1, %s[%j] : memref<8xf32>
      %pv = affine.load %p[%j] : memref<8xf32>
      %qv = affine.load %q[%i] : memref<8xf32>
      %m1 = arith.mulf %a, %pv : f32
      %q1 = arith.addf %qv, %m1 : f32
      affine.store %q1, %q[%i] : memref<8xf32>
    }
  }
  return
}
