//! Running jobs: the blocking I/O behind each `Job`, and what it reports back as a command.
//! The shell runs them on named threads; tests call `execute` directly.

use crate::state::{
    AutosaveError, Command, EngagementCommand, ExportCommand, ImportCommand, ImportOutcome, Job,
    OpenedFile, Session,
};
use crate::storage::{self, engagement as files};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Runs `work` (a job); a panic in it becomes [`NoticeCommand::JobPanicked`] with the panic's
/// message, so the window says so rather than waiting forever for a thread that died.
pub fn caught(
    kind: crate::state::JobKind,
    work: impl FnOnce() -> Option<Command>,
) -> Option<Command> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)) {
        Ok(command) => command,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_owned());
            Some(crate::state::NoticeCommand::JobPanicked { kind, message }.into())
        }
    }
}

/// Runs one job (blocking I/O): the command that reports its result, if any. `report` receives
/// commands sent while it runs (import progress).
pub fn execute(job: Job, report: &dyn Fn(Command)) -> Option<Command> {
    match job {
        Job::WriteFile { path, bytes } => {
            let result = storage::write_atomic(&path, &bytes);
            Some(ExportCommand::Written { path, result }.into())
        }
        Job::OpenEngagement(path) => {
            let result = files::open(&path).map(|opened| {
                Box::new(OpenedFile {
                    opened,
                    recovery: recovery_beside(&path),
                })
            });
            Some(EngagementCommand::Opened { path, result }.into())
        }
        Job::SaveEngagement {
            path,
            doc,
            stamp,
            mode,
            revision,
        } => {
            let result = files::save(&path, &doc, stamp.as_ref(), mode);
            Some(
                EngagementCommand::Saved {
                    path,
                    revision,
                    result,
                }
                .into(),
            )
        }
        Job::Autosave {
            path,
            doc,
            revision,
        } => {
            let result = match files::autosave_path(path.as_deref()) {
                Some(autosave) => {
                    files::write_autosave(&autosave, &doc).map_err(AutosaveError::from)
                }
                None => Err(AutosaveError::NoDataFolder),
            };
            Some(EngagementCommand::AutosaveFinished { revision, result }.into())
        }
        Job::Import {
            catalog,
            paths,
            cancel,
            base,
            summary_for,
        } => {
            let mut progress = throttled_progress(report);
            let (read, errors) = storage::snapshot::import_paths(
                &catalog,
                &paths,
                &cancel,
                &mut progress,
                crate::import::Limits::default(),
            );
            let outcome = ImportOutcome::build(
                &catalog,
                base,
                read,
                errors,
                cancel.load(std::sync::atomic::Ordering::Relaxed),
                summary_for.as_deref(),
            );
            Some(ImportCommand::Finished(Box::new(outcome)).into())
        }
        Job::DiscardAutosave { path } => {
            let autosave = files::autosave_path(path.as_deref())?;
            if !autosave.exists() {
                return None;
            }
            Some(EngagementCommand::AutosaveDiscarded(files::discard_autosave(&autosave)).into())
        }
    }
}

/// A crash may have left newer autosaved changes beside an engagement file: offer them.
fn recovery_beside(path: &Path) -> Result<Option<files::Recovery>, files::EngagementFileError> {
    match files::autosave_path(Some(path)) {
        Some(autosave) => files::find_recovery(Some(path), &autosave),
        None => Ok(None),
    }
}

/// Import progress at most ten times a second, plus once per file.
fn throttled_progress(report: &dyn Fn(Command)) -> impl FnMut(usize, crate::import::Progress) + '_ {
    let mut last = Instant::now();
    let mut last_index = usize::MAX;
    move |index, p| {
        if index != last_index || last.elapsed() >= Duration::from_millis(100) {
            last = Instant::now();
            last_index = index;
            report(
                ImportCommand::Progress {
                    index,
                    bytes_read: p.bytes_read,
                    total: p.total,
                }
                .into(),
            );
        }
    }
}

/// The untitled engagement's autosave copy left by a crash, as a command for the session
/// (`None`: there is none, or no data folder).
pub fn untitled_recovery() -> Option<Command> {
    let autosave = files::autosave_path(None)?;
    let result = match files::find_recovery(None, &autosave) {
        Ok(Some(recovery)) => Ok(Box::new(recovery.engagement)),
        Ok(None) => return None,
        Err(e) => Err(e),
    };
    Some(EngagementCommand::RecoverUntitled(result).into())
}

/// The autosave that must happen when the window closes, run now (blocking: the app is
/// closing). Returns what went wrong, in words, for the next start to report (the user cannot
/// see a notification any more).
pub fn autosave_before_exit(session: &mut Session) -> Option<String> {
    let job = session.exit_job()?;
    let command = execute(job, &|_| {})?;
    let problem = match &command {
        Command::Engagement(EngagementCommand::AutosaveFinished {
            result: Err(error), ..
        }) => Some(format!(
            "the unsaved changes could not be autosaved ({error}); they are lost unless the \
             engagement was saved"
        )),
        _ => None,
    };
    let follow_up = session.apply(command);
    debug_assert!(follow_up.is_none(), "an autosave result starts no job");
    problem
}

/// Where the native file dialog starts: the folder of `start`, when it exists.
pub fn dialog_folder(start: &Path) -> Option<PathBuf> {
    start.parent().filter(|p| p.is_dir()).map(Path::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{JobKind, NoticeCommand};

    #[test]
    fn a_panic_in_a_job_becomes_a_notice_with_its_message() {
        let got = caught(JobKind::Import, || panic!("stale index 7"));
        match got {
            Some(Command::Notice(NoticeCommand::JobPanicked { kind, message })) => {
                assert_eq!(kind, JobKind::Import);
                assert!(message.contains("stale index 7"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let fine = caught(JobKind::Import, || None);
        assert!(fine.is_none());
    }
}
