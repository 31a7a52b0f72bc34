// Kernels with strided accesses, vectorized by sw-vectorize-strided (vector.gather -> vlse).

// 2x2 max-pooling, stride 2: four stride-2 reads per output.
func.func @maxpool_f32(%in: memref<16x16xf32>, %out: memref<8x8xf32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %a = affine.load %in[2 * %i, 2 * %j] : memref<16x16xf32>
      %b = affine.load %in[2 * %i, 2 * %j + 1] : memref<16x16xf32>
      %c = affine.load %in[2 * %i + 1, 2 * %j] : memref<16x16xf32>
      %d = affine.load %in[2 * %i + 1, 2 * %j + 1] : memref<16x16xf32>
      %m0 = arith.maxnumf %a, %b : f32
      %m1 = arith.maxnumf %c, %d : f32
      %m = arith.maxnumf %m0, %m1 : f32
      affine.store %m, %out[%i, %j] : memref<8x8xf32>
    }
  }
  return
}

// Every third element plus a unit-stride one and a loop-invariant one; 37 iterations leave
// a scalar remainder at every VLEN.
func.func @stride3_i32(%a: memref<111xi32>, %b: memref<37xi32>, %k: memref<1xi32>, %out: memref<40xi32>) {
  affine.for %i = 0 to 37 {
    %x = affine.load %a[3 * %i + 2] : memref<111xi32>
    %y = affine.load %b[%i] : memref<37xi32>
    %z = affine.load %k[0] : memref<1xi32>
    %p = arith.muli %x, %z : i32
    %s = arith.subi %p, %y : i32
    affine.store %s, %out[%i + 1] : memref<40xi32>
  }
  return
}

// In-place update of a row from every other element of a vector.
func.func @update_i32(%v: memref<16xi32>, %row: memref<8xi32>) {
  affine.for %j = 0 to 8 {
    %x = affine.load %v[2 * %j + 1] : memref<16xi32>
    %r = affine.load %row[%j] : memref<8xi32>
    %s = arith.addi %r, %x : i32
    affine.store %s, %row[%j] : memref<8xi32>
  }
  return
}

// An update chain after unrolling (MaxPool as the ONNX frontend writes it: out starts at
// -inf, each window element read-max-written back): a read of %out after a store of %out
// must see that store. The strided vectorizer once read every %out at the first store
// (LeNet-5 came out wrong).
func.func @pool_chain_f32(%in: memref<4x16xf32>, %out: memref<2x8xf32>) {
  affine.for %r = 0 to 2 {
    affine.for %c = 0 to 8 {
      affine.for %kr = 0 to 2 {
        affine.for %kc = 0 to 2 {
          %x = affine.load %in[%r * 2 + %kr, %c * 2 + %kc] : memref<4x16xf32>
          %y = affine.load %out[%r, %c] : memref<2x8xf32>
          %m = arith.maximumf %y, %x : f32
          affine.store %m, %out[%r, %c] : memref<2x8xf32>
        }
      }
    }
  }
  return
}
