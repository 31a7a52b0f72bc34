// ReLU in place: x[i] = max(x[i], 0).
func.func @relu(%x: memref<16xi32>) {
  %zero = arith.constant 0 : i32
  affine.for %i = 0 to 16 {
    %v = affine.load %x[%i] : memref<16xi32>
    %r = arith.maxsi %v, %zero : i32
    affine.store %r, %x[%i] : memref<16xi32>
  }
  return
}
