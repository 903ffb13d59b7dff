//! A time limit for every exercise test, so that a loop that never ends fails its own test, by
//! name, instead of hanging the whole run. Each test file says `mod time_limit;` and wraps the
//! body of each test in `time_limit(|| { ... })`.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long one test may run. The exercise tests take milliseconds; the rest is room for a slow,
/// busy machine.
pub const LIMIT: Duration = Duration::from_secs(15);

/// Runs `test` on a thread of its own and fails if it has not returned within [`LIMIT`]. A panic
/// in `test` fails the test with that panic's message, as if it had run here.
///
/// A test that hangs is left running on its thread (a thread cannot be killed); the test binary
/// ends it when it exits.
pub fn time_limit(test: impl FnOnce() + Send + 'static) {
    // The test harness names each test's thread after the test: the message names it too.
    let name = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_string();
    let (done_tx, done_rx) = mpsc::channel();
    let runner = std::thread::Builder::new()
        .name(name.clone())
        .spawn(move || {
            test();
            let _ = done_tx.send(());
        })
        .expect("could not start the test's thread");
    match done_rx.recv_timeout(LIMIT) {
        // Returned, or panicked (the sender was dropped unsent): join reports which.
        Ok(()) | Err(RecvTimeoutError::Disconnected) => {
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(RecvTimeoutError::Timeout) => panic!(
            "{name} hung: still running after {} s (a loop that never ends? a call that waits \
             forever?)",
            LIMIT.as_secs()
        ),
    }
}
