// i16 kernel with an i64 accumulator: out[0] = sum(zext(a[i]) * b[i]) over a 2x4 matrix; unsigned div/rem too.
func.func @mac_i16(%a: memref<2x4xi16>, %b: memref<2x4xi16>, %out: memref<2xi64>) {
  %zero = arith.constant 0 : i64
  %c3 = arith.constant 3 : i64
  %sum = affine.for %i = 0 to 2 iter_args(%acc0 = %zero) -> (i64) {
    %row = affine.for %j = 0 to 4 iter_args(%acc = %acc0) -> (i64) {
      %x = affine.load %a[%i, %j] : memref<2x4xi16>
      %y = affine.load %b[%i, %j] : memref<2x4xi16>
      %xw = arith.extui %x : i16 to i64
      %yw = arith.extsi %y : i16 to i64
      %p = arith.muli %xw, %yw : i64
      %s = arith.addi %acc, %p : i64
      affine.yield %s : i64
    }
    affine.yield %row : i64
  }
  affine.store %sum, %out[0] : memref<2xi64>
  %q = arith.divui %sum, %c3 : i64
  %r = arith.remui %sum, %c3 : i64
  %t = arith.addi %q, %r : i64
  affine.store %t, %out[1] : memref<2xi64>
  return
}
