// Issue 11 regression: a select of two loads feeding shli; wrong in Verilator at -O3.
func.func @fuzz_b(%in0: memref<14xi32>, %in1: memref<14xi32>, %out: memref<6x6xi32>) {
    affine.for %i = 0 to 6 {
        affine.for %j = 0 to 6 {
            %v1 = arith.constant -7 : i32
            %v2 = affine.load %in1[%i] : memref<14xi32>
            %v3 = affine.load %in0[%i] : memref<14xi32>
            %v4 = affine.load %in0[2 * %i] : memref<14xi32>
            %v5 = arith.cmpi slt, %v1, %v2 : i32
            %v6 = arith.select %v5, %v3, %v4 : i32
            %v7 = arith.constant 3 : i32
            %v8 = arith.shli %v6, %v7 : i32
            affine.store %v8, %out[%i, %j] : memref<6x6xi32>
        }
    }
    return
}
