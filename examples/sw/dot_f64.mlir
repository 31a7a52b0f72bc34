// A float reduction returned as a scalar result: the dot product of two 37-element f64 vectors.
func.func @dot_f64(%a: memref<37xf64>, %b: memref<37xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %r = affine.for %i = 0 to 37 iter_args(%acc = %zero) -> f64 {
    %x = affine.load %a[%i] : memref<37xf64>
    %y = affine.load %b[%i] : memref<37xf64>
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    affine.yield %s : f64
  }
  return %r : f64
}
