// PolyBench 2mm at 8x8, f32: tmp = alpha * A * B; D = beta * D + tmp * C.
// alpha = 1.5 and beta = 1.2 (PolyBench's values) are constants: the hardware interface
// takes no f32 scalar arguments.
func.func @mm2(%tmp: memref<8x8xf32>, %A: memref<8x8xf32>,
               %B: memref<8x8xf32>, %C: memref<8x8xf32>, %D: memref<8x8xf32>) {
  %alpha = arith.constant 1.5 : f32
  %beta = arith.constant 1.2 : f32
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      affine.store %zero, %tmp[%i, %j] : memref<8x8xf32>
      affine.for %k = 0 to 8 {
        %a = affine.load %A[%i, %k] : memref<8x8xf32>
        %aa = arith.mulf %alpha, %a : f32
        %b = affine.load %B[%k, %j] : memref<8x8xf32>
        %p = arith.mulf %aa, %b : f32
        %t = affine.load %tmp[%i, %j] : memref<8x8xf32>
        %s = arith.addf %t, %p : f32
        affine.store %s, %tmp[%i, %j] : memref<8x8xf32>
      }
    }
  }
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %d = affine.load %D[%i, %j] : memref<8x8xf32>
      %db = arith.mulf %d, %beta : f32
      affine.store %db, %D[%i, %j] : memref<8x8xf32>
      affine.for %k = 0 to 8 {
        %t = affine.load %tmp[%i, %k] : memref<8x8xf32>
        %c = affine.load %C[%k, %j] : memref<8x8xf32>
        %p = arith.mulf %t, %c : f32
        %d2 = affine.load %D[%i, %j] : memref<8x8xf32>
        %s = arith.addf %d2, %p : f32
        affine.store %s, %D[%i, %j] : memref<8x8xf32>
      }
    }
  }
  return
}
