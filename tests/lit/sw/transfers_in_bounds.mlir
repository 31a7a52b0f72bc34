// RUN: unified-opt %s -p sw-transfers-in-bounds | filecheck %s

// i in {0, 16, ..., 80}: i + 16 <= 96 <= 100, always in bounds.
// CHECK-LABEL: func.func @main_part
// CHECK: vector.transfer_read %arg0[%{{.*}}], %{{.*}} {in_bounds = [true]}
// CHECK: vector.transfer_write %{{.*}}, %arg1[%{{.*}}] {in_bounds = [true]}
func.func @main_part(%a: memref<100xi32>, %b: memref<100xi32>) {
  %p = ub.poison : i32
  affine.for %i = 0 to 96 step 16 {
    %v = vector.transfer_read %a[%i], %p : memref<100xi32>, vector<16xi32>
    vector.transfer_write %v, %b[%i] : vector<16xi32>, memref<100xi32>
  }
  return
}

// i = 96 reads 96..111 of 100 elements: stays masked.
// CHECK-LABEL: func.func @tail
// CHECK: vector.transfer_read %arg0[%{{.*}}], %{{.*}} : memref<100xi32>, vector<16xi32>
func.func @tail(%a: memref<100xi32>, %b: memref<100xi32>) {
  %p = ub.poison : i32
  affine.for %i = 96 to 100 step 16 {
    %v = vector.transfer_read %a[%i], %p : memref<100xi32>, vector<16xi32>
    vector.transfer_write %v, %b[%i] : vector<16xi32>, memref<100xi32>
  }
  return
}

// An offset through affine.apply (j + 2, j < 64 step 16): 50 + 16 <= 66.
// CHECK-LABEL: func.func @shifted
// CHECK: vector.transfer_read %arg0[%{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]}
#plus2 = affine_map<(d0) -> (d0 + 2)>
func.func @shifted(%a: memref<3x66xf32>, %b: memref<64xf32>) {
  %p = ub.poison : f32
  %c1 = arith.constant 1 : index
  affine.for %j = 0 to 64 step 16 {
    %k = affine.apply #plus2(%j)
    %v = vector.transfer_read %a[%c1, %k], %p : memref<3x66xf32>, vector<16xf32>
    vector.transfer_write %v, %b[%j] : vector<16xf32>, memref<64xf32>
  }
  return
}
