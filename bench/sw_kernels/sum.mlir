// out[0] = sum of 4096 i32 elements.
func.func @sum(%a: memref<4096xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %r = affine.for %i = 0 to 4096 iter_args(%acc = %zero) -> i32 {
    %x = affine.load %a[%i] : memref<4096xi32>
    %s = arith.addi %acc, %x : i32
    affine.yield %s : i32
  }
  affine.store %r, %out[0] : memref<1xi32>
  return
}
