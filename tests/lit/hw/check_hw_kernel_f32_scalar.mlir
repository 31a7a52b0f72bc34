// RUN: not unified-opt %s -p 'check-hw-kernel{path=k.mlir func=k}' 2>&1 | filecheck %s

// The hardware interface takes integer scalars only: an f32 scalar argument is one located
// error saying how to pass it.
// CHECK: k.mlir:7:1: error: argument 1 of @k is an f32 scalar, which the hardware interface does not take — pass it in a memref<1xf32> and load it
// CHECK-NOT: Traceback
func.func @k(%a: memref<4xf32>, %s: f32) {
  affine.for %i = 0 to 4 {
    %x = affine.load %a[%i] : memref<4xf32>
    %y = arith.mulf %x, %s : f32
    affine.store %y, %a[%i] : memref<4xf32>
  }
  return
}
