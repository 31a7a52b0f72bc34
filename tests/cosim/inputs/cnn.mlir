// The first demo, kept for the tests: conv 3x3 on an 8x8 image, ReLU, 2x2 max-pool, dense,
// a float scaling step; too small for hardware to win (all but the forced @relu on the CPU).
// The platform: a 32-bit AXI4-Lite bus taking 2 cycles a transaction (as the
// co-simulation's bus model does), CPU and accelerators at 100 MHz.
module attributes {unified.platform = {bus_width = 32 : i64, bus_cycles_per_beat = 2 : i64,
                                       clock_mhz = 100.0 : f64, cpu_mhz = 100.0 : f64,
                                       area_budget_luts = 20000 : i64, vlen = 128 : i64}} {
  // out[i][j] = sum over ki, kj of img[i+ki][j+kj] * w[ki][kj]
  func.func @conv2d(%img: memref<8x8xi32>, %w: memref<3x3xi32>, %out: memref<6x6xi32>) {
    %zero = arith.constant 0 : i32
    affine.for %i = 0 to 6 {
      affine.for %j = 0 to 6 {
        affine.store %zero, %out[%i, %j] : memref<6x6xi32>
        affine.for %ki = 0 to 3 {
          affine.for %kj = 0 to 3 {
            %x = affine.load %img[%i + %ki, %j + %kj] : memref<8x8xi32>
            %k = affine.load %w[%ki, %kj] : memref<3x3xi32>
            %acc = affine.load %out[%i, %j] : memref<6x6xi32>
            %p = arith.muli %x, %k : i32
            %s = arith.addi %acc, %p : i32
            affine.store %s, %out[%i, %j] : memref<6x6xi32>
          }
        }
      }
    }
    return
  }

  // The designer offloads ReLU; the report still shows the partitioner's two estimates.
  func.func @relu(%in: memref<6x6xi32>, %out: memref<6x6xi32>) attributes {unified.target = "hw"} {
    %zero = arith.constant 0 : i32
    affine.for %i = 0 to 6 {
      affine.for %j = 0 to 6 {
        %x = affine.load %in[%i, %j] : memref<6x6xi32>
        %pos = arith.cmpi sgt, %x, %zero : i32
        %y = arith.select %pos, %x, %zero : i32
        affine.store %y, %out[%i, %j] : memref<6x6xi32>
      }
    }
    return
  }

  // out[i][j] = max of in[2i..2i+1][2j..2j+1]
  func.func @maxpool(%in: memref<6x6xi32>, %out: memref<3x3xi32>) {
    affine.for %i = 0 to 3 {
      affine.for %j = 0 to 3 {
        %a = affine.load %in[2 * %i, 2 * %j] : memref<6x6xi32>
        affine.store %a, %out[%i, %j] : memref<3x3xi32>
        affine.for %di = 0 to 2 {
          affine.for %dj = 0 to 2 {
            %x = affine.load %in[2 * %i + %di, 2 * %j + %dj] : memref<6x6xi32>
            %m = affine.load %out[%i, %j] : memref<3x3xi32>
            %gt = arith.cmpi sgt, %x, %m : i32
            %y = arith.select %gt, %x, %m : i32
            affine.store %y, %out[%i, %j] : memref<3x3xi32>
          }
        }
      }
    }
    return
  }

  // out[o] = sum over i, j of in[i][j] * w[o][i][j]
  func.func @dense(%in: memref<3x3xi32>, %w: memref<4x3x3xi32>, %out: memref<4xi32>) {
    %zero = arith.constant 0 : i32
    affine.for %o = 0 to 4 {
      affine.store %zero, %out[%o] : memref<4xi32>
      affine.for %i = 0 to 3 {
        affine.for %j = 0 to 3 {
          %x = affine.load %in[%i, %j] : memref<3x3xi32>
          %k = affine.load %w[%o, %i, %j] : memref<4x3x3xi32>
          %acc = affine.load %out[%o] : memref<4xi32>
          %p = arith.muli %x, %k : i32
          %s = arith.addi %acc, %p : i32
          affine.store %s, %out[%o] : memref<4xi32>
        }
      }
    }
    return
  }

  // f32 reaches hardware through our IEEE-754 units; the partitioner weighs it like the rest.
  func.func @scale(%in: memref<4xi32>, %out: memref<4xf32>) {
    %s = arith.constant 0.0078125 : f32
    affine.for %o = 0 to 4 {
      %x = affine.load %in[%o] : memref<4xi32>
      %f = arith.sitofp %x : i32 to f32
      %y = arith.mulf %f, %s : f32
      affine.store %y, %out[%o] : memref<4xf32>
    }
    return
  }

  // The application: image, conv weights, dense weights in; class scores out.
  func.func @main(%img: memref<8x8xi32>, %w: memref<3x3xi32>, %fw: memref<4x3x3xi32>,
                  %scores: memref<4xf32>) {
    %conv = memref.alloc() : memref<6x6xi32>
    %act = memref.alloc() : memref<6x6xi32>
    %pool = memref.alloc() : memref<3x3xi32>
    %logits = memref.alloc() : memref<4xi32>
    func.call @conv2d(%img, %w, %conv) : (memref<8x8xi32>, memref<3x3xi32>, memref<6x6xi32>) -> ()
    func.call @relu(%conv, %act) : (memref<6x6xi32>, memref<6x6xi32>) -> ()
    func.call @maxpool(%act, %pool) : (memref<6x6xi32>, memref<3x3xi32>) -> ()
    func.call @dense(%pool, %fw, %logits) : (memref<3x3xi32>, memref<4x3x3xi32>, memref<4xi32>) -> ()
    func.call @scale(%logits, %scores) : (memref<4xi32>, memref<4xf32>) -> ()
    memref.dealloc %conv : memref<6x6xi32>
    memref.dealloc %act : memref<6x6xi32>
    memref.dealloc %pool : memref<3x3xi32>
    memref.dealloc %logits : memref<4xi32>
    return
  }
}
