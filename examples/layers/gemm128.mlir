// A 128x128 i32 matrix product marked for hardware, called from @main: C += A * B.
module {
  func.func @gemm(%A: memref<128x128xi32>, %B: memref<128x128xi32>, %C: memref<128x128xi32>)
      attributes {unified.target = "hw"} {
    affine.for %i = 0 to 128 {
      affine.for %j = 0 to 128 {
        affine.for %k = 0 to 128 {
          %a = affine.load %A[%i, %k] : memref<128x128xi32>
          %b = affine.load %B[%k, %j] : memref<128x128xi32>
          %c = affine.load %C[%i, %j] : memref<128x128xi32>
          %p = arith.muli %a, %b : i32
          %s = arith.addi %c, %p : i32
          affine.store %s, %C[%i, %j] : memref<128x128xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<128x128xi32>, %B: memref<128x128xi32>, %C: memref<128x128xi32>) {
    func.call @gemm(%A, %B, %C) : (memref<128x128xi32>, memref<128x128xi32>, memref<128x128xi32>) -> ()
    return
  }
}
