func.func @k(%a: memref<16xi32>, %o: memref<1xi32>, %n: index) {
  %c0 = arith.constant 0 : i32
  %s = affine.for %i = 0 to %n iter_args(%acc = %c0) -> i32 {
    %v = affine.load %a[%i] : memref<16xi32>
    %t = arith.addi %acc, %v : i32
    affine.yield %t : i32
  }
  affine.store %s, %o[0] : memref<1xi32>
  return
}
