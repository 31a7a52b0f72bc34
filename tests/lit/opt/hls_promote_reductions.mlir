// RUN: unified-opt %s -p hls-promote-reductions | filecheck %s

// x[i] += A[i][j] * y[j] over j: x[i] is read before the j loop, carried in a register,
// written once after it.
// CHECK-LABEL: func.func @mv
// CHECK: affine.for %[[I:.*]] = 0 to 8 {
// CHECK-NEXT: %[[INIT:.*]] = affine.load %{{.*}}[%[[I]]]
// CHECK-NEXT: %[[R:.*]] = affine.for %{{.*}} = 0 to 8 iter_args(%[[ACC:.*]] = %[[INIT]]) -> (i32) {
// CHECK-NOT: affine.store
// CHECK: %[[S:.*]] = arith.addi %[[ACC]], %{{.*}} : i32
// CHECK-NEXT: affine.yield %[[S]] : i32
// CHECK: affine.store %[[R]], %{{.*}}[%[[I]]]
func.func @mv(%A: memref<8x8xi32>, %x: memref<8xi32>, %y: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %a = affine.load %A[%i, %j] : memref<8x8xi32>
      %yv = affine.load %y[%j] : memref<8xi32>
      %p = arith.muli %a, %yv : i32
      %xv = affine.load %x[%i] : memref<8xi32>
      %s = arith.addi %xv, %p : i32
      affine.store %s, %x[%i] : memref<8xi32>
    }
  }
  return
}

// The word changes every iteration (z[j]): nothing to promote.
// CHECK-LABEL: func.func @elementwise
// CHECK-NOT: iter_args
// CHECK: affine.store
// CHECK: return
func.func @elementwise(%z: memref<8xi32>) {
  affine.for %j = 0 to 8 {
    %v = affine.load %z[%j] : memref<8xi32>
    %d = arith.addi %v, %v : i32
    affine.store %d, %z[%j] : memref<8xi32>
  }
  return
}

// Two addresses of one memory (x[0] and x[1]): a store to one may be read through the
// other in general, so neither is promoted.
// CHECK-LABEL: func.func @two_words
// CHECK-NOT: iter_args
// CHECK: return
func.func @two_words(%x: memref<2xi32>, %y: memref<8xi32>) {
  affine.for %j = 0 to 8 {
    %v = affine.load %x[0] : memref<2xi32>
    %w = affine.load %y[%j] : memref<8xi32>
    %s = arith.addi %v, %w : i32
    affine.store %s, %x[1] : memref<2xi32>
  }
  return
}

// Two accumulators at constant addresses of one memory (acc[0], acc[1]): different words,
// each kept in its own register.
// CHECK-LABEL: func.func @two_sums
// CHECK: affine.for %{{.*}} = 0 to 8 iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (i32, i32) {
// CHECK-NOT: affine.store
// CHECK: affine.yield
// CHECK: affine.store
// CHECK: affine.store
func.func @two_sums(%acc: memref<2xi32>, %y: memref<8xi32>) {
  affine.for %j = 0 to 8 {
    %w = affine.load %y[%j] : memref<8xi32>
    %a = affine.load %acc[0] : memref<2xi32>
    %s = arith.addi %a, %w : i32
    affine.store %s, %acc[0] : memref<2xi32>
    %b = affine.load %acc[1] : memref<2xi32>
    %m = arith.muli %w, %w : i32
    %t = arith.addi %b, %m : i32
    affine.store %t, %acc[1] : memref<2xi32>
  }
  return
}
