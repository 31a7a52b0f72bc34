// RUN: unified-opt %s -p tie-unused-outputs | filecheck %s

// A memory that is only read: its write_data and write_en outputs are tied to 0; the
// address (driven in a group) and done (driven by the FSM later) are left alone.
// CHECK-LABEL: calyx.component @reader
// CHECK-DAG:  %[[Z32:.*]] = hw.constant 0 : i32
// CHECK-DAG:  %[[Z1:.*]] = hw.constant false
// CHECK:      calyx.wires {
// CHECK:        calyx.group @load {
// CHECK:        }
// CHECK-NEXT:   calyx.assign %ext_mem0_write_data = %[[Z32]] : i32
// CHECK-NEXT:   calyx.assign %ext_mem0_write_en = %[[Z1]] : i1
// CHECK-NEXT: }
// CHECK-NOT:  calyx.assign %done
module attributes {calyx.entrypoint = "reader"} {
  calyx.component @reader(%ext_mem0_read_data: i32 {mem = {id = 0 : i32, tag = "read_data"}}, %ext_mem0_done: i1 {mem = {id = 0 : i32, tag = "done"}}, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%ext_mem0_write_data: i32 {mem = {id = 0 : i32, tag = "write_data"}}, %ext_mem0_addr0: i3 {mem = {addr_idx = 0 : i32, id = 0 : i32, tag = "addr"}}, %ext_mem0_write_en: i1 {mem = {id = 0 : i32, tag = "write_en"}}, %done: i1 {done}) {
    %true = hw.constant true
    %c0_i3 = hw.constant 0 : i3
    %r.in, %r.write_en, %r.clk, %r.reset, %r.out, %r.done = calyx.register @r : i32, i1, i1, i1, i32, i1
    calyx.wires {
      calyx.group @load {
        calyx.assign %ext_mem0_addr0 = %c0_i3 : i3
        calyx.assign %r.in = %ext_mem0_read_data : i32
        calyx.assign %r.write_en = %true : i1
        calyx.group_done %r.done : i1
      }
    }
    calyx.control {
      calyx.seq {
        calyx.enable @load
      }
    }
  } {toplevel}
}
