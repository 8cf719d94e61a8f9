//! The last guard of unsaved work: when anything panics (the UI thread included), the open
//! engagement's latest unsaved state is written to its autosave copy before the process
//! unwinds, so the next start offers it back ("Restore them" / "Discard").
//!
//! The shell keeps a copy of the document here whenever it has changes the autosave has not
//! written yet ([`keep`], at most every few hundred milliseconds), and drops it once they are
//! written or saved ([`clear`]). The panic hook ([`install`]) only reads that copy: the session
//! itself may be half-way through a change when the panic happens, so it is never touched.

use crate::model::engagement::Engagement;
use crate::storage::engagement as files;
use std::path::PathBuf;
use std::sync::{Mutex, Once, TryLockError};

/// The unsaved document, as the shell last copied it.
struct Pending {
    path: Option<PathBuf>,
    doc: Engagement,
}

static PENDING: Mutex<Option<Pending>> = Mutex::new(None);

fn slot() -> std::sync::MutexGuard<'static, Option<Pending>> {
    // A panic while the copy was being replaced leaves the old copy: still worth keeping.
    PENDING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Keeps `doc` (the engagement at `path`, `None` when untitled) for the panic hook to write.
pub fn keep(path: Option<PathBuf>, doc: Engagement) {
    *slot() = Some(Pending { path, doc });
}

/// Nothing unsaved any more: a panic writes nothing.
pub fn clear() {
    *slot() = None;
}

/// What writing the kept copy did.
#[derive(Debug, PartialEq, Eq)]
pub enum Written {
    /// There was nothing unsaved.
    Nothing,
    /// The copy is in this autosave file.
    To(PathBuf),
    /// It could not be written, and why.
    Failed(String),
}

/// Writes the kept copy to its autosave file (beside the engagement, or the untitled copy in
/// the data folder). Never waits: if the copy is being replaced at this very moment (the panic
/// happened there), it says so instead of deadlocking.
pub fn write_pending() -> Written {
    let guard = match PENDING.try_lock() {
        Ok(guard) => guard,
        Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
        Err(TryLockError::WouldBlock) => {
            return Written::Failed("the copy was being updated when the error happened".into());
        }
    };
    let Some(pending) = guard.as_ref() else {
        return Written::Nothing;
    };
    let Some(autosave) = files::autosave_path(pending.path.as_deref()) else {
        return Written::Failed("there is no data folder for an untitled engagement".into());
    };
    match files::write_autosave(&autosave, &pending.doc) {
        Ok(()) => Written::To(autosave),
        Err(error) => Written::Failed(error.to_string()),
    }
}

/// Installs the panic hook (once per process): the usual panic message first, then the kept
/// copy written and a line saying where. Panics inside jobs are caught and reported by the
/// shell as well (`jobs::caught`); writing the copy then too costs one small file.
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            previous(info);
            match write_pending() {
                Written::Nothing => {}
                Written::To(path) => eprintln!(
                    "demarc: the unsaved changes were written to {}; the next start offers them",
                    path.display()
                ),
                Written::Failed(why) => {
                    eprintln!("demarc: the unsaved changes could not be written: {why}");
                }
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;

    /// One test, because the copy and the hook are process-wide.
    #[test]
    fn a_panic_on_any_thread_writes_the_kept_copy_and_a_cleared_copy_writes_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("acme.demarc.json");
        let catalog = Catalog::bundled();
        let scope = vec![catalog.parse_ref("ec2").expect("ec2")];
        let mut doc = Engagement::new(&catalog, "Acme Retail", "Review", "2026-12-05", &scope);
        doc.title = "Review, typed just before the crash".into();
        keep(Some(file.clone()), doc.clone());
        install();

        let crashed = std::thread::Builder::new()
            .name("a view with a bug".into())
            .spawn(|| panic!("index out of bounds in a view"))
            .expect("thread")
            .join();
        assert!(crashed.is_err());
        let autosave = files::autosave_path(Some(&file)).expect("beside the file");
        let recovery = files::find_recovery(Some(&file), &autosave)
            .expect("readable")
            .expect("the crash left an autosave copy to offer");
        assert_eq!(recovery.engagement, doc);

        std::fs::remove_file(&autosave).expect("remove");
        clear();
        assert_eq!(write_pending(), Written::Nothing);
        assert!(!autosave.exists());
    }
}
