// y = x * W + b, a dense layer in f64: 32 inputs, 24 outputs.
func.func @dense_f64(%x: memref<32xf64>, %W: memref<32x24xf64>, %b: memref<24xf64>, %y: memref<24xf64>) {
  affine.for %j = 0 to 24 {
    %bj = affine.load %b[%j] : memref<24xf64>
    affine.store %bj, %y[%j] : memref<24xf64>
  }
  affine.for %i = 0 to 32 {
    affine.for %j = 0 to 24 {
      %xi = affine.load %x[%i] : memref<32xf64>
      %wij = affine.load %W[%i, %j] : memref<32x24xf64>
      %acc = affine.load %y[%j] : memref<24xf64>
      %p = arith.mulf %xi, %wij : f64
      %s = arith.addf %acc, %p : f64
      affine.store %s, %y[%j] : memref<24xf64>
    }
  }
  return
}
