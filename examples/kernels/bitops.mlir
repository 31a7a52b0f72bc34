// Bit, shift, compare, division-rounding and affine mod/floordiv ops: o[i] = four mixes of a[i].
func.func @bitops(%a: memref<8xi32>, %o: memref<8x4xi32>) {
  %c3 = arith.constant 3 : i32
  %c5 = arith.constant -5 : i32
  affine.for %i = 0 to 8 {
    %v = affine.load %a[%i] : memref<8xi32>
    %x0 = arith.andi %v, %c3 : i32
    %x1 = arith.ori %x0, %c5 : i32
    %x2 = arith.xori %x1, %v : i32
    %s0 = arith.shrui %v, %c3 : i32
    %s1 = arith.shrsi %v, %c3 : i32
    %t0 = arith.cmpi ule, %v, %c3 : i32
    %t1 = arith.cmpi ne, %v, %c5 : i32
    %t2 = arith.andi %t0, %t1 : i1
    %z = arith.extui %t2 : i1 to i32
    %d0 = arith.ceildivsi %v, %c3 : i32
    %d1 = arith.floordivsi %v, %c3 : i32
    %r0 = arith.remui %v, %c3 : i32
    %m = affine.apply affine_map<(d0) -> (d0 mod 3 + d0 floordiv 2)>(%i)
    %mi = arith.index_cast %m : index to i32
    %y0 = arith.addi %x2, %s0 : i32
    %y1 = arith.addi %s1, %z : i32
    %y2 = arith.addi %d0, %d1 : i32
    %y3 = arith.addi %r0, %mi : i32
    affine.store %y0, %o[%i, 0] : memref<8x4xi32>
    affine.store %y1, %o[%i, 1] : memref<8x4xi32>
    affine.store %y2, %o[%i, 2] : memref<8x4xi32>
    affine.store %y3, %o[%i, 3] : memref<8x4xi32>
  }
  return
}
