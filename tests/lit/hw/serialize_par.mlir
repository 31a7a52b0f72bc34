// RUN: unified-opt %s -p calyx-serialize-par | filecheck %s

// The arms of a par run one after the other, in order, in a seq at the same place.
// CHECK-LABEL: calyx.component @two_inits
// CHECK:      calyx.control {
// CHECK-NEXT:   calyx.seq {
// CHECK-NEXT:     calyx.seq {
// CHECK-NEXT:       calyx.enable @init_a
// CHECK-NEXT:       calyx.enable @init_b
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK-NOT:  calyx.par
module attributes {calyx.entrypoint = "two_inits"} {
  calyx.component @two_inits(%clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%done: i1 {done}) {
    %true = hw.constant true
    %c0_i32 = hw.constant 0 : i32
    %a.in, %a.write_en, %a.clk, %a.reset, %a.out, %a.done = calyx.register @a : i32, i1, i1, i1, i32, i1
    %b.in, %b.write_en, %b.clk, %b.reset, %b.out, %b.done = calyx.register @b : i32, i1, i1, i1, i32, i1
    calyx.wires {
      calyx.group @init_a {
        calyx.assign %a.in = %c0_i32 : i32
        calyx.assign %a.write_en = %true : i1
        calyx.group_done %a.done : i1
      }
      calyx.group @init_b {
        calyx.assign %b.in = %c0_i32 : i32
        calyx.assign %b.write_en = %true : i1
        calyx.group_done %b.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.par {
          calyx.enable @init_a
          calyx.enable @init_b
        }
      }
    }
  } {toplevel}
}
