// RUN: unified-opt %s -p calyx-par-to-group | filecheck %s

// A par of two enables becomes one group. Arm i has finished when its toggle par_done<i>
// differs from par_phase, or its done holds now after the run's first cycle (par_seen
// differs from par_phase): a done already high on entry is the previous step's (a memory
// written right before), and counting it lost the arm's write. Its assignments are gated
// off once it has finished. The group is done when both arms have finished, and the phase
// flips in that cycle. A par of one enable becomes the enable; the merged groups are erased.
// CHECK:      calyx.register @par_phase : i1, i1, i1, i1, i1, i1
// CHECK:      calyx.register @par_done0 : i1, i1, i1, i1, i1, i1
// CHECK:      calyx.register @par_done1 : i1, i1, i1, i1, i1, i1
// CHECK:      calyx.register @par_seen : i1, i1, i1, i1, i1, i1
// CHECK-NOT:  calyx.group @load_a
// CHECK:      %[[STARTED:.+]] = comb.xor %par_seen.out, %par_phase.out : i1
// CHECK-NEXT: %[[FIRST:.+]] = comb.xor %[[STARTED]], %[[T:.+]] : i1
// CHECK-NEXT: %[[FLIPS:.+]] = comb.xor %par_seen.out, %[[T]] : i1
// CHECK-NEXT: %[[D0:.+]] = comb.and %a.done, %[[STARTED]] : i1
// CHECK-NEXT: %[[D1:.+]] = comb.and %b.done, %[[STARTED]] : i1
// CHECK-NEXT: %[[L0:.+]] = comb.xor %par_done0.out, %par_phase.out : i1
// CHECK-NEXT: %[[L1:.+]] = comb.xor %par_done1.out, %par_phase.out : i1
// CHECK-NEXT: %[[F0:.+]] = comb.or %[[L0]], %[[D0]] : i1
// CHECK-NEXT: %[[F1:.+]] = comb.or %[[L1]], %[[D1]] : i1
// CHECK-NEXT: %[[ALL:.+]] = comb.and %[[F0]], %[[F1]] : i1
// CHECK-NEXT: %[[RUN0:.+]] = comb.xor %[[F0]], %[[T]] : i1
// CHECK-NEXT: %[[NL0:.+]] = comb.xor %[[L0]], %[[T]] : i1
// CHECK-NEXT: %[[SET0:.+]] = comb.and %[[D0]], %[[NL0]] : i1
// CHECK-NEXT: %[[FLIP0:.+]] = comb.xor %par_done0.out, %[[T]] : i1
// CHECK:      %[[FLIPP:.+]] = comb.xor %par_phase.out, %[[T]] : i1
// CHECK-NEXT: calyx.group @par {
// CHECK-NEXT:   calyx.assign %par_seen.in = %[[FLIPS]] ? %[[T]] : i1
// CHECK-NEXT:   calyx.assign %par_seen.write_en = %[[FIRST]] ? %[[T]] : i1
// CHECK-NEXT:   calyx.assign %ext_mem0_addr0 = %[[RUN0]] ? %c0_i3 : i3
// CHECK-NEXT:   calyx.assign %a.in = %[[RUN0]] ? %ext_mem0_read_data : i32
// CHECK-NEXT:   calyx.assign %a.write_en = %[[RUN0]] ? %true : i1
// CHECK-NEXT:   calyx.assign %par_done0.in = %[[FLIP0]] ? %[[T]] : i1
// CHECK-NEXT:   calyx.assign %par_done0.write_en = %[[SET0]] ? %[[T]] : i1
// CHECK:        calyx.assign %par_phase.in = %[[FLIPP]] ? %[[T]] : i1
// CHECK-NEXT:   calyx.assign %par_phase.write_en = %[[ALL]] ? %[[T]] : i1
// CHECK-NEXT:   calyx.group_done %[[ALL]] ? %[[T]] : i1
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
