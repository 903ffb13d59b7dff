//! Every exercise, in the order the book sets them.

/// One exercise: where it lives, which tests judge it, where the book explains it.
pub struct Exercise {
    /// Short id, `chNN.M`.
    pub id: &'static str,
    /// What the exercise asks, in a few words.
    pub title: &'static str,
    /// The module under `exercises/src/` and, with the same name, the test file under
    /// `exercises/tests/`.
    pub module: &'static str,
    /// The function to complete.
    pub function: &'static str,
    /// The test-name filter that selects this exercise's tests: `chNN::name::`, its chapter
    /// module and its own test module in the shared test file.
    pub tests: &'static str,
    /// The book page (under `book/src/`) that explains it.
    pub page: &'static str,
    /// A nudge for when you are stuck.
    pub hint: &'static str,
}

/// All exercises, in the book's order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        id: "ch01.1",
        title: "write all of a buffer, through short writes and EINTR",
        module: "ch01_loop",
        function: "write_all",
        tests: "ch01::write_all::",
        page: "ch01-loop.md#exercises",
        hint: "Keep a slice `rest` of what is left. `net::write(fd, rest)` returns Ok(n): move the \
               slice on with `rest = &rest[n..]`. Loop while it is not empty; `continue` on \
               ErrorKind::Interrupted; `return Err(e)` on anything else.",
    },
    Exercise {
        id: "ch01.2",
        title: "echo a connection until end of file",
        module: "ch01_loop",
        function: "echo",
        tests: "ch01::echo::",
        page: "ch01-loop.md#exercises",
        hint: "`match net::read(conn, &mut buf)` with four arms: Ok(0) is end of file, Ok(n) means \
               `write_all(conn, &buf[..n])?` and add n, Err(e) with ErrorKind::Interrupted asks \
               should_stop(), and any other Err is returned.",
    },
    Exercise {
        id: "ch02.1",
        title: "one non-blocking read: data, nothing now, or end of file",
        module: "ch02_nonblocking",
        function: "try_read",
        tests: "ch02::try_read::",
        page: "ch02-nonblocking.md#exercises",
        hint: "One `match net::read(fd, buf)`: Ok(0) is Eof, Ok(n) is Data(n), an error whose \
               kind() is WouldBlock or Interrupted is Nothing, any other error is returned.",
    },
    Exercise {
        id: "ch02.2",
        title: "flush a pending-output buffer after a short write",
        module: "ch02_nonblocking",
        function: "flush_pending",
        tests: "ch02::flush_pending::",
        page: "ch02-nonblocking.md#exercises",
        hint: "Count `written` from 0. Loop: if written == pending.len() you are done (All); \
               otherwise write &pending[written..] and add what it took. WouldBlock means \
               stop (Partly). After the loop, `pending.drain(..written)` keeps only the tail.",
    },
    Exercise {
        id: "ch03.1",
        title: "find an fd's word and bit in the fd_set bitmap",
        module: "ch03_select",
        function: "locate",
        tests: "ch03::locate::",
        page: "ch03-select.md#exercises",
        hint: "usize::try_from(fd).ok()? turns a negative fd into None; then fd / 64 picks the word and 1 << (fd % 64) the bit. Check fd < FD_SETSIZE before anything else.",
    },
    Exercise {
        id: "ch03.2",
        title: "rebuild the read and write sets from the client table",
        module: "ch03_select",
        function: "build_sets",
        tests: "ch03::build_sets::",
        page: "ch03-select.md#exercises",
        hint: "Start from FdSet::new() twice. Every client goes in the read set; only one with pending > 0 in the write set. Keep the largest fd as you go: nfds is that plus one. `?` passes FdTooLarge up.",
    },
    Exercise {
        id: "ch04.1",
        title: "register a callback: reuse a free slot, hand out a token with its generation",
        module: "ch04_registry",
        function: "MiniLoop::register",
        tests: "ch04::register::",
        page: "ch04-registry.md#exercises",
        hint: "self.free.pop() gives a reusable index; otherwise push a Slot with generation 0 and use slots.len() - 1. Do not bump the generation here: deregister already did, so the new token differs from the old one.",
    },
    Exercise {
        id: "ch04.2",
        title: "dispatch a batch of ready tokens while callbacks change the registry",
        module: "ch04_registry",
        function: "MiniLoop::dispatch",
        tests: "ch04::dispatch::",
        page: "ch04-registry.md#exercises",
        hint: "Check is_registered(token) right before each call, not once up front. `let Some(mut cb) = self.slots[i].callback.take() else { continue }`, call cb(self, token), then put it back only if is_registered(token) still holds and the slot's callback is still None.",
    },
    Exercise {
        id: "ch05.1",
        title: "turn the nearest deadline into a poll timeout",
        module: "ch05_timers",
        function: "poll_timeout_ms",
        tests: "ch05::poll_timeout_ms::",
        page: "ch05-timers.md#exercises",
        hint: "No deadline: -1. Otherwise deadline.saturating_duration_since(now) is zero when due; as_nanos().div_ceil(1_000_000) rounds up; c_int::try_from(..).unwrap_or(c_int::MAX) clamps.",
    },
    Exercise {
        id: "ch05.2",
        title: "fire one timer: once, or re-armed before its callback",
        module: "ch05_timers",
        function: "fire",
        tests: "ch05::fire::",
        page: "ch05-timers.md#exercises",
        hint: "The callback borrows the timers, so take() it out of the Timer first. An interval gets timers.heap.push(deadline_after(timers.now, period), id) stored in its entry; a timeout is removed. After the call, put the callback back only if timers.timers still has the id.",
    },
    Exercise {
        id: "ch05.3",
        title: "the timers phase: due timers in order, none started during it",
        module: "ch05_timers",
        function: "run_timers",
        tests: "ch05::run_timers::",
        page: "ch05-timers.md#exercises",
        hint: "let limit = timers.heap.next_id(); before the loop, not inside it. Then while let Some((_, id)) = timers.heap.pop_due(timers.now, limit) { fire(timers, id) } and count.",
    },
    Exercise {
        id: "ch06.1",
        title: "the epoll_ctl operation for an interest change",
        module: "ch06_pollers",
        function: "ctl_op",
        tests: "ch06::ctl_op::",
        page: "ch06-pollers.md#exercises",
        hint: "First map an interest with neither readable nor writable to None, then match on \
               the pair (old, new): four cases, plus a guard for old == new.",
    },
    Exercise {
        id: "ch06.2",
        title: "an interest change as a kqueue changelist",
        module: "ch06_pollers",
        function: "changelist",
        tests: "ch06::changelist::",
        page: "ch06-pollers.md#exercises",
        hint: "Loop over [(Filter::Read, old.readable, new.readable), (Filter::Write, \
               old.writable, new.writable)]: wanted means Add; watched but not wanted means \
               Delete; neither means skip.",
    },
    Exercise {
        id: "ch06.3",
        title: "drain an edge-triggered fd to EAGAIN",
        module: "ch06_pollers",
        function: "drain",
        tests: "ch06::drain::",
        page: "ch06-pollers.md#exercises",
        hint: "A `loop` with a `match` on net::read: Ok(0) ends with eof, Ok(n) appends, \
               WouldBlock ends, Interrupted continues, anything else is returned.",
    },
    Exercise {
        id: "ch07.1",
        title: "the poll timeout rules",
        module: "ch07_phases",
        function: "poll_timeout",
        tests: "ch07::poll_timeout::",
        page: "ch07-phases.md#exercises",
        hint: "Check the five reasons not to block first (stopping, nothing active, idle, pending, closing); then no deadline means -1; otherwise ceil the nanoseconds left to milliseconds with div_ceil and clamp with i32::try_from.",
    },
    Exercise {
        id: "ch07.2",
        title: "one run that reads like uv_run",
        module: "ch07_phases",
        function: "run",
        tests: "ch07::run::",
        page: "ch07-phases.md#exercises",
        hint: "Write the phases in order as one named call each: pending, idle, prepare, poll, pending again (while any, at most 8), check, closing, update_time, timers. Default mode runs timers once before the loop; Once may block only if nothing is pending and no idle handle is active.",
    },
    Exercise {
        id: "ch08.1",
        title: "drain nextTicks, then microtasks, until both are empty",
        module: "ch08_ticks",
        function: "run_ticks_and_microtasks",
        tests: "ch08::run_ticks_and_microtasks::",
        page: "ch08-ticks.md#exercises",
        hint: "Two inner while-let loops popping from the front (ticks, then microtasks) inside an outer loop that ends only when the tick queue is still empty after the microtasks ran.",
    },
    Exercise {
        id: "ch08.2",
        title: "one check phase of immediates",
        module: "ch08_ticks",
        function: "process_immediates",
        tests: "ch08::process_immediates::",
        page: "ch08-ticks.md#exercises",
        hint: "Take the whole queue out first (std::mem::take) so immediates queued meanwhile land in a fresh one; run each job, then run_ticks_and_microtasks.",
    },
    Exercise {
        id: "ch09.1",
        title: "a send that coalesces: one flag, one wakeup",
        module: "ch09_threadpool",
        function: "Notifier::send",
        tests: "ch09::send::",
        page: "ch09-threadpool.md#exercises",
        hint: "Two steps. First a cheap `self.pending.load(Ordering::SeqCst)`: if it is true, return Ok(()). Then `if self.pending.swap(true, Ordering::SeqCst) { return Ok(()) }` (someone else won) and finally `self.wakeup.wake()`.",
    },
    Exercise {
        id: "ch09.2",
        title: "the worker loop: wait, pop, run, post",
        module: "ch09_threadpool",
        function: "worker",
        tests: "ch09::worker::",
        page: "ch09-threadpool.md#exercises",
        hint: "Two loops. The inner one, under the lock: `if let Some(job) = state.jobs.pop_front() { break job }`, `if state.stopping { return }`, `state = shared.work_ready.wait(state).unwrap()`. Let the guard drop (end the block) before `(job.work)()`, then push job.id to `shared.done` and call `shared.wakeup.wake()`.",
    },
    Exercise {
        id: "ch09.3",
        title: "the signal handler: one byte, errno untouched",
        module: "ch09_threadpool",
        function: "on_signal",
        tests: "ch09::on_signal::",
        page: "ch09-threadpool.md#exercises",
        hint: "Four lines: `let saved = errno();`, `let fd = SIGNAL_PIPE.load(Ordering::SeqCst);`, an `unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) }` with `let byte = signum as u8;`, and `set_errno(saved);`. Ignore write's result.",
    },
    Exercise {
        id: "ch10.1",
        title: "answer every complete pipelined request in one batch",
        module: "ch10_server",
        function: "answer_all",
        tests: "ch10::answer_all::",
        page: "ch10-server.md#exercises",
        hint: "A loop around `match parse_head(&input[used..], &limits)`. Ok(Some(head)): used += \
               head.len, respond, and return early if !head.keep_alive. Ok(None): return. \
               Err(_): respond_bad_request, used = input.len(), close.",
    },
    Exercise {
        id: "ch10.2",
        title: "the watermarks: stop reading above high, start again at low",
        module: "ch10_server",
        function: "should_read",
        tests: "ch10::should_read::",
        page: "ch10-server.md#exercises",
        hint: "Two thresholds, chosen by the current state: `if reading { queued <= high } else \
               { queued <= low }`. The gap between them is what stops the flapping.",
    },
    Exercise {
        id: "ch10.3",
        title: "an idle timeout on chapter 7's timers, re-armed lazily",
        module: "ch10_server",
        function: "on_idle_timer",
        tests: "ch10::idle_timeout::",
        page: "ch10-server.md#exercises",
        hint: "Compute the deadline from last_active. Past it: record closed_at and lp.close the \
               timer. Not yet: count the re-arm and lp.timer_start(timer, deadline - now, \
               Duration::ZERO, move |lp, t| on_idle_timer(lp, t, idle)).",
    },
];
