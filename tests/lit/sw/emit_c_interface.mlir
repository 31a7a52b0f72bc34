// RUN: unified-opt %s -p sw-emit-c-interface | filecheck %s

// CHECK-LABEL: func.func @kernel
// CHECK-SAME: attributes {llvm.emit_c_interface}
func.func @kernel(%a: memref<4xi32>) {
  return
}

// A declaration has no body to wrap: it stays as it is.
// CHECK: func.func private @external(memref<4xi32>){{$}}
func.func private @external(%a: memref<4xi32>)
