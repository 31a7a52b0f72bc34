/* C = 1.2 * C + 1.5 * A * B (PolyBench gemm, i-k-j order), A NIxNK, B NKxNJ, C NIxNJ, f32. */
#ifndef RESTRICT
#define RESTRICT
#endif
#ifndef NI
#define NI 32
#define NK 32
#define NJ 64
#endif
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void gemm(float *RESTRICT A, float *RESTRICT B, float *RESTRICT C) {
  for (int i = 0; i < NI; i++) {
    for (int j = 0; j < NJ; j++)
      C[i * NJ + j] *= 1.2f;
    for (int k = 0; k < NK; k++)
      for (int j = 0; j < NJ; j++)
        C[i * NJ + j] += 1.5f * A[i * NK + k] * B[k * NJ + j];
  }
}

void _mlir_ciface_gemm(struct MemRef_f32_2d *A, struct MemRef_f32_2d *B, struct MemRef_f32_2d *C) {
  gemm(A->aligned, B->aligned, C->aligned);
}
