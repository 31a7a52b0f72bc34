// PolyBench gesummv at 8x8, f32: y = alpha * A x + beta * B x, tmp = A x.
// alpha = 1.5 and beta = 1.2 (PolyBench's values) are constants: the hardware interface
// takes no f32 scalar arguments.
func.func @gesummv(%A: memref<8x8xf32>, %B: memref<8x8xf32>,
                   %tmp: memref<8xf32>, %x: memref<8xf32>, %y: memref<8xf32>) {
  %alpha = arith.constant 1.5 : f32
  %beta = arith.constant 1.2 : f32
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 8 {
    affine.store %zero, %tmp[%i] : memref<8xf32>
    affine.store %zero, %y[%i] : memref<8xf32>
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xf32>
      %xv = affine.load %x[%j] : memref<8xf32>
      %pa = arith.mulf %a, %xv : f32
      %t = affine.load %tmp[%i] : memref<8xf32>
      %t1 = arith.addf %pa, %t : f32
      affine.store %t1, %tmp[%i] : memref<8xf32>
      %b = affine.load %B[%i, %j] : memref<8x8xf32>
      %pb = arith.mulf %b, %xv : f32
      %yv = affine.load %y[%i] : memref<8xf32>
      %y1 = arith.addf %pb, %yv : f32
      affine.store %y1, %y[%i] : memref<8xf32>
    }
    %t = affine.load %tmp[%i] : memref<8xf32>
    %yv = affine.load %y[%i] : memref<8xf32>
    %at = arith.mulf %alpha, %t : f32
    %by = arith.mulf %beta, %yv : f32
    %sum = arith.addf %at, %by : f32
    affine.store %sum, %y[%i] : memref<8xf32>
  }
  return
}
