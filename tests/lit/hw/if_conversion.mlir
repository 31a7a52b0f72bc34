// RUN: unified-opt %s -p if-conversion | filecheck %s

// Both arms run; the yielded value is a select, and the arm's store keeps the old value
// when its condition is false (a load, a select, the store).
// CHECK-LABEL: func.func @absmax
// CHECK:       %[[NEG:.*]] = arith.cmpi slt, %[[V:.*]], %c0_i32 : i32
// CHECK-NEXT:  %[[M:.*]] = arith.subi %c0_i32, %[[V]] : i32
// CHECK-NEXT:  %[[ABS:.*]] = arith.select %[[NEG]], %[[M]], %[[V]] : i32
// CHECK-NEXT:  %[[BIG:.*]] = arith.cmpi sgt, %[[ABS]], %arg1 : i32
// CHECK-NEXT:  %[[OLD:.*]] = memref.load %arg0[%c0] : memref<2xi32>
// CHECK-NEXT:  %[[NEW:.*]] = arith.select %[[BIG]], %[[ABS]], %[[OLD]] : i32
// CHECK-NEXT:  memref.store %[[NEW]], %arg0[%c0] : memref<2xi32>
// CHECK-NEXT:  %[[OLD1:.*]] = memref.load %arg0[%c1] : memref<2xi32>
// CHECK-NEXT:  %[[NEW1:.*]] = arith.select %[[BIG]], %[[OLD1]], %arg1 : i32
// CHECK-NEXT:  memref.store %[[NEW1]], %arg0[%c1] : memref<2xi32>
// CHECK-NOT:   scf.if
func.func @absmax(%a: memref<2xi32>, %t: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c0_i32 = arith.constant 0 : i32
  %v = memref.load %a[%c0] : memref<2xi32>
  %neg = arith.cmpi slt, %v, %c0_i32 : i32
  %abs = scf.if %neg -> (i32) {
    %m = arith.subi %c0_i32, %v : i32
    scf.yield %m : i32
  } else {
    scf.yield %v : i32
  }
  %big = arith.cmpi sgt, %abs, %t : i32
  scf.if %big {
    memref.store %abs, %a[%c0] : memref<2xi32>
  } else {
    memref.store %t, %a[%c1] : memref<2xi32>
  }
  return
}
