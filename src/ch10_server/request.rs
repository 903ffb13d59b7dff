//! A request's head (request line and headers), parsed by `httparse` and checked against the
//! rules RFC 9112 gives an origin server: how the body is framed, whether the connection
//! persists, and what makes a request unacceptable.

use super::config::Limits;
use super::response::Status;
use super::routes::{Method, Route, route};
use std::mem::MaybeUninit;

/// The most header lines a request may have; more is a `431`.
pub const MAX_HEADERS: usize = 64;

/// How the body of a request is delimited (RFC 9112, section 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// No body.
    None,
    /// `Content-Length: N`, N > 0.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
}

/// What the server needs to know about a request, once its head is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// The request method.
    pub method: Method,
    /// What to answer.
    pub route: Route,
    /// Whether the connection may serve another request after this one: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`.
    pub keep_alive: bool,
    /// An HTTP/1.0 request (a kept-alive answer must then say `Connection: keep-alive`).
    pub http10: bool,
    /// How the body is framed.
    pub framing: Framing,
    /// `Expect: 100-continue`: the client waits for a `100 Continue` before sending the body.
    pub expect_continue: bool,
    /// The length of the head in bytes, up to and including the empty line.
    pub len: usize,
}

// ANCHOR: parse_head
/// Parses the head at the start of `bytes`: `Ok(None)` while it is incomplete, `Ok(Some(head))`
/// once it is, `Err(status)` for a request to answer with that error status and a close.
pub fn parse_head(bytes: &[u8], limits: &Limits) -> Result<Option<Head>, Status> {
    let mut headers = [const { MaybeUninit::<httparse::Header<'_>>::uninit() }; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut []);
    let len = match request.parse_with_uninit_headers(bytes, &mut headers) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) if bytes.len() > limits.max_head_bytes => {
            return Err(Status::HeaderFieldsTooLarge);
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(Status::HeaderFieldsTooLarge),
        Err(_) => return Err(Status::BadRequest),
    };
    if len > limits.max_head_bytes {
        return Err(Status::HeaderFieldsTooLarge);
    }
    let method = Method::parse(request.method.unwrap_or(""));
    let http10 = request.version == Some(0);
    let fields = read_fields(request.headers)?;
    if !http10 && fields.hosts != 1 {
        // RFC 9112 section 3.2: exactly one Host in an HTTP/1.1 request, or 400.
        return Err(Status::BadRequest);
    }
    let framing = match (fields.content_length, fields.transfer_encoding) {
        (Some(_), Some(_)) => return Err(Status::BadRequest), // the smuggler's favourite
        (None, Some(_)) if http10 => return Err(Status::BadRequest),
        (None, Some(TransferCoding::Chunked)) => Framing::Chunked,
        (None, Some(TransferCoding::Other)) => return Err(Status::NotImplemented),
        (Some(0) | None, None) => Framing::None,
        (Some(n), None) => Framing::Length(n),
    };
    let keep_alive = if http10 {
        fields.keep_alive && !fields.close
    } else {
        !fields.close
    };
    let target = request.path.unwrap_or("");
    Ok(Some(Head {
        method,
        route: route(method, target, limits),
        keep_alive,
        http10,
        framing,
        expect_continue: fields.expect_continue,
        len,
    }))
}
// ANCHOR_END: parse_head

/// The values of `Transfer-Encoding` we tell apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TransferCoding {
    Chunked,
    /// `gzip`, `gzip, chunked`, ...: codings we do not implement.
    Other,
}

/// The header fields that matter to framing and persistence.
#[derive(Debug, Default)]
struct Fields {
    content_length: Option<u64>,
    transfer_encoding: Option<TransferCoding>,
    hosts: usize,
    close: bool,
    keep_alive: bool,
    expect_continue: bool,
}

fn read_fields(headers: &[httparse::Header<'_>]) -> Result<Fields, Status> {
    let mut fields = Fields::default();
    for header in headers {
        let name = header.name;
        let value = header.value;
        if name.eq_ignore_ascii_case("content-length") {
            let n = parse_content_length(value).ok_or(Status::BadRequest)?;
            // Repeated with the same value is allowed (RFC 9110 section 8.6); different is not.
            if fields.content_length.is_some_and(|old| old != n) {
                return Err(Status::BadRequest);
            }
            fields.content_length = Some(n);
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            if fields.transfer_encoding.is_some() {
                return Err(Status::BadRequest);
            }
            let chunked = trim(value).eq_ignore_ascii_case(b"chunked");
            fields.transfer_encoding = Some(if chunked {
                TransferCoding::Chunked
            } else {
                TransferCoding::Other
            });
        } else if name.eq_ignore_ascii_case("host") {
            fields.hosts += 1;
        } else if name.eq_ignore_ascii_case("connection") {
            for option in value.split(|&b| b == b',') {
                let option = trim(option);
                fields.close |= option.eq_ignore_ascii_case(b"close");
                fields.keep_alive |= option.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if name.eq_ignore_ascii_case("expect") {
            fields.expect_continue = trim(value).eq_ignore_ascii_case(b"100-continue");
        }
    }
    Ok(fields)
}

/// `Content-Length`: one or more digits and nothing else (no sign, no spaces inside, no list).
fn parse_content_length(value: &[u8]) -> Option<u64> {
    let digits = trim(value);
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    digits.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

fn trim(bytes: &[u8]) -> &[u8] {
    bytes.trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<Head>, Status> {
        parse_head(text.as_bytes(), &Limits::default())
    }

    fn head(text: &str) -> Head {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn a_plain_get_keeps_the_connection_alive() {
        let text = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        let h = head(text);
        assert_eq!(h.route, Route::Hello);
        assert!(h.keep_alive && !h.http10);
        assert_eq!(h.framing, Framing::None);
        assert_eq!(h.len, text.len());
    }

    #[test]
    fn an_incomplete_head_asks_for_more_until_it_is_over_the_limit() {
        assert_eq!(parse("GET / HTTP/1.1\r\nHost: x\r\n"), Ok(None));
        let long = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(9000));
        assert_eq!(parse(&long), Err(Status::HeaderFieldsTooLarge));
    }

    #[test]
    fn persistence_by_version_and_connection_header() {
        assert!(!head("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").keep_alive);
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive);
        let h = head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n");
        assert!(h.keep_alive && h.http10);
        assert!(
            !head("GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, close\r\n\r\n").keep_alive
        );
    }

    #[test]
    fn body_framing() {
        let h = head("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n");
        assert_eq!(h.framing, Framing::Length(5));
        let h = head("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        assert_eq!(h.framing, Framing::Chunked);
        let h = head("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        assert_eq!(h.framing, Framing::None);
        let h = head(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
        );
        assert_eq!(h.framing, Framing::Length(3));
    }

    #[test]
    fn framing_that_could_smuggle_a_request_is_refused() {
        for text in [
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
            "GET / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        ] {
            assert_eq!(parse(text), Err(Status::BadRequest), "{text:?}");
        }
        assert_eq!(
            parse("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"),
            Err(Status::NotImplemented)
        );
    }

    #[test]
    fn garbage_is_a_bad_request_and_too_many_headers_too_large() {
        assert_eq!(parse("\x16\x03\x01\x02\x00"), Err(Status::BadRequest));
        assert_eq!(parse("GET / HTTP/2.0\r\n\r\n"), Err(Status::BadRequest));
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("X-{i}: y\r\n"))
            .collect();
        let text = format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n");
        assert_eq!(parse(&text), Err(Status::HeaderFieldsTooLarge));
    }

    #[test]
    fn expect_100_continue() {
        let h = head(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n",
        );
        assert!(h.expect_continue);
    }
}
