// out = in > 0 ? in : 0 on 64x64 f32.
func.func @relu(%in: memref<64x64xf32>, %out: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 64 {
    affine.for %j = 0 to 64 {
      %x = affine.load %in[%i, %j] : memref<64x64xf32>
      %pos = arith.cmpf ogt, %x, %zero : f32
      %y = arith.select %pos, %x, %zero : f32
      affine.store %y, %out[%i, %j] : memref<64x64xf32>
    }
  }
  return
}
