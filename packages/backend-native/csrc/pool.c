// Fixed-size pthread pool: one job at a time, workers sleep on a condition variable between jobs.
#define _GNU_SOURCE
#include "pool.h"

#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#define MAX_THREADS 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;      // guards the fields below
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;        // a new job (generation) is posted
static pthread_cond_t done = PTHREAD_COND_INITIALIZER;        // a worker finished its part
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;      // one pool_for at a time
static int wanted = 0;                                         // threads requested (0 = not yet set)
static int started = 0;                                        // worker threads running
static unsigned long generation = 0;
static int pending = 0;                                        // parts not yet finished
static pool_fn job_fn;
static void *job_ctx;
static size_t job_n;
static int job_parts;

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
  if (wanted == 0) wanted = pool_cpu_count() < MAX_THREADS ? pool_cpu_count() : MAX_THREADS;
  return wanted;
}

void pool_set_threads(int n) {
  pthread_mutex_lock(&busy);
  wanted = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
  pthread_mutex_unlock(&busy);
}

static void part_range(int part, size_t *begin, size_t *end) {
  // Contiguous, near-equal parts: part p gets [p·n/P, (p+1)·n/P).
  *begin = job_n * (size_t)part / (size_t)job_parts;
  *end = job_n * (size_t)(part + 1) / (size_t)job_parts;
}

static void *worker(void *arg) {
  int id = (int)(size_t)arg;  // 1-based: part 0 belongs to the caller
  unsigned long seen = 0;
  pthread_mutex_lock(&lock);
  for (;;) {
    while (generation == seen) pthread_cond_wait(&wake, &lock);
    seen = generation;
    if (id < job_parts) {
      pool_fn fn = job_fn;
      void *ctx = job_ctx;
      size_t b, e;
      part_range(id, &b, &e);
      pthread_mutex_unlock(&lock);
      fn(ctx, id, b, e);
      pthread_mutex_lock(&lock);
      if (--pending == 0) pthread_cond_signal(&done);
    }
  }
  return NULL;
}

int pool_parts(size_t n, size_t grain) {
  if (grain < 1) grain = 1;
  size_t parts = n / grain;
  int t = pool_threads();
  if (parts > (size_t)t) parts = (size_t)t;
  return parts < 1 ? 1 : (int)parts;
}

void pool_for(size_t n, size_t grain, pool_fn fn, void *ctx) { pool_for_parts(n, pool_parts(n, grain), fn, ctx); }

void pool_for_parts(size_t n, int parts, pool_fn fn, void *ctx) {
  if (n == 0) return;
  if ((size_t)parts > n) parts = (int)n;
  if (parts <= 1 || pthread_mutex_trylock(&busy) != 0) {
    fn(ctx, 0, 0, n);
    return;
  }
  if (parts > MAX_THREADS) parts = MAX_THREADS;
  pthread_mutex_lock(&lock);
  while (started < parts - 1) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&t, &attr, worker, (void *)(size_t)(started + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    started++;
  }
  if (parts > started + 1) parts = started + 1;
  job_fn = fn;
  job_ctx = ctx;
  job_n = n;
  job_parts = parts;
  pending = parts - 1;
  generation++;
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&lock);

  size_t b, e;
  part_range(0, &b, &e);
  fn(ctx, 0, b, e);

  pthread_mutex_lock(&lock);
  while (pending > 0) pthread_cond_wait(&done, &lock);
  pthread_mutex_unlock(&lock);
  pthread_mutex_unlock(&busy);
}
