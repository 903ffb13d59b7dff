//! Decoding a `Transfer-Encoding: chunked` request body (RFC 9112, section 7.1).
//!
//! ```text
//! 5;name=value\r\n     a chunk: its size in hex, optional extensions, CRLF
//! hello\r\n            its data, CRLF
//! 0\r\n                the last chunk: size 0
//! Trailer: x\r\n       optional trailer fields
//! \r\n                 the end
//! ```
//!
//! The decoder is a state machine fed whatever bytes have arrived: a chunk may be split
//! anywhere, down to one byte per read, so every state can be left and resumed.

/// Why a chunked body was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkError {
    /// Not chunked encoding: a bad size, a missing CRLF, a line too long.
    Malformed,
    /// The decoded body is over the limit.
    TooLarge,
}

/// The longest chunk-size line (with its extensions) or trailer line we accept.
pub const MAX_LINE: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading the hex size; `digits` so far.
    Size { digits: usize },
    /// After the size: extensions up to the CR.
    Extension,
    /// Expecting the LF that ends the size line.
    SizeLf,
    /// Inside a chunk's data, with this many bytes left.
    Data { left: u64 },
    /// Expecting the CR after a chunk's data.
    DataCr,
    /// Expecting the LF after a chunk's data.
    DataLf,
    /// At the start of a trailer line (an empty one ends the body).
    TrailerStart,
    /// Inside a trailer line.
    Trailer,
    /// Expecting the LF of a trailer line; `last`: it was the empty line.
    TrailerLf { last: bool },
    /// The body is complete.
    Done,
}

/// Decodes one chunked body.
#[derive(Debug, Clone)]
pub struct ChunkedDecoder {
    state: State,
    /// The size being read.
    size: u64,
    /// Bytes of the current size or trailer line.
    line: usize,
    /// Decoded bytes so far.
    total: u64,
}

impl Default for ChunkedDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ChunkedDecoder {
    /// A decoder at the start of a body.
    pub fn new() -> ChunkedDecoder {
        ChunkedDecoder {
            state: State::Size { digits: 0 },
            size: 0,
            line: 0,
            total: 0,
        }
    }

    /// Whether the whole body, trailers included, has been read.
    pub fn is_done(&self) -> bool {
        self.state == State::Done
    }

    // ANCHOR: feed
    /// Decodes from `input`, handing each piece of body data to `data`, and returns how many
    /// bytes of `input` it used: all of them, unless the body ended inside `input` (the rest is
    /// the next request). The decoded total may not exceed `max_total`.
    pub fn feed(
        &mut self,
        input: &[u8],
        max_total: u64,
        mut data: impl FnMut(&[u8]),
    ) -> Result<usize, ChunkError> {
        let mut at = 0;
        while at < input.len() && self.state != State::Done {
            if let State::Data { left } = self.state {
                // The bulk of the body: pass it on in one piece, not byte by byte.
                let take = left.min((input.len() - at) as u64) as usize;
                data(&input[at..at + take]);
                at += take;
                let left = left - take as u64;
                self.state = if left == 0 {
                    State::DataCr
                } else {
                    State::Data { left }
                };
                continue;
            }
            self.step(input[at], max_total)?;
            at += 1;
        }
        Ok(at)
    }
    // ANCHOR_END: feed

    /// One byte of a size line, a CRLF or a trailer.
    fn step(&mut self, byte: u8, max_total: u64) -> Result<(), ChunkError> {
        use ChunkError::Malformed;
        self.line += 1;
        if self.line > MAX_LINE {
            return Err(Malformed);
        }
        self.state = match self.state {
            State::Size { digits } => match (byte as char).to_digit(16) {
                Some(d) if digits < 16 => {
                    self.size = self.size * 16 + u64::from(d);
                    State::Size { digits: digits + 1 }
                }
                Some(_) => return Err(Malformed), // more than 64 bits of size
                None if digits == 0 => return Err(Malformed),
                None if byte == b'\r' => State::SizeLf,
                None if byte == b';' || byte == b' ' || byte == b'\t' => State::Extension,
                None => return Err(Malformed),
            },
            State::Extension => match byte {
                b'\r' => State::SizeLf,
                b'\n' => return Err(Malformed),
                _ => State::Extension,
            },
            State::SizeLf if byte == b'\n' => {
                self.line = 0;
                let size = std::mem::take(&mut self.size);
                if size == 0 {
                    State::TrailerStart
                } else {
                    self.total = self.total.checked_add(size).ok_or(ChunkError::TooLarge)?;
                    if self.total > max_total {
                        return Err(ChunkError::TooLarge);
                    }
                    State::Data { left: size }
                }
            }
            State::DataCr if byte == b'\r' => State::DataLf,
            State::DataLf if byte == b'\n' => {
                self.line = 0;
                State::Size { digits: 0 }
            }
            State::TrailerStart if byte == b'\r' => State::TrailerLf { last: true },
            State::TrailerStart | State::Trailer if byte == b'\n' => return Err(Malformed),
            State::TrailerStart | State::Trailer if byte == b'\r' => {
                State::TrailerLf { last: false }
            }
            State::TrailerStart | State::Trailer => State::Trailer,
            State::TrailerLf { last } if byte == b'\n' => {
                self.line = 0;
                if last {
                    State::Done
                } else {
                    State::TrailerStart
                }
            }
            _ => return Err(Malformed),
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_in_pieces(input: &[u8], piece: usize) -> Result<(Vec<u8>, usize), ChunkError> {
        let mut decoder = ChunkedDecoder::new();
        let mut body = Vec::new();
        let mut used = 0;
        for part in input.chunks(piece) {
            used += decoder.feed(part, 1 << 20, |d| body.extend_from_slice(d))?;
            if decoder.is_done() {
                break;
            }
        }
        assert!(decoder.is_done(), "not done after {used} bytes");
        Ok((body, used))
    }

    #[test]
    fn decodes_whole_and_byte_by_byte() {
        let input = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\nGET /";
        for piece in [input.len(), 1, 2, 3, 7] {
            let (body, used) = decode_in_pieces(input, piece).unwrap();
            assert_eq!(body, b"hello, world");
            assert_eq!(used, input.len() - b"GET /".len(), "piece {piece}");
        }
    }

    #[test]
    fn hex_sizes_in_either_case() {
        let mut input = b"1A\r\n".to_vec();
        input.extend_from_slice(&[b'x'; 26]);
        input.extend_from_slice(b"\r\na\r\n0123456789\r\n0\r\n\r\n");
        let (body, _) = decode_in_pieces(&input, 5).unwrap();
        assert_eq!(body.len(), 36);
    }

    #[test]
    fn malformed_bodies_are_refused() {
        for input in [
            &b"x\r\n"[..],
            b"\r\n",
            b"5\nhello\r\n",
            b"5\r\nhelloXX",
            b"11111111111111111\r\n",
            b"0\r\nbad\ntrailer\r\n\r\n",
        ] {
            let mut decoder = ChunkedDecoder::new();
            let result = decoder.feed(input, 1 << 20, |_| {});
            assert_eq!(result, Err(ChunkError::Malformed), "{input:?}");
        }
    }

    #[test]
    fn the_limit_counts_decoded_bytes() {
        let mut decoder = ChunkedDecoder::new();
        let result = decoder.feed(b"10\r\n", 15, |_| {});
        assert_eq!(result, Err(ChunkError::TooLarge));
        let mut decoder = ChunkedDecoder::new();
        assert!(decoder.feed(b"f\r\n", 15, |_| {}).is_ok());
    }
}
