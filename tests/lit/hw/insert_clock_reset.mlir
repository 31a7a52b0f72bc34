// RUN: unified-opt %s -p insert-clock-reset | filecheck %s

// Registers and pipelined units get the component's clk and reset as continuous
// assignments; combinational cells get nothing.
// CHECK-LABEL: calyx.component @mac
// CHECK:      calyx.wires {
// CHECK:        calyx.group @run {
// CHECK:        }
// CHECK-NEXT:   calyx.assign %acc.clk = %clk : i1
// CHECK-NEXT:   calyx.assign %acc.reset = %reset : i1
// CHECK-NEXT:   calyx.assign %mul.clk = %clk : i1
// CHECK-NEXT:   calyx.assign %mul.reset = %reset : i1
// CHECK-NEXT: }
// CHECK-NOT:  %add.clk
module attributes {calyx.entrypoint = "mac"} {
  calyx.component @mac(%clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%done: i1 {done}) {
    %true = hw.constant true
    %c3_i32 = hw.constant 3 : i32
    %acc.in, %acc.write_en, %acc.clk, %acc.reset, %acc.out, %acc.done = calyx.register @acc : i32, i1, i1, i1, i32, i1
    %mul.clk, %mul.reset, %mul.go, %mul.left, %mul.right, %mul.out, %mul.done = calyx.std_mult_pipe @mul : i1, i1, i1, i32, i32, i32, i1
    %add.left, %add.right, %add.out = calyx.std_add @add : i32, i32, i32
    calyx.wires {
      calyx.group @run {
        calyx.assign %mul.left = %acc.out : i32
        calyx.assign %mul.right = %c3_i32 : i32
        calyx.assign %mul.go = %true : i1
        calyx.assign %acc.in = %mul.out : i32
        calyx.assign %acc.write_en = %mul.done : i1
        calyx.group_done %acc.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.enable @run
      }
    }
  } {toplevel}
}
