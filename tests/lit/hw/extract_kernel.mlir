// RUN: unified-opt %s -p 'extract-kernel{func=scale}' | filecheck %s

// Only @scale and what it calls (now private) stay; @main, the other kernel, the hw.module and the
// module's unified.* attributes go.
// CHECK:      module {
// CHECK-NEXT:   func.func private @twice
// CHECK:        func.func @scale
// CHECK-NOT:    unified.target
// CHECK:        call @twice
// CHECK-NOT:  func.func @main
// CHECK-NOT:  func.func @other
// CHECK-NOT:  hw.module
module attributes {unified.platform = {bus_width = 32 : i64}} {
  func.func @twice(%x: i32) -> i32 {
    %r = arith.addi %x, %x : i32
    return %r : i32
  }
  func.func @scale(%a: memref<4xi32>) attributes {unified.target = "hw"} {
    affine.for %i = 0 to 4 {
      %v = affine.load %a[%i] : memref<4xi32>
      %w = func.call @twice(%v) : (i32) -> i32
      affine.store %w, %a[%i] : memref<4xi32>
    }
    return
  }
  func.func @other(%a: memref<4xi32>) {
    return
  }
  hw.module @acc(in %x : i32, out y : i32) {
    hw.output %x : i32
  }
  func.func @main() {
    %m = memref.alloc() : memref<4xi32>
    func.call @scale(%m) : (memref<4xi32>) -> ()
    return
  }
}
