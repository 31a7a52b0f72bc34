// RUN: unified-opt %s -p 'sw-vectorize{vlen=128 lmul=4}' | filecheck %s
// RUN: unified-opt %s -p 'sw-vectorize{vlen=128}' | filecheck %s --check-prefix=AUTO

// 128 bits x LMUL 4 / 32-bit elements = 16 lanes; 100 is not a multiple of 16, so the
// transfers stay out-of-bounds-checked (no in_bounds) and become masked at the tail.
// CHECK-LABEL: func.func @vadd
// CHECK: affine.for %{{.*}} = 0 to 100 step 16 {
// CHECK-NEXT: ub.poison
// CHECK-NEXT: vector.transfer_read %arg0[%{{.*}}], %{{.*}} : memref<100xi32>, vector<16xi32>
// CHECK: arith.addi %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK-NEXT: vector.transfer_write %{{.*}}, %arg2[%{{.*}}] : vector<16xi32>, memref<100xi32>
// With LMUL chosen (lmul=0): two loads per iteration leave room for LMUL 8, 32 lanes.
// AUTO-LABEL: func.func @vadd
// AUTO: affine.for %{{.*}} = 0 to 100 step 32 {
func.func @vadd(%a: memref<100xi32>, %b: memref<100xi32>, %c: memref<100xi32>) {
  affine.for %i = 0 to 100 {
    %x = affine.load %a[%i] : memref<100xi32>
    %y = affine.load %b[%i] : memref<100xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %c[%i] : memref<100xi32>
  }
  return
}

// f64 elements: 128 x 4 / 64 = 8 lanes; the reduction keeps a vector accumulator, and its
// final horizontal sum may be unordered (the lanes were already summed out of order).
// CHECK-LABEL: func.func @sum
// CHECK: affine.for %{{.*}} = 0 to 20 step 8 iter_args(%{{.*}} = %{{.*}}) -> (vector<8xf64>)
// CHECK: vector.reduction <add>, %{{.*}} fastmath<reassoc> : vector<8xf64> into f64
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

// Nine loads per iteration (a 3x3 window): LMUL 4, 16 lanes, so the rows fit in registers.
// AUTO-LABEL: func.func @window
// CHECK-LABEL: func.func @window
// AUTO: affine.for %{{.*}} = 0 to 64 step 16 {
func.func @window(%in: memref<3x66xf32>, %out: memref<64xf32>) {
  affine.for %j = 0 to 64 {
    %a0 = affine.load %in[0, %j] : memref<3x66xf32>
    %a1 = affine.load %in[0, %j + 1] : memref<3x66xf32>
    %a2 = affine.load %in[0, %j + 2] : memref<3x66xf32>
    %b0 = affine.load %in[1, %j] : memref<3x66xf32>
    %b1 = affine.load %in[1, %j + 1] : memref<3x66xf32>
    %b2 = affine.load %in[1, %j + 2] : memref<3x66xf32>
    %c0 = affine.load %in[2, %j] : memref<3x66xf32>
    %c1 = affine.load %in[2, %j + 1] : memref<3x66xf32>
    %c2 = affine.load %in[2, %j + 2] : memref<3x66xf32>
    %s0 = arith.addf %a0, %a1 : f32
    %s1 = arith.addf %s0, %a2 : f32
    %s2 = arith.addf %s1, %b0 : f32
    %s3 = arith.addf %s2, %b1 : f32
    %s4 = arith.addf %s3, %b2 : f32
    %s5 = arith.addf %s4, %c0 : f32
    %s6 = arith.addf %s5, %c1 : f32
    %s7 = arith.addf %s6, %c2 : f32
    affine.store %s7, %out[%j] : memref<64xf32>
  }
  return
}

// The loop stops at 12 of 16 elements: the memref's end does not cut the one partial vector,
// so the store is masked to the 12 - %i lanes left (the reads may run on: nothing uses them).
// CHECK-LABEL: func.func @head
// CHECK: affine.for %[[I:.*]] = 0 to 12 step 16 {
// CHECK-NEXT: %[[LEFT:.*]] = affine.apply #{{.*}}(%[[I]])
// CHECK-NEXT: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK: vector.transfer_read %arg0[%[[I]]], %{{[^,]*}} {in_bounds = [true]}
// CHECK: vector.transfer_write %{{.*}}, %arg1[%[[I]]], %[[MASK]] {in_bounds = [true]} : vector<16xi32>, memref<16xi32>
func.func @head(%a: memref<16xi32>, %b: memref<16xi32>) {
  affine.for %i = 0 to 12 {
    %x = affine.load %a[%i] : memref<16xi32>
    %y = arith.muli %x, %x : i32
    affine.store %y, %b[%i] : memref<16xi32>
  }
  return
}

// A triangle: the row's bound is the outer index, so every row's last vector is masked, and
// the lanes left are counted from that bound.
// CHECK-LABEL: func.func @triangle
// CHECK: affine.for %[[R:.*]] = 0 to 20 {
// CHECK-NEXT: affine.for %[[C:.*]] = 0 to #{{.*}}(%[[R]]) step 16 {
// CHECK-NEXT: %[[LEFT:.*]] = affine.apply #{{.*}}(%[[R]], %[[C]])
// CHECK-NEXT: %[[MASK:.*]] = vector.create_mask %[[LEFT]] : vector<16xi1>
// CHECK: vector.transfer_write %{{.*}}, %arg0[%[[R]], %[[C]]], %[[MASK]] {in_bounds = [true]}
func.func @triangle(%m: memref<20x20xi32>) {
  affine.for %i = 0 to 20 {
    affine.for %j = 0 to affine_map<(d0) -> (d0 + 1)>(%i) {
      %x = affine.load %m[%i, %j] : memref<20x20xi32>
      %y = arith.addi %x, %x : i32
      affine.store %y, %m[%i, %j] : memref<20x20xi32>
    }
  }
  return
}

// -----

// LMUL chosen per kernel by the registers an outer loop keeps busy: y[j] (64 outputs) is
// updated in place along j and not moved by i, so LLVM carries it in registers across i. At
// LMUL 8 that is 2 vectors (with a loaded vector and a temporary, 32 registers: one more than
// beside v0); at LMUL 4, 4 vectors of 16 lanes in 24 registers.
// AUTO-LABEL: func.func @dense_rows
// AUTO: vector.transfer_read %arg1[%{{.*}}, %{{.*}}], %{{.*}} : memref<128x64xf32>, vector<16xf32>
// AUTO-NOT: vector<32xf32>
func.func @dense_rows(%x: memref<128xf32>, %W: memref<128x64xf32>, %y: memref<64xf32>) {
  affine.for %i = 0 to 128 {
    affine.for %j = 0 to 64 {
      %xi = affine.load %x[%i] : memref<128xf32>
      %wij = affine.load %W[%i, %j] : memref<128x64xf32>
      %acc = affine.load %y[%j] : memref<64xf32>
      %p = arith.mulf %xi, %wij : f32
      %s = arith.addf %acc, %p : f32
      affine.store %s, %y[%j] : memref<64xf32>
    }
  }
  return
}
