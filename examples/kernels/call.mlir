// A kernel calling a helper (inlined into the hardware): x[i] = sq(x[i]) - 1.
func.func @sq_minus_one(%v: i32) -> i32 {
  %one = arith.constant 1 : i32
  %r = arith.muli %v, %v : i32
  %s = arith.subi %r, %one : i32
  return %s : i32
}
func.func @call(%x: memref<4xi32>) {
  affine.for %i = 0 to 4 {
    %v = affine.load %x[%i] : memref<4xi32>
    %w = func.call @sq_minus_one(%v) : (i32) -> i32
    affine.store %w, %x[%i] : memref<4xi32>
  }
  return
}
