// Data movement: block copies (Slice, Concat, SplitV) and nearest-neighbour resizing with its
// gradient. tfjs's cpu kernels compute an index per element for these; here whole contiguous runs
// are copied at once and the work is split across the pool.
#include <math.h>
#include <string.h>

#include "kernels.h"
#include "pool.h"

#define GRAIN_BYTES ((size_t)1 << 16)

typedef struct {
  const float *src;
  float *dst;
  size_t rank;         // dimensions left after folding the contiguous tail into `run`
  size_t run;          // floats copied per row
  size_t shape[SCM_MAX_RANK];
  size_t src_stride[SCM_MAX_RANK], dst_stride[SCM_MAX_RANK];
  size_t src_base, dst_base;
} copy_job;

static void copy_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const copy_job *j = ctx;
  for (size_t row = begin; row < end; row++) {
    size_t rest = row, so = j->src_base, d = j->dst_base;
    for (size_t k = j->rank; k-- > 0;) {
      size_t i = rest % j->shape[k];
      rest /= j->shape[k];
      so += i * j->src_stride[k];
      d += i * j->dst_stride[k];
    }
    memcpy(j->dst + d, j->src + so, j->run * sizeof(float));
  }
}

void scm_copy_block(const float *src, const size_t *src_shape, const size_t *src_begin, float *dst,
                    const size_t *dst_shape, const size_t *dst_begin, const size_t *size, int rank) {
  size_t ss[SCM_MAX_RANK], ds[SCM_MAX_RANK];
  size_t s = 1, d = 1, total = 1;
  for (int k = rank - 1; k >= 0; k--) {
    ss[k] = s;
    ds[k] = d;
    s *= src_shape[k];
    d *= dst_shape[k];
    total *= size[k];
  }
  if (total == 0) return;
  copy_job j = {src, dst, 0, 1, {0}, {0}, {0}, 0, 0};
  for (int k = 0; k < rank; k++) {
    j.src_base += src_begin[k] * ss[k];
    j.dst_base += dst_begin[k] * ds[k];
  }
  // Fold the innermost dimensions into one run while the block spans them whole in both arrays.
  int k = rank - 1;
  while (k >= 0) {
    j.run *= size[k];
    if (size[k] != src_shape[k] || size[k] != dst_shape[k]) break;
    k--;
  }
  j.rank = k > 0 ? (size_t)k : 0;
  for (int i = 0; i < k; i++) {
    j.shape[i] = size[i];
    j.src_stride[i] = ss[i];
    j.dst_stride[i] = ds[i];
  }
  const size_t rows = total / j.run;
  pool_for(rows, GRAIN_BYTES / (j.run * sizeof(float)) + 1, copy_part, &j);
}

// The source index tfjs's cpu kernels use for output index i (ResizeNearestNeighbor and its grad).
static size_t nearest(size_t i, double ratio, int align_corners, int half_pixel, size_t in) {
  double frac = half_pixel ? ratio * ((double)i + 0.5) : ratio * (double)i;
  double v = align_corners ? floor(frac + 0.5) : floor(frac);  // JavaScript's Math.round on v ≥ 0
  if (v < 0) v = 0;
  size_t s = (size_t)v;
  return s < in - 1 ? s : in - 1;
}

static double ratio(size_t in, size_t out, int align_corners) {
  size_t ei = align_corners && out > 1 ? in - 1 : in;
  size_t eo = align_corners && out > 1 ? out - 1 : out;
  return (double)ei / (double)eo;
}

typedef struct {
  const float *x;
  float *y;
  size_t in_h, in_w, out_h, out_w, c;
  const size_t *src_col;
  double rr;
  int align, half;
} resize_job;

// Output rows (b·OH + r), each a gather of whole channel vectors.
static void resize_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const resize_job *j = ctx;
  for (size_t row = begin; row < end; row++) {
    size_t b = row / j->out_h, r = row % j->out_h;
    size_t sr = nearest(r, j->rr, j->align, j->half, j->in_h);
    const float *src = j->x + (b * j->in_h + sr) * j->in_w * j->c;
    float *dst = j->y + row * j->out_w * j->c;
    for (size_t col = 0; col < j->out_w; col++) memcpy(dst + col * j->c, src + j->src_col[col] * j->c, j->c * sizeof(float));
  }
}

void scm_resize_nearest(const float *x, float *y, size_t batch, size_t in_h, size_t in_w, size_t c, size_t out_h,
                        size_t out_w, int align_corners, int half_pixel, size_t *scratch) {
  if (batch * out_h * out_w * c == 0 || in_h == 0 || in_w == 0) return;
  const double cr = ratio(in_w, out_w, align_corners);
  for (size_t col = 0; col < out_w; col++) scratch[col] = nearest(col, cr, align_corners, half_pixel, in_w);
  resize_job j = {x, y, in_h, in_w, out_h, out_w, c, scratch, ratio(in_h, out_h, align_corners), align_corners,
                  half_pixel};
  pool_for(batch * out_h, 1, resize_part, &j);
}

typedef struct {
  const float *dy;
  float *dx;
  size_t in_h, in_w, out_h, out_w, c;
  const size_t *row_lo, *row_hi, *col_lo, *col_hi;  // dy rows/cols that map to each dx row/col
} resize_grad_job;

// dx rows (b·H + r): each dx pixel sums, in float64 and in the cpu kernel's order (dy rows, then
// columns), the dy pixels whose nearest source it is.
static void resize_grad_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const resize_grad_job *j = ctx;
  double acc[256];
  for (size_t row = begin; row < end; row++) {
    size_t b = row / j->in_h, r = row % j->in_h;
    for (size_t col = 0; col < j->in_w; col++) {
      float *dst = j->dx + (row * j->in_w + col) * j->c;
      for (size_t c0 = 0; c0 < j->c; c0 += 256) {
        size_t cn = j->c - c0 < 256 ? j->c - c0 : 256;
        for (size_t i = 0; i < cn; i++) acc[i] = 0;
        for (size_t yr = j->row_lo[r]; yr < j->row_hi[r]; yr++) {
          for (size_t yc = j->col_lo[col]; yc < j->col_hi[col]; yc++) {
            const float *src = j->dy + ((b * j->out_h + yr) * j->out_w + yc) * j->c + c0;
            for (size_t i = 0; i < cn; i++) acc[i] += src[i];
          }
        }
        for (size_t i = 0; i < cn; i++) dst[c0 + i] = (float)acc[i];
      }
    }
  }
}

// Fills lo/hi (length `in`) with the range of outputs i whose nearest source is each input index;
// the map is non-decreasing in i, so each range is contiguous.
static void inverse_ranges(size_t in, size_t out, double rr, int align, size_t *lo, size_t *hi) {
  for (size_t s = 0; s < in; s++) lo[s] = hi[s] = 0;
  for (size_t i = out; i-- > 0;) {
    size_t s = nearest(i, rr, align, 0, in);
    if (hi[s] == 0) hi[s] = i + 1;
    lo[s] = i;
  }
}

void scm_resize_nearest_grad(const float *dy, float *dx, size_t batch, size_t in_h, size_t in_w, size_t c,
                             size_t out_h, size_t out_w, int align_corners, size_t *scratch) {
  if (batch * in_h * in_w * c == 0) return;
  size_t *row_lo = scratch, *row_hi = scratch + in_h, *col_lo = scratch + 2 * in_h, *col_hi = col_lo + in_w;
  inverse_ranges(in_h, out_h, ratio(in_h, out_h, align_corners), align_corners, row_lo, row_hi);
  inverse_ranges(in_w, out_w, ratio(in_w, out_w, align_corners), align_corners, col_lo, col_hi);
  resize_grad_job j = {dy, dx, in_h, in_w, out_h, out_w, c, row_lo, row_hi, col_lo, col_hi};
  pool_for(batch * in_h, 1, resize_grad_part, &j);
}

typedef struct {
  const float *x;
  float *out;
  int rank;
  const size_t *shape, *reps;
  size_t x_stride[SCM_MAX_RANK], out_shape[SCM_MAX_RANK];
} tile_job;

// Output rows (every index but the last): the source row, repeated reps[last] times.
static void tile_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const tile_job *j = ctx;
  const int r = j->rank;
  const size_t n = j->shape[r - 1], row = n * j->reps[r - 1];
  for (size_t o = begin; o < end; o++) {
    size_t rest = o, src = 0;
    for (int d = r - 2; d >= 0; d--) {
      size_t i = rest % j->out_shape[d];
      rest /= j->out_shape[d];
      src += (i % j->shape[d]) * j->x_stride[d];
    }
    float *dst = j->out + o * row;
    if (n == 1) {
      const float v = j->x[src];
      for (size_t k = 0; k < row; k++) dst[k] = v;
    } else {
      for (size_t k = 0; k < j->reps[r - 1]; k++) memcpy(dst + k * n, j->x + src, n * sizeof(float));
    }
  }
}

void scm_tile(const float *x, const size_t *shape, const size_t *reps, float *out, int rank) {
  tile_job j = {x, out, rank, shape, reps, {0}, {0}};
  size_t stride = 1, rows = 1, total = 1;
  for (int d = rank - 1; d >= 0; d--) {
    j.x_stride[d] = stride;
    stride *= shape[d];
    j.out_shape[d] = shape[d] * reps[d];
    total *= j.out_shape[d];
    if (d < rank - 1) rows *= j.out_shape[d];
  }
  if (total == 0) return;
  if (rank == 0) {
    out[0] = x[0];
    return;
  }
  const size_t row = j.out_shape[rank - 1];
  pool_for(rows, GRAIN_BYTES / (row * sizeof(float)) + 1, tile_part, &j);
}

typedef struct {
  const float *x;
  float *out;
  int rank;
  size_t out_shape[SCM_MAX_RANK], src_stride[SCM_MAX_RANK];  // src_stride[d]: x's stride of out's dim d
} transpose_job;

// Output rows (every index but the last), each a strided gather from x (a copy when the last
// dimension stays last).
static void transpose_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const transpose_job *j = ctx;
  const int r = j->rank;
  const size_t n = j->out_shape[r - 1], step = j->src_stride[r - 1];
  for (size_t o = begin; o < end; o++) {
    size_t rest = o, src = 0;
    for (int d = r - 2; d >= 0; d--) {
      src += (rest % j->out_shape[d]) * j->src_stride[d];
      rest /= j->out_shape[d];
    }
    float *dst = j->out + o * n;
    if (step == 1) {
      memcpy(dst, j->x + src, n * sizeof(float));
    } else {
      for (size_t k = 0; k < n; k++) dst[k] = j->x[src + k * step];
    }
  }
}

void scm_transpose(const float *x, const size_t *shape, const size_t *perm, float *out, int rank) {
  // Collapse runs of input dimensions that stay adjacent and in order under perm.
  size_t cshape[SCM_MAX_RANK], cperm[SCM_MAX_RANK], total = 1;
  int groups = 0;
  for (int d = 0; d < rank; d++) total *= shape[d];
  if (total == 0) return;
  // Walk the output order; an input dim continues the previous group when it is the next input dim.
  for (int k = 0; k < rank; k++) {
    size_t d = perm[k];
    if (shape[d] == 1) continue;
    if (groups > 0) {
      int g = groups - 1;
      if (d == cperm[g] + 1) {  // cperm[g]: the last input dim merged into group g so far
        cshape[g] *= shape[d];
        cperm[g] = d;
        continue;
      }
    }
    cshape[groups] = shape[d];
    cperm[groups] = d;
    groups++;
  }
  if (groups == 0) {
    out[0] = x[0];
    return;
  }
  // Input strides of each group: the stride of its last input dim in x.
  size_t in_stride[SCM_MAX_RANK], s = 1;
  for (int d = rank - 1; d >= 0; d--) {
    in_stride[d] = s;
    s *= shape[d];
  }
  transpose_job j = {x, out, groups, {0}, {0}};
  for (int g = 0; g < groups; g++) {
    j.out_shape[g] = cshape[g];
    j.src_stride[g] = in_stride[cperm[g]];
  }
  const size_t rows = total / cshape[groups - 1];
  pool_for(rows, GRAIN_BYTES / (cshape[groups - 1] * sizeof(float)) + 1, transpose_part, &j);
}
