// Fused modulation y = x⊙s + b with per-batch (or shared) [C] vectors s, b broadcast over the middle
// axes of x viewed as [B, N, C] (the affine of GroupNorm/LayerNorm and the AdaGN modulation
// norm(x)⊙s(t) + b(t) of Lu & Song 2024 §4.1), its gradient and its JVP. One pass each instead of
// tfjs's Mul + Add (and, for the gradient, Mul, Mul, Sum, Sum). The forward rounds as Mul then Add do
// (x⊙s rounded, then + b: no fused multiply-add), so it matches the composed ops bit for bit.
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

typedef struct {
  const float *x, *s, *b, *x2, *s2;
  float *y;
  size_t n, c, ss, sb, ss2; // ss, sb, ss2: batch strides of s, b, s2 (c, or 0 when shared)
} ss_job;

SCM_CLONES NO_CONTRACT static void scale_shift_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const ss_job *j = ctx;
  const size_t c = j->c;
  for (size_t r = begin; r < end; r++) {
    const size_t bi = r / j->n;
    const float *x = j->x + r * c, *s = j->s + bi * j->ss;
    float *y = j->y + r * c;
    if (j->x2 != NULL) {
      const float *x2 = j->x2 + r * c, *s2 = j->s2 + bi * j->ss2;
      for (size_t k = 0; k < c; k++) {
        const float p = x[k] * s[k], q = x2[k] * s2[k];
        y[k] = p + q;
      }
    } else {
      for (size_t k = 0; k < c; k++) y[k] = x[k] * s[k];
    }
    if (j->b != NULL) {
      const float *b = j->b + bi * j->sb;
      for (size_t k = 0; k < c; k++) y[k] = y[k] + b[k];
    }
  }
}

void scm_scale_shift(const float *x, const float *s, const float *b, const float *x2, const float *s2, float *y,
                     size_t batch, size_t n, size_t c, int s_shared, int b_shared, int s2_shared) {
  ss_job j = {x, s, b, x2, s2, y, n, c, s_shared ? 0 : c, b_shared ? 0 : c, s2_shared ? 0 : c};
  size_t grain = POOL_GRAIN / (c > 0 ? c : 1);
  pool_for(batch * n, grain > 0 ? grain : 1, scale_shift_part, &j);
}

typedef struct {
  const float *dy, *x, *s;
  float *dx, *ds, *db;
  size_t n, c, ss;
} ssg_job;

// One batch entry per item: dx = dy⊙s, and ds, db [C] summed over the entry's N rows in float64.
SCM_CLONES static void scale_shift_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const ssg_job *j = ctx;
  const size_t n = j->n, c = j->c;
  double *acc = malloc(2 * (c > 0 ? c : 1) * sizeof(double));
  if (acc == NULL) abort();
  for (size_t bi = begin; bi < end; bi++) {
    const float *s = j->s + bi * j->ss;
    for (size_t k = 0; k < 2 * c; k++) acc[k] = 0;
    for (size_t i = 0; i < n; i++) {
      const size_t off = (bi * n + i) * c;
      const float *dy = j->dy + off, *x = j->x + off;
      float *dx = j->dx + off;
      for (size_t k = 0; k < c; k++) {
        const float g = dy[k];
        dx[k] = g * s[k];
        acc[k] += (double)(g * x[k]);
        acc[c + k] += (double)g;
      }
    }
    for (size_t k = 0; k < c; k++) {
      j->ds[bi * c + k] = (float)acc[k];
      j->db[bi * c + k] = (float)acc[c + k];
    }
  }
  free(acc);
}

void scm_scale_shift_grad(const float *dy, const float *x, const float *s, float *dx, float *ds, float *db,
                          size_t batch, size_t n, size_t c, int s_shared) {
  ssg_job j = {dy, x, s, dx, ds, db, n, c, s_shared ? 0 : c};
  pool_for(batch, 1, scale_shift_grad_part, &j);
}
