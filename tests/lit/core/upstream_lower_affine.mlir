// An upstream MLIR pass (torch-mlir's build) through unified-opt: affine.for becomes scf.for.
// RUN: unified-opt %s -p 'mlir(builtin.module(func.func(lower-affine)))' | filecheck %s

// CHECK-LABEL: func.func @scale
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C8]] step %[[C1]] {
// CHECK-NEXT:      %[[V:.*]] = memref.load %arg0[%[[I]]] : memref<8xi32>
// CHECK-NEXT:      %[[W:.*]] = arith.muli %[[V]], %[[V]] : i32
// CHECK-NEXT:      memref.store %[[W]], %arg1[%[[I]]] : memref<8xi32>
// CHECK-NEXT:    }
// CHECK-NOT:     affine.
func.func @scale(%a: memref<8xi32>, %b: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    %w = arith.muli %v, %v : i32
    affine.store %w, %b[%i] : memref<8xi32>
  }
  return
}
