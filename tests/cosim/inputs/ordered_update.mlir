// Updates that are not associative (x = 3 * x - a): tile-for-hw may split only the outermost
// loop that does not index the written memref (j), never k, so each element's updates keep
// their order. The kernel is left to the partitioner (auto).
module attributes {unified.platform = {onchip_memory_bytes = 64 : i64}} {
  func.func @horner(%A: memref<2x6x4xi32>, %X: memref<2xi32>) {
    %three = arith.constant 3 : i32
    affine.for %i = 0 to 2 {
      affine.for %j = 0 to 6 {
        affine.for %k = 0 to 4 {
          %x = affine.load %X[%i] : memref<2xi32>
          %a = affine.load %A[%i, %j, %k] : memref<2x6x4xi32>
          %t = arith.muli %x, %three : i32
          %y = arith.subi %t, %a : i32
          affine.store %y, %X[%i] : memref<2xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<2x6x4xi32>, %X: memref<2xi32>) {
    func.call @horner(%A, %X) : (memref<2x6x4xi32>, memref<2xi32>) -> ()
    return
  }
}
