// RUN: unified-opt %s -p "sw-vectorize-strided{vlen=128 lmul=2}" | filecheck %s
// RUN: unified-opt %s -p "sw-vectorize-strided{vlen=128 lmul=8}" | filecheck %s --check-prefix=M8

// A lone stride-2 read along the inner loop becomes a constant-stride gather (vlse32.v once
// lowered), a unit-stride read and the store vector loads and stores; 8 lanes at LMUL 2.
// Each load sits right before its first use.
// CHECK-LABEL: func.func @pool_rows
// CHECK: affine.for %[[I:.*]] = 0 to 16 step 8 {
// CHECK: %[[B:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK: %[[OFF:.*]] = arith.constant dense<[0, 2, 4, 6, 8, 10, 12, 14]> : vector<8xi32>
// CHECK: %[[G:.*]] = vector.gather %arg0[%[[B]]] [%[[OFF]]], %{{.*}}, %{{.*}} : memref<32xf32>, vector<8xi32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
// CHECK-NEXT: %[[S:.*]] = vector.broadcast %arg3 : f32 to vector<8xf32>
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[G]], %[[S]] : vector<8xf32>
// CHECK-NEXT: %[[U:.*]] = affine.vector_load %arg1[%[[I]]] : memref<16xf32>, vector<8xf32>
// CHECK-NEXT: %[[A:.*]] = arith.addf %[[M]], %[[U]] : vector<8xf32>
// CHECK-NEXT: affine.vector_store %[[A]], %arg2[%[[I]]] : memref<16xf32>, vector<8xf32>
func.func @pool_rows(%in: memref<32xf32>, %u: memref<16xf32>, %out: memref<16xf32>, %s: f32) {
  affine.for %i = 0 to 16 {
    %x = affine.load %in[2 * %i] : memref<32xf32>
    %y = affine.load %u[%i] : memref<16xf32>
    %m = arith.mulf %x, %s : f32
    %a = arith.addf %m, %y : f32
    affine.store %a, %out[%i] : memref<16xf32>
  }
  return
}

// -----

// Stride-2 reads at offsets 0 and 1 (a complete segment): one wide unit-stride load and a
// deinterleaving shuffle per field (vlseg2e32.v once lowered). At LMUL 8 the lanes are capped
// so that both fields fit in 8 registers (16 lanes, LMUL 4 per field).
// CHECK-LABEL: func.func @pairs
// CHECK: affine.for %[[J:.*]] = 0 to 32 step 8 {
// CHECK-NEXT: %[[W:.*]] = affine.vector_load %arg0[%[[J]] * 2] : memref<64xf32>, vector<16xf32>
// CHECK-NEXT: %[[O:.*]] = vector.shuffle %[[W]], %[[W]] [1, 3, 5, 7, 9, 11, 13, 15]
// CHECK-NEXT: %[[E:.*]] = vector.shuffle %[[W]], %[[W]] [0, 2, 4, 6, 8, 10, 12, 14]
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[O]], %[[E]] : vector<8xf32>
// CHECK-NEXT: affine.vector_store %[[S]], %arg1[%[[J]]] : memref<32xf32>, vector<8xf32>
// M8-LABEL: func.func @pairs
// M8: affine.for %{{.*}} = 0 to 32 step 16 {
// M8-NEXT: affine.vector_load %arg0[%{{.*}} * 2] : memref<64xf32>, vector<32xf32>
func.func @pairs(%in: memref<64xf32>, %out: memref<32xf32>) {
  affine.for %j = 0 to 32 {
    %odd = affine.load %in[2 * %j + 1] : memref<64xf32>
    %even = affine.load %in[2 * %j] : memref<64xf32>
    %s = arith.addf %odd, %even : f32
    affine.store %s, %out[%j] : memref<32xf32>
  }
  return
}

// -----

// 20 iterations: two whole vectors, the last 4 iterations stay a scalar loop.
// CHECK-LABEL: func.func @remainder
// CHECK: affine.for %{{.*}} = 0 to 16 step 8 {
// CHECK: vector.gather
// CHECK: affine.for %[[J:.*]] = 16 to 20 {
// CHECK-NEXT: affine.load %arg0[%[[J]] * 3]
func.func @remainder(%in: memref<60xi32>, %out: memref<20xi32>) {
  affine.for %i = 0 to 20 {
    %x = affine.load %in[3 * %i] : memref<60xi32>
    affine.store %x, %out[%i] : memref<20xi32>
  }
  return
}

// -----

// A strided store, and a buffer read and written at different places, stay scalar.
// CHECK-LABEL: func.func @left_scalar
// CHECK: affine.for %{{.*}} = 0 to 16 {
// CHECK: affine.store %{{.*}}, %arg1[%{{.*}} * 2]
// CHECK: affine.for %{{.*}} = 0 to 16 {
// CHECK: affine.load %arg0[%{{.*}} * 2]
// CHECK: affine.store %{{.*}}, %arg0[%{{.*}}]
func.func @left_scalar(%a: memref<32xf32>, %b: memref<32xf32>) {
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<32xf32>
    affine.store %x, %b[2 * %i] : memref<32xf32>
  }
  affine.for %i = 0 to 16 {
    %x = affine.load %a[2 * %i] : memref<32xf32>
    affine.store %x, %a[%i] : memref<32xf32>
  }
  return
}

// -----

// Two stores to one buffer at different places: a later iteration's store would land
// between them, so the loop stays scalar.
// CHECK-LABEL: func.func @two_stores
// CHECK: affine.for %{{.*}} = 0 to 16 {
// CHECK: affine.store %{{.*}}, %arg1[%{{.*}}]
// CHECK: affine.store %{{.*}}, %arg1[%{{.*}} + 1]
func.func @two_stores(%a: memref<32xi32>, %b: memref<17xi32>) {
  affine.for %i = 0 to 16 {
    %x = affine.load %a[2 * %i] : memref<32xi32>
    %y = affine.load %a[2 * %i + 1] : memref<32xi32>
    affine.store %x, %b[%i] : memref<17xi32>
    affine.store %y, %b[%i + 1] : memref<17xi32>
  }
  return
}
