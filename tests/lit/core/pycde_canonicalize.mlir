// The CIRCT inside pycde through unified-opt: canonicalize folds comb arithmetic on
// constants in an hw.module.
// RUN: unified-opt %s -p 'pycde(builtin.module(canonicalize))' | filecheck %s

// CHECK-LABEL: hw.module @fold
// CHECK-NEXT:    %[[C:.*]] = hw.constant 7 : i8
// CHECK-NEXT:    %[[S:.*]] = comb.add %x, %[[C]] : i8
// CHECK-NEXT:    hw.output %[[S]] : i8
hw.module @fold(in %x : i8, out y : i8) {
  %c3 = hw.constant 3 : i8
  %c4 = hw.constant 4 : i8
  %k = comb.add %c3, %c4 : i8
  %s = comb.add %x, %k : i8
  hw.output %s : i8
}
