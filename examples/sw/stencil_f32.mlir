// A 5-point Jacobi stencil: out[i][j] = 0.2 * (c + n + s + w + e) on the interior, 12x12 -> 10x10.
func.func @stencil_f32(%in: memref<12x12xf32>, %out: memref<10x10xf32>) {
  %fifth = arith.constant 0.2 : f32
  affine.for %i = 1 to 11 {
    affine.for %j = 1 to 11 {
      %c = affine.load %in[%i, %j] : memref<12x12xf32>
      %n = affine.load %in[%i - 1, %j] : memref<12x12xf32>
      %s = affine.load %in[%i + 1, %j] : memref<12x12xf32>
      %w = affine.load %in[%i, %j - 1] : memref<12x12xf32>
      %e = affine.load %in[%i, %j + 1] : memref<12x12xf32>
      %t0 = arith.addf %c, %n : f32
      %t1 = arith.addf %t0, %s : f32
      %t2 = arith.addf %t1, %w : f32
      %t3 = arith.addf %t2, %e : f32
      %r = arith.mulf %t3, %fifth : f32
      affine.store %r, %out[%i - 1, %j - 1] : memref<10x10xf32>
    }
  }
  return
}
