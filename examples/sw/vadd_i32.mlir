// c = a + b on 100 i32 elements: 100 is not a multiple of the vector length (16 lanes at
// VLEN=128, LMUL=4), so the last vector iteration is masked.
func.func @vadd_i32(%a: memref<100xi32>, %b: memref<100xi32>, %c: memref<100xi32>) {
  affine.for %i = 0 to 100 {
    %x = affine.load %a[%i] : memref<100xi32>
    %y = affine.load %b[%i] : memref<100xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %c[%i] : memref<100xi32>
  }
  return
}
