func.func @k(%a: i32, %o: memref<1xi32>) {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<4xi32>
  memref.store %a, %m[%c0] : memref<4xi32>
  memref.store %a, %o[%c0] : memref<1xi32>
  return
}
