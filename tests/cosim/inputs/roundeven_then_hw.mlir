// A software kernel using math.roundeven (upstream MLIR only: CIRCT has no math dialect),
// then an integer kernel forced to hardware: the shape of a QDQ model's QuantizeLinear + QLinear op.
module {
  func.func @quant(%x: memref<8xf32>, %q: memref<8xi32>) {
    %s = arith.constant 0.5 : f32
    affine.for %i = 0 to 8 {
      %v = affine.load %x[%i] : memref<8xf32>
      %d = arith.divf %v, %s : f32
      %r = math.roundeven %d : f32
      %c = arith.fptosi %r : f32 to i32
      affine.store %c, %q[%i] : memref<8xi32>
    }
    return
  }
  func.func @scale(%q: memref<8xi32>, %o: memref<8xi32>) attributes {unified.target = "hw"} {
    %c3 = arith.constant 3 : i32
    affine.for %i = 0 to 8 {
      %v = affine.load %q[%i] : memref<8xi32>
      %m = arith.muli %v, %c3 : i32
      affine.store %m, %o[%i] : memref<8xi32>
    }
    return
  }
  func.func @main(%x: memref<8xf32>, %q: memref<8xi32>, %o: memref<8xi32>) {
    func.call @quant(%x, %q) : (memref<8xf32>, memref<8xi32>) -> ()
    func.call @scale(%q, %o) : (memref<8xi32>, memref<8xi32>) -> ()
    return
  }
}
