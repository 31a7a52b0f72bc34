// RUN: unified-opt %s -p sw-unroll-short-loops | filecheck %s

// The 3-tap reduction loop disappears; the 64-long loop around it stays.
// CHECK-LABEL: func.func @taps
// CHECK: affine.for %[[J:.*]] = 0 to 64 {
// CHECK-NOT: affine.for
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: affine.load %arg0[%[[J]] + %[[C0]]]
// CHECK: %[[C1:.*]] = arith.constant 1 : index
// CHECK: affine.load %arg0[%[[J]] + %[[C1]]]
// CHECK: %[[C2:.*]] = arith.constant 2 : index
// CHECK: affine.load %arg0[%[[J]] + %[[C2]]]
// CHECK: %[[LAST:.*]] = arith.addf
// CHECK-NEXT: affine.store %[[LAST]], %arg1[%[[J]]]
func.func @taps(%in: memref<66xf32>, %out: memref<64xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %j = 0 to 64 {
    %r = affine.for %k = 0 to 3 iter_args(%acc = %zero) -> f32 {
      %x = affine.load %in[%j + %k] : memref<66xf32>
      %s = arith.addf %acc, %x : f32
      affine.yield %s : f32
    }
    affine.store %r, %out[%j] : memref<64xf32>
  }
  return
}

// A short loop around a long one stays a loop.
// CHECK-LABEL: func.func @rows
// CHECK: affine.for %{{.*}} = 0 to 2 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 64 {
func.func @rows(%in: memref<2x64xf32>, %out: memref<2x64xf32>) {
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 64 {
      %x = affine.load %in[%i, %j] : memref<2x64xf32>
      affine.store %x, %out[%i, %j] : memref<2x64xf32>
    }
  }
  return
}
