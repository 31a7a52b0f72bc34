// RUN: unified-opt %s -p sw-broadcast-reads | filecheck %s

#bcast = affine_map<(d0, d1) -> (0)>

// CHECK-LABEL: func.func @bcast
// CHECK: %[[S:.*]] = memref.load %arg0[%arg1, %arg2] : memref<4x4xf32>
// CHECK-NEXT: %[[V:.*]] = vector.broadcast %[[S]] : f32 to vector<16xf32>
// CHECK-NEXT: return %[[V]] : vector<16xf32>
func.func @bcast(%m: memref<4x4xf32>, %i: index, %j: index) -> vector<16xf32> {
  %p = ub.poison : f32
  %v = vector.transfer_read %m[%i, %j], %p {in_bounds = [true], permutation_map = #bcast} : memref<4x4xf32>, vector<16xf32>
  return %v : vector<16xf32>
}

// A contiguous read stays a transfer read.
// CHECK-LABEL: func.func @contiguous
// CHECK: vector.transfer_read %arg0[%arg1, %arg2]
func.func @contiguous(%m: memref<4x16xf32>, %i: index, %j: index) -> vector<16xf32> {
  %p = ub.poison : f32
  %v = vector.transfer_read %m[%i, %j], %p {in_bounds = [true]} : memref<4x16xf32>, vector<16xf32>
  return %v : vector<16xf32>
}
