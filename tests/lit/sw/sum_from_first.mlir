// RUN: unified-opt %s -p sw-sum-from-first | filecheck %s

// An integer vector sum from a zero vector: the first iteration runs before the loop and
// its sum (0 + x, the first vector) is where the loop starts, one step later.
// CHECK-LABEL: func.func @sum
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[X:.*]] = affine.vector_load %arg0[%[[C0]]]
// CHECK-NEXT: %[[FIRST:.*]] = arith.addi %{{.*}}, %[[X]] : vector<32xi32>
// CHECK-NEXT: affine.for %{{.*}} = 32 to 4096 step 32 iter_args(%{{.*}} = %[[FIRST]])
func.func @sum(%a: memref<4096xi32>, %out: memref<1xi32>) {
  %zero = arith.constant dense<0> : vector<32xi32>
  %r = affine.for %i = 0 to 4096 step 32 iter_args(%acc = %zero) -> (vector<32xi32>) {
    %x = affine.vector_load %a[%i] : memref<4096xi32>, vector<32xi32>
    %s = arith.addi %acc, %x : vector<32xi32>
    affine.yield %s : vector<32xi32>
  }
  %s = vector.reduction <add>, %r : vector<32xi32> into i32
  affine.store %s, %out[0] : memref<1xi32>
  return
}

// -----

// A float sum stays as it is: started from 0.0, a sum of -0.0s is +0.0, not -0.0.
// CHECK-LABEL: func.func @fsum
// CHECK: affine.for %{{.*}} = 0 to 512 step 32
func.func @fsum(%a: memref<512xf32>) -> vector<32xf32> {
  %zero = arith.constant dense<0.0> : vector<32xf32>
  %r = affine.for %i = 0 to 512 step 32 iter_args(%acc = %zero) -> (vector<32xf32>) {
    %x = affine.vector_load %a[%i] : memref<512xf32>, vector<32xf32>
    %s = arith.addf %acc, %x : vector<32xf32>
    affine.yield %s : vector<32xf32>
  }
  return %r : vector<32xf32>
}

// -----

// One iteration only: nothing to gain, the loop stays.
// CHECK-LABEL: func.func @once
// CHECK: affine.for %{{.*}} = 0 to 32 step 32
func.func @once(%a: memref<32xi32>) -> vector<32xi32> {
  %zero = arith.constant dense<0> : vector<32xi32>
  %r = affine.for %i = 0 to 32 step 32 iter_args(%acc = %zero) -> (vector<32xi32>) {
    %x = affine.vector_load %a[%i] : memref<32xi32>, vector<32xi32>
    %s = arith.addi %acc, %x : vector<32xi32>
    affine.yield %s : vector<32xi32>
  }
  return %r : vector<32xi32>
}
