//! A streaming splitter for JSON documents shaped like `{"key": ..., "items": [ {...}, ... ]}` or
//! `[ {...}, ... ]`: it hands each array element over as a byte slice, holding only one element
//! in memory at a time. Elements are then parsed with `serde_json::from_slice`, which is several
//! times faster than parsing from a reader, and a broken element costs a warning, not the file.
//!
//! The splitter only tracks structure (strings, escapes, nesting); serde validates the content.
//! Reading happens in chunks; after each chunk the progress callback runs and the cancel flag is
//! checked, so even one huge element can be cancelled.

use std::io::{self, Read};
use std::sync::atomic::{AtomicBool, Ordering};

const CHUNK: usize = 1 << 18;

/// Bytes a parsed array element or object member costs (serde's `Value` is 32 bytes; a map
/// entry adds its key and node share). A value's parse estimate is its length plus this per
/// `[`, `{` and `,` outside strings: `[],[],...` is 3 bytes of text but 32 bytes of tree each.
pub const NODE_BYTES: u64 = 48;

/// The memory serde builds parsing `bytes` as a `Value`, estimated from its structure (the
/// text, plus [`NODE_BYTES`] per container and element). Linear, no allocation.
pub fn parse_estimate(bytes: &[u8]) -> u64 {
    let mut nodes: u64 = 0;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'[' | b'{' | b',' => nodes += 1,
                _ => {}
            }
        }
    }
    (bytes.len() as u64).saturating_add(nodes.saturating_mul(NODE_BYTES))
}

/// Why the splitter stopped.
#[derive(Debug)]
pub enum StreamError {
    Io(io::Error),
    /// The input ended inside a value or before the document was complete.
    Truncated {
        offset: u64,
    },
    /// A byte that cannot start or continue the expected structure.
    Unexpected {
        offset: u64,
        found: String,
        expected: &'static str,
    },
    /// One value is larger than the limit, counted as its parse estimate ([`parse_estimate`]).
    ValueTooLarge {
        offset: u64,
        limit: usize,
    },
    Cancelled,
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Io(e) => write!(f, "read error: {e}"),
            StreamError::Truncated { offset } => {
                write!(f, "the file ends early, at byte {offset} (truncated?)")
            }
            StreamError::Unexpected {
                offset,
                found,
                expected,
            } => {
                write!(f, "at byte {offset}: found {found}, expected {expected}")
            }
            StreamError::ValueTooLarge { offset, limit } => {
                write!(
                    f,
                    "the value at byte {offset} would take more than {} MB to read",
                    limit / 1_000_000
                )
            }
            StreamError::Cancelled => f.write_str("cancelled"),
        }
    }
}

/// What the caller sees of the reading progress: bytes consumed from the underlying source.
pub trait Tick {
    /// Called after each chunk read; returns false to cancel.
    fn tick(&mut self) -> bool;
}

/// A `Tick` from a cancel flag and a closure.
pub struct FlagTick<'a, F: FnMut()> {
    pub cancel: &'a AtomicBool,
    pub on_chunk: F,
}

impl<F: FnMut()> Tick for FlagTick<'_, F> {
    fn tick(&mut self) -> bool {
        (self.on_chunk)();
        !self.cancel.load(Ordering::Relaxed)
    }
}

pub struct JsonStream<R, T> {
    reader: R,
    tick: T,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    start: usize,
    /// Offset in the stream of `buf[0]`.
    base: u64,
    eof: bool,
    max_value: usize,
    /// A value may also take at most this many bytes per byte of the stream read up to its
    /// end, plus `base_bytes` (see [`JsonStream::relative_to_input`]).
    per_byte: u64,
    base_bytes: u64,
}

fn describe(byte: u8) -> String {
    if byte.is_ascii_graphic() {
        format!("'{}'", byte as char)
    } else {
        format!("byte 0x{byte:02x}")
    }
}

impl<R: Read, T: Tick> JsonStream<R, T> {
    pub fn new(reader: R, tick: T, max_value: usize) -> Self {
        JsonStream {
            reader,
            tick,
            buf: Vec::with_capacity(CHUNK),
            start: 0,
            base: 0,
            eof: false,
            max_value,
            per_byte: 0,
            base_bytes: u64::MAX,
        }
    }

    /// Caps each value's parse estimate by the import's budget too ([`super::Limits::built_budget`]
    /// of the bytes read up to the value's end), not only by `max_value`.
    #[must_use]
    pub fn relative_to_input(mut self, limits: super::Limits) -> Self {
        self.per_byte = limits.built_per_input_byte;
        self.base_bytes = limits.built_base_bytes;
        self
    }

    /// Offset in the stream of the next unconsumed byte.
    pub fn offset(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Reads one more chunk; moves unconsumed bytes to the front first. Returns false at EOF.
    fn fill(&mut self) -> Result<bool, StreamError> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            self.buf.drain(..self.start);
            self.base += self.start as u64;
            self.start = 0;
        }
        let old = self.buf.len();
        self.buf.resize(old + CHUNK, 0);
        let n = loop {
            match self.reader.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(old);
                    return Err(StreamError::Io(e));
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        if !self.tick.tick() {
            return Err(StreamError::Cancelled);
        }
        Ok(n > 0)
    }

    /// The next non-whitespace byte, not consumed; None at end of input.
    fn peek(&mut self) -> Result<Option<u8>, StreamError> {
        loop {
            while self.start < self.buf.len() {
                let b = self.buf[self.start];
                if matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                    self.start += 1;
                } else {
                    // A UTF-8 byte order mark at the very start is tolerated.
                    if self.offset() == 0 && self.buf[self.start..].starts_with(&[0xEF, 0xBB, 0xBF])
                    {
                        self.start += 3;
                        continue;
                    }
                    return Ok(Some(b));
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    fn expect(&mut self, byte: u8, expected: &'static str) -> Result<(), StreamError> {
        match self.peek()? {
            Some(b) if b == byte => {
                self.start += 1;
                Ok(())
            }
            Some(b) => Err(StreamError::Unexpected {
                offset: self.offset(),
                found: describe(b),
                expected,
            }),
            None => Err(StreamError::Truncated {
                offset: self.offset(),
            }),
        }
    }

    /// Is a value of `len` bytes holding `nodes` containers and elements over the limit?
    fn over_limit(&self, len: usize, nodes: u64) -> bool {
        let estimate = (len as u64).saturating_add(nodes.saturating_mul(NODE_BYTES));
        estimate > self.value_limit(len)
    }

    /// The most a value of `len` bytes starting at `self.start` may take once parsed.
    fn value_limit(&self, len: usize) -> u64 {
        let end = self.base + (self.start + len) as u64;
        end.saturating_mul(self.per_byte)
            .saturating_add(self.base_bytes)
            .min(self.max_value as u64)
    }

    /// Length of the value starting at `self.start` (after `peek`), reading more as needed;
    /// stops with `ValueTooLarge` as soon as its parse estimate passes the limit.
    fn value_len(&mut self) -> Result<usize, StreamError> {
        let first = self.buf[self.start];
        let mut i = self.start;
        let mut nodes: u64 = 0;
        let mut depth: usize = 0;
        let mut in_string = false;
        let mut escaped = false;
        // Anything else is a scalar (number, true, false, null); serde checks its spelling.
        let scalar = !matches!(first, b'{' | b'[' | b'"');
        loop {
            let buf = &self.buf;
            while i < buf.len() {
                let b = buf[i];
                if scalar {
                    if matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        return Ok(i - self.start);
                    }
                } else if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                        if depth == 0 {
                            return Ok(i + 1 - self.start);
                        }
                    }
                } else {
                    match b {
                        b'"' => in_string = true,
                        b'{' | b'[' => {
                            depth += 1;
                            nodes += 1;
                        }
                        b',' => nodes += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                if self.over_limit(i + 1 - self.start, nodes) {
                                    return Err(StreamError::ValueTooLarge {
                                        offset: self.offset(),
                                        limit: self.value_limit(i + 1 - self.start) as usize,
                                    });
                                }
                                return Ok(i + 1 - self.start);
                            }
                        }
                        _ => {}
                    }
                }
                i += 1;
            }
            if self.over_limit(i - self.start, nodes) {
                return Err(StreamError::ValueTooLarge {
                    offset: self.offset(),
                    limit: self.value_limit(i - self.start) as usize,
                });
            }
            // `fill` may move the unconsumed bytes to the front, even when it then finds the
            // end of the input: carry the scan position over before anything else reads it.
            let scanned = i - self.start;
            let more = self.fill()?;
            i = self.start + scanned;
            if !more {
                if scalar && scanned > 0 {
                    return Ok(scanned);
                }
                return Err(StreamError::Truncated {
                    offset: self.base + i as u64,
                });
            }
        }
    }

    /// True when the next value is an array.
    pub fn next_is_array(&mut self) -> Result<bool, StreamError> {
        Ok(self.peek()? == Some(b'['))
    }

    /// Consumes the next value and returns its bytes.
    pub fn next_value(&mut self) -> Result<&[u8], StreamError> {
        if self.peek()?.is_none() {
            return Err(StreamError::Truncated {
                offset: self.offset(),
            });
        }
        let len = self.value_len()?;
        if len > self.max_value {
            return Err(StreamError::ValueTooLarge {
                offset: self.offset(),
                limit: self.max_value,
            });
        }
        let at = self.start;
        self.start += len;
        Ok(&self.buf[at..at + len])
    }

    /// Calls `on_item` for every element of the array that starts here. `on_item` gets the
    /// element's index and bytes and returns false to stop early.
    pub fn array(
        &mut self,
        mut on_item: impl FnMut(usize, &[u8], u64) -> bool,
    ) -> Result<usize, StreamError> {
        self.expect(b'[', "'[' (an array)")?;
        let mut index = 0;
        if self.peek()? == Some(b']') {
            self.start += 1;
            return Ok(0);
        }
        loop {
            let offset = self.offset();
            let item = self.next_value()?;
            if !on_item(index, item, offset) {
                return Ok(index + 1);
            }
            index += 1;
            match self.peek()? {
                Some(b',') => self.start += 1,
                Some(b']') => {
                    self.start += 1;
                    return Ok(index);
                }
                Some(b) => {
                    return Err(StreamError::Unexpected {
                        offset: self.offset(),
                        found: describe(b),
                        expected: "',' or ']'",
                    });
                }
                None => {
                    return Err(StreamError::Truncated {
                        offset: self.offset(),
                    });
                }
            }
        }
    }

    /// Walks a top-level object: for each key, `on_key` says whether the value is the array to
    /// stream (`true`: then `on_item` gets its elements) or a small value to hand to `on_value`.
    pub fn object(
        &mut self,
        mut is_array_key: impl FnMut(&str) -> bool,
        mut on_value: impl FnMut(&str, &[u8]),
        mut on_item: impl FnMut(&str, usize, &[u8], u64) -> bool,
    ) -> Result<(), StreamError> {
        self.expect(b'{', "'{' (an object)")?;
        if self.peek()? == Some(b'}') {
            self.start += 1;
            return Ok(());
        }
        loop {
            let key_offset = self.offset();
            match self.peek()? {
                Some(b'"') => {}
                Some(b) => {
                    return Err(StreamError::Unexpected {
                        offset: key_offset,
                        found: describe(b),
                        expected: "a key",
                    });
                }
                None => return Err(StreamError::Truncated { offset: key_offset }),
            }
            let raw = self.next_value()?;
            let key: String = serde_json::from_slice(raw).map_err(|_| StreamError::Unexpected {
                offset: key_offset,
                found: "a malformed key".to_owned(),
                expected: "a key",
            })?;
            self.expect(b':', "':'")?;
            if is_array_key(&key) && self.peek()? == Some(b'[') {
                let mut stop = false;
                self.array(|i, bytes, offset| {
                    let go = on_item(&key, i, bytes, offset);
                    stop = !go;
                    go
                })?;
                if stop {
                    return Ok(());
                }
            } else {
                let value = self.next_value()?;
                on_value(&key, value);
            }
            match self.peek()? {
                Some(b',') => self.start += 1,
                Some(b'}') => {
                    self.start += 1;
                    return Ok(());
                }
                Some(b) => {
                    return Err(StreamError::Unexpected {
                        offset: self.offset(),
                        found: describe(b),
                        expected: "',' or '}'",
                    });
                }
                None => {
                    return Err(StreamError::Truncated {
                        offset: self.offset(),
                    });
                }
            }
        }
    }

    /// True when only whitespace is left.
    pub fn at_end(&mut self) -> Result<bool, StreamError> {
        Ok(self.peek()?.is_none())
    }

    /// After the document: only whitespace may follow.
    pub fn finish(&mut self) -> Result<(), StreamError> {
        match self.peek()? {
            None => Ok(()),
            Some(b) => Err(StreamError::Unexpected {
                offset: self.offset(),
                found: describe(b),
                expected: "the end of the file",
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoTick;
    impl Tick for NoTick {
        fn tick(&mut self) -> bool {
            true
        }
    }

    /// A reader that hands out one byte at a time: every value spans many chunks.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || out.is_empty() {
                return Ok(0);
            }
            out[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    type Split = (Vec<(String, String)>, Vec<String>);

    fn items(text: &str) -> Result<Split, StreamError> {
        let mut values = Vec::new();
        let mut found = Vec::new();
        let mut s = JsonStream::new(Trickle(text.as_bytes()), NoTick, 1 << 20);
        s.object(
            |k| k == "items",
            |k, v| values.push((k.to_owned(), String::from_utf8_lossy(v).into_owned())),
            |_, _, bytes, _| {
                found.push(String::from_utf8_lossy(bytes).into_owned());
                true
            },
        )?;
        s.finish()?;
        Ok((values, found))
    }

    #[test]
    fn splits_array_elements_across_chunk_boundaries() {
        let text = r#"{"v": "1.0", "items": [ {"a": "x]}\"", "b": [1, {"c": 2}]}, 3, "s,]", {} ], "n": null}"#;
        let (values, found) = items(text).expect("valid");
        assert_eq!(
            values,
            [
                ("v".to_owned(), r#""1.0""#.to_owned()),
                ("n".to_owned(), "null".to_owned())
            ]
        );
        assert_eq!(
            found,
            [
                r#"{"a": "x]}\"", "b": [1, {"c": 2}]}"#,
                "3",
                r#""s,]""#,
                "{}"
            ]
        );
    }

    #[test]
    fn truncated_input_is_reported_with_its_offset() {
        let err = items(r#"{"items": [ {"a": 1}, {"b": "#).expect_err("truncated");
        assert!(matches!(err, StreamError::Truncated { .. }), "{err}");
        let err = items("").expect_err("empty");
        assert!(matches!(err, StreamError::Truncated { offset: 0 }), "{err}");
    }

    /// Inputs cut inside a scalar at the very end: the splitter had moved its buffer when it
    /// hit the end and used a stale index (a panic on `[1`, wrong offsets in messages).
    #[test]
    fn input_cut_inside_a_scalar_never_panics_and_reports_the_true_offset() {
        for text in [&b"[1"[..], b"[nul", b"[1, 2", b"[\"ab"] {
            let mut s = JsonStream::new(text, NoTick, 1 << 20);
            let result = s.array(|_, _, _| true);
            match result {
                Err(StreamError::Truncated { offset }) => {
                    assert_eq!(
                        offset,
                        text.len() as u64,
                        "{}",
                        String::from_utf8_lossy(text)
                    );
                }
                other => panic!("{}: {other:?}", String::from_utf8_lossy(text)),
            }
        }
        for text in [&br#"{"x":1"#[..], br#"{"Findings": 1"#, br#"{"items": [1"#] {
            let mut s = JsonStream::new(text, NoTick, 1 << 20);
            let err = s
                .object(|k| k == "items", |_, _| {}, |_, _, _, _| true)
                .expect_err("cut");
            assert!(
                matches!(err, StreamError::Truncated { offset } if offset == text.len() as u64),
                "{}: {err:?}",
                String::from_utf8_lossy(text)
            );
        }
    }

    #[test]
    fn wrong_structure_names_what_was_found() {
        let err = items("[1, 2]").expect_err("array, not object");
        assert!(err.to_string().contains("expected '{'"), "{err}");
        let err = items(r#"{"items": [1] } trailing"#).expect_err("trailing");
        assert!(err.to_string().contains("end of the file"), "{err}");
        let err = items("\u{0}\u{1}binary").expect_err("binary");
        assert!(err.to_string().contains("byte 0x00"), "{err}");
    }

    #[test]
    fn a_value_over_the_limit_stops_the_stream() {
        let big = format!(r#"{{"items": [ "{}" ]}}"#, "x".repeat(5000));
        let mut s = JsonStream::new(big.as_bytes(), NoTick, 1000);
        let err = s
            .object(|_| true, |_, _| {}, |_, _, _, _| true)
            .expect_err("too large");
        assert!(matches!(err, StreamError::ValueTooLarge { .. }), "{err}");
    }

    /// F2: 500 MB of `[],` in one value built a 5 GB tree; the limit counts what parsing builds.
    #[test]
    fn a_value_of_many_tiny_nodes_counts_what_parsing_it_would_build() {
        let nodes = format!("{{\"items\": [ [{}[]] ]}}", "[],".repeat(10_000));
        let text = format!(r#"{{"items": [ "{}" ]}}"#, "x".repeat(30_100));
        assert!(nodes.len() < text.len(), "the tree is the shorter text");
        assert!(parse_estimate(nodes.as_bytes()) > 20 * nodes.len() as u64 / 2);
        assert!(parse_estimate(text.as_bytes()) < text.len() as u64 + 4 * NODE_BYTES);
        let mut s = JsonStream::new(nodes.as_bytes(), NoTick, 100_000);
        let err = s
            .object(|_| true, |_, _| {}, |_, _, _, _| true)
            .expect_err("too many nodes");
        assert!(matches!(err, StreamError::ValueTooLarge { .. }), "{err}");
        let mut s = JsonStream::new(text.as_bytes(), NoTick, 100_000);
        s.object(|_| true, |_, _| {}, |_, _, _, _| true)
            .expect("a long string is one node");
    }

    #[test]
    fn cancel_flag_stops_reading() {
        let cancel = AtomicBool::new(true);
        let mut s = JsonStream::new(
            &b"{\"items\": []}"[..],
            FlagTick {
                cancel: &cancel,
                on_chunk: || {},
            },
            1000,
        );
        let err = s
            .object(|_| true, |_, _| {}, |_, _, _, _| true)
            .expect_err("cancelled");
        assert!(matches!(err, StreamError::Cancelled));
    }
}
