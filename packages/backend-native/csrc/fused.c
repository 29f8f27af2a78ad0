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

#define GRAIN ((size_t)1 << 14)

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
  pool_for(n, GRAIN, silu_part, &j);
}

void scm_silu_grad(const float *x, const float *dy, float *dx, size_t n) {
  silu_job j = {x, dy, dx};
  pool_for(n, GRAIN, silu_grad_part, &j);
}

typedef struct {
  const float *x, *y, *dy;
  float *out, *rstd;
  size_t n, g, k;
  float eps;
} std_job;

// One batch entry per item: every group's statistics in one sweep over the entry's [N, G, K] block.
SCM_CLONES static void standardize_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const std_job *j = ctx;
  const size_t n = j->n, g = j->g, k = j->k, row = g * k;
  double *acc = malloc(2 * g * sizeof(double));
  float *mean = malloc(2 * g * sizeof(float));
  if (acc == NULL || mean == NULL) abort();
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *x = j->x + b * n * row;
    float *y = j->out + b * n * row;
    for (size_t q = 0; q < 2 * g; q++) acc[q] = 0;
    for (size_t i = 0; i < n; i++)
      for (size_t q = 0; q < g; q++) {
        const float *p = x + i * row + q * k;
        double s = 0;
        for (size_t c = 0; c < k; c++) s += p[c];
        acc[q] += s;
      }
    for (size_t q = 0; q < g; q++) mean[q] = (float)(acc[q] / count);
    for (size_t i = 0; i < n; i++)
      for (size_t q = 0; q < g; q++) {
        const float *p = x + i * row + q * k;
        const float m = mean[q];
        double s = 0;
        for (size_t c = 0; c < k; c++) {
          const float d = p[c] - m;
          s += d * d;
        }
        acc[g + q] += s;
      }
    for (size_t q = 0; q < g; q++) {
      const float var = (float)(acc[g + q] / count);
      const float r = 1.0f / sqrtf(var + j->eps);
      mean[g + q] = r;
      j->rstd[b * g + q] = r;
    }
    for (size_t i = 0; i < n; i++)
      for (size_t q = 0; q < g; q++) {
        const float *p = x + i * row + q * k;
        float *o = y + i * row + q * k;
        const float m = mean[q], r = mean[g + q];
        for (size_t c = 0; c < k; c++) o[c] = (p[c] - m) * r;
      }
  }
  free(acc);
  free(mean);
}

// dx = r·(dy − mean(dy) − y·mean(dy⊙y)) per batch entry and group.
SCM_CLONES static void standardize_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const std_job *j = ctx;
  const size_t n = j->n, g = j->g, k = j->k, row = g * k;
  double *acc = malloc(2 * g * sizeof(double));
  float *coef = malloc(2 * g * sizeof(float));
  if (acc == NULL || coef == NULL) abort();
  const double count = (double)n * (double)k;
  for (size_t b = begin; b < end; b++) {
    const float *dy = j->dy + b * n * row, *y = j->y + b * n * row;
    float *dx = j->out + b * n * row;
    for (size_t q = 0; q < 2 * g; q++) acc[q] = 0;
    for (size_t i = 0; i < n; i++)
      for (size_t q = 0; q < g; q++) {
        const float *pd = dy + i * row + q * k, *py = y + i * row + q * k;
        double s = 0, t = 0;
        for (size_t c = 0; c < k; c++) {
          s += pd[c];
          t += pd[c] * py[c];
        }
        acc[q] += s;
        acc[g + q] += t;
      }
    for (size_t q = 0; q < g; q++) {
      coef[q] = (float)(acc[q] / count);
      coef[g + q] = (float)(acc[g + q] / count);
    }
    for (size_t i = 0; i < n; i++)
      for (size_t q = 0; q < g; q++) {
        const float *pd = dy + i * row + q * k, *py = y + i * row + q * k;
        float *o = dx + i * row + q * k;
        const float a = coef[q], c2 = coef[g + q], r = j->rstd[b * g + q];
        for (size_t c = 0; c < k; c++) o[c] = r * (pd[c] - a - py[c] * c2);
      }
  }
  free(acc);
  free(coef);
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
