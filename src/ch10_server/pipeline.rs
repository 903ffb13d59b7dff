//! Answering every complete request in the bytes that have arrived, in order: the heart of an
//! HTTP/1.1 server with pipelining.
//!
//! A client may send several requests without waiting for the answers (pipelining), and one
//! read may return any number of them, plus half of the next. [`serve`] walks the bytes: parse a
//! head, append its response to the batch, move on, until what is left is incomplete. The
//! caller keeps that rest for the next read and sends the whole batch of responses in one write.
//!
//! Nothing here touches a socket or the loop: it is bytes in, bytes out, and a word about what
//! to do next ([`Next`]), so it is tested without any I/O.

use super::chunked::{ChunkError, ChunkedDecoder};
use super::config::Limits;
use super::date::DATE_LEN;
use super::request::{Framing, Head, parse_head};
use super::response::{Persistence, Status, write_continue, write_head, write_response};
use super::routes::{Method, Route};
use std::time::Duration;

/// The body of `GET /`: the benchmark's plaintext, byte for byte what the peers send.
pub const HELLO: &[u8] = b"Hello, World!\n";

/// Where a connection is in its current request.
#[derive(Debug)]
pub enum Phase {
    /// Waiting for (the rest of) a request head.
    Head,
    /// Reading a body of known length: `left` bytes to go. `echo`: copy it to the output (the
    /// response head has gone out already); otherwise throw it away.
    Body {
        /// Copy the body to the output.
        echo: bool,
        /// Bytes still to come.
        left: u64,
    },
    /// Reading a chunked body; an echo collects it, because the response needs its length.
    /// (Boxed: it is rare, and every connection's `Phase` is as big as its largest variant.)
    Chunked(Box<ChunkedBody>),
    /// A `/delay` response is owed once its timer fires; later requests wait their turn.
    Waiting {
        /// How long the client asked us to wait.
        delay: Duration,
    },
}

/// The state of a chunked body being read.
#[derive(Debug)]
pub struct ChunkedBody {
    /// Answer with the body once it is complete.
    pub echo: bool,
    /// The decoder's state.
    pub decoder: ChunkedDecoder,
    /// The decoded body so far (echo only).
    pub collected: Vec<u8>,
}

impl ChunkedBody {
    fn new(echo: bool) -> Box<ChunkedBody> {
        Box::new(ChunkedBody {
            echo,
            decoder: ChunkedDecoder::new(),
            collected: Vec::new(),
        })
    }
}

/// A connection's request state: the phase, and how the current response ends the connection.
#[derive(Debug)]
pub struct Requests {
    /// Where the connection is.
    pub phase: Phase,
    /// The `Connection` header of the current request's response.
    pub persistence: Persistence,
}

impl Default for Requests {
    fn default() -> Self {
        Requests {
            phase: Phase::Head,
            persistence: Persistence::KeepAlive,
        }
    }
}

/// What the caller does after [`serve`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Keep the unused bytes and read more.
    ReadMore,
    /// Start a timer for this long, stop reading, and call [`finish_delay`] when it fires.
    Delay(Duration),
    /// Send what is in the output and close the connection.
    Close,
}

/// What [`serve`] did with the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Served {
    /// How many bytes it used; the rest (an incomplete request) is the caller's to keep.
    pub used: usize,
    /// How many requests it completed.
    pub completed: u32,
    /// What to do next.
    pub next: Next,
}

/// Where responses go.
#[derive(Debug)]
pub struct Output<'a> {
    /// The responses of the batch, one after the other.
    pub buf: &'a mut Vec<u8>,
    /// Where each response (or piece of a streamed body) ends in `buf`, for a server that
    /// writes them one by one.
    pub ends: &'a mut Vec<usize>,
    /// The `Date` value for this batch.
    pub date: &'a [u8; DATE_LEN],
    /// The limits to enforce.
    pub limits: &'a Limits,
    /// The server is shutting down: every response says `Connection: close`.
    pub draining: bool,
}

impl Output<'_> {
    /// Marks the end of a response (or of a piece of one).
    fn end(&mut self) {
        self.ends.push(self.buf.len());
    }

    /// Appends an error response that closes the connection.
    fn error(&mut self, status: Status) {
        write_response(
            self.buf,
            status,
            status.reason_body(),
            false,
            Persistence::Close,
            self.date,
        );
        self.end();
    }
}

// ANCHOR: serve
/// Answers every complete request at the start of `bytes`, in order, appending the responses
/// to `out`. Stops at the first incomplete request, at a `/delay` (its response must go out
/// before the next one), or at an error (answered, then the connection closes).
pub fn serve(requests: &mut Requests, bytes: &[u8], out: &mut Output<'_>) -> Served {
    let mut used = 0;
    let mut completed = 0;
    loop {
        let step = match &mut requests.phase {
            Phase::Head => match parse_head(&bytes[used..], out.limits) {
                Ok(None) => Step::NeedMore,
                Ok(Some(head)) => {
                    used += head.len;
                    start_request(requests, &head, out)
                }
                Err(status) => {
                    out.error(status);
                    return Served {
                        used: bytes.len(),
                        completed,
                        next: Next::Close,
                    };
                }
            },
            Phase::Body { echo, left } => {
                let take = (*left).min((bytes.len() - used) as u64) as usize;
                if *echo && take > 0 {
                    out.buf.extend_from_slice(&bytes[used..used + take]);
                    out.end();
                }
                used += take;
                *left -= take as u64;
                if *left == 0 {
                    Step::Complete
                } else {
                    Step::NeedMore
                }
            }
            Phase::Chunked(body) => {
                let ChunkedBody {
                    echo,
                    decoder,
                    collected,
                } = &mut **body;
                let echo = *echo;
                let fed = decoder.feed(&bytes[used..], out.limits.max_body_bytes, |data| {
                    if echo {
                        collected.extend_from_slice(data);
                    }
                });
                match fed {
                    Ok(n) if decoder.is_done() => {
                        used += n;
                        if echo {
                            let persistence = requests.persistence;
                            write_response(
                                out.buf,
                                Status::Ok,
                                collected,
                                false,
                                persistence,
                                out.date,
                            );
                            out.end();
                        }
                        Step::Complete
                    }
                    Ok(n) => {
                        used += n;
                        Step::NeedMore
                    }
                    Err(e) => Step::Fail(match e {
                        ChunkError::Malformed => Status::BadRequest,
                        ChunkError::TooLarge => Status::ContentTooLarge,
                    }),
                }
            }
            Phase::Waiting { .. } => Step::NeedMore,
        };
        match step {
            Step::NeedMore => {
                return Served {
                    used,
                    completed,
                    next: Next::ReadMore,
                };
            }
            Step::Continue => {}
            Step::Complete => {
                requests.phase = Phase::Head;
                completed += 1;
                if requests.persistence == Persistence::Close {
                    return Served {
                        used,
                        completed,
                        next: Next::Close,
                    };
                }
            }
            Step::Delay(delay) => {
                return Served {
                    used,
                    completed,
                    next: Next::Delay(delay),
                };
            }
            Step::Fail(status) => {
                out.error(status);
                return Served {
                    used: bytes.len(),
                    completed,
                    next: Next::Close,
                };
            }
        }
    }
}
// ANCHOR_END: serve

/// What one step of [`serve`] came to.
enum Step {
    /// The rest of the bytes is an incomplete request.
    NeedMore,
    /// A head was handled and its body (if any) comes next.
    Continue,
    /// A request is complete.
    Complete,
    /// A `/delay` must be waited for.
    Delay(Duration),
    /// An error to answer before closing.
    Fail(Status),
}

// ANCHOR: start_request
/// A complete head has arrived: answer it now if its response does not depend on a body or a
/// timer, and set the phase for what follows it.
fn start_request(requests: &mut Requests, head: &Head, out: &mut Output<'_>) -> Step {
    requests.persistence = match (head.keep_alive && !out.draining, head.http10) {
        (false, _) => Persistence::Close,
        (true, false) => Persistence::KeepAlive,
        (true, true) => Persistence::KeepAliveHttp10,
    };
    let persistence = requests.persistence;
    let head_only = head.method == Method::Head;
    if let Framing::Length(n) = head.framing
        && n > out.limits.max_body_bytes
    {
        return Step::Fail(Status::ContentTooLarge);
    }
    let has_body = head.framing != Framing::None;
    if has_body && head.expect_continue {
        write_continue(out.buf);
    }
    match head.route {
        Route::Echo => match head.framing {
            Framing::Length(n) => {
                write_head(out.buf, Status::Ok, n, persistence, out.date);
                out.end();
                requests.phase = Phase::Body {
                    echo: true,
                    left: n,
                };
                return Step::Continue;
            }
            Framing::Chunked => {
                requests.phase = Phase::Chunked(ChunkedBody::new(true));
                return Step::Continue;
            }
            Framing::None => {
                write_response(out.buf, Status::Ok, b"", false, persistence, out.date);
            }
        },
        Route::Delay(delay) if !has_body => {
            requests.phase = Phase::Waiting { delay };
            return Step::Delay(delay);
        }
        Route::Delay(_) | Route::BadQuery => return Step::Fail(Status::BadRequest),
        Route::NotImplemented => return Step::Fail(Status::NotImplemented),
        Route::Hello => {
            write_response(out.buf, Status::Ok, HELLO, head_only, persistence, out.date)
        }
        Route::NotFound => {
            let body = Status::NotFound.reason_body();
            write_response(
                out.buf,
                Status::NotFound,
                body,
                head_only,
                persistence,
                out.date,
            );
        }
    }
    out.end();
    // The response is out; a body, if any, is read and thrown away to reach the next request.
    match head.framing {
        Framing::None => Step::Complete,
        Framing::Length(left) => {
            requests.phase = Phase::Body { echo: false, left };
            Step::Continue
        }
        Framing::Chunked => {
            requests.phase = Phase::Chunked(ChunkedBody::new(false));
            Step::Continue
        }
    }
}
// ANCHOR_END: start_request

/// The timer of a `/delay` fired: append its response and go back to reading heads. Returns
/// whether the connection stays open.
pub fn finish_delay(requests: &mut Requests, out: &mut Output<'_>) -> bool {
    let Phase::Waiting { delay } = requests.phase else {
        return true;
    };
    let body = format!("waited {} ms\n", delay.as_millis());
    let persistence = if out.draining {
        Persistence::Close
    } else {
        requests.persistence
    };
    write_response(
        out.buf,
        Status::Ok,
        body.as_bytes(),
        false,
        persistence,
        out.date,
    );
    out.end();
    requests.phase = Phase::Head;
    persistence != Persistence::Close
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &[u8; DATE_LEN] = b"Sun, 06 Nov 1994 08:49:37 GMT";

    struct Run {
        requests: Requests,
        buf: Vec<u8>,
        ends: Vec<usize>,
        limits: Limits,
    }

    impl Run {
        fn new() -> Run {
            Run {
                requests: Requests::default(),
                buf: Vec::new(),
                ends: Vec::new(),
                limits: Limits::default(),
            }
        }

        fn feed(&mut self, bytes: &[u8]) -> Served {
            let mut out = Output {
                buf: &mut self.buf,
                ends: &mut self.ends,
                date: DATE,
                limits: &self.limits,
                draining: false,
            };
            serve(&mut self.requests, bytes, &mut out)
        }

        fn text(&self) -> String {
            String::from_utf8_lossy(&self.buf).into_owned()
        }
    }

    const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    #[test]
    fn every_complete_pipelined_request_is_answered_in_order() {
        let mut run = Run::new();
        let mut bytes = GET.repeat(3);
        bytes.extend_from_slice(b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET / HT");
        let served = run.feed(&bytes);
        assert_eq!(served.completed, 4);
        assert_eq!(served.next, Next::ReadMore);
        assert_eq!(served.used, bytes.len() - b"GET / HT".len());
        assert_eq!(run.text().matches("200 OK").count(), 3);
        assert!(run.text().rfind("200 OK") < run.text().find("404"));
        assert_eq!(run.ends.len(), 4);
    }

    #[test]
    fn an_echo_streams_its_body_and_keeps_the_rest() {
        let mut run = Run::new();
        let served = run.feed(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello");
        assert_eq!(served.next, Next::ReadMore);
        assert!(
            run.text().ends_with(
                "Content-Length: 10\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhello"
            )
        );
        let served = run.feed(b" you!GET /");
        assert_eq!(served.used, 5);
        assert_eq!(served.completed, 1);
        assert!(run.text().ends_with("hello you!"));
    }

    #[test]
    fn a_chunked_echo_answers_with_the_decoded_length() {
        let mut run = Run::new();
        let served = run.feed(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
        );
        assert_eq!(served.completed, 1);
        assert!(run.text().contains("Content-Length: 3\r\n"));
        assert!(run.text().ends_with("\r\n\r\nabc"));
    }

    #[test]
    fn connection_close_ends_the_batch_after_its_response() {
        let mut run = Run::new();
        let mut bytes = b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".to_vec();
        bytes.extend_from_slice(GET);
        let served = run.feed(&bytes);
        assert_eq!(served.next, Next::Close);
        assert_eq!(served.completed, 1);
        assert_eq!(run.text().matches("200 OK").count(), 1);
        assert!(run.text().contains("Connection: close"));
    }

    #[test]
    fn a_delay_stops_the_batch_until_it_is_finished() {
        let mut run = Run::new();
        let mut bytes = b"GET /delay?ms=5 HTTP/1.1\r\nHost: x\r\n\r\n".to_vec();
        bytes.extend_from_slice(GET);
        let served = run.feed(&bytes);
        assert_eq!(served.next, Next::Delay(Duration::from_millis(5)));
        assert!(run.buf.is_empty());
        let rest = bytes[served.used..].to_vec();
        assert_eq!(run.feed(&rest).used, 0, "nothing is served while waiting");
        let mut out = Output {
            buf: &mut run.buf,
            ends: &mut run.ends,
            date: DATE,
            limits: &run.limits,
            draining: false,
        };
        assert!(finish_delay(&mut run.requests, &mut out));
        let served = run.feed(&rest);
        assert_eq!(served.completed, 1);
        assert!(run.text().find("waited 5 ms") < run.text().find("Hello"));
    }

    #[test]
    fn errors_are_answered_and_close() {
        for (bytes, status) in [
            (&b"NONSENSE\r\n\r\n"[..], "400"),
            (b"PUT / HTTP/1.1\r\nHost: x\r\n\r\n", "501"),
            (
                b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n",
                "413",
            ),
            (
                b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "400",
            ),
        ] {
            let mut run = Run::new();
            let served = run.feed(bytes);
            assert_eq!(served.next, Next::Close, "{bytes:?}");
            assert!(
                run.text().starts_with(&format!("HTTP/1.1 {status}")),
                "{}",
                run.text()
            );
            assert!(run.text().contains("Connection: close"));
        }
    }

    #[test]
    fn head_gets_the_headers_of_get_without_the_body() {
        let mut run = Run::new();
        run.feed(b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(run.text().contains("Content-Length: 14\r\n"));
        assert!(run.text().ends_with("GMT\r\n\r\n"));
    }
}
