// C = A * B for 4x4 i32 matrices (C is overwritten).
func.func @matmul(%A: memref<4x4xi32>, %B: memref<4x4xi32>, %C: memref<4x4xi32>) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 4 {
      %zero = arith.constant 0 : i32
      %sum = affine.for %k = 0 to 4 iter_args(%acc = %zero) -> (i32) {
        %a = affine.load %A[%i, %k] : memref<4x4xi32>
        %b = affine.load %B[%k, %j] : memref<4x4xi32>
        %p = arith.muli %a, %b : i32
        %s = arith.addi %acc, %p : i32
        affine.yield %s : i32
      }
      affine.store %sum, %C[%i, %j] : memref<4x4xi32>
    }
  }
  return
}
