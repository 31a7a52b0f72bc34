// RUN: unified-opt %s -p drop-overflow-flags | filecheck %s

// nsw/nuw flags (which the circt wheel cannot parse) are gone; the ops stay.
// CHECK-LABEL: func.func @f
// CHECK-NEXT:  %[[A:.*]] = arith.addi %arg0, %arg1 : i32
// CHECK-NEXT:  %[[M:.*]] = arith.muli %[[A]], %arg1 : i32
// CHECK-NEXT:  return %[[M]]
// CHECK-NOT:   overflow
func.func @f(%a: i32, %b: i32) -> i32 {
  %s = arith.addi %a, %b overflow<nsw> : i32
  %m = arith.muli %s, %b overflow<nsw, nuw> : i32
  return %m : i32
}
