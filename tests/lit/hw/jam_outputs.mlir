// RUN: unified-opt %s -p 'hls-jam-outputs{factor=8 min-iterations=1},mlir(builtin.module(canonicalize))' | filecheck %s
// RUN: unified-opt %s -p hls-jam-outputs | filecheck %s --check-prefix=DEFAULT

// By default a nest of fewer than 4096 iterations keeps its order (the 6x12x5 product).
// DEFAULT-LABEL: func.func @conv
// DEFAULT:       hls.jammed
// DEFAULT-LABEL: func.func @gemm
// DEFAULT-NOT:   hls.jammed
// DEFAULT-LABEL: func.func @kept

// A convolution: the output channels go outside the window, eight at a time, and the input
// channels (the longest reduction loop) innermost; the image word is read once for all
// eight, each weight at its own channel.
// CHECK-LABEL: func.func @conv
// CHECK:       affine.for %[[Y:.*]] = 0 to 4 {
// CHECK-NEXT:    affine.for %[[X:.*]] = 0 to 4 {
// CHECK-NEXT:      affine.for %[[CO:.*]] = 0 to 16 step 8 {
// CHECK-NEXT:        affine.for %[[KY:.*]] = 0 to 3 {
// CHECK-NEXT:          affine.for %[[KX:.*]] = 0 to 3 {
// CHECK-NEXT:            affine.for %[[CI:.*]] = 0 to 4 {
// CHECK-NEXT:              %[[IN:.*]] = affine.load %arg0[%[[CI]], %[[Y]] + %[[KY]], %[[X]] + %[[KX]]]
// CHECK-NEXT:              affine.load %arg1[%[[CO]], %[[CI]], %[[KY]], %[[KX]]]
// CHECK:                   affine.load %arg1[%[[CO]] + 7, %[[CI]], %[[KY]], %[[KX]]]
// CHECK-NEXT:              affine.load %arg2[%[[CO]] + 7, %[[Y]], %[[X]]]
// CHECK-NEXT:              arith.muli %[[IN]]
// CHECK-NEXT:              arith.addi
// CHECK-NEXT:              affine.store {{.*}}, %arg2[%[[CO]] + 7, %[[Y]], %[[X]]]
// CHECK-NEXT:            } {hls.jammed}
func.func @conv(%in: memref<4x6x6xi32>, %w: memref<16x4x3x3xi32>, %out: memref<16x4x4xi32>) {
  affine.for %co = 0 to 16 {
    affine.for %y = 0 to 4 {
      affine.for %x = 0 to 4 {
        affine.for %ci = 0 to 4 {
          affine.for %ky = 0 to 3 {
            affine.for %kx = 0 to 3 {
              %a = affine.load %in[%ci, %y + %ky, %x + %kx] : memref<4x6x6xi32>
              %b = affine.load %w[%co, %ci, %ky, %kx] : memref<16x4x3x3xi32>
              %c = affine.load %out[%co, %y, %x] : memref<16x4x4xi32>
              %p = arith.muli %a, %b : i32
              %s = arith.addi %c, %p : i32
              affine.store %s, %out[%co, %y, %x] : memref<16x4x4xi32>
            }
          }
        }
      }
    }
  }
  return
}

// A matrix product: the columns of C, jammed by the 4 that divide 12 and fit the budget of
// 16 products with two a copy; k innermost.
// CHECK-LABEL: func.func @gemm
// CHECK:       affine.for %[[I:.*]] = 0 to 6 {
// CHECK-NEXT:    affine.for %[[J:.*]] = 0 to 12 step 4 {
// CHECK-NEXT:      affine.for %[[K:.*]] = 0 to 5 {
// CHECK-COUNT-4:     arith.muli
// CHECK:           } {hls.jammed}
func.func @gemm(%A: memref<6x5xi32>, %B: memref<5x12xi32>, %C: memref<6x12xi32>) {
  affine.for %i = 0 to 6 {
    affine.for %j = 0 to 12 {
      affine.for %k = 0 to 5 {
        %a = affine.load %A[%i, %k] : memref<6x5xi32>
        %b = affine.load %B[%k, %j] : memref<5x12xi32>
        %t = arith.muli %a, %a : i32
        %p = arith.muli %t, %b : i32
        %c = affine.load %C[%i, %j] : memref<6x12xi32>
        %s = arith.addi %c, %p : i32
        affine.store %s, %C[%i, %j] : memref<6x12xi32>
      }
    }
  }
  return
}

// Not an associative update (subi), a float sum, a second store: left as they are.
// CHECK-LABEL: func.func @kept
// CHECK-NOT:   hls.jammed
func.func @kept(%a: memref<8x8xi32>, %o: memref<8xi32>, %f: memref<8x8xf32>, %g: memref<8xf32>) {
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %x = affine.load %a[%i, %j] : memref<8x8xi32>
      %c = affine.load %o[%i] : memref<8xi32>
      %s = arith.subi %c, %x : i32
      affine.store %s, %o[%i] : memref<8xi32>
    }
  }
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %x = affine.load %f[%i, %j] : memref<8x8xf32>
      %c = affine.load %g[%i] : memref<8xf32>
      %s = arith.addf %c, %x : f32
      affine.store %s, %g[%i] : memref<8xf32>
    }
  }
  affine.for %i = 0 to 8 {
    affine.for %j = 0 to 8 {
      %x = affine.load %a[%i, %j] : memref<8x8xi32>
      %c = affine.load %o[%i] : memref<8xi32>
      %s = arith.addi %c, %x : i32
      affine.store %s, %o[%i] : memref<8xi32>
      affine.store %x, %a[%i, %j] : memref<8x8xi32>
    }
  }
  return
}
