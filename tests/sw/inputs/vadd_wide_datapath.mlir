// vadd_i32 on a platform whose vector datapath is as wide as a register (DLEN = VLEN):
// `unified sim --target rvv` times it at DLEN 128 without a --dlen flag.
module attributes {unified.platform = {vlen = 128 : i64, dlen = 128 : i64}} {
  func.func @vadd_i32(%a: memref<100xi32>, %b: memref<100xi32>, %c: memref<100xi32>) {
    affine.for %i = 0 to 100 {
      %x = affine.load %a[%i] : memref<100xi32>
      %y = affine.load %b[%i] : memref<100xi32>
      %s = arith.addi %x, %y : i32
      affine.store %s, %c[%i] : memref<100xi32>
    }
    return
  }
}
