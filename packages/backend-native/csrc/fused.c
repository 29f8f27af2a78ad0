// Fused kernels for @scm/jvp's composite primitives on the native backend: SiLU x·σ(x) and its
// gradient, and standardisation (x − μ)·r, r = 1/√(σ² + ε), over the (N, K) axes of an [B, N, G, K]
// view (GroupNorm: [batch, H·W, groups, C/groups]; LayerNorm: [rows, 1, 1, C]) with its gradient.
// Each replaces five to twelve memory-bound tfjs passes with one to three. Statistics accumulate in
// float64, as the native reductions do.
#include <math.h>
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

static inline float f_sigmoid(float x) { return 1.0f / (1.0f + scm_expf(-x)); }

typedef struct {
  const float *x, *dy;
  float *out;
} silu_job;

SCM_CLONES static void silu_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const silu_job *j = ctx;
  for (size_t i = begin; i < end; i++) {
    const float v = j->x[i];
    j->out[i] = v * f_sigmoid(v);
  }
}

// d(x·σ(x))/dx = σ + x·σ·(1 − σ), composed as tfjs's gradient of Multiply and Sigmoid does.
SCM_CLONES static void silu_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const silu_job *j = ctx;
  for (size_t i = begin; i < end; i++) {
    const float v = j->x[i], g = j->dy[i], s = f_sigmoid(v);
    j->out[i] = g * s + (g * v) * (s * (1.0f - s));
  }
}

void scm_silu(const float *x, float *y, size_t n) {
  silu_job j = {x, NULL, y};
  pool_for(n, POOL_GRAIN, silu_part, &j);
}

void scm_silu_grad(const float *x, const float *dy, float *dx, size_t n) {
  silu_job j = {x, dy, dx};
  pool_for(n, POOL_GRAIN, silu_grad_part, &j);
}

typedef struct {
  const float *x, *y, *dy;
  float *out, *rstd;
  size_t n, g, k;
  float eps;
} std_job;

// One batch entry per item: every group's statistics in one sweep over the entry's [N, G, K] block.
// GroupNorm has K = C/G = 4 channels a group, so the loops run over all of a pixel's groups at once
// (q innermost, independent sums) rather than a 4-long loop per group; each group still sums its K
// values of a pixel in order into a float64 partial that is then added to its total, so the results
// are the same bits as the group-at-a-time loops. The elementwise passes use per-channel copies of
// the group's mean and r, contiguous over the pixel's row.
typedef struct {
  double *acc, *part;  // [2G] totals, [2G] one pixel's partials
  float *stat;         // [2G] per group: mean or coefficient, then r
  float *chan;         // [3·G·K] per channel: the group's first, second and third statistic
} std_scratch;

static std_scratch scratch_new(size_t g, size_t k) {
  std_scratch s = {malloc(2 * g * sizeof(double)), malloc(2 * g * sizeof(double)), malloc(2 * g * sizeof(float)),
                   malloc(3 * g * k * sizeof(float))};
  if (s.acc == NULL || s.part == NULL || s.stat == NULL || s.chan == NULL) abort();
  return s;
}

static void scratch_free(std_scratch *s) {
  free(s->acc);
  free(s->part);
  free(s->stat);
  free(s->chan);
}

// chan[c] = v[c / k] over one row of g·k channels.
static void spread(const float *v, float *chan, size_t g, size_t k) {
  for (size_t q = 0; q < g; q++)
    for (size_t c = 0; c < k; c++) chan[q * k + c] = v[q];
}

SCM_CLONES static void standardize_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const std_job *j = ctx;
  const size_t n = j->n, g = j->g, k = j->k, row = g * k;
  std_scratch w = scratch_new(g, k);
  double *sum = w.acc, *sq = w.acc + g, *ps = w.part;
  float *mean = w.stat, *rstd = w.stat + g, *mc = w.chan, *rc = w.chan + row, *d = w.chan + 2 * row;
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *x = j->x + b * n * row;
    float *y = j->out + b * n * row;
    for (size_t q = 0; q < 2 * g; q++) w.acc[q] = 0;
    for (size_t i = 0; i < n; i++) {
      const float *p = x + i * row;
      for (size_t q = 0; q < g; q++) ps[q] = 0;
      for (size_t c = 0; c < k; c++)
        for (size_t q = 0; q < g; q++) ps[q] += p[q * k + c];
      for (size_t q = 0; q < g; q++) sum[q] += ps[q];
    }
    for (size_t q = 0; q < g; q++) mean[q] = (float)(sum[q] / count);
    spread(mean, mc, g, k);
    for (size_t i = 0; i < n; i++) {
      const float *p = x + i * row;
      for (size_t c = 0; c < row; c++) {
        const float v = p[c] - mc[c];
        d[c] = v * v;
      }
      for (size_t q = 0; q < g; q++) ps[q] = 0;
      for (size_t c = 0; c < k; c++)
        for (size_t q = 0; q < g; q++) ps[q] += d[q * k + c];
      for (size_t q = 0; q < g; q++) sq[q] += ps[q];
    }
    for (size_t q = 0; q < g; q++) {
      const float var = (float)(sq[q] / count);
      rstd[q] = 1.0f / sqrtf(var + j->eps);
      j->rstd[b * g + q] = rstd[q];
    }
    spread(rstd, rc, g, k);
    for (size_t i = 0; i < n; i++) {
      const float *p = x + i * row;
      float *o = y + i * row;
      for (size_t c = 0; c < row; c++) o[c] = (p[c] - mc[c]) * rc[c];
    }
  }
  scratch_free(&w);
}

// dx = r·(dy − mean(dy) − y·mean(dy⊙y)) per batch entry and group.
SCM_CLONES static void standardize_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const std_job *j = ctx;
  const size_t n = j->n, g = j->g, k = j->k, row = g * k;
  std_scratch w = scratch_new(g, k);
  double *sum = w.acc, *dot = w.acc + g, *ps = w.part, *pt = w.part + g;
  float *coef = w.stat, *ac = w.chan, *cc = w.chan + row, *rc = w.chan + 2 * row;
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *dy = j->dy + b * n * row, *y = j->y + b * n * row;
    float *dx = j->out + b * n * row;
    for (size_t q = 0; q < 2 * g; q++) w.acc[q] = 0;
    for (size_t i = 0; i < n; i++) {
      const float *pd = dy + i * row, *py = y + i * row;
      for (size_t q = 0; q < 2 * g; q++) w.part[q] = 0;
      for (size_t c = 0; c < k; c++)
        for (size_t q = 0; q < g; q++) {
          ps[q] += pd[q * k + c];
          pt[q] += pd[q * k + c] * py[q * k + c];
        }
      for (size_t q = 0; q < g; q++) {
        sum[q] += ps[q];
        dot[q] += pt[q];
      }
    }
    for (size_t q = 0; q < g; q++) {
      coef[q] = (float)(sum[q] / count);
      coef[g + q] = (float)(dot[q] / count);
    }
    spread(coef, ac, g, k);
    spread(coef + g, cc, g, k);
    spread(j->rstd + b * g, rc, g, k);
    for (size_t i = 0; i < n; i++) {
      const float *pd = dy + i * row, *py = y + i * row;
      float *o = dx + i * row;
      for (size_t c = 0; c < row; c++) o[c] = rc[c] * (pd[c] - ac[c] - py[c] * cc[c]);
    }
  }
  scratch_free(&w);
}

void scm_standardize(const float *x, float *y, float *rstd, size_t b, size_t n, size_t g, size_t k, float eps) {
  std_job j = {x, NULL, NULL, y, rstd, n, g, k, eps};
  pool_for(b, 1, standardize_part, &j);
}

void scm_standardize_grad(const float *dy, const float *y, const float *rstd, float *dx, size_t b, size_t n,
                          size_t g, size_t k) {
  std_job j = {NULL, y, dy, dx, (float *)rstd, n, g, k, 0};
  pool_for(b, 1, standardize_grad_part, &j);
}
