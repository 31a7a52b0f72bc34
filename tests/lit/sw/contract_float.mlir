// RUN: unified-opt %s -p sw-contract-float | filecheck %s

// CHECK-LABEL: func.func @fma
// CHECK-NEXT: %[[M:.*]] = arith.mulf %arg0, %arg1 fastmath<contract> : f32
// CHECK-NEXT: %[[A:.*]] = arith.addf %arg2, %[[M]] fastmath<contract> : f32
// CHECK-NEXT: %[[I:.*]] = arith.addi %arg3, %arg3 : i32
func.func @fma(%a: f32, %b: f32, %c: f32, %n: i32) -> (f32, i32) {
  %m = arith.mulf %a, %b : f32
  %s = arith.addf %c, %m : f32
  %i = arith.addi %n, %n : i32
  return %s, %i : f32, i32
}

// Flags the user set are kept.
// CHECK-LABEL: func.func @fast
// CHECK-NEXT: arith.mulf %arg0, %arg1 fastmath<fast> : f32
func.func @fast(%a: f32, %b: f32) -> f32 {
  %m = arith.mulf %a, %b fastmath<fast> : f32
  return %m : f32
}
