// RUN: unified-opt %s -p sw-mark-tileable{tile-size=4} | filecheck %s

// Reads of read-only arguments, one store of one element per (i, j): marked.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: unified.tile_size = 4 : i64
func.func @matmul(%A: memref<16x16xi32>, %B: memref<16x16xi32>, %C: memref<16x16xi32>) {
  affine.for %i = 0 to 16 {
    affine.for %j = 0 to 16 {
      %zero = arith.constant 0 : i32
      %sum = affine.for %k = 0 to 16 iter_args(%acc = %zero) -> (i32) {
        %a = affine.load %A[%i, %k] : memref<16x16xi32>
        %b = affine.load %B[%k, %j] : memref<16x16xi32>
        %p = arith.muli %a, %b : i32
        %s = arith.addi %acc, %p : i32
        affine.yield %s : i32
      }
      affine.store %sum, %C[%i, %j] : memref<16x16xi32>
    }
  }
  return
}

// In place, each iteration reads the element it writes: marked.
// CHECK-LABEL: func.func @scale
// CHECK-SAME: unified.tile_size = 4 : i64
func.func @scale(%x: memref<8x32xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 32 {
      %v = affine.load %x[%i, %j] : memref<8x32xi32>
      %w = arith.addi %v, %v : i32
      affine.store %w, %x[%i, %j] : memref<8x32xi32>
    }
  }
  return
}

// Row i reads row i-1 one column on: tiling would read elements before they are written.
// CHECK-LABEL: func.func @skew
// CHECK-NOT: unified.tile_size
// CHECK: return
func.func @skew(%a: memref<17x65xi32>) {
  affine.for %i = 1 to 17 {
    affine.for %j = 0 to 64 {
      %x = affine.load %a[%i - 1, %j + 1] : memref<17x65xi32>
      %y = affine.load %a[%i, %j] : memref<17x65xi32>
      %s = arith.addi %x, %y : i32
      affine.store %s, %a[%i, %j] : memref<17x65xi32>
    }
  }
  return
}

// Every j writes the same element of row i (the last write wins): not marked.
// CHECK-LABEL: func.func @last
// CHECK-NOT: unified.tile_size
// CHECK: return
func.func @last(%a: memref<8x32xi32>, %out: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 32 {
      %x = affine.load %a[%i, %j] : memref<8x32xi32>
      affine.store %x, %out[%i] : memref<8xi32>
    }
  }
  return
}

// Diagonal writes x[i + j]: two iterations share an element, not marked.
// CHECK-LABEL: func.func @diagonal
// CHECK-NOT: unified.tile_size
// CHECK: return
func.func @diagonal(%a: memref<8x8xi32>, %x: memref<16xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %v = affine.load %a[%i, %j] : memref<8x8xi32>
      affine.store %v, %x[%i + %j] : memref<16xi32>
    }
  }
  return
}

// One sum carried through both loops of a nest (iter_args): tiling would reorder the
// additions, so not marked.
// CHECK-LABEL: func.func @carried
// CHECK-NOT: unified.tile_size
// CHECK: return
func.func @carried(%a: memref<8x32xf32>, %out: memref<1xf32>) {
  %zero = arith.constant 0.0 : f32
  %sum = affine.for %i = 0 to 8 iter_args(%acc = %zero) -> (f32) {
    %row = affine.for %j = 0 to 32 iter_args(%r = %acc) -> (f32) {
      %x = affine.load %a[%i, %j] : memref<8x32xf32>
      %s = arith.addf %r, %x : f32
      affine.yield %s : f32
    }
    affine.yield %row : f32
  }
  affine.store %sum, %out[0] : memref<1xf32>
  return
}
