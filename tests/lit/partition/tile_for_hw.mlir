// RUN: unified-opt %s -p 'tile-for-hw{budget-bytes=64}' | filecheck %s

// @k's memrefs take 224 bytes, the budget is 64: @k becomes the software loop over row tiles
// (2 rows: 56 bytes), copying each tile in, calling @k_tile, copying the written tile back.
// CHECK-LABEL: func.func @k(%arg0: memref<8x6xi32>, %arg1: i32, %arg2: memref<8xi32>) attributes {unified.target = "sw"}
// CHECK:         %[[A:.*]] = memref.alloc() : memref<2x6xi32>
// CHECK:         %[[O:.*]] = memref.alloc() : memref<2xi32>
// CHECK:         affine.for %[[I:.*]] = 0 to 8 step 2 {
// CHECK:           affine.load %arg0[%[[I]] + %{{.*}}, %{{.*}}] : memref<8x6xi32>
// CHECK:           affine.load %arg2[%[[I]] + %{{.*}}] : memref<8xi32>
// CHECK:           func.call @k_tile(%[[A]], %arg1, %[[O]]) : (memref<2x6xi32>, i32, memref<2xi32>) -> ()
// CHECK:           affine.for %[[T:.*]] = 0 to 2 {
// CHECK-NEXT:        %[[V:.*]] = affine.load %[[O]][%[[T]]] : memref<2xi32>
// CHECK-NEXT:        affine.store %[[V]], %arg2[%[[I]] + %[[T]]] : memref<8xi32>
// CHECK:         memref.dealloc %[[A]] : memref<2x6xi32>
// CHECK:         memref.dealloc %[[O]] : memref<2xi32>
// The tile kernel: the same nest over one tile, on tile-sized memrefs, the kernel's target.
// CHECK-LABEL: func.func @k_tile(%arg0: memref<2x6xi32>, %arg1: i32, %arg2: memref<2xi32>) attributes {unified.target = "hw"}
// CHECK-NEXT:    affine.for %{{.*}} = 0 to 2 {
// CHECK-NEXT:      affine.for %{{.*}} = 0 to 6 {
// CHECK:         affine.store %{{.*}}, %arg2[%{{.*}}] : memref<2xi32>
// The entry is never tiled.
// CHECK-LABEL: func.func @main
// CHECK-NEXT:    call @k(
func.func @k(%a: memref<8x6xi32>, %s: i32, %out: memref<8xi32>) attributes {unified.target = "hw"} {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 6 {
      %v = affine.load %a[%i, %j] : memref<8x6xi32>
      %o = affine.load %out[%i] : memref<8xi32>
      %p = arith.muli %v, %s : i32
      %t = arith.addi %o, %p : i32
      affine.store %t, %out[%i] : memref<8xi32>
    }
  }
  return
}

func.func @main(%a: memref<8x6xi32>, %s: i32, %out: memref<8xi32>) {
  call @k(%a, %s, %out) : (memref<8x6xi32>, i32, memref<8xi32>) -> ()
  return
}
