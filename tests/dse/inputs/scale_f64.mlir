// y = 2.5 * x over 8 floats: software only (f64 does not reach hardware; f32 does, through our IEEE-754 units).
func.func @scale_f64(%x: memref<8xf64>, %y: memref<8xf64>) {
  %k = arith.constant 2.5 : f64
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xf64>
    %w = arith.mulf %v, %k : f64
    affine.store %w, %y[%i] : memref<8xf64>
  }
  return
}
