// Scalar arguments: y[i] = (a * x[i] + b) / d, remainder into r[i]; shifts and casts on the way.
func.func @saxpy_div(%a: i32, %b: i32, %d: i32, %x: memref<8xi32>, %y: memref<8xi32>, %r: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %v = affine.load %x[%i] : memref<8xi32>
    %m = arith.muli %a, %v : i32
    %s = arith.addi %m, %b : i32
    %q = arith.divsi %s, %d : i32
    %rem = arith.remsi %s, %d : i32
    %ii = arith.index_cast %i : index to i32
    %sh = arith.shli %ii, %ii : i32
    %t = arith.addi %rem, %sh : i32
    affine.store %q, %y[%i] : memref<8xi32>
    affine.store %t, %r[%i] : memref<8xi32>
  }
  return
}
