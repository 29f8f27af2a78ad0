// Element-wise unary and broadcast binary ops, split across the pool. Semantics follow tfjs's cpu
// kernels (NaN propagation of max/min/relu/step), computed in float32 rather than float64.
#include <math.h>
#include <string.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

// ---- binary ----

static inline float f_max(float a, float b) { return a != a ? a : b != b ? b : a > b ? a : b; }
static inline float f_min(float a, float b) { return a != a ? a : b != b ? b : a < b ? a : b; }

// `rows` runs of the innermost dimension (length n), consecutive runs `ra`, `rb`, n apart in a, b and
// out; within a run a and b are each a vector (sa, sb = 1) or a scalar (0). The op is chosen once per
// call, outside the loops, so short runs (GroupNorm's [.., groups, 8] against [.., groups, 1]) cost
// no more per element than long ones.
#define RUN(EXPR)                                                                       \
  do {                                                                                  \
    for (size_t r = 0; r < rows; r++, a += ra, b += rb, out += n) {                     \
      if (sa && sb) {                                                                   \
        for (size_t i = 0; i < n; i++) { float x = a[i], y = b[i]; out[i] = (EXPR); }   \
      } else if (sa) {                                                                  \
        const float y = b[0];                                                           \
        for (size_t i = 0; i < n; i++) { float x = a[i]; out[i] = (EXPR); }             \
      } else if (sb) {                                                                  \
        const float x = a[0];                                                           \
        for (size_t i = 0; i < n; i++) { float y = b[i]; out[i] = (EXPR); }             \
      } else {                                                                          \
        const float x = a[0], y = b[0], v = (EXPR);                                     \
        for (size_t i = 0; i < n; i++) out[i] = v;                                      \
      }                                                                                 \
    }                                                                                   \
  } while (0)

SCM_CLONES static void binary_rows(int op, const float *a, long ra, int sa, const float *b, long rb, int sb, float *out,
                        size_t rows, size_t n) {
  switch (op) {
    case BIN_ADD: RUN(x + y); break;
    case BIN_SUB: RUN(x - y); break;
    case BIN_MUL: RUN(x * y); break;
    case BIN_DIV: RUN(x / y); break;
    case BIN_MAX: RUN(f_max(x, y)); break;
    case BIN_MIN: RUN(f_min(x, y)); break;
    case BIN_SQDIFF: RUN((x - y) * (x - y)); break;
    default: break;
  }
}

typedef struct {
  int op, rank;
  const float *a, *b;
  float *out;
  const long *as, *bs;
  const size_t *shape;
} binary_job;

static void binary_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const binary_job *j = ctx;
  const int r = j->rank;
  const size_t inner = j->shape[r - 1];
  size_t idx[SCM_MAX_RANK];
  // Multi-index of `begin` and the input offsets it maps to.
  size_t rest = begin;
  long ao = 0, bo = 0;
  for (int d = r - 1; d >= 0; d--) {
    idx[d] = rest % j->shape[d];
    rest /= j->shape[d];
    ao += (long)idx[d] * j->as[d];
    bo += (long)idx[d] * j->bs[d];
  }
  const int sa = j->as[r - 1] != 0, sb = j->bs[r - 1] != 0;
  size_t pos = begin;
  while (pos < end) {
    size_t len, rows = 1;
    if (idx[r - 1] == 0 && r >= 2 && end - pos >= inner) {
      // Whole runs: as many as remain along the second-innermost dimension and within this range.
      rows = j->shape[r - 2] - idx[r - 2];
      if (rows > (end - pos) / inner) rows = (end - pos) / inner;
      len = inner;
    } else {
      len = inner - idx[r - 1];
      if (len > end - pos) len = end - pos;
    }
    const long ra = r >= 2 ? j->as[r - 2] : 0, rb = r >= 2 ? j->bs[r - 2] : 0;
    binary_rows(j->op, j->a + ao, ra, sa, j->b + bo, rb, sb, j->out + pos, rows, len);
    pos += rows * len;
    // Advance the multi-index past the rows·len elements just written: rows − 1 whole runs along
    // dimension r − 2, then len along the innermost one (carries follow below).
    if (rows > 1) {
      idx[r - 2] += rows - 1;
      ao += (long)(rows - 1) * ra;
      bo += (long)(rows - 1) * rb;
    }
    idx[r - 1] += len;
    ao += (long)len * j->as[r - 1];
    bo += (long)len * j->bs[r - 1];
    for (int d = r - 1; d > 0 && idx[d] == j->shape[d]; d--) {
      ao += j->as[d - 1] - (long)j->shape[d] * j->as[d];
      bo += j->bs[d - 1] - (long)j->shape[d] * j->bs[d];
      idx[d] = 0;
      idx[d - 1]++;
    }
  }
}

void scm_binary(int op, const float *a, const long *a_strides, const float *b, const long *b_strides,
                float *out, const size_t *out_shape, int rank) {
  size_t total = 1;
  for (int d = 0; d < rank; d++) total *= out_shape[d];
  if (total == 0) return;
  if (rank == 0) {
    static const size_t one = 1;
    static const long unit = 1;
    binary_job j = {op, 1, a, b, out, &unit, &unit, &one};
    binary_part(&j, 0, 0, 1);
    return;
  }
  binary_job j = {op, rank, a, b, out, a_strides, b_strides, out_shape};
  pool_for(total, POOL_GRAIN, binary_part, &j);
}

// ---- unary ----

static inline float f_sigmoid(float x) { return 1.0f / (1.0f + scm_expf(-x)); }

typedef struct {
  int op;
  const float *x;
  float *out;
  float alpha;
} unary_job;

#define MAP(EXPR)                                       \
  for (size_t i = begin; i < end; i++) {                \
    float v = x[i];                                     \
    out[i] = (EXPR);                                    \
  }                                                     \
  break

SCM_CLONES static void unary_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const unary_job *j = ctx;
  const float *x = j->x;
  float *out = j->out;
  const float alpha = j->alpha;
  switch (j->op) {
    case UN_RELU: MAP(v < 0.0f ? 0.0f : v);
    case UN_RELU6: MAP(v < 0.0f ? 0.0f : v > 6.0f ? 6.0f : v);
    case UN_STEP: MAP(v != v ? v : v > 0.0f ? 1.0f : alpha);
    case UN_SIGMOID: MAP(f_sigmoid(v));
    case UN_EXP: MAP(scm_expf(v));
    case UN_NEG: MAP(-v);
    case UN_SQRT: MAP(sqrtf(v));
    case UN_RSQRT: MAP(1.0f / sqrtf(v));
    case UN_SQUARE: MAP(v * v);
    case UN_LOG: MAP(logf(v));
    case UN_ABS: MAP(fabsf(v));
    case UN_ELU: MAP(v >= 0.0f ? v : expm1f(v));
    case UN_LEAKYRELU: MAP(v < 0.0f ? alpha * v : v);
    case UN_RECIPROCAL: MAP(1.0f / v);
    case UN_TANH: MAP(tanhf(v));
    default: break;
  }
}

void scm_unary(int op, const float *x, float *out, size_t n, float alpha) {
  unary_job j = {op, x, out, alpha};
  pool_for(n, POOL_GRAIN, unary_part, &j);
}

// ---- fused bias + activation (FusedConv2D, _FusedMatMul) ----

typedef struct {
  float *y;
  size_t c;
  const float *bias;
  int act;
  float alpha;
  const float *prelu;
  size_t prelu_len;
} bias_act_job;

SCM_CLONES static void bias_act_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const bias_act_job *j = ctx;
  const size_t c = j->c;
  for (size_t r = begin; r < end; r++) {
    float *row = j->y + r * c;
    if (j->bias != NULL) {
      for (size_t i = 0; i < c; i++) row[i] += j->bias[i];
    }
    switch (j->act) {
      case ACT_RELU: for (size_t i = 0; i < c; i++) row[i] = row[i] < 0.0f ? 0.0f : row[i]; break;
      case ACT_RELU6:
        for (size_t i = 0; i < c; i++) row[i] = row[i] < 0.0f ? 0.0f : row[i] > 6.0f ? 6.0f : row[i];
        break;
      case ACT_LEAKYRELU:
        for (size_t i = 0; i < c; i++) row[i] = row[i] < 0.0f ? j->alpha * row[i] : row[i];
        break;
      case ACT_SIGMOID: for (size_t i = 0; i < c; i++) row[i] = f_sigmoid(row[i]); break;
      case ACT_ELU: for (size_t i = 0; i < c; i++) row[i] = row[i] >= 0.0f ? row[i] : expm1f(row[i]); break;
      case ACT_PRELU:
        for (size_t i = 0; i < c; i++) {
          float a = j->prelu[j->prelu_len == 1 ? 0 : i];
          row[i] = row[i] < 0.0f ? a * row[i] : row[i];
        }
        break;
      default: break;
    }
  }
}

void scm_bias_activation(float *y, size_t rows, size_t c, const float *bias, int act, float alpha,
                         const float *prelu, size_t prelu_len) {
  if (c == 0 || (bias == NULL && act == ACT_LINEAR)) return;
  bias_act_job j = {y, c, bias, act, alpha, prelu, prelu_len};
  pool_for(rows, POOL_GRAIN / c + 1, bias_act_part, &j);
}

// ---- AddN ----

typedef struct {
  const float *const *in;
  size_t count;
  float *out;
} add_n_job;

SCM_CLONES static void add_n_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const add_n_job *j = ctx;
  memmove(j->out + begin, j->in[0] + begin, (end - begin) * sizeof(float));  // out may be an input
  for (size_t t = 1; t < j->count; t++) {
    const float *src = j->in[t];
    for (size_t i = begin; i < end; i++) j->out[i] += src[i];
  }
}

void scm_add_n(const float *const *inputs, size_t count, float *out, size_t n) {
  if (count == 0) {
    memset(out, 0, n * sizeof(float));
    return;
  }
  add_n_job j = {inputs, count, out};
  pool_for(n, POOL_GRAIN, add_n_part, &j);
}
