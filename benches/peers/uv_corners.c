// libuv peer for chapter 7's corners: what the real library does where the book's loop had to
// choose. Three questions, one answer line each:
//   1. Two handles of one kind, started A then B: which runs first? (And after A restarts?)
//   2. uv_timer_again on a timer that was never started.
//   3. A loop with nothing but a check handle: does it turn, or block in the poll phase?
// Build: gcc -O2 -o /tmp/uv_corners benches/peers/uv_corners.c -luv && /tmp/uv_corners
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

static char order[128];

static void note(const char *who) {
  if (order[0] != '\0') strcat(order, ", ");
  strcat(order, who);
}
static void on_idle(uv_idle_t *h) { note(h->data); }
static void on_prepare(uv_prepare_t *h) { note(h->data); }
static void on_check(uv_check_t *h) { note(h->data); }

static void handle_order(uv_loop_t *loop) {
  uv_idle_t ia, ib;
  uv_prepare_t pa, pb;
  uv_check_t ca, cb;
  uv_idle_init(loop, &ia), ia.data = "idle A";
  uv_idle_init(loop, &ib), ib.data = "idle B";
  uv_prepare_init(loop, &pa), pa.data = "prepare A";
  uv_prepare_init(loop, &pb), pb.data = "prepare B";
  uv_check_init(loop, &ca), ca.data = "check A";
  uv_check_init(loop, &cb), cb.data = "check B";
  uv_idle_start(&ia, on_idle), uv_idle_start(&ib, on_idle);
  uv_prepare_start(&pa, on_prepare), uv_prepare_start(&pb, on_prepare);
  uv_check_start(&ca, on_check), uv_check_start(&cb, on_check);
  uv_run(loop, UV_RUN_NOWAIT);
  printf("1. started A then B, one turn runs: %s\n", order);
  order[0] = '\0';
  uv_prepare_stop(&pa);
  uv_prepare_start(&pa, on_prepare);
  uv_run(loop, UV_RUN_NOWAIT);
  printf("   after prepare A is stopped and started again: %s\n", order);
  uv_close((uv_handle_t *)&ia, NULL), uv_close((uv_handle_t *)&ib, NULL);
  uv_close((uv_handle_t *)&pa, NULL), uv_close((uv_handle_t *)&pb, NULL);
  uv_close((uv_handle_t *)&ca, NULL), uv_close((uv_handle_t *)&cb, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
}

static void timer_again(uv_loop_t *loop) {
  uv_timer_t t;
  uv_timer_init(loop, &t);
  uv_timer_set_repeat(&t, 5);
  int r = uv_timer_again(&t);
  printf("2. uv_timer_again on a timer never started (repeat 5 ms): %d (%s)\n", r,
         r ? uv_err_name(r) : "ok");
  uv_close((uv_handle_t *)&t, NULL);
  uv_run(loop, UV_RUN_DEFAULT);
}

static volatile sig_atomic_t checks;
static void on_lone_check(uv_check_t *h) {
  if (++checks == 5) uv_check_stop(h);
}
static void on_alarm(int sig) {
  (void)sig;
  _exit(checks == 0 ? 3 : 4);
}

// In a child process, so that a loop that blocks for ever can be given up after a second.
static void lone_check(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    uv_loop_t loop;
    uv_check_t c;
    signal(SIGALRM, on_alarm);
    alarm(1);
    uv_loop_init(&loop);
    uv_check_init(&loop, &c);
    uv_check_start(&c, on_lone_check);
    uv_run(&loop, UV_RUN_DEFAULT);
    _exit(checks == 5 ? 0 : 5);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (code == 0)
    printf("3. a loop with only a check handle turned 5 times and stopped\n");
  else if (code == 3)
    printf("3. a loop with only a check handle still blocked in the poll phase after 1 s: "
           "its callback never ran\n");
  else
    printf("3. a loop with only a check handle: unexpected outcome (status %d)\n", code);
}

int main(void) {
  printf("libuv %s\n", uv_version_string());
  uv_loop_t *loop = uv_default_loop();
  handle_order(loop);
  timer_again(loop);
  lone_check();
  return 0;
}
