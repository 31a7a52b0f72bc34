// PolyBench gemm at 8x8, i32: C = alpha * A * B + beta * C.
func.func @gemm(%alpha: i32, %beta: i32, %C: memref<8x8xi32>, %A: memref<8x8xi32>,
                %B: memref<8x8xi32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %c = affine.load %C[%i, %j] : memref<8x8xi32>
      %cb = arith.muli %c, %beta : i32
      affine.store %cb, %C[%i, %j] : memref<8x8xi32>
    }
    affine.for %k = 0 to 8 {
      affine.for %j = 0 to 8 {
        %a = affine.load %A[%i, %k] : memref<8x8xi32>
        %aa = arith.muli %alpha, %a : i32
        %b = affine.load %B[%k, %j] : memref<8x8xi32>
        %p = arith.muli %aa, %b : i32
        %c = affine.load %C[%i, %j] : memref<8x8xi32>
        %s = arith.addi %c, %p : i32
        affine.store %s, %C[%i, %j] : memref<8x8xi32>
      }
    }
  }
  return
}
