// Access shapes tile-for-hw handles, each kernel over a 256-byte on-chip memory budget: a
// transposed update with a scalar argument, a stencil reading one input at three offsets,
// strided reads, an ordered (non-associative) update, a small convolution and two sums, one
// feeding the other (so neither may be reordered); @iota stores
// its loop variable, which a tile kernel (counting from 0) would not, so it stays whole.
// tests/cosim/test_tiling.py runs the tiled module and the original on the host and
// compares every output.
module attributes {unified.platform = {onchip_memory_bytes = 256 : i64}} {
  func.func @transpose_add(%A: memref<8x12xi32>, %s: i32, %B: memref<12x8xi32>) {
    affine.for %i = 0 to 8 {
      affine.for %j = 0 to 12 {
        %a = affine.load %A[%i, %j] : memref<8x12xi32>
        %b = affine.load %B[%j, %i] : memref<12x8xi32>
        %as = arith.muli %a, %s : i32
        %t = arith.addi %b, %as : i32
        affine.store %t, %B[%j, %i] : memref<12x8xi32>
      }
    }
    return
  }

  func.func @stencil(%in: memref<10x14xi32>, %out: memref<8x12xi32>) {
    affine.for %i = 0 to 8 {
      affine.for %j = 0 to 12 {
        %a = affine.load %in[%i, %j] : memref<10x14xi32>
        %b = affine.load %in[%i + 1, %j + 2] : memref<10x14xi32>
        %c = affine.load %in[%i + 2, %j + 1] : memref<10x14xi32>
        %p = arith.muli %b, %c : i32
        %s = arith.subi %a, %p : i32
        affine.store %s, %out[%i, %j] : memref<8x12xi32>
      }
    }
    return
  }

  func.func @strided(%A: memref<16x12xi32>, %out: memref<8x12xi32>) {
    affine.for %i = 0 to 8 {
      affine.for %j = 0 to 12 {
        %a = affine.load %A[2 * %i, %j] : memref<16x12xi32>
        %b = affine.load %A[2 * %i + 1, %j] : memref<16x12xi32>
        %m = arith.maxsi %a, %b : i32
        affine.store %m, %out[%i, %j] : memref<8x12xi32>
      }
    }
    return
  }

  func.func @ordered(%A: memref<4x6x4xi32>, %X: memref<4xi32>) {
    %three = arith.constant 3 : i32
    affine.for %i = 0 to 4 {
      affine.for %j = 0 to 6 {
        affine.for %k = 0 to 4 {
          %x = affine.load %X[%i] : memref<4xi32>
          %a = affine.load %A[%i, %j, %k] : memref<4x6x4xi32>
          %t = arith.muli %x, %three : i32
          %y = arith.subi %t, %a : i32
          affine.store %y, %X[%i] : memref<4xi32>
        }
      }
    }
    return
  }

  func.func @conv(%in: memref<2x8x8xi32>, %w: memref<3x2x3x3xi32>, %out: memref<3x6x6xi32>) {
    affine.for %co = 0 to 3 {
      affine.for %y = 0 to 6 {
        affine.for %x = 0 to 6 {
          affine.for %ci = 0 to 2 {
            affine.for %ky = 0 to 3 {
              affine.for %kx = 0 to 3 {
                %a = affine.load %in[%ci, %y + %ky, %x + %kx] : memref<2x8x8xi32>
                %b = affine.load %w[%co, %ci, %ky, %kx] : memref<3x2x3x3xi32>
                %c = affine.load %out[%co, %y, %x] : memref<3x6x6xi32>
                %p = arith.muli %a, %b : i32
                %s = arith.addi %c, %p : i32
                affine.store %s, %out[%co, %y, %x] : memref<3x6x6xi32>
              }
            }
          }
        }
      }
    }
    return
  }

  func.func @iota(%X: memref<3x7x15xi16>) {
    affine.for %i = 0 to 5 {
      %v = arith.index_cast %i : index to i16
      affine.store %v, %X[1, %i, %i * 3 + 1] : memref<3x7x15xi16>
    }
    return
  }

  func.func @chained(%A: memref<4x6x8xi32>, %X: memref<4xi32>, %Y: memref<4xi32>) {
    affine.for %i = 0 to 4 {
      affine.for %j = 0 to 6 {
        affine.for %k = 0 to 8 {
          %a = affine.load %A[%i, %j, %k] : memref<4x6x8xi32>
          %x = affine.load %X[%i] : memref<4xi32>
          %xs = arith.addi %x, %a : i32
          affine.store %xs, %X[%i] : memref<4xi32>
          %y = affine.load %Y[%i] : memref<4xi32>
          %ys = arith.addi %y, %xs : i32
          affine.store %ys, %Y[%i] : memref<4xi32>
        }
      }
    }
    return
  }

  func.func @main(%A: memref<8x12xi32>, %sc: i32, %B: memref<12x8xi32>, %in: memref<10x14xi32>,
                  %st: memref<8x12xi32>, %S: memref<16x12xi32>, %sd: memref<8x12xi32>,
                  %H: memref<4x6x4xi32>, %X: memref<4xi32>, %ci: memref<2x8x8xi32>,
                  %cw: memref<3x2x3x3xi32>, %co: memref<3x6x6xi32>, %io: memref<3x7x15xi16>,
                  %ca: memref<4x6x8xi32>, %cx: memref<4xi32>, %cy: memref<4xi32>) {
    func.call @transpose_add(%A, %sc, %B) : (memref<8x12xi32>, i32, memref<12x8xi32>) -> ()
    func.call @stencil(%in, %st) : (memref<10x14xi32>, memref<8x12xi32>) -> ()
    func.call @strided(%S, %sd) : (memref<16x12xi32>, memref<8x12xi32>) -> ()
    func.call @ordered(%H, %X) : (memref<4x6x4xi32>, memref<4xi32>) -> ()
    func.call @conv(%ci, %cw, %co) : (memref<2x8x8xi32>, memref<3x2x3x3xi32>, memref<3x6x6xi32>) -> ()
    func.call @iota(%io) : (memref<3x7x15xi16>) -> ()
    func.call @chained(%ca, %cx, %cy) : (memref<4x6x8xi32>, memref<4xi32>, memref<4xi32>) -> ()
    return
  }
}
