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


// Conversions: i64 through the 64-bit units (a float pattern zero-extended to i64, a float
// result truncated to its 32 bits), i8 through the 32-bit ones (uitofp of an i8 is exact
// through sitofp after a zero extension; fptoui to i8 truncates fptoui's i32).
// CHECK-LABEL: func.func @conv(
// CHECK: %[[W:.*]] = arith.divui %{{.*}}, %{{.*}} : i64 loc(#[[SI64:loc[0-9]*]])
// CHECK-NEXT: %[[WF:.*]] = arith.trunci %[[W]] : i64 to i32
// CHECK: %[[B:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK-NEXT: arith.divui %[[B]], %[[B]] : i32 loc(#[[SI32:loc[0-9]*]])
// CHECK: %[[G:.*]] = arith.extui %{{.*}} : i32 to i64
// CHECK-NEXT: arith.divui %[[G]], %[[G]] : i64 loc(#[[UI64:loc[0-9]*]])
// CHECK: %[[U:.*]] = arith.divui %{{.*}}, %{{.*}} : i32 loc(#[[UI32:loc[0-9]*]])
// CHECK-NEXT: arith.trunci %[[U]] : i32 to i8
// The locations of both functions come at the end of the module.
// CHECK-DAG: #[[ADD]] = loc("unified.float.addf"
// CHECK-DAG: #[[MUL]] = loc("unified.float.mulf"
// CHECK-DAG: #[[CMP]] = loc("unified.float.cmpf_olt"
// CHECK-DAG: #[[SI64]] = loc("unified.float.sitofp64"
// CHECK-DAG: #[[SI32]] = loc("unified.float.sitofp"
// CHECK-DAG: #[[UI64]] = loc("unified.float.fptoui64"
// CHECK-DAG: #[[UI32]] = loc("unified.float.fptoui"
func.func @conv(%w: memref<4xi64>, %b: memref<4xi8>, %f: memref<4xf32>, %o: memref<4xi64>,
                %p: memref<4xi8>) {
  %c0 = arith.constant 0 : index
  %x = memref.load %w[%c0] : memref<4xi64>
  %y = arith.sitofp %x : i64 to f32
  memref.store %y, %f[%c0] : memref<4xf32>
  %z = memref.load %b[%c0] : memref<4xi8>
  %v = arith.uitofp %z : i8 to f32
  %g = arith.addf %y, %v : f32
  %q = arith.fptoui %g : f32 to i64
  memref.store %q, %o[%c0] : memref<4xi64>
  %r = arith.fptoui %g : f32 to i8
  memref.store %r, %p[%c0] : memref<4xi8>
  return
}
