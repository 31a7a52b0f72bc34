// A CIRCT pass (the circt wheel) through unified-opt: a function becomes a Calyx component
// whose arguments are input ports and whose result sits in a register.
// RUN: unified-opt %s -p 'circt(builtin.module(lower-scf-to-calyx{top-level-function=add}))' | filecheck %s

// CHECK:       module attributes {calyx.entrypoint = "add"}
// CHECK:       calyx.component @add(%in0: i32, %in1: i32, %clk: i1 {clk}, %reset: i1 {reset}, %go: i1 {go}) -> (%out0: i32, %done: i1 {done})
// CHECK:         calyx.std_add @std_add_0 : i32, i32, i32
// CHECK:         calyx.register @ret_arg0_reg : i32
// CHECK:         calyx.wires {
// CHECK-NEXT:      calyx.assign %out0 = %ret_arg0_reg.out : i32
// CHECK:           calyx.group @ret_assign_0 {
// CHECK:         calyx.control {
// CHECK-NEXT:      calyx.seq {
// CHECK-NEXT:        calyx.enable @ret_assign_0
func.func @add(%a: i32, %b: i32) -> i32 {
  %s = arith.addi %a, %b : i32
  return %s : i32
}
