// RUN: unified-opt %s -p 'pycde(builtin.module(convert-fsm-to-sv)),sv-comb-defaults' | filecheck %s

// convert-fsm-to-sv leaves the default arm of the state case empty (a latch for every
// output); the pass fills it: stay in the current state, outputs 0.
// CHECK-LABEL: hw.module @blink
// CHECK:      sv.alwayscomb {
// CHECK-NEXT:   sv.case %state_reg
// CHECK-NEXT:   case idle: {
// CHECK:        case busy: {
// CHECK:        default: {
// CHECK-NEXT:     sv.bpassign %state_next, %state_reg
// CHECK-NEXT:     %[[ZERO:.*]] = hw.constant false
// CHECK-NEXT:     sv.bpassign %output_0, %[[ZERO]] : i1
// CHECK-NEXT:   }
fsm.machine @blink(%go: i1) -> (i1) attributes {initialState = "idle"} {
  fsm.state @idle output {
    %false = hw.constant false
    fsm.output %false : i1
  } transitions {
    fsm.transition @busy guard {
      fsm.return %go
    }
  }
  fsm.state @busy output {
    %true = hw.constant true
    fsm.output %true : i1
  } transitions {
    fsm.transition @idle
  }
}
