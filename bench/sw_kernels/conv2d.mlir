// out = 3x3 valid convolution of a 34x34 f32 image: 32x32 outputs.
func.func @conv2d(%img: memref<34x34xf32>, %w: memref<3x3xf32>, %out: memref<32x32xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 32 {
    affine.for %j = 0 to 32 {
      %r = affine.for %ki = 0 to 3 iter_args(%acc0 = %zero) -> f32 {
        %r1 = affine.for %kj = 0 to 3 iter_args(%acc = %acc0) -> f32 {
          %x = affine.load %img[%i + %ki, %j + %kj] : memref<34x34xf32>
          %k = affine.load %w[%ki, %kj] : memref<3x3xf32>
          %p = arith.mulf %x, %k : f32
          %s = arith.addf %acc, %p : f32
          affine.yield %s : f32
        }
        affine.yield %r1 : f32
      }
      affine.store %r, %out[%i, %j] : memref<32x32xf32>
    }
  }
  return
}
