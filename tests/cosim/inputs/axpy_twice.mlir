// A scalar before the memrefs, a kernel called twice, two kernels forced to hardware.
module {
  func.func @axpy(%a: i32, %x: memref<8xi32>, %y: memref<8xi32>) attributes {unified.target = "hw"} {
    affine.for %i = 0 to 8 {
      %xi = affine.load %x[%i] : memref<8xi32>
      %yi = affine.load %y[%i] : memref<8xi32>
      %p = arith.muli %a, %xi : i32
      %s = arith.addi %p, %yi : i32
      affine.store %s, %y[%i] : memref<8xi32>
    }
    return
  }

  func.func @square(%x: memref<8xi32>, %out: memref<8xi32>) attributes {unified.target = "hw"} {
    affine.for %i = 0 to 8 {
      %xi = affine.load %x[%i] : memref<8xi32>
      %q = arith.muli %xi, %xi : i32
      affine.store %q, %out[%i] : memref<8xi32>
    }
    return
  }

  func.func @main(%a: i32, %x: memref<8xi32>, %y: memref<8xi32>) {
    func.call @axpy(%a, %x, %y) : (i32, memref<8xi32>, memref<8xi32>) -> ()
    %t = memref.alloc() : memref<8xi32>
    func.call @square(%y, %t) : (memref<8xi32>, memref<8xi32>) -> ()
    func.call @axpy(%a, %t, %y) : (i32, memref<8xi32>, memref<8xi32>) -> ()
    memref.dealloc %t : memref<8xi32>
    return
  }
}
