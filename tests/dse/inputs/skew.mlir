// In place, row i reads row i-1 one column on: tiling its vectorized nest would read
// elements of row i-1 before they are written, so sw-mark-tileable leaves it untiled.
func.func @skew(%a: memref<17x1025xi32>) {
  affine.for %i = 1 to 17 {
    affine.for %j = 0 to 1024 {
      %x = affine.load %a[%i - 1, %j + 1] : memref<17x1025xi32>
      %y = affine.load %a[%i, %j] : memref<17x1025xi32>
      %s = arith.addi %x, %y : i32
      affine.store %s, %a[%i, %j] : memref<17x1025xi32>
    }
  }
  return
}
