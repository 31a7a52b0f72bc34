/* out[0] = sum of 4096 i32 elements. */
#ifndef RESTRICT
#define RESTRICT
#endif
#define N 4096
struct MemRef_i32_1d { int *allocated, *aligned; long offset, sizes[1], strides[1]; };

void sum(int *RESTRICT a, int *RESTRICT out) {
  int acc = 0;
  for (int i = 0; i < N; i++)
    acc += a[i];
  out[0] = acc;
}

void _mlir_ciface_sum(struct MemRef_i32_1d *a, struct MemRef_i32_1d *out) {
  sum(a->aligned, out->aligned);
}
