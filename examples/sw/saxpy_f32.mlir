// A scalar argument: y = a * x + y on 50 f32 elements.
func.func @saxpy_f32(%a: f32, %x: memref<50xf32>, %y: memref<50xf32>) {
  affine.for %i = 0 to 50 {
    %xi = affine.load %x[%i] : memref<50xf32>
    %yi = affine.load %y[%i] : memref<50xf32>
    %p = arith.mulf %a, %xi : f32
    %s = arith.addf %p, %yi : f32
    affine.store %s, %y[%i] : memref<50xf32>
  }
  return
}
