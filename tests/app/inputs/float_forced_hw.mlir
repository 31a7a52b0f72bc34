module {
  func.func @halve(%in: memref<4xf32>, %out: memref<4xf32>) attributes {unified.target = "hw"} {
    %h = arith.constant 0.5 : f32
    affine.for %i = 0 to 4 {
      %x = affine.load %in[%i] : memref<4xf32>
      %y = arith.mulf %x, %h : f32
      affine.store %y, %out[%i] : memref<4xf32>
    }
    return
  }
  func.func @main(%in: memref<4xf32>, %out: memref<4xf32>) {
    func.call @halve(%in, %out) : (memref<4xf32>, memref<4xf32>) -> ()
    return
  }
}
