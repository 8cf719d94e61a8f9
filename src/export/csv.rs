//! CSV for spreadsheets: the one writer every CSV of the app goes through (RFC 4180: CRLF line
//! ends, quotes only where needed, and no field that a spreadsheet would run as a formula), and
//! the matrix and checklist tables.

use crate::model::catalog::Catalog;
use crate::model::checklist::Checklist;
use crate::model::matrix::Matrix;
use std::io::{self, Write};

/// Writes CSV records. Every field is guarded: text that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'` (the OWASP advice against
/// CSV injection), then the field is quoted when it holds a comma, quote, CR or LF.
pub struct CsvWriter<'w, W: Write> {
    out: &'w mut W,
}

impl<'w, W: Write> CsvWriter<'w, W> {
    pub fn new(out: &'w mut W) -> Self {
        CsvWriter { out }
    }

    /// A writer that starts the file with a UTF-8 byte-order mark, so Excel reads the encoding.
    pub fn with_bom(out: &'w mut W) -> io::Result<Self> {
        out.write_all("\u{feff}".as_bytes())?;
        Ok(CsvWriter { out })
    }

    /// One record with its CRLF terminator.
    pub fn record<S: AsRef<str>>(&mut self, fields: &[S]) -> io::Result<()> {
        self.out.write_all(record(fields).as_bytes())
    }
}

/// One RFC 4180 field: quoted when it holds a comma, quote, CR or LF.
fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One guarded field (see [`CsvWriter`]).
pub fn field(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        quoted(&format!("'{text}"))
    } else {
        quoted(text)
    }
}

/// One record of guarded fields with its CRLF terminator.
pub fn record<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

pub const MATRIX_HEADER: [&str; 10] = [
    "service",
    "variant",
    "tier",
    "control_id",
    "control",
    "domain",
    "owner",
    "aws_does",
    "customer_does",
    "sources",
];

/// One row per service x control of the matrix (visible rows and columns).
pub fn matrix(out: &mut impl Write, catalog: &Catalog, matrix: &Matrix) -> io::Result<()> {
    let mut csv = CsvWriter::new(out);
    csv.record(&MATRIX_HEADER)?;
    for column in &matrix.columns {
        let tier = catalog.tier_of(column).map_or("", |t| t.as_str());
        for group in &matrix.groups {
            for row in &group.rows {
                let control = &catalog.controls[row.control];
                let Some(cell) = catalog.cell(column, &control.id) else {
                    continue;
                };
                csv.record(&[
                    column.service.as_str(),
                    column.variant.as_deref().unwrap_or(""),
                    tier,
                    &control.id,
                    &control.name,
                    catalog.domain_name(&control.domain),
                    cell.owner().as_str(),
                    &cell.data.aws_does,
                    &cell.data.customer_does,
                    &cell.data.sources.join(" "),
                ])?;
            }
        }
    }
    Ok(())
}

/// One row per checklist entry (control x service). With a snapshot's evidence attached, two
/// more columns: the cell's status and its results, failing first (`fail: id (detail); ...`).
pub fn checklist(out: &mut impl Write, list: &Checklist) -> io::Result<()> {
    let mut csv = CsvWriter::new(out);
    let with_evidence = list.has_evidence();
    let mut header = vec![
        "domain",
        "control_id",
        "control",
        "service",
        "variant",
        "owner",
        "customer_does",
        "aws_does",
        "sources",
    ];
    if with_evidence {
        header.extend(["evidence_status", "evidence"]);
    }
    csv.record(&header)?;
    for section in &list.sections {
        for item in &section.items {
            for e in &item.entries {
                let sources = e.sources.join(" ");
                let mut record = vec![
                    section.domain_name.as_str(),
                    &item.control_id,
                    &item.control_name,
                    &e.service_ref.service,
                    e.service_ref.variant.as_deref().unwrap_or(""),
                    e.owner.as_str(),
                    &e.customer_does,
                    &e.aws_does,
                    &sources,
                ];
                let (status, results);
                if with_evidence {
                    status = e.evidence.as_ref().map_or("", |ev| ev.status.as_str());
                    results = e.evidence.as_ref().map_or_else(String::new, |ev| {
                        ev.results
                            .iter()
                            .map(|r| {
                                format!(
                                    "{}: {} · {} ({}, {}, {}) from {}",
                                    r.status.label(),
                                    list.check_title(&r.check),
                                    r.resource_id,
                                    r.account,
                                    r.region,
                                    r.detail,
                                    crate::model::evidence::file_name(&r.source)
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    });
                    record.push(status);
                    record.push(&results);
                }
                csv.record(&record)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_start_formulas() {
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("=SUM(A1:A9)"), "'=SUM(A1:A9)");
        assert_eq!(field("+1"), "'+1");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("-2,3"), "\"'-2,3\"");
        assert_eq!(field("\tx"), "'\tx");
        assert_eq!(field("\rx"), "\"'\rx\"");
        assert_eq!(field("a=b"), "a=b");
    }

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(record(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn the_writer_can_start_with_a_byte_order_mark() {
        let mut out = Vec::new();
        CsvWriter::with_bom(&mut out)
            .and_then(|mut w| w.record(&["=x"]))
            .expect("write");
        assert_eq!(out, "\u{feff}'=x\r\n".as_bytes());
    }
}
