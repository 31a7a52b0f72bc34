// A 32x32 i32 matrix product marked for hardware, called from @main: C += A * B.
module {
  func.func @gemm(%A: memref<32x32xi32>, %B: memref<32x32xi32>, %C: memref<32x32xi32>)
      attributes {unified.target = "hw"} {
    affine.for %i = 0 to 32 {
      affine.for %j = 0 to 32 {
        affine.for %k = 0 to 32 {
          %a = affine.load %A[%i, %k] : memref<32x32xi32>
          %b = affine.load %B[%k, %j] : memref<32x32xi32>
          %c = affine.load %C[%i, %j] : memref<32x32xi32>
          %p = arith.muli %a, %b : i32
          %s = arith.addi %c, %p : i32
          affine.store %s, %C[%i, %j] : memref<32x32xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<32x32xi32>, %B: memref<32x32xi32>, %C: memref<32x32xi32>) {
    func.call @gemm(%A, %B, %C) : (memref<32x32xi32>, memref<32x32xi32>, memref<32x32xi32>) -> ()
    return
  }
}
