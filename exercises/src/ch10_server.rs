//! Chapter 10 exercises: answering a pipelined batch, the watermarks, and an idle timeout on
//! chapter 7's timers.
//!
//! Read `book/src/ch10-server.md` first. Check your work with `cargo test -p exercises-ch10`.

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
#[allow(clippy::ptr_arg)] // until you write it: your answer appends to `out`
pub fn answer_all(input: &[u8], out: &mut Vec<u8>) -> Answered {
    // TODO: loop over `input` from `used`: parse_head(&input[used..], &limits) (Limits::default()).
    // Ok(None): the rest is incomplete, return what you have. Ok(Some(head)): move `used` on by
    // head.len, count the request, respond(head.route, persistence, out) with
    // Persistence::KeepAlive or ::Close after head.keep_alive, and stop (close: true) after a
    // request that does not keep the connection alive. Err(_): respond_bad_request(out), count
    // every byte as used, close.
    todo!("ch10.1: answer every complete request in the batch")
}

/// Exercise ch10.2: whether a connection should read, given the bytes waiting in its output
/// queue and whether it reads now: stop above `high`, start again at or below `low`, and in
/// between keep doing what it does.
pub fn should_read(queued: usize, reading: bool, high: usize, low: usize) -> bool {
    // TODO: a connection that reads keeps reading while `queued` is at most `high`; one that
    // has stopped starts again only once `queued` is down to `low` or less.
    todo!("ch10.2: stop reading above high, start again at low")
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
    // TODO: the deadline is lp.data().last_active + idle. Reached (lp.now() >= it): set
    // closed_at to lp.now() and lp.close(timer, |_, _| {}). Not yet: add one to rearms and
    // lp.timer_start(timer, deadline - now, Duration::ZERO, move |lp, timer| on_idle_timer(..)).
    todo!("ch10.3: close an idle connection, or re-arm its timer for what is left")
}
