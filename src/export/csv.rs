//! CSV (RFC 4180: CRLF line ends, quotes only where needed).

use super::text::csv_record;
use crate::model::catalog::Catalog;
use crate::model::checklist::Checklist;
use crate::model::matrix::Matrix;
use std::io::{self, Write};

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
    out.write_all(csv_record(&MATRIX_HEADER).as_bytes())?;
    for column in &matrix.columns {
        let tier = catalog.tier_of(column).map_or("", |t| t.as_str());
        for group in &matrix.groups {
            for row in &group.rows {
                let control = &catalog.controls[row.control];
                let Some(cell) = catalog.cell(column, &control.id) else {
                    continue;
                };
                out.write_all(
                    csv_record(&[
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
                    ])
                    .as_bytes(),
                )?;
            }
        }
    }
    Ok(())
}

/// One row per checklist entry (control x service). With a snapshot's evidence attached, two
/// more columns: the cell's status and its results, failing first (`fail: id (detail); ...`).
pub fn checklist(out: &mut impl Write, list: &Checklist) -> io::Result<()> {
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
    out.write_all(csv_record(&header).as_bytes())?;
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
                                    "{}: {} {} ({}, {}, {})",
                                    r.status, r.check, r.resource_id, r.account, r.region, r.detail
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; ")
                    });
                    record.push(status);
                    record.push(&results);
                }
                out.write_all(csv_record(&record).as_bytes())?;
            }
        }
    }
    Ok(())
}
