// RUN: unified-opt %s -p calyx-fast-done | filecheck %s

// A product written into its register when the multiplier is done: the group ends on
// the multiplier's done (the register's write lands on that edge), two cycles.
// CHECK-LABEL: calyx.component @mul
// CHECK: calyx.group @product
// CHECK: calyx.group_done %m.done : i1
// CHECK-NEXT: } {unified.cycles = 2 : i32, unified.early_done}
module attributes {calyx.entrypoint = "mul"} {
  calyx.component @mul(%x: i32, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%done: i1 {done}) {
    %true = hw.constant true
    %p.in, %p.write_en, %p.clk, %p.reset, %p.out, %p.done = calyx.register @p : i32, i1, i1, i1, i32, i1
    %m.clk, %m.reset, %m.go, %m.left, %m.right, %m.out, %m.done = calyx.std_mult_pipe @m : i1, i1, i1, i32, i32, i32, i1
    calyx.wires {
      calyx.group @product {
        calyx.assign %m.left = %x : i32
        calyx.assign %m.right = %x : i32
        calyx.assign %p.in = %m.out : i32
        calyx.assign %p.write_en = %m.done : i1
        %0 = comb.xor %m.done, %true : i1
        calyx.assign %m.go = %0 ? %true : i1
        calyx.group_done %p.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.enable @product
      }
    }
  } {toplevel}
}
