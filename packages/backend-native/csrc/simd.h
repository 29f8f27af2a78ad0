// Portable vectorisation: hot loops are compiled for AVX-512, AVX2 and baseline x86-64 and the
// loader picks one at run time (GCC function multi-versioning), so the build needs no -march=native.
// Elsewhere (macOS, ARM, clang) they compile once for the default target.
#ifndef SCM_SIMD_H
#define SCM_SIMD_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define SCM_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define SCM_CLONES
#endif

// e^x in float32 with branch-free arithmetic the compiler can vectorise (glibc's expf is a call per
// element). Cephes' range reduction and degree-6 polynomial: within 2 ulp over the normal range;
// overflow gives +inf, deep underflow 0, NaN stays NaN. 2^n is applied as two factors so results in
// the subnormal range come out right too.
static inline float scm_expf(float x) {
  const float hi = 89.0f, lo = -104.0f;
  float v = x > hi ? hi : x;
  v = v < lo ? lo : v;
  // n = round(v / ln 2): adding 1.5·2^23 rounds to an integer in float arithmetic.
  const float shift = 12582912.0f;
  float n = (v * 1.44269504088896341f + shift) - shift;
  float r = v - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t ni = (int32_t)n;
  int32_t n1 = ni / 2, n2 = ni - n1;
  int32_t b1 = (n1 + 127) << 23, b2 = (n2 + 127) << 23;
  float s1, s2;
  memcpy(&s1, &b1, sizeof s1);
  memcpy(&s2, &b2, sizeof s2);
  float y = p * s1 * s2;
  return x != x ? x : y;
}

// GCC contracts a*b + c into one fused multiply-add where the target has one (the AVX-512 and AVX2
// clones); kernels that must round as tfjs's separate Mul and Add kernels do opt out.
#if defined(__GNUC__) && !defined(__clang__)
#define NO_CONTRACT __attribute__((optimize("fp-contract=off")))
#else
#define NO_CONTRACT
#endif

#endif
