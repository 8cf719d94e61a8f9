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

    pub fn formats(self) -> &'static [Format] {
        match self {
            ExportKind::Checklist | ExportKind::Matrix => {
                &[Format::Markdown, Format::Csv, Format::Json]
            }
            ExportKind::Comparison => &[Format::Markdown, Format::Json],
        }
    }

    /// With an engagement open, its checklist also prints as HTML.
    pub fn formats_for(self, engagement_open: bool) -> &'static [Format] {
        match self {
            ExportKind::Checklist if engagement_open => {
                &[Format::Markdown, Format::Csv, Format::Html, Format::Json]
            }
            _ => self.formats(),
        }
    }
}

/// Why an export could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the comparison exports as Markdown or JSON")]
    ComparisonFormat,
    #[error("HTML is available for engagement checklists")]
    HtmlNeedsEngagement,
    #[error(transparent)]
    Render(#[from] std::io::Error),
}

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

    /// Renders an export into bytes (pure).
    pub fn render(&self, kind: ExportKind, format: Format) -> Result<Vec<u8>, ExportError> {
        let mut out = Vec::new();
        let catalog = &self.catalog;
        if let (ExportKind::Checklist, Some(e)) = (kind, &self.engagement) {
            let report = Report::build(catalog, &e.doc);
            export::engagement::write(&mut out, &report, format)?;
            return Ok(out);
        }
        match (kind, format) {
            (ExportKind::Checklist, Format::Markdown) => {
                export::markdown::checklist(&mut out, &self.checklist())?;
            }
            (ExportKind::Checklist, Format::Csv) => {
                export::csv::checklist(&mut out, &self.checklist())?;
            }
            (ExportKind::Checklist, Format::Json) => {
                export::json::checklist(&mut out, &self.checklist())?;
            }
            (ExportKind::Matrix, Format::Markdown) => {
                export::markdown::matrix(&mut out, catalog, &self.matrix)?;
            }
            (ExportKind::Matrix, Format::Csv) => {
                export::csv::matrix(&mut out, catalog, &self.matrix)?;
            }
            (ExportKind::Matrix, Format::Json) => {
                export::json::matrix(&mut out, catalog, &self.matrix)?;
            }
            (ExportKind::Comparison, Format::Markdown) => {
                export::markdown::comparison(&mut out, catalog, &self.comparison)?;
            }
            (ExportKind::Comparison, Format::Json) => {
                export::json::comparison(&mut out, catalog, &self.comparison)?;
            }
            (ExportKind::Comparison, Format::Csv) => return Err(ExportError::ComparisonFormat),
            (_, Format::Html) => return Err(ExportError::HtmlNeedsEngagement),
        }
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
            for format in kind.formats() {
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
        assert!(matches!(err, ExportError::ComparisonFormat), "{err}");
        let err = s
            .render(ExportKind::Matrix, Format::Html)
            .expect_err("no matrix HTML");
        assert!(matches!(err, ExportError::HtmlNeedsEngagement), "{err}");
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
