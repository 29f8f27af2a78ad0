// The float32 kernels behind the N-API surface (addon.c). All arrays are dense, row-major (NHWC for
// images); callers have checked every length, so nothing here reads or writes out of bounds.
#ifndef SCM_KERNELS_H
#define SCM_KERNELS_H

#include <stddef.h>
#include <stdint.h>

// C = alpha·op(A)·op(B) + beta·C, row-major with leading dimensions; single-threaded.
void scm_sgemm1(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a,
                size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc);
// Chooses the single-threaded GEMM once (SCM_NATIVE_GEMM=blas forces the BLAS); returns "avx512" or
// "blas".
const char *scm_gemm_init(void);
// C = op(A)·B (accumulate = 0) or C += op(A)·B, row-major, on AVX-512 (gemm_avx512.c); callers check
// scm_cpu_has_avx512() first.
void scm_sgemm_avx512(int trans_a, size_t m, size_t n, size_t k, const float *a, size_t lda, const float *b,
                      size_t ldb, int accumulate, float *c, size_t ldc);
int scm_cpu_has_avx512(void);
// The same, split across the pool by bands of rows (or columns when C is wide).
void scm_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
               const float *b, size_t ldb, float beta, float *c, size_t ldc);

// out[i] = op(A[i % batchA]) · op(B[i % batchB]) for i < max(batchA, batchB); A is [M, K] (or
// [K, M] when transA), B is [K, N] (or [N, K] when transB), out is [M, N] per batch entry.
void scm_matmul(const float *a, const float *b, float *out, size_t batch_a, size_t batch_b, size_t m,
                size_t n, size_t k, int trans_a, int trans_b);

// The geometry of one 2-D convolution, NHWC input [B, H, W, C], filter [FH, FW, C, O], output
// [B, OH, OW, O]; pad_top / pad_left as tfjs's computeConv2DInfo resolves them.
typedef struct {
  size_t batch, in_h, in_w, in_c, out_h, out_w, out_c, filter_h, filter_w, stride_h, stride_w,
      dilation_h, dilation_w;
  long pad_top, pad_left;
} scm_conv_geom;

// Output pixels [m0, m0 + n) of a convolution (+ bias [O], or NULL) on AVX-512 without an im2col copy:
// the GEMM reads each patch from x in place (`zeros`: in_c zeros for taps outside the image). The same
// sums in the same order as im2col + scm_sgemm_avx512 (then + bias), so the same bits.
void scm_conv_rows_avx512(const scm_conv_geom *g, const float *x, const float *w, const float *bias,
                          const float *zeros, size_t m0, size_t n, float *y);
// 1 when single-threaded products run on scm_sgemm_avx512 (scm_gemm_init chose "avx512").
int scm_gemm_is_avx512(void);

void scm_conv2d(const scm_conv_geom *g, const float *x, const float *w, const float *bias, float *y);
void scm_conv2d_backprop_input(const scm_conv_geom *g, const float *dy, const float *w, float *dx);
void scm_conv2d_backprop_filter(const scm_conv_geom *g, const float *x, const float *dy, float *dw);

// Average pooling over the geometry's windows (in_c = out_c = channels; filter entries unused):
// y [B, OH, OW, C] from x [B, H, W, C], and its gradient dx from dy.
void scm_avg_pool(const scm_conv_geom *g, const float *x, float *y);
void scm_avg_pool_grad(const scm_conv_geom *g, const float *dy, float *dx);

// Activation codes shared with the TypeScript side (native-addon.ts).
enum { ACT_LINEAR = 0, ACT_RELU, ACT_RELU6, ACT_LEAKYRELU, ACT_SIGMOID, ACT_ELU, ACT_PRELU };
// In place over y = [rows, c]: y = act(y + bias); bias and prelu are length c, or NULL.
void scm_bias_activation(float *y, size_t rows, size_t c, const float *bias, int act, float alpha,
                         const float *prelu, size_t prelu_len);

// Binary ops; shapes are right-aligned and broadcast as in NumPy.
enum { BIN_ADD = 0, BIN_SUB, BIN_MUL, BIN_DIV, BIN_MAX, BIN_MIN, BIN_SQDIFF, BIN_COUNT };
#define SCM_MAX_RANK 8
// out has shape out_shape (rank ≤ SCM_MAX_RANK); a_strides / b_strides are element strides with 0 on
// broadcast dimensions.
void scm_binary(int op, const float *a, const long *a_strides, const float *b, const long *b_strides,
                float *out, const size_t *out_shape, int rank);

enum {
  UN_RELU = 0, UN_RELU6, UN_STEP, UN_SIGMOID, UN_EXP, UN_NEG, UN_SQRT, UN_RSQRT, UN_SQUARE, UN_LOG,
  UN_ABS, UN_ELU, UN_LEAKYRELU, UN_RECIPROCAL, UN_TANH, UN_COUNT
};
void scm_unary(int op, const float *x, float *out, size_t n, float alpha);

enum { RED_SUM = 0, RED_MAX, RED_MIN, RED_COUNT };
// out[a, b] = reduce_r x[a, r, b] · scale (scale applies to sums only).
void scm_reduce(int op, const float *x, float *out, size_t outer, size_t reduced, size_t inner,
                double scale);

// Row-wise softmax over x = [rows, cols].
void scm_softmax(const float *x, float *out, size_t rows, size_t cols);

// Copies the block `size` at src_begin of src (shape src_shape) to dst_begin of dst (shape dst_shape).
void scm_copy_block(const float *src, const size_t *src_shape, const size_t *src_begin, float *dst,
                    const size_t *dst_shape, const size_t *dst_begin, const size_t *size, int rank);

// out = x repeated reps[d] times along each dimension d (tf.tile).
void scm_tile(const float *x, const size_t *shape, const size_t *reps, float *out, int rank);
// out = x with its dimensions permuted: out's dimension k is x's dimension perm[k].
void scm_transpose(const float *x, const size_t *shape, const size_t *perm, float *out, int rank);

// NHWC nearest-neighbour resize x [B, H, W, C] → y [B, OH, OW, C] with tfjs's index rule; scratch
// holds OW entries.
void scm_resize_nearest(const float *x, float *y, size_t batch, size_t in_h, size_t in_w, size_t c, size_t out_h,
                        size_t out_w, int align_corners, int half_pixel, size_t *scratch);
// Its gradient dy [B, OH, OW, C] → dx [B, H, W, C] (tfjs's grad ignores half-pixel centres); scratch
// holds 2·(H + W) entries.
void scm_resize_nearest_grad(const float *dy, float *dx, size_t batch, size_t in_h, size_t in_w, size_t c,
                             size_t out_h, size_t out_w, int align_corners, size_t *scratch);

// out = Σ inputs[i], each of length n.
void scm_add_n(const float *const *inputs, size_t count, float *out, size_t n);

// Fused SiLU: y = x·σ(x); dx = dy·(σ + x·σ·(1 − σ)).
void scm_silu(const float *x, float *y, size_t n);
// A dropout mask of n values from the xoshiro128** state s (rng.ts): 0 where u < rate, else 1/(1 − rate).
void scm_dropout_mask(const uint32_t state[4], double rate, float *out, size_t n);
void scm_silu_grad(const float *x, const float *dy, float *dx, size_t n);
// Standardisation over the N and K axes of x [B, N, G, K]: y = (x − μ)·r, rstd [B, G] = r =
// 1/√(σ² + ε); its gradient dx = r·(dy − mean(dy) − y·mean(dy⊙y)) from dy, y and rstd.
void scm_standardize(const float *x, float *y, float *rstd, size_t b, size_t n, size_t g, size_t k, float eps);
void scm_standardize_grad(const float *dy, const float *y, const float *rstd, float *dx, size_t b, size_t n,
                          size_t g, size_t k);
// Modulation over x [B, N, C] with s, b, s2 each [B, C] or shared [C] (*_shared = 1):
// y = x⊙s (+ x2⊙s2) (+ b), each product rounded before the sums; b, x2/s2 may be NULL.
void scm_scale_shift(const float *x, const float *s, const float *b, const float *x2, const float *s2, float *y,
                     size_t batch, size_t n, size_t c, int s_shared, int b_shared, int s2_shared);
// Its gradient: dx = dy⊙s; ds [B, C] = Σ_N dy⊙x and db [B, C] = Σ_N dy per batch entry (float64 sums).
void scm_scale_shift_grad(const float *dy, const float *x, const float *s, float *dx, float *ds, float *db,
                          size_t batch, size_t n, size_t c, int s_shared);

// One Adam / RAdam update (adam.c): m' = β₁m + (1 − β₁)g, v' = β₂v + (1 − β₂)g², then p' = p − u with
// u = (m'·step) / (√v'/sqrt_bc2 + ε) (SCM_ADAM), (m'·step) / (√v' + ε) (SCM_RADAM_RECTIFIED) or m'·step
// (SCM_RADAM_UNADAPTED); every coefficient a float32, as tfjs's scalar tensors round them.
enum { SCM_ADAM = 0, SCM_RADAM_RECTIFIED = 1, SCM_RADAM_UNADAPTED = 2 };
typedef struct {
  int mode;
  float beta1, one_minus_beta1, beta2, one_minus_beta2, step, sqrt_bc2, epsilon;
} scm_adam_coefficients;
void scm_adam_step(const float *p, const float *m, const float *v, const float *g, float *p_out, float *m_out,
                   float *v_out, size_t n, const scm_adam_coefficients *k);

#endif
