/* out = 3x3 valid convolution of a 34x34 f32 image: 32x32 outputs. */
#define H 34
#define O 32
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void conv2d(float *img, float *w, float *out) {
  for (int i = 0; i < O; i++)
    for (int j = 0; j < O; j++) {
      float acc = 0.0f;
      for (int ki = 0; ki < 3; ki++)
        for (int kj = 0; kj < 3; kj++)
          acc += img[(i + ki) * H + j + kj] * w[ki * 3 + kj];
      out[i * O + j] = acc;
    }
}

void _mlir_ciface_conv2d(struct MemRef_f32_2d *img, struct MemRef_f32_2d *w, struct MemRef_f32_2d *out) {
  conv2d(img->aligned, w->aligned, out->aligned);
}
