//! Writing files safely in shared and synced folders, for every save and export:
//!
//! - **Where**: a symlink is followed to the file it names (the link stays a link); a path that
//!   is not a regular file (a FIFO, a device, `/dev/stdout`) is written in place, never
//!   replaced by a regular file; a read-only file is refused with a message, not replaced.
//! - **How**: a temporary file with a random short name (`.demarc-<random>.tmp`, whatever the
//!   length of the target's name) is created exclusively (`create_new`: it never follows a
//!   planted symlink nor opens someone else's file) beside the target, given the target's
//!   permissions (and owner, where allowed), fsynced, and renamed over the target.
//! - **Who**: an advisory lock on `.demarc.lock` in the folder is held across check, write and
//!   rename, so two processes saving in one folder take turns; while it is held, temporary files
//!   left by a killed save are removed.

use std::fs::{self, File, OpenOptions};
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Name of the lock file kept in a folder demarc writes to.
pub const LOCK_NAME: &str = ".demarc.lock";
const TEMP_PREFIX: &str = ".demarc-";
const TEMP_SUFFIX: &str = ".tmp";

/// What a path names, for writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A regular file (or nothing yet) at this path, symlinks resolved.
    File(PathBuf),
    /// Something else (FIFO, device, terminal): written in place.
    Special(PathBuf),
}

impl Target {
    pub fn path(&self) -> &Path {
        match self {
            Target::File(p) | Target::Special(p) => p,
        }
    }
}

/// Follows symlinks (at most 40) to the path really written; refuses a read-only file.
pub fn resolve(path: &Path) -> io::Result<Target> {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Ok(meta) if !meta.is_file() => {
                if meta.is_dir() {
                    return Err(io::Error::other("it is a folder"));
                }
                return Ok(Target::Special(current));
            }
            Ok(meta) if meta.permissions().readonly() => {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "the file is read-only; make it writable or save elsewhere",
                ));
            }
            Ok(_) => return Ok(Target::File(current)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::File(current)),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The folder a file sits in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// An exclusive advisory lock on a folder's `.demarc.lock`, released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
    folder: PathBuf,
}

impl FolderLock {
    /// Waits for the lock of `folder`, then removes temporary files a killed save left there.
    pub fn acquire(folder: &Path) -> io::Result<FolderLock> {
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(folder.join(LOCK_NAME))?;
        file.lock()?;
        let lock = FolderLock {
            _file: file,
            folder: folder.to_owned(),
        };
        lock.remove_stale_temps();
        Ok(lock)
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Every demarc save in this folder holds the lock, so a temporary file seen now belongs
    /// to a save that died.
    fn remove_stale_temps(&self) {
        let Ok(entries) = fs::read_dir(&self.folder) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with(TEMP_PREFIX)
                && name.ends_with(TEMP_SUFFIX)
                && entry.file_type().is_ok_and(|t| t.is_file())
            {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// A fresh random temporary name in `folder`, short whatever the target's name.
pub fn temp_path(folder: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    folder.join(format!(
        "{TEMP_PREFIX}{:016x}{TEMP_SUFFIX}",
        hasher.finish()
    ))
}

/// Creates `path` exclusively (never through a link, never an existing file), writes `bytes`
/// with the mode and owner of `like` when it exists, and fsyncs.
pub fn write_new(path: &Path, bytes: &[u8], like: Option<&Path>) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    if let Some(meta) = like.and_then(|l| fs::metadata(l).ok()) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Best effort: only root may give a file to someone else.
            let _ = std::os::unix::fs::fchown(&file, Some(meta.uid()), Some(meta.gid()));
        }
        file.set_permissions(meta.permissions())?;
    }
    file.write_all(bytes)?;
    file.sync_all()
}

/// Writes into an existing special file (FIFO, device), as `cat > path` would.
pub fn write_in_place(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).open(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Fsyncs a folder where the platform allows opening one.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Replaces the regular file `path` with `bytes` (temp file, fsync, rename, fsync the folder).
/// The caller holds the folder's lock. On failure the temporary file is removed.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    let tmp = temp_path(&folder);
    let result = write_new(&tmp, bytes, Some(path))
        .and_then(|()| fs::rename(&tmp, path))
        .map(|()| sync_dir(&folder));
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Writes `bytes` to `path` safely: through symlinks, in place for special files, else by
/// [`replace`] under the folder's lock.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match resolve(path)? {
        Target::Special(p) => write_in_place(&p, bytes),
        Target::File(p) => {
            let _lock = FolderLock::acquire(&folder_of(&p))?;
            replace(&p, bytes)
        }
    }
}

/// `path` with `suffix` added to its file name, shortened (with a hash of the full name) when
/// the result would pass the 255-byte limit most filesystems have on a name.
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    const NAME_MAX: usize = 255;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let Some(name) = name.filter(|n| n.len() + suffix.len() > NAME_MAX) else {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        return PathBuf::from(s);
    };
    let mut hasher = std::hash::DefaultHasher::new();
    hasher.write(name.as_bytes());
    let tag = format!("-{:08x}", hasher.finish() as u32);
    let mut keep = NAME_MAX - suffix.len() - tag.len();
    while !name.is_char_boundary(keep) {
        keep -= 1;
    }
    path.with_file_name(format!("{}{tag}{suffix}", &name[..keep]))
}
