// Dot product with an iter_args reduction: out[0] = sum(a[i] * b[i]).
func.func @dot(%a: memref<8xi32>, %b: memref<8xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %sum = affine.for %i = 0 to 8 iter_args(%acc = %zero) -> (i32) {
    %x = affine.load %a[%i] : memref<8xi32>
    %y = affine.load %b[%i] : memref<8xi32>
    %p = arith.muli %x, %y : i32
    %s = arith.addi %acc, %p : i32
    affine.yield %s : i32
  }
  affine.store %sum, %out[0] : memref<1xi32>
  return
}
