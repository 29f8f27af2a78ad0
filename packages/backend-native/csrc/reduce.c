// Reductions over the middle axis of an [outer, reduced, inner] view, and row softmax. Sums
// accumulate in float64 as tfjs's cpu kernels do (a JavaScript number), so long rows lose nothing.
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

#define REDUCE_GROUPS 16  // the most partials one long reduction is cut into

static inline double combine(int op, double acc, double v) {
  if (op == RED_SUM) return acc + v;
  if (acc != acc || v != v) return acc != acc ? acc : v;  // NaN wins, as in tfjs
  return op == RED_MAX ? (v > acc ? v : acc) : (v < acc ? v : acc);
}

static inline double start(int op) { return op == RED_SUM ? 0.0 : op == RED_MAX ? -INFINITY : INFINITY; }

typedef struct {
  int op;
  const float *x;
  size_t outer, reduced, inner;
  int split_reduced;  // groups split the reduced axis (into per-group partials), not the outer one
  size_t groups;      // when split_reduced: contiguous runs of the reduced axis, one partial each
  double *partials;   // [groups, outer·inner] when split_reduced
  float *out;
  double scale;
} reduce_job;

// acc[a·inner + i] ⊕= x[a, r, i] for a in [a0, a1), r in [r0, r1); acc holds running values.
SCM_CLONES static void reduce_block(const reduce_job *j, size_t a0, size_t a1, size_t r0, size_t r1, double *acc) {
  const size_t inner = j->inner;
  for (size_t a = a0; a < a1; a++) {
    double *dst = acc + (a - a0) * inner;
    if (inner == 1 && j->op == RED_SUM) {
      // Contiguous row: four accumulators let the adds overlap.
      const float *src = j->x + a * j->reduced;
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      size_t r = r0;
      for (; r + 4 <= r1; r += 4) {
        s0 += src[r];
        s1 += src[r + 1];
        s2 += src[r + 2];
        s3 += src[r + 3];
      }
      for (; r < r1; r++) s0 += src[r];
      dst[0] += (s0 + s1) + (s2 + s3);
      continue;
    }
    for (size_t r = r0; r < r1; r++) {
      const float *src = j->x + (a * j->reduced + r) * inner;
      if (j->op == RED_SUM) {
        for (size_t i = 0; i < inner; i++) dst[i] += src[i];
      } else {
        for (size_t i = 0; i < inner; i++) dst[i] = combine(j->op, dst[i], src[i]);
      }
    }
  }
}

static void reduce_part(void *ctx, int thread, size_t begin, size_t end) {
  const reduce_job *j = ctx;
  (void)thread;
  if (j->split_reduced) {
    for (size_t g = begin; g < end; g++) {
      const size_t r0 = j->reduced * g / j->groups, r1 = j->reduced * (g + 1) / j->groups;
      reduce_block(j, 0, j->outer, r0, r1, j->partials + g * j->outer * j->inner);
    }
    return;
  }
  double *acc = malloc(j->inner * sizeof(double));
  if (acc == NULL) abort();
  for (size_t a = begin; a < end; a++) {
    for (size_t i = 0; i < j->inner; i++) acc[i] = start(j->op);
    reduce_block(j, a, a + 1, 0, j->reduced, acc);
    float *dst = j->out + a * j->inner;
    for (size_t i = 0; i < j->inner; i++) dst[i] = (float)(j->op == RED_SUM ? acc[i] * j->scale : acc[i]);
  }
  free(acc);
}

void scm_reduce(int op, const float *x, float *out, size_t outer, size_t reduced, size_t inner,
                double scale) {
  const size_t n_out = outer * inner;
  if (n_out == 0) return;
  if (reduced == 0) {
    for (size_t i = 0; i < n_out; i++) out[i] = op == RED_SUM ? 0.0f : (float)start(op);
    return;
  }
  reduce_job j = {op, x, outer, reduced, inner, 0, 0, NULL, out, scale};
  // Which path, and how the reduced axis is cut, depend on the shapes alone, never on the threads: the
  // sums come out the same on any machine's thread count and in any order the threads run.
  const size_t work = outer * reduced * inner, grain = (POOL_GRAIN + n_out - 1) / n_out;
  const size_t groups = reduced / grain < REDUCE_GROUPS ? reduced / grain : REDUCE_GROUPS;
  if (outer >= REDUCE_GROUPS || work < 2 * POOL_GRAIN || groups < 2) {
    pool_for(outer, (POOL_GRAIN + reduced * inner - 1) / (reduced * inner), reduce_part, &j);
    return;
  }
  // Few outputs, long reductions: contiguous runs of the reduced axis fold into one partial each,
  // combined here in order.
  j.split_reduced = 1;
  j.groups = groups;
  j.partials = malloc(groups * n_out * sizeof(double));
  if (j.partials == NULL) abort();
  for (size_t i = 0; i < groups * n_out; i++) j.partials[i] = start(op);
  pool_for_chunks(groups, groups, reduce_part, &j);
  for (size_t i = 0; i < n_out; i++) {
    double acc = j.partials[i];
    for (size_t g = 1; g < groups; g++) acc = combine(op, acc, j.partials[g * n_out + i]);
    out[i] = (float)(op == RED_SUM ? acc * scale : acc);
  }
  free(j.partials);
}

typedef struct {
  const float *x;
  float *out;
  size_t cols;
} softmax_job;

SCM_CLONES static void softmax_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const softmax_job *j = ctx;
  const size_t n = j->cols;
  for (size_t r = begin; r < end; r++) {
    const float *x = j->x + r * n;
    float *y = j->out + r * n;
    float m = -INFINITY;
    int nan = 0;
    for (size_t i = 0; i < n; i++) {
      if (x[i] != x[i]) nan = 1;
      m = x[i] > m ? x[i] : m;
    }
    if (nan) {
      for (size_t i = 0; i < n; i++) y[i] = NAN;
      continue;
    }
    double s = 0;
    for (size_t i = 0; i < n; i++) {
      y[i] = scm_expf(x[i] - m);
      s += y[i];
    }
    const float inv = (float)(1.0 / s);
    for (size_t i = 0; i < n; i++) y[i] *= inv;
  }
}

void scm_softmax(const float *x, float *out, size_t rows, size_t cols) {
  if (cols == 0) return;
  softmax_job j = {x, out, cols};
  pool_for(rows, POOL_GRAIN / cols + 1, softmax_part, &j);
}
