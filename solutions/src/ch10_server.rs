//! Chapter 10 exercises, solved: answering a pipelined batch, the watermarks, and an idle
//! timeout on chapter 7's timers.

// What the exercises use, from the chapter's module (re-exported so they are in scope here).
pub use eventloops::ch07_phases::{Handle, Loop, RunMode};
pub use eventloops::ch10_server::Limits;
pub use eventloops::ch10_server::request::parse_head;
pub use eventloops::ch10_server::response::{Persistence, Status, write_response};
pub use eventloops::ch10_server::routes::Route;
pub use std::time::{Duration, Instant};

/// The `Date` value the exercise's responses carry (a fixed one: the tests compare bytes).
pub const DATE: &[u8; 29] = b"Sun, 06 Nov 1994 08:49:37 GMT";

/// What [`answer_all`] did with a batch of bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    /// How many bytes it used: every complete request (the rest is kept for the next read).
    pub used: usize,
    /// How many requests it answered.
    pub requests: usize,
    /// Whether the connection must close after the responses (an error, or
    /// `Connection: close`).
    pub close: bool,
}

/// Appends the response to a request whose head has been parsed: `Hello, World!` for
/// [`Route::Hello`], `404` for anything else. (The exercise's server has no bodies: a request
/// with one is not sent to it.)
pub fn respond(route: Route, persistence: Persistence, out: &mut Vec<u8>) {
    match route {
        Route::Hello => write_response(
            out,
            Status::Ok,
            b"Hello, World!\n",
            false,
            persistence,
            DATE,
        ),
        _ => write_response(
            out,
            Status::NotFound,
            b"Not Found\n",
            false,
            persistence,
            DATE,
        ),
    }
}

/// Appends a `400 Bad Request` that closes the connection.
pub fn respond_bad_request(out: &mut Vec<u8>) {
    write_response(
        out,
        Status::BadRequest,
        b"Bad Request\n",
        false,
        Persistence::Close,
        DATE,
    );
}

/// Exercise ch10.1: answers every complete request at the start of `input`, in order, appending
/// the responses to `out` (which the caller then sends in one write).
pub fn answer_all(input: &[u8], out: &mut Vec<u8>) -> Answered {
    let limits = Limits::default();
    let mut answered = Answered {
        used: 0,
        requests: 0,
        close: false,
    };
    loop {
        match parse_head(&input[answered.used..], &limits) {
            Ok(None) => return answered,
            Ok(Some(head)) => {
                answered.used += head.len;
                answered.requests += 1;
                let persistence = if head.keep_alive {
                    Persistence::KeepAlive
                } else {
                    Persistence::Close
                };
                respond(head.route, persistence, out);
                if !head.keep_alive {
                    answered.close = true;
                    return answered;
                }
            }
            Err(_) => {
                respond_bad_request(out);
                answered.used = input.len();
                answered.close = true;
                return answered;
            }
        }
    }
}

/// Exercise ch10.2: whether a connection should read, given the bytes waiting in its output
/// queue and whether it reads now: stop above `high`, start again at or below `low`, and in
/// between keep doing what it does.
pub fn should_read(queued: usize, reading: bool, high: usize, low: usize) -> bool {
    if reading {
        queued <= high
    } else {
        queued <= low
    }
}

/// The loop data of exercise ch10.3: one connection's activity.
#[derive(Debug)]
pub struct Idle {
    /// The loop time of the connection's last activity (the tests move it on).
    pub last_active: Instant,
    /// When the connection was closed for idleness, if it was.
    pub closed_at: Option<Instant>,
    /// How many times the timer was armed again instead of closing.
    pub rearms: u32,
}

impl Idle {
    /// A connection active at `now`.
    pub fn new(now: Instant) -> Idle {
        Idle {
            last_active: now,
            closed_at: None,
            rearms: 0,
        }
    }
}

/// Exercise ch10.3: the callback of a connection's idle timer, which fired at `lp.now()`. If
/// the connection has been idle for `idle`, close it: record `closed_at` and close the timer.
/// Otherwise arm the timer again (with this same callback) for the time that is left, and count
/// the re-arm.
pub fn on_idle_timer(lp: &mut Loop<Idle>, timer: Handle, idle: Duration) {
    let now = lp.now();
    let due = lp.data().last_active + idle;
    if now >= due {
        lp.data().closed_at = Some(now);
        lp.close(timer, |_, _| {});
    } else {
        lp.data().rearms += 1;
        lp.timer_start(timer, due - now, Duration::ZERO, move |lp, timer| {
            on_idle_timer(lp, timer, idle);
        });
    }
}
