// out[i][j] = sum over ki, kj of img[i+ki][j+kj] * w[ki][kj]: a 3x3 valid convolution, 10x10 -> 8x8.
func.func @conv2d_f32(%img: memref<10x10xf32>, %w: memref<3x3xf32>, %out: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      affine.store %zero, %out[%i, %j] : memref<8x8xf32>
    }
    affine.for %ki = 0 to 3 {
      affine.for %kj = 0 to 3 {
        affine.for %j = 0 to 8 {
          %x = affine.load %img[%i + %ki, %j + %kj] : memref<10x10xf32>
          %k = affine.load %w[%ki, %kj] : memref<3x3xf32>
          %acc = affine.load %out[%i, %j] : memref<8x8xf32>
          %p = arith.mulf %x, %k : f32
          %s = arith.addf %acc, %p : f32
          affine.store %s, %out[%i, %j] : memref<8x8xf32>
        }
      }
    }
  }
  return
}
