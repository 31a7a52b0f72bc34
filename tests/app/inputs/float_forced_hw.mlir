module {
  func.func @halve(%in: memref<4xf64>, %out: memref<4xf64>) attributes {unified.target = "hw"} {
    %h = arith.constant 0.5 : f64
    affine.for %i = 0 to 4 {
      %x = affine.load %in[%i] : memref<4xf64>
      %y = arith.mulf %x, %h : f64
      affine.store %y, %out[%i] : memref<4xf64>
    }
    return
  }
  func.func @main(%in: memref<4xf64>, %out: memref<4xf64>) {
    func.call @halve(%in, %out) : (memref<4xf64>, memref<4xf64>) -> ()
    return
  }
}
