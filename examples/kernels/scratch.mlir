// Prefix sums through an allocated scratch buffer: tmp[i] = a[i] * 3, then out[i] = tmp[i] + tmp[7 - i].
func.func @scratch(%a: memref<8xi32>, %out: memref<8xi32>) {
  %tmp = memref.alloc() : memref<8xi32>
  %c3 = arith.constant 3 : i32
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    %m = arith.muli %v, %c3 : i32
    affine.store %m, %tmp[%i] : memref<8xi32>
  }
  affine.for %i = 0 to 8 {
    %x = affine.load %tmp[%i] : memref<8xi32>
    %y = affine.load %tmp[7 - %i] : memref<8xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %out[%i] : memref<8xi32>
  }
  memref.dealloc %tmp : memref<8xi32>
  return
}
