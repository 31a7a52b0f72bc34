/* C += A * B, 32x32 f32: the plain C a programmer would write (i, j, k order). */
#ifndef RESTRICT
#define RESTRICT
#endif
#define N 32
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void matmul(float *RESTRICT A, float *RESTRICT B, float *RESTRICT C) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      for (int k = 0; k < N; k++)
        C[i * N + j] += A[i * N + k] * B[k * N + j];
}

void _mlir_ciface_matmul(struct MemRef_f32_2d *A, struct MemRef_f32_2d *B, struct MemRef_f32_2d *C) {
  matmul(A->aligned, B->aligned, C->aligned);
}
