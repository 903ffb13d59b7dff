//! Every exercise, in the order the book sets them.
//!
//! Chapter `chNN`'s exercises are the crate `exercises-chNN` (its manifest is
//! `exercises/crates/chNN/Cargo.toml`): the learner's file `exercises/src/<module>.rs` and the
//! test file `exercises/tests/<module>.rs`, where the tests of one exercise sit under
//! `chNN::<function>::`. Its twin `solutions-chNN` runs the same tests against
//! `solutions/src/<module>.rs`.

/// One exercise: where it lives, which tests judge it, where the book explains it.
pub struct Exercise {
    /// Short id, `chNN.M`. The stub says it first: `todo!("chNN.M: what to do")`.
    pub id: &'static str,
    /// What the exercise asks, in a few words.
    pub title: &'static str,
    /// The file stem shared by the learner's file, the test file and the solution.
    pub module: &'static str,
    /// The function to complete.
    pub function: &'static str,
    /// The test-name prefix that selects this exercise's tests: `chNN::<function>::`.
    pub tests: &'static str,
    /// The book page (under `book/src/`) that explains it.
    pub page: &'static str,
    /// The exercises whose functions this one calls: its tests cannot pass before theirs do.
    pub needs: &'static [&'static str],
    /// Two hints: a nudge, then more (`-- hint ID` twice). Neither is the answer.
    pub hints: [&'static str; 2],
}

impl Exercise {
    /// The chapter, `chNN`.
    pub fn chapter(&self) -> &'static str {
        &self.id[..4]
    }

    /// The chapter's number, for `-- chapter N`.
    pub fn chapter_number(&self) -> u32 {
        self.id[2..4].parse().expect("ids look like chNN.M")
    }

    /// The learner's file, from the repository root.
    pub fn file(&self) -> String {
        format!("exercises/src/{}.rs", self.module)
    }

    /// The command that runs this exercise's tests.
    pub fn test_command(&self) -> String {
        format!("cargo test -p exercises-{} {}", self.chapter(), self.tests)
    }
}

/// The exercise called `id`, if there is one.
pub fn find(id: &str) -> Option<&'static Exercise> {
    EXERCISES.iter().find(|ex| ex.id == id)
}

/// The chapters, in order, each once: `["ch01_loop", "ch02_nonblocking", ...]` (their modules).
pub fn modules() -> Vec<&'static str> {
    let mut modules: Vec<&str> = EXERCISES.iter().map(|ex| ex.module).collect();
    modules.dedup();
    modules
}

/// All exercises, in the book's order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        id: "ch01.1",
        title: "write all of a buffer, through short writes and EINTR, unless told to stop",
        module: "ch01_loop",
        function: "write_all",
        tests: "ch01::write_all::",
        page: "ch01-loop.md#exercises",
        needs: &[],
        hints: [
            "One `write` may take only part of the buffer, or fail with EINTR when a signal \
             arrives before it took anything. What has to happen to the part it did take, and \
             what do you do next?",
            "Loop while something is left: first ask should_stop() (true: return an error of kind \
             `Interrupted`); then keep a slice of what remains and move its start on by what \
             each `net::write` returned. An error of kind `Interrupted` is no failure: go round \
             again, and the check decides. Any other error goes back to the caller.",
        ],
    },
    Exercise {
        id: "ch01.2",
        title: "echo a connection until end of file",
        module: "ch01_loop",
        function: "echo",
        tests: "ch01::echo::",
        page: "ch01-loop.md#exercises",
        needs: &["ch01.1"],
        hints: [
            "`read` answers in three ways: some bytes, zero bytes, an error. Which one means the \
             client hung up? And the doc comment says what EINTR asks of you.",
            "Loop: ask should_stop() before each read; a read of 0 ends with PeerClosed and your \
             count; n bytes go back with your own write_all (exercise ch01.1, given the same \
             should_stop: its `Interrupted` error means Stopped) and add to the count; an \
             `Interrupted` error from read means ask should_stop() again; other errors are \
             returned.",
        ],
    },
    Exercise {
        id: "ch02.1",
        title: "one non-blocking read: data, nothing now, or end of file",
        module: "ch02_nonblocking",
        function: "try_read",
        tests: "ch02::try_read::",
        page: "ch02-nonblocking.md#exercises",
        needs: &[],
        hints: [
            "One call to `net::read`, no loop. The work is naming its result: what does 0 mean on \
             a socket, and which errors only mean \"nothing now\"?",
            "Match on the result: Ok(0), Ok(n), and Err(e) told apart by e.kind(). WouldBlock and \
             Interrupted both mean there is nothing to hand over this time; any other kind is a \
             real error.",
        ],
    },
    Exercise {
        id: "ch02.2",
        title: "flush a pending-output buffer after a short write",
        module: "ch02_nonblocking",
        function: "flush_pending",
        tests: "ch02::flush_pending::",
        page: "ch02-nonblocking.md#exercises",
        needs: &[],
        hints: [
            "Write in a loop, counting what has gone so far. Two things end the loop: nothing \
             left to write, or a socket that takes no more right now.",
            "Each turn writes the bytes from your count to the end and adds what `write` took. \
             WouldBlock ends the loop (Partly); Interrupted is tried again. Only after the loop, \
             remove what went out from the front of the Vec, in one step, so it keeps just the \
             tail.",
        ],
    },
    Exercise {
        id: "ch03.1",
        title: "find an fd's word and bit in the fd_set bitmap",
        module: "ch03_select",
        function: "locate",
        tests: "ch03::locate::",
        page: "ch03-select.md#exercises",
        needs: &[],
        hints: [
            "64 bits to a word: which word holds bit number `fd`, and which bit inside that word? \
             Then deal with the fds that do not fit at all.",
            "A division picks the word and its remainder the bit (a 1 shifted left). Check the \
             range first: a negative fd, or one at FD_SETSIZE or above, gets None \
             (`usize::try_from(fd).ok()?` handles the negative ones).",
        ],
    },
    Exercise {
        id: "ch03.2",
        title: "rebuild the read and write sets from the client table",
        module: "ch03_select",
        function: "build_sets",
        tests: "ch03::build_sets::",
        page: "ch03-select.md#exercises",
        needs: &[],
        hints: [
            "select() wants its sets rebuilt every turn. Which fds go in the read set, which in \
             the write set, and what must nfds be one more than?",
            "Start from two empty FdSets. The listener and every client go in the read set; a \
             client with bytes pending goes in the write set too. Remember the largest fd you \
             insert. `FdSet::insert` returns a Result: `?` passes FdTooLarge up.",
        ],
    },
    Exercise {
        id: "ch04.1",
        title: "register a callback: reuse a free slot, hand out a token with its generation",
        module: "ch04_registry",
        function: "MiniLoop::register",
        tests: "ch04::register::",
        page: "ch04-registry.md#exercises",
        needs: &[],
        hints: [
            "Two cases: a slot on the free list can be reused, or the table grows. Which \
             generation does the token carry in each case?",
            "Pop the free list; if it is empty, push a fresh Slot (generation 0) and use the new \
             last index. Fill the slot (registered, the boxed callback). The token takes the \
             slot's generation as it is now: deregister has already bumped it.",
        ],
    },
    Exercise {
        id: "ch04.2",
        title: "dispatch a batch of ready tokens while callbacks change the registry",
        module: "ch04_registry",
        function: "MiniLoop::dispatch",
        tests: "ch04::dispatch::",
        page: "ch04-registry.md#exercises",
        needs: &[],
        hints: [
            "Any callback may remove or replace any registration, its own included, while the \
             batch runs. So when do you check a token, and where does a callback live while it \
             runs?",
            "For each token: skip it unless it is registered right now; take() the callback out \
             of its slot (calling it needs `&mut self`); call it; count it. Afterwards put it \
             back only if the token is still registered and the slot's callback is still None.",
        ],
    },
    Exercise {
        id: "ch05.1",
        title: "turn the nearest deadline into a poll timeout",
        module: "ch05_timers",
        function: "poll_timeout_ms",
        tests: "ch05::poll_timeout_ms::",
        page: "ch05-timers.md#exercises",
        needs: &[],
        hints: [
            "Three cases: no deadline, a deadline that is due or past, one in the future. For the \
             last, think of a wait of 0.4 ms: what would rounding it down make the loop do?",
            "-1 without a deadline. `saturating_duration_since` gives zero for a past deadline. \
             Round the nanoseconds up to whole milliseconds (`div_ceil`), and clamp what does not \
             fit: `c_int::try_from(..).unwrap_or(c_int::MAX)`.",
        ],
    },
    Exercise {
        id: "ch05.2",
        title: "fire one timer: once, or re-armed before its callback",
        module: "ch05_timers",
        function: "fire",
        tests: "ch05::fire::",
        page: "ch05-timers.md#exercises",
        needs: &[],
        hints: [
            "The callback gets `&mut Timers`, so it cannot stay inside its Timer while it runs. \
             And an interval is re-armed before its callback, so that the callback can clear it.",
            "Find the timer (return if it is gone) and take() its callback. A timeout leaves the \
             map; an interval gets a new heap entry `deadline_after(now, period)`, stored in the \
             timer. Call the callback. Put it back only if the id is still in the map.",
        ],
    },
    Exercise {
        id: "ch05.3",
        title: "the timers phase: due timers in order, none started during it",
        module: "ch05_timers",
        function: "run_timers",
        tests: "ch05::run_timers::",
        page: "ch05-timers.md#exercises",
        needs: &["ch05.2"],
        hints: [
            "A timer started by a callback during this phase waits for the next one, even if it \
             is due. What can you read once, before firing anything, to tell \"started before\" \
             from \"started during\"?",
            "Ids grow in start order: read `timers.heap.next_id()` once, as the limit, then \
             `pop_due(now, limit)` until it returns None, firing each timer with your `fire` \
             (exercise ch05.2) and counting.",
        ],
    },
    Exercise {
        id: "ch06.1",
        title: "the epoll_ctl operation for an interest change",
        module: "ch06_pollers",
        function: "ctl_op",
        tests: "ch06::ctl_op::",
        page: "ch06-pollers.md#exercises",
        needs: &[],
        hints: [
            "First make both sides mean the same thing: an interest with neither readable nor \
             writable is the same as not registered. Then (old, new) has few cases.",
            "Normalise both sides (`Option::filter` does it in one call each), then match on the \
             pair: one arm per case, and a guard to tell an unchanged interest from a changed \
             one.",
        ],
    },
    Exercise {
        id: "ch06.2",
        title: "an interest change as a kqueue changelist",
        module: "ch06_pollers",
        function: "changelist",
        tests: "ch06::changelist::",
        page: "ch06-pollers.md#exercises",
        needs: &[],
        hints: [
            "kqueue has one filter per direction: decide for read and for write separately, each \
             from two questions: was it watched before, is it wanted now?",
            "Loop over the two (filter, watched, wanted) triples. Wanted: an Add, even if it was \
             watched (that refreshes the token). Watched but not wanted: a Delete. Neither: \
             nothing, since deleting a filter never added fails with ENOENT.",
        ],
    },
    Exercise {
        id: "ch06.3",
        title: "drain an edge-triggered fd to EAGAIN",
        module: "ch06_pollers",
        function: "drain",
        tests: "ch06::drain::",
        page: "ch06-pollers.md#exercises",
        needs: &[],
        hints: [
            "Edge-triggered: you will not be told again about bytes that are already waiting. So \
             read until the kernel says there is nothing left. How exactly does it say so?",
            "A loop around `net::read` into a buffer of your own: 0 sets eof and ends; n bytes \
             are appended; WouldBlock ends; Interrupted goes round again; any other error is \
             returned.",
        ],
    },
    Exercise {
        id: "ch07.1",
        title: "the poll timeout rules",
        module: "ch07_phases",
        function: "poll_timeout",
        tests: "ch07::poll_timeout::",
        page: "ch07-phases.md#exercises",
        needs: &[],
        hints: [
            "libuv blocks only when there is nothing to do right now. List the reasons not to \
             block at all before you look at the timers.",
            "0 if stopping, if nothing is active, if an idle handle is active, or if pending or \
             closing callbacks wait. Then: no deadline is -1; otherwise the time left, rounded up \
             to whole milliseconds and clamped to i32::MAX, as in exercise ch05.1.",
        ],
    },
    Exercise {
        id: "ch07.2",
        title: "one run that reads like uv_run",
        module: "ch07_phases",
        function: "run",
        tests: "ch07::run::",
        page: "ch07-phases.md#exercises",
        needs: &[],
        hints: [
            "Follow the chapter's phase diagram: one call per phase, in order. The modes change \
             only whether poll may block and whether the loop goes round again.",
            "Default mode runs the due timers once before the first turn. A turn: pending, idle, \
             prepare, poll, pending again while any (at most 8 times), check, closing, the time, \
             timers. Poll may block in Default mode, in Once mode only with nothing pending and \
             no idle handle, never in NoWait mode.",
        ],
    },
    Exercise {
        id: "ch08.1",
        title: "drain nextTicks, then microtasks, until both are empty",
        module: "ch08_ticks",
        function: "run_ticks_and_microtasks",
        tests: "ch08::run_ticks_and_microtasks::",
        page: "ch08-ticks.md#exercises",
        needs: &[],
        hints: [
            "Two queues, one rule: every tick first, then every microtask. But a microtask can \
             queue a tick: when are you done?",
            "An outer loop around two inner ones, each popping from the front until its queue is \
             empty (ticks, then microtasks). Leave the outer loop once the tick queue is still \
             empty after the microtasks ran.",
        ],
    },
    Exercise {
        id: "ch08.2",
        title: "one check phase of immediates",
        module: "ch08_ticks",
        function: "process_immediates",
        tests: "ch08::process_immediates::",
        page: "ch08-ticks.md#exercises",
        needs: &["ch08.1"],
        hints: [
            "Immediates queued while the phase runs wait for the next phase. How do you run \
             exactly the ones that were queued when it began?",
            "Take the whole queue out first (`std::mem::take`), so that new immediates land in a \
             fresh one. Run each job, and after each one your run_ticks_and_microtasks (exercise \
             ch08.1).",
        ],
    },
    Exercise {
        id: "ch09.1",
        title: "a send that coalesces: one flag, one wakeup",
        module: "ch09_threadpool",
        function: "Notifier::send",
        tests: "ch09::send::",
        page: "ch09-threadpool.md#exercises",
        needs: &[],
        hints: [
            "A second send before the loop has run its callback must cost nothing. Which of the \
             two fields tells you a wakeup is already on its way?",
            "Two threads can both see the flag clear if you read it and then write it. One atomic \
             read-modify-write tells exactly one of them that it was the one to set it; only \
             that one makes the system call.",
        ],
    },
    Exercise {
        id: "ch09.2",
        title: "the worker loop: wait, pop, run, post",
        module: "ch09_threadpool",
        function: "worker",
        tests: "ch09::worker::",
        page: "ch09-threadpool.md#exercises",
        needs: &[],
        hints: [
            "A worker sleeps on the condition variable while the queue is empty, and leaves only \
             when it is empty and the pool is stopping. The work itself must run with no lock \
             held.",
            "`Condvar::wait` takes the guard and gives it back when woken, possibly with nothing \
             to do: check the queue again in a loop. End the guard's scope before running the \
             job, then report the id and wake the loop, as `uv__work_done` expects.",
        ],
    },
    Exercise {
        id: "ch09.3",
        title: "the signal handler: one byte, errno untouched",
        module: "ch09_threadpool",
        function: "on_signal",
        tests: "ch09::on_signal::",
        page: "ch09-threadpool.md#exercises",
        needs: &[],
        hints: [
            "The handler may only call what signal-safety(7) lists. Writing to a pipe is on the \
             list; allocating, locking and printing are not. What can it reach without any of \
             those?",
            "The write end's number sits in an atomic static. A failed write would change errno \
             under the code the signal interrupted: remember errno before, put it back after, \
             and ignore the write's result (a full pipe is readable already).",
        ],
    },
    Exercise {
        id: "ch10.1",
        title: "answer every complete pipelined request in one batch",
        module: "ch10_server",
        function: "answer_all",
        tests: "ch10::answer_all::",
        page: "ch10-server.md#exercises",
        needs: &[],
        hints: [
            "One read can hold several requests, and the last one may be cut in half. Parse from \
             where the previous request ended, answer, and go on until what is left is not a \
             whole head.",
            "Three outcomes of the parser: a whole head (answer it, move past it, and stop if the \
             request asked to close), not enough bytes yet (keep them for the next read), \
             garbage (one 400, then nothing more from this connection).",
        ],
    },
    Exercise {
        id: "ch10.2",
        title: "the watermarks: stop reading above high, start again at low",
        module: "ch10_server",
        function: "should_read",
        tests: "ch10::should_read::",
        page: "ch10-server.md#exercises",
        needs: &[],
        hints: [
            "With one threshold, a queue hovering around it turns reading on and off at every \
             write. Two thresholds, and the answer depends on what you are doing now.",
            "While reading, keep reading until the queue is above the high mark; while paused, \
             stay paused until it has drained to the low mark.",
        ],
    },
    Exercise {
        id: "ch10.3",
        title: "an idle timeout on chapter 7's timers, re-armed lazily",
        module: "ch10_server",
        function: "on_idle_timer",
        tests: "ch10::idle_timeout::",
        page: "ch10-server.md#exercises",
        needs: &[],
        hints: [
            "The connection only records when it was last active; the timer is not touched per \
             request. When it fires, it decides whether the connection really has been idle.",
            "Work out the deadline from the last activity. Past it: close. Not yet: start the \
             same timer again for the time that is left (counting the re-arm), with this same \
             function as its callback.",
        ],
    },
    Exercise {
        id: "ch11.1",
        title: "the drain after every callback, with real promises",
        module: "ch11_node",
        function: "drain",
        tests: "ch11::drain::",
        page: "ch11-node.md#exercises",
        needs: &[],
        hints: [
            "Three queues, always in the same order: the nextTick queue, then the engine's \
             promise jobs, then the unhandled rejections. Which of them can put work back into \
             an earlier one?",
            "Go round again only while there is something to do: a tick was scheduled by a job, \
             or processing the rejections ran JavaScript. A tick that threw, a failed rejection \
             pass, or `exiting()` ends this drain at once: the rest waits for the next one.",
        ],
    },
    Exercise {
        id: "ch11.2",
        title: "the end of a program: beforeExit, exit and process.exit()",
        module: "ch11_node",
        function: "run_to_the_end",
        tests: "ch11::run_to_the_end::",
        page: "ch11-node.md#exercises",
        needs: &[],
        hints: [
            "Node runs the loop, then emits 'beforeExit'; a listener may schedule more work, so \
             the loop runs again while something is alive. Only then 'exit'.",
            "`process.exit()` can be called from anywhere, 'beforeExit' and 'exit' listeners \
             included: look at `exit_requested()` after every step, and let its code win over \
             the one 'exit' returns.",
        ],
    },
    Exercise {
        id: "ch11.3",
        title: "one readable event on a socket, as libuv reads it",
        module: "ch11_node",
        function: "read_some",
        tests: "ch11::read_some::",
        page: "ch11-node.md#exercises",
        needs: &[],
        hints: [
            "libuv's `uv__read` reads in a loop, but not for ever: a bounded number of reads per \
             event, so one busy socket cannot starve the others. When does a read tell you the \
             kernel has nothing more right now?",
            "A read shorter than the buffer, `WouldBlock`, end of file (0 bytes), an error, or a \
             data callback that stopped reading all end this event; `Interrupted` just tries \
             again.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_in_book_order() {
        let ids: Vec<&str> = EXERCISES.iter().map(|ex| ex.id).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(ids, sorted);
    }

    #[test]
    fn each_exercise_names_its_chapter_consistently() {
        for ex in EXERCISES {
            assert!(ex.module.starts_with(ex.chapter()), "{}", ex.id);
            assert!(
                ex.tests.starts_with(&format!("{}::", ex.chapter())),
                "{}",
                ex.id
            );
            assert!(ex.tests.ends_with("::"), "{}", ex.id);
            assert!(ex.page.starts_with(ex.chapter()), "{}", ex.id);
        }
    }

    #[test]
    fn an_exercise_needs_only_earlier_exercises() {
        for (i, ex) in EXERCISES.iter().enumerate() {
            for need in ex.needs {
                let j = EXERCISES.iter().position(|other| other.id == *need);
                assert!(j.is_some_and(|j| j < i), "{} needs {need}", ex.id);
            }
        }
    }

    #[test]
    fn modules_come_once_each_in_order() {
        let modules = modules();
        assert_eq!(modules.first(), Some(&"ch01_loop"));
        let mut unique = modules.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), modules.len());
    }
}
