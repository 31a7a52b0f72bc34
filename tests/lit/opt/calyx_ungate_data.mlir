// RUN: unified-opt %s -p calyx-ungate-data | filecheck %s

// Groups are gone (as after calyx-remove-groups-fsm): %g1/%g2 stand for controller outputs.
// The one driver of a register's `in`, a multiplier's operands and an adder's operands loses
// its guard; write_en, go, a register with two drivers and a component output keep theirs.
// CHECK-LABEL: calyx.wires {
// CHECK-NEXT:    calyx.assign %mul.left = %in0 : i32
// CHECK-NEXT:    calyx.assign %mul.right = %in1 : i32
// CHECK-NEXT:    calyx.assign %mul.go = %g1 ? %true : i1
// CHECK-NEXT:    calyx.assign %p.in = %mul.out : i32
// CHECK-NEXT:    calyx.assign %p.write_en = %g1 ? %mul.done : i1
// CHECK-NEXT:    calyx.assign %add.left = %p.out : i32
// CHECK-NEXT:    calyx.assign %add.right = %in0 : i32
// CHECK-NEXT:    calyx.assign %s.in = %g2 ? %add.out : i32
// CHECK-NEXT:    calyx.assign %s.in = %g1 ? %in1 : i32
// CHECK-NEXT:    calyx.assign %s.write_en = %g2 ? %true : i1
// CHECK-NEXT:    calyx.assign %ext_mem0_write_data = %g2 ? %s.out : i32
// CHECK-NEXT:    calyx.assign %done = %g2 ? %true : i1
// CHECK-NEXT:  }
module attributes {calyx.entrypoint = "ungate"} {
  calyx.component @ungate(%in0: i32, %in1: i32, %g1: i1, %g2: i1, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%ext_mem0_write_data: i32 {mem = {id = 0 : i32, tag = "write_data"}}, %done: i1 {done}) {
    %true = hw.constant true
    %mul.clk, %mul.reset, %mul.go, %mul.left, %mul.right, %mul.out, %mul.done = calyx.std_mult_pipe @mul : i1, i1, i1, i32, i32, i32, i1
    %p.in, %p.write_en, %p.clk, %p.reset, %p.out, %p.done = calyx.register @p : i32, i1, i1, i1, i32, i1
    %s.in, %s.write_en, %s.clk, %s.reset, %s.out, %s.done = calyx.register @s : i32, i1, i1, i1, i32, i1
    %add.left, %add.right, %add.out = calyx.std_add @add : i32, i32, i32
    calyx.wires {
      calyx.assign %mul.left = %g1 ? %in0 : i32
      calyx.assign %mul.right = %g1 ? %in1 : i32
      calyx.assign %mul.go = %g1 ? %true : i1
      calyx.assign %p.in = %g1 ? %mul.out : i32
      calyx.assign %p.write_en = %g1 ? %mul.done : i1
      calyx.assign %add.left = %g2 ? %p.out : i32
      calyx.assign %add.right = %g2 ? %in0 : i32
      calyx.assign %s.in = %g2 ? %add.out : i32
      calyx.assign %s.in = %g1 ? %in1 : i32
      calyx.assign %s.write_en = %g2 ? %true : i1
      calyx.assign %ext_mem0_write_data = %g2 ? %s.out : i32
      calyx.assign %done = %g2 ? %true : i1
    }
    calyx.control {
    }
  }
}
