// y = x * W + b: a dense layer, 128 inputs, 64 outputs, f32.
func.func @dense(%x: memref<128xf32>, %W: memref<128x64xf32>, %b: memref<64xf32>, %y: memref<64xf32>) {
  affine.for %j = 0 to 64 {
    %bj = affine.load %b[%j] : memref<64xf32>
    affine.store %bj, %y[%j] : memref<64xf32>
  }
  affine.for %i = 0 to 128 {
    affine.for %j = 0 to 64 {
      %xi = affine.load %x[%i] : memref<128xf32>
      %wij = affine.load %W[%i, %j] : memref<128x64xf32>
      %acc = affine.load %y[%j] : memref<64xf32>
      %p = arith.mulf %xi, %wij : f32
      %s = arith.addf %acc, %p : f32
      affine.store %s, %y[%j] : memref<64xf32>
    }
  }
  return
}
