/* out = in > 0 ? in : 0 on 64x64 f32. */
#ifndef RESTRICT
#define RESTRICT
#endif
#define N 64
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void relu(float *RESTRICT in, float *RESTRICT out) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      float x = in[i * N + j];
      out[i * N + j] = x > 0.0f ? x : 0.0f;
    }
}

void _mlir_ciface_relu(struct MemRef_f32_2d *in, struct MemRef_f32_2d *out) {
  relu(in->aligned, out->aligned);
}
