// A 3-d memref and two scalar arguments: out = in * k + c on 3x4x21 i32 elements.
func.func @scale3d_i32(%in: memref<3x4x21xi32>, %k: i32, %c: i32, %out: memref<3x4x21xi32>) {
  affine.for %i = 0 to 3 {
    affine.for %j = 0 to 4 {
      affine.for %l = 0 to 21 {
        %x = affine.load %in[%i, %j, %l] : memref<3x4x21xi32>
        %m = arith.muli %x, %k : i32
        %s = arith.addi %m, %c : i32
        affine.store %s, %out[%i, %j, %l] : memref<3x4x21xi32>
      }
    }
  }
  return
}
