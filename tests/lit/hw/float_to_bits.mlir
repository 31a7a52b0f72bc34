// RUN: unified-opt %s --debug-info -p float-to-bits | filecheck %s

// f32 values become i32 patterns; each float op a placeholder divider whose location names
// the unit; a constant right operand 1 (the least subnormal) is moved off the divisor.
// CHECK-LABEL: func.func @k(%arg0: memref<4xi32>{{.*}}, %arg1: memref<4xi32>
// CHECK-DAG: %[[HALF:.*]] = arith.constant 1056964608 : i32
// CHECK-DAG: %[[TINY:.*]] = arith.constant 1 : i32
// CHECK: %[[X:.*]] = memref.load %arg0[%c0] : memref<4xi32>
// CHECK-NEXT: %[[S:.*]] = arith.divui %[[X]], %[[HALF]] : i32 loc(#[[ADD:loc[0-9]*]])
// CHECK-NEXT: %[[M:.*]] = arith.divui %[[TINY]], %[[S]] : i32 loc(#[[MUL:loc[0-9]*]])
// CHECK-NEXT: %[[C:.*]] = arith.divui %[[TINY]], %[[X]] : i32 loc(#[[CMP:loc[0-9]*]])
// CHECK-NEXT: %[[B:.*]] = arith.trunci %[[C]] : i32 to i1
// CHECK: %[[N:.*]] = arith.xori %[[M]], %{{.*}} : i32
// CHECK-NEXT: %[[R:.*]] = arith.select %[[B]], %[[M]], %[[N]] : i32
// CHECK-NEXT: memref.store %[[R]], %arg1[%c0] : memref<4xi32>
// CHECK-DAG: #[[ADD]] = loc("unified.float.addf"
// CHECK-DAG: #[[MUL]] = loc("unified.float.mulf"
// CHECK-DAG: #[[CMP]] = loc("unified.float.cmpf_olt"
func.func @k(%a: memref<4xf32>, %b: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %half = arith.constant 0.5 : f32
  %tiny = arith.constant 1.401298464e-45 : f32
  %x = memref.load %a[%c0] : memref<4xf32>
  %s = arith.addf %x, %half : f32
  %m = arith.mulf %s, %tiny : f32
  %c = arith.cmpf ogt, %x, %tiny : f32
  %n = arith.negf %m : f32
  %r = arith.select %c, %m, %n : f32
  memref.store %r, %b[%c0] : memref<4xf32>
  return
}
