// RUN: unified-opt %s -p 'sw-unroll-light-loops{factor=4 max-reads=2}' | filecheck %s

// Two reads per iteration: unrolled by 4 (step 4, four loads of each array).
// CHECK-LABEL: func.func @light
// CHECK: affine.for %{{.*}} = 0 to 64 step 4 {
// CHECK-COUNT-4: affine.load %arg0
func.func @light(%a: memref<64xi32>, %b: memref<64xi32>, %c: memref<64xi32>) {
  affine.for %i = 0 to 64 {
    %x = affine.load %a[%i] : memref<64xi32>
    %y = affine.load %b[%i] : memref<64xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %c[%i] : memref<64xi32>
  }
  return
}

// Three reads per iteration (more than max-reads): the loop stays as it is.
// CHECK-LABEL: func.func @heavy
// CHECK: affine.for %{{.*}} = 0 to 62 {
func.func @heavy(%a: memref<64xi32>, %c: memref<62xi32>) {
  affine.for %i = 0 to 62 {
    %x = affine.load %a[%i] : memref<64xi32>
    %y = affine.load %a[%i + 1] : memref<64xi32>
    %z = affine.load %a[%i + 2] : memref<64xi32>
    %s = arith.addi %x, %y : i32
    %t = arith.addi %s, %z : i32
    affine.store %t, %c[%i] : memref<62xi32>
  }
  return
}
