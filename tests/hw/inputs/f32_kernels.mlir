// f32 kernels for the hardware flow (tests/hw/test_float_kernels.py)
func.func @relu(%a: memref<16xf32>, %b: memref<16xf32>) {
  %z = arith.constant 0.0 : f32
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<16xf32>
    %c = arith.cmpf ogt, %x, %z : f32
    %r = arith.select %c, %x, %z : f32
    affine.store %r, %b[%i] : memref<16xf32>
  }
  return
}

func.func @dot(%a: memref<16xf32>, %b: memref<16xf32>, %out: memref<1xf32>) {
  %z = arith.constant 0.0 : f32
  affine.store %z, %out[0] : memref<1xf32>
  affine.for %i = 0 to 16 {
    %x = affine.load %a[%i] : memref<16xf32>
    %y = affine.load %b[%i] : memref<16xf32>
    %p = arith.mulf %x, %y : f32
    %s = affine.load %out[0] : memref<1xf32>
    %t = arith.addf %s, %p : f32
    affine.store %t, %out[0] : memref<1xf32>
  }
  return
}

func.func @gemm(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) {
  affine.for %i = 0 to 4 {
    affine.for %j = 0 to 4 {
      affine.for %k = 0 to 4 {
        %x = affine.load %a[%i, %k] : memref<4x4xf32>
        %y = affine.load %b[%k, %j] : memref<4x4xf32>
        %p = arith.mulf %x, %y : f32
        %s = affine.load %c[%i, %j] : memref<4x4xf32>
        %t = arith.addf %s, %p : f32
        affine.store %t, %c[%i, %j] : memref<4x4xf32>
      }
    }
  }
  return
}

func.func @mix(%a: memref<8xf32>, %n: memref<8xi32>, %out: memref<8xf32>, %q: memref<8xi32>) {
  %h = arith.constant 0.5 : f32
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xf32>
    %k = affine.load %n[%i] : memref<8xi32>
    %f = arith.sitofp %k : i32 to f32
    %d = arith.subf %x, %f : f32
    %m = arith.negf %d : f32
    %s = arith.mulf %m, %h : f32
    %lt = arith.cmpf ult, %s, %x : f32
    %r = arith.select %lt, %s, %m : f32
    affine.store %r, %out[%i] : memref<8xf32>
    %t = arith.fptosi %r : f32 to i32
    affine.store %t, %q[%i] : memref<8xi32>
  }
  return
}

func.func @ratio(%a: memref<8xf32>, %b: memref<8xf32>, %out: memref<8xf32>) {
  %lo = arith.constant -1.0 : f32
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xf32>
    %y = affine.load %b[%i] : memref<8xf32>
    %q = arith.divf %x, %y : f32
    %m = arith.maximumf %q, %lo : f32
    affine.store %m, %out[%i] : memref<8xf32>
  }
  return
}

func.func @narrow(%n: memref<8xi8>, %out: memref<8xi16>) {
  %k = arith.constant 2.5 : f32
  affine.for %i = 0 to 8 {
    %x = affine.load %n[%i] : memref<8xi8>
    %f = arith.sitofp %x : i8 to f32
    %g = arith.mulf %f, %k : f32
    %t = arith.fptosi %g : f32 to i16
    affine.store %t, %out[%i] : memref<8xi16>
  }
  return
}

func.func @convert(%u: memref<8xi32>, %w: memref<8xi64>, %b: memref<8xi8>, %f: memref<8xf32>,
                   %uf: memref<8xf32>, %wf: memref<8xf32>, %bf: memref<8xf32>,
                   %fu: memref<8xi32>, %fw: memref<8xi64>, %fuw: memref<8xi64>, %fb: memref<8xi8>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %u[%i] : memref<8xi32>
    %y = affine.load %w[%i] : memref<8xi64>
    %z = affine.load %b[%i] : memref<8xi8>
    %g = affine.load %f[%i] : memref<8xf32>
    %a = arith.uitofp %x : i32 to f32
    affine.store %a, %uf[%i] : memref<8xf32>
    %c = arith.sitofp %y : i64 to f32
    affine.store %c, %wf[%i] : memref<8xf32>
    %d = arith.uitofp %z : i8 to f32
    affine.store %d, %bf[%i] : memref<8xf32>
    %e = arith.fptoui %g : f32 to i32
    affine.store %e, %fu[%i] : memref<8xi32>
    %h = arith.fptosi %g : f32 to i64
    affine.store %h, %fw[%i] : memref<8xi64>
    %k = arith.fptoui %g : f32 to i64
    affine.store %k, %fuw[%i] : memref<8xi64>
    %m = arith.fptoui %g : f32 to i8
    affine.store %m, %fb[%i] : memref<8xi8>
  }
  return
}
