// Single-threaded SGEMM for AVX-512 CPUs, C (+)= op(A)·B, for the product shapes a training step makes:
// tall and narrow (im2col chunks of a few hundred rows by K ≤ a few thousand, times filters of 32–128
// output channels), and a convolution's patches read straight from the image. A is never packed and a
// narrow B is read in place (a filter panel stays in L2; only a B wider than 128 is copied into 64-column
// panels); each tile of C is summed in registers, one accumulator per element, in k order, so a result
// depends only on the shapes, never on threads or chunking.
//
// Why not only the BLAS: OpenBLAS picks its kernels from the CPU model, releases before 0.3.22 run
// their AVX2 kernels on AMD's AVX-512 cores, and OPENBLAS_CORETYPE may pin them for the whole machine.
// Measured on a 2-core AMD EPYC with AVX-512 (one thread, M = 455, N = 64, K = 576, a conv chunk):
// OpenBLAS 0.3.21 111 GFLOP/s with its Haswell kernels, 200 with SkylakeX's, this kernel 245.
#include "kernels.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

#define TILE_INLINE static inline __attribute__((always_inline, target("avx512f")))

// How a tile reads A(i, p): a row-major A (a[i·lda + p]), a transposed one (a[p·lda + i]), or gathered
// from an image (a convolution's patches without an im2col copy: for each of k / seg segments, one
// pointer per row to seg contiguous floats, rowp[segment·rows + i]).
enum { A_ROWS, A_TRANSPOSED, A_GATHERED };

// One rows × (16·vecs) tile of C; the last vector is masked to the tile's width. rows, vecs and mode
// are constants after inlining, so the accumulators live in registers (6×4, 8×3, 12×2 or 12×1 of the
// 32 zmm). Every mode sums p = 0 … k − 1 in order, so a gathered conv equals its im2col product bit for bit.
TILE_INLINE void tile(int rows, int vecs, int mode, size_t k, const float *a, size_t lda,
                      const float *const *rowp, size_t seg, const float *b, size_t ldb, const float *bias,
                      float *c, size_t ldc, __mmask16 last, int accumulate) {
  __m512 acc[12][4];
  for (int i = 0; i < rows; i++)
    for (int v = 0; v < vecs; v++) acc[i][v] = _mm512_setzero_ps();
#define STEP(p, A_OF_I)                                                                       \
  do {                                                                                        \
    __m512 bv[4];                                                                             \
    for (int v = 0; v < vecs; v++)                                                            \
      bv[v] = v == vecs - 1 ? _mm512_maskz_loadu_ps(last, b + (p) * ldb + 16 * v)             \
                            : _mm512_loadu_ps(b + (p) * ldb + 16 * v);                        \
    for (int i = 0; i < rows; i++) {                                                          \
      const __m512 av = _mm512_set1_ps(A_OF_I);                                               \
      for (int v = 0; v < vecs; v++) acc[i][v] = _mm512_fmadd_ps(av, bv[v], acc[i][v]);      \
    }                                                                                         \
  } while (0)
  if (mode == A_GATHERED) {
    for (size_t s0 = 0; s0 < k; s0 += seg) {
      const float *ar[12];
      for (int i = 0; i < rows; i++) ar[i] = rowp[(s0 / seg) * (size_t)rows + (size_t)i];
      for (size_t q = 0; q < seg; q++) STEP(s0 + q, ar[i][q]);
    }
  } else {
    for (size_t p = 0; p < k; p++) STEP(p, mode == A_TRANSPOSED ? a[p * lda + (size_t)i] : a[(size_t)i * lda + p]);
  }
#undef STEP
  for (int i = 0; i < rows; i++)
    for (int v = 0; v < vecs; v++) {
      float *dst = c + (size_t)i * ldc + 16 * v;
      const __mmask16 m = v == vecs - 1 ? last : (__mmask16)0xffff;
      __m512 r = acc[i][v];
      if (accumulate) r = _mm512_add_ps(_mm512_maskz_loadu_ps(m, dst), r);
      // + bias after the sum is rounded, as a separate Add would (one float32 addition either way).
      if (bias != NULL) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(m, bias + 16 * v));
      _mm512_mask_storeu_ps(dst, m, r);
    }
}

// Rows per tile for a tile `vecs` vectors wide: 24 accumulators, plus the B vectors and a broadcast.
#define TILE_ROWS(vecs) ((vecs) <= 2 ? 12 : (vecs) == 3 ? 8 : 6)

// Every tile shape (rows, vecs) the loops below make: full tiles and the shorter last ones.
#define EACH_TILE_SHAPE(X) \
  X(1, 4) X(2, 4) X(3, 4) X(4, 4) X(5, 4) X(6, 4) \
  X(1, 3) X(2, 3) X(3, 3) X(4, 3) X(5, 3) X(6, 3) X(7, 3) X(8, 3) \
  X(1, 2) X(2, 2) X(3, 2) X(4, 2) X(5, 2) X(6, 2) X(7, 2) X(8, 2) X(9, 2) X(10, 2) X(11, 2) X(12, 2) \
  X(1, 1) X(2, 1) X(3, 1) X(4, 1) X(5, 1) X(6, 1) X(7, 1) X(8, 1) X(9, 1) X(10, 1) X(11, 1) X(12, 1)

// One case per (rows, vecs), both layouts of A. The dispatch stays in this one function: with the
// tiles behind separate functions GCC 12 kept the accumulators on the stack (84 GFLOP/s, not 245).
#define TILE(r, v)                                                                         \
  case (v) * 16 + (r):                                                                     \
    if (trans_a)                                                                           \
      tile(r, v, A_TRANSPOSED, k, ai, lda, NULL, 0, bj, ldbj, NULL, ci, ldc, last, accumulate); \
    else                                                                                   \
      tile(r, v, A_ROWS, k, ai, lda, NULL, 0, bj, ldbj, NULL, ci, ldc, last, accumulate);       \
    break;

// A wide B's 64-column panels are copied into contiguous rows first: read in place at a stride of
// ldb floats (4 KiB at N = 1024), the panel's rows fall into a few cache sets and evict each other.
#define PACK_MIN_LDB 128
#define PACK_MIN_ROWS 48
static __thread float *panel;
static __thread size_t panel_floats;

static const float *packed_panel(const float *b, size_t ldb, size_t k, size_t w) {
  if (panel_floats < k * 64) {
    free(panel);
    panel_floats = k * 64;
    panel = aligned_alloc(64, panel_floats * sizeof(float));
    if (panel == NULL) abort();  // tfjs cannot recover from a failed allocation either
  }
  for (size_t p = 0; p < k; p++) memcpy(panel + p * 64, b + p * ldb, w * sizeof(float));
  return panel;
}

// Columns [j, j + 64) of B as the tiles read them: their width, the tile shape for it, the mask of the
// last vector, and where the rows are (in place, or copied into a contiguous panel when B is wide).
typedef struct {
  const float *b;
  size_t ldb;
  int vecs, rows_per_tile;
  __mmask16 last;
} column_panel;

static column_panel panel_at(const float *b, size_t ldb, size_t k, size_t n, size_t j, size_t m) {
  const size_t w = n - j < 64 ? n - j : 64;
  const int pack = ldb >= PACK_MIN_LDB && m >= PACK_MIN_ROWS, vecs = (int)((w + 15) / 16);
  const column_panel p = {pack ? packed_panel(b + j, ldb, k, w) : b + j, pack ? 64 : ldb, vecs, TILE_ROWS(vecs),
                          (__mmask16)(w % 16 != 0 ? (1u << (w % 16)) - 1 : 0xffffu)};
  return p;
}

__attribute__((target("avx512f"))) void scm_sgemm_avx512(int trans_a, size_t m, size_t n, size_t k,
                                                         const float *a, size_t lda, const float *b,
                                                         size_t ldb, int accumulate, float *c, size_t ldc) {
  for (size_t j = 0; j < n; j += 64) {
    const column_panel cp = panel_at(b, ldb, k, n, j, m);
    const float *bj = cp.b;
    const size_t ldbj = cp.ldb;
    const __mmask16 last = cp.last;
    for (size_t i = 0; i < m; i += (size_t)cp.rows_per_tile) {
      const int rows = m - i < (size_t)cp.rows_per_tile ? (int)(m - i) : cp.rows_per_tile;
      const float *ai = trans_a ? a + i : a + i * lda;
      float *ci = c + i * ldc + j;
      switch (cp.vecs * 16 + rows) {
        EACH_TILE_SHAPE(TILE)
      }
    }
  }
}
#undef TILE

// One case per (rows, vecs) of a gathered tile.
#define GATHER(r, v)                                                                                       \
  case (v) * 16 + (r):                                                                                     \
    tile(r, v, A_GATHERED, k, NULL, 0, rowp, g->in_c, bj, ldbj, bias_j, y + (m0 + i) * o + j, o, last, 0);  \
    break;

__attribute__((target("avx512f"))) void scm_conv_rows_avx512(const scm_conv_geom *g, const float *x,
                                                             const float *w, const float *bias,
                                                             const float *zeros, size_t m0, size_t n,
                                                             float *y) {
  const size_t fw = g->filter_w, taps = g->filter_h * fw, k = taps * g->in_c, o = g->out_c;
  const size_t plane = g->out_h * g->out_w;
  const float *rowp[12 * taps];  // per tap, per row of the tile: its in_c input values, or zeros
  long offset[taps];              // per tap: its patch row's offset from the window's corner, in floats
  for (size_t t = 0; t < taps; t++)
    offset[t] = (long)((((t / fw) * g->dilation_h) * g->in_w + (t % fw) * g->dilation_w) * g->in_c);
  const long reach_h = (long)((g->filter_h - 1) * g->dilation_h), reach_w = (long)((fw - 1) * g->dilation_w);
  for (size_t j = 0; j < o; j += 64) {
    const column_panel cp = panel_at(w, o, k, o, j, n);
    const float *bias_j = bias != NULL ? bias + j : NULL;
    const float *bj = cp.b;
    const size_t ldbj = cp.ldb;
    const __mmask16 last = cp.last;
    for (size_t i = 0; i < n; i += (size_t)cp.rows_per_tile) {
      const int rows = n - i < (size_t)cp.rows_per_tile ? (int)(n - i) : cp.rows_per_tile;
      // The tile's first output pixel, then each next one by stepping (b, oh, ow): no division per row.
      size_t m = m0 + i, b = m / plane, oh = (m % plane) / g->out_w, ow = m % g->out_w;
      for (int r = 0; r < rows; r++) {
        const long ih0 = (long)(oh * g->stride_h) - g->pad_top, iw0 = (long)(ow * g->stride_w) - g->pad_left;
        if (ih0 >= 0 && ih0 + reach_h < (long)g->in_h && iw0 >= 0 && iw0 + reach_w < (long)g->in_w) {
          const float *corner = x + ((b * g->in_h + (size_t)ih0) * g->in_w + (size_t)iw0) * g->in_c;
          for (size_t t = 0; t < taps; t++) rowp[t * (size_t)rows + (size_t)r] = corner + offset[t];
        } else {
          for (size_t t = 0; t < taps; t++) {
            const long ih = ih0 + (long)((t / fw) * g->dilation_h), iw = iw0 + (long)((t % fw) * g->dilation_w);
            const int inside = ih >= 0 && ih < (long)g->in_h && iw >= 0 && iw < (long)g->in_w;
            rowp[t * (size_t)rows + (size_t)r] =
                inside ? x + ((b * g->in_h + (size_t)ih) * g->in_w + (size_t)iw) * g->in_c : zeros;
          }
        }
        if (++ow == g->out_w) {
          ow = 0;
          if (++oh == g->out_h) {
            oh = 0;
            b++;
          }
        }
      }
      switch (cp.vecs * 16 + rows) {
        EACH_TILE_SHAPE(GATHER)
      }
    }
  }
}
#undef GATHER

int scm_cpu_has_avx512(void) { return __builtin_cpu_supports("avx512f"); }

#else

void scm_sgemm_avx512(int trans_a, size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                      size_t ldb, int accumulate, float *c, size_t ldc) {
  (void)trans_a, (void)m, (void)n, (void)k, (void)a, (void)lda, (void)b, (void)ldb, (void)accumulate, (void)c,
      (void)ldc;
}
void scm_conv_rows_avx512(const scm_conv_geom *g, const float *x, const float *w, const float *bias,
                          const float *zeros, size_t m0, size_t n, float *y) {
  (void)g, (void)x, (void)w, (void)bias, (void)zeros, (void)m0, (void)n, (void)y;
}
int scm_cpu_has_avx512(void) { return 0; }

#endif
