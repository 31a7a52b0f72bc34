// Issue 11 regression: a select chain feeding shrsi; wrong on the host and RVV flows.
func.func @fuzz_a(%in0: memref<12x12xi32>, %in1: memref<12x12xi32>, %out: memref<5x4xi32>) {
    affine.for %i = 0 to 5 {
        affine.for %j = 0 to 4 {
            %v1 = affine.load %in1[2 * %i, 2 * %j] : memref<12x12xi32>
            %v2 = arith.constant -7 : i32
            %v3 = affine.load %in0[%i + 1, 2 * %j] : memref<12x12xi32>
            %v4 = affine.load %in1[%i + 1, 2 * %j] : memref<12x12xi32>
            %v5 = arith.cmpi slt, %v1, %v2 : i32
            %v6 = arith.select %v5, %v3, %v4 : i32
            %v7 = arith.constant 4 : i32
            %v8 = affine.load %in0[%i + 2, %j + 1] : memref<12x12xi32>
            %v9 = affine.load %in0[2 * %i, %j] : memref<12x12xi32>
            %v10 = arith.cmpi slt, %v6, %v7 : i32
            %v11 = arith.select %v10, %v8, %v9 : i32
            %v12 = arith.constant 1 : i32
            %v13 = arith.shrsi %v11, %v12 : i32
            affine.store %v13, %out[%i, %j] : memref<5x4xi32>
        }
    }
    return
}
