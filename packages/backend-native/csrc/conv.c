// 2-D convolution (NHWC) and both its gradients as im2col + sgemm. The patch matrix is built a few MB
// at a time: one buffer for the whole batch (hundreds of MB) was 3x slower, a chunk stays in cache
// between the im2col that writes it and the GEMM that reads it. Each pool thread owns whole chunks
// (its own im2col, its own single-threaded GEMM), claimed as threads come free.
#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

// Floats per patch-matrix chunk (1 MiB): a few per thread fit in L2 with the filter.
#define CHUNK_FLOATS ((size_t)1 << 18)

static size_t patch_len(const scm_conv_geom *g) { return g->filter_h * g->filter_w * g->in_c; }

// A 1x1, stride-1, unpadded convolution is a plain matrix product over pixels.
static int is_pointwise(const scm_conv_geom *g) {
  return g->filter_h == 1 && g->filter_w == 1 && g->stride_h == 1 && g->stride_w == 1 && g->pad_top == 0 &&
         g->pad_left == 0 && g->out_h == g->in_h && g->out_w == g->in_w;
}

static void *xmalloc(size_t bytes) {
  void *p = malloc(bytes > 0 ? bytes : 1);
  if (p == NULL) abort();  // tfjs cannot recover from a failed allocation either
  return p;
}

// Rows of the patch matrix from output pixel `first` on, zeros where a window overhangs the input.
static void im2col(const scm_conv_geom *g, const float *x, float *col, size_t first, size_t rows) {
  const size_t c = g->in_c, k = patch_len(g), plane = g->out_h * g->out_w;
  for (size_t r = 0; r < rows; r++) {
    size_t m = first + r;
    size_t b = m / plane, oh = (m % plane) / g->out_w, ow = m % g->out_w;
    long ih0 = (long)(oh * g->stride_h) - g->pad_top;
    long iw0 = (long)(ow * g->stride_w) - g->pad_left;
    float *dst = col + r * k;
    for (size_t kh = 0; kh < g->filter_h; kh++) {
      long ih = ih0 + (long)(kh * g->dilation_h);
      if (ih < 0 || ih >= (long)g->in_h) {
        memset(dst, 0, g->filter_w * c * sizeof(float));
        dst += g->filter_w * c;
        continue;
      }
      const float *row = x + (b * g->in_h + (size_t)ih) * g->in_w * c;
      if (g->dilation_w == 1 && iw0 >= 0 && iw0 + (long)g->filter_w <= (long)g->in_w) {
        // The whole filter row lies inside the image and is contiguous in NHWC: one copy.
        memcpy(dst, row + (size_t)iw0 * c, g->filter_w * c * sizeof(float));
        dst += g->filter_w * c;
        continue;
      }
      for (size_t kw = 0; kw < g->filter_w; kw++) {
        long iw = iw0 + (long)(kw * g->dilation_w);
        if (iw < 0 || iw >= (long)g->in_w) {
          memset(dst, 0, c * sizeof(float));
        } else {
          memcpy(dst, row + (size_t)iw * c, c * sizeof(float));
        }
        dst += c;
      }
    }
  }
}

// Output pixels per chunk: about CHUNK_FLOATS of patches, and at least two chunks per thread when
// there is enough work, so the threads finish together.
static size_t chunk_rows(size_t k, size_t total) {
  size_t rows = CHUNK_FLOATS / (k > 0 ? k : 1);
  size_t share = (total + 2 * (size_t)pool_threads() - 1) / (2 * (size_t)pool_threads());
  if (rows > share) rows = share;
  if (rows < 16) rows = 16;
  return rows < total ? rows : total;
}

typedef struct {
  const scm_conv_geom *g;
  const float *x, *w, *dy;
  const float *bias; // forward: per-channel bias [O] added to each chunk while it is in cache, or NULL
  float *y;          // forward output
  float *partials;   // backprop filter: one [K, O] accumulator per group of chunks
  size_t rows;       // output pixels per chunk
  size_t total;      // output pixels in all
  size_t chunks;     // backprop filter: chunks of `rows` pixels, split into `groups` contiguous runs
  size_t groups;
} conv_job;

// y[r, c] += bias[c] over n rows of o channels: the conv's output rounded, then the bias added, as
// tfjs's Add would (so conv + bias here equals Conv2D then Add on this backend bit for bit).
SCM_CLONES static void add_bias(float *y, size_t n, size_t o, const float *bias) {
  for (size_t r = 0; r < n; r++) {
    float *row = y + r * o;
    for (size_t c = 0; c < o; c++) row[c] = row[c] + bias[c];
  }
}

static void forward_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const conv_job *j = ctx;
  const size_t k = patch_len(j->g), o = j->g->out_c;
  // On AVX-512 the GEMM reads patches from x in place (no copy, same sums) and needs only a row of
  // zeros for taps outside the image; elsewhere a chunk's im2col patches.
  const int gathered = scm_gemm_is_avx512();
  float *zeros = gathered ? calloc(j->g->in_c, sizeof(float)) : NULL;
  float *col = gathered ? NULL : xmalloc(j->rows * k * sizeof(float));
  if (gathered && zeros == NULL) abort();
  for (size_t chunk = begin; chunk < end; chunk++) {
    size_t m0 = chunk * j->rows, n = j->total - m0 < j->rows ? j->total - m0 : j->rows;
    if (gathered) {
      scm_conv_rows_avx512(j->g, j->x, j->w, j->bias, zeros, m0, n, j->y);  // the bias in the tiles' stores
    } else {
      im2col(j->g, j->x, col, m0, n);
      scm_sgemm1(0, 0, n, o, k, 1.0f, col, k, j->w, o, 0.0f, j->y + m0 * o, o);
      if (j->bias != NULL) add_bias(j->y + m0 * o, n, o, j->bias);
    }
  }
  free(zeros);
  free(col);
}

void scm_conv2d(const scm_conv_geom *g, const float *x, const float *w, const float *bias, float *y) {
  const size_t total = g->batch * g->out_h * g->out_w, k = patch_len(g), o = g->out_c;
  if (total == 0 || o == 0) return;
  if (k == 0) {
    memset(y, 0, total * o * sizeof(float));
    if (bias != NULL) scm_bias_activation(y, total, o, bias, ACT_LINEAR, 0.0f, NULL, 0);
    return;
  }
  if (is_pointwise(g)) {
    scm_sgemm(0, 0, total, o, k, 1.0f, x, k, w, o, 0.0f, y, o);
    if (bias != NULL) scm_bias_activation(y, total, o, bias, ACT_LINEAR, 0.0f, NULL, 0);
    return;
  }
  conv_job j = {g, x, w, NULL, bias, y, NULL, chunk_rows(k, total), total, 0, 0};
  const size_t chunks = (total + j.rows - 1) / j.rows;
  pool_for_chunks(chunks, chunks, forward_part, &j);
}

// The filter gradient sums over every output pixel. For results that do not depend on which thread ran
// which chunk, or on how many threads there are (a resumed run must repeat an uninterrupted one bit for
// bit), the pixels are cut by shape alone: chunks of FILTER_ROWS_FLOATS of patches, folded in order into
// one accumulator per group (a fixed run of consecutive chunks), and the groups summed in order.
#define FILTER_GROUPS 16
#define FILTER_GROUP_BYTES ((size_t)32 << 20)

static void filter_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const conv_job *j = ctx;
  const size_t k = patch_len(j->g), o = j->g->out_c;
  float *col = xmalloc(j->rows * k * sizeof(float));
  for (size_t group = begin; group < end; group++) {
    float *dw = j->partials + group * k * o;
    const size_t c0 = j->chunks * group / j->groups, c1 = j->chunks * (group + 1) / j->groups;
    for (size_t chunk = c0; chunk < c1; chunk++) {
      size_t m0 = chunk * j->rows, n = j->total - m0 < j->rows ? j->total - m0 : j->rows;
      im2col(j->g, j->x, col, m0, n);
      // dW[K, O] (+)= colᵀ · dY[chunk], the group's first chunk overwriting its accumulator
      scm_sgemm1(1, 0, k, o, n, 1.0f, col, k, j->dy + m0 * o, o, chunk == c0 ? 0.0f : 1.0f, dw, o);
    }
  }
  free(col);
}

void scm_conv2d_backprop_filter(const scm_conv_geom *g, const float *x, const float *dy, float *dw) {
  const size_t total = g->batch * g->out_h * g->out_w, k = patch_len(g), o = g->out_c;
  if (k == 0 || o == 0) return;
  if (total == 0) {
    memset(dw, 0, k * o * sizeof(float));
    return;
  }
  if (is_pointwise(g)) {
    // dW[C, O] = Xᵀ · dY over all pixels.
    scm_sgemm(1, 0, k, o, total, 1.0f, x, k, dy, o, 0.0f, dw, o);
    return;
  }
  size_t rows = CHUNK_FLOATS / k;
  if (rows < 16) rows = 16;
  if (rows > total) rows = total;
  const size_t chunks = (total + rows - 1) / rows, cap = FILTER_GROUP_BYTES / (k * o * sizeof(float));
  size_t groups = chunks < FILTER_GROUPS ? chunks : FILTER_GROUPS;
  if (groups > cap) groups = cap > 0 ? cap : 1;
  conv_job j = {g, x, NULL, dy, NULL, NULL, dw, rows, total, chunks, groups};
  if (groups == 1) {
    pool_for_chunks(1, 1, filter_part, &j);
    return;
  }
  float *all = xmalloc(groups * k * o * sizeof(float));
  j.partials = all;
  pool_for_chunks(groups, groups, filter_part, &j);
  memcpy(dw, all, k * o * sizeof(float));
  for (size_t group = 1; group < groups; group++) {
    const float *src = all + group * k * o;
    for (size_t i = 0; i < k * o; i++) dw[i] += src[i];
  }
  free(all);
}

typedef struct {
  const scm_conv_geom *g;
  const float *dy, *wt;  // wt: the filter viewed as [K, O], transposed to [O, K]
  float *dx;
  size_t qn;  // output rows (b·OH + oh) per chunk
} backprop_input_job;

// Adds, for input rows [p0, p1), every entry of dcol (output rows [q0, q1)) that was read from them.
static void col2im_rows(const scm_conv_geom *g, const float *dcol, float *dx, size_t q0, size_t q1, size_t p0,
                        size_t p1) {
  const size_t c = g->in_c, k = patch_len(g);
  for (size_t p = p0; p < p1; p++) {
    size_t b = p / g->in_h, ih = p % g->in_h;
    for (size_t iw = 0; iw < g->in_w; iw++) {
      float *acc = dx + (p * g->in_w + iw) * c;
      for (size_t kh = 0; kh < g->filter_h; kh++) {
        long t = (long)ih + g->pad_top - (long)(kh * g->dilation_h);
        if (t < 0 || t % (long)g->stride_h != 0) continue;
        size_t oh = (size_t)t / g->stride_h;
        if (oh >= g->out_h) continue;
        size_t q = b * g->out_h + oh;
        if (q < q0 || q >= q1) continue;
        for (size_t kw = 0; kw < g->filter_w; kw++) {
          long u = (long)iw + g->pad_left - (long)(kw * g->dilation_w);
          if (u < 0 || u % (long)g->stride_w != 0) continue;
          size_t ow = (size_t)u / g->stride_w;
          if (ow >= g->out_w) continue;
          const float *src = dcol + ((q - q0) * g->out_w + ow) * k + (kh * g->filter_w + kw) * c;
          for (size_t ci = 0; ci < c; ci++) acc[ci] += src[ci];
        }
      }
    }
  }
}

// The input rows (b·H + ih) that output rows [q0, q1) read: from the first row's top tap to the last
// row's bottom tap, clamped to the images the chunk spans.
static void touched_rows(const scm_conv_geom *g, size_t q0, size_t q1, size_t *p0, size_t *p1) {
  size_t b0 = q0 / g->out_h, b1 = (q1 - 1) / g->out_h;
  long top = (long)((q0 % g->out_h) * g->stride_h) - g->pad_top;
  long bottom = (long)(((q1 - 1) % g->out_h) * g->stride_h) - g->pad_top +
                (long)((g->filter_h - 1) * g->dilation_h) + 1;
  *p0 = b0 * g->in_h + (top > 0 ? (size_t)top : 0);
  *p1 = b1 * g->in_h + (bottom < (long)g->in_h ? (bottom > 0 ? (size_t)bottom : 0) : g->in_h);
  if (*p1 < *p0) *p1 = *p0;
}

// Whole images per chunk: images are disjoint in dx, so threads never write the same pixel.
static void backprop_input_images(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const backprop_input_job *j = ctx;
  const scm_conv_geom *g = j->g;
  const size_t k = patch_len(g), o = g->out_c;
  float *dcol = xmalloc(j->qn * g->out_w * k * sizeof(float));
  const size_t last = end * g->out_h;
  for (size_t q0 = begin * g->out_h; q0 < last; q0 += j->qn) {
    size_t q1 = q0 + j->qn < last ? q0 + j->qn : last;
    // dcol[n, K] = dY[chunk] · Wᵀ, W viewed as [K, O]
    scm_sgemm1(0, 0, (q1 - q0) * g->out_w, k, o, 1.0f, j->dy + q0 * g->out_w * o, o, j->wt, k, 0.0f, dcol, k);
    size_t p0, p1;
    touched_rows(g, q0, q1, &p0, &p1);
    col2im_rows(g, dcol, j->dx, q0, q1, p0, p1);
  }
  free(dcol);
}

typedef struct {
  const scm_conv_geom *g;
  const float *dcol;
  float *dx;
  size_t q0, q1, p0;
} col2im_job;

static void col2im_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const col2im_job *j = ctx;
  col2im_rows(j->g, j->dcol, j->dx, j->q0, j->q1, j->p0 + begin, j->p0 + end);
}

// With stride 1 and no dilation the input gradient is itself a convolution: dY convolved with the
// filter turned 180° and its channel axes swapped, padded by F − 1 − pad. That runs as a forward
// convolution (im2col into the GEMM) instead of a GEMM into patches and a scatter-add of them back.
static int backprop_as_conv(const scm_conv_geom *g) {
  return g->stride_h == 1 && g->stride_w == 1 && g->dilation_h == 1 && g->dilation_w == 1 && g->pad_top >= 0 &&
         g->pad_left >= 0 && (size_t)g->pad_top < g->filter_h && (size_t)g->pad_left < g->filter_w;
}

static void backprop_input_by_conv(const scm_conv_geom *g, const float *dy, const float *w, float *dx) {
  const size_t fh = g->filter_h, fw = g->filter_w, c = g->in_c, o = g->out_c;
  // flipped[fh − 1 − i, fw − 1 − j, o, c] = w[i, j, c, o]
  float *flipped = xmalloc(fh * fw * c * o * sizeof(float));
  for (size_t i = 0; i < fh; i++)
    for (size_t j = 0; j < fw; j++) {
      const float *src = w + (i * fw + j) * c * o;
      float *dst = flipped + ((fh - 1 - i) * fw + (fw - 1 - j)) * o * c;
      for (size_t ci = 0; ci < c; ci++)
        for (size_t oi = 0; oi < o; oi++) dst[oi * c + ci] = src[ci * o + oi];
    }
  const scm_conv_geom t = {g->batch, g->out_h, g->out_w, o, g->in_h, g->in_w, c, fh, fw, 1, 1, 1, 1,
                           (long)fh - 1 - g->pad_top, (long)fw - 1 - g->pad_left};
  scm_conv2d(&t, dy, flipped, NULL, dx);
  free(flipped);
}

void scm_conv2d_backprop_input(const scm_conv_geom *g, const float *dy, const float *w, float *dx) {
  const size_t k = patch_len(g), o = g->out_c;
  const size_t in_size = g->batch * g->in_h * g->in_w * g->in_c;
  const size_t out_rows = g->batch * g->out_h;
  if (in_size != 0 && out_rows != 0 && g->out_w != 0 && o != 0 && k != 0 && !is_pointwise(g) &&
      backprop_as_conv(g)) {
    backprop_input_by_conv(g, dy, w, dx);
    return;
  }
  memset(dx, 0, in_size * sizeof(float));
  if (in_size == 0 || out_rows == 0 || g->out_w == 0 || o == 0 || k == 0) return;
  if (is_pointwise(g)) {
    // dX[M, C] = dY[M, O] · Wᵀ
    scm_sgemm(0, 1, out_rows * g->out_w, k, o, 1.0f, dy, o, w, o, 0.0f, dx, k);
    return;
  }
  // Wᵀ once, so every chunk's GEMM reads its right operand row by row (the layout the AVX-512 kernel
  // takes; a transposed operand would go to the BLAS).
  float *wt = xmalloc(k * o * sizeof(float));
  for (size_t r = 0; r < k; r++)
    for (size_t c = 0; c < o; c++) wt[c * k + r] = w[r * o + c];
  // Chunks hold whole output rows so the gather can find a pixel's row by index.
  size_t qn = CHUNK_FLOATS / (k * g->out_w);
  if (qn < 1) qn = 1;
  backprop_input_job j = {g, dy, wt, dx, qn < g->out_h ? qn : g->out_h};
  if (g->batch >= (size_t)pool_threads()) {
    pool_for(g->batch, 1, backprop_input_images, &j);
    free(wt);
    return;
  }
  // Fewer images than threads: chunks in turn, each GEMM and gather split across the pool.
  float *dcol = xmalloc(j.qn * g->out_w * k * sizeof(float));
  for (size_t q0 = 0; q0 < out_rows; q0 += j.qn) {
    size_t q1 = q0 + j.qn < out_rows ? q0 + j.qn : out_rows;
    scm_sgemm(0, 0, (q1 - q0) * g->out_w, k, o, 1.0f, dy + q0 * g->out_w * o, o, wt, k, 0.0f, dcol, k);
    col2im_job cj = {g, dcol, dx, q0, q1, 0};
    size_t p1;
    touched_rows(g, q0, q1, &cj.p0, &p1);
    pool_for(p1 - cj.p0, 1, col2im_part, &cj);
  }
  free(dcol);
  free(wt);
}
