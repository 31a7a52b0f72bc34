func.func @k(%a: memref<?xi32>, %o: memref<?xi32>) {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%c0] : memref<?xi32>
  memref.store %v, %o[%c0] : memref<?xi32>
  return
}
