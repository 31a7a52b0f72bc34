// C = A * B with A 8x12, B 12x10, C 10 columns (not a multiple of the lanes); C starts at 0 here.
func.func @matmul_i32(%A: memref<8x12xi32>, %B: memref<12x10xi32>, %C: memref<8x10xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 10 {
      affine.store %zero, %C[%i, %j] : memref<8x10xi32>
    }
    affine.for %k = 0 to 12 {
      affine.for %j = 0 to 10 {
        %a = affine.load %A[%i, %k] : memref<8x12xi32>
        %b = affine.load %B[%k, %j] : memref<12x10xi32>
        %c = affine.load %C[%i, %j] : memref<8x10xi32>
        %p = arith.muli %a, %b : i32
        %s = arith.addi %c, %p : i32
        affine.store %s, %C[%i, %j] : memref<8x10xi32>
      }
    }
  }
  return
}
