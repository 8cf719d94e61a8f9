//! Importing account snapshots: start a job, follow its progress, merge its evidence, cancel;
//! scope the matrix to the account; forget the evidence.

use super::Session;
use super::command::{Job, Outcome, Rebuild};
use super::evidence::{EvidenceView, ImportRun};
use super::notice::Level;
use super::settings::View;
use crate::import::ImportError;
use crate::model::catalog::ServiceRef;
use crate::model::evidence::Evidence;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

#[derive(Debug)]
pub enum ImportCommand {
    /// Import account snapshots (files, folders, zips) on a worker thread.
    Start(Vec<PathBuf>),
    /// The worker's progress (throttled by the shell).
    Progress {
        index: usize,
        bytes_read: u64,
        total: Option<u64>,
    },
    /// The worker ended: what it read, and the files it could not.
    Finished {
        evidence: Box<Evidence>,
        errors: Vec<ImportError>,
    },
    Cancel,
    /// Replace the columns with the services the imported account uses.
    ScopeToAccount,
    /// Forget the imported evidence.
    Clear,
}

impl Session {
    pub(super) fn import_command(&mut self, command: ImportCommand) -> Outcome {
        match command {
            ImportCommand::Start(paths) => Outcome::job(self.start_import(paths)),
            ImportCommand::Progress {
                index,
                bytes_read,
                total,
            } => {
                if let Some(run) = self.import_run.as_mut() {
                    run.current = index;
                    run.bytes_read = bytes_read;
                    run.total = total;
                }
                Outcome::NOTHING
            }
            ImportCommand::Cancel => {
                if let Some(run) = &self.import_run {
                    run.cancel();
                }
                Outcome::NOTHING
            }
            ImportCommand::Finished { evidence, errors } => {
                self.import_finished(*evidence, errors);
                Outcome::rebuild(Rebuild::FINDINGS | Rebuild::CHECKLIST)
            }
            ImportCommand::ScopeToAccount => {
                self.scope_to_account();
                Outcome::rebuild(Rebuild::MATRIX)
            }
            ImportCommand::Clear => {
                self.evidence = None;
                Outcome::rebuild(Rebuild::FINDINGS | Rebuild::CHECKLIST)
            }
        }
    }

    fn start_import(&mut self, paths: Vec<PathBuf>) -> Option<Job> {
        if self.import_run.is_some() {
            self.notify(Level::Error, "An import is already running");
            return None;
        }
        if paths.is_empty() {
            return None;
        }
        let cancel = Arc::new(AtomicBool::new(false));
        self.import_run = Some(ImportRun {
            paths: paths.clone(),
            cancel: Arc::clone(&cancel),
            current: 0,
            bytes_read: 0,
            total: None,
        });
        Some(Job::Import {
            catalog: Arc::clone(&self.catalog),
            paths,
            cancel,
        })
    }

    fn import_finished(&mut self, evidence: Evidence, errors: Vec<ImportError>) {
        let cancelled = self.import_run.take().is_some_and(|r| r.cancelling());
        self.failed_import = (
            self.failed_import.0 + 1,
            errors
                .iter()
                .filter(|e| !matches!(e, ImportError::Cancelled { .. }))
                .map(|e| (e.path().to_owned(), e.to_string()))
                .collect(),
        );
        for e in &errors {
            self.notify(Level::Error, e.to_string());
        }
        if cancelled {
            self.notify(Level::Info, "Import cancelled: nothing from it was kept");
            return;
        }
        let (mut merged, mut all_errors) = self
            .evidence
            .take()
            .map(|v| (v.evidence, v.errors))
            .unwrap_or_default();
        all_errors.extend(errors);
        let new_sources = evidence.sources.len();
        merged.merge(evidence);
        let view = EvidenceView::new(&self.catalog, merged, all_errors);
        if new_sources > 0 {
            self.notify(
                Level::Info,
                format!(
                    "Imported {new_sources} source(s): {} services in use, {} failing results",
                    view.in_use.len(),
                    view.failing()
                ),
            );
        }
        self.evidence = Some(view);
        self.attach_evidence();
    }

    /// The imported evidence goes into the open engagement (replacing what it keeps from the
    /// same sources, keeping the rest), so its checklist and exports have it. A change only if
    /// something new came in.
    pub(super) fn attach_evidence(&mut self) {
        let (Some(view), Some(e)) = (&self.evidence, self.engagement.as_mut()) else {
            return;
        };
        if e.doc.evidence.absorb(view.summary(&self.today)) {
            e.touch();
        }
    }

    fn scope_to_account(&mut self) {
        let Some(view) = &self.evidence else {
            return;
        };
        let refs: Vec<ServiceRef> = self
            .catalog
            .services
            .iter()
            .filter(|s| view.in_use.contains_key(&s.id))
            .map(|s| self.catalog.default_ref(s))
            .collect();
        // `apply` mirrors the new scope into the open engagement.
        self.scope = refs;
        self.view = View::Matrix;
    }
}
