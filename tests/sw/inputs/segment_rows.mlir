// Loops of segment loads (stride-2 pairs read together), for sw-pipeline-segment-loads.

// 2x2 max-pooling of 12x32 f32: six rows of outputs, each two rows of pairs; unrolled by 2.
func.func @pool_rows(%in: memref<12x32xf32>, %out: memref<6x16xf32>) {
  affine.for %i = 0 to 6 {
    affine.for %j = 0 to 16 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<12x32xf32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<12x32xf32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<12x32xf32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<12x32xf32>
      %m0 = arith.maxnumf %a, %b : f32
      %m1 = arith.maxnumf %c, %d : f32
      %m = arith.maxnumf %m0, %m1 : f32
      affine.store %m, %out[%i, %j] : memref<6x16xf32>
    }
  }
  return
}

// Sums and differences of pairs over five row pairs (an odd count: not unrolled), i32.
func.func @pair_rows_i32(%in: memref<10x16xi32>, %out: memref<5x8xi32>) {
  affine.for %i = 0 to 5 {
    affine.for %j = 0 to 8 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<10x16xi32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<10x16xi32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<10x16xi32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<10x16xi32>
      %s = arith.addi %a, %b : i32
      %t = arith.subi %c, %d : i32
      %r = arith.muli %s, %t : i32
      affine.store %r, %out[%i, %j] : memref<5x8xi32>
    }
  }
  return
}

// Pooling into a buffer it also reads (out = max(out, pairs)): left as it is.
func.func @pool_update(%in: memref<12x16xf32>, %out: memref<6x8xf32>) {
  affine.for %i = 0 to 6 {
    affine.for %j = 0 to 8 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<12x16xf32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<12x16xf32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<12x16xf32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<12x16xf32>
      %o = affine.load %out[%i, %j] : memref<6x8xf32>
      %m0 = arith.maxnumf %a, %b : f32
      %m1 = arith.maxnumf %c, %d : f32
      %m2 = arith.maxnumf %m0, %m1 : f32
      %m = arith.maxnumf %m2, %o : f32
      affine.store %m, %out[%i, %j] : memref<6x8xf32>
    }
  }
  return
}
