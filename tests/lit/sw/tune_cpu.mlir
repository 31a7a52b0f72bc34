// RUN: unified-opt %s -p "sw-tune-cpu{cpu=sifive-x280}" | filecheck %s

// Every llvm.func with a body is scheduled for the X280 (LLVM's "tune-cpu"); declarations
// and the target CPU stay as they are.
// CHECK-LABEL: llvm.func @kernel
// CHECK-SAME: tune_cpu = "sifive-x280"
// CHECK: llvm.func @external
// CHECK-NOT: tune_cpu
llvm.func @kernel(%x: i32) -> i32 {
  llvm.return %x : i32
}
llvm.func @external(i32) -> i32
