// RUN: unified-opt %s -p 'hls-bank-memories{factor=2}' | filecheck %s
// RUN: unified-opt %s -p 'hls-bank-memories{factor=1}' | filecheck %s --check-prefix=ONE
// RUN: unified-opt %s -p 'hls-bank-memories{factor=4 divisors=true}' | filecheck %s --check-prefix=DIV
// RUN: unified-opt %s -p 'hls-bank-memories{factor=4}' | filecheck %s --check-prefix=FOUR

// Each banked argument becomes two arguments of half the size along the banked dimension,
// each recording where it comes from; every access goes to its bank at index e floordiv 2.
// CHECK-LABEL: func.func @rows(
// CHECK-SAME:    %arg0: memref<4x2xi32> {unified.bank = {arg = 0 : i64, bank = 0 : i64, dim = 1 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg1: memref<4x2xi32> {unified.bank = {arg = 0 : i64, bank = 1 : i64, dim = 1 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg2: memref<4x2xi32> {unified.bank = {arg = 1 : i64, bank = 0 : i64, dim = 1 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg3: memref<4x2xi32> {unified.bank = {arg = 1 : i64, bank = 1 : i64, dim = 1 : i64, factor = 2 : i64}})
// CHECK:         affine.for %[[K:.*]] = 0 to 4 {
// CHECK-NEXT:      %[[B0:.*]] = affine.load %arg2[%[[K]], 0] : memref<4x2xi32>
// CHECK-NEXT:      %[[B1:.*]] = affine.load %arg3[%[[K]], 0] : memref<4x2xi32>
// CHECK-NEXT:      %[[B2:.*]] = affine.load %arg2[%[[K]], 1] : memref<4x2xi32>
// CHECK-NEXT:      %[[B3:.*]] = affine.load %arg3[%[[K]], 1] : memref<4x2xi32>
// CHECK-NEXT:      affine.store %[[B0]], %arg0[%[[K]], 0] : memref<4x2xi32>
// CHECK-NEXT:      affine.store %[[B1]], %arg1[%[[K]], 0] : memref<4x2xi32>
// CHECK-NEXT:      affine.store %[[B2]], %arg0[%[[K]], 1] : memref<4x2xi32>
// CHECK-NEXT:      affine.store %[[B3]], %arg1[%[[K]], 1] : memref<4x2xi32>
// ONE-LABEL: func.func @rows(%arg0: memref<4x4xi32>, %arg1: memref<4x4xi32>)

// Fully unrolled rows: C[k, 0..3] and B[k, 0..3] have constant banks along dim 1 only.
func.func @rows(%C: memref<4x4xi32>, %B: memref<4x4xi32>) {
  affine.for %k = 0 to 4 {
    %b0 = affine.load %B[%k, 0] : memref<4x4xi32>
    %b1 = affine.load %B[%k, 1] : memref<4x4xi32>
    %b2 = affine.load %B[%k, 2] : memref<4x4xi32>
    %b3 = affine.load %B[%k, 3] : memref<4x4xi32>
    affine.store %b0, %C[%k, 0] : memref<4x4xi32>
    affine.store %b1, %C[%k, 1] : memref<4x4xi32>
    affine.store %b2, %C[%k, 2] : memref<4x4xi32>
    affine.store %b3, %C[%k, 3] : memref<4x4xi32>
  }
  return
}



// Unrolled by 2: the loop of step 2 becomes a loop of step 1 over the bank index, so that
// no floordiv (a divider in hardware) is left. Scalars keep their place.
// CHECK-LABEL: func.func @pairs(%arg0: i32,
// CHECK-SAME:    %arg1: memref<4xi32> {unified.bank = {arg = 1 : i64, bank = 0 : i64, dim = 0 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg2: memref<4xi32> {unified.bank = {arg = 1 : i64, bank = 1 : i64, dim = 0 : i64, factor = 2 : i64}})
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 4 {
// CHECK-NEXT:      %[[A:.*]] = affine.load %arg1[%[[I]]] : memref<4xi32>
// CHECK-NEXT:      %[[B:.*]] = affine.load %arg2[%[[I]]] : memref<4xi32>
// CHECK-NEXT:      %[[S:.*]] = arith.addi %[[A]], %[[B]] : i32
// CHECK-NEXT:      affine.store %[[S]], %arg2[%[[I]]] : memref<4xi32>
func.func @pairs(%n: i32, %x: memref<8xi32>) {
  affine.for %i = 0 to 8 step 2 {
    %a = affine.load %x[%i] : memref<8xi32>
    %b = affine.load %x[%i + 1] : memref<8xi32>
    %s = arith.addi %a, %b : i32
    affine.store %s, %x[%i + 1] : memref<8xi32>
  }
  return
}



// Not banked, never guessed: an index of step 1, a symbol, and a memref handed to a call.
// CHECK-LABEL: func.func @kept(%arg0: memref<8xi32>, %arg1: memref<8xi32>, %arg2: memref<8xi32>, %arg3: index) {
// CHECK-NEXT:    affine.for %[[I:.*]] = 0 to 8 {
// CHECK-NEXT:      %[[V:.*]] = affine.load %arg0[%[[I]]] : memref<8xi32>
// CHECK-NEXT:      affine.store %[[V]], %arg1[symbol(%arg3)] : memref<8xi32>
// CHECK:         call @use(%arg2) : (memref<8xi32>) -> ()
func.func private @use(memref<8xi32>)
func.func @kept(%a: memref<8xi32>, %b: memref<8xi32>, %c: memref<8xi32>, %s: index) {
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    affine.store %v, %b[symbol(%s)] : memref<8xi32>
  }
  func.call @use(%c) : (memref<8xi32>) -> ()
  %z = arith.constant 0 : i32
  affine.store %z, %c[0] : memref<8xi32>
  return
}

// A lower bound of 1: %i is 1 mod 2, so %i - 1 and %i + 1 are in bank 0, %i in bank 1;
// %i = 2 * %q + 1 over %q = 0 to 3.
// CHECK-LABEL: func.func @odd(
// CHECK:         affine.for %[[Q:.*]] = 0 to 3 {
// CHECK-NEXT:      %[[A:.*]] = affine.load %arg0[%[[Q]]] : memref<4xi32>
// CHECK-NEXT:      %[[B:.*]] = affine.load %arg1[%[[Q]]] : memref<4xi32>
// CHECK-NEXT:      %[[C:.*]] = affine.load %arg0[%[[Q]] + 1] : memref<4xi32>
// CHECK:           affine.store %{{.*}}, %arg3[%[[Q]]] : memref<4xi32>
func.func @odd(%x: memref<8xi32>, %y: memref<8xi32>) {
  affine.for %i = 1 to 7 step 2 {
    %a = affine.load %x[%i - 1] : memref<8xi32>
    %b = affine.load %x[%i] : memref<8xi32>
    %c = affine.load %x[%i + 1] : memref<8xi32>
    %s = arith.addi %a, %b : i32
    %t = arith.addi %s, %c : i32
    affine.store %t, %y[%i] : memref<8xi32>
  }
  return
}

// %j also indexes %t along a dimension that cannot be banked (%i has step 1): rescaling its
// loop would put a multiplier on %t's address, so %c, whose bank needs it, stays whole.
// CHECK-LABEL: func.func @shared(%arg0: memref<8x8xi32>, %arg1: memref<8xi32>) {
// CHECK-NEXT:    affine.for %{{.*}} = 0 to 8 {
// CHECK-NEXT:      affine.for %{{.*}} = 0 to 8 step 2 {
func.func @shared(%t: memref<8x8xi32>, %c: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 step 2 {
      %a = affine.load %c[%j] : memref<8xi32>
      %b = affine.load %c[%j + 1] : memref<8xi32>
      affine.store %a, %t[%i, %j] : memref<8x8xi32>
      affine.store %b, %t[%j, %i] : memref<8x8xi32>
    }
  }
  return
}

// Four banks cannot be found for a loop of step 2: with divisors=true, %y gets two banks.
// DIV-LABEL: func.func @half(
// DIV-SAME:    %arg0: memref<4xi32> {unified.bank = {arg = 0 : i64, bank = 0 : i64, dim = 0 : i64, factor = 2 : i64}}
// DIV-SAME:    %arg1: memref<4xi32> {unified.bank = {arg = 0 : i64, bank = 1 : i64, dim = 0 : i64, factor = 2 : i64}}
// DIV-SAME:    %arg2: memref<2xi32> {unified.bank = {arg = 1 : i64, bank = 0 : i64, dim = 0 : i64, factor = 4 : i64}}
// DIV:         affine.for %[[Q:.*]] = 0 to 4 {
// DIV-NEXT:      affine.load %arg0[%[[Q]]] : memref<4xi32>
// DIV-NEXT:      affine.load %arg1[%[[Q]]] : memref<4xi32>
// FOUR-LABEL: func.func @half(%arg0: memref<8xi32>, %arg1: memref<2xi32> {unified.bank = {arg = 1 : i64, bank = 0 : i64, dim = 0 : i64, factor = 4 : i64}}
func.func @half(%y: memref<8xi32>, %w: memref<8xi32>) {
  affine.for %i = 0 to 8 step 2 {
    %a = affine.load %y[%i] : memref<8xi32>
    %b = affine.load %y[%i + 1] : memref<8xi32>
    %s = arith.addi %a, %b : i32
    affine.store %s, %w[0] : memref<8xi32>
    affine.store %s, %w[1] : memref<8xi32>
    affine.store %s, %w[2] : memref<8xi32>
    affine.store %s, %w[3] : memref<8xi32>
  }
  return
}

// Read by rows in one loop and by columns in the other, %a qualifies along no one
// dimension; read-only, it is replicated: copy 0 banked along dim 1, copy 1 along dim 0.
// %o is written, so it is never replicated: it stays whole.
// CHECK-LABEL: func.func @rows_and_columns(
// CHECK-SAME:    %arg0: memref<4x2xi32> {unified.bank = {arg = 0 : i64, bank = 0 : i64, dim = 1 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg1: memref<4x2xi32> {unified.bank = {arg = 0 : i64, bank = 1 : i64, dim = 1 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg2: memref<2x4xi32> {unified.bank = {arg = 0 : i64, bank = 0 : i64, copy = 1 : i64, dim = 0 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg3: memref<2x4xi32> {unified.bank = {arg = 0 : i64, bank = 1 : i64, copy = 1 : i64, dim = 0 : i64, factor = 2 : i64}}
// CHECK-SAME:    %arg4: memref<4x4xi32>)
// CHECK:         affine.load %arg0[%[[I:.*]], 0] : memref<4x2xi32>
// CHECK-NEXT:    affine.load %arg1[%[[I]], 0] : memref<4x2xi32>
// CHECK:         affine.load %arg2[0, %[[J:.*]]] : memref<2x4xi32>
// CHECK-NEXT:    affine.load %arg3[0, %[[J]]] : memref<2x4xi32>
func.func @rows_and_columns(%a: memref<4x4xi32>, %o: memref<4x4xi32>) {
  affine.for %i = 0 to 4 {
    %x = affine.load %a[%i, 0] : memref<4x4xi32>
    %y = affine.load %a[%i, 1] : memref<4x4xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %o[%i, %i] : memref<4x4xi32>
  }
  affine.for %j = 0 to 4 {
    %x = affine.load %a[0, %j] : memref<4x4xi32>
    %y = affine.load %a[1, %j] : memref<4x4xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %o[%j, 0] : memref<4x4xi32>
  }
  return
}
