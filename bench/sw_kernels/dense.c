/* y = x * W + b: a dense layer, 128 inputs, 64 outputs, f32. */
#ifndef RESTRICT
#define RESTRICT
#endif
#define I 128
#define J 64
struct MemRef_f32_1d { float *allocated, *aligned; long offset, sizes[1], strides[1]; };
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void dense(float *RESTRICT x, float *RESTRICT W, float *RESTRICT b, float *RESTRICT y) {
  for (int j = 0; j < J; j++)
    y[j] = b[j];
  for (int i = 0; i < I; i++)
    for (int j = 0; j < J; j++)
      y[j] += x[i] * W[i * J + j];
}

void _mlir_ciface_dense(struct MemRef_f32_1d *x, struct MemRef_f32_2d *W, struct MemRef_f32_1d *b,
                        struct MemRef_f32_1d *y) {
  dense(x->aligned, W->aligned, b->aligned, y->aligned);
}
