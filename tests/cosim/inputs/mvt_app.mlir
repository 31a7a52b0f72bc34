// PolyBench mvt at 8x8 forced to hardware: at -O3 A is read by rows and by columns, so the
// core holds two copies of it (one banked per row, one per column) that the driver fills.
module {
  func.func @mvt(%x1: memref<8xi32>, %x2: memref<8xi32>, %y1: memref<8xi32>, %y2: memref<8xi32>,
                 %A: memref<8x8xi32>) attributes {unified.target = "hw"} {
    affine.for %i = 0 to 8 {
      affine.for %j = 0 to 8 {
        %x = affine.load %x1[%i] : memref<8xi32>
        %a = affine.load %A[%i, %j] : memref<8x8xi32>
        %y = affine.load %y1[%j] : memref<8xi32>
        %p = arith.muli %a, %y : i32
        %s = arith.addi %x, %p : i32
        affine.store %s, %x1[%i] : memref<8xi32>
      }
    }
    affine.for %i = 0 to 8 {
      affine.for %j = 0 to 8 {
        %x = affine.load %x2[%i] : memref<8xi32>
        %a = affine.load %A[%j, %i] : memref<8x8xi32>
        %y = affine.load %y2[%j] : memref<8xi32>
        %p = arith.muli %a, %y : i32
        %s = arith.addi %x, %p : i32
        affine.store %s, %x2[%i] : memref<8xi32>
      }
    }
    return
  }

  func.func @main(%x1: memref<8xi32>, %x2: memref<8xi32>, %y1: memref<8xi32>,
                  %y2: memref<8xi32>, %A: memref<8x8xi32>) {
    func.call @mvt(%x1, %x2, %y1, %y2, %A)
        : (memref<8xi32>, memref<8xi32>, memref<8xi32>, memref<8xi32>, memref<8x8xi32>) -> ()
    return
  }
}
