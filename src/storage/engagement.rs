//! Engagement files on disk, written so that the user's work survives a crash, a full disk, a
//! second window and a sync tool.
//!
//! - **Save** writes a temporary file beside the target, fsyncs it, copies the previous version
//!   to `<file>.bak` (also through a fsynced temporary file and a rename), renames the new file
//!   over the target and fsyncs the folder. At every instant the target holds either the old
//!   or the new document, never a mix (tested by interrupting a save at each step).
//! - **Conflicts**: [`open`] returns a [`DiskStamp`] (mtime, length, content hash); [`save`] in
//!   [`SaveMode::Safe`] refuses with [`EngagementFileError::ChangedOnDisk`] when the file's
//!   content is no longer what was opened, and with [`EngagementFileError::AlreadyExists`] when
//!   a new document would replace an existing file.
//! - **Never overwritten**: a corrupt file fails to open, so there is nothing to save over it
//!   without the user choosing `Overwrite`, and even then its bytes go to `.bak`. A file written
//!   by a newer format is never replaced, whatever the mode.
//! - **Autosave** goes to a separate copy (`<file>.autosave`, or the data folder for an untitled
//!   document), never to the file itself; [`find_recovery`] finds one newer than the file after
//!   a crash, and a successful save removes it.

use crate::model::engagement::{Engagement, FORMAT_VERSION, ParseError};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// What a file looked like when it was opened or last saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskStamp {
    pub modified: Option<SystemTime>,
    pub len: u64,
    /// FNV-1a 64 of the content: what decides whether the file changed.
    pub hash: u64,
}

impl DiskStamp {
    fn of(bytes: &[u8], modified: Option<SystemTime>) -> DiskStamp {
        DiskStamp {
            modified,
            len: bytes.len() as u64,
            hash: fnv1a(bytes),
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// An opened document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub engagement: Engagement,
    pub stamp: DiskStamp,
    /// The older format version the file was migrated from; saving writes the current format
    /// (and keeps the old file as `.bak`).
    pub migrated_from: Option<u32>,
}

/// How [`save`] treats what is already on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    /// Refuse when the file changed since it was opened, or exists when nothing was opened.
    Safe,
    /// Replace whatever is there (the user confirmed); its bytes still go to `.bak`.
    Overwrite,
}

/// Engagement file failures. Every message ends with the file's path.
#[derive(Debug, thiserror::Error)]
pub enum EngagementFileError {
    #[error("cannot read the engagement: {source}: {}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot open the engagement: {source}: {}", .path.display())]
    Parse { path: PathBuf, source: ParseError },
    #[error(
        "not saved: the file changed on disk since it was opened (another window or a sync \
         tool?); reopen it, or save anyway to replace it (its content is kept as .bak): {}",
        .path.display()
    )]
    ChangedOnDisk { path: PathBuf },
    #[error("not saved: a file already exists there: {}", .path.display())]
    AlreadyExists { path: PathBuf },
    #[error(
        "not saved: the file on disk was written by a newer demarc (format {found}; this version \
         writes format {FORMAT_VERSION}) and is left as it is: {}",
        .path.display()
    )]
    NewerOnDisk { path: PathBuf, found: u64 },
    #[error("cannot save the engagement: {source}: {}", .path.display())]
    Write { path: PathBuf, source: io::Error },
    /// The document holds something the format cannot represent (e.g. an invalid date set
    /// without going through `Engagement::set_item`). Nothing was written.
    #[error("not saved: the document is not valid ({reason}); nothing was written: {}", .path.display())]
    NotSaveable { path: PathBuf, reason: String },
}

impl EngagementFileError {
    /// The same error naming `path` (the path the user gave, not the symlink's target).
    fn with_path(self, path: &Path) -> EngagementFileError {
        let path = path.to_owned();
        match self {
            EngagementFileError::Read { source, .. } => EngagementFileError::Read { path, source },
            EngagementFileError::Parse { source, .. } => {
                EngagementFileError::Parse { path, source }
            }
            EngagementFileError::ChangedOnDisk { .. } => {
                EngagementFileError::ChangedOnDisk { path }
            }
            EngagementFileError::AlreadyExists { .. } => {
                EngagementFileError::AlreadyExists { path }
            }
            EngagementFileError::NewerOnDisk { found, .. } => {
                EngagementFileError::NewerOnDisk { path, found }
            }
            EngagementFileError::Write { source, .. } => {
                EngagementFileError::Write { path, source }
            }
            EngagementFileError::NotSaveable { reason, .. } => {
                EngagementFileError::NotSaveable { path, reason }
            }
        }
    }

    /// True for the refusals a user can override with [`SaveMode::Overwrite`].
    pub fn is_overridable(&self) -> bool {
        matches!(
            self,
            EngagementFileError::ChangedOnDisk { .. } | EngagementFileError::AlreadyExists { .. }
        )
    }
}

/// Opens and parses an engagement file, migrating older formats in memory (the file is not
/// touched).
pub fn open(path: &Path) -> Result<Opened, EngagementFileError> {
    let read_err = |source| EngagementFileError::Read {
        path: path.to_owned(),
        source,
    };
    let bytes = fs::read(path).map_err(read_err)?;
    let modified = fs::metadata(path).and_then(|m| m.modified()).ok();
    let stamp = DiskStamp::of(&bytes, modified);
    let parsed = parse_bytes(&bytes).map_err(|source| EngagementFileError::Parse {
        path: path.to_owned(),
        source,
    })?;
    Ok(Opened {
        engagement: parsed.engagement,
        stamp,
        migrated_from: parsed.migrated_from,
    })
}

fn parse_bytes(bytes: &[u8]) -> Result<crate::model::engagement::Parsed, ParseError> {
    let text = std::str::from_utf8(bytes).map_err(|e| ParseError::Syntax {
        line: bytes[..e.valid_up_to()].split(|b| *b == b'\n').count(),
        column: 0,
        message: "the file is not UTF-8 text".to_owned(),
    })?;
    Engagement::from_json(text)
}

/// True when the file's content differs from the stamp (or the file is gone). Cheap enough to
/// call when the window regains focus: engagement files are small.
pub fn changed_on_disk(path: &Path, stamp: &DiskStamp) -> bool {
    match fs::read(path) {
        Ok(bytes) => fnv1a(&bytes) != stamp.hash || bytes.len() as u64 != stamp.len,
        Err(_) => true,
    }
}

/// Saves the document. `opened` is the stamp from [`open`] or the last save (`None` for a new
/// document). Returns the new stamp to keep for the next save.
///
/// The folder's lock is held across the check and the write, so two processes saving one file
/// take turns and the second sees the first's save ([`EngagementFileError::ChangedOnDisk`]),
/// never overwrites it unseen. A symlink is saved through to its target; a read-only file or
/// one that is not a regular file is refused.
pub fn save(
    path: &Path,
    doc: &Engagement,
    opened: Option<&DiskStamp>,
    mode: SaveMode,
) -> Result<DiskStamp, EngagementFileError> {
    let lock = lock(path)?;
    save_holding(&lock, path, doc, opened, mode)
}

/// The lock of the folder an engagement file is in: hold it across open, edit and
/// [`save_holding`] for a read-modify-write no other process can interleave with.
pub fn lock(path: &Path) -> Result<super::safe::FolderLock, EngagementFileError> {
    let target = target(path)?;
    super::safe::FolderLock::acquire(&folder_of(&target)).map_err(|source| {
        EngagementFileError::Write {
            path: path.to_owned(),
            source,
        }
    })
}

/// The regular file a save of `path` writes (symlinks followed).
fn target(path: &Path) -> Result<PathBuf, EngagementFileError> {
    let write_err = |source| EngagementFileError::Write {
        path: path.to_owned(),
        source,
    };
    match super::safe::resolve(path).map_err(write_err)? {
        super::safe::Target::File(p) => Ok(p),
        super::safe::Target::Special(_) => Err(write_err(io::Error::other(
            "it is not a regular file (a device or a pipe?)",
        ))),
    }
}

/// [`save`] with the folder's lock already held (from [`lock`]).
pub fn save_holding(
    lock: &super::safe::FolderLock,
    path: &Path,
    doc: &Engagement,
    opened: Option<&DiskStamp>,
    mode: SaveMode,
) -> Result<DiskStamp, EngagementFileError> {
    let target = target(path)?;
    if folder_of(&target) != lock.folder() {
        return Err(EngagementFileError::Write {
            path: path.to_owned(),
            source: io::Error::other("the lock held is not this file's folder's"),
        });
    }
    save_with(&RealFs, &target, doc, opened, mode).map_err(|e| e.with_path(path))
}

/// `<file>.bak`: the version before the last save.
pub fn backup_path(path: &Path) -> PathBuf {
    with_suffix(path, ".bak")
}

/// The autosave copy of a document: `<file>.autosave` beside a saved one, or
/// `<data dir>/autosave/untitled.demarc.json` for an untitled one.
pub fn autosave_path_in(file: Option<&Path>, data_dir: &Path) -> PathBuf {
    match file {
        Some(path) => with_suffix(path, ".autosave"),
        None => data_dir.join("autosave").join("untitled.demarc.json"),
    }
}

/// [`autosave_path_in`] the user's data folder (`None` if it has none).
pub fn autosave_path(file: Option<&Path>) -> Option<PathBuf> {
    match file {
        Some(path) => Some(autosave_path_in(Some(path), Path::new(""))),
        None => super::data_dir().map(|dir| autosave_path_in(None, &dir)),
    }
}

/// Writes the autosave copy (temp file, fsync, rename; the folder is created if needed). The
/// document file itself is not touched.
pub fn write_autosave(autosave: &Path, doc: &Engagement) -> Result<(), EngagementFileError> {
    let fs = RealFs;
    if let Some(dir) = autosave.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::create_dir_all(dir).map_err(|source| EngagementFileError::Write {
            path: autosave.to_owned(),
            source,
        })?;
    }
    let bytes = checked_bytes(doc, autosave)?;
    let write_err = |source| EngagementFileError::Write {
        path: autosave.to_owned(),
        source,
    };
    let _lock = super::safe::FolderLock::acquire(&folder_of(autosave)).map_err(write_err)?;
    replace_file(&fs, autosave, &bytes, autosave).map_err(write_err)
}

/// An autosaved copy that holds work the file does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub autosave: PathBuf,
    pub engagement: Engagement,
    pub modified: Option<SystemTime>,
}

/// After a crash: the autosave copy, when it exists, is newer than the file (or the file is
/// gone or unreadable) and differs from it. A corrupt autosave is an error, so the caller can
/// say so rather than silently dropping it.
pub fn find_recovery(
    file: Option<&Path>,
    autosave: &Path,
) -> Result<Option<Recovery>, EngagementFileError> {
    let bytes = match fs::read(autosave) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(EngagementFileError::Read {
                path: autosave.to_owned(),
                source,
            });
        }
    };
    let modified = fs::metadata(autosave).and_then(|m| m.modified()).ok();
    let parsed = parse_bytes(&bytes).map_err(|source| EngagementFileError::Parse {
        path: autosave.to_owned(),
        source,
    })?;
    if let Some(file) = file
        && let Ok(opened) = open(file)
    {
        let newer = match (modified, opened.stamp.modified) {
            (Some(a), Some(f)) => a > f,
            _ => true,
        };
        if !newer || opened.engagement == parsed.engagement {
            return Ok(None);
        }
    }
    Ok(Some(Recovery {
        autosave: autosave.to_owned(),
        engagement: parsed.engagement,
        modified,
    }))
}

/// Removes an autosave copy (absent is fine).
pub fn discard_autosave(autosave: &Path) -> Result<(), EngagementFileError> {
    RealFs
        .remove(autosave)
        .map_err(|source| EngagementFileError::Write {
            path: autosave.to_owned(),
            source,
        })
}

/// The document's bytes, read back before anything is replaced: what is written must open as
/// the same document, or nothing is written.
fn checked_bytes(doc: &Engagement, path: &Path) -> Result<Vec<u8>, EngagementFileError> {
    let bytes = doc.to_json().into_bytes();
    match parse_bytes(&bytes) {
        Ok(parsed) if parsed.engagement == *doc => Ok(bytes),
        Ok(_) => Err(EngagementFileError::NotSaveable {
            path: path.to_owned(),
            reason: "it would not read back as the same document".to_owned(),
        }),
        Err(e) => Err(EngagementFileError::NotSaveable {
            path: path.to_owned(),
            reason: e.to_string(),
        }),
    }
}

use super::safe::{folder_of, with_suffix};

/// The filesystem operations a save is made of. Production uses [`RealFs`]; the tests inject
/// one that stops part-way, as a crash or power cut would.
trait Fs {
    /// The file's bytes, or `None` when it does not exist.
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>>;
    /// Creates the file exclusively (never through a link), with the mode and owner of
    /// `like` when it exists, writes all bytes, fsyncs it.
    fn write_synced(&self, path: &Path, bytes: &[u8], like: Option<&Path>) -> io::Result<()>;
    fn rename(&self, from: &Path, to: &Path) -> io::Result<()>;
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
    /// Removes a file; absent is fine.
    fn remove(&self, path: &Path) -> io::Result<()>;
}

struct RealFs;

impl Fs for RealFs {
    fn read(&self, path: &Path) -> io::Result<Option<Vec<u8>>> {
        match fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn write_synced(&self, path: &Path, bytes: &[u8], like: Option<&Path>) -> io::Result<()> {
        super::safe::write_new(path, bytes, like)
    }

    fn rename(&self, from: &Path, to: &Path) -> io::Result<()> {
        fs::rename(from, to)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        // Folders cannot be opened for syncing on every platform; where they can, do it.
        match fs::File::open(dir) {
            Ok(d) => d.sync_all().or(Ok(())),
            Err(_) => Ok(()),
        }
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Replaces `path` with `bytes`: temp file, fsync, rename, fsync the folder. On failure the
/// temporary file is removed (best effort) and `path` is as it was.
fn replace_file(fs: &dyn Fs, path: &Path, bytes: &[u8], like: &Path) -> io::Result<()> {
    let tmp = super::safe::temp_path(&folder_of(path));
    let result = fs
        .write_synced(&tmp, bytes, Some(like))
        .and_then(|()| fs.rename(&tmp, path))
        .and_then(|()| fs.sync_dir(&folder_of(path)));
    if result.is_err() {
        let _ = fs.remove(&tmp);
    }
    result
}

fn save_with(
    fs: &dyn Fs,
    path: &Path,
    doc: &Engagement,
    opened: Option<&DiskStamp>,
    mode: SaveMode,
) -> Result<DiskStamp, EngagementFileError> {
    let write_err = |source| EngagementFileError::Write {
        path: path.to_owned(),
        source,
    };
    let old = fs.read(path).map_err(|source| EngagementFileError::Read {
        path: path.to_owned(),
        source,
    })?;
    if let Some(old) = &old {
        if let Err(ParseError::TooNew { found, .. }) = parse_bytes(old) {
            return Err(EngagementFileError::NewerOnDisk {
                path: path.to_owned(),
                found,
            });
        }
        if mode == SaveMode::Safe {
            match opened {
                None => {
                    return Err(EngagementFileError::AlreadyExists {
                        path: path.to_owned(),
                    });
                }
                Some(stamp) if fnv1a(old) != stamp.hash || old.len() as u64 != stamp.len => {
                    return Err(EngagementFileError::ChangedOnDisk {
                        path: path.to_owned(),
                    });
                }
                Some(_) => {}
            }
        }
    }
    let bytes = checked_bytes(doc, path)?;
    // Saving the same bytes again changes nothing: keep the real previous version in .bak.
    if old.as_deref() != Some(bytes.as_slice()) {
        if let Some(old) = &old {
            replace_file(fs, &backup_path(path), old, path).map_err(write_err)?;
        }
        replace_file(fs, path, &bytes, path).map_err(write_err)?;
    }
    // The autosave copy is now behind the file; a failure to remove it only means recovery
    // will find nothing newer than the file.
    let _ = fs.remove(&with_suffix(path, ".autosave"));
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    Ok(DiskStamp::of(&bytes, modified))
}

#[cfg(test)]
mod tests;
