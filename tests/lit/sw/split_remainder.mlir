// RUN: unified-opt %s -p 'sw-split-remainder{vlen=128 lmul=4}' | filecheck %s

// 100 = 6 x 16 + 4: a main loop over whole vectors and a 4-iteration remainder.
// CHECK-LABEL: func.func @copy
// CHECK: affine.for %[[I:.*]] = 0 to 96 {
// CHECK: affine.for %[[J:.*]] = 96 to 100 {
func.func @copy(%a: memref<100xi32>, %b: memref<100xi32>) {
  affine.for %i = 0 to 100 {
    %x = affine.load %a[%i] : memref<100xi32>
    affine.store %x, %b[%i] : memref<100xi32>
  }
  return
}

// A reduction: the remainder starts from the main loop's result.
// CHECK-LABEL: func.func @sum
// CHECK: %[[MAIN:.*]] = affine.for %{{.*}} = 0 to 32 iter_args(%{{.*}} = %{{.*}}) -> (i32) {
// CHECK: %[[TAIL:.*]] = affine.for %{{.*}} = 32 to 40 iter_args(%{{.*}} = %[[MAIN]]) -> (i32) {
// CHECK: affine.store %[[TAIL]], %arg1[0]
func.func @sum(%a: memref<40xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %r = affine.for %i = 0 to 40 iter_args(%acc = %zero) -> i32 {
    %x = affine.load %a[%i] : memref<40xi32>
    %s = arith.addi %acc, %x : i32
    affine.yield %s : i32
  }
  affine.store %r, %out[0] : memref<1xi32>
  return
}

// A multiple of the lanes needs no split.
// CHECK-LABEL: func.func @whole
// CHECK: affine.for %{{.*}} = 0 to 32 {
// CHECK-NOT: affine.for
func.func @whole(%a: memref<32xi32>, %b: memref<32xi32>) {
  affine.for %i = 0 to 32 {
    %x = affine.load %a[%i] : memref<32xi32>
    affine.store %x, %b[%i] : memref<32xi32>
  }
  return
}
