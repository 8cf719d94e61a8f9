//! Opening account snapshots from disk: a file (JSON or `.json.gz`, any name), a collection
//! folder with `manifest.json`, a collection `.zip`, or a `manifest.json` itself. What a file is
//! comes from its content (`import::sniff`); this module only opens, sizes and caps.
//! Zip entries whose path would leave the archive (`../`, absolute) are refused with a warning.

use crate::import::{self, CollectionFiles, ImportCtx, ImportError, Limits, Progress};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, Warning};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn io_error(path: &Path, e: &io::Error) -> ImportError {
    let message = match e.kind() {
        io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    };
    ImportError::Io {
        path: path.display().to_string(),
        message,
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / f64::from(1u32 << 30))
    } else {
        format!("{} MB", bytes >> 20)
    }
}

/// Imports one path: file, folder or zip.
pub fn import_path(
    catalog: &Catalog,
    path: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(Progress),
    limits: Limits,
) -> Result<Evidence, ImportError> {
    let shown = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| io_error(path, &e))?;
    let mut ctx = ImportCtx {
        cancel,
        progress,
        limits,
    };
    if meta.is_dir() {
        return import_folder(catalog, path, &mut ctx);
    }
    if !meta.is_file() {
        // A pipe would block forever (Cancel cannot interrupt a blocked read), a device
        // such as /dev/zero never ends.
        return Err(ImportError::Unsupported {
            path: shown,
            what: "not a regular file (a pipe or a device): save the snapshot to a file first"
                .to_owned(),
        });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(ImportError::TooLarge {
            path: shown,
            message: format!(
                "the file is {}, over the {} limit for one snapshot file",
                size_text(meta.len()),
                size_text(limits.max_file_bytes)
            ),
        });
    }
    let mut file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut prefix = Vec::with_capacity(import::sniff::PREFIX);
    (&mut file)
        .take(import::sniff::PREFIX as u64)
        .read_to_end(&mut prefix)
        .map_err(|e| io_error(path, &e))?;
    match import::sniff::sniff(&prefix) {
        import::sniff::Kind::Zip => {
            drop(file);
            import_zip(catalog, path, &mut ctx)
        }
        import::sniff::Kind::CliManifest => match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => {
                import_folder(catalog, parent, &mut ctx)
            }
            _ => import_folder(catalog, Path::new("."), &mut ctx),
        },
        _ => {
            let reader = io::Cursor::new(prefix).chain(file);
            import::import_reader(catalog, &shown, reader, Some(meta.len()), &mut ctx)
        }
    }
}

/// Imports several paths into one evidence set. Each failure is returned beside the others'
/// evidence, so one bad file does not lose the rest.
pub fn import_paths(
    catalog: &Catalog,
    paths: &[PathBuf],
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(usize, Progress),
    limits: Limits,
) -> (Evidence, Vec<ImportError>) {
    let mut evidence = Evidence::default();
    let mut errors = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let mut report = |p: Progress| progress(i, p);
        match import_path(catalog, path, cancel, &mut report, limits) {
            Ok(found) => evidence.merge(found),
            Err(e @ ImportError::Cancelled { .. }) => {
                errors.push(e);
                break;
            }
            Err(e) => errors.push(e),
        }
    }
    (evidence, errors)
}

// ---------------------------------------------------------------------------- folder

struct FolderFiles {
    root: PathBuf,
    max_bytes: usize,
}

/// A collection entry name must stay inside the collection.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if out.as_os_str().is_empty() {
        None
    } else {
        Some(out)
    }
}

impl CollectionFiles for FolderFiles {
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(rel) = safe_relative(name) else {
            return Err(format!(
                "refused: the path '{name}' leaves the collection folder"
            ));
        };
        let path = self.root.join(rel);
        // Not followed: a link could name a file outside the collection, `/dev/zero` or a
        // pipe that never ends. Only regular files are read, and never past the limit.
        let meta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        if !meta.is_file() {
            return Err(format!(
                "refused: '{name}' is not a regular file (a link, a pipe or a device)"
            ));
        }
        if meta.len() > self.max_bytes as u64 {
            return Err(format!(
                "the file is {}, over the {} limit for one output",
                size_text(meta.len()),
                size_text(self.max_bytes as u64)
            ));
        }
        let mut bytes = Vec::new();
        File::open(&path)
            .and_then(|f| f.take(self.max_bytes as u64).read_to_end(&mut bytes))
            .map_err(|e| e.to_string())?;
        Ok(Some(bytes))
    }
}

fn import_folder(
    catalog: &Catalog,
    dir: &Path,
    ctx: &mut ImportCtx,
) -> Result<Evidence, ImportError> {
    let shown = dir.display().to_string();
    if !dir.join("manifest.json").is_file() {
        return Err(ImportError::Unsupported {
            path: shown,
            what: "a folder without manifest.json: not an AWS CLI collection (scripts/collect-aws-snapshot.sh writes one)".to_owned(),
        });
    }
    let total = fs::read_dir(dir).ok().map(|entries| {
        entries
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(fs::Metadata::is_file)
            .map(|m| m.len())
            .sum()
    });
    let mut files = FolderFiles {
        root: dir.to_owned(),
        max_bytes: ctx.limits.max_value_bytes,
    };
    import::collection::import(catalog, &shown, &mut files, total, ctx)
}

// ------------------------------------------------------------------------------- zip

struct ZipFiles {
    archive: zip::ZipArchive<File>,
    /// Entry name (relative to the folder holding manifest.json) -> index.
    index: BTreeMap<String, usize>,
    max_bytes: u64,
    inflated_left: u64,
    /// Entries that failed to inflate, by index, with why.
    failed: BTreeMap<usize, String>,
}

impl CollectionFiles for ZipFiles {
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        let Some(&i) = self.index.get(name) else {
            return Ok(None);
        };
        if let Some(message) = self.failed.get(&i) {
            return Err(message.clone());
        }
        let entry = self
            .archive
            .by_index(i)
            .map_err(|e| format!("cannot read the zip entry: {e}"))?;
        if entry.size() > self.max_bytes {
            return Err(format!(
                "the entry is {}, over the {} limit for one output",
                size_text(entry.size()),
                size_text(self.max_bytes)
            ));
        }
        // The declared size can lie: cap what is actually inflated, and count it against
        // the archive's total even when the entry fails.
        let cap = self.max_bytes.min(self.inflated_left);
        let mut bytes = Vec::with_capacity(usize::try_from(entry.size().min(cap)).unwrap_or(0));
        let read = entry.take(cap + 1).read_to_end(&mut bytes);
        self.inflated_left = self.inflated_left.saturating_sub(bytes.len() as u64);
        let failure = match read {
            Err(e) => Some(format!("cannot inflate the zip entry: {e}")),
            Ok(_) if bytes.len() as u64 > cap => Some(format!(
                "the entry expands to more than {} (a decompression bomb?)",
                size_text(cap)
            )),
            Ok(_) => None,
        };
        if let Some(message) = failure {
            // A failed entry is not inflated again, however often it is named.
            self.failed.insert(i, message.clone());
            return Err(message);
        }
        Ok(Some(bytes))
    }
}

fn import_zip(
    catalog: &Catalog,
    path: &Path,
    ctx: &mut ImportCtx,
) -> Result<Evidence, ImportError> {
    let shown = path.display().to_string();
    let file = File::open(path).map_err(|e| io_error(path, &e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| ImportError::Invalid {
        path: shown.clone(),
        location: String::new(),
        message: format!("not a readable zip archive ({e})"),
    })?;
    if archive.len() > ctx.limits.max_zip_entries {
        return Err(ImportError::TooLarge {
            path: shown,
            message: format!(
                "the zip archive has {} entries, over the {} limit",
                archive.len(),
                ctx.limits.max_zip_entries
            ),
        });
    }
    let mut warnings = Vec::new();
    let mut names: Vec<(String, usize, u64)> = Vec::new();
    for i in 0..archive.len() {
        let entry = match archive.by_index_raw(i) {
            Ok(e) => e,
            Err(e) => {
                warnings.push(Warning::new(
                    &shown,
                    format!("entry {i}"),
                    format!("zip entry skipped: {e}"),
                ));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let raw = entry.name().to_owned();
        match entry.enclosed_name() {
            Some(p) if safe_relative(&raw.replace('\\', "/")).is_some() => {
                names.push((p.to_string_lossy().replace('\\', "/"), i, entry.size()));
            }
            _ => warnings.push(Warning::new(
                &shown,
                &raw,
                "zip entry refused: its path leaves the archive (../ or absolute)",
            )),
        }
    }
    // The collection is the folder holding the shallowest manifest.json.
    let manifest = names
        .iter()
        .filter(|(n, _, _)| n == "manifest.json" || n.ends_with("/manifest.json"))
        .min_by_key(|(n, _, _)| n.matches('/').count());
    let Some((manifest_name, _, _)) = manifest else {
        return Err(ImportError::Unsupported {
            path: shown,
            what: "a zip archive without manifest.json: not an AWS CLI collection (scripts/collect-aws-snapshot.sh --zip writes one)".to_owned(),
        });
    };
    let prefix = manifest_name.trim_end_matches("manifest.json").to_owned();
    let mut index = BTreeMap::new();
    let mut total = 0u64;
    for (name, i, size) in &names {
        if let Some(rel) = name.strip_prefix(&prefix) {
            index.insert(rel.to_owned(), *i);
            total += size;
        }
    }
    let mut files = ZipFiles {
        archive,
        index,
        max_bytes: ctx.limits.max_value_bytes as u64,
        inflated_left: ctx.limits.max_inflated_bytes,
        failed: BTreeMap::new(),
    };
    let mut evidence = import::collection::import(catalog, &shown, &mut files, Some(total), ctx)?;
    evidence.warnings.extend(warnings);
    Ok(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names_must_stay_inside() {
        assert!(safe_relative("ec2_describe-vpcs.json").is_some());
        assert!(safe_relative("./sub/x.json").is_some());
        assert!(safe_relative("../x.json").is_none());
        assert!(safe_relative("a/../../x.json").is_none());
        assert!(safe_relative("/etc/passwd").is_none());
        assert!(safe_relative("").is_none());
    }

    /// F9: an entry that failed to inflate (past its cap) was inflated again each time it
    /// was named, and did not count against the archive's total.
    #[test]
    fn a_failed_entry_counts_against_the_total_and_is_not_inflated_again() {
        use std::io::Write;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("bomb.zip");
        let mut zip = zip::ZipWriter::new(File::create(&path).expect("create"));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("big.json", options).expect("entry");
        zip.write_all(&vec![b' '; 1 << 20]).expect("write");
        zip.finish().expect("finish");
        let archive = zip::ZipArchive::new(File::open(&path).expect("open")).expect("zip");
        let mut files = ZipFiles {
            archive,
            index: BTreeMap::from([("big.json".to_owned(), 0)]),
            max_bytes: 10_000_000,
            inflated_left: 200_000,
            failed: BTreeMap::new(),
        };
        let first = files.read("big.json").expect_err("over the cap");
        assert!(first.contains("decompression bomb"), "{first}");
        let left = files.inflated_left;
        assert!(left < 100_000, "counted: {left}");
        assert_eq!(files.read("big.json").expect_err("again"), first);
        assert_eq!(files.inflated_left, left, "not inflated a second time");
    }
}
