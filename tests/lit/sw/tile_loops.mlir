// RUN: unified-opt %s -p sw-tile-loops | filecheck %s

// A marked function: its nest tiled by 2 (two rows; two vector steps of 16 along j),
// the mark dropped.
// CHECK-LABEL: func.func @marked
// CHECK-NOT: unified.tile_size
// CHECK: affine.for %[[IT:.*]] = 0 to 8 step 2 {
// CHECK-NEXT: affine.for %[[JT:.*]] = 0 to 32 step 32 {
// CHECK-NEXT: affine.for %[[I:.*]] = #map(%[[IT]]) to #map1(%[[IT]]) {
// CHECK-NEXT: affine.for %[[J:.*]] = #map(%[[JT]]) to #map2(%[[JT]]) step 16 {
// CHECK-NEXT: vector.transfer_read %arg0[%[[I]], %[[J]]]
func.func @marked(%x: memref<8x32xi32>) attributes {unified.tile_size = 2 : i64} {
  %p = ub.poison : i32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 32 step 16 {
      %v = vector.transfer_read %x[%i, %j], %p {in_bounds = [true]} : memref<8x32xi32>, vector<16xi32>
      %w = arith.addi %v, %v : vector<16xi32>
      vector.transfer_write %w, %x[%i, %j] {in_bounds = [true]} : vector<16xi32>, memref<8x32xi32>
    }
  }
  return
}

// Without the mark the nest stays as it is.
// CHECK-LABEL: func.func @unmarked
// CHECK: affine.for %{{.*}} = 0 to 8 {
// CHECK-NEXT: affine.for %{{.*}} = 0 to 32 step 16 {
func.func @unmarked(%x: memref<8x32xi32>) {
  %p = ub.poison : i32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 32 step 16 {
      %v = vector.transfer_read %x[%i, %j], %p {in_bounds = [true]} : memref<8x32xi32>, vector<16xi32>
      %w = arith.addi %v, %v : vector<16xi32>
      vector.transfer_write %w, %x[%i, %j] {in_bounds = [true]} : vector<16xi32>, memref<8x32xi32>
    }
  }
  return
}
