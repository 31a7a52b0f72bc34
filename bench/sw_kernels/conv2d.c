/* out = 3x3 valid convolution of an (O+2)x(O+2) f32 image: OxO outputs (O: 32 unless -DO=N). */
#ifndef RESTRICT
#define RESTRICT
#endif
#ifndef O
#define O 32
#endif
#define H (O + 2)
struct MemRef_f32_2d { float *allocated, *aligned; long offset, sizes[2], strides[2]; };

void conv2d(float *RESTRICT img, float *RESTRICT w, float *RESTRICT out) {
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
