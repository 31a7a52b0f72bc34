// RUN: unified-opt %s -p calyx-flatten-seq | filecheck %s

// Nested seqs and one-arm pars inside a seq become siblings; a par of two stays.
// CHECK:      calyx.control {
// CHECK-NEXT:   calyx.seq {
// CHECK-NEXT:     calyx.enable @load_a
// CHECK-NEXT:     calyx.enable @sum
// CHECK-NEXT:     calyx.enable @load_b
// CHECK-NEXT:     calyx.par {
// CHECK-NEXT:       calyx.enable @store_b
// CHECK-NEXT:       calyx.enable @sum
// CHECK-NEXT:     }
// CHECK-NEXT:   }
// CHECK-NEXT: }
module attributes {calyx.entrypoint = "flat"} {
  calyx.component @flat(%in0: i32, %ext_mem0_read_data: i32 {mem = {id = 0 : i32, tag = "read_data"}}, %ext_mem0_done: i1 {mem = {id = 0 : i32, tag = "done"}}, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%ext_mem0_write_data: i32 {mem = {id = 0 : i32, tag = "write_data"}}, %ext_mem0_addr0: i3 {mem = {addr_idx = 0 : i32, id = 0 : i32, tag = "addr"}}, %ext_mem0_write_en: i1 {mem = {id = 0 : i32, tag = "write_en"}}, %done: i1 {done}) {
    %true = hw.constant true
    %c0_i3 = hw.constant 0 : i3
    %c1_i3 = hw.constant 1 : i3
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
      calyx.group @sum {
        calyx.assign %add.left = %a.out : i32
        calyx.assign %add.right = %in0 : i32
        calyx.assign %s.in = %add.out : i32
        calyx.assign %s.write_en = %true : i1
        calyx.group_done %s.done : i1
      }
      calyx.group @load_b {
        calyx.assign %ext_mem0_addr0 = %c1_i3 : i3
        calyx.assign %b.in = %ext_mem0_read_data : i32
        calyx.assign %b.write_en = %true : i1
        calyx.group_done %b.done : i1
      }
      calyx.group @store_b {
        calyx.assign %ext_mem0_addr0 = %c1_i3 : i3
        calyx.assign %ext_mem0_write_data = %b.out : i32
        calyx.assign %ext_mem0_write_en = %true : i1
        calyx.group_done %ext_mem0_done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.par {
          calyx.enable @load_a
        }
        calyx.seq {
          calyx.enable @sum
          calyx.seq {
            calyx.enable @load_b
          }
        }
        calyx.par {
          calyx.enable @store_b
          calyx.enable @sum
        }
      }
    }
  } {toplevel}
}
