// N-API surface of the addon: argument checking and dispatch to the kernels. Every length is checked
// here, so a wrong call from JavaScript throws a TypeError or RangeError instead of reading or writing
// out of bounds. Outputs are Float32Arrays allocated by the caller (tfjs owns their memory).
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "kernels.h"
#include "pool.h"

// Sizes above 2^40 elements are not tensors this addon will see; the bound keeps products exact.
#define MAX_DIM ((double)((size_t)1 << 40))

#define CHECK(call)                                                  \
  do {                                                               \
    if ((call) != napi_ok) {                                         \
      napi_throw_error(env, NULL, "scm_native: an N-API call failed."); \
      return NULL;                                                   \
    }                                                                \
  } while (0)

static napi_value fail(napi_env env, int range, const char *fmt, const char *name) {
  char msg[256];
  snprintf(msg, sizeof msg, fmt, name);
  if (range) {
    napi_throw_range_error(env, NULL, msg);
  } else {
    napi_throw_type_error(env, NULL, msg);
  }
  return NULL;
}

// Reads argument i as a Float32Array; null/undefined allowed when nullable (data = NULL).
static int get_f32(napi_env env, napi_value v, const char *name, float **data, size_t *len, int nullable) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return 0;
  if (nullable && (t == napi_null || t == napi_undefined)) {
    *data = NULL;
    *len = 0;
    return 1;
  }
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  napi_typedarray_type type;
  size_t length;
  void *ptr;
  if (!is_ta || napi_get_typedarray_info(env, v, &type, &length, &ptr, NULL, NULL) != napi_ok ||
      type != napi_float32_array) {
    fail(env, 0, "%s must be a Float32Array.", name);
    return 0;
  }
  *data = ptr;
  *len = length;
  return 1;
}

static int get_i32s(napi_env env, napi_value v, const char *name, int32_t **data, size_t *len) {
  bool is_ta = false;
  napi_is_typedarray(env, v, &is_ta);
  napi_typedarray_type type;
  void *ptr;
  if (!is_ta || napi_get_typedarray_info(env, v, &type, len, &ptr, NULL, NULL) != napi_ok ||
      type != napi_int32_array) {
    fail(env, 0, "%s must be an Int32Array.", name);
    return 0;
  }
  *data = ptr;
  return 1;
}

static int get_size(napi_env env, napi_value v, const char *name, size_t *out) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) {
    fail(env, 0, "%s must be a number.", name);
    return 0;
  }
  if (!(d >= 0 && d <= MAX_DIM) || d != (double)(size_t)d) {
    fail(env, 1, "%s must be a non-negative integer.", name);
    return 0;
  }
  *out = (size_t)d;
  return 1;
}

static int get_double(napi_env env, napi_value v, const char *name, double *out) {
  if (napi_get_value_double(env, v, out) != napi_ok) {
    fail(env, 0, "%s must be a number.", name);
    return 0;
  }
  return 1;
}

static int get_bool(napi_env env, napi_value v, const char *name, int *out) {
  bool b;
  if (napi_get_value_bool(env, v, &b) != napi_ok) {
    fail(env, 0, "%s must be a boolean.", name);
    return 0;
  }
  *out = b;
  return 1;
}

// a·b with an overflow check against MAX_DIM.
static int mul(size_t a, size_t b, size_t *out) {
  if (a != 0 && (double)a * (double)b > MAX_DIM) return 0;
  *out = a * b;
  return 1;
}

static int need(napi_env env, const char *name, size_t have, size_t want) {
  if (have < want) {
    fail(env, 1, "%s is too short for the given dimensions.", name);
    return 0;
  }
  return 1;
}

static int fits_int(napi_env env, size_t v) {
  if (v > (size_t)INT32_MAX) {
    fail(env, 1, "%s exceeds the BLAS's 32-bit index range.", "A matrix dimension");
    return 0;
  }
  return 1;
}

#define ARGS(n)                                                      \
  size_t argc = (n);                                                 \
  napi_value argv[(n) > 0 ? (n) : 1];                                \
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));       \
  if (argc < (size_t)(n)) return fail(env, 0, "%s expects more arguments.", __func__)

// sgemm(transA, transB, m, n, k, alpha, a, b, beta, c): c = alpha·op(a)·op(b) + beta·c, row-major.
static napi_value js_sgemm(napi_env env, napi_callback_info info) {
  ARGS(10);
  int ta, tb;
  size_t m, n, k, la, lb, lc, ma, mb, mc;
  double alpha, beta;
  float *a, *b, *c;
  if (!get_bool(env, argv[0], "transA", &ta) || !get_bool(env, argv[1], "transB", &tb) ||
      !get_size(env, argv[2], "m", &m) || !get_size(env, argv[3], "n", &n) || !get_size(env, argv[4], "k", &k) ||
      !get_double(env, argv[5], "alpha", &alpha) || !get_f32(env, argv[6], "a", &a, &la, 0) ||
      !get_f32(env, argv[7], "b", &b, &lb, 0) || !get_double(env, argv[8], "beta", &beta) ||
      !get_f32(env, argv[9], "c", &c, &lc, 0))
    return NULL;
  if (!mul(m, k, &ma) || !mul(k, n, &mb) || !mul(m, n, &mc)) return fail(env, 1, "%s are too large.", "m, n, k");
  if (!need(env, "a", la, ma) || !need(env, "b", lb, mb) || !need(env, "c", lc, mc)) return NULL;
  if (!fits_int(env, m) || !fits_int(env, n) || !fits_int(env, k)) return NULL;
  scm_sgemm(ta, tb, m, n, k, (float)alpha, a, ta ? m : k, b, tb ? k : n, (float)beta, c, n);
  return NULL;
}

// matmul(a, b, out, batchA, batchB, m, n, k, transA, transB)
static napi_value js_matmul(napi_env env, napi_callback_info info) {
  ARGS(10);
  float *a, *b, *out;
  size_t la, lb, lo, ba, bb, m, n, k, sa, sb, so;
  int ta, tb;
  if (!get_f32(env, argv[0], "a", &a, &la, 0) || !get_f32(env, argv[1], "b", &b, &lb, 0) ||
      !get_f32(env, argv[2], "out", &out, &lo, 0) || !get_size(env, argv[3], "batchA", &ba) ||
      !get_size(env, argv[4], "batchB", &bb) || !get_size(env, argv[5], "m", &m) ||
      !get_size(env, argv[6], "n", &n) || !get_size(env, argv[7], "k", &k) ||
      !get_bool(env, argv[8], "transA", &ta) || !get_bool(env, argv[9], "transB", &tb))
    return NULL;
  if (ba == 0 || bb == 0) return fail(env, 1, "%s must be at least 1.", "batchA and batchB");
  size_t batch = ba > bb ? ba : bb;
  if (!mul(m, k, &sa) || !mul(sa, ba, &sa) || !mul(k, n, &sb) || !mul(sb, bb, &sb) || !mul(m, n, &so) ||
      !mul(so, batch, &so))
    return fail(env, 1, "%s are too large.", "The matmul dimensions");
  if (!need(env, "a", la, sa) || !need(env, "b", lb, sb) || !need(env, "out", lo, so)) return NULL;
  if (!fits_int(env, m) || !fits_int(env, n) || !fits_int(env, k)) return NULL;
  scm_matmul(a, b, out, ba, bb, m, n, k, ta, tb);
  return NULL;
}

// Geometry: Int32Array [B, H, W, C, OH, OW, O, FH, FW, SH, SW, DH, DW, padTop, padLeft].
static int get_geom(napi_env env, napi_value v, scm_conv_geom *g, size_t *x_len, size_t *w_len, size_t *y_len) {
  int32_t *p;
  size_t len;
  if (!get_i32s(env, v, "geometry", &p, &len)) return 0;
  if (len != 15) {
    fail(env, 1, "%s must have 15 entries.", "geometry");
    return 0;
  }
  for (int i = 0; i < 15; i++) {
    if (p[i] < 0 || (i >= 9 && i <= 12 && p[i] < 1)) {
      fail(env, 1, "%s has a negative size or a stride or dilation below 1.", "geometry");
      return 0;
    }
  }
  *g = (scm_conv_geom){(size_t)p[0], (size_t)p[1], (size_t)p[2], (size_t)p[3], (size_t)p[4], (size_t)p[5],
                       (size_t)p[6], (size_t)p[7], (size_t)p[8], (size_t)p[9], (size_t)p[10], (size_t)p[11],
                       (size_t)p[12], (long)p[13], (long)p[14]};
  size_t t;
  if (!mul(g->batch, g->in_h, &t) || !mul(t, g->in_w, &t) || !mul(t, g->in_c, x_len) ||
      !mul(g->filter_h, g->filter_w, &t) || !mul(t, g->in_c, &t) || !mul(t, g->out_c, w_len) ||
      !mul(g->batch, g->out_h, &t) || !mul(t, g->out_w, &t) || !mul(t, g->out_c, y_len)) {
    fail(env, 1, "%s describes tensors that are too large.", "geometry");
    return 0;
  }
  size_t rows = g->batch * g->out_h * g->out_w, k = g->filter_h * g->filter_w * g->in_c;
  if (!fits_int(env, rows) || !fits_int(env, k) || !fits_int(env, g->out_c)) return 0;
  return 1;
}

// conv2d(x, w, y, geometry, bias?) / conv2dBackpropInput(dy, w, dx, geometry) /
// conv2dBackpropFilter(x, dy, dw, geometry); conv2d's optional bias [outC] is added to its output.
static napi_value conv_common(napi_env env, napi_callback_info info, int which) {
  size_t argc = 5;
  napi_value argv[5]; // a fifth argument not given reads as undefined
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) return fail(env, 0, "%s expects more arguments.", __func__);
  float *bias = NULL;
  size_t lbias = 0;
  scm_conv_geom g;
  size_t xl, wl, yl, l0, l1, l2;
  float *p0, *p1, *p2;
  static const char *names[3][3] = {{"x", "filter", "y"}, {"dy", "filter", "dx"}, {"x", "dy", "dw"}};
  if (!get_geom(env, argv[3], &g, &xl, &wl, &yl)) return NULL;
  if (!get_f32(env, argv[0], names[which][0], &p0, &l0, 0) || !get_f32(env, argv[1], names[which][1], &p1, &l1, 0) ||
      !get_f32(env, argv[2], names[which][2], &p2, &l2, 0))
    return NULL;
  const size_t want[3][3] = {{xl, wl, yl}, {yl, wl, xl}, {xl, yl, wl}};
  for (int i = 0; i < 3; i++) {
    size_t have = i == 0 ? l0 : i == 1 ? l1 : l2;
    if (!need(env, names[which][i], have, want[which][i])) return NULL;
  }
  if (which == 0 && (!get_f32(env, argv[4], "bias", &bias, &lbias, 1) ||
                     (bias != NULL && !need(env, "bias", lbias, g.out_c))))
    return NULL;
  if (which == 0) scm_conv2d(&g, p0, p1, bias, p2);
  if (which == 1) scm_conv2d_backprop_input(&g, p0, p1, p2);
  if (which == 2) scm_conv2d_backprop_filter(&g, p0, p1, p2);
  return NULL;
}
// avgPool(x, y, geometry) / avgPoolGrad(dy, dx, geometry); the geometry's channels in = out.
static napi_value pool_common(napi_env env, napi_callback_info info, int grad) {
  ARGS(3);
  scm_conv_geom g;
  size_t xl, wl, yl, l0, l1;
  float *p0, *p1;
  if (!get_geom(env, argv[2], &g, &xl, &wl, &yl)) return NULL;
  if (g.in_c != g.out_c) return fail(env, 1, "%s must have as many output channels as input channels.", "geometry");
  if (g.dilation_h != 1 || g.dilation_w != 1) return fail(env, 1, "%s must have dilation 1.", "A pooling geometry");
  if (!get_f32(env, argv[0], grad ? "dy" : "x", &p0, &l0, 0) || !get_f32(env, argv[1], grad ? "dx" : "y", &p1, &l1, 0))
    return NULL;
  if (!need(env, grad ? "dy" : "x", l0, grad ? yl : xl) || !need(env, grad ? "dx" : "y", l1, grad ? xl : yl)) return NULL;
  if (grad) {
    scm_avg_pool_grad(&g, p0, p1);
  } else {
    scm_avg_pool(&g, p0, p1);
  }
  return NULL;
}
static napi_value js_avg_pool(napi_env env, napi_callback_info info) { return pool_common(env, info, 0); }
static napi_value js_avg_pool_grad(napi_env env, napi_callback_info info) { return pool_common(env, info, 1); }

static napi_value js_conv2d(napi_env env, napi_callback_info info) { return conv_common(env, info, 0); }
static napi_value js_conv2d_bi(napi_env env, napi_callback_info info) { return conv_common(env, info, 1); }
static napi_value js_conv2d_bf(napi_env env, napi_callback_info info) { return conv_common(env, info, 2); }

// biasActivation(y, rows, c, bias | null, activation, alpha, prelu | null), in place on y.
static napi_value js_bias_activation(napi_env env, napi_callback_info info) {
  ARGS(7);
  float *y, *bias, *prelu;
  size_t ly, lb, lp, rows, c, act, total;
  double alpha;
  if (!get_f32(env, argv[0], "y", &y, &ly, 0) || !get_size(env, argv[1], "rows", &rows) ||
      !get_size(env, argv[2], "c", &c) || !get_f32(env, argv[3], "bias", &bias, &lb, 1) ||
      !get_size(env, argv[4], "activation", &act) || !get_double(env, argv[5], "alpha", &alpha) ||
      !get_f32(env, argv[6], "prelu", &prelu, &lp, 1))
    return NULL;
  if (act > ACT_PRELU) return fail(env, 1, "%s is not a known activation code.", "activation");
  if (!mul(rows, c, &total)) return fail(env, 1, "%s are too large.", "rows and c");
  if (!need(env, "y", ly, total)) return NULL;
  if (bias != NULL && !need(env, "bias", lb, c)) return NULL;
  if (act == ACT_PRELU && (prelu == NULL || (lp != 1 && lp < c)))
    return fail(env, 1, "%s must have 1 or c entries.", "prelu");
  scm_bias_activation(y, rows, c, bias, (int)act, (float)alpha, prelu, lp);
  return NULL;
}

// binary(op, a, aShape, b, bShape, out)
static napi_value js_binary(napi_env env, napi_callback_info info) {
  ARGS(6);
  size_t op, la, lb, lo, ra, rb;
  float *a, *b, *out;
  int32_t *sa, *sb;
  if (!get_size(env, argv[0], "op", &op) || !get_f32(env, argv[1], "a", &a, &la, 0) ||
      !get_i32s(env, argv[2], "aShape", &sa, &ra) || !get_f32(env, argv[3], "b", &b, &lb, 0) ||
      !get_i32s(env, argv[4], "bShape", &sb, &rb) || !get_f32(env, argv[5], "out", &out, &lo, 0))
    return NULL;
  if (op >= BIN_COUNT) return fail(env, 1, "%s is not a known binary op code.", "op");
  const int rank = (int)(ra > rb ? ra : rb);
  if (rank > SCM_MAX_RANK) return fail(env, 1, "%s has more than 8 dimensions.", "A binary operand");
  // Right-align both shapes, broadcast, and give broadcast dimensions stride 0.
  size_t shape[SCM_MAX_RANK], da[SCM_MAX_RANK], db[SCM_MAX_RANK];
  long as[SCM_MAX_RANK], bs[SCM_MAX_RANK];
  for (int d = 0; d < rank; d++) {
    int ia = d - (rank - (int)ra), ib = d - (rank - (int)rb);
    if ((ia >= 0 && sa[ia] < 0) || (ib >= 0 && sb[ib] < 0)) return fail(env, 1, "%s has a negative size.", "A shape");
    da[d] = ia >= 0 ? (size_t)sa[ia] : 1;
    db[d] = ib >= 0 ? (size_t)sb[ib] : 1;
    if (da[d] != db[d] && da[d] != 1 && db[d] != 1)
      return fail(env, 1, "%s cannot be broadcast together.", "The operand shapes");
    shape[d] = da[d] == 1 ? db[d] : da[d];
  }
  size_t na = 1, nb = 1, no = 1;
  for (int d = rank - 1; d >= 0; d--) {
    as[d] = da[d] == 1 ? 0 : (long)na;
    bs[d] = db[d] == 1 ? 0 : (long)nb;
    if (!mul(na, da[d], &na) || !mul(nb, db[d], &nb) || !mul(no, shape[d], &no))
      return fail(env, 1, "%s are too large.", "The operand shapes");
  }
  if (!need(env, "a", la, na) || !need(env, "b", lb, nb) || !need(env, "out", lo, no)) return NULL;
  // Drop size-1 dimensions and merge neighbours that are contiguous (or broadcast) in both inputs:
  // [B, H, W, C] + [C] becomes [B·H·W, C], so the inner loop runs over whole rows.
  size_t cs[SCM_MAX_RANK];
  long cas[SCM_MAX_RANK], cbs[SCM_MAX_RANK];
  int cr = 0;
  for (int d = 0; d < rank; d++) {
    if (shape[d] == 1) continue;
    if (cr > 0 && cas[cr - 1] == as[d] * (long)shape[d] && cbs[cr - 1] == bs[d] * (long)shape[d]) {
      cs[cr - 1] *= shape[d];
      cas[cr - 1] = as[d];
      cbs[cr - 1] = bs[d];
      continue;
    }
    cs[cr] = shape[d];
    cas[cr] = as[d];
    cbs[cr] = bs[d];
    cr++;
  }
  scm_binary((int)op, a, cas, b, cbs, out, cs, cr);
  return NULL;
}

// unary(op, x, out, alpha)
static napi_value js_unary(napi_env env, napi_callback_info info) {
  ARGS(4);
  size_t op, lx, lo;
  float *x, *out;
  double alpha;
  if (!get_size(env, argv[0], "op", &op) || !get_f32(env, argv[1], "x", &x, &lx, 0) ||
      !get_f32(env, argv[2], "out", &out, &lo, 0) || !get_double(env, argv[3], "alpha", &alpha))
    return NULL;
  if (op >= UN_COUNT) return fail(env, 1, "%s is not a known unary op code.", "op");
  if (!need(env, "out", lo, lx)) return NULL;
  scm_unary((int)op, x, out, lx, (float)alpha);
  return NULL;
}

// reduce(op, x, out, outer, reduced, inner, scale)
static napi_value js_reduce(napi_env env, napi_callback_info info) {
  ARGS(7);
  size_t op, lx, lo, outer, reduced, inner, nx, no;
  float *x, *out;
  double scale;
  if (!get_size(env, argv[0], "op", &op) || !get_f32(env, argv[1], "x", &x, &lx, 0) ||
      !get_f32(env, argv[2], "out", &out, &lo, 0) || !get_size(env, argv[3], "outer", &outer) ||
      !get_size(env, argv[4], "reduced", &reduced) || !get_size(env, argv[5], "inner", &inner) ||
      !get_double(env, argv[6], "scale", &scale))
    return NULL;
  if (op >= RED_COUNT) return fail(env, 1, "%s is not a known reduction code.", "op");
  if (!mul(outer, inner, &no) || !mul(no, reduced, &nx)) return fail(env, 1, "%s are too large.", "The extents");
  if (!need(env, "x", lx, nx) || !need(env, "out", lo, no)) return NULL;
  scm_reduce((int)op, x, out, outer, reduced, inner, scale);
  return NULL;
}

// softmax(x, out, rows, cols)
static napi_value js_softmax(napi_env env, napi_callback_info info) {
  ARGS(4);
  size_t lx, lo, rows, cols, n;
  float *x, *out;
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[1], "out", &out, &lo, 0) ||
      !get_size(env, argv[2], "rows", &rows) || !get_size(env, argv[3], "cols", &cols))
    return NULL;
  if (!mul(rows, cols, &n)) return fail(env, 1, "%s are too large.", "rows and cols");
  if (!need(env, "x", lx, n) || !need(env, "out", lo, n)) return NULL;
  scm_softmax(x, out, rows, cols);
  return NULL;
}

// dropoutMask(state Int32Array(4): an Rng's four words, rate, out)
static napi_value js_dropout_mask(napi_env env, napi_callback_info info) {
  ARGS(3);
  int32_t *state;
  size_t ls, lo;
  double rate;
  float *out;
  if (!get_i32s(env, argv[0], "state", &state, &ls) || !get_double(env, argv[1], "rate", &rate) ||
      !get_f32(env, argv[2], "out", &out, &lo, 0))
    return NULL;
  if (ls != 4) return fail(env, 1, "%s must hold 4 words.", "state");
  if (!(rate >= 0 && rate < 1)) return fail(env, 1, "%s must be in [0, 1).", "rate");
  const uint32_t s[4] = {(uint32_t)state[0], (uint32_t)state[1], (uint32_t)state[2], (uint32_t)state[3]};
  scm_dropout_mask(s, rate, out, lo);
  return NULL;
}

// adamStep(p, m, v, g, pOut, mOut, vOut, coefficients: Float32Array [mode, β₁, 1 − β₁, β₂, 1 − β₂, step,
// √bc₂, ε])
static napi_value js_adam_step(napi_env env, napi_callback_info info) {
  ARGS(8);
  static const char *names[7] = {"p", "m", "v", "g", "pOut", "mOut", "vOut"};
  float *t[7], *c;
  size_t len[7], lc;
  for (int i = 0; i < 7; i++)
    if (!get_f32(env, argv[i], names[i], &t[i], &len[i], 0)) return NULL;
  if (!get_f32(env, argv[7], "coefficients", &c, &lc, 0)) return NULL;
  for (int i = 1; i < 7; i++)
    if (!need(env, names[i], len[i], len[0])) return NULL;
  if (lc != 8) return fail(env, 1, "%s must hold 8 numbers.", "coefficients");
  const int mode = (int)c[0];
  if (!(c[0] == (float)mode && mode >= SCM_ADAM && mode <= SCM_RADAM_UNADAPTED))
    return fail(env, 1, "%s must be 0, 1 or 2.", "coefficients[0] (the mode)");
  const scm_adam_coefficients k = {mode, c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
  scm_adam_step(t[0], t[1], t[2], t[3], t[4], t[5], t[6], len[0], &k);
  return NULL;
}

// silu(x, out) and siluGrad(x, dy, out)
static napi_value js_silu(napi_env env, napi_callback_info info) {
  ARGS(2);
  size_t lx, lo;
  float *x, *out;
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[1], "out", &out, &lo, 0)) return NULL;
  if (!need(env, "out", lo, lx)) return NULL;
  scm_silu(x, out, lx);
  return NULL;
}

static napi_value js_silu_grad(napi_env env, napi_callback_info info) {
  ARGS(3);
  size_t lx, ld, lo;
  float *x, *dy, *out;
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[1], "dy", &dy, &ld, 0) ||
      !get_f32(env, argv[2], "out", &out, &lo, 0))
    return NULL;
  if (!need(env, "dy", ld, lx) || !need(env, "out", lo, lx)) return NULL;
  scm_silu_grad(x, dy, out, lx);
  return NULL;
}

// Reads the [B, N, G, K] extents at argv[first..first+3]; *total = B·N·G·K, *groups = B·G.
static int get_bngk(napi_env env, napi_value *argv, size_t d[4], size_t *total, size_t *groups) {
  static const char *names[4] = {"batch", "n", "groups", "k"};
  for (int i = 0; i < 4; i++)
    if (!get_size(env, argv[i], names[i], &d[i])) return 0;
  size_t t;
  if (!mul(d[0], d[1], &t) || !mul(t, d[2], &t) || !mul(t, d[3], total) || !mul(d[0], d[2], groups)) {
    fail(env, 1, "%s are too large.", "The extents");
    return 0;
  }
  return 1;
}

// standardize(x, y, rstd, batch, n, groups, k, eps)
static napi_value js_standardize(napi_env env, napi_callback_info info) {
  ARGS(8);
  size_t lx, ly, lr, d[4], total, groups;
  float *x, *y, *rstd;
  double eps;
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[1], "y", &y, &ly, 0) ||
      !get_f32(env, argv[2], "rstd", &rstd, &lr, 0) || !get_bngk(env, argv + 3, d, &total, &groups) ||
      !get_double(env, argv[7], "eps", &eps))
    return NULL;
  if (!need(env, "x", lx, total) || !need(env, "y", ly, total) || !need(env, "rstd", lr, groups)) return NULL;
  if (total > 0) scm_standardize(x, y, rstd, d[0], d[1], d[2], d[3], (float)eps);
  return NULL;
}

// standardizeGrad(dy, y, rstd, dx, batch, n, groups, k)
static napi_value js_standardize_grad(napi_env env, napi_callback_info info) {
  ARGS(8);
  size_t ld, ly, lr, lo, d[4], total, groups;
  float *dy, *y, *rstd, *dx;
  if (!get_f32(env, argv[0], "dy", &dy, &ld, 0) || !get_f32(env, argv[1], "y", &y, &ly, 0) ||
      !get_f32(env, argv[2], "rstd", &rstd, &lr, 0) || !get_f32(env, argv[3], "dx", &dx, &lo, 0) ||
      !get_bngk(env, argv + 4, d, &total, &groups))
    return NULL;
  if (!need(env, "dy", ld, total) || !need(env, "y", ly, total) || !need(env, "rstd", lr, groups) ||
      !need(env, "dx", lo, total))
    return NULL;
  if (total > 0) scm_standardize_grad(dy, y, rstd, dx, d[0], d[1], d[2], d[3]);
  return NULL;
}

// A modulation vector's layout: batch·c values (per batch entry) or c (shared, *shared = 1).
static int get_vec(napi_env env, const char *name, size_t have, size_t batch, size_t c, int *shared) {
  size_t bc;
  if (!mul(batch, c, &bc)) return 0;
  if (have == bc) {
    *shared = 0;
    return 1;
  }
  if (have == c) {
    *shared = 1;
    return 1;
  }
  fail(env, 1, "%s must hold c or batch·c values.", name);
  return 0;
}

// Reads batch, n, c at argv[0..2]; *total = batch·n·c.
static int get_bnc(napi_env env, napi_value *argv, size_t d[3], size_t *total) {
  static const char *names[3] = {"batch", "n", "c"};
  for (int i = 0; i < 3; i++)
    if (!get_size(env, argv[i], names[i], &d[i])) return 0;
  size_t t;
  if (!mul(d[0], d[1], &t) || !mul(t, d[2], total)) {
    fail(env, 1, "%s are too large.", "The extents");
    return 0;
  }
  return 1;
}

// scaleShift(x, scale, shift, out, batch, n, c, x2, scale2): out = x⊙scale (+ x2⊙scale2) (+ shift)
static napi_value js_scale_shift(napi_env env, napi_callback_info info) {
  ARGS(9);
  size_t lx, ls, lb, lo, lx2, ls2, d[3], total;
  float *x, *s, *b, *out, *x2, *s2;
  int s_shared = 0, b_shared = 0, s2_shared = 0;
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[1], "scale", &s, &ls, 0) ||
      !get_f32(env, argv[2], "shift", &b, &lb, 1) || !get_f32(env, argv[3], "out", &out, &lo, 0) ||
      !get_bnc(env, argv + 4, d, &total) || !get_f32(env, argv[7], "x2", &x2, &lx2, 1) ||
      !get_f32(env, argv[8], "scale2", &s2, &ls2, 1))
    return NULL;
  if ((x2 == NULL) != (s2 == NULL)) return fail(env, 0, "%s must both be given or both be null.", "x2 and scale2");
  if (!need(env, "x", lx, total) || !need(env, "out", lo, total) ||
      !get_vec(env, "scale", ls, d[0], d[2], &s_shared) ||
      (b != NULL && !get_vec(env, "shift", lb, d[0], d[2], &b_shared)) ||
      (x2 != NULL && (!need(env, "x2", lx2, total) || !get_vec(env, "scale2", ls2, d[0], d[2], &s2_shared))))
    return NULL;
  if (total > 0) scm_scale_shift(x, s, b, x2, s2, out, d[0], d[1], d[2], s_shared, b_shared, s2_shared);
  return NULL;
}

// scaleShiftGrad(dy, x, scale, dx, dscale, dshift, batch, n, c)
static napi_value js_scale_shift_grad(napi_env env, napi_callback_info info) {
  ARGS(9);
  size_t ld, lx, ls, ldx, lds, ldb, d[3], total, bc = 0;
  float *dy, *x, *s, *dx, *ds, *db;
  int s_shared = 0;
  if (!get_f32(env, argv[0], "dy", &dy, &ld, 0) || !get_f32(env, argv[1], "x", &x, &lx, 0) ||
      !get_f32(env, argv[2], "scale", &s, &ls, 0) || !get_f32(env, argv[3], "dx", &dx, &ldx, 0) ||
      !get_f32(env, argv[4], "dscale", &ds, &lds, 0) || !get_f32(env, argv[5], "dshift", &db, &ldb, 0) ||
      !get_bnc(env, argv + 6, d, &total))
    return NULL;
  mul(d[0], d[2], &bc); // ≤ total, checked above
  if (!need(env, "dy", ld, total) || !need(env, "x", lx, total) || !need(env, "dx", ldx, total) ||
      !get_vec(env, "scale", ls, d[0], d[2], &s_shared) || !need(env, "dscale", lds, bc) ||
      !need(env, "dshift", ldb, bc))
    return NULL;
  if (total > 0) scm_scale_shift_grad(dy, x, s, dx, ds, db, d[0], d[1], d[2], s_shared);
  return NULL;
}

// addN(inputs: Float32Array[], out)
static napi_value js_add_n(napi_env env, napi_callback_info info) {
  ARGS(2);
  bool is_array = false;
  uint32_t count = 0;
  float *out;
  size_t lo;
  CHECK(napi_is_array(env, argv[0], &is_array));
  if (!is_array) return fail(env, 0, "%s must be an array of Float32Arrays.", "inputs");
  CHECK(napi_get_array_length(env, argv[0], &count));
  if (count > 64) return fail(env, 1, "%s has more than 64 entries.", "inputs");
  if (!get_f32(env, argv[1], "out", &out, &lo, 0)) return NULL;
  const float *ptrs[64];
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    float *p;
    size_t l;
    CHECK(napi_get_element(env, argv[0], i, &item));
    if (!get_f32(env, item, "Each input", &p, &l, 0) || !need(env, "An input", l, lo)) return NULL;
    ptrs[i] = p;
  }
  scm_add_n(ptrs, count, out, lo);
  return NULL;
}

// Reads an Int32Array of at most SCM_MAX_RANK non-negative entries into out; returns its length or -1.
static int get_dims(napi_env env, napi_value v, const char *name, size_t *out) {
  int32_t *p;
  size_t len;
  if (!get_i32s(env, v, name, &p, &len)) return -1;
  if (len > SCM_MAX_RANK) {
    fail(env, 1, "%s has more than 8 entries.", name);
    return -1;
  }
  for (size_t i = 0; i < len; i++) {
    if (p[i] < 0) {
      fail(env, 1, "%s has a negative entry.", name);
      return -1;
    }
    out[i] = (size_t)p[i];
  }
  return (int)len;
}

// copyBlock(src, srcShape, srcBegin, dst, dstShape, dstBegin, size)
static napi_value js_copy_block(napi_env env, napi_callback_info info) {
  ARGS(7);
  float *src, *dst;
  size_t ls, ld, ss[SCM_MAX_RANK], sb[SCM_MAX_RANK], ds[SCM_MAX_RANK], db[SCM_MAX_RANK], sz[SCM_MAX_RANK];
  if (!get_f32(env, argv[0], "src", &src, &ls, 0) || !get_f32(env, argv[3], "dst", &dst, &ld, 0)) return NULL;
  int r0 = get_dims(env, argv[1], "srcShape", ss), r1 = r0 < 0 ? -1 : get_dims(env, argv[2], "srcBegin", sb);
  int r2 = r1 < 0 ? -1 : get_dims(env, argv[4], "dstShape", ds), r3 = r2 < 0 ? -1 : get_dims(env, argv[5], "dstBegin", db);
  int r4 = r3 < 0 ? -1 : get_dims(env, argv[6], "size", sz);
  if (r4 < 0) return NULL;
  if (r0 != r1 || r0 != r2 || r0 != r3 || r0 != r4) return fail(env, 1, "%s must all have the same length.", "The shapes, begins and size");
  size_t ns = 1, nd = 1;
  for (int k = 0; k < r0; k++) {
    if (sb[k] + sz[k] > ss[k] || db[k] + sz[k] > ds[k])
      return fail(env, 1, "%s reaches past the end of src or dst.", "The block");
    if (!mul(ns, ss[k], &ns) || !mul(nd, ds[k], &nd)) return fail(env, 1, "%s are too large.", "The shapes");
  }
  if (!need(env, "src", ls, ns) || !need(env, "dst", ld, nd)) return NULL;
  scm_copy_block(src, ss, sb, dst, ds, db, sz, r0);
  return NULL;
}

// tile(x, shape, reps, out) and transpose(x, shape, perm, out)
static napi_value shape_op(napi_env env, napi_callback_info info, int transpose) {
  ARGS(4);
  float *x, *out;
  size_t lx, lo, shape[SCM_MAX_RANK], arg[SCM_MAX_RANK];
  if (!get_f32(env, argv[0], "x", &x, &lx, 0) || !get_f32(env, argv[3], "out", &out, &lo, 0)) return NULL;
  int r0 = get_dims(env, argv[1], "shape", shape);
  int r1 = r0 < 0 ? -1 : get_dims(env, argv[2], transpose ? "perm" : "reps", arg);
  if (r1 < 0) return NULL;
  if (r0 != r1) return fail(env, 1, "%s must have one entry per dimension.", transpose ? "perm" : "reps");
  size_t nx = 1, no = 1;
  int seen[SCM_MAX_RANK] = {0};
  for (int d = 0; d < r0; d++) {
    if (transpose) {
      if (arg[d] >= (size_t)r0 || seen[arg[d]]++) return fail(env, 1, "%s is not a permutation.", "perm");
    } else if (!mul(no, shape[d] * arg[d], &no)) {
      return fail(env, 1, "%s are too large.", "The shape and reps");
    }
    if (!mul(nx, shape[d], &nx)) return fail(env, 1, "%s is too large.", "The shape");
  }
  if (!need(env, "x", lx, nx) || !need(env, "out", lo, transpose ? nx : no)) return NULL;
  if (transpose) {
    scm_transpose(x, shape, arg, out, r0);
  } else {
    scm_tile(x, shape, arg, out, r0);
  }
  return NULL;
}
static napi_value js_tile(napi_env env, napi_callback_info info) { return shape_op(env, info, 0); }
static napi_value js_transpose(napi_env env, napi_callback_info info) { return shape_op(env, info, 1); }

// resizeNearest(x, y, batch, inH, inW, c, outH, outW, alignCorners, halfPixelCenters) and
// resizeNearestGrad(dy, dx, batch, inH, inW, c, outH, outW, alignCorners)
static napi_value resize_common(napi_env env, napi_callback_info info, int grad) {
  ARGS(10 - grad);
  float *p0, *p1;
  size_t l0, l1, b, ih, iw, c, oh, ow, nin, nout;
  int align, half = 0;
  if (!get_f32(env, argv[0], grad ? "dy" : "x", &p0, &l0, 0) || !get_f32(env, argv[1], grad ? "dx" : "y", &p1, &l1, 0) ||
      !get_size(env, argv[2], "batch", &b) || !get_size(env, argv[3], "inHeight", &ih) ||
      !get_size(env, argv[4], "inWidth", &iw) || !get_size(env, argv[5], "channels", &c) ||
      !get_size(env, argv[6], "outHeight", &oh) || !get_size(env, argv[7], "outWidth", &ow) ||
      !get_bool(env, argv[8], "alignCorners", &align) || (!grad && !get_bool(env, argv[9], "halfPixelCenters", &half)))
    return NULL;
  if (ih > (1u << 24) || iw > (1u << 24) || oh > (1u << 24) || ow > (1u << 24))
    return fail(env, 1, "%s exceeds 2^24.", "An image side");
  if (!mul(b * c, ih * iw, &nin) || !mul(b * c, oh * ow, &nout)) return fail(env, 1, "%s are too large.", "The sizes");
  if (!need(env, grad ? "dy" : "x", l0, grad ? nout : nin) || !need(env, grad ? "dx" : "y", l1, grad ? nin : nout)) return NULL;
  size_t *scratch = malloc((2 * (ih + iw) + ow + 1) * sizeof(size_t));
  if (scratch == NULL) return fail(env, 1, "%s could not be allocated.", "Scratch memory");
  if (grad) {
    scm_resize_nearest_grad(p0, p1, b, ih, iw, c, oh, ow, align, scratch);
  } else {
    scm_resize_nearest(p0, p1, b, ih, iw, c, oh, ow, align, half, scratch);
  }
  free(scratch);
  return NULL;
}
static napi_value js_resize_nearest(napi_env env, napi_callback_info info) { return resize_common(env, info, 0); }
static napi_value js_resize_nearest_grad(napi_env env, napi_callback_info info) { return resize_common(env, info, 1); }

// setThreads(n): threads of the pool (the BLAS itself always runs single-threaded inside it).
static napi_value js_set_threads(napi_env env, napi_callback_info info) {
  ARGS(1);
  size_t n;
  if (!get_size(env, argv[0], "threads", &n)) return NULL;
  if (n < 1 || n > 64) return fail(env, 1, "%s must be between 1 and 64.", "threads");
  pool_set_threads((int)n);
  return NULL;
}

// info(): { threads, cpus, blas }
// "avx512" or "blas": which kernel runs the single-threaded GEMMs (scm_gemm_init).
static const char *gemm_kernel = "blas";

static napi_value js_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value obj, v;
  CHECK(napi_create_object(env, &obj));
  CHECK(napi_create_int32(env, pool_threads(), &v));
  CHECK(napi_set_named_property(env, obj, "threads", v));
  CHECK(napi_create_int32(env, pool_cpu_count(), &v));
  CHECK(napi_set_named_property(env, obj, "cpus", v));
#if defined(SCM_OPENBLAS)
  const char *blas = openblas_get_config();
#elif defined(__APPLE__)
  const char *blas = "Accelerate";
#else
  const char *blas = "CBLAS";
#endif
  CHECK(napi_create_string_utf8(env, blas, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "blas", v));
  CHECK(napi_create_string_utf8(env, gemm_kernel, NAPI_AUTO_LENGTH, &v));
  CHECK(napi_set_named_property(env, obj, "gemm", v));
  return obj;
}

// Functions are plain writable properties so tests can wrap them to see which kernels ran.
NAPI_MODULE_INIT() {
#ifdef SCM_OPENBLAS
  // The pool splits GEMMs itself; OpenBLAS's own workers would spin against it.
  openblas_set_num_threads(1);
#endif
  gemm_kernel = scm_gemm_init();
  const napi_property_descriptor fns[] = {
      {"sgemm", NULL, js_sgemm, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"matmul", NULL, js_matmul, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"conv2d", NULL, js_conv2d, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"conv2dBackpropInput", NULL, js_conv2d_bi, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"conv2dBackpropFilter", NULL, js_conv2d_bf, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"avgPool", NULL, js_avg_pool, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"avgPoolGrad", NULL, js_avg_pool_grad, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"biasActivation", NULL, js_bias_activation, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"binary", NULL, js_binary, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"unary", NULL, js_unary, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"reduce", NULL, js_reduce, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"softmax", NULL, js_softmax, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"dropoutMask", NULL, js_dropout_mask, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"adamStep", NULL, js_adam_step, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"silu", NULL, js_silu, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"siluGrad", NULL, js_silu_grad, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"standardize", NULL, js_standardize, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"standardizeGrad", NULL, js_standardize_grad, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"scaleShift", NULL, js_scale_shift, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"scaleShiftGrad", NULL, js_scale_shift_grad, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"addN", NULL, js_add_n, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"copyBlock", NULL, js_copy_block, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"tile", NULL, js_tile, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"transpose", NULL, js_transpose, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"resizeNearest", NULL, js_resize_nearest, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"resizeNearestGrad", NULL, js_resize_nearest_grad, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"setThreads", NULL, js_set_threads, NULL, NULL, NULL, napi_default_jsproperty, NULL},
      {"info", NULL, js_info, NULL, NULL, NULL, napi_default_jsproperty, NULL},
  };
  if (napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns) != napi_ok) return NULL;
  return exports;
}
