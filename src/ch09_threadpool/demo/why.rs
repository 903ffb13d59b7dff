//! Why a pool at all: asked to watch a regular file, the pollers refuse (epoll) or say "ready"
//! before anything is in memory (poll, select, kqueue); `getaddrinfo` is a function call with no
//! fd to watch at all. Each line of [`why`] is the result of trying, not a claim.

use crate::ch06_pollers::{DefaultPoller, Interest, Poll, Poller, Token};
use std::fs::File;
use std::os::fd::AsFd;
use std::path::Path;
use std::time::Instant;

// ANCHOR: why
/// Tries each thing on `file` (a regular file) and returns one line per attempt.
pub fn why(file: &Path) -> Vec<String> {
    let mut lines = Vec::new();
    let Ok(f) = File::open(file) else {
        return vec![format!("cannot open {}", file.display())];
    };
    // 1. The OS's best poller, asked to watch a regular file.
    let outcome = DefaultPoller::new().and_then(|mut p| {
        p.register(f.as_fd(), Token(0), Interest::READABLE)?;
        let mut events = Vec::new();
        p.wait(&mut events, 1, 0)
    });
    lines.push(match outcome {
        Ok(n) => format!(
            "{}: watching {} works, and {n} event comes back at once: always \"ready\"",
            DefaultPoller::NAME,
            file.display()
        ),
        Err(e) => format!(
            "{}: watching {} fails with {}: {e}",
            DefaultPoller::NAME,
            file.display(),
            e.raw_os_error()
                .and_then(crate::ch09_threadpool::fs::errno_name)
                .unwrap_or("an error")
        ),
    });
    // 2. poll(2) (select behaves the same): a regular file is always readable.
    let outcome = Poll::new().and_then(|mut p| {
        p.register(f.as_fd(), Token(0), Interest::READABLE)?;
        let mut events = Vec::new();
        p.wait(&mut events, 1, 0)?;
        Ok(events.first().is_some_and(|e| e.readable))
    });
    lines.push(match outcome {
        Ok(true) => format!(
            "poll: {} is readable at once, before a byte of it was read from the disk",
            file.display()
        ),
        Ok(false) => format!("poll: {} is not reported readable", file.display()),
        Err(e) => format!("poll: {e}"),
    });
    // 3. Name resolution: a blocking call that hands back no fd.
    let start = Instant::now();
    let found = super::super::dns::getaddrinfo("localhost");
    lines.push(format!(
        "getaddrinfo(\"localhost\"): a blocking call with no fd to watch; {} address(es) after {:.1} ms \
         (from /etc/hosts; a slow DNS server makes it seconds)",
        found.map_or(0, |a| a.len()),
        start.elapsed().as_secs_f64() * 1000.0
    ));
    lines
}
// ANCHOR_END: why
