// An application entry @main calling a kernel twice: the harness renames the entry symbol.
func.func @twice(%a: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xi32>
    %y = arith.addi %x, %x : i32
    affine.store %y, %a[%i] : memref<8xi32>
  }
  return
}
func.func @main(%a: memref<8xi32>) {
  func.call @twice(%a) : (memref<8xi32>) -> ()
  func.call @twice(%a) : (memref<8xi32>) -> ()
  return
}
