// Dropout masks from @scm/backend's Rng (rng.ts: xoshiro128**, Blackman & Vigna 2018) bit for bit:
// the stream, the uniform u = next·2⁻³², its rounding to float32, the test u < rate and the kept value
// (float)(1/(1 − rate)) are those of @scm/jvp's dropoutMask, so a network draws the same masks on this
// backend as on every other, only ~10× faster than the JavaScript loop. Sequential: one stream.
#include <stdint.h>

#include "kernels.h"

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

void scm_dropout_mask(const uint32_t state[4], double rate, float *out, size_t n) {
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  const float keep = (float)(1.0 / (1.0 - rate));
  for (size_t i = 0; i < n; i++) {
    const uint32_t next = rotl(s1 * 5u, 7) * 9u;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    const float u = (float)((double)next * 0x1p-32);  // Float32Array's rounding of the double uniform
    out[i] = (double)u < rate ? 0.0f : keep;
  }
}
