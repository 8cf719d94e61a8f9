//! `Command`: everything that changes the session, one sub-enum per area, each handled by an
//! exhaustive `match` in its own file (a new variant does not compile until it is handled).
//! `Job`: slow work for the app shell. `Outcome`: what a handler did, including which derived
//! data must be rebuilt.

use super::checklist::ChecklistCommand;
use super::compare::CompareCommand;
use super::engagement_command::EngagementCommand;
use super::evidence::EvidenceView;
use super::export::ExportCommand;
use super::filters::FilterCommand;
use super::findings::FindingsCommand;
use super::import::ImportCommand;
use super::layout::LayoutCommand;
use super::notice::NoticeCommand;
use super::scope::ScopeCommand;
use super::view::ViewCommand;
use crate::model::catalog::Catalog;
use crate::model::engagement::Engagement;
use crate::storage::engagement::{DiskStamp, SaveMode};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

/// Everything that changes the session. Views push these (wrapped in `ui::Request`); the app
/// shell applies them with `Session::apply`, and sends the results of jobs back as commands.
#[derive(Debug)]
pub enum Command {
    /// The columns of the matrix.
    Scope(ScopeCommand),
    /// Owner, domain and text filters of the matrix.
    Filter(FilterCommand),
    /// Which view, which cell, how it looks.
    View(ViewCommand),
    /// The columns of the Compare view.
    Compare(CompareCommand),
    /// The open engagement: new, open, save, autosave, edit, close.
    Engagement(EngagementCommand),
    /// Account snapshots: start, progress, result, cancel.
    Import(ImportCommand),
    /// Write an export, and its result.
    Export(ExportCommand),
    /// Notifications, and background work that could not start.
    Notice(NoticeCommand),
    /// The findings board: filter, grouping, collapsed groups, decisions on findings.
    Findings(FindingsCommand),
    /// The engagement checklist: grouping, filters, collapsed groups, re-sorting.
    Checklist(ChecklistCommand),
    /// Presenter mode, the sidebar.
    Layout(LayoutCommand),
}

macro_rules! from_sub_commands {
    ($($sub:ident => $variant:ident),* $(,)?) => {
        $(impl From<$sub> for Command {
            fn from(command: $sub) -> Self {
                Command::$variant(command)
            }
        })*
    };
}

from_sub_commands! {
    ScopeCommand => Scope,
    FilterCommand => Filter,
    ViewCommand => View,
    CompareCommand => Compare,
    EngagementCommand => Engagement,
    ImportCommand => Import,
    ExportCommand => Export,
    NoticeCommand => Notice,
    FindingsCommand => Findings,
    ChecklistCommand => Checklist,
    LayoutCommand => Layout,
}

/// Slow work for the app shell to run off the UI thread.
#[derive(Debug, Clone)]
pub enum Job {
    WriteFile {
        path: PathBuf,
        bytes: Vec<u8>,
    },
    OpenEngagement(PathBuf),
    SaveEngagement {
        path: PathBuf,
        doc: Box<Engagement>,
        stamp: Option<DiskStamp>,
        mode: SaveMode,
        revision: u64,
    },
    /// Write the autosave copy for `path` (or the untitled one).
    Autosave {
        path: Option<PathBuf>,
        doc: Box<Engagement>,
        revision: u64,
    },
    /// Remove an autosave copy that is no longer wanted.
    DiscardAutosave {
        path: Option<PathBuf>,
    },
    /// Import snapshots; progress and the result come back as commands.
    Import {
        catalog: Arc<Catalog>,
        paths: Vec<PathBuf>,
        cancel: Arc<AtomicBool>,
        /// The evidence held as the import started: the result is merged over it (on the
        /// worker), so the UI thread never builds views of a large import.
        base: Option<Arc<EvidenceView>>,
        /// Today's date when an engagement is open: the worker also builds what it keeps.
        summary_for: Option<String>,
    },
}

impl Job {
    /// What kind of job this is (thread names, and what to undo when it cannot start).
    pub fn kind(&self) -> JobKind {
        match self {
            Job::WriteFile { .. } => JobKind::WriteFile,
            Job::OpenEngagement(_) => JobKind::OpenEngagement,
            Job::SaveEngagement { .. } => JobKind::SaveEngagement,
            Job::Autosave { .. } => JobKind::Autosave,
            Job::DiscardAutosave { .. } => JobKind::DiscardAutosave,
            Job::Import { .. } => JobKind::Import,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    WriteFile,
    OpenEngagement,
    SaveEngagement,
    Autosave,
    DiscardAutosave,
    Import,
}

impl JobKind {
    /// The name of the thread that runs it.
    pub fn thread_name(self) -> &'static str {
        match self {
            JobKind::WriteFile => "demarc-write-export",
            JobKind::OpenEngagement => "demarc-open-engagement",
            JobKind::SaveEngagement => "demarc-save-engagement",
            JobKind::Autosave => "demarc-autosave",
            JobKind::DiscardAutosave => "demarc-discard-autosave",
            JobKind::Import => "demarc-import",
        }
    }
}

/// Which derived data (matrix, comparison, findings board, checklist order) a command made
/// stale. Returned by every handler; `Session::apply` rebuilds exactly this. A matrix rebuild
/// (scope or filters changed) also rebuilds the checklist order, which follows both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rebuild {
    pub matrix: bool,
    pub comparison: bool,
    /// The evidence or the findings board's filter or grouping changed.
    pub findings: bool,
    /// The engagement, the evidence or the checklist's grouping or filters changed. Item edits
    /// do not ask for it: rows keep their place while the meeting edits them.
    pub checklist: bool,
}

impl Rebuild {
    pub const NOTHING: Rebuild = Rebuild {
        matrix: false,
        comparison: false,
        findings: false,
        checklist: false,
    };
    /// The scope or the filters changed.
    pub const MATRIX: Rebuild = Rebuild {
        matrix: true,
        ..Rebuild::NOTHING
    };
    /// The Compare columns changed.
    pub const COMPARISON: Rebuild = Rebuild {
        comparison: true,
        ..Rebuild::NOTHING
    };
    pub const FINDINGS: Rebuild = Rebuild {
        findings: true,
        ..Rebuild::NOTHING
    };
    pub const CHECKLIST: Rebuild = Rebuild {
        checklist: true,
        ..Rebuild::NOTHING
    };
}

impl std::ops::BitOr for Rebuild {
    type Output = Rebuild;
    fn bitor(self, other: Rebuild) -> Rebuild {
        Rebuild {
            matrix: self.matrix || other.matrix,
            comparison: self.comparison || other.comparison,
            findings: self.findings || other.findings,
            checklist: self.checklist || other.checklist,
        }
    }
}

/// What one command did: derived data to rebuild, and slow work for the shell.
#[derive(Debug, Default)]
#[must_use]
pub struct Outcome {
    pub rebuild: Rebuild,
    pub job: Option<Job>,
}

impl Outcome {
    pub const NOTHING: Outcome = Outcome {
        rebuild: Rebuild::NOTHING,
        job: None,
    };

    pub fn rebuild(rebuild: Rebuild) -> Outcome {
        Outcome { rebuild, job: None }
    }

    pub fn job(job: Option<Job>) -> Outcome {
        Outcome {
            rebuild: Rebuild::NOTHING,
            job,
        }
    }
}
