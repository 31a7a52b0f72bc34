// 3-D memref: out[i][j][k] = in[i][j][k] * (i + j + k) over 2x2x3.
func.func @cube3d(%in: memref<2x2x3xi32>, %out: memref<2x2x3xi32>) {
  affine.for %i = 0 to 2 {
    affine.for %j = 0 to 2 {
      affine.for %k = 0 to 3 {
        %v = affine.load %in[%i, %j, %k] : memref<2x2x3xi32>
        %s = affine.apply affine_map<(a, b, c) -> (a + b + c)>(%i, %j, %k)
        %w = arith.index_cast %s : index to i32
        %p = arith.muli %v, %w : i32
        affine.store %p, %out[%i, %j, %k] : memref<2x2x3xi32>
      }
    }
  }
  return
}
