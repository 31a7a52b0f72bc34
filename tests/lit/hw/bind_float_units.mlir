// RUN: unified-opt %s -p bind-float-units | filecheck %s

// A placeholder divider (float-to-bits' `unified.float.addf`, as lower-calyx-to-hw leaves
// it: port wires, a divider and two registers) becomes an instance of our adder, built once;
// the divider and its registers are gone, a divider without the name stays.
// CHECK: hw.module @unified_f32_addf(in %clk : i1, in %reset : i1, in %go : i1, in %left : i32, in %right : i32, out out : i32, out done : i1)
// CHECK-LABEL: hw.module @k(
// CHECK-NOT: seq.
// CHECK-NOT: comb.divu
// CHECK: sv.assign %p_done, %p_unit.done : i1
// CHECK-NOT: seq.
// CHECK-NOT: comb.divu
// CHECK: sv.assign %p_out_quotient, %p_unit.out : i32
// CHECK: %[[PLAIN:.*]] = comb.divu %a, %b : i32
// CHECK-NEXT: %p_unit.out, %p_unit.done = hw.instance "p_unit" @unified_f32_addf(clk: %0: i1, reset: %1: i1, go: %2: i1, left: %3: i32, right: %4: i32) -> (out: i32, done: i1)
// CHECK-NEXT: hw.output %{{.*}}, %{{.*}}, %[[PLAIN]] : i32, i1, i32
#cell = loc("unified.float.addf"("k.mlir":3:10))
hw.module @k(in %clk: i1, in %reset: i1, in %go: i1, in %a: i32, in %b: i32,
             out r: i32, out d: i1, out q: i32) {
  %p_clk = sv.wire : !hw.inout<i1> loc(#cell)
  %0 = sv.read_inout %p_clk : !hw.inout<i1> loc(#cell)
  %p_reset = sv.wire : !hw.inout<i1> loc(#cell)
  %1 = sv.read_inout %p_reset : !hw.inout<i1> loc(#cell)
  %p_go = sv.wire : !hw.inout<i1> loc(#cell)
  %2 = sv.read_inout %p_go : !hw.inout<i1> loc(#cell)
  %p_left = sv.wire : !hw.inout<i32> loc(#cell)
  %3 = sv.read_inout %p_left : !hw.inout<i32> loc(#cell)
  %p_right = sv.wire : !hw.inout<i32> loc(#cell)
  %4 = sv.read_inout %p_right : !hw.inout<i32> loc(#cell)
  %clock = seq.to_clock %0 loc(#cell)
  %false = hw.constant false loc(#cell)
  %done = seq.compreg %2, %clock reset %1, %false : i1 loc(#cell)
  %p_done = sv.wire name "p_done" : !hw.inout<i1> loc(#cell)
  sv.assign %p_done, %done : i1 loc(#cell)
  %5 = sv.read_inout %p_done : !hw.inout<i1> loc(#cell)
  %6 = comb.divu %3, %4 : i32 loc(#cell)
  %c0 = hw.constant 0 : i32 loc(#cell)
  %quotient = seq.compreg.ce %6, %clock, %2 reset %1, %c0 : i32 loc(#cell)
  %p_out_quotient = sv.wire name "p_out_quotient" : !hw.inout<i32> loc(#cell)
  sv.assign %p_out_quotient, %quotient : i32 loc(#cell)
  %7 = sv.read_inout %p_out_quotient : !hw.inout<i32> loc(#cell)
  sv.assign %p_clk, %clk : i1
  sv.assign %p_reset, %reset : i1
  sv.assign %p_go, %go : i1
  sv.assign %p_left, %a : i32
  sv.assign %p_right, %b : i32
  %plain = comb.divu %a, %b : i32
  hw.output %7, %5, %plain : i32, i1, i32
}
