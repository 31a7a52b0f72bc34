// A convolution layer: 3x3 kernel, 16 -> 16 channels on a 32x32 image, i32, marked for
// hardware. The input comes padded by one pixel (16x34x34), so the output is 16x32x32:
// out[co][y][x] += sum over ci, ky, kx of in[ci][y+ky][x+kx] * w[co][ci][ky][kx].
module {
  func.func @conv3x3(%in: memref<16x34x34xi32>, %w: memref<16x16x3x3xi32>,
                     %out: memref<16x32x32xi32>) attributes {unified.target = "hw"} {
    affine.for %co = 0 to 16 {
      affine.for %y = 0 to 32 {
        affine.for %x = 0 to 32 {
          affine.for %ci = 0 to 16 {
            affine.for %ky = 0 to 3 {
              affine.for %kx = 0 to 3 {
                %a = affine.load %in[%ci, %y + %ky, %x + %kx] : memref<16x34x34xi32>
                %b = affine.load %w[%co, %ci, %ky, %kx] : memref<16x16x3x3xi32>
                %c = affine.load %out[%co, %y, %x] : memref<16x32x32xi32>
                %p = arith.muli %a, %b : i32
                %s = arith.addi %c, %p : i32
                affine.store %s, %out[%co, %y, %x] : memref<16x32x32xi32>
              }
            }
          }
        }
      }
    }
    return
  }

  func.func @main(%in: memref<16x34x34xi32>, %w: memref<16x16x3x3xi32>,
                  %out: memref<16x32x32xi32>) {
    func.call @conv3x3(%in, %w, %out)
        : (memref<16x34x34xi32>, memref<16x16x3x3xi32>, memref<16x32x32xi32>) -> ()
    return
  }
}
