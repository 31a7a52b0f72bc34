// RUN: unified-opt %s -p "sw-split-accumulators{vlen=128}" | filecheck %s

// Four loads added into one vector<16xi32> (LMUL 4 at VLEN 128): four accumulators, the
// j-th add into the j-th, added once after the loop (a balanced tree).
// CHECK-LABEL: func.func @sum4
// CHECK: %[[INIT:.*]] = arith.constant dense<0> : vector<16xi32>
// CHECK-NEXT: %[[Z:.*]] = arith.constant dense<0> : vector<16xi32>
// CHECK-NEXT: %[[R:.*]]:4 = affine.for %[[I:.*]] = 0 to 256 step 64 iter_args(%[[A0:.*]] = %[[INIT]], %[[A1:.*]] = %[[Z]], %[[A2:.*]] = %[[Z]], %[[A3:.*]] = %[[Z]])
// CHECK: %[[X0:.*]] = affine.vector_load %arg0[%[[I]]]
// CHECK-NEXT: %[[S0:.*]] = arith.addi %[[A0]], %[[X0]]
// CHECK: %[[S1:.*]] = arith.addi %[[A1]], %{{.*}}
// CHECK: %[[S2:.*]] = arith.addi %{{.*}}, %[[A2]]
// CHECK: %[[S3:.*]] = arith.addi %[[A3]], %{{.*}}
// CHECK-NEXT: affine.yield %[[S0]], %[[S1]], %[[S2]], %[[S3]]
// CHECK: %[[T0:.*]] = arith.addi %[[R]]#0, %[[R]]#1
// CHECK-NEXT: %[[T1:.*]] = arith.addi %[[R]]#2, %[[R]]#3
// CHECK-NEXT: %[[T:.*]] = arith.addi %[[T0]], %[[T1]]
// CHECK-NEXT: vector.reduction <add>, %[[T]]
func.func @sum4(%a: memref<256xi32>, %out: memref<1xi32>) {
  %init = arith.constant dense<0> : vector<16xi32>
  %r = affine.for %i = 0 to 256 step 64 iter_args(%acc = %init) -> (vector<16xi32>) {
    %x0 = affine.vector_load %a[%i] : memref<256xi32>, vector<16xi32>
    %s0 = arith.addi %acc, %x0 : vector<16xi32>
    %x1 = affine.vector_load %a[%i + 16] : memref<256xi32>, vector<16xi32>
    %s1 = arith.addi %s0, %x1 : vector<16xi32>
    %x2 = affine.vector_load %a[%i + 32] : memref<256xi32>, vector<16xi32>
    %s2 = arith.addi %x2, %s1 : vector<16xi32>
    %x3 = affine.vector_load %a[%i + 48] : memref<256xi32>, vector<16xi32>
    %s3 = arith.addi %s2, %x3 : vector<16xi32>
    affine.yield %s3 : vector<16xi32>
  }
  %s = vector.reduction <add>, %r : vector<16xi32> into i32
  affine.store %s, %out[0] : memref<1xi32>
  return
}

// -----

// LMUL 8 (vector<32xf32> at VLEN 128): two accumulators fit beside a loaded vector; adds
// 0 and 2 go into the first, 1 and 3 into the second. Float sums keep their fastmath flags.
// CHECK-LABEL: func.func @fsum
// CHECK: %[[R:.*]]:2 = affine.for %{{.*}} iter_args(%[[A0:.*]] = %{{.*}}, %[[A1:.*]] = %{{.*}})
// CHECK: %[[S0:.*]] = arith.addf %[[A0]], %{{.*}} fastmath<reassoc>
// CHECK: %[[S1:.*]] = arith.addf %[[A1]], %{{.*}} fastmath<reassoc>
// CHECK: %[[S2:.*]] = arith.addf %[[S0]], %{{.*}} fastmath<reassoc>
// CHECK: %[[S3:.*]] = arith.addf %[[S1]], %{{.*}} fastmath<reassoc>
// CHECK-NEXT: affine.yield %[[S2]], %[[S3]]
// CHECK: arith.addf %[[R]]#0, %[[R]]#1 fastmath<reassoc>
func.func @fsum(%a: memref<512xf32>) -> vector<32xf32> {
  %init = arith.constant dense<0.0> : vector<32xf32>
  %r = affine.for %i = 0 to 512 step 128 iter_args(%acc = %init) -> (vector<32xf32>) {
    %x0 = affine.vector_load %a[%i] : memref<512xf32>, vector<32xf32>
    %s0 = arith.addf %acc, %x0 fastmath<reassoc> : vector<32xf32>
    %x1 = affine.vector_load %a[%i + 32] : memref<512xf32>, vector<32xf32>
    %s1 = arith.addf %s0, %x1 fastmath<reassoc> : vector<32xf32>
    %x2 = affine.vector_load %a[%i + 64] : memref<512xf32>, vector<32xf32>
    %s2 = arith.addf %s1, %x2 fastmath<reassoc> : vector<32xf32>
    %x3 = affine.vector_load %a[%i + 96] : memref<512xf32>, vector<32xf32>
    %s3 = arith.addf %s2, %x3 fastmath<reassoc> : vector<32xf32>
    affine.yield %s3 : vector<32xf32>
  }
  return %r : vector<32xf32>
}

// -----

// A partial sum used elsewhere stays one accumulator.
// CHECK-LABEL: func.func @used_partial
// CHECK: affine.for %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<16xi32>)
func.func @used_partial(%a: memref<256xi32>, %b: memref<256xi32>) -> vector<16xi32> {
  %init = arith.constant dense<0> : vector<16xi32>
  %r = affine.for %i = 0 to 256 step 32 iter_args(%acc = %init) -> (vector<16xi32>) {
    %x0 = affine.vector_load %a[%i] : memref<256xi32>, vector<16xi32>
    %s0 = arith.addi %acc, %x0 : vector<16xi32>
    affine.vector_store %s0, %b[%i] : memref<256xi32>, vector<16xi32>
    %x1 = affine.vector_load %a[%i + 16] : memref<256xi32>, vector<16xi32>
    %s1 = arith.addi %s0, %x1 : vector<16xi32>
    affine.yield %s1 : vector<16xi32>
  }
  return %r : vector<16xi32>
}
