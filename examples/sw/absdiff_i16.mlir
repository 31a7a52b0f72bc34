// i16 elements: c = |a - b| on 5x40 (64 lanes of i16 at VLEN=128 cover a row, masked).
func.func @absdiff_i16(%a: memref<5x40xi16>, %b: memref<5x40xi16>, %c: memref<5x40xi16>) {
  affine.for %i = 0 to 5 {
    affine.for %j = 0 to 40 {
      %x = affine.load %a[%i, %j] : memref<5x40xi16>
      %y = affine.load %b[%i, %j] : memref<5x40xi16>
      %d = arith.subi %x, %y : i16
      %n = arith.subi %y, %x : i16
      %neg = arith.cmpi slt, %d, %n : i16
      %r = arith.select %neg, %n, %d : i16
      affine.store %r, %c[%i, %j] : memref<5x40xi16>
    }
  }
  return
}
