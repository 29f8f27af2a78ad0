// Average pooling (NHWC) and its gradient, as tfjs's cpu kernels compute them: the forward divides
// each window's float64 sum by the pixels inside the image, the gradient spreads dy with the factor
// 1/(fh·fw) (tfjs's choice; the two agree for 'valid' windows). Threaded over output rows.
#include <stdlib.h>

#include "kernels.h"
#include "pool.h"

typedef struct {
  const scm_conv_geom *g;
  const float *in;
  float *out;
} pool_job;

static void avg_pool_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const pool_job *j = ctx;
  const scm_conv_geom *g = j->g;
  const size_t c = g->in_c;
  double *acc = malloc(c * sizeof(double));
  if (acc == NULL) abort();
  for (size_t row = begin; row < end; row++) {
    size_t b = row / g->out_h, yr = row % g->out_h;
    long r0 = (long)(yr * g->stride_h) - g->pad_top;
    long r1 = r0 + (long)g->filter_h;
    if (r0 < 0) r0 = 0;
    if (r1 > (long)g->in_h) r1 = (long)g->in_h;
    for (size_t yc = 0; yc < g->out_w; yc++) {
      long c0 = (long)(yc * g->stride_w) - g->pad_left;
      long c1 = c0 + (long)g->filter_w;
      if (c0 < 0) c0 = 0;
      if (c1 > (long)g->in_w) c1 = (long)g->in_w;
      for (size_t k = 0; k < c; k++) acc[k] = 0;
      for (long xr = r0; xr < r1; xr++) {
        for (long xc = c0; xc < c1; xc++) {
          const float *src = j->in + ((b * g->in_h + (size_t)xr) * g->in_w + (size_t)xc) * c;
          for (size_t k = 0; k < c; k++) acc[k] += src[k];
        }
      }
      const double count = (double)((r1 - r0) * (c1 - c0));
      float *dst = j->out + (row * g->out_w + yc) * c;
      for (size_t k = 0; k < c; k++) dst[k] = (float)(acc[k] / count);
    }
  }
  free(acc);
}

void scm_avg_pool(const scm_conv_geom *g, const float *x, float *y) {
  pool_job j = {g, x, y};
  pool_for(g->batch * g->out_h, 1, avg_pool_part, &j);
}

// dx rows (b·H + r): each pixel gathers the dy of every window that covers it.
static void avg_pool_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const pool_job *j = ctx;
  const scm_conv_geom *g = j->g;
  const size_t c = g->in_c;
  const long pad_top = (long)g->filter_h - 1 - g->pad_top, pad_left = (long)g->filter_w - 1 - g->pad_left;
  const double scale = 1.0 / (double)(g->filter_h * g->filter_w);
  double *acc = malloc(c * sizeof(double));
  if (acc == NULL) abort();
  for (size_t row = begin; row < end; row++) {
    size_t b = row / g->in_h, xr = row % g->in_h;
    for (size_t xc = 0; xc < g->in_w; xc++) {
      for (size_t k = 0; k < c; k++) acc[k] = 0;
      for (size_t wr = 0; wr < g->filter_h; wr++) {
        long t = (long)xr - pad_top + (long)wr;
        if (t < 0 || t % (long)g->stride_h != 0 || t / (long)g->stride_h >= (long)g->out_h) continue;
        size_t dyr = (size_t)(t / (long)g->stride_h);
        for (size_t wc = 0; wc < g->filter_w; wc++) {
          long u = (long)xc - pad_left + (long)wc;
          if (u < 0 || u % (long)g->stride_w != 0 || u / (long)g->stride_w >= (long)g->out_w) continue;
          const float *src = j->in + ((b * g->out_h + dyr) * g->out_w + (size_t)(u / (long)g->stride_w)) * c;
          for (size_t k = 0; k < c; k++) acc[k] += src[k];
        }
      }
      float *dst = j->out + (row * g->in_w + xc) * c;
      for (size_t k = 0; k < c; k++) dst[k] = (float)(acc[k] * scale);
    }
  }
  free(acc);
}

void scm_avg_pool_grad(const scm_conv_geom *g, const float *dy, float *dx) {
  pool_job j = {g, dy, dx};
  pool_for(g->batch * g->in_h, 1, avg_pool_grad_part, &j);
}
