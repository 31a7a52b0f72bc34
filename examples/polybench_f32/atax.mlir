// PolyBench atax at 8x8, f32: y = A^T (A x), tmp = A x.
func.func @atax(%A: memref<8x8xf32>, %x: memref<8xf32>, %y: memref<8xf32>, %tmp: memref<8xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 8 {
    affine.store %zero, %y[%i] : memref<8xf32>
  }
  affine.for %i = 0 to 8 {
    affine.store %zero, %tmp[%i] : memref<8xf32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xf32>
      %xv = affine.load %x[%j] : memref<8xf32>
      %p = arith.mulf %a, %xv : f32
      %t = affine.load %tmp[%i] : memref<8xf32>
      %s = arith.addf %t, %p : f32
      affine.store %s, %tmp[%i] : memref<8xf32>
    }
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xf32>
      %t = affine.load %tmp[%i] : memref<8xf32>
      %p = arith.mulf %a, %t : f32
      %yv = affine.load %y[%j] : memref<8xf32>
      %s = arith.addf %yv, %p : f32
      affine.store %s, %y[%j] : memref<8xf32>
    }
  }
  return
}
