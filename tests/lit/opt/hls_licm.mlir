// RUN: unified-opt %s -p hls-licm | filecheck %s

// Upstream affine LICM, unchanged where it is right: the invariant product leaves the loop.
// CHECK-LABEL: func.func @invariant
// CHECK:       %[[P:.+]] = arith.muli %arg1, %arg1 : i32
// CHECK-NEXT:  affine.for
// CHECK-NEXT:    affine.store %[[P]]
func.func @invariant(%m: memref<4xi32>, %a: i32) {
  affine.for %i = 0 to 4 {
    %p = arith.muli %a, %a : i32
    affine.store %p, %m[%i] : memref<4xi32>
  }
  return
}

// An scf.if on an invariant condition whose arm reads the induction variable: upstream
// hoisted it and the IR stopped verifying; here the function keeps its loop as it is.
// CHECK-LABEL: func.func @if_reads_iv
// CHECK-NEXT:  affine.for %[[I:.+]] = 0 to 1 {
// CHECK-NEXT:    %true = arith.constant true
// CHECK-NEXT:    scf.if %true -> (i64) {
// CHECK-NEXT:      arith.index_cast %[[I]] : index to i64
func.func @if_reads_iv(%m: memref<1xi64>) {
  affine.for %i = 0 to 1 {
    %t = arith.constant true
    %r = scf.if %t -> (i64) {
      %v = arith.index_cast %i : index to i64
      scf.yield %v : i64
    } else {
      %c = arith.constant 1 : i64
      scf.yield %c : i64
    }
    affine.store %r, %m[0] : memref<1xi64>
  }
  return
}
