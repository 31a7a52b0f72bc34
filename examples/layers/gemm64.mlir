// A 64x64 i32 matrix product marked for hardware, called from @main: C += A * B.
module {
  func.func @gemm(%A: memref<64x64xi32>, %B: memref<64x64xi32>, %C: memref<64x64xi32>)
      attributes {unified.target = "hw"} {
    affine.for %i = 0 to 64 {
      affine.for %j = 0 to 64 {
        affine.for %k = 0 to 64 {
          %a = affine.load %A[%i, %k] : memref<64x64xi32>
          %b = affine.load %B[%k, %j] : memref<64x64xi32>
          %c = affine.load %C[%i, %j] : memref<64x64xi32>
          %p = arith.muli %a, %b : i32
          %s = arith.addi %c, %p : i32
          affine.store %s, %C[%i, %j] : memref<64x64xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<64x64xi32>, %B: memref<64x64xi32>, %C: memref<64x64xi32>) {
    func.call @gemm(%A, %B, %C) : (memref<64x64xi32>, memref<64x64xi32>, memref<64x64xi32>) -> ()
    return
  }
}
