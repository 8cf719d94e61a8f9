//! Checklist, matrix, comparison and engagement -> Markdown, CSV, HTML (engagements), JSON. Pure and deterministic: the same
//! inputs give the same bytes; they write into any `impl Write`. GUI and CLI call the same
//! functions.

pub mod csv;
pub mod engagement;
pub mod json;
pub mod markdown;
pub mod text;

use serde::{Deserialize, Serialize};

/// Output formats of the exporters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    #[value(name = "md", alias = "markdown")]
    Markdown,
    Csv,
    /// A self-contained printable page (engagement checklists).
    Html,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Csv => "CSV",
            Format::Html => "HTML",
            Format::Json => "JSON",
        }
    }
}
