//! Text encodings of the files clients hand over. AWS tools write UTF-8; Windows does not
//! always: PowerShell 7 and `Out-File -Encoding utf8` in 5.1 put a UTF-8 byte-order mark first,
//! and Windows PowerShell 5.1's `>` writes UTF-16 LE with a byte-order mark. Every reader goes
//! through here, so each accepts UTF-8 with or without a BOM and UTF-16 LE or BE (with a BOM,
//! or without one when the text starts with an ASCII `{` or `[`), and hands UTF-8 on.

use std::borrow::Cow;
use std::io::{self, Read};

/// How a file's bytes are text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
}

impl Encoding {
    /// Tells the encoding from the first bytes: a byte-order mark, or for UTF-16 without one,
    /// a JSON opening bracket beside a zero byte.
    pub fn detect(prefix: &[u8]) -> Encoding {
        match prefix {
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8Bom,
            [0xFF, 0xFE, ..] | [b'{' | b'[', 0, ..] => Encoding::Utf16Le,
            [0xFE, 0xFF, ..] | [0, b'{' | b'[', ..] => Encoding::Utf16Be,
            _ => Encoding::Utf8,
        }
    }

    /// Bytes of byte-order mark this encoding starts with in `prefix`.
    fn bom_len(self, prefix: &[u8]) -> usize {
        match self {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le if prefix.starts_with(&[0xFF, 0xFE]) => 2,
            Encoding::Utf16Be if prefix.starts_with(&[0xFE, 0xFF]) => 2,
            Encoding::Utf8 | Encoding::Utf16Le | Encoding::Utf16Be => 0,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with a byte-order mark",
            Encoding::Utf16Le => "UTF-16 LE",
            Encoding::Utf16Be => "UTF-16 BE",
        }
    }
}

/// Marks the error a decoder returns for bytes that are not text in their encoding, so the
/// importers can say so (naming the file) instead of calling it an I/O error.
#[derive(Debug)]
pub struct BadText(pub String);

impl std::fmt::Display for BadText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadText {}

/// The message of a `BadText` error inside an I/O error, if that is what it is.
pub fn bad_text(e: &io::Error) -> Option<String> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<BadText>())
        .map(|b| b.0.clone())
}

fn bad(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, BadText(message))
}

/// A whole file in memory as UTF-8 without a byte-order mark; `Err` says why it is not text
/// (for a warning or error that names the file).
pub fn decode(bytes: &[u8]) -> Result<Cow<'_, [u8]>, String> {
    let encoding = Encoding::detect(bytes);
    let body = &bytes[encoding.bom_len(bytes)..];
    match encoding {
        Encoding::Utf8 => Ok(Cow::Borrowed(bytes)),
        Encoding::Utf8Bom => Ok(Cow::Borrowed(body)),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let mut out = Vec::with_capacity(body.len());
            Utf16Reader::new(body, encoding == Encoding::Utf16Be)
                .read_to_end(&mut out)
                .map_err(|e| bad_text(&e).unwrap_or_else(|| e.to_string()))?;
            Ok(Cow::Owned(out))
        }
    }
}

/// Decodes as much of a prefix as there is, for telling the format (a character cut by the
/// end of the prefix is dropped, a bad one replaced).
pub fn decode_prefix(prefix: &[u8]) -> Cow<'_, [u8]> {
    let encoding = Encoding::detect(prefix);
    let body = &prefix[encoding.bom_len(prefix)..];
    match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => Cow::Borrowed(body),
        Encoding::Utf16Le | Encoding::Utf16Be => {
            let units = body.chunks_exact(2).map(|p| {
                if encoding == Encoding::Utf16Be {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            });
            let text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            Cow::Owned(text.into_bytes())
        }
    }
}

/// A reader of UTF-8 over `prefix` (already read) followed by `rest`, whatever the encoding
/// the prefix shows; the byte-order mark is dropped. Also returns the encoding found.
pub fn utf8_reader<'r>(prefix: Vec<u8>, rest: impl Read + 'r) -> (Encoding, Box<dyn Read + 'r>) {
    let encoding = Encoding::detect(&prefix);
    let skip = encoding.bom_len(&prefix);
    let body = io::Cursor::new(prefix).chain(rest);
    let mut body: Box<dyn Read + 'r> = Box::new(body);
    if skip > 0 {
        // The mark is in the prefix, which is in memory: skipping cannot fail.
        let _ = io::copy(&mut (&mut body).take(skip as u64), &mut io::sink());
    }
    let reader: Box<dyn Read + 'r> = match encoding {
        Encoding::Utf8 | Encoding::Utf8Bom => body,
        Encoding::Utf16Le => Box::new(Utf16Reader::new(body, false)),
        Encoding::Utf16Be => Box::new(Utf16Reader::new(body, true)),
    };
    (encoding, reader)
}

/// Streams UTF-16 (no byte-order mark) as UTF-8, one chunk at a time.
pub struct Utf16Reader<R> {
    inner: R,
    big_endian: bool,
    /// UTF-8 decoded and not yet handed out.
    out: Vec<u8>,
    out_pos: usize,
    /// An odd byte left from the last chunk.
    odd: Option<u8>,
    /// A high surrogate waiting for its low half.
    high: Option<u16>,
    /// Code units read, for saying where a bad one is.
    units: u64,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub fn new(inner: R, big_endian: bool) -> Self {
        Utf16Reader {
            inner,
            big_endian,
            out: Vec::new(),
            out_pos: 0,
            odd: None,
            high: None,
            units: 0,
            done: false,
        }
    }

    fn unit(&mut self, unit: u16) -> io::Result<()> {
        self.units += 1;
        let at = (self.units - 1) * 2;
        let c = match (self.high.take(), unit) {
            (None, 0xD800..=0xDBFF) => {
                self.high = Some(unit);
                return Ok(());
            }
            (Some(high), 0xDC00..=0xDFFF) => {
                let code =
                    0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
                char::from_u32(code)
            }
            (None, 0xDC00..=0xDFFF) | (Some(_), _) => None,
            (None, _) => char::from_u32(u32::from(unit)),
        };
        let Some(c) = c else {
            return Err(bad(format!(
                "not valid UTF-16 text (a broken surrogate pair at byte {at} of the text); save the file again as UTF-8"
            )));
        };
        let mut buf = [0u8; 4];
        self.out
            .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    /// Decodes the next chunk into `out`; false at the end of the input.
    fn fill(&mut self) -> io::Result<bool> {
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = match self.inner.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.done = true;
                if self.odd.is_some() || self.high.is_some() {
                    return Err(bad(
                        "not valid UTF-16 text (it ends in the middle of a character); the file may be cut off"
                            .to_owned(),
                    ));
                }
                return Ok(false);
            }
            self.out.clear();
            self.out_pos = 0;
            let mut bytes = &chunk[..n];
            if let Some(first) = self.odd.take() {
                let pair = [first, bytes[0]];
                self.unit(self.to_unit(pair))?;
                bytes = &bytes[1..];
            }
            let mut pairs = bytes.chunks_exact(2);
            for p in pairs.by_ref() {
                self.unit(self.to_unit([p[0], p[1]]))?;
            }
            if let [last] = pairs.remainder() {
                self.odd = Some(*last);
            }
            if !self.out.is_empty() {
                return Ok(true);
            }
        }
    }

    fn to_unit(&self, pair: [u8; 2]) -> u16 {
        if self.big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos >= self.out.len() && (self.done || !self.fill()?) {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// `text` in `encoding`, with its byte-order mark (tests and the sample generator).
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Utf16Le => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        Encoding::Utf16Be => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\"Name\": \"caf\u{e9} \u{1F600} \u{4E2D}\", \"n\": [1, 2]}\r\n";
    const ALL: [Encoding; 4] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
    ];

    #[test]
    fn every_encoding_decodes_to_the_same_utf8() {
        for enc in ALL {
            let bytes = encode(TEXT, enc);
            assert_eq!(Encoding::detect(&bytes), enc, "{}", enc.name());
            assert_eq!(decode(&bytes).expect("decodes").as_ref(), TEXT.as_bytes());
            let (found, mut r) = utf8_reader(bytes[..5].to_vec(), &bytes[5..]);
            assert_eq!(found, enc);
            let mut out = String::new();
            r.read_to_string(&mut out).expect("streams");
            assert_eq!(out, TEXT, "{}", enc.name());
            assert!(decode_prefix(&bytes).starts_with(b"{\"Name\""));
        }
    }

    #[test]
    fn utf16_without_a_mark_is_told_by_the_opening_bracket() {
        let le: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = TEXT.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&le).expect("le").as_ref(), TEXT.as_bytes());
        assert_eq!(decode(&be).expect("be").as_ref(), TEXT.as_bytes());
    }

    #[test]
    fn chunk_boundaries_inside_characters_do_not_matter() {
        // A reader that hands out one byte at a time splits every unit and surrogate pair.
        struct Dribble<'a>(&'a [u8]);
        impl Read for Dribble<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let Some((first, rest)) = self.0.split_first() else {
                    return Ok(0);
                };
                buf[0] = *first;
                self.0 = rest;
                Ok(1)
            }
        }
        let bytes = encode(TEXT, Encoding::Utf16Le);
        let mut out = String::new();
        Utf16Reader::new(Dribble(&bytes[2..]), false)
            .read_to_string(&mut out)
            .expect("decodes");
        assert_eq!(out, TEXT);
    }

    #[test]
    fn broken_utf16_is_an_error_that_says_so() {
        // A lone low surrogate, then a file cut in the middle of a unit.
        let lone = [0xFF, 0xFE, b'{', 0, 0x00, 0xDC, b'}', 0];
        assert!(
            decode(&lone)
                .expect_err("lone surrogate")
                .contains("UTF-16")
        );
        let cut = [0xFF, 0xFE, b'{', 0, b'}'];
        assert!(
            decode(&cut)
                .expect_err("cut")
                .contains("middle of a character")
        );
        let mut r = utf8_reader(cut.to_vec(), io::empty()).1;
        let e = r.read_to_end(&mut Vec::new()).expect_err("cut stream");
        assert!(bad_text(&e).is_some_and(|m| m.contains("UTF-16")));
    }
}
