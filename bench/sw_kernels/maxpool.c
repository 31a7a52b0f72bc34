/* out = 2x2 max-pooling, stride 2, of a (2O)x(2O) f32 image: OxO outputs (O: 32 unless -DO=N). */
#include <math.h>
#ifndef RESTRICT
#define RESTRICT
#endif
#ifndef O
#define O 32
#endif
#define W (2 * O)
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void maxpool(float *RESTRICT in, float *RESTRICT out) {
  for (int i = 0; i < O; i++)
    for (int j = 0; j < O; j++) {
      float m0 = fmaxf(in[2 * i * W + 2 * j], in[2 * i * W + 2 * j + 1]);
      float m1 = fmaxf(in[(2 * i + 1) * W + 2 * j], in[(2 * i + 1) * W + 2 * j + 1]);
      out[i * O + j] = fmaxf(m0, m1);
    }
}

void _mlir_ciface_maxpool(struct MemRef_f32_2d *in, struct MemRef_f32_2d *out) {
  maxpool(in->aligned, out->aligned);
}
