//! Every document the app writes, in every format: one dispatch, [`render`], used by the GUI's
//! export dialog and by every CLI command that prints data. Which formats exist for which
//! document is decided once, in [`formats_for`]. Pure and deterministic: the same inputs give
//! the same bytes, written into any `impl Write`. No clap here: the CLI maps its own flag values
//! to [`Format`].
//!
//! To add a format to a document: add the arm to [`render_as`], list the format in
//! [`formats_for`], and add a golden file (`tests/export.rs` or `tests/engagement_export.rs`).

pub mod csv;
pub mod engagement;
pub mod json;
pub mod markdown;
pub mod plain;
pub mod style;
pub mod svg;
pub mod text;
pub mod xlsx;

use crate::model::catalog::Catalog;
use crate::model::checklist::Checklist;
use crate::model::diff::CatalogDiff;
use crate::model::engagement::Engagement;
use crate::model::engagement::report::Report;
use crate::model::evidence::Evidence;
use crate::model::matrix::{Comparison, Matrix};
use crate::model::stats::CatalogStats;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::{self, Write};

/// Output formats of the exporters. `Xlsx` is binary; the others are UTF-8 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Csv,
    /// A self-contained printable page (engagement checklists).
    Html,
    Json,
    /// Plain text for a terminal (listings and summaries).
    Text,
    /// An Excel workbook (Office Open XML): coloured sheets, drop-downs, dates.
    Xlsx,
    /// A vector picture for slides (16:9).
    Svg,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Markdown,
        Format::Csv,
        Format::Html,
        Format::Json,
        Format::Text,
        Format::Xlsx,
        Format::Svg,
    ];

    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
            Format::Text => "txt",
            Format::Xlsx => "xlsx",
            Format::Svg => "svg",
        }
    }

    /// The short name: the command line's `--format` value and the name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Html => "html",
            Format::Json => "json",
            Format::Text => "text",
            Format::Xlsx => "xlsx",
            Format::Svg => "svg",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::Markdown => "Markdown",
            Format::Csv => "CSV",
            Format::Html => "HTML",
            Format::Json => "JSON",
            Format::Text => "Text",
            Format::Xlsx => "Excel workbook",
            Format::Svg => "SVG picture",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A document to write, borrowing the model values it shows.
#[derive(Debug, Clone, Copy)]
pub enum Document<'a> {
    /// The catalog's services with tier and variants (`demarc services`).
    Services(&'a Catalog),
    /// The catalog's controls, the matrix rows (`demarc controls`).
    Controls(&'a Catalog),
    /// The responsibility matrix: visible rows and columns.
    Matrix {
        catalog: &'a Catalog,
        matrix: &'a Matrix,
    },
    /// The customer's checklist, with a snapshot's evidence under each item when attached.
    Checklist(&'a Checklist),
    /// 2 to 4 columns side by side.
    Comparison {
        catalog: &'a Catalog,
        comparison: &'a Comparison,
    },
    /// An engagement's checklist for the client: statuses, assignees, notes, evidence.
    EngagementChecklist(&'a Report),
    /// An engagement's progress, decisions and owner changes (`demarc engagement show`).
    EngagementSummary {
        engagement: &'a Engagement,
        report: &'a Report,
    },
    /// What account snapshots say (`demarc import`); `errors` are the paths not imported.
    Import {
        evidence: &'a Evidence,
        errors: &'a [String],
    },
    /// Figures about a catalog (`demarc catalog stats`).
    CatalogStats(&'a CatalogStats),
    /// What changed between two catalogs (`demarc catalog diff`).
    CatalogDiff(&'a CatalogDiff),
}

/// What a [`Document`] is, without its data: what [`formats_for`] answers about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    Services,
    Controls,
    Matrix,
    Checklist,
    Comparison,
    EngagementChecklist,
    EngagementSummary,
    Import,
    CatalogStats,
    CatalogDiff,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 10] = [
        DocumentKind::Services,
        DocumentKind::Controls,
        DocumentKind::Matrix,
        DocumentKind::Checklist,
        DocumentKind::Comparison,
        DocumentKind::EngagementChecklist,
        DocumentKind::EngagementSummary,
        DocumentKind::Import,
        DocumentKind::CatalogStats,
        DocumentKind::CatalogDiff,
    ];

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            DocumentKind::Services => "the service list",
            DocumentKind::Controls => "the control list",
            DocumentKind::Matrix => "the matrix",
            DocumentKind::Checklist => "the checklist",
            DocumentKind::Comparison => "the comparison",
            DocumentKind::EngagementChecklist => "the engagement checklist",
            DocumentKind::EngagementSummary => "the engagement summary",
            DocumentKind::Import => "the import summary",
            DocumentKind::CatalogStats => "the catalog figures",
            DocumentKind::CatalogDiff => "the catalog diff",
        }
    }

    /// The format used when none is asked for: the first of [`formats_for`].
    pub fn default_format(self) -> Format {
        formats_for(self)[0]
    }
}

/// The formats a document can be written in, the default first. The one place this is decided:
/// the GUI's export dialog lists these, the CLI refuses any other.
pub fn formats_for(kind: DocumentKind) -> &'static [Format] {
    match kind {
        DocumentKind::Matrix => &[
            Format::Markdown,
            Format::Csv,
            Format::Json,
            Format::Xlsx,
            Format::Svg,
        ],
        DocumentKind::Checklist => &[Format::Markdown, Format::Csv, Format::Json, Format::Xlsx],
        DocumentKind::Comparison => &[Format::Markdown, Format::Json, Format::Xlsx, Format::Svg],
        DocumentKind::EngagementChecklist => &[
            Format::Markdown,
            Format::Csv,
            Format::Html,
            Format::Json,
            Format::Xlsx,
        ],
        DocumentKind::Services
        | DocumentKind::Controls
        | DocumentKind::EngagementSummary
        | DocumentKind::Import
        | DocumentKind::CatalogStats
        | DocumentKind::CatalogDiff => &[Format::Text, Format::Json],
    }
}

impl Document<'_> {
    pub fn kind(&self) -> DocumentKind {
        match self {
            Document::Services(_) => DocumentKind::Services,
            Document::Controls(_) => DocumentKind::Controls,
            Document::Matrix { .. } => DocumentKind::Matrix,
            Document::Checklist(_) => DocumentKind::Checklist,
            Document::Comparison { .. } => DocumentKind::Comparison,
            Document::EngagementChecklist(_) => DocumentKind::EngagementChecklist,
            Document::EngagementSummary { .. } => DocumentKind::EngagementSummary,
            Document::Import { .. } => DocumentKind::Import,
            Document::CatalogStats(_) => DocumentKind::CatalogStats,
            Document::CatalogDiff(_) => DocumentKind::CatalogDiff,
        }
    }
}

/// Why a document was not written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} is not written as {format}; it is written as {}", .document.label(), format_list(*.document))]
    Unsupported {
        document: DocumentKind,
        format: Format,
    },
    #[error("cannot write {}: {source}", .document.label())]
    Io {
        document: DocumentKind,
        source: io::Error,
    },
}

/// `md, csv or json`: the formats of a document by their short names.
pub fn format_list(kind: DocumentKind) -> String {
    let names: Vec<&str> = formats_for(kind).iter().map(|f| f.name()).collect();
    match names.split_last() {
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// Writes a document in a format, or says the document has no such format (nothing written).
pub fn render<W: Write>(
    document: &Document<'_>,
    format: Format,
    out: &mut W,
) -> Result<(), ExportError> {
    let kind = document.kind();
    if !formats_for(kind).contains(&format) {
        return Err(ExportError::Unsupported {
            document: kind,
            format,
        });
    }
    render_as(document, format, out).map_err(|source| ExportError::Io {
        document: kind,
        source,
    })
}

/// The renderer of each (document, format) pair that [`formats_for`] lists.
fn render_as<W: Write>(document: &Document<'_>, format: Format, out: &mut W) -> io::Result<()> {
    use Format::{Csv, Html, Json, Markdown, Svg, Text, Xlsx};
    match (*document, format) {
        (Document::Services(catalog), Text) => plain::services(out, catalog),
        (Document::Services(catalog), Json) => json::services(out, catalog),
        (Document::Controls(catalog), Text) => plain::controls(out, catalog),
        (Document::Controls(catalog), Json) => json::controls(out, catalog),
        (Document::Matrix { catalog, matrix }, Markdown) => markdown::matrix(out, catalog, matrix),
        (Document::Matrix { catalog, matrix }, Csv) => csv::matrix(out, catalog, matrix),
        (Document::Matrix { catalog, matrix }, Json) => json::matrix(out, catalog, matrix),
        (Document::Matrix { catalog, matrix }, Xlsx) => xlsx::matrix(out, catalog, matrix),
        (Document::Matrix { catalog, matrix }, Svg) => svg::matrix(out, catalog, matrix),
        (Document::Checklist(list), Markdown) => markdown::checklist(out, list),
        (Document::Checklist(list), Csv) => csv::checklist(out, list),
        (Document::Checklist(list), Json) => json::checklist(out, list),
        (Document::Checklist(list), Xlsx) => xlsx::checklist(out, list),
        (
            Document::Comparison {
                catalog,
                comparison,
            },
            Markdown,
        ) => markdown::comparison(out, catalog, comparison),
        (
            Document::Comparison {
                catalog,
                comparison,
            },
            Json,
        ) => json::comparison(out, catalog, comparison),
        (
            Document::Comparison {
                catalog,
                comparison,
            },
            Xlsx,
        ) => xlsx::comparison(out, catalog, comparison),
        (
            Document::Comparison {
                catalog,
                comparison,
            },
            Svg,
        ) => svg::comparison(out, catalog, comparison),
        (Document::EngagementChecklist(report), Markdown) => engagement::markdown(out, report),
        (Document::EngagementChecklist(report), Csv) => engagement::csv(out, report),
        (Document::EngagementChecklist(report), Html) => engagement::html_page(out, report),
        (Document::EngagementChecklist(report), Xlsx) => xlsx::engagement(out, report),
        (
            Document::EngagementChecklist(report) | Document::EngagementSummary { report, .. },
            Json,
        ) => engagement::json(out, report),
        (Document::EngagementSummary { engagement, report }, Text) => {
            plain::engagement_summary(out, engagement, report)
        }
        (Document::Import { evidence, errors }, Text) => plain::import(out, evidence, errors),
        (Document::Import { evidence, errors }, Json) => json::import(out, evidence, errors),
        (Document::CatalogStats(stats), Text) => plain::catalog_stats(out, stats),
        (Document::CatalogStats(stats), Json) => json::pretty(out, stats),
        (Document::CatalogDiff(diff), Text) => plain::catalog_diff(out, diff),
        (Document::CatalogDiff(diff), Json) => json::pretty(out, diff),
        // `render` lets only listed pairs through; a pair listed without an arm above lands
        // here, and the test that renders every listed pair fails.
        (document, format) => Err(io::Error::new(
            io::ErrorKind::Unsupported,
            format!("no {format} renderer for {}", document.kind().label()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_has_a_default_and_no_format_twice() {
        for kind in DocumentKind::ALL {
            let formats = formats_for(kind);
            assert!(!formats.is_empty(), "{kind:?}");
            assert_eq!(kind.default_format(), formats[0]);
            for (i, f) in formats.iter().enumerate() {
                assert!(!formats[i + 1..].contains(f), "{kind:?} lists {f:?} twice");
            }
        }
    }

    #[test]
    fn an_unlisted_format_writes_nothing() {
        let catalog = Catalog::bundled();
        let comparison = Comparison::build(&catalog, &[]);
        let mut out = Vec::new();
        let err = render(
            &Document::Comparison {
                catalog: &catalog,
                comparison: &comparison,
            },
            Format::Csv,
            &mut out,
        )
        .expect_err("no CSV for comparisons");
        assert!(out.is_empty());
        assert_eq!(
            err.to_string(),
            "the comparison is not written as CSV; it is written as md, json, xlsx or svg"
        );
    }

    #[test]
    fn format_lists_read_as_a_sentence() {
        assert_eq!(
            format_list(DocumentKind::Matrix),
            "md, csv, json, xlsx or svg"
        );
        assert_eq!(format_list(DocumentKind::Services), "text or json");
    }
}
