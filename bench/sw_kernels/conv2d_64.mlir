// out = 3x3 valid convolution of a 66x66 f32 image: 64x64 outputs.
func.func @conv2d(%img: memref<66x66xf32>, %w: memref<3x3xf32>, %out: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 64 {
    affine.for %j = 0 to 64 {
      %r = affine.for %ki = 0 to 3 iter_args(%acc0 = %zero) -> f32 {
        %r1 = affine.for %kj = 0 to 3 iter_args(%acc = %acc0) -> f32 {
          %x = affine.load %img[%i + %ki, %j + %kj] : memref<66x66xf32>
          %k = affine.load %w[%ki, %kj] : memref<3x3xf32>
          %p = arith.mulf %x, %k : f32
          %s = arith.addf %acc, %p : f32
          affine.yield %s : f32
        }
        affine.yield %r1 : f32
      }
      affine.store %r, %out[%i, %j] : memref<64x64xf32>
    }
  }
  return
}
