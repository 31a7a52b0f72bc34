func.func @k(%a: memref<i32>, %o: memref<i32>) {
  %v = memref.load %a[] : memref<i32>
  memref.store %v, %o[] : memref<i32>
  return
}
