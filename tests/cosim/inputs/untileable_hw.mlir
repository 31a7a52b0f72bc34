// PolyBench's gemm (C = beta * C first, then the products: not one perfect loop nest) forced
// to hardware on a platform with 1 KiB of on-chip memory: a located error.
module attributes {unified.platform = {onchip_memory_bytes = 1024 : i64}} {
  func.func @gemm(%beta: i32, %C: memref<16x16xi32>, %A: memref<16x16xi32>,
                  %B: memref<16x16xi32>) attributes {unified.target = "hw"} {
    affine.for %i = 0 to 16 {
      affine.for %j = 0 to 16 {
        %c = affine.load %C[%i, %j] : memref<16x16xi32>
        %cb = arith.muli %c, %beta : i32
        affine.store %cb, %C[%i, %j] : memref<16x16xi32>
      }
      affine.for %k = 0 to 16 {
        affine.for %j = 0 to 16 {
          %a = affine.load %A[%i, %k] : memref<16x16xi32>
          %b = affine.load %B[%k, %j] : memref<16x16xi32>
          %p = arith.muli %a, %b : i32
          %c = affine.load %C[%i, %j] : memref<16x16xi32>
          %s = arith.addi %c, %p : i32
          affine.store %s, %C[%i, %j] : memref<16x16xi32>
        }
      }
    }
    return
  }

  func.func @main(%beta: i32, %C: memref<16x16xi32>, %A: memref<16x16xi32>,
                  %B: memref<16x16xi32>) {
    func.call @gemm(%beta, %C, %A, %B)
        : (i32, memref<16x16xi32>, memref<16x16xi32>, memref<16x16xi32>) -> ()
    return
  }
}
