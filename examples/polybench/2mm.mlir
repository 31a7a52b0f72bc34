// PolyBench 2mm at 8x8, i32: tmp = alpha * A * B; D = beta * D + tmp * C.
func.func @mm2(%alpha: i32, %beta: i32, %tmp: memref<8x8xi32>, %A: memref<8x8xi32>,
               %B: memref<8x8xi32>, %C: memref<8x8xi32>, %D: memref<8x8xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      affine.store %zero, %tmp[%i, %j] : memref<8x8xi32>
      affine.for %k = 0 to 8 {
        %a = affine.load %A[%i, %k] : memref<8x8xi32>
        %aa = arith.muli %alpha, %a : i32
        %b = affine.load %B[%k, %j] : memref<8x8xi32>
        %p = arith.muli %aa, %b : i32
        %t = affine.load %tmp[%i, %j] : memref<8x8xi32>
        %s = arith.addi %t, %p : i32
        affine.store %s, %tmp[%i, %j] : memref<8x8xi32>
      }
    }
  }
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %d = affine.load %D[%i, %j] : memref<8x8xi32>
      %db = arith.muli %d, %beta : i32
      affine.store %db, %D[%i, %j] : memref<8x8xi32>
      affine.for %k = 0 to 8 {
        %t = affine.load %tmp[%i, %k] : memref<8x8xi32>
        %c = affine.load %C[%k, %j] : memref<8x8xi32>
        %p = arith.muli %t, %c : i32
        %d2 = affine.load %D[%i, %j] : memref<8x8xi32>
        %s = arith.addi %d2, %p : i32
        affine.store %s, %D[%i, %j] : memref<8x8xi32>
      }
    }
  }
  return
}
