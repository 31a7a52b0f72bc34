// RUN: unified-opt %s -p remove-comb-groups | filecheck %s

// The while condition is latched into a 1-bit register by a group that runs the comb
// group's assignments; it runs before the loop and at the end of every iteration.
// CHECK-LABEL: calyx.component @count
// CHECK:      %[[R:.*]].in, %[[R]].write_en, %{{.*}}, %{{.*}}, %[[R]].out, %[[R]].done = calyx.register @cond_cond_reg : i1, i1, i1, i1, i1, i1
// CHECK:      calyx.group @cond_cond {
// CHECK-NEXT:   calyx.assign %lt.left = %i.out : i32
// CHECK-NEXT:   calyx.assign %lt.right = %c8_i32 : i32
// CHECK-NEXT:   calyx.assign %[[R]].in = %lt.out : i1
// CHECK-NEXT:   calyx.assign %[[R]].write_en = %{{.*}} : i1
// CHECK-NEXT:   calyx.group_done %[[R]].done : i1
// CHECK-NEXT: }
// CHECK-NOT:  calyx.comb_group
// CHECK:      calyx.control {
// CHECK-NEXT:   calyx.seq {
// CHECK-NEXT:     calyx.seq {
// CHECK-NEXT:       calyx.enable @cond_cond
// CHECK-NEXT:       calyx.while %[[R]].out {
// CHECK-NEXT:         calyx.seq {
// CHECK-NEXT:           calyx.seq {
// CHECK-NEXT:             calyx.enable @step
// CHECK-NEXT:           }
// CHECK-NEXT:           calyx.enable @cond_cond
// CHECK-NEXT:         }
// CHECK-NEXT:       }
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }
module attributes {calyx.entrypoint = "count"} {
  calyx.component @count(%clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%done: i1 {done}) {
    %true = hw.constant true
    %c1_i32 = hw.constant 1 : i32
    %c8_i32 = hw.constant 8 : i32
    %i.in, %i.write_en, %i.clk, %i.reset, %i.out, %i.done = calyx.register @i : i32, i1, i1, i1, i32, i1
    %lt.left, %lt.right, %lt.out = calyx.std_slt @lt : i32, i32, i1
    %add.left, %add.right, %add.out = calyx.std_add @add : i32, i32, i32
    calyx.wires {
      calyx.comb_group @cond {
        calyx.assign %lt.left = %i.out : i32
        calyx.assign %lt.right = %c8_i32 : i32
      }
      calyx.group @step {
        calyx.assign %add.left = %i.out : i32
        calyx.assign %add.right = %c1_i32 : i32
        calyx.assign %i.in = %add.out : i32
        calyx.assign %i.write_en = %true : i1
        calyx.group_done %i.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.while %lt.out with @cond {
          calyx.seq {
            calyx.enable @step
          }
        }
      }
    }
  } {toplevel}
}

