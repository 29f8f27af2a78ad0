// A small fixed pool of worker threads for the element-wise, reduction and im2col loops. GEMM itself
// is threaded by the BLAS; this pool covers the memory-bound work between GEMMs.
#ifndef SCM_POOL_H
#define SCM_POOL_H

#include <stddef.h>

// Runs fn(ctx, part, begin, end) over [0, n) split into at most pool_threads() contiguous parts of
// at least `grain` items each; the calling thread runs part 0. Calls from a second thread while the
// pool is busy (Node worker threads) run serially instead of waiting.
typedef void (*pool_fn)(void *ctx, int part, size_t begin, size_t end);
void pool_for(size_t n, size_t grain, pool_fn fn, void *ctx);

// How many parts pool_for would split n items of this grain into (for per-part scratch buffers).
int pool_parts(size_t n, size_t grain);
// pool_for with the part count fixed by the caller (at most `parts`; fewer if threads are missing).
void pool_for_parts(size_t n, int parts, pool_fn fn, void *ctx);

// Threads used by pool_for (1 = everything on the calling thread).
int pool_threads(void);
// Sets the thread count (clamped to [1, 64]); workers start lazily.
void pool_set_threads(int n);
// The number of CPUs this process may run on.
int pool_cpu_count(void);

#endif
