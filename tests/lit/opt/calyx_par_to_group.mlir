// RUN: unified-opt %s -p calyx-par-to-group | filecheck %s

// A par of two enables becomes one group: each arm runs while neither done nor latched
// (par_done<i>), the group is done when both are, and the latches clear in that cycle.
// A par of one enable becomes the enable. The merged groups are erased.
// CHECK:      %par_done0.in, %par_done0.write_en, {{.*}} = calyx.register @par_done0 : i1, i1, i1, i1, i1, i1
// CHECK:      %par_done1.in, {{.*}} = calyx.register @par_done1
// CHECK-NOT:  calyx.group @load_a
// CHECK:      calyx.group @par {
// CHECK-NEXT:   %[[F0:.+]] = comb.or %par_done0.out, %a.done : i1
// CHECK-NEXT:   %[[F1:.+]] = comb.or %par_done1.out, %b.done : i1
// CHECK-NEXT:   %[[ALL:.+]] = comb.and %[[F0]], %[[F1]] : i1
// CHECK-NEXT:   %[[NALL:.+]] = comb.xor %[[ALL]], %[[T:.+]] : i1
// CHECK-NEXT:   %[[RUN0:.+]] = comb.xor %[[F0]], %[[T]] : i1
// CHECK-NEXT:   calyx.assign %ext_mem0_addr0 = %[[RUN0]] ? %c0_i3 : i3
// CHECK-NEXT:   calyx.assign %a.in = %[[RUN0]] ? %ext_mem0_read_data : i32
// CHECK-NEXT:   calyx.assign %a.write_en = %[[RUN0]] ? %true : i1
// CHECK-NEXT:   calyx.assign %par_done0.in = %[[NALL]] ? %[[T]] : i1
// CHECK-NEXT:   %[[W0:.+]] = comb.or %a.done, %[[ALL]] : i1
// CHECK-NEXT:   calyx.assign %par_done0.write_en = %[[W0]] ? %[[T]] : i1
// CHECK:        calyx.group_done %[[ALL]] ? %[[T]] : i1
// CHECK-NEXT: }
// CHECK:      calyx.control {
// CHECK-NEXT:   calyx.seq {
// CHECK-NEXT:     calyx.enable @par
// CHECK-NEXT:     calyx.enable @sum
// CHECK-NEXT:   }
// CHECK-NEXT: }
module attributes {calyx.entrypoint = "two_loads"} {
  calyx.component @two_loads(%ext_mem0_read_data: i32 {mem = {id = 0 : i32, tag = "read_data"}}, %ext_mem0_done: i1 {mem = {id = 0 : i32, tag = "done"}}, %ext_mem1_read_data: i32 {mem = {id = 1 : i32, tag = "read_data"}}, %ext_mem1_done: i1 {mem = {id = 1 : i32, tag = "done"}}, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%ext_mem0_addr0: i3 {mem = {addr_idx = 0 : i32, id = 0 : i32, tag = "addr"}}, %ext_mem1_addr0: i3 {mem = {addr_idx = 0 : i32, id = 1 : i32, tag = "addr"}}, %done: i1 {done}) {
    %true = hw.constant true
    %c0_i3 = hw.constant 0 : i3
    %a.in, %a.write_en, %a.clk, %a.reset, %a.out, %a.done = calyx.register @a : i32, i1, i1, i1, i32, i1
    %b.in, %b.write_en, %b.clk, %b.reset, %b.out, %b.done = calyx.register @b : i32, i1, i1, i1, i32, i1
    %s.in, %s.write_en, %s.clk, %s.reset, %s.out, %s.done = calyx.register @s : i32, i1, i1, i1, i32, i1
    %add.left, %add.right, %add.out = calyx.std_add @add : i32, i32, i32
    calyx.wires {
      calyx.group @load_a {
        calyx.assign %ext_mem0_addr0 = %c0_i3 : i3
        calyx.assign %a.in = %ext_mem0_read_data : i32
        calyx.assign %a.write_en = %true : i1
        calyx.group_done %a.done : i1
      }
      calyx.group @load_b {
        calyx.assign %ext_mem1_addr0 = %c0_i3 : i3
        calyx.assign %b.in = %ext_mem1_read_data : i32
        calyx.assign %b.write_en = %true : i1
        calyx.group_done %b.done : i1
      }
      calyx.group @sum {
        calyx.assign %add.left = %a.out : i32
        calyx.assign %add.right = %b.out : i32
        calyx.assign %s.in = %add.out : i32
        calyx.assign %s.write_en = %true : i1
        calyx.group_done %s.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.par {
          calyx.enable @load_a
          calyx.enable @load_b
        }
        calyx.par {
          calyx.enable @sum
        }
      }
    }
  } {toplevel}
}
