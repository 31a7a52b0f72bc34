// A 16x16 i32 gemm forced to hardware on a platform with 1 KiB of on-chip memory: its three
// memrefs take 3 KiB, so tile-for-hw splits it (tests/cosim/test_tiling.py).
module attributes {unified.platform = {onchip_memory_bytes = 1024 : i64}} {
  func.func @gemm(%A: memref<16x16xi32>, %B: memref<16x16xi32>, %C: memref<16x16xi32>)
      attributes {unified.target = "hw"} {
    affine.for %i = 0 to 16 {
      affine.for %j = 0 to 16 {
        affine.for %k = 0 to 16 {
          %a = affine.load %A[%i, %k] : memref<16x16xi32>
          %b = affine.load %B[%k, %j] : memref<16x16xi32>
          %c = affine.load %C[%i, %j] : memref<16x16xi32>
          %p = arith.muli %a, %b : i32
          %s = arith.addi %c, %p : i32
          affine.store %s, %C[%i, %j] : memref<16x16xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<16x16xi32>, %B: memref<16x16xi32>, %C: memref<16x16xi32>) {
    func.call @gemm(%A, %B, %C) : (memref<16x16xi32>, memref<16x16xi32>, memref<16x16xi32>) -> ()
    return
  }
}
