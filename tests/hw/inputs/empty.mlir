func.func @k(%a: memref<4xi32>) {
  return
}
