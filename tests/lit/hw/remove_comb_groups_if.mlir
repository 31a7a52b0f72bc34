// RUN: unified-opt %s -p remove-comb-groups | filecheck %s

// An if with a comb group: the condition is latched once, then the if reads the register;
// the else arm stays in place.
// CHECK-LABEL: calyx.component @pick
// CHECK:      calyx.group @cmp_cond {
// CHECK-NEXT:   calyx.assign %gt.left = %x.out : i32
// CHECK-NEXT:   calyx.assign %gt.right = %c0_i32 : i32
// CHECK-NEXT:   calyx.assign %cmp_cond_reg.in = %gt.out : i1
// CHECK:      calyx.control {
// CHECK-NEXT:   calyx.seq {
// CHECK-NEXT:     calyx.enable @cmp_cond
// CHECK-NEXT:     calyx.if %cmp_cond_reg.out {
// CHECK-NEXT:       calyx.enable @keep
// CHECK-NEXT:     } else {
// CHECK-NEXT:       calyx.enable @zero
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }
module attributes {calyx.entrypoint = "pick"} {
  calyx.component @pick(%clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%done: i1 {done}) {
    %true = hw.constant true
    %c0_i32 = hw.constant 0 : i32
    %x.in, %x.write_en, %x.clk, %x.reset, %x.out, %x.done = calyx.register @x : i32, i1, i1, i1, i32, i1
    %y.in, %y.write_en, %y.clk, %y.reset, %y.out, %y.done = calyx.register @y : i32, i1, i1, i1, i32, i1
    %gt.left, %gt.right, %gt.out = calyx.std_sgt @gt : i32, i32, i1
    calyx.wires {
      calyx.comb_group @cmp {
        calyx.assign %gt.left = %x.out : i32
        calyx.assign %gt.right = %c0_i32 : i32
      }
      calyx.group @keep {
        calyx.assign %y.in = %x.out : i32
        calyx.assign %y.write_en = %true : i1
        calyx.group_done %y.done : i1
      }
      calyx.group @zero {
        calyx.assign %y.in = %c0_i32 : i32
        calyx.assign %y.write_en = %true : i1
        calyx.group_done %y.done : i1
      }
    }
    calyx.control {
      calyx.if %gt.out with @cmp {
        calyx.enable @keep
      } else {
        calyx.enable @zero
      }
    }
  } {toplevel}
}
