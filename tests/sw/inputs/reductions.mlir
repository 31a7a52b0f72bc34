// Sums whose vectorized, unrolled loop carries several accumulators (sw-split-accumulators).

func.func @sum_i32(%a: memref<4100xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %r = affine.for %i = 0 to 4100 iter_args(%acc = %zero) -> i32 {
    %x = affine.load %a[%i] : memref<4100xi32>
    %s = arith.addi %acc, %x : i32
    affine.yield %s : i32
  }
  affine.store %r, %out[0] : memref<1xi32>
  return
}

func.func @sum_f32(%a: memref<2048xf32>, %out: memref<1xf32>) {
  %zero = arith.constant 0.0 : f32
  %r = affine.for %i = 0 to 2048 iter_args(%acc = %zero) -> f32 {
    %x = affine.load %a[%i] : memref<2048xf32>
    %s = arith.addf %acc, %x : f32
    affine.yield %s : f32
  }
  affine.store %r, %out[0] : memref<1xf32>
  return
}

func.func @dot_i16(%a: memref<1024xi16>, %b: memref<1024xi16>, %out: memref<1xi16>) {
  %zero = arith.constant 0 : i16
  %r = affine.for %i = 0 to 1024 iter_args(%acc = %zero) -> i16 {
    %x = affine.load %a[%i] : memref<1024xi16>
    %y = affine.load %b[%i] : memref<1024xi16>
    %p = arith.muli %x, %y : i16
    %s = arith.addi %acc, %p : i16
    affine.yield %s : i16
  }
  affine.store %r, %out[0] : memref<1xi16>
  return
}
