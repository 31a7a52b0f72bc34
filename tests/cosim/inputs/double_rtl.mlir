// @double is implemented by a hand-written core: out[i] = 2 * in[i], one element per cycle.
module {
  func.func private @double(memref<4xi32>, memref<4xi32>)
  hw.module @double_core(in %clk: i1, in %reset: i1, in %go: i1,
                         in %ext_mem0_read_data: i32, in %ext_mem0_done: i1,
                         in %ext_mem1_read_data: i32, in %ext_mem1_done: i1,
                         out done: i1, out ext_mem0_addr0: i2, out ext_mem0_write_data: i32,
                         out ext_mem0_write_en: i1, out ext_mem1_addr0: i2,
                         out ext_mem1_write_data: i32, out ext_mem1_write_en: i1)
      attributes {unified.implements = @double} {
    %clock = seq.to_clock %clk
    %c0_i3 = hw.constant 0 : i3
    %c1_i3 = hw.constant 1 : i3
    %c4_i3 = hw.constant 4 : i3
    %c1_i32 = hw.constant 1 : i32
    %z32 = hw.constant 0 : i32
    %false = hw.constant false
    // i counts 0..4 while go is high; done when it reaches 4; back to 0 after done
    %i = seq.compreg %i_next, %clock reset %reset, %c0_i3 : i3
    %at_end = comb.icmp eq %i, %c4_i3 : i3
    %inc = comb.add %i, %c1_i3 : i3
    %step = comb.mux %at_end, %c0_i3, %inc : i3
    %i_next = comb.mux %go, %step, %c0_i3 : i3
    %running = comb.xor %at_end, %go : i1
    %working = comb.and %go, %running : i1
    %done = comb.and %go, %at_end : i1
    %addr = comb.extract %i from 0 : (i3) -> i2
    %twice = comb.shl %ext_mem0_read_data, %c1_i32 : i32
    hw.output %done, %addr, %z32, %false, %addr, %twice, %working : i1, i2, i32, i1, i2, i32, i1
  }
  func.func @main(%in: memref<4xi32>, %out: memref<4xi32>) {
    func.call @double(%in, %out) : (memref<4xi32>, memref<4xi32>) -> ()
    return
  }
}
