// A tiled loop with a min bound (10 elements in tiles of 4): x[j] = 2 * x[j].
func.func @tiled(%x: memref<10xi32>) {
  affine.for %i = 0 to 10 step 4 {
    affine.for %j = affine_map<(d0) -> (d0)>(%i) to min affine_map<(d0) -> (d0 + 4, 10)>(%i) {
      %v = affine.load %x[%j] : memref<10xi32>
      %w = arith.addi %v, %v : i32
      affine.store %w, %x[%j] : memref<10xi32>
    }
  }
  return
}
