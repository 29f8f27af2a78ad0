// One Adam / RAdam update of a parameter in one pass (@scm/losses' optimizer.ts: PyTorch's formulas).
// The composed update is a dozen tfjs kernels per parameter, ~2,800 a step for the MNIST U-Net, each
// a pass over a fresh output; this is one. Every operation is the composed one in float32, in the same
// order and rounded as it is (no fused multiply-add), so the result equals it bit for bit.
#include <math.h>

#include "kernels.h"
#include "pool.h"
#include "simd.h"

typedef struct {
  const float *p, *m, *v, *g;
  float *p_out, *m_out, *v_out;
  const scm_adam_coefficients *k;
} adam_job;

// The moments' update and the new parameter for one of the three rules; UPDATE is the step u.
#define ADAM_LOOP(UPDATE)                                                                      \
  for (size_t i = 0; i < n; i++) {                                                           \
    const float gi = g[i];                                                                   \
    const float mi = m[i] * k->beta1 + gi * k->one_minus_beta1;        /* β₁m + (1 − β₁)g */   \
    const float vi = v[i] * k->beta2 + (gi * gi) * k->one_minus_beta2; /* β₂v + (1 − β₂)g² */  \
    m_out[i] = mi;                                                                           \
    v_out[i] = vi;                                                                           \
    p_out[i] = p[i] - (UPDATE);                                                              \
  }

// Plain arrays and n, not the job struct: GCC 12 did not vectorise the loop reading through the struct.
SCM_CLONES NO_CONTRACT static void adam_run(const float *restrict p, const float *restrict m,
                                            const float *restrict v, const float *restrict g,
                                            float *restrict p_out, float *restrict m_out,
                                            float *restrict v_out, size_t n, const scm_adam_coefficients *k) {
  switch (k->mode) {
    case SCM_ADAM: ADAM_LOOP((mi * k->step) / (sqrtf(vi) / k->sqrt_bc2 + k->epsilon)) break;
    case SCM_RADAM_RECTIFIED: ADAM_LOOP((mi * k->step) / (sqrtf(vi) + k->epsilon)) break;
    default: ADAM_LOOP(mi * k->step) break;
  }
}
#undef ADAM_LOOP

static void adam_part(void *ctx, int thread, size_t begin, size_t end) {
  (void)thread;
  const adam_job *j = ctx;
  adam_run(j->p + begin, j->m + begin, j->v + begin, j->g + begin, j->p_out + begin, j->m_out + begin,
           j->v_out + begin, end - begin, j->k);
}

void scm_adam_step(const float *p, const float *m, const float *v, const float *g, float *p_out, float *m_out,
                   float *v_out, size_t n, const scm_adam_coefficients *k) {
  adam_job j = {p, m, v, g, p_out, m_out, v_out, k};
  pool_for(n, POOL_GRAIN, adam_part, &j);
}
