// y = 2.5 * x over 8 floats: software only (floats do not reach hardware in these CIRCT builds).
func.func @scale_f32(%x: memref<8xf32>, %y: memref<8xf32>) {
  %k = arith.constant 2.5 : f32
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xf32>
    %w = arith.mulf %v, %k : f32
    affine.store %w, %y[%i] : memref<8xf32>
  }
  return
}
