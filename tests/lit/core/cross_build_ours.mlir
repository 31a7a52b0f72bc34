// Upstream, ours and CIRCT in one -p spec: lower-affine (torch-mlir's MLIR) prints
// `arith.addi` with overflow flags the older circt wheel cannot read; our
// drop-overflow-flags resets them, so lower-scf-to-calyx (the circt wheel) accepts the IR.
// RUN: unified-opt %s -p 'mlir(builtin.module(func.func(lower-affine))),drop-overflow-flags,circt(builtin.module(lower-scf-to-calyx{top-level-function=sum}))' | filecheck %s
// Without our pass the circt wheel rejects the text (its reproducer dump goes to %t, not /tmp):
// RUN: rm -rf %t && mkdir -p %t
// RUN: env TMPDIR=%t not unified-opt %s -p 'mlir(builtin.module(func.func(lower-affine))),circt(builtin.module(lower-scf-to-calyx{top-level-function=sum}))' 2>&1 | filecheck %s --check-prefix=NOFIX

// CHECK:       calyx.component @sum(
// CHECK:         calyx.group @bb0_3 {
// CHECK-NEXT:      calyx.assign %std_slice_0.in = %c0_i32 : i32
// CHECK-NEXT:      calyx.assign %ext_mem1_addr0 = %std_slice_0.out : i1
// CHECK-NEXT:      calyx.assign %ext_mem1_write_data = %std_add_0.out : i32
// CHECK-NEXT:      calyx.assign %ext_mem1_write_en = %true : i1
// CHECK-NEXT:      calyx.assign %std_add_0.left = %load_1_reg.out : i32
// CHECK-NEXT:      calyx.assign %std_add_0.right = %load_0_reg.out : i32
// CHECK:         calyx.repeat 8 {
// NOFIX:       unified-mlir-to-circt-{{.*}}.mlir:{{[0-9]+}}:{{[0-9]+}}: error: the circt build cannot read the IR the mlir build printed: expected ':'
// NOFIX-NEXT:    in stage 'circt(builtin.module(lower-scf-to-calyx{top-level-function=sum}))'
// NOFIX-NEXT:    reproduce with: unified-opt {{.*}}.mlir -p
func.func @sum(%a: memref<8xi32>, %out: memref<1xi32>) {
  %c0 = arith.constant 0 : index
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    %s = memref.load %out[%c0] : memref<1xi32>
    %t = arith.addi %s, %v overflow<nsw> : i32
    memref.store %t, %out[%c0] : memref<1xi32>
  }
  return
}
