// libuv peer of `cargo run --release --bin bench-pool` (chapter 9), printing the same words:
// (1) round trip: uv_queue_work one request at a time, each after_work queues the next;
// (2) throughput: N no-op requests queued at once; N requests of 20 us busy work;
// (3) coalescing: 1M uv_async_send from another thread, callbacks counted.
// libuv reads its pool size once per process: run it with UV_THREADPOOL_SIZE=1, 2 and 4.
// ROUND_TRIPS, NOOPS, BUSY and SENDS in the environment change the counts (0 skips that part).
// Build: gcc -O2 -o /tmp/uv_queue_work benches/peers/uv_queue_work.c -luv
#include <uv.h>
#include <stdio.h>
#include <stdlib.h>

static long ROUND_TRIPS = 100000, NOOPS = 1000000, BUSY = 20000, SENDS = 1000000;

static long count_from_env(const char *name, long fallback) {
  const char *value = getenv(name);
  return value ? atol(value) : fallback;
}

static long left;
static uv_work_t one;

static void noop_work(uv_work_t *req) { (void)req; }

static void busy_work(uv_work_t *req) {
  (void)req;
  uint64_t end = uv_hrtime() + 20000; // 20 us
  while (uv_hrtime() < end) {
  }
}

static void after_round_trip(uv_work_t *req, int status) {
  (void)status;
  if (--left > 0) uv_queue_work(req->loop, req, noop_work, after_round_trip);
}

static void after_count(uv_work_t *req, int status) {
  (void)req;
  (void)status;
  --left;
}

static double throughput(uv_loop_t *loop, long n, uv_work_cb work) {
  uv_work_t *reqs = malloc(sizeof(uv_work_t) * n);
  left = n;
  uint64_t t0 = uv_hrtime();
  for (long i = 0; i < n; i++) uv_queue_work(loop, &reqs[i], work, after_count);
  uv_run(loop, UV_RUN_DEFAULT);
  double ns = (double)(uv_hrtime() - t0) / n;
  free(reqs);
  if (left != 0) fprintf(stderr, "not every request completed\n");
  return ns;
}

static uv_async_t async_handle;
static volatile int finished;
static long callbacks;

static void on_async(uv_async_t *h) {
  callbacks++;
  if (finished) uv_close((uv_handle_t *)h, NULL);
}

static void sender(void *arg) {
  (void)arg;
  for (long i = 0; i < SENDS; i++) uv_async_send(&async_handle);
  __atomic_store_n(&finished, 1, __ATOMIC_SEQ_CST);
  uv_async_send(&async_handle);
}

int main(void) {
  uv_loop_t *loop = uv_default_loop();
  const char *size = getenv("UV_THREADPOOL_SIZE");
  int threads = size ? atoi(size) : 4;
  ROUND_TRIPS = count_from_env("ROUND_TRIPS", ROUND_TRIPS);
  NOOPS = count_from_env("NOOPS", NOOPS);
  BUSY = count_from_env("BUSY", BUSY);
  SENDS = count_from_env("SENDS", SENDS);

  if (ROUND_TRIPS > 0) {
    left = ROUND_TRIPS;
    uint64_t t0 = uv_hrtime();
    uv_queue_work(loop, &one, noop_work, after_round_trip);
    uv_run(loop, UV_RUN_DEFAULT);
    printf("pool round trip (queue_work -> after_work, one at a time), %d threads: %.0f ns per request\n",
           threads, (double)(uv_hrtime() - t0) / ROUND_TRIPS);
  }
  if (NOOPS > 0)
    printf("pool throughput, %ld no-op requests queued at once, %d threads: %.0f ns per request\n", NOOPS,
           threads, throughput(loop, NOOPS, noop_work));
  if (BUSY > 0)
    printf("pool throughput, %ld requests of 20 us busy work, %d threads: %.2f us per request\n", BUSY,
           threads, throughput(loop, BUSY, busy_work) / 1000.0);

  if (SENDS > 0) {
    uv_async_init(loop, &async_handle, on_async);
    uv_thread_t thread;
    uint64_t t0 = uv_hrtime();
    uv_thread_create(&thread, sender, NULL);
    uv_run(loop, UV_RUN_DEFAULT);
    double ns = (double)(uv_hrtime() - t0) / (SENDS + 1);
    uv_thread_join(&thread);
    printf("async send x %ld from another thread (libuv): %ld callbacks, %.1f ns per send\n", SENDS + 1,
           callbacks, ns);
  }
  return 0;
}
