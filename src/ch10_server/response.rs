//! Writing responses: a status line, the headers every response carries (`Content-Type`,
//! `Content-Length`, `Date`, and `Connection` when it is not the default), and the body, appended
//! to an output buffer that goes out in one write.

use super::date::DATE_LEN;

// ANCHOR: status
/// The statuses the server sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// `100 Continue`: go on and send the body you announced with `Expect: 100-continue`.
    Continue,
    /// `200 OK`.
    Ok,
    /// `400 Bad Request`: the request could not be parsed, or breaks a rule of HTTP/1.1.
    BadRequest,
    /// `404 Not Found`.
    NotFound,
    /// `408 Request Timeout`: the headers took longer than the header timeout.
    RequestTimeout,
    /// `413 Content Too Large`: the body is over the body limit.
    ContentTooLarge,
    /// `431 Request Header Fields Too Large`: the head is over the head limit.
    HeaderFieldsTooLarge,
    /// `501 Not Implemented`: a method (or transfer coding) the server does not implement.
    NotImplemented,
}

impl Status {
    /// The status line, `HTTP/1.1 200 OK\r\n`.
    pub fn line(self) -> &'static [u8] {
        match self {
            Status::Continue => b"HTTP/1.1 100 Continue\r\n",
            Status::Ok => b"HTTP/1.1 200 OK\r\n",
            Status::BadRequest => b"HTTP/1.1 400 Bad Request\r\n",
            Status::NotFound => b"HTTP/1.1 404 Not Found\r\n",
            Status::RequestTimeout => b"HTTP/1.1 408 Request Timeout\r\n",
            Status::ContentTooLarge => b"HTTP/1.1 413 Content Too Large\r\n",
            Status::HeaderFieldsTooLarge => b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
            Status::NotImplemented => b"HTTP/1.1 501 Not Implemented\r\n",
        }
    }

    /// A short body that says what went wrong (for the error statuses).
    pub fn reason_body(self) -> &'static [u8] {
        match self {
            Status::Continue | Status::Ok => b"",
            Status::BadRequest => b"Bad Request\n",
            Status::NotFound => b"Not Found\n",
            Status::RequestTimeout => b"Request Timeout\n",
            Status::ContentTooLarge => b"Content Too Large\n",
            Status::HeaderFieldsTooLarge => b"Request Header Fields Too Large\n",
            Status::NotImplemented => b"Not Implemented\n",
        }
    }
}
// ANCHOR_END: status

/// What the `Connection` header of a response says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    /// HTTP/1.1's default: the connection stays open; no header needed.
    KeepAlive,
    /// An HTTP/1.0 client asked to keep the connection open: `Connection: keep-alive`.
    KeepAliveHttp10,
    /// The server closes the connection after this response: `Connection: close`.
    Close,
}

// ANCHOR: write_head
/// Appends a status line and the headers, up to and including the empty line, to `out`.
pub fn write_head(
    out: &mut Vec<u8>,
    status: Status,
    content_length: u64,
    persistence: Persistence,
    date: &[u8; DATE_LEN],
) {
    out.extend_from_slice(status.line());
    out.extend_from_slice(b"Content-Type: text/plain\r\nContent-Length: ");
    push_decimal(out, content_length);
    out.extend_from_slice(b"\r\nDate: ");
    out.extend_from_slice(date);
    out.extend_from_slice(match persistence {
        Persistence::KeepAlive => b"\r\n\r\n".as_slice(),
        Persistence::KeepAliveHttp10 => b"\r\nConnection: keep-alive\r\n\r\n",
        Persistence::Close => b"\r\nConnection: close\r\n\r\n",
    });
}
// ANCHOR_END: write_head

/// Appends a whole response: the head and, unless `head_only` (a `HEAD` request), `body`.
pub fn write_response(
    out: &mut Vec<u8>,
    status: Status,
    body: &[u8],
    head_only: bool,
    persistence: Persistence,
    date: &[u8; DATE_LEN],
) {
    write_head(out, status, body.len() as u64, persistence, date);
    if !head_only {
        out.extend_from_slice(body);
    }
}

/// Appends an interim `100 Continue` (no headers, no body).
pub fn write_continue(out: &mut Vec<u8>) {
    out.extend_from_slice(Status::Continue.line());
    out.extend_from_slice(b"\r\n");
}

/// Appends `n` in decimal, without allocating.
fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATE: &[u8; DATE_LEN] = b"Sun, 06 Nov 1994 08:49:37 GMT";

    #[test]
    fn a_keep_alive_response_has_no_connection_header() {
        let mut out = Vec::new();
        write_response(
            &mut out,
            Status::Ok,
            b"hi\n",
            false,
            Persistence::KeepAlive,
            DATE,
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\
             Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi\n"
        );
    }

    #[test]
    fn head_only_keeps_the_length_and_drops_the_body() {
        let mut out = Vec::new();
        write_response(
            &mut out,
            Status::NotFound,
            b"Not Found\n",
            true,
            Persistence::Close,
            DATE,
        );
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"));
        assert!(text.contains("Content-Length: 10\r\n"));
        assert!(text.ends_with("Connection: close\r\n\r\n"));
    }

    #[test]
    fn decimals() {
        for n in [0, 7, 10, 1234567890, u64::MAX] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
