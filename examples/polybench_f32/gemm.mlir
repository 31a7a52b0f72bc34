// PolyBench gemm at 8x8, f32: C = alpha * A * B + beta * C.
// alpha = 1.5 and beta = 1.2 (PolyBench's values) are constants: the hardware interface
// takes no f32 scalar arguments.
func.func @gemm(%C: memref<8x8xf32>, %A: memref<8x8xf32>,
                %B: memref<8x8xf32>) {
  %alpha = arith.constant 1.5 : f32
  %beta = arith.constant 1.2 : f32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %c = affine.load %C[%i, %j] : memref<8x8xf32>
      %cb = arith.mulf %c, %beta : f32
      affine.store %cb, %C[%i, %j] : memref<8x8xf32>
    }
    affine.for %k = 0 to 8 {
      affine.for %j = 0 to 8 {
        %a = affine.load %A[%i, %k] : memref<8x8xf32>
        %aa = arith.mulf %alpha, %a : f32
        %b = affine.load %B[%k, %j] : memref<8x8xf32>
        %p = arith.mulf %aa, %b : f32
        %c = affine.load %C[%i, %j] : memref<8x8xf32>
        %s = arith.addf %c, %p : f32
        affine.store %s, %C[%i, %j] : memref<8x8xf32>
      }
    }
  }
  return
}
