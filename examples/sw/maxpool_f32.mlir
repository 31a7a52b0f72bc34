// 2x2 max pooling with stride 2: 8x32 -> 4x16 (the vector loop runs over output columns).
func.func @maxpool_f32(%in: memref<8x32xf32>, %out: memref<4x16xf32>) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 16 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<8x32xf32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<8x32xf32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<8x32xf32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<8x32xf32>
      %m0 = arith.maximumf %a, %b : f32
      %m1 = arith.maximumf %c, %d : f32
      %m = arith.maximumf %m0, %m1 : f32
      affine.store %m, %out[%i, %j] : memref<4x16xf32>
    }
  }
  return
}
