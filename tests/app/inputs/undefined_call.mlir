module {
  func.func @main(%a: memref<4xi32>) {
    func.call @missing(%a) : (memref<4xi32>) -> ()
    return
  }
}
