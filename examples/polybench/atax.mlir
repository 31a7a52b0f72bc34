// PolyBench atax at 8x8, i32: y = A^T (A x), tmp = A x.
func.func @atax(%A: memref<8x8xi32>, %x: memref<8xi32>, %y: memref<8xi32>, %tmp: memref<8xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    affine.store %zero, %y[%i] : memref<8xi32>
  }
  affine.for %i = 0 to 8 {
    affine.store %zero, %tmp[%i] : memref<8xi32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xi32>
      %xv = affine.load %x[%j] : memref<8xi32>
      %p = arith.muli %a, %xv : i32
      %t = affine.load %tmp[%i] : memref<8xi32>
      %s = arith.addi %t, %p : i32
      affine.store %s, %tmp[%i] : memref<8xi32>
    }
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xi32>
      %t = affine.load %tmp[%i] : memref<8xi32>
      %p = arith.muli %a, %t : i32
      %yv = affine.load %y[%j] : memref<8xi32>
      %s = arith.addi %yv, %p : i32
      affine.store %s, %y[%j] : memref<8xi32>
    }
  }
  return
}
