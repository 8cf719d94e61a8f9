//! Account snapshots -> `Evidence`. Pure over readers and bytes: the filesystem (folders, zip
//! archives, file sizes) is `storage::snapshot`'s business.
//!
//! - `sniff` tells the format from the first bytes, never from the file name;
//! - `config`, `collection`, `asff`, `prowler` read the four formats into `facts` (and findings);
//! - `rules` runs every check of `data/checks.json` over the facts;
//! - `stream` splits big JSON arrays so one item at a time is in memory.
//!
//! Bad input never panics and one bad record never aborts a file: it is skipped with a warning
//! that names the file and where. Imports take a cancel flag and report progress in bytes.

pub mod asff;
pub mod collection;
pub mod common;
pub mod config;
pub mod encoding;
pub mod facts;
pub mod prowler;
pub mod rules;
mod sink;
pub mod sniff;
pub mod stream;
pub mod synth;

use crate::model::catalog::Catalog;
use crate::model::evidence::Evidence;
pub(crate) use sink::{Budget, Built, Sink, value_bytes};
use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use stream::{FlagTick, StreamError};

pub use collection::CollectionFiles;

/// How far an import has got: bytes consumed of the input (compressed bytes for `.gz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub bytes_read: u64,
    pub total: Option<u64>,
}

/// Caps that keep a hostile or mistaken input from eating the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read (bytes on disk).
    pub max_file_bytes: u64,
    /// Most bytes a compressed input (gzip, zip entry) may expand to.
    pub max_inflated_bytes: u64,
    /// Largest single JSON value (one configuration item, one finding, one CLI output).
    pub max_value_bytes: usize,
    /// Most entries read from a zip archive.
    pub max_zip_entries: usize,
    /// Most memory one import may build, estimated: resources and results at their size,
    /// each distinct string once, and the parsed JSON it keeps (CLI outputs) or is about to
    /// parse, at an estimate of the tree serde builds. Past it the import fails, naming the file.
    /// This is the ceiling; the budget itself is relative to the input ([`Limits::built_budget`]).
    pub max_built_bytes: u64,
    /// What an import may build per byte of input read so far (inflated, for gzip and zip).
    pub built_per_input_byte: u64,
    /// What an import may build whatever its size (small files, the catalog's results).
    pub built_base_bytes: u64,
}

impl Limits {
    /// What an import that has read `input` bytes (inflated) may have built:
    /// `min(max_built_bytes, built_per_input_byte × input + built_base_bytes)`. The same bound
    /// caps one JSON value's parse estimate, counting the bytes read up to its end.
    pub fn built_budget(&self, input: u64) -> u64 {
        input
            .saturating_mul(self.built_per_input_byte)
            .saturating_add(self.built_base_bytes)
            .min(self.max_built_bytes)
    }
}

/// See [`Limits::built_per_input_byte`]; chosen from measurement (README, "Reliability").
const BUILT_PER_INPUT_BYTE: u64 = 4;
/// See [`Limits::built_base_bytes`].
const BUILT_BASE_BYTES: u64 = 64 << 20;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 8 << 30,
            max_inflated_bytes: 16 << 30,
            max_value_bytes: 512 << 20,
            max_zip_entries: 100_000,
            max_built_bytes: 2 << 30,
            built_per_input_byte: BUILT_PER_INPUT_BYTE,
            built_base_bytes: BUILT_BASE_BYTES,
        }
    }
}

/// A failed import. Messages put what is wrong first and the file last.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("import cancelled: {path}")]
    Cancelled { path: String },
    #[error("{what}: {path}")]
    Unsupported { path: String, what: String },
    #[error("{message}{}: {path}", at(.location))]
    Invalid {
        path: String,
        location: String,
        message: String,
    },
    #[error("{message}: {path}")]
    TooLarge { path: String, message: String },
    #[error("cannot read ({message}): {path}")]
    Io { path: String, message: String },
}

fn at(location: &str) -> String {
    if location.is_empty() {
        String::new()
    } else {
        format!(" (at {location})")
    }
}

impl ImportError {
    pub fn path(&self) -> &str {
        match self {
            ImportError::Cancelled { path }
            | ImportError::Unsupported { path, .. }
            | ImportError::Invalid { path, .. }
            | ImportError::TooLarge { path, .. }
            | ImportError::Io { path, .. } => path,
        }
    }
}

/// Cancel flag, progress callback and limits for one import.
pub struct ImportCtx<'a> {
    pub cancel: &'a AtomicBool,
    pub progress: &'a mut dyn FnMut(Progress),
    pub limits: Limits,
}

/// Marks the error a `CappedReader` returns, so it can be told from real I/O errors.
#[derive(Debug)]
struct OverLimit(u64);

impl std::fmt::Display for OverLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} bytes", self.0)
    }
}

impl std::error::Error for OverLimit {}

/// Counts bytes into a shared cell and refuses to go past a limit.
pub(crate) struct CappedReader<R> {
    inner: R,
    count: Rc<Cell<u64>>,
    limit: u64,
}

impl<R> CappedReader<R> {
    pub(crate) fn new(inner: R, count: Rc<Cell<u64>>, limit: u64) -> Self {
        CappedReader {
            inner,
            count,
            limit,
        }
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let total = self.count.get() + n as u64;
        self.count.set(total);
        if total > self.limit {
            return Err(io::Error::other(OverLimit(self.limit)));
        }
        Ok(n)
    }
}

fn over_limit(e: &io::Error) -> Option<u64> {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<OverLimit>())
        .map(|o| o.0)
}

fn gb(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / f64::from(1u32 << 30))
    } else {
        format!("{} MB", bytes >> 20)
    }
}

/// `gb`, down to KB and bytes (budgets of small inputs).
fn size(bytes: u64) -> String {
    if bytes >= 1 << 20 {
        gb(bytes)
    } else if bytes >= 1 << 10 {
        format!("{} KB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// When a stream that broke part-way may keep the records read before the break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeepPartial {
    /// Only when the file was cut off (truncated, or ended in the middle of a value).
    OnTruncation,
    /// On any invalid data after the first record.
    OnInvalidData,
}

/// Handles a stream that broke after `read` records (`what`: "items", "findings"): if the rule
/// allows, what was read stands and a warning names where it broke; otherwise it is an error.
#[allow(clippy::too_many_arguments)]
pub(crate) fn keep_partial(
    sink: &mut Sink,
    path: &str,
    location: &str,
    what: &str,
    read: usize,
    err: StreamError,
    compressed: bool,
    rule: KeepPartial,
) -> Result<(), ImportError> {
    let truncated = matches!(
        err,
        StreamError::Truncated { .. } | StreamError::Unexpected { .. }
    );
    let allowed = read > 0 && (rule == KeepPartial::OnInvalidData || truncated);
    match stream_error(path, location, err, compressed) {
        ImportError::Invalid {
            location, message, ..
        } if allowed => {
            sink.warn(
                path,
                location,
                format!("{message}; the {read} {what} before it were imported"),
            );
            Ok(())
        }
        other => Err(other),
    }
}

/// Turns a splitter error into an import error (or `None` when what was read can stand).
pub(crate) fn stream_error(
    path: &str,
    location: &str,
    err: StreamError,
    compressed: bool,
) -> ImportError {
    match err {
        StreamError::Cancelled => ImportError::Cancelled {
            path: path.to_owned(),
        },
        StreamError::Io(e) if encoding::bad_text(&e).is_some() => ImportError::Invalid {
            path: path.to_owned(),
            location: location.to_owned(),
            message: encoding::bad_text(&e).unwrap_or_default(),
        },
        StreamError::Io(e) => match over_limit(&e) {
            Some(limit) if compressed => ImportError::TooLarge {
                path: path.to_owned(),
                message: format!(
                    "the compressed file expands to more than {} (a decompression bomb?); not imported",
                    gb(limit)
                ),
            },
            Some(limit) => ImportError::TooLarge {
                path: path.to_owned(),
                message: format!("the file is larger than the {} limit", gb(limit)),
            },
            None if e.kind() == io::ErrorKind::InvalidInput
                || e.kind() == io::ErrorKind::InvalidData =>
            {
                ImportError::Invalid {
                    path: path.to_owned(),
                    location: location.to_owned(),
                    message: format!("corrupt compressed data ({e})"),
                }
            }
            None => ImportError::Io {
                path: path.to_owned(),
                message: e.to_string(),
            },
        },
        StreamError::ValueTooLarge { offset, limit } => ImportError::TooLarge {
            path: path.to_owned(),
            message: format!(
                "one JSON value (at byte {offset}) would take more than {} to read (the budget \
                 for the input read up to it); not imported",
                size(limit as u64)
            ),
        },
        other => ImportError::Invalid {
            path: path.to_owned(),
            location: location.to_owned(),
            message: other.to_string(),
        },
    }
}

/// Imports one file's content (plain or gzip JSON) read from `reader`. `total` is its size,
/// when known, for progress. A zip archive or a folder goes through `import_collection`.
pub fn import_reader(
    catalog: &Catalog,
    path: &str,
    reader: impl Read,
    total: Option<u64>,
    ctx: &mut ImportCtx,
) -> Result<Evidence, ImportError> {
    let limits = ctx.limits;
    let raw_count = Rc::new(Cell::new(0u64));
    let mut raw = io::BufReader::with_capacity(
        1 << 16,
        CappedReader::new(reader, raw_count.clone(), limits.max_file_bytes),
    );
    let prefix = read_prefix(&mut raw, sniff::PREFIX)
        .map_err(|e| stream_error(path, "", StreamError::Io(e), false))?;
    let kind = sniff::sniff(&prefix);
    let cancel = ctx.cancel;
    let progress = &mut *ctx.progress;
    let mut report = || {
        progress(Progress {
            bytes_read: raw_count.get(),
            total,
        });
    };
    if kind == sniff::Kind::Gzip {
        let inflated = Rc::new(Cell::new(0u64));
        let budget = Budget::new(limits, inflated.clone());
        let gz = flate2::read::MultiGzDecoder::new(io::Cursor::new(prefix).chain(raw));
        let mut inner = io::BufReader::with_capacity(
            1 << 16,
            CappedReader::new(gz, inflated, limits.max_inflated_bytes),
        );
        let prefix = read_prefix(&mut inner, sniff::PREFIX)
            .map_err(|e| stream_error(path, "", StreamError::Io(e), true))?;
        let (prefix, body) = as_utf8(path, prefix, inner, true)?;
        let kind = sniff::sniff(&prefix);
        let body = io::Cursor::new(prefix).chain(body);
        let tick = FlagTick {
            cancel,
            on_chunk: &mut report,
        };
        dispatch(catalog, path, kind, body, tick, &budget, true)
    } else {
        let budget = Budget::new(limits, raw_count.clone());
        let (prefix, body) = as_utf8(path, prefix, raw, false)?;
        let kind = sniff::sniff(&prefix);
        let body = io::Cursor::new(prefix).chain(body);
        let tick = FlagTick {
            cancel,
            on_chunk: &mut report,
        };
        dispatch(catalog, path, kind, body, tick, &budget, false)
    }
}

/// Imports bytes already in memory (tests, small files).
pub fn import_bytes(catalog: &Catalog, path: &str, bytes: &[u8]) -> Result<Evidence, ImportError> {
    let cancel = AtomicBool::new(false);
    let mut ignore = |_: Progress| {};
    let mut ctx = ImportCtx {
        cancel: &cancel,
        progress: &mut ignore,
        limits: Limits::default(),
    };
    import_reader(catalog, path, bytes, Some(bytes.len() as u64), &mut ctx)
}

/// The text after `prefix` (already read) as UTF-8 whatever its encoding (a UTF-8 byte-order
/// mark dropped, UTF-16 transcoded), with its first bytes read again for sniffing.
fn as_utf8<'r>(
    path: &str,
    prefix: Vec<u8>,
    rest: impl Read + 'r,
    compressed: bool,
) -> Result<(Vec<u8>, Box<dyn Read + 'r>), ImportError> {
    let (_, mut body) = encoding::utf8_reader(prefix, rest);
    let prefix = read_prefix(&mut body, sniff::PREFIX)
        .map_err(|e| stream_error(path, "", StreamError::Io(e), compressed))?;
    Ok((prefix, body))
}

fn read_prefix(reader: &mut impl Read, size: usize) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(size);
    reader.take(size as u64).read_to_end(&mut prefix)?;
    Ok(prefix)
}

fn dispatch<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    kind: sniff::Kind,
    body: R,
    tick: FlagTick<'_, F>,
    budget: &Budget,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    match kind {
        sniff::Kind::ConfigSnapshot => config::import(catalog, path, body, tick, budget, compressed),
        sniff::Kind::SecurityHub => asff::import(catalog, path, body, tick, budget, compressed),
        sniff::Kind::ProwlerOcsf => prowler::import(catalog, path, body, tick, budget, compressed),
        sniff::Kind::Gzip => Err(ImportError::Unsupported {
            path: path.to_owned(),
            what: "a gzip file inside a gzip file; decompress it once first".to_owned(),
        }),
        sniff::Kind::Zip => Err(ImportError::Unsupported {
            path: path.to_owned(),
            what: if compressed {
                "a zip archive inside a gzip file; decompress it first".to_owned()
            } else {
                "a zip archive: import it as a collection (demarc import opens it)".to_owned()
            },
        }),
        sniff::Kind::CliManifest => Err(ImportError::Unsupported {
            path: path.to_owned(),
            what: "the manifest.json of an AWS CLI collection: import the folder (or .zip) that holds it".to_owned(),
        }),
        sniff::Kind::Rejected(what) => Err(ImportError::Unsupported { path: path.to_owned(), what }),
    }
}
