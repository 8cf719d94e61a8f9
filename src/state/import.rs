//! Importing account snapshots: start a job, follow its progress, merge its evidence, cancel;
//! scope the matrix to the account; forget the evidence.

use super::Session;
use super::command::{Job, Outcome, Rebuild};
use super::evidence::{EvidenceView, ImportRun};
use super::notice::Level;
use super::settings::View;
use crate::import::ImportError;
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::engagement as doc;
use crate::model::evidence::Evidence;
use crate::model::words;
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
    /// The worker ended. `view` is what the views will show: the evidence held before the
    /// import merged with what it read, rolled up per cell and deduplicated into the findings
    /// board, all built on the worker (`None` when cancelled); `errors` are the files this
    /// import could not read; `summary` is what an open engagement keeps of `view`, when one
    /// was open as the import started.
    Finished(Box<ImportOutcome>),
    Cancel,
    /// Replace the columns with the services the imported account uses.
    ScopeToAccount,
    /// Forget the imported evidence.
    Clear,
}

/// What an import job hands back (see [`ImportCommand::Finished`]).
#[derive(Debug)]
pub struct ImportOutcome {
    pub view: Option<EvidenceView>,
    pub new_sources: usize,
    pub errors: Vec<Arc<ImportError>>,
    pub summary: Option<doc::Evidence>,
}

impl ImportOutcome {
    /// The worker's side of an import, after the files are read: merges `read` over `base`
    /// (the evidence held when the import started) and builds every view of the result, so
    /// the UI thread only swaps it in. Nothing is built for a cancelled import.
    pub fn build(
        catalog: &Catalog,
        base: Option<Arc<EvidenceView>>,
        read: Evidence,
        errors: Vec<ImportError>,
        cancelled: bool,
        summary_for: Option<&str>,
    ) -> ImportOutcome {
        let errors: Vec<Arc<ImportError>> = errors.into_iter().map(Arc::new).collect();
        let new_sources = read.sources.len();
        if cancelled {
            return ImportOutcome {
                view: None,
                new_sources,
                errors,
                summary: None,
            };
        }
        let (mut merged, mut all_errors) = base
            .map(|b| (b.evidence.clone(), b.errors.clone()))
            .unwrap_or_default();
        all_errors.extend(errors.iter().cloned());
        merged.merge(read);
        let view = EvidenceView::new(catalog, merged, all_errors);
        let summary = summary_for.map(|today| view.summary(today));
        ImportOutcome {
            view: Some(view),
            new_sources,
            errors,
            summary,
        }
    }
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
            ImportCommand::Finished(outcome) => {
                self.import_finished(*outcome);
                Outcome::rebuild(Rebuild::FINDINGS | Rebuild::CHECKLIST)
            }
            ImportCommand::ScopeToAccount => {
                self.scope_to_account();
                Outcome::rebuild(Rebuild::MATRIX)
            }
            ImportCommand::Clear => {
                if self.import_run.is_some() {
                    // The running import merges over the evidence it started from.
                    self.notify(
                        Level::Error,
                        "An import is running: cancel it or let it finish, then clear",
                    );
                    return Outcome::NOTHING;
                }
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
            base: self.evidence.clone(),
            summary_for: self.engagement.is_some().then(|| self.today.clone()),
        })
    }

    fn import_finished(&mut self, outcome: ImportOutcome) {
        let cancelled = self.import_run.take().is_some_and(|r| r.cancelling());
        let ImportOutcome {
            view,
            new_sources,
            errors,
            summary,
        } = outcome;
        self.failed_import = (
            self.failed_import.0 + 1,
            errors
                .iter()
                .filter(|e| !matches!(***e, ImportError::Cancelled { .. }))
                .map(|e| (e.path().to_owned(), e.to_string()))
                .collect(),
        );
        for e in &errors {
            self.notify(Level::Error, e.to_string());
        }
        let Some(view) = view.filter(|_| !cancelled) else {
            self.notify(Level::Info, "Import cancelled: nothing from it was kept");
            return;
        };
        if new_sources > 0 {
            self.notify(
                Level::Info,
                format!(
                    "Imported {}: {} in use, {}",
                    words::count(new_sources, "source", "sources"),
                    words::count(view.in_use.len(), "service", "services"),
                    words::count(view.failing(), "failing result", "failing results"),
                ),
            );
        }
        self.evidence = Some(Arc::new(view));
        self.attach_evidence_summary(summary);
    }

    /// The imported evidence goes into the open engagement (replacing what it keeps from the
    /// same sources, keeping the rest), so its checklist and exports have it. A change only if
    /// something new came in.
    pub(super) fn attach_evidence(&mut self) {
        self.attach_evidence_summary(None);
    }

    /// [`Self::attach_evidence`] with the summary the import job built, when it did.
    fn attach_evidence_summary(&mut self, built: Option<doc::Evidence>) {
        let (Some(view), Some(e)) = (&self.evidence, self.engagement.as_mut()) else {
            return;
        };
        let summary = built.unwrap_or_else(|| view.summary(&self.today));
        if e.doc.evidence.absorb(summary) {
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
