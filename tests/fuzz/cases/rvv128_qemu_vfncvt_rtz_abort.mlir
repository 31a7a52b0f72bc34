// Found by unified.fuzz (profile float, campaign seed 71, kernel 5; reduced by hand):
// a vectorized f32 -> i16 fptoui becomes vfncvt.rtz.xu.f.w, and qemu-riscv64 7.2 aborts
// translating it (decode_save_opc: Assertion `ctx->insn_start != NULL'; the assertion of
// QEMU issue 1441 on vector instructions, gone with QEMU 8.1 per riscv-gnu-toolchain
// PR 1334). The program is right, the emulator is not (sw and hw-O0 pass).
// check: sw (--target sw)
// check: hw-O0 (--target hw -O 0)
// fails: rvv128 (--target rvv --vlen 128): qemu 7.2 aborts on vfncvt.rtz
// fuzz: func=kernel
func.func @kernel(%m0: memref<16xf32>, %m1: memref<16xi16>) {
  affine.for %i = 0 to 16 {
    %x = affine.load %m0[%i] : memref<16xf32>
    %y = arith.fptoui %x : f32 to i16
    affine.store %y, %m1[%i] : memref<16xi16>
  }
  return
}
