// RUN: unified-opt %s -p 'hoist-allocs{func=k}' | filecheck %s

// Each alloc of the kernel becomes a trailing argument, in program order; its uses follow.
// CHECK-LABEL: func.func @k(%arg0: memref<8xi32>, %arg1: memref<8xi32> {unified.buffer}, %arg2: memref<2x3xi16> {unified.buffer})
// CHECK-NOT:   memref.alloc
// CHECK:       affine.store %{{.*}}, %arg1[%{{.*}}] : memref<8xi32>
// CHECK:       affine.store %{{.*}}, %arg2[0, 1] : memref<2x3xi16>
func.func @k(%a: memref<8xi32>) {
  %t = memref.alloc() : memref<8xi32>
  %u = memref.alloc() : memref<2x3xi16>
  %c = arith.constant 7 : i16
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    affine.store %v, %t[%i] : memref<8xi32>
  }
  affine.store %c, %u[0, 1] : memref<2x3xi16>
  return
}
