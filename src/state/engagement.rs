//! The open engagement as the GUI holds it: the document plus where it lives on disk and how
//! far it has been saved. Changed only through `Session::apply`.

use crate::model::catalog::Catalog;
use crate::model::engagement::{Assignee, Engagement, Item, ItemKey, OwnerChange, Status};
use crate::storage::engagement::{DiskStamp, Recovery};
use std::path::PathBuf;

/// One edit of one item, from the matrix detail panel or the checklist view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEdit {
    Status(Status),
    CycleStatus,
    Assignee(Option<Assignee>),
    Due(Option<String>),
    Note(String),
}

impl ItemEdit {
    pub(super) fn apply_to(self, item: &mut Item) {
        match self {
            ItemEdit::Status(status) => item.status = status,
            ItemEdit::CycleStatus => item.status = item.status.next(),
            ItemEdit::Assignee(assignee) => item.assignee = assignee,
            ItemEdit::Due(due) => item.due = due.filter(|d| !d.trim().is_empty()),
            ItemEdit::Note(note) => item.note = note,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenEngagement {
    pub doc: Engagement,
    /// `None` until saved for the first time.
    pub path: Option<PathBuf>,
    /// What the file looked like when opened or last saved: saving refuses if it changed since.
    pub stamp: Option<DiskStamp>,
    /// Bumped on every change of the document.
    pub revision: u64,
    /// The revision last written to `path`.
    pub saved_revision: u64,
    /// The revision last written to the autosave copy.
    pub autosaved_revision: u64,
    /// Items whose owner changed since they were decided (catalog upgrade), until reviewed.
    pub owner_changes: Vec<OwnerChange>,
    /// An autosaved copy newer than the file, offered after a crash.
    pub recovery: Option<Recovery>,
    /// A save was refused because the file changed on disk (or exists): the message, so the
    /// user can choose to overwrite (the other version is kept as `.bak`).
    pub conflict: Option<String>,
    /// The file's format version when it was migrated on open.
    pub migrated_from: Option<u32>,
}

impl OpenEngagement {
    pub fn new(
        doc: Engagement,
        path: Option<PathBuf>,
        stamp: Option<DiskStamp>,
        catalog: &Catalog,
    ) -> Self {
        let owner_changes = doc.owner_changes(catalog);
        let saved = u64::from(path.is_some());
        OpenEngagement {
            doc,
            path,
            stamp,
            revision: saved,
            saved_revision: saved,
            autosaved_revision: saved,
            owner_changes,
            recovery: None,
            conflict: None,
            migrated_from: None,
        }
    }

    /// Unsaved changes (or never saved).
    pub fn dirty(&self) -> bool {
        self.revision != self.saved_revision || self.path.is_none()
    }

    pub fn needs_autosave(&self) -> bool {
        self.revision != self.autosaved_revision && self.revision != self.saved_revision
    }

    /// The window title: client, title, and a marker for unsaved changes.
    pub fn title(&self) -> String {
        let name = self.path.as_ref().and_then(|p| p.file_name()).map_or_else(
            || "untitled".to_owned(),
            |n| n.to_string_lossy().into_owned(),
        );
        let marker = if self.dirty() { "* " } else { "" };
        format!("{marker}{} · {} ({name})", self.doc.client, self.doc.title)
    }

    pub(super) fn touch(&mut self) {
        self.revision += 1;
        self.conflict = None;
    }

    pub fn item(&self, key: &ItemKey) -> Item {
        self.doc.item(key).cloned().unwrap_or_default()
    }
}
