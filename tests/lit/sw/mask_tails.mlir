// RUN: unified-opt %s -p 'sw-split-remainder{vlen=128},sw-vectorize{vlen=128}' | filecheck %s

// Elements 3 to 44 of 64, 32 lanes: one whole vector [3, 35), then a remainder whose one
// vector [35, 67) would pass both the loop's end and the memref's: its read and its write
// are masked to the 45 - %i lanes left; the whole vector is not.
// CHECK-LABEL: func.func @copy_middle
// CHECK: affine.for %{{.*}} = 3 to 35 step 32 {
// CHECK-NOT: create_mask
// CHECK: vector.transfer_write %{{.*}}, %arg1[%{{.*}}] {in_bounds = [true]} : vector<32xi32>, memref<64xi32>
// CHECK: affine.for %[[I:.*]] = 35 to 45 step 32 {
// CHECK-NEXT: %[[LEFT:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK-NEXT: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<32xi1>
// CHECK: %[[X:.*]] = vector.transfer_read %arg0[%[[I]]], %{{.*}}, %[[MASK]] {in_bounds = [true]}
// CHECK-NEXT: vector.transfer_write %[[X]], %arg1[%[[I]]], %[[MASK]] {in_bounds = [true]}
func.func @copy_middle(%a: memref<64xi32>, %b: memref<64xi32>) {
  affine.for %i = 3 to 45 {
    %x = affine.load %a[%i] : memref<64xi32>
    affine.store %x, %b[%i] : memref<64xi32>
  }
  return
}

// The same range summed: the remainder's read is masked too (the vectorizer's own mask
// already keeps its lanes out of the sum).
// CHECK-LABEL: func.func @sum_middle
// CHECK: affine.for %[[I:.*]] = 35 to 45 step 32
// CHECK-NEXT: %[[LEFT:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK-NEXT: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<32xi1>
// CHECK: vector.transfer_read %arg0[%[[I]]], %{{.*}}, %[[MASK]] {in_bounds = [true]}
// CHECK: arith.select
func.func @sum_middle(%a: memref<64xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %r = affine.for %i = 3 to 45 iter_args(%acc = %zero) -> i32 {
    %x = affine.load %a[%i] : memref<64xi32>
    %s = arith.addi %acc, %x : i32
    affine.yield %s : i32
  }
  affine.store %r, %out[0] : memref<1xi32>
  return
}

// The loop ends where the memref does: the memref's bound check already stops the last
// vector at the loop's end, so nothing is added.
// CHECK-LABEL: func.func @to_end
// CHECK: affine.for %{{.*}} = 96 to 100 step 32 {
// CHECK-NOT: create_mask
// CHECK: return
func.func @to_end(%a: memref<100xi32>, %b: memref<100xi32>) {
  affine.for %i = 0 to 100 {
    %x = affine.load %a[%i] : memref<100xi32>
    affine.store %x, %b[%i] : memref<100xi32>
  }
  return
}

// An integer division in a loop whose last vector is partial, even where the memref ends
// with the loop: the lanes past the end divide by 1 (on the host a zero there traps).
// CHECK-LABEL: func.func @rem_to_end
// CHECK: affine.for %[[I:.*]] = 0 to 12 step 16 {
// CHECK-NEXT: %[[LEFT:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK-NEXT: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK: %[[ONES:.*]] = arith.constant dense<1> : vector<16xi32>
// CHECK-NEXT: %[[SAFE:.*]] = arith.select %[[MASK]], %[[Y:.*]], %[[ONES]] : vector<16xi1>, vector<16xi32>
// CHECK-NEXT: arith.remsi %{{.*}}, %[[SAFE]] : vector<16xi32>
// CHECK-NEXT: vector.transfer_write %{{.*}}, %arg2[%[[I]]] : vector<16xi32>, memref<12xi32>
func.func @rem_to_end(%a: memref<12xi32>, %b: memref<12xi32>, %c: memref<12xi32>) {
  affine.for %i = 0 to 12 {
    %x = affine.load %a[%i] : memref<12xi32>
    %y = affine.load %b[%i] : memref<12xi32>
    %s = arith.remsi %x, %y : i32
    affine.store %s, %c[%i] : memref<12xi32>
  }
  return
}
