module {
  func.func private @double(memref<4xi32>, memref<4xi32>)
  // Hand-written core for @double, but it lacks the second memory's ports.
  hw.module @double_core(in %clk: i1, in %reset: i1, in %go: i1,
                         in %ext_mem0_read_data: i32, in %ext_mem0_done: i1,
                         out done: i1, out ext_mem0_addr0: i2, out ext_mem0_write_data: i32,
                         out ext_mem0_write_en: i1) attributes {unified.implements = @double} {
    %c0 = hw.constant 0 : i2
    %z = hw.constant 0 : i32
    %f = hw.constant false
    hw.output %go, %c0, %z, %f : i1, i2, i32, i1
  }
  func.func @main(%in: memref<4xi32>, %out: memref<4xi32>) {
    func.call @double(%in, %out) : (memref<4xi32>, memref<4xi32>) -> ()
    return
  }
}
