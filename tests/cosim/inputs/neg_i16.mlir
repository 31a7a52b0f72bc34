// Narrow elements: one i16 per 32-bit bus word, zero-extended on the bus, sign kept in C.
module {
  func.func @neg16(%a: memref<4xi16>, %b: memref<4xi16>) attributes {unified.target = "hw"} {
    %z = arith.constant 0 : i16
    affine.for %i = 0 to 4 {
      %x = affine.load %a[%i] : memref<4xi16>
      %y = arith.subi %z, %x : i16
      affine.store %y, %b[%i] : memref<4xi16>
    }
    return
  }
  func.func @main(%a: memref<4xi16>, %b: memref<4xi16>) {
    func.call @neg16(%a, %b) : (memref<4xi16>, memref<4xi16>) -> ()
    return
  }
}
