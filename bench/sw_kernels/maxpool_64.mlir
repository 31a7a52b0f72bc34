// out = 2x2 max-pooling, stride 2, of a 128x128 f32 image: 64x64 outputs.
func.func @maxpool(%in: memref<128x128xf32>, %out: memref<64x64xf32>) {
  affine.for %i = 0 to 64 {
    affine.for %j = 0 to 64 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<128x128xf32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<128x128xf32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<128x128xf32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<128x128xf32>
      %m0 = arith.maxnumf %a, %b : f32
      %m1 = arith.maxnumf %c, %d : f32
      %m = arith.maxnumf %m0, %m1 : f32
      affine.store %m, %out[%i, %j] : memref<64x64xf32>
    }
  }
  return
}
