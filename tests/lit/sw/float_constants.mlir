// RUN: unified-opt %s -p sw-float-constants-as-bits | filecheck %s

// 0.2f is 0x3E4CCCCD = 1045220557.
// CHECK-LABEL: llvm.func @scale
// CHECK-NEXT: %[[I:.*]] = llvm.mlir.constant(dense<1045220557> : vector<4xi32>) : vector<4xi32>
// CHECK-NEXT: %[[F:.*]] = llvm.freeze %[[I]] : vector<4xi32>
// CHECK-NEXT: %[[C:.*]] = llvm.bitcast %[[F]] : vector<4xi32> to vector<4xf32>
// CHECK-NEXT: llvm.fmul %arg0, %[[C]] : vector<4xf32>
llvm.func @scale(%v: vector<4xf32>) -> vector<4xf32> {
  %c = llvm.mlir.constant(dense<0.2> : vector<4xf32>) : vector<4xf32>
  %r = llvm.fmul %v, %c : vector<4xf32>
  llvm.return %r : vector<4xf32>
}

// Scalars too; f64 prints exactly and is left alone.
// CHECK-LABEL: llvm.func @scalar
// CHECK-NEXT: llvm.mlir.constant(1045220557 : i32) : i32
// CHECK: llvm.mlir.constant(2.000000e-01 : f64) : f64
llvm.func @scalar(%x: f32, %y: f64) -> f32 {
  %c = llvm.mlir.constant(0.2 : f32) : f32
  %d = llvm.mlir.constant(0.2 : f64) : f64
  %r = llvm.fmul %x, %c : f32
  llvm.return %r : f32
}
