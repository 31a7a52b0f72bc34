// One -p spec across two MLIR builds: upstream lower-affine runs in the torch-mlir worker,
// the IR crosses to the circt worker as text, and lower-scf-to-calyx turns the memref
// arguments into external-memory ports.
// RUN: unified-opt %s -p 'mlir(builtin.module(func.func(lower-affine))),circt(builtin.module(lower-scf-to-calyx{top-level-function=copy}))' | filecheck %s

// CHECK:     calyx.component @copy(%ext_mem0_read_data: i32
// CHECK-SAME:  -> (%ext_mem0_write_data: i32
// CHECK-SAME:  %ext_mem0_addr0: i2
// CHECK-SAME:  %ext_mem1_addr0: i2
// CHECK:       calyx.group @bb0_0 {
// CHECK:         calyx.assign %load_0_reg.in = %ext_mem0_read_data : i32
// CHECK:       calyx.group @bb0_1 {
// CHECK:         calyx.assign %ext_mem1_write_data = %load_0_reg.out : i32
// CHECK:       calyx.repeat 4 {
func.func @copy(%a: memref<4xi32>, %b: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %v = affine.load %a[%i] : memref<4xi32>
    affine.store %v, %b[%i] : memref<4xi32>
  }
  return
}
