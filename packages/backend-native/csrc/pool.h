// A small fixed pool of worker threads for every kernel (GEMM bands, im2col chunks, element-wise
// and reduction loops). Work is cut into chunks that threads claim as they come, so on a busy
// machine a worker the scheduler has not run yet delays nothing: the caller takes its chunks.
#ifndef SCM_POOL_H
#define SCM_POOL_H

#include <stddef.h>

// fn(ctx, thread, begin, end) runs on disjoint ranges covering [0, n); `thread` (0 = the caller,
// below pool_threads()) identifies the thread for per-thread scratch, and one thread may run several
// ranges. Calls from a second thread while the pool is busy (Node worker threads) run serially.
typedef void (*pool_fn)(void *ctx, int thread, size_t begin, size_t end);

// Element-wise loops: below this many elements a second thread costs more than it saves.
#define POOL_GRAIN ((size_t)1 << 14)

// Splits [0, n) into up to four chunks per thread of at least `grain` items each.
void pool_for(size_t n, size_t grain, pool_fn fn, void *ctx);
// Splits [0, n) into exactly min(chunks, n) near-equal chunks.
void pool_for_chunks(size_t n, size_t chunks, pool_fn fn, void *ctx);
// The same on at most `threads` threads: per-thread scratch sized before the call stays in bounds
// even if another Node thread changes the thread count meanwhile.
void pool_for_chunks_upto(size_t n, size_t chunks, int threads, pool_fn fn, void *ctx);

// Threads used by pool_for (1 = everything on the calling thread); per-thread scratch needs this many.
int pool_threads(void);
// Sets the thread count (clamped to [1, 64]); workers start lazily.
void pool_set_threads(int n);
// The number of CPUs this process may run on.
int pool_cpu_count(void);

#endif
