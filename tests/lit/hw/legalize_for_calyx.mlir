// RUN: unified-opt %s -p legalize-for-calyx | filecheck %s

// max/min become a compare and a select on the same operands; dealloc disappears.
// CHECK-LABEL: func.func @clamp
// CHECK-NEXT:  %[[C0:.*]] = arith.cmpi sgt, %arg0, %arg1 : i16
// CHECK-NEXT:  %[[S0:.*]] = arith.select %[[C0]], %arg0, %arg1 : i16
// CHECK-NEXT:  %[[C1:.*]] = arith.cmpi slt, %[[S0]], %arg2 : i16
// CHECK-NEXT:  %[[S1:.*]] = arith.select %[[C1]], %[[S0]], %arg2 : i16
// CHECK-NEXT:  %[[C2:.*]] = arith.cmpi ugt, %[[S1]], %arg1 : i16
// CHECK-NEXT:  %[[S2:.*]] = arith.select %[[C2]], %[[S1]], %arg1 : i16
// CHECK-NEXT:  %[[C3:.*]] = arith.cmpi ult, %[[S2]], %arg2 : i16
// CHECK-NEXT:  %[[S3:.*]] = arith.select %[[C3]], %[[S2]], %arg2 : i16
// CHECK-NEXT:  %[[M:.*]] = memref.alloc
// CHECK-NEXT:  return %[[S3]]
// CHECK-NOT:   memref.dealloc
func.func @clamp(%x: i16, %lo: i16, %hi: i16) -> i16 {
  %a = arith.maxsi %x, %lo : i16
  %b = arith.minsi %a, %hi : i16
  %c = arith.maxui %b, %lo : i16
  %d = arith.minui %c, %hi : i16
  %m = memref.alloc() : memref<4xi16>
  memref.dealloc %m : memref<4xi16>
  return %d : i16
}
