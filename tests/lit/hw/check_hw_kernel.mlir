// RUN: not unified-opt %s -p 'check-hw-kernel{path=k.mlir}' 2>&1 | filecheck %s

// A float op of a type without units (f64) in a hardware kernel is one located error naming the op.
// CHECK: k.mlir:10:10: error: floating-point operation 'arith.sitofp' cannot be compiled to hardware — use integer or fixed-point arithmetic in hardware kernels, or mark the function unified.target = "sw"
// CHECK-NOT: Traceback
func.func @scale(%a: memref<4xi32>) {
  %two = arith.constant 2.0 : f64
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xi32>
    %f = arith.sitofp %v : i32 to f64
    %g = arith.mulf %f, %two : f64
    %w = arith.fptosi %g : f64 to i32
    affine.store %w, %a[%i] : memref<4xi32>
  }
  return
}
