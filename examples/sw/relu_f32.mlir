// out = max(in, 0) on a 12x20 f32 matrix.
func.func @relu_f32(%in: memref<12x20xf32>, %out: memref<12x20xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 12 {
    affine.for %j = 0 to 20 {
      %x = affine.load %in[%i, %j] : memref<12x20xf32>
      %y = arith.maximumf %x, %zero : f32
      affine.store %y, %out[%i, %j] : memref<12x20xf32>
    }
  }
  return
}
