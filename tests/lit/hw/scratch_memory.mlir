// RUN: unified-opt %s -p 'scratch-memories{top=k first=1 shapes=2x3}' | filecheck %s

// ext_mem1 (a 2x3 buffer) moves inside: the core is renamed, a 6-word RAM primitive
// (hw_dialects/memory_primitive.py: an extern plus its Verilog as an sv.verbatim file) reads
// word a0*3+a1 asynchronously and writes it on the clock edge, done follows write_en.
// CHECK:         hw.module.extern @unified_ram_6x16_r1a(in %clk : i1, in %we : i1, in %waddr : i3, in %wdata : i16, in %raddr0 : i3, out rdata0 : i16)
// CHECK-LABEL: hw.module @k_buffer0(in %clk : i1, in %addr0 : i1, in %addr1 : i2, in %write_data : i16, in %write_en : i1, out read_data : i16, out done : i1)
// CHECK:         %[[A0:.*]] = comb.concat %{{.*}}, %addr0 : i2, i1
// CHECK:         %[[S:.*]] = comb.mul %[[A0]], %{{.*}} : i3
// CHECK:         %[[I:.*]] = comb.add %[[S]], %{{.*}} : i3
// CHECK:         %[[R:.*]] = hw.instance "words" @unified_ram_6x16_r1a(clk: %clk: i1, we: %write_en: i1, waddr: %[[I]]: i3, wdata: %write_data: i16, raddr0: %[[I]]: i3) -> (rdata0: i16)
// CHECK:         sv.always posedge %clk {
// CHECK:           sv.passign %done_reg, %write_en : i1
// CHECK:         hw.output %[[R]], %{{.*}} : i16, i1
// CHECK-LABEL: hw.module @k(in %ext_mem0_read_data : i32, in %ext_mem0_done : i1, in %clk : i1, in %reset : i1, in %go : i1, out ext_mem0_addr0 : i2, out done : i1)
// CHECK-NEXT:    %core.ext_mem0_addr0, %core.ext_mem1_addr0, %core.ext_mem1_addr1, %core.ext_mem1_write_data, %core.ext_mem1_write_en, %core.done = hw.instance "core" @k_core(ext_mem0_read_data: %ext_mem0_read_data: i32, ext_mem0_done: %ext_mem0_done: i1, ext_mem1_read_data: %buffer0.read_data: i16, ext_mem1_done: %buffer0.done: i1, clk: %clk: i1, reset: %reset: i1, go: %go: i1)
// CHECK-NEXT:    %buffer0.read_data, %buffer0.done = hw.instance "buffer0" @k_buffer0(clk: %clk: i1, addr0: %core.ext_mem1_addr0: i1, addr1: %core.ext_mem1_addr1: i2, write_data: %core.ext_mem1_write_data: i16, write_en: %core.ext_mem1_write_en: i1)
// CHECK-NEXT:    hw.output %core.ext_mem0_addr0, %core.done : i2, i1
// CHECK-LABEL: hw.module @k_core(
// CHECK:       sv.verbatim "{{.*}}reg [15:0] mem [0:5];{{.*}}assign rdata0 = mem[raddr0];{{.*}}" {output_file = #hw.output_file<"unified_ram_6x16_r1a.sv"
module {
  hw.module @k(in %ext_mem0_read_data : i32, in %ext_mem0_done : i1, in %ext_mem1_read_data : i16, in %ext_mem1_done : i1, in %clk : i1, in %reset : i1, in %go : i1, out ext_mem0_addr0 : i2, out ext_mem1_addr0 : i1, out ext_mem1_addr1 : i2, out ext_mem1_write_data : i16, out ext_mem1_write_en : i1, out done : i1) {
    %c0_i2 = hw.constant 0 : i2
    %false = hw.constant false
    %c0_i16 = hw.constant 0 : i16
    hw.output %c0_i2, %false, %c0_i2, %c0_i16, %false, %go : i2, i1, i2, i16, i1, i1
  }
}
