//! Everything the server can be told: limits, timeouts, watermarks, and which optimisations are
//! on. The program turns its flags into a [`Config`]; the tests set the limits short.

use std::time::Duration;

/// The server's settings, shared (read-only) by every worker.
#[derive(Debug, Clone)]
pub struct Config {
    /// What a request may cost the server, and how long a client may take.
    pub limits: Limits,
    /// When a connection's output queue stops and restarts its reading.
    pub watermarks: Watermarks,
    /// The optimisations, each on unless `--without` turns it off (to measure what it buys).
    pub tuning: Tuning,
}

/// What a request may cost the server, and how long a client may take. Each limit, when hit,
/// gets a clear response and a close, never a panic.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The request line and headers together, in bytes: over it, `431`.
    pub max_head_bytes: usize,
    /// A request body, in bytes: over it, `413`.
    pub max_body_bytes: u64,
    /// From a request's first byte to the end of its headers: past it, `408` (slowloris).
    pub header_timeout: Duration,
    /// How long a keep-alive connection may sit with nothing to do before we close it.
    pub idle_timeout: Duration,
    /// After Ctrl-C, how long in-flight responses have to finish before their connections are
    /// closed anyway.
    pub shutdown_grace: Duration,
    /// The longest `GET /delay?ms=N` we agree to wait.
    pub max_delay: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_bytes: 8 * 1024,
            max_body_bytes: 64 * 1024 * 1024,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(2),
            max_delay: Duration::from_secs(60),
        }
    }
}

// ANCHOR: watermarks
/// A connection's output queue, in bytes: above `high` the server stops reading from that
/// connection; once the queue has drained to `low` it reads again. The gap between the two keeps
/// a connection from flapping between the two states on every write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Watermarks {
    /// Stop reading above this many queued bytes.
    pub high: usize,
    /// Read again at or below this many.
    pub low: usize,
}
// ANCHOR_END: watermarks

impl Default for Watermarks {
    fn default() -> Self {
        Watermarks {
            high: 64 * 1024,
            low: 16 * 1024,
        }
    }
}

/// One optimisation of the server, named as `--without` spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Optimisation {
    /// Read into one buffer per worker and keep bytes per connection only when a request is
    /// incomplete; without it, a fresh buffer for every read and every batch of responses.
    BufferReuse,
    /// The responses to one read go out in one write; without it, one write per response.
    BatchWrite,
    /// Write a response at once and ask the poller about writability only when the kernel's
    /// buffer is full; without it, every response waits for a writable event.
    WriteAtOnce,
    /// Read once per readable event; without it, read again until `EAGAIN`.
    ReadOnce,
    /// Format the `Date` header once per second; without it, once per response.
    DateCache,
    /// Set `TCP_NODELAY` on every connection; without it, Nagle's algorithm holds back small
    /// writes while an earlier one is unacknowledged.
    NoDelay,
}

impl Optimisation {
    /// Every optimisation, in the order the book's table lists them.
    pub const ALL: [Optimisation; 6] = [
        Optimisation::BufferReuse,
        Optimisation::BatchWrite,
        Optimisation::WriteAtOnce,
        Optimisation::ReadOnce,
        Optimisation::DateCache,
        Optimisation::NoDelay,
    ];

    /// The name `--without` takes.
    pub fn name(self) -> &'static str {
        match self {
            Optimisation::BufferReuse => "buffer-reuse",
            Optimisation::BatchWrite => "batch-write",
            Optimisation::WriteAtOnce => "write-at-once",
            Optimisation::ReadOnce => "read-once",
            Optimisation::DateCache => "date-cache",
            Optimisation::NoDelay => "nodelay",
        }
    }

    /// The optimisation called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Optimisation> {
        Optimisation::ALL.into_iter().find(|o| o.name() == name)
    }
}

/// Which optimisations are on. All are, by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// See [`Optimisation::BufferReuse`].
    pub buffer_reuse: bool,
    /// See [`Optimisation::BatchWrite`].
    pub batch_write: bool,
    /// See [`Optimisation::WriteAtOnce`].
    pub write_at_once: bool,
    /// See [`Optimisation::ReadOnce`].
    pub read_once: bool,
    /// See [`Optimisation::DateCache`].
    pub date_cache: bool,
    /// See [`Optimisation::NoDelay`].
    pub nodelay: bool,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            buffer_reuse: true,
            batch_write: true,
            write_at_once: true,
            read_once: true,
            date_cache: true,
            nodelay: true,
        }
    }
}

impl Tuning {
    /// All on except `without`.
    pub fn without(without: &[Optimisation]) -> Tuning {
        let mut tuning = Tuning::default();
        for o in without {
            match o {
                Optimisation::BufferReuse => tuning.buffer_reuse = false,
                Optimisation::BatchWrite => tuning.batch_write = false,
                Optimisation::WriteAtOnce => tuning.write_at_once = false,
                Optimisation::ReadOnce => tuning.read_once = false,
                Optimisation::DateCache => tuning.date_cache = false,
                Optimisation::NoDelay => tuning.nodelay = false,
            }
        }
        tuning
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_optimisation_round_trips_through_its_name() {
        for o in Optimisation::ALL {
            assert_eq!(Optimisation::from_name(o.name()), Some(o));
        }
        assert_eq!(Optimisation::from_name("turbo"), None);
    }

    #[test]
    fn without_turns_off_only_what_it_names() {
        let t = Tuning::without(&[Optimisation::DateCache]);
        assert!(!t.date_cache);
        assert_eq!(
            Tuning {
                date_cache: true,
                ..t
            },
            Tuning::default()
        );
    }
}
