// Found by unified.fuzz (profile float): arith.divf by the constant least subnormal
// (pattern 0x00000001) failed in float-to-bits, 'the float operation divf on constants
// was not folded': its placeholder divui x, 1 would fold. Now x / c is built as -x / -c.
// check: hw-O0 (--target hw -O 0)
// check: hw-O3 (--target hw -O 3)
// check: sw (--target sw)
// fuzz: func=kernel
func.func @kernel(%m0: memref<6xf32>) {
  %tiny = arith.constant 0x00000001 : f32
  affine.for %i = 0 to 6 {
    %x = affine.load %m0[%i] : memref<6xf32>
    %q = arith.divf %x, %tiny : f32
    affine.store %q, %m0[%i] : memref<6xf32>
  }
  return
}
