// Fixed-size pthread pool, one job at a time. A job is a list of chunks; the caller and the workers
// claim chunks under the lock until none are left, and the caller then waits only for chunks already
// claimed. Workers sleep on a condition variable between jobs.
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#define MAX_THREADS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;  // guards everything below
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;    // a new job (generation) is posted
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;    // the job's last chunk finished
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;  // one job at a time
static int wanted = 0;                                     // threads requested (0 = not yet set)
static int started = 0;                                    // worker threads running
static unsigned long generation = 0;
static pool_fn job_fn;
static void *job_ctx;
static size_t job_n, job_chunks, next_chunk, finished;
static int job_threads;  // thread ids that may take chunks of the current job

int pool_cpu_count(void) {
#ifdef __linux__
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    int c = CPU_COUNT(&set);
    if (c > 0) return c;
  }
#endif
  long c = sysconf(_SC_NPROCESSORS_ONLN);
  return c > 0 ? (int)c : 1;
}

int pool_threads(void) {
  if (wanted == 0) {
    int c = pool_cpu_count();
    wanted = c < MAX_THREADS ? c : MAX_THREADS;
  }
  return wanted;
}

void pool_set_threads(int n) {
  pthread_mutex_lock(&busy);
  wanted = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
  pthread_mutex_unlock(&busy);
}

// Claims and runs chunks of the current job until none are left; called with `lock` held, returns
// with it held.
static void run_chunks(int thread) {
  while (next_chunk < job_chunks) {
    size_t c = next_chunk++;
    pool_fn fn = job_fn;
    void *ctx = job_ctx;
    size_t b = job_n * c / job_chunks, e = job_n * (c + 1) / job_chunks;
    pthread_mutex_unlock(&lock);
    fn(ctx, thread, b, e);
    pthread_mutex_lock(&lock);
    if (++finished == job_chunks) pthread_cond_signal(&done);
  }
}

static void *worker(void *arg) {
  int id = (int)(size_t)arg;
  unsigned long seen = 0;
  pthread_mutex_lock(&lock);
  for (;;) {
    while (generation == seen) pthread_cond_wait(&wake, &lock);
    seen = generation;
    // A worker woken after the job ended finds no chunk left and never touches its context.
    if (id < job_threads) run_chunks(id);
  }
  return NULL;
}

void pool_for_chunks_upto(size_t n, size_t chunks, int max_threads, pool_fn fn, void *ctx) {
  if (n == 0) return;
  if (chunks > n) chunks = n;
  if (chunks <= 1 || max_threads <= 1 || pool_threads() == 1 || pthread_mutex_trylock(&busy) != 0) {
    fn(ctx, 0, 0, n);
    return;
  }
  const int threads = wanted < max_threads ? wanted : max_threads;
  pthread_mutex_lock(&lock);
  while (started < threads - 1) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&t, &attr, worker, (void *)(size_t)(started + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    started++;
  }
  job_fn = fn;
  job_ctx = ctx;
  job_n = n;
  job_chunks = chunks;
  job_threads = threads;
  next_chunk = 0;
  finished = 0;
  generation++;
  pthread_cond_broadcast(&wake);
  run_chunks(0);
  while (finished < job_chunks) pthread_cond_wait(&done, &lock);
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&busy);
}

void pool_for_chunks(size_t n, size_t chunks, pool_fn fn, void *ctx) {
  pool_for_chunks_upto(n, chunks, MAX_THREADS, fn, ctx);
}

void pool_for(size_t n, size_t grain, pool_fn fn, void *ctx) {
  if (grain < 1) grain = 1;
  size_t chunks = n / grain, cap = 4 * (size_t)pool_threads();
  pool_for_chunks(n, chunks < cap ? chunks : cap, fn, ctx);
}
