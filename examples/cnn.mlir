// A small integer CNN: a 3x3 convolution, 8 -> 8 channels on an 8x8 image (given padded to
// 10x10), ReLU, 2x2 max-pool, a dense layer to 10 classes, and a float scaling step.
// `unified compile` places each kernel on cost.
// The platform: a 32-bit bus taking 2 cycles a beat (as the co-simulation's bus model does),
// CPU and accelerators at 100 MHz.
module attributes {unified.platform = {bus_width = 32 : i64, bus_cycles_per_beat = 2 : i64,
                                       clock_mhz = 100.0 : f64, cpu_mhz = 100.0 : f64,
                                       area_budget_luts = 20000 : i64, vlen = 128 : i64}} {
  // out[co][y][x] = sum over ci, ky, kx of img[ci][y+ky][x+kx] * w[co][ci][ky][kx]
  func.func @conv2d(%img: memref<8x10x10xi32>, %w: memref<8x8x3x3xi32>,
                    %out: memref<8x8x8xi32>) {
    %zero = arith.constant 0 : i32
    affine.for %co = 0 to 8 {
      affine.for %y = 0 to 8 {
        affine.for %x = 0 to 8 {
          affine.store %zero, %out[%co, %y, %x] : memref<8x8x8xi32>
        }
      }
    }
    affine.for %co = 0 to 8 {
      affine.for %y = 0 to 8 {
        affine.for %x = 0 to 8 {
          affine.for %ci = 0 to 8 {
            affine.for %ky = 0 to 3 {
              affine.for %kx = 0 to 3 {
                %a = affine.load %img[%ci, %y + %ky, %x + %kx] : memref<8x10x10xi32>
                %k = affine.load %w[%co, %ci, %ky, %kx] : memref<8x8x3x3xi32>
                %acc = affine.load %out[%co, %y, %x] : memref<8x8x8xi32>
                %p = arith.muli %a, %k : i32
                %s = arith.addi %acc, %p : i32
                affine.store %s, %out[%co, %y, %x] : memref<8x8x8xi32>
              }
            }
          }
        }
      }
    }
    return
  }

  // The designer offloads ReLU; the report still shows the partitioner's two estimates.
  func.func @relu(%in: memref<8x8x8xi32>, %out: memref<8x8x8xi32>)
      attributes {unified.target = "hw"} {
    %zero = arith.constant 0 : i32
    affine.for %c = 0 to 8 {
      affine.for %i = 0 to 8 {
        affine.for %j = 0 to 8 {
          %x = affine.load %in[%c, %i, %j] : memref<8x8x8xi32>
          %pos = arith.cmpi sgt, %x, %zero : i32
          %y = arith.select %pos, %x, %zero : i32
          affine.store %y, %out[%c, %i, %j] : memref<8x8x8xi32>
        }
      }
    }
    return
  }

  // out[c][i][j] = max of in[c][2i..2i+1][2j..2j+1]
  func.func @maxpool(%in: memref<8x8x8xi32>, %out: memref<8x4x4xi32>) {
    affine.for %c = 0 to 8 {
      affine.for %i = 0 to 4 {
        affine.for %j = 0 to 4 {
          %a = affine.load %in[%c, 2 * %i, 2 * %j] : memref<8x8x8xi32>
          affine.store %a, %out[%c, %i, %j] : memref<8x4x4xi32>
          affine.for %di = 0 to 2 {
            affine.for %dj = 0 to 2 {
              %x = affine.load %in[%c, 2 * %i + %di, 2 * %j + %dj] : memref<8x8x8xi32>
              %m = affine.load %out[%c, %i, %j] : memref<8x4x4xi32>
              %gt = arith.cmpi sgt, %x, %m : i32
              %y = arith.select %gt, %x, %m : i32
              affine.store %y, %out[%c, %i, %j] : memref<8x4x4xi32>
            }
          }
        }
      }
    }
    return
  }

  // out[o] = sum over c, i, j of in[c][i][j] * w[o][c][i][j]
  func.func @dense(%in: memref<8x4x4xi32>, %w: memref<10x8x4x4xi32>, %out: memref<10xi32>) {
    %zero = arith.constant 0 : i32
    affine.for %o = 0 to 10 {
      affine.store %zero, %out[%o] : memref<10xi32>
      affine.for %c = 0 to 8 {
        affine.for %i = 0 to 4 {
          affine.for %j = 0 to 4 {
            %x = affine.load %in[%c, %i, %j] : memref<8x4x4xi32>
            %k = affine.load %w[%o, %c, %i, %j] : memref<10x8x4x4xi32>
            %acc = affine.load %out[%o] : memref<10xi32>
            %p = arith.muli %x, %k : i32
            %s = arith.addi %acc, %p : i32
            affine.store %s, %out[%o] : memref<10xi32>
          }
        }
      }
    }
    return
  }

  // f32 reaches hardware through our IEEE-754 units; the partitioner weighs it like the rest.
  func.func @scale(%in: memref<10xi32>, %out: memref<10xf32>) {
    %s = arith.constant 0.0078125 : f32
    affine.for %o = 0 to 10 {
      %x = affine.load %in[%o] : memref<10xi32>
      %f = arith.sitofp %x : i32 to f32
      %y = arith.mulf %f, %s : f32
      affine.store %y, %out[%o] : memref<10xf32>
    }
    return
  }

  // The application: image, conv weights, dense weights in; class scores out.
  func.func @main(%img: memref<8x10x10xi32>, %w: memref<8x8x3x3xi32>,
                  %fw: memref<10x8x4x4xi32>, %scores: memref<10xf32>) {
    %conv = memref.alloc() : memref<8x8x8xi32>
    %act = memref.alloc() : memref<8x8x8xi32>
    %pool = memref.alloc() : memref<8x4x4xi32>
    %logits = memref.alloc() : memref<10xi32>
    func.call @conv2d(%img, %w, %conv)
        : (memref<8x10x10xi32>, memref<8x8x3x3xi32>, memref<8x8x8xi32>) -> ()
    func.call @relu(%conv, %act) : (memref<8x8x8xi32>, memref<8x8x8xi32>) -> ()
    func.call @maxpool(%act, %pool) : (memref<8x8x8xi32>, memref<8x4x4xi32>) -> ()
    func.call @dense(%pool, %fw, %logits)
        : (memref<8x4x4xi32>, memref<10x8x4x4xi32>, memref<10xi32>) -> ()
    func.call @scale(%logits, %scores) : (memref<10xi32>, memref<10xf32>) -> ()
    memref.dealloc %conv : memref<8x8x8xi32>
    memref.dealloc %act : memref<8x8x8xi32>
    memref.dealloc %pool : memref<8x4x4xi32>
    memref.dealloc %logits : memref<10xi32>
    return
  }
}
