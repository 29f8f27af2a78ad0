// Matrix products. The BLAS runs single-threaded and the pool splits the work: one set of threads
// for GEMM and the element-wise loops around it, instead of OpenBLAS's spinning workers competing
// with the pool's on a small machine.
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "kernels.h"
#include "pool.h"

// Below ~2 MFLOP a second thread costs more than it saves.
#define GEMM_GRAIN_FLOPS ((double)(1 << 21))

static int ld(size_t v) { return (int)(v > 0 ? v : 1); }

// 1 where single-threaded products run gemm_avx512.c's kernel (an AVX-512 CPU, unless
// SCM_NATIVE_GEMM=blas), 0 where they run the BLAS; set once at module load.
static int own_kernel;

const char *scm_gemm_init(void) {
  const char *choice = getenv("SCM_NATIVE_GEMM");
  own_kernel = scm_cpu_has_avx512() && (choice == NULL || strcmp(choice, "blas") != 0);
  return own_kernel ? "avx512" : "blas";
}

int scm_gemm_is_avx512(void) { return own_kernel; }

void scm_sgemm1(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a,
                size_t lda, const float *b, size_t ldb, float beta, float *c, size_t ldc) {
  if (m == 0 || n == 0) return;
  if (own_kernel && k > 0 && !trans_b && alpha == 1.0f && (beta == 0.0f || beta == 1.0f)) {
    scm_sgemm_avx512(trans_a, m, n, k, a, lda, b, ldb, beta == 1.0f, c, ldc);
    return;
  }
  if (k == 0) {
    // An empty inner dimension sums nothing; not every BLAS accepts k = 0.
    for (size_t i = 0; i < m; i++)
      for (size_t j = 0; j < n; j++) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
    return;
  }
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m,
              (int)n, (int)k, alpha, a, ld(lda), b, ld(ldb), beta, c, ld(ldc));
}

typedef struct {
  int trans_a, trans_b;
  size_t m, n, k, lda, ldb, ldc;
  float alpha, beta;
  const float *a, *b;
  float *c;
  int by_rows;
} gemm_job;

// Part of C: a band of rows (op(A) rows) or, when C is short and wide, a band of columns.
static void gemm_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const gemm_job *j = ctx;
  if (j->by_rows) {
    const float *a = j->a + (j->trans_a ? begin : begin * j->lda);
    scm_sgemm1(j->trans_a, j->trans_b, end - begin, j->n, j->k, j->alpha, a, j->lda, j->b, j->ldb, j->beta,
               j->c + begin * j->ldc, j->ldc);
  } else {
    const float *b = j->b + (j->trans_b ? begin * j->ldb : begin);
    scm_sgemm1(j->trans_a, j->trans_b, j->m, end - begin, j->k, j->alpha, j->a, j->lda, b, j->ldb, j->beta,
               j->c + begin, j->ldc);
  }
}

void scm_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, float alpha, const float *a, size_t lda,
               const float *b, size_t ldb, float beta, float *c, size_t ldc) {
  const double flops = 2.0 * (double)m * (double)n * (double)k;
  const int parts = flops < 2 * GEMM_GRAIN_FLOPS ? 1 : pool_threads();
  gemm_job j = {trans_a, trans_b, m, n, k, lda, ldb, ldc, alpha, beta, a, b, c, m >= n || m >= 64 * (size_t)parts};
  // Bands of at least 16 rows (columns) keep the BLAS's micro-kernels full.
  size_t extent = j.by_rows ? m : n;
  int p = parts;
  if ((size_t)p > extent / 16) p = (int)(extent / 16);
  pool_for_chunks(extent, p < 1 ? 1 : (size_t)p, gemm_part, &j);
}

typedef struct {
  const float *a, *b;
  float *out;
  size_t batch_a, batch_b, m, n, k;
  int trans_a, trans_b;
} batch_job;

static void batch_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const batch_job *j = ctx;
  for (size_t i = begin; i < end; i++) {
    scm_sgemm1(j->trans_a, j->trans_b, j->m, j->n, j->k, 1.0f, j->a + (i % j->batch_a) * j->m * j->k,
               j->trans_a ? j->m : j->k, j->b + (i % j->batch_b) * j->k * j->n, j->trans_b ? j->k : j->n, 0.0f,
               j->out + i * j->m * j->n, j->n);
  }
}

void scm_matmul(const float *a, const float *b, float *out, size_t batch_a, size_t batch_b, size_t m,
                size_t n, size_t k, int trans_a, int trans_b) {
  const size_t batch = batch_a > batch_b ? batch_a : batch_b;
  if (batch == 1) {
    scm_sgemm(trans_a, trans_b, m, n, k, 1.0f, a, trans_a ? m : k, b, trans_b ? k : n, 0.0f, out, n);
    return;
  }
  const double flops = 2.0 * (double)m * (double)n * (double)k;
  if (batch < 4 * (size_t)pool_threads() && flops >= 4 * GEMM_GRAIN_FLOPS) {
    // A few large products: split each one, so an odd count does not leave a thread idle.
    for (size_t i = 0; i < batch; i++) {
      scm_sgemm(trans_a, trans_b, m, n, k, 1.0f, a + (i % batch_a) * m * k, trans_a ? m : k,
                b + (i % batch_b) * k * n, trans_b ? k : n, 0.0f, out + i * m * n, n);
    }
    return;
  }
  // Many products: whole products per thread.
  batch_job j = {a, b, out, batch_a, batch_b, m, n, k, trans_a, trans_b};
  size_t grain = flops >= GEMM_GRAIN_FLOPS ? 1 : (size_t)(GEMM_GRAIN_FLOPS / (flops + 1.0)) + 1;
  pool_for(batch, grain, batch_part, &j);
}
