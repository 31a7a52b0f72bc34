// RUN: unified-opt %s -p calyx-fast-done | filecheck %s

// @load_a and @sum write registers nobody beside them writes: done in their first cycle.
// @bump_s writes @s right after @sum does (a CIRCT register ignores that write unless a
// cycle passes between), so @sum and @bump_s keep waiting for the register's done.
// CHECK-LABEL: calyx.group @load_a
// CHECK: %[[ONE:.*]] = comb.or %a.done, %true
// CHECK-NEXT: calyx.group_done %[[ONE]] ? %true
// CHECK-NEXT: } {unified.cycles = 1 : i32, unified.early_done}
// CHECK-LABEL: calyx.group @sum
// CHECK: calyx.group_done %s.done : i1
// CHECK-NEXT: }
// CHECK-NOT: unified.cycles
// CHECK-LABEL: calyx.group @bump_s
// CHECK: calyx.group_done %s.done : i1
// CHECK-NEXT: }
// CHECK-NOT: unified.cycles
// CHECK-LABEL: calyx.control
module attributes {calyx.entrypoint = "k"} {
  calyx.component @k(%ext_mem0_read_data: i32 {mem = {id = 0 : i32, tag = "read_data"}}, %ext_mem0_done: i1 {mem = {id = 0 : i32, tag = "done"}}, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%ext_mem0_addr0: i3 {mem = {addr_idx = 0 : i32, id = 0 : i32, tag = "addr"}}, %done: i1 {done}) {
    %true = hw.constant true
    %c0_i3 = hw.constant 0 : i3
    %c1_i32 = hw.constant 1 : i32
    %a.in, %a.write_en, %a.clk, %a.reset, %a.out, %a.done = calyx.register @a : i32, i1, i1, i1, i32, i1
    %s.in, %s.write_en, %s.clk, %s.reset, %s.out, %s.done = calyx.register @s : i32, i1, i1, i1, i32, i1
    %add.left, %add.right, %add.out = calyx.std_add @add : i32, i32, i32
    calyx.wires {
      calyx.group @load_a {
        calyx.assign %ext_mem0_addr0 = %c0_i3 : i3
        calyx.assign %a.in = %ext_mem0_read_data : i32
        calyx.assign %a.write_en = %true : i1
        calyx.group_done %a.done : i1
      }
      calyx.group @sum {
        calyx.assign %add.left = %a.out : i32
        calyx.assign %add.right = %a.out : i32
        calyx.assign %s.in = %add.out : i32
        calyx.assign %s.write_en = %true : i1
        calyx.group_done %s.done : i1
      }
      calyx.group @bump_s {
        calyx.assign %add.left = %s.out : i32
        calyx.assign %add.right = %c1_i32 : i32
        calyx.assign %s.in = %add.out : i32
        calyx.assign %s.write_en = %true : i1
        calyx.group_done %s.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.enable @load_a
        calyx.enable @sum
        calyx.enable @bump_s
      }
    }
  } {toplevel}
}

