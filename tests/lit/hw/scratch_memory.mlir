// RUN: unified-opt %s -p 'scratch-memories{top=k first=1 shapes=2x3}' | filecheck %s

// ext_mem1 (a 2x3 buffer) moves inside: the core is renamed, a 6-word memory reads
// word a0*3+a1 combinationally and writes it on the clock edge, done follows write_en.
// CHECK-LABEL: hw.module @k_buffer0(in %clk : i1, in %addr0 : i1, in %addr1 : i2, in %write_data : i16, in %write_en : i1, out read_data : i16, out done : i1)
// CHECK:         %[[A0:.*]] = comb.concat %{{.*}}, %addr0 : i2, i1
// CHECK:         %[[S:.*]] = comb.mul %[[A0]], %{{.*}} : i3
// CHECK:         %[[I:.*]] = comb.add %[[S]], %{{.*}} : i3
// CHECK-COUNT-6: sv.reg : !hw.inout<i16>
// CHECK:         sv.always posedge %clk {
// CHECK:           sv.passign %word5, %write_data : i16
// CHECK:           sv.passign %done_reg, %write_en : i1
// CHECK-LABEL: hw.module @k(in %ext_mem0_read_data : i32, in %ext_mem0_done : i1, in %clk : i1, in %reset : i1, in %go : i1, out ext_mem0_addr0 : i2, out done : i1)
// CHECK-NEXT:    %core.ext_mem0_addr0, %core.ext_mem1_addr0, %core.ext_mem1_addr1, %core.ext_mem1_write_data, %core.ext_mem1_write_en, %core.done = hw.instance "core" @k_core(ext_mem0_read_data: %ext_mem0_read_data: i32, ext_mem0_done: %ext_mem0_done: i1, ext_mem1_read_data: %buffer0.read_data: i16, ext_mem1_done: %buffer0.done: i1, clk: %clk: i1, reset: %reset: i1, go: %go: i1)
// CHECK-NEXT:    %buffer0.read_data, %buffer0.done = hw.instance "buffer0" @k_buffer0(clk: %clk: i1, addr0: %core.ext_mem1_addr0: i1, addr1: %core.ext_mem1_addr1: i2, write_data: %core.ext_mem1_write_data: i16, write_en: %core.ext_mem1_write_en: i1)
// CHECK-NEXT:    hw.output %core.ext_mem0_addr0, %core.done : i2, i1
// CHECK-LABEL: hw.module @k_core(
module {
  hw.module @k(in %ext_mem0_read_data : i32, in %ext_mem0_done : i1, in %ext_mem1_read_data : i16, in %ext_mem1_done : i1, in %clk : i1, in %reset : i1, in %go : i1, out ext_mem0_addr0 : i2, out ext_mem1_addr0 : i1, out ext_mem1_addr1 : i2, out ext_mem1_write_data : i16, out ext_mem1_write_en : i1, out done : i1) {
    %c0_i2 = hw.constant 0 : i2
    %false = hw.constant false
    %c0_i16 = hw.constant 0 : i16
    hw.output %c0_i2, %false, %c0_i2, %c0_i16, %false, %go : i2, i1, i2, i16, i1, i1
  }
}
