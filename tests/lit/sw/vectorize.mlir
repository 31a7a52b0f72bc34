// RUN: unified-opt %s -p 'sw-vectorize{vlen=128}' | filecheck %s

// 128 bits x LMUL 4 / 32-bit elements = 16 lanes; 100 is not a multiple of 16, so the
// transfers stay out-of-bounds-checked (no in_bounds) and become masked at the tail.
// CHECK-LABEL: func.func @vadd
// CHECK: affine.for %{{.*}} = 0 to 100 step 16 {
// CHECK-NEXT: ub.poison
// CHECK-NEXT: vector.transfer_read %arg0[%{{.*}}], %{{.*}} : memref<100xi32>, vector<16xi32>
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK-NEXT: vector.transfer_write %{{.*}}, %arg2[%{{.*}}] : vector<16xi32>, memref<100xi32>
func.func @vadd(%a: memref<100xi32>, %b: memref<100xi32>, %c: memref<100xi32>) {
  affine.for %i = 0 to 100 {
    %x = affine.load %a[%i] : memref<100xi32>
    %y = affine.load %b[%i] : memref<100xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %c[%i] : memref<100xi32>
  }
  return
}

// f64 elements: 128 x 4 / 64 = 8 lanes; the reduction keeps a vector accumulator.
// CHECK-LABEL: func.func @sum
// CHECK: affine.for %{{.*}} = 0 to 20 step 8 iter_args(%{{.*}} = %{{.*}}) -> (vector<8xf64>)
// CHECK: vector.reduction <add>, %{{.*}} : vector<8xf64> into f64
func.func @sum(%a: memref<20xf64>, %out: memref<1xf64>) {
  %zero = arith.constant 0.0 : f64
  %r = affine.for %i = 0 to 20 iter_args(%acc = %zero) -> f64 {
    %x = affine.load %a[%i] : memref<20xf64>
    %s = arith.addf %acc, %x : f64
    affine.yield %s : f64
  }
  affine.store %r, %out[0] : memref<1xf64>
  return
}

// A stride-2 access: the affine vectorizer would read it as contiguous, so it stays scalar.
// CHECK-LABEL: func.func @strided
// CHECK: affine.for %{{.*}} = 0 to 8 {
// CHECK-NEXT: affine.load %arg0[%{{.*}} * 2] : memref<16xf32>
// CHECK-NOT: vector
func.func @strided(%in: memref<16xf32>, %out: memref<8xf32>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %in[%i * 2] : memref<16xf32>
    affine.store %x, %out[%i] : memref<8xf32>
  }
  return
}
