//! The open engagement: new, open, save (with conflicts), autosave and crash recovery, item
//! edits, catalog changes, close.

use super::Session;
use super::command::{Job, Outcome, Rebuild};
use super::engagement::{ItemEdit, OpenEngagement};
use super::notice::Level;
use super::settings::View;
use crate::model::engagement::{Engagement, ItemKey};
use crate::storage::engagement::{DiskStamp, EngagementFileError, Opened, Recovery, SaveMode};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many recent engagement files are remembered.
const RECENT_LIMIT: usize = 8;

/// An engagement file as the open job read it.
#[derive(Debug)]
pub struct OpenedFile {
    pub opened: Opened,
    /// A newer autosave copy left by a crash (`Ok(None)`: none; `Err`: one that cannot be read).
    pub recovery: Result<Option<Recovery>, EngagementFileError>,
}

/// Why the autosave copy was not written.
#[derive(Debug, thiserror::Error)]
pub enum AutosaveError {
    #[error("no data folder for the autosave copy")]
    NoDataFolder,
    #[error(transparent)]
    Engagement(#[from] EngagementFileError),
}

#[derive(Debug)]
pub enum EngagementCommand {
    /// Start an engagement for the current scope.
    New {
        client: String,
        title: String,
    },
    /// Ask the shell to open a file (it answers with `Opened`).
    Open(PathBuf),
    Opened {
        path: PathBuf,
        result: Result<Box<OpenedFile>, EngagementFileError>,
    },
    /// Save to the current path, or to `path` (save as). `overwrite` answers a conflict.
    Save {
        path: Option<PathBuf>,
        overwrite: bool,
    },
    Saved {
        path: PathBuf,
        revision: u64,
        result: Result<DiskStamp, EngagementFileError>,
    },
    /// The shell should write the autosave copy now (a few seconds after a change).
    Autosave,
    AutosaveFinished {
        revision: u64,
        result: Result<(), AutosaveError>,
    },
    /// An autosave copy that is no longer wanted was removed (or could not be).
    AutosaveDiscarded(Result<(), EngagementFileError>),
    EditItem {
        key: ItemKey,
        edit: ItemEdit,
    },
    EditInfo {
        client: String,
        title: String,
        date: String,
    },
    /// Replace the document with the autosaved copy offered after a crash.
    RestoreRecovery,
    DismissRecovery,
    /// The owner changes since the engagement's catalog version were reviewed.
    AcceptCatalogChanges,
    DismissConflict,
    Close,
    /// At start: an untitled engagement's autosave survived a crash (reopen it, unsaved), or
    /// it could not be read.
    RecoverUntitled(Result<Box<Engagement>, EngagementFileError>),
}

impl Session {
    pub(super) fn engagement_command(&mut self, command: EngagementCommand) -> Outcome {
        match command {
            EngagementCommand::New { client, title } => {
                self.new_engagement(&client, &title);
                Outcome::rebuild(Rebuild::CHECKLIST)
            }
            EngagementCommand::Open(path) => Outcome::job(Some(Job::OpenEngagement(path))),
            EngagementCommand::Opened { path, result } => {
                match result {
                    Ok(file) => self.engagement_opened(&path, *file),
                    Err(e) => self.notify(Level::Error, e.to_string()),
                }
                Outcome::rebuild(Rebuild::MATRIX)
            }
            EngagementCommand::Save { path, overwrite } => Outcome::job(self.save(path, overwrite)),
            EngagementCommand::Saved {
                path,
                revision,
                result,
            } => Outcome::job(self.saved(path, revision, result)),
            EngagementCommand::Autosave => Outcome::job(self.exit_job()),
            EngagementCommand::AutosaveFinished { revision, result } => {
                match result {
                    Ok(()) => {
                        if let Some(e) = self.engagement.as_mut() {
                            e.autosaved_revision = e.autosaved_revision.max(revision);
                        }
                    }
                    Err(e) => self.notify(Level::Error, format!("Autosave failed: {e}")),
                }
                Outcome::NOTHING
            }
            EngagementCommand::AutosaveDiscarded(result) => {
                if let Err(e) = result {
                    self.notify(Level::Error, format!("The old autosave copy stays: {e}"));
                }
                Outcome::NOTHING
            }
            EngagementCommand::EditItem { key, edit } => {
                self.edit_item(&key, edit);
                Outcome::NOTHING
            }
            EngagementCommand::EditInfo {
                client,
                title,
                date,
            } => {
                self.edit_info(client, title, date);
                Outcome::NOTHING
            }
            EngagementCommand::RestoreRecovery => {
                self.restore_recovery();
                Outcome::rebuild(Rebuild::MATRIX)
            }
            EngagementCommand::DismissRecovery => Outcome::job(self.dismiss_recovery()),
            EngagementCommand::AcceptCatalogChanges => {
                let catalog = Arc::clone(&self.catalog);
                if let Some(e) = self.engagement.as_mut() {
                    e.doc.accept_catalog(&catalog);
                    e.owner_changes.clear();
                    e.touch();
                }
                Outcome::NOTHING
            }
            EngagementCommand::DismissConflict => {
                if let Some(e) = self.engagement.as_mut() {
                    e.conflict = None;
                }
                Outcome::NOTHING
            }
            EngagementCommand::Close => Outcome {
                rebuild: Rebuild::CHECKLIST,
                job: self.close_engagement(),
            },
            EngagementCommand::RecoverUntitled(result) => {
                match result {
                    Ok(doc) => self.recover_untitled(*doc),
                    Err(e) => self.notify(
                        Level::Error,
                        format!("An autosaved untitled engagement could not be read: {e}"),
                    ),
                }
                Outcome::rebuild(Rebuild::MATRIX)
            }
        }
    }

    /// The autosave of unsaved changes, when there are any (also the work to do before exit).
    pub fn exit_job(&self) -> Option<Job> {
        let e = self.engagement.as_ref()?;
        e.needs_autosave().then(|| Job::Autosave {
            path: e.path.clone(),
            doc: Box::new(e.doc.clone()),
            revision: e.revision,
        })
    }

    fn new_engagement(&mut self, client: &str, title: &str) {
        let doc = Engagement::new(
            &self.catalog,
            client.trim(),
            title.trim(),
            &self.today,
            &self.scope,
        );
        let mut open = OpenEngagement::new(doc, None, None, &self.catalog);
        open.touch();
        self.engagement = Some(open);
        // Evidence imported before the engagement existed is its evidence too.
        self.attach_evidence();
        self.view = View::Checklist;
    }

    fn engagement_opened(&mut self, path: &Path, file: OpenedFile) {
        let OpenedFile { opened, recovery } = file;
        let mut open = OpenEngagement::new(
            opened.engagement,
            Some(path.to_owned()),
            Some(opened.stamp),
            &self.catalog,
        );
        open.migrated_from = opened.migrated_from;
        match recovery {
            Ok(recovery) => open.recovery = recovery,
            Err(e) => self.notify(
                Level::Error,
                format!("The autosave copy of this engagement cannot be read: {e}"),
            ),
        }
        let unknown: Vec<String> = open
            .doc
            .scope
            .iter()
            .filter(|r| self.catalog.tier_of(r).is_none())
            .map(crate::model::catalog::ServiceRef::key)
            .collect();
        if !unknown.is_empty() {
            self.notify(
                Level::Error,
                format!(
                    "Not in this catalog, kept in the file but not shown: {}",
                    unknown.join(", ")
                ),
            );
        }
        self.scope = self.known_refs(&open.doc.scope);
        let text = match open.migrated_from {
            Some(v) => format!(
                "Opened {} (upgraded from format {v}; saving writes the new format)",
                path.display()
            ),
            None => format!("Opened {}", path.display()),
        };
        self.notify(Level::Info, text);
        self.engagement = Some(open);
        // Evidence imported in this session joins the file's (a change only if it is new).
        self.attach_evidence();
        self.remember_recent(path);
        self.view = View::Checklist;
    }

    fn save(&mut self, path: Option<PathBuf>, overwrite: bool) -> Option<Job> {
        let e = self.engagement.as_mut()?;
        let Some(target) = path.or_else(|| e.path.clone()) else {
            self.notify(
                Level::Error,
                "Choose where to save the engagement (Save as…)",
            );
            return None;
        };
        // A different path (save as) starts fresh: no stamp to compare with.
        let stamp = if Some(&target) == e.path.as_ref() {
            e.stamp
        } else {
            None
        };
        let mode = if overwrite {
            SaveMode::Overwrite
        } else {
            SaveMode::Safe
        };
        e.conflict = None;
        Some(Job::SaveEngagement {
            path: target,
            doc: Box::new(e.doc.clone()),
            stamp,
            mode,
            revision: e.revision,
        })
    }

    fn saved(
        &mut self,
        path: PathBuf,
        revision: u64,
        result: Result<DiskStamp, EngagementFileError>,
    ) -> Option<Job> {
        let e = self.engagement.as_mut()?;
        match result {
            Ok(stamp) => {
                let old_path = e.path.replace(path.clone());
                e.stamp = Some(stamp);
                e.saved_revision = revision;
                e.autosaved_revision = e.autosaved_revision.max(revision);
                self.remember_recent(&path);
                self.notify(Level::Info, format!("Saved {}", path.display()));
                // The autosave copy of the saved revision is no longer needed.
                let discard = old_path.map(|_| path);
                Some(Job::DiscardAutosave { path: discard })
            }
            Err(error) if error.is_overridable() => {
                e.conflict = Some(error.to_string());
                None
            }
            Err(error) => {
                self.notify(Level::Error, error.to_string());
                None
            }
        }
    }

    fn edit_item(&mut self, key: &ItemKey, edit: ItemEdit) {
        let catalog = Arc::clone(&self.catalog);
        let Some(e) = self.engagement.as_mut() else {
            return;
        };
        match e.doc.edit_item(&catalog, key, |item| edit.apply_to(item)) {
            Ok(()) => e.touch(),
            Err(err) => self.notify(Level::Error, err.to_string()),
        }
    }

    fn edit_info(&mut self, client: String, title: String, date: String) {
        if self.engagement.is_none() {
            return;
        }
        if !crate::model::validate::is_iso_date(&date) {
            self.notify(Level::Error, format!("'{date}' is not a date (YYYY-MM-DD)"));
            return;
        }
        if let Some(e) = self.engagement.as_mut() {
            e.doc.client = client;
            e.doc.title = title;
            e.doc.date = date;
            e.touch();
        }
    }

    fn restore_recovery(&mut self) {
        let catalog = Arc::clone(&self.catalog);
        let Some(e) = self.engagement.as_mut() else {
            return;
        };
        let Some(recovery) = e.recovery.take() else {
            return;
        };
        e.doc = recovery.engagement;
        e.owner_changes = e.doc.owner_changes(&catalog);
        e.touch();
        let scope = e.doc.scope.clone();
        self.scope = self.known_refs(&scope);
        self.attach_evidence();
        self.notify(
            Level::Info,
            "Restored the autosaved changes: save to keep them",
        );
    }

    fn dismiss_recovery(&mut self) -> Option<Job> {
        let e = self.engagement.as_mut()?;
        e.recovery.take()?;
        Some(Job::DiscardAutosave {
            path: e.path.clone(),
        })
    }

    fn close_engagement(&mut self) -> Option<Job> {
        let e = self.engagement.take()?;
        if self.view == View::Checklist {
            self.view = View::Matrix;
        }
        // Unsaved changes stay in the autosave copy, offered when the file is opened again.
        e.needs_autosave().then(|| Job::Autosave {
            path: e.path.clone(),
            doc: Box::new(e.doc),
            revision: e.revision,
        })
    }

    fn recover_untitled(&mut self, doc: Engagement) {
        let mut open = OpenEngagement::new(doc, None, None, &self.catalog);
        open.touch();
        self.scope = self.known_refs(&open.doc.scope);
        self.engagement = Some(open);
        self.view = View::Checklist;
        self.notify(
            Level::Info,
            "Recovered an unsaved engagement from the last session: save it to keep it",
        );
    }

    fn remember_recent(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT_LIMIT);
    }
}
