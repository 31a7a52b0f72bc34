// RUN: not unified-opt %s -p 'check-hw-kernel{path=k.mlir}' 2>&1 | filecheck %s

// f32 add, mul, compare and conversions are built; an f32 op without a unit is one
// located error naming it.
// CHECK: k.mlir:13:10: error: floating-point operation 'arith.remf' cannot be compiled to hardware — hardware kernels have f32 add, sub, mul, div, compare, max/min, negate, abs and signed and unsigned i8-i64 <-> f32 conversions; compute the rest in software (unified.target = "sw")
// CHECK-NOT: Traceback
func.func @scale(%a: memref<4xf32>, %n: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %v = affine.load %n[%i] : memref<4xi32>
    %f = arith.sitofp %v : i32 to f32
    %x = affine.load %a[%i] : memref<4xf32>
    %d = arith.divf %x, %f : f32
    %g = arith.remf %d, %x : f32
    affine.store %g, %a[%i] : memref<4xf32>
  }
  return
}
