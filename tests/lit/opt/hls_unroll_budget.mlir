// RUN: unified-opt %s -p hls-unroll-budget | filecheck %s
// RUN: unified-opt %s -p 'hls-unroll-budget{max-multipliers=1}' | filecheck %s --check-prefix=TIGHT

// One multiplier, 8 copies: within 16, so the loop is unrolled by 8 (fully).
// CHECK-LABEL: func.func @small
// CHECK-NOT: affine.for
// CHECK-COUNT-8: arith.muli
// CHECK-NOT: arith.muli
// CHECK: return
// A budget of 1 falls back to a factor of 2.
// TIGHT-LABEL: func.func @small
// TIGHT: affine.for %{{.*}} = 0 to 8 step 2
// TIGHT-COUNT-2: arith.muli
// TIGHT-NOT: arith.muli
// TIGHT: return
func.func @small(%A: memref<8xi32>, %x: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %a = affine.load %A[%i] : memref<8xi32>
    %m = arith.muli %a, %a : i32
    affine.store %m, %x[%i] : memref<8xi32>
  }
  return
}

// Three multipliers: 8 copies (24) are past the budget of 16, 4 copies (12) fit.
// CHECK-LABEL: func.func @big
// CHECK: affine.for %{{.*}} = 0 to 8 step 4
// CHECK-COUNT-12: arith.muli
// CHECK-NOT: arith.muli
// CHECK: return
func.func @big(%A: memref<8xi32>, %x: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %a = affine.load %A[%i] : memref<8xi32>
    %m = arith.muli %a, %a : i32
    %n = arith.muli %m, %a : i32
    %o = arith.muli %n, %a : i32
    affine.store %o, %x[%i] : memref<8xi32>
  }
  return
}

// A loop of 4 iterations is unrolled by 4 (fully), not left alone by a factor of 8.
// CHECK-LABEL: func.func @short
// CHECK-NOT: affine.for
// CHECK-COUNT-4: arith.muli
// CHECK-NOT: arith.muli
// CHECK: return
func.func @short(%A: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %a = affine.load %A[%i] : memref<4xi32>
    %m = arith.muli %a, %a : i32
    affine.store %m, %A[%i] : memref<4xi32>
  }
  return
}

// Two loops share the budget, the cheaper first: one multiplier x 8 = 8, then two
// multipliers x 4 = 8.
// CHECK-LABEL: func.func @shared
// CHECK: affine.for %{{.*}} = 0 to 8 step 4
// CHECK-COUNT-8: arith.muli
// CHECK: affine.store
// CHECK-NOT: affine.for
// CHECK-COUNT-8: arith.muli
// CHECK-NOT: arith.muli
// CHECK: return
func.func @shared(%A: memref<8xi32>, %x: memref<8xi32>, %y: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %a = affine.load %A[%i] : memref<8xi32>
    %m = arith.muli %a, %a : i32
    %n = arith.muli %m, %a : i32
    affine.store %n, %x[%i] : memref<8xi32>
  }
  affine.for %j = 0 to 8 {
    %a = affine.load %A[%j] : memref<8xi32>
    %m = arith.muli %a, %a : i32
    affine.store %m, %y[%j] : memref<8xi32>
  }
  return
}

// A 3x3 window: the inner loop is unrolled fully (3 multipliers), which leaves the
// window's outer loop innermost; 3 x 3 = 9 multipliers fit the budget of 16, so it is
// unrolled fully too, and the two output loops (36 x 9 would not fit) stay.
// CHECK-LABEL: func.func @window
// CHECK: affine.for %{{.*}} = 0 to 6 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 6 {
// CHECK-NOT: affine.for
// CHECK-COUNT-9: arith.muli
// CHECK-NOT: arith.muli
// CHECK: return
func.func @window(%img: memref<8x8xi32>, %w: memref<3x3xi32>, %out: memref<6x6xi32>) {
  affine.for %i = 0 to 6 {
    affine.for %j = 0 to 6 {
      affine.for %ki = 0 to 3 {
        affine.for %kj = 0 to 3 {
          %x = affine.load %img[%i + %ki, %j + %kj] : memref<8x8xi32>
          %k = affine.load %w[%ki, %kj] : memref<3x3xi32>
          %acc = affine.load %out[%i, %j] : memref<6x6xi32>
          %p = arith.muli %x, %k : i32
          %s = arith.addi %acc, %p : i32
          affine.store %s, %out[%i, %j] : memref<6x6xi32>
        }
      }
    }
  }
  return
}
