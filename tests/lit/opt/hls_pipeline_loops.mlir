// RUN: unified-opt %s -p hls-pipeline-loops | filecheck %s

// A dot product: loads (stage 0), multiply (stage 1), accumulate (stage 2). The kernel
// loop runs 14 times; the loads of i+2 and the product of i+1 travel as iter_args.
// CHECK-LABEL: func.func @dot
// CHECK-COUNT-2: memref.load
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) -> (i32, i32, i32, i32)
// CHECK: memref.load
// CHECK: memref.load
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: scf.yield
// CHECK: memref.store
func.func @dot(%A: memref<16xi32>, %B: memref<16xi32>, %C: memref<1xi32>) {
  %z = arith.constant 0 : i32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %i = %c0 to %c16 step %c1 iter_args(%acc = %z) -> i32 {
    %a = memref.load %A[%i] : memref<16xi32>
    %b = memref.load %B[%i] : memref<16xi32>
    %p = arith.muli %a, %b : i32
    %s = arith.addi %acc, %p : i32
    scf.yield %s : i32
  }
  memref.store %r, %C[%c0] : memref<1xi32>
  return
}

// A read-modify-write of one word every iteration: iteration i+1 must read what i
// wrote, so the loop stays as it is.
// CHECK-LABEL: func.func @accumulate
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NOT: iter_args
// CHECK: return
func.func @accumulate(%A: memref<16xi32>, %C: memref<1xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %a = memref.load %A[%i] : memref<16xi32>
    %m = arith.muli %a, %a : i32
    %c = memref.load %C[%c0] : memref<1xi32>
    %s = arith.addi %c, %m : i32
    memref.store %s, %C[%c0] : memref<1xi32>
  }
  return
}

// y[i] = y[i] + a*x[i]: every access of y uses [i], reads before writes: pipelined.
// CHECK-LABEL: func.func @axpy
// CHECK: scf.for {{.*}} iter_args
// CHECK: return
func.func @axpy(%a: i32, %x: memref<16xi32>, %y: memref<16xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %xv = memref.load %x[%i] : memref<16xi32>
    %p = arith.muli %a, %xv : i32
    %yv = memref.load %y[%i] : memref<16xi32>
    %s = arith.addi %yv, %p : i32
    memref.store %s, %y[%i] : memref<16xi32>
  }
  return
}
