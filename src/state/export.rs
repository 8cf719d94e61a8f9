//! Exports from the GUI: what can be exported in which format, rendering it (pure), and the
//! command that turns it into a write job and reports the result.

use super::Session;
use super::command::{Job, Outcome};
use super::notice::Level;
use crate::export::{self, Format};
use crate::model::engagement::report::Report;
use crate::storage::StorageError;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    Checklist,
    Matrix,
    Comparison,
}

impl ExportKind {
    pub const ALL: [ExportKind; 3] = [
        ExportKind::Checklist,
        ExportKind::Matrix,
        ExportKind::Comparison,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Checklist => "Checklist",
            ExportKind::Matrix => "Matrix",
            ExportKind::Comparison => "Comparison",
        }
    }

    /// The word in a suggested file name: `demarc-checklist-2026-12-04.md`.
    pub fn file_stem(self) -> &'static str {
        match self {
            ExportKind::Checklist => "checklist",
            ExportKind::Matrix => "matrix",
            ExportKind::Comparison => "comparison",
        }
    }

    /// The document this export writes: with an engagement open, the checklist is the
    /// engagement's. Its formats are `export::formats_for(kind.document(..))`.
    pub fn document(self, engagement_open: bool) -> export::DocumentKind {
        match self {
            ExportKind::Checklist if engagement_open => export::DocumentKind::EngagementChecklist,
            ExportKind::Checklist => export::DocumentKind::Checklist,
            ExportKind::Matrix => export::DocumentKind::Matrix,
            ExportKind::Comparison => export::DocumentKind::Comparison,
        }
    }

    /// The formats this export offers now (the export dispatch decides them).
    pub fn formats(self, engagement_open: bool) -> &'static [Format] {
        export::formats_for(self.document(engagement_open))
    }
}

/// Why an export could not be rendered: the export dispatch's own error.
pub use crate::export::ExportError;

#[derive(Debug)]
pub enum ExportCommand {
    /// Render an export and write it to `path` (a job for the shell).
    Write {
        kind: ExportKind,
        format: Format,
        path: PathBuf,
    },
    /// The write job ended.
    Written {
        path: PathBuf,
        result: Result<(), StorageError>,
    },
}

impl Session {
    pub(super) fn export_command(&mut self, command: ExportCommand) -> Outcome {
        match command {
            ExportCommand::Write { kind, format, path } => match self.render(kind, format) {
                Ok(bytes) => Outcome::job(Some(Job::WriteFile { path, bytes })),
                Err(e) => {
                    self.notify(Level::Error, format!("Export failed: {e}"));
                    Outcome::NOTHING
                }
            },
            ExportCommand::Written { path, result } => {
                match result {
                    Ok(()) => self.notify(Level::Info, format!("Saved {}", path.display())),
                    Err(e) => self.notify(Level::Error, e.to_string()),
                }
                Outcome::NOTHING
            }
        }
    }

    /// Renders an export into bytes (pure), through the one export dispatch.
    pub fn render(&self, kind: ExportKind, format: Format) -> Result<Vec<u8>, ExportError> {
        let catalog = &self.catalog;
        let (report, checklist);
        let document = match (kind, &self.engagement) {
            (ExportKind::Checklist, Some(e)) => {
                report = Report::build(catalog, &e.doc);
                export::Document::EngagementChecklist(&report)
            }
            (ExportKind::Checklist, None) => {
                checklist = self.checklist();
                export::Document::Checklist(&checklist)
            }
            (ExportKind::Matrix, _) => export::Document::Matrix {
                catalog,
                matrix: &self.matrix,
            },
            (ExportKind::Comparison, _) => export::Document::Comparison {
                catalog,
                comparison: &self.comparison,
            },
        };
        let mut out = Vec::new();
        export::render(&document, format, &mut out)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::session;

    #[test]
    fn every_listed_format_renders() {
        let s = session();
        for kind in ExportKind::ALL {
            for format in kind.formats(false) {
                let bytes = s.render(kind, *format).expect("a listed format renders");
                assert!(!bytes.is_empty(), "{kind:?} {format:?}");
            }
        }
    }

    #[test]
    fn unlisted_formats_say_why() {
        let s = session();
        let err = s
            .render(ExportKind::Comparison, Format::Csv)
            .expect_err("no comparison CSV");
        assert!(matches!(err, ExportError::Unsupported { .. }), "{err}");
        let err = s
            .render(ExportKind::Matrix, Format::Html)
            .expect_err("no matrix HTML");
        assert!(matches!(err, ExportError::Unsupported { .. }), "{err}");
    }

    #[test]
    fn a_failed_write_is_reported_with_its_path() {
        let mut s = session();
        let path = PathBuf::from("/nowhere/x.md");
        let error = StorageError::Write {
            path: path.clone(),
            source: std::io::Error::other("disk full"),
        };
        s.apply(
            ExportCommand::Written {
                path,
                result: Err(error),
            }
            .into(),
        );
        let last = s.notifications().last().expect("a notification");
        assert_eq!(last.level, Level::Error);
        assert!(last.text.contains("/nowhere/x.md"), "{}", last.text);
    }
}
