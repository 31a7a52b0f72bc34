// i8 kernel: c[i] = trunc(clamp(sext(a[i]) + sext(b[i]), -128, 127)) (saturating add).
func.func @sat_add_i8(%a: memref<16xi8>, %b: memref<16xi8>, %c: memref<16xi8>) {
  %lo = arith.constant -128 : i16
  %hi = arith.constant 127 : i16
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<16xi8>
    %y = affine.load %b[%i] : memref<16xi8>
    %xw = arith.extsi %x : i8 to i16
    %yw = arith.extsi %y : i8 to i16
    %s = arith.addi %xw, %yw : i16
    %s1 = arith.maxsi %s, %lo : i16
    %s2 = arith.minsi %s1, %hi : i16
    %r = arith.trunci %s2 : i16 to i8
    affine.store %r, %c[%i] : memref<16xi8>
  }
  return
}
