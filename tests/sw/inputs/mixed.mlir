// A software kernel, a helper it calls, an unrelated kernel and an accelerator module.
func.func @helper(%x: f32) -> f32 {
  %two = arith.constant 2.0 : f32
  %y = arith.mulf %x, %two : f32
  return %y : f32
}
func.func @double(%a: memref<8xf32>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xf32>
    %y = func.call @helper(%x) : (f32) -> f32
    affine.store %y, %a[%i] : memref<8xf32>
  }
  return
}
func.func @other(%a: memref<8xi32>) {
  return
}
hw.module @accel(in %a : i32, out b : i32) {
  hw.output %a : i32
}
