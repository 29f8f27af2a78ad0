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
// The sums run per channel, contiguous over a pixel's row (one vectorised float64 accumulator per
// channel, the pixels in order), and each group then adds its K channels' sums in order. A group
// loop per pixel (GroupNorm has K = 4 channels a group) was a strided pass at twice the time. The
// elementwise passes use per-channel copies of the group's statistics, contiguous over the row.
typedef struct {
  double *sum, *sum2;  // [G·K] per-channel float64 sums
  float *stat;         // [2G] per group: mean or coefficient, then r
  float *chan;         // [3·G·K] per channel: the group's first, second and third statistic
} std_scratch;

static std_scratch scratch_new(size_t g, size_t k) {
  std_scratch s = {malloc(g * k * sizeof(double)), malloc(g * k * sizeof(double)), malloc(2 * g * sizeof(float)),
                   malloc(3 * g * k * sizeof(float))};
  if (s.sum == NULL || s.sum2 == NULL || s.stat == NULL || s.chan == NULL) abort();
  return s;
}

static void scratch_free(std_scratch *s) {
  free(s->sum);
  free(s->sum2);
  free(s->stat);
  free(s->chan);
}

// chan[c] = v[c / k] over one row of g·k channels.
static void spread(const float *v, float *chan, size_t g, size_t k) {
  for (size_t q = 0; q < g; q++)
    for (size_t c = 0; c < k; c++) chan[q * k + c] = v[q];
}

// Group q's total: its K channel sums, added in order.
static double group_total(const double *sum, size_t q, size_t k) {
  double t = 0;
  for (size_t c = 0; c < k; c++) t += sum[q * k + c];
  return t;
}

SCM_CLONES static void add_row(double *restrict sum, const float *restrict p, size_t row) {
  for (size_t c = 0; c < row; c++) sum[c] += p[c];
}

// sum[c] += (p[c] − mean[c])², the difference and its square in float32 as the composed ops round them.
SCM_CLONES static void add_squares(double *restrict sum, const float *restrict p, const float *restrict mean,
                                   size_t row) {
  for (size_t c = 0; c < row; c++) {
    const float v = p[c] - mean[c];
    sum[c] += v * v;
  }
}

// sum[c] += dy[c], dot[c] += dy[c]·y[c] (the product in float32).
SCM_CLONES static void add_row_and_products(double *restrict sum, double *restrict dot, const float *restrict dy,
                                            const float *restrict y, size_t row) {
  for (size_t c = 0; c < row; c++) {
    sum[c] += dy[c];
    dot[c] += dy[c] * y[c];
  }
}

static void zero(double *v, size_t n) {
  for (size_t i = 0; i < n; i++) v[i] = 0;
}

SCM_CLONES static void standardize_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const std_job *j = ctx;
  const size_t n = j->n, g = j->g, k = j->k, row = g * k;
  std_scratch w = scratch_new(g, k);
  float *mean = w.stat, *rstd = w.stat + g, *mc = w.chan, *rc = w.chan + row;
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *x = j->x + b * n * row;
    float *y = j->out + b * n * row;
    zero(w.sum, row);
    for (size_t i = 0; i < n; i++) add_row(w.sum, x + i * row, row);
    for (size_t q = 0; q < g; q++) mean[q] = (float)(group_total(w.sum, q, k) / count);
    spread(mean, mc, g, k);
    zero(w.sum, row);
    for (size_t i = 0; i < n; i++) add_squares(w.sum, x + i * row, mc, row);
    for (size_t q = 0; q < g; q++) {
      const float var = (float)(group_total(w.sum, q, k) / count);
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
  float *coef = w.stat, *ac = w.chan, *cc = w.chan + row, *rc = w.chan + 2 * row;
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *dy = j->dy + b * n * row, *y = j->y + b * n * row;
    float *dx = j->out + b * n * row;
    zero(w.sum, row);
    zero(w.sum2, row);
    for (size_t i = 0; i < n; i++) add_row_and_products(w.sum, w.sum2, dy + i * row, y + i * row, row);
    for (size_t q = 0; q < g; q++) {
      coef[q] = (float)(group_total(w.sum, q, k) / count);
      coef[g + q] = (float)(group_total(w.sum2, q, k) / count);
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
