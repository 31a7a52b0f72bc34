// Loops that stop short of their memrefs' ends: the elements past each loop's upper bound
// must keep their values, whatever the vector length.

// 12 of 16 elements: no whole vector of 16 lanes, one partial one.
func.func @add_head_i32(%a: memref<16xi32>, %b: memref<16xi32>, %c: memref<16xi32>) {
  affine.for %i = 0 to 12 {
    %x = affine.load %a[%i] : memref<16xi32>
    %y = affine.load %b[%i] : memref<16xi32>
    %s = arith.addi %x, %y : i32
    affine.store %s, %c[%i] : memref<16xi32>
  }
  return
}

// 5 of 8 elements.
func.func @scale_head_f32(%a: memref<8xf32>, %out: memref<8xf32>) {
  %k = arith.constant 3.0 : f32
  affine.for %i = 0 to 5 {
    %x = affine.load %a[%i] : memref<8xf32>
    %y = arith.mulf %x, %k : f32
    affine.store %y, %out[%i] : memref<8xf32>
  }
  return
}

// Elements 3 to 44 of 64: whole vectors, then a remainder that ends inside the memref.
func.func @copy_middle_i32(%a: memref<64xi32>, %b: memref<64xi32>) {
  affine.for %i = 3 to 45 {
    %x = affine.load %a[%i] : memref<64xi32>
    affine.store %x, %b[%i] : memref<64xi32>
  }
  return
}

// 2-D: 19 of each row's 24 columns, shifted by one.
func.func @relu_rows_f32(%in: memref<6x24xf32>, %out: memref<6x24xf32>) {
  %zero = arith.constant 0.0 : f32
  affine.for %i = 0 to 6 {
    affine.for %j = 0 to 19 {
      %x = affine.load %in[%i, %j] : memref<6x24xf32>
      %y = arith.maximumf %x, %zero : f32
      affine.store %y, %out[%i, %j + 1] : memref<6x24xf32>
    }
  }
  return
}

// A sum over elements 3 to 44 of 64: the remainder's reads must stop at 44 as well.
func.func @sum_middle_i32(%a: memref<64xi32>, %out: memref<1xi32>) {
  %zero = arith.constant 0 : i32
  %r = affine.for %i = 3 to 45 iter_args(%acc = %zero) -> i32 {
    %x = affine.load %a[%i] : memref<64xi32>
    %s = arith.addi %acc, %x : i32
    affine.yield %s : i32
  }
  affine.store %r, %out[0] : memref<1xi32>
  return
}

// A triangle: row i doubles its first i + 1 elements (the bound depends on the outer loop).
func.func @triangle_f32(%m: memref<20x20xf32>) {
  affine.for %i = 0 to 20 {
    affine.for %j = 0 to affine_map<(d0) -> (d0 + 1)>(%i) {
      %x = affine.load %m[%i, %j] : memref<20x20xf32>
      %y = arith.addf %x, %x : f32
      affine.store %y, %m[%i, %j] : memref<20x20xf32>
    }
  }
  return
}

// A quotient of 12 of 16 elements: the divisors past the loop are zeros, which must not
// trap (the host's division does).
func.func @div_head_i32(%a: memref<16xi32>, %b: memref<16xi32>, %c: memref<16xi32>) {
  affine.for %i = 0 to 12 {
    %x = affine.load %a[%i] : memref<16xi32>
    %y = affine.load %b[%i] : memref<16xi32>
    %q = arith.divsi %x, %y : i32
    affine.store %q, %c[%i] : memref<16xi32>
  }
  return
}
