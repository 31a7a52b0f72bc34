// A math-dialect kernel: y = 1 / (1 + exp(-x)) on 30 f32 elements (exp becomes a libm call).
func.func @sigmoid_f32(%x: memref<30xf32>, %y: memref<30xf32>) {
  %one = arith.constant 1.0 : f32
  affine.for %i = 0 to 30 {
    %v = affine.load %x[%i] : memref<30xf32>
    %n = arith.negf %v : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %r = arith.divf %one, %d : f32
    affine.store %r, %y[%i] : memref<30xf32>
  }
  return
}
