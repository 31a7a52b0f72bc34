func.func @k(%o: memref<4xindex>) {
  affine.for %i = 0 to 4 {
    affine.store %i, %o[%i] : memref<4xindex>
  }
  return
}
