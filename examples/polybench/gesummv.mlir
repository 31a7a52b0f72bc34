// PolyBench gesummv at 8x8, i32: y = alpha * A x + beta * B x, tmp = A x.
func.func @gesummv(%alpha: i32, %beta: i32, %A: memref<8x8xi32>, %B: memref<8x8xi32>,
                   %tmp: memref<8xi32>, %x: memref<8xi32>, %y: memref<8xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    affine.store %zero, %tmp[%i] : memref<8xi32>
    affine.store %zero, %y[%i] : memref<8xi32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xi32>
      %xv = affine.load %x[%j] : memref<8xi32>
      %pa = arith.muli %a, %xv : i32
      %t = affine.load %tmp[%i] : memref<8xi32>
      %t1 = arith.addi %pa, %t : i32
      affine.store %t1, %tmp[%i] : memref<8xi32>
      %b = affine.load %B[%i, %j] : memref<8x8xi32>
      %pb = arith.muli %b, %xv : i32
      %yv = affine.load %y[%i] : memref<8xi32>
      %y1 = arith.addi %pb, %yv : i32
      affine.store %y1, %y[%i] : memref<8xi32>
    }
    %t = affine.load %tmp[%i] : memref<8xi32>
    %yv = affine.load %y[%i] : memref<8xi32>
    %at = arith.muli %alpha, %t : i32
    %by = arith.muli %beta, %yv : i32
    %sum = arith.addi %at, %by : i32
    affine.store %sum, %y[%i] : memref<8xi32>
  }
  return
}
