// C = A * B for 16x16 i32 matrices: big enough that tiling the vectorized nest shows.
func.func @matmul16(%A: memref<16x16xi32>, %B: memref<16x16xi32>, %C: memref<16x16xi32>) {
  affine.for %i = 0 to 16 {
    affine.for %j = 0 to 16 {
      %zero = arith.constant 0 : i32
      %sum = affine.for %k = 0 to 16 iter_args(%acc = %zero) -> (i32) {
        %a = affine.load %A[%i, %k] : memref<16x16xi32>
        %b = affine.load %B[%k, %j] : memref<16x16xi32>
        %p = arith.muli %a, %b : i32
        %s = arith.addi %acc, %p : i32
        affine.yield %s : i32
      }
      affine.store %sum, %C[%i, %j] : memref<16x16xi32>
    }
  }
  return
}
