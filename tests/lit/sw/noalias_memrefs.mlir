// RUN: unified-opt %s -p sw-noalias-memrefs | filecheck %s

// Two 1-d memrefs (allocated, aligned, offset, size, stride each) and a scalar: only the
// aligned pointers are marked.
// CHECK-LABEL: llvm.func @k(
// CHECK-SAME: %arg0: !llvm.ptr, %arg1: !llvm.ptr {llvm.noalias}, %arg2: i64, %arg3: i64, %arg4: i64,
// CHECK-SAME: %arg5: !llvm.ptr, %arg6: !llvm.ptr {llvm.noalias}, %arg7: i64, %arg8: i64, %arg9: i64,
// CHECK-SAME: %arg10: f32)
llvm.func @k(%a0: !llvm.ptr, %a1: !llvm.ptr, %a2: i64, %a3: i64, %a4: i64,
             %b0: !llvm.ptr, %b1: !llvm.ptr, %b2: i64, %b3: i64, %b4: i64, %s: f32) {
  llvm.return
}

// The C-interface wrapper takes descriptors, not buffers: left alone.
// CHECK-LABEL: llvm.func @_mlir_ciface_k(%arg0: !llvm.ptr, %arg1: !llvm.ptr)
llvm.func @_mlir_ciface_k(%a: !llvm.ptr, %b: !llvm.ptr) {
  llvm.return
}
