// A kernel whose memrefs cross the bus in DMA bursts: out[i] = 3 * in[i] + 1 over 300
// words (two or three 32-bit bursts each way, 150 or 151 at 64 bits).
module attributes {unified.platform = {bus_cycles_per_beat = 2 : i64, dma_width = WIDTH : i64,
                                       dma_latency = 8 : i64}} {
  func.func @affine(%in: memref<300xi32>, %out: memref<300xi32>) attributes {unified.target = "hw"} {
    %three = arith.constant 3 : i32
    %one = arith.constant 1 : i32
    affine.for %i = 0 to 300 {
      %x = affine.load %in[%i] : memref<300xi32>
      %y = arith.muli %x, %three : i32
      %z = arith.addi %y, %one : i32
      affine.store %z, %out[%i] : memref<300xi32>
    }
    return
  }
  func.func @main(%in: memref<300xi32>, %out: memref<300xi32>) {
    func.call @affine(%in, %out) : (memref<300xi32>, memref<300xi32>) -> ()
    return
  }
}
