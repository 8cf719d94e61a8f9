//! The only module that touches the filesystem (with `app/` for dialogs): catalog folders,
//! atomic writes, engagement files (`engagement`), the user's data directory. Nothing here touches the network.

pub mod engagement;

pub mod safe;
pub mod snapshot;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("cannot read {}: {source}", .path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("cannot write {}: {source}", .path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("{} is not a folder", .path.display())]
    NotAFolder { path: PathBuf },
}

/// Reads every `.json` file under a catalog folder: (path relative to it with `/`, text).
pub fn read_catalog_dir(dir: &Path) -> Result<Vec<(String, String)>, StorageError> {
    if !dir.is_dir() {
        return Err(StorageError::NotAFolder {
            path: dir.to_owned(),
        });
    }
    let mut files = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        let entries = fs::read_dir(&folder).map_err(|source| StorageError::Read {
            path: folder.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| StorageError::Read {
                path: folder.clone(),
                source,
            })?;
            let path = entry.path();
            // Links are not followed: a link to a parent folder would loop forever.
            let kind = entry.file_type().map_err(|source| StorageError::Read {
                path: path.clone(),
                source,
            })?;
            if kind.is_dir() {
                pending.push(path);
            } else if kind.is_file() && path.extension().is_some_and(|e| e == "json") {
                let text = read_text(&path)?;
                let rel = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, text));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads a whole file as UTF-8 text (invalid bytes replaced).
pub fn read_text(path: &Path) -> Result<String, StorageError> {
    let bytes = fs::read(path).map_err(|source| StorageError::Read {
        path: path.to_owned(),
        source,
    })?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Writes a file so that a crash leaves either the old or the new content, never a mix, and
/// safely in a shared folder ([`safe`]: exclusive random temp file, permissions kept, symlinks
/// followed, special files written in place, read-only files refused, the folder locked).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StorageError> {
    safe::write(path, bytes).map_err(|source| StorageError::Write {
        path: path.to_owned(),
        source,
    })
}

/// Where demarc keeps its own files (recent files, autosaves), created on demand.
pub fn data_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "demarc")?;
    let dir = dirs.data_dir().to_owned();
    fs::create_dir_all(&dir).ok()?;
    Some(dir)
}

/// The user's home or documents folder, a sensible default for exports.
pub fn documents_dir() -> Option<PathBuf> {
    let user = directories::UserDirs::new()?;
    user.document_dir()
        .map(Path::to_owned)
        .or_else(|| Some(user.home_dir().to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.md");
        write_atomic(&path, b"first").expect("write");
        write_atomic(&path, b"second").expect("overwrite");
        assert_eq!(fs::read_to_string(&path).expect("read"), "second");
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n != crate::storage::safe::LOCK_NAME)
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn write_into_missing_folder_names_the_path() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("no/such/folder/out.md");
        let err = write_atomic(&path, b"x").expect_err("folder missing");
        assert!(err.to_string().contains("out.md"), "{err}");
    }

    /// F17: a link to a parent folder made `catalog check` grow without bound.
    #[cfg(unix)]
    #[test]
    fn a_catalog_folder_with_a_link_loop_is_read_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::create_dir(dir.path().join("services")).expect("mkdir");
        fs::write(dir.path().join("services/a.json"), "{}").expect("write");
        std::os::unix::fs::symlink("..", dir.path().join("services/loop")).expect("link");
        let files = read_catalog_dir(dir.path()).expect("reads");
        assert_eq!(
            files.len(),
            1,
            "{:?}",
            files.iter().map(|f| &f.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn catalog_dir_must_be_a_folder() {
        let err = read_catalog_dir(Path::new("/definitely/not/here")).expect_err("missing");
        assert!(err.to_string().contains("/definitely/not/here"));
    }
}
