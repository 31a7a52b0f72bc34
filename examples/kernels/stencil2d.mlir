// 2-D 5-point stencil on the interior of a 6x6 grid: out = (c + n + s + e + w) >> 2, borders untouched.
func.func @stencil2d(%in: memref<6x6xi32>, %out: memref<6x6xi32>) {
  %c2 = arith.constant 2 : i32
  affine.for %i = 1 to 5 {
    affine.for %j = 1 to 5 {
      %c = affine.load %in[%i, %j] : memref<6x6xi32>
      %n = affine.load %in[%i - 1, %j] : memref<6x6xi32>
      %s = affine.load %in[%i + 1, %j] : memref<6x6xi32>
      %w = affine.load %in[%i, %j - 1] : memref<6x6xi32>
      %e = affine.load %in[%i, %j + 1] : memref<6x6xi32>
      %t0 = arith.addi %c, %n : i32
      %t1 = arith.addi %t0, %s : i32
      %t2 = arith.addi %t1, %w : i32
      %t3 = arith.addi %t2, %e : i32
      %r = arith.shrsi %t3, %c2 : i32
      affine.store %r, %out[%i, %j] : memref<6x6xi32>
    }
  }
  return
}
