//! `demarc catalog stats` and `demarc catalog diff`: figures about a catalog, and what changed
//! between two. The model computes ([`CatalogStats`], [`CatalogDiff`]); this renders.

use super::{Failure, emit, today};
use crate::model::catalog::Catalog;
use crate::model::diff::{CatalogDiff, CellChange, CellField};
use crate::model::stats::CatalogStats;
use crate::model::validate::is_iso_date;
use crate::storage;
use serde::Serialize;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

pub(super) fn stats(
    dir: Option<&PathBuf>,
    json: bool,
    today_arg: Option<&str>,
) -> Result<(), Failure> {
    let today = match today_arg {
        Some(date) if is_iso_date(date) => date.to_owned(),
        Some(date) => {
            return Err(Failure::usage(format!(
                "--today '{date}' is not YYYY-MM-DD"
            )));
        }
        None => today(),
    };
    let catalog = match dir {
        Some(dir) => load_dir(dir)?,
        None => Catalog::bundled(),
    };
    let stats = CatalogStats::compute(&catalog, &today);
    emit(None, |out| {
        if json {
            write_json(out, &stats)
        } else {
            write_stats(out, &stats)
        }
    })
}

pub(super) fn diff(old_dir: &Path, new_dir: Option<&PathBuf>, json: bool) -> Result<(), Failure> {
    let old = load_dir(old_dir)?;
    let new = match new_dir {
        Some(dir) => load_dir(dir)?,
        None => Catalog::bundled(),
    };
    let diff = CatalogDiff::between(&old, &new);
    emit(None, |out| {
        if json {
            write_json(out, &diff)
        } else {
            write_diff(out, &diff)
        }
    })
}

/// Loads and validates a catalog folder; on problems, lists each on stderr, like `catalog check`.
fn load_dir(dir: &Path) -> Result<Catalog, Failure> {
    let files = storage::read_catalog_dir(dir).map_err(|e| Failure::failed(e.to_string()))?;
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))).map_err(|err| {
        let label = dir.display();
        for problem in &err.problems {
            eprintln!("{label}/{problem}");
        }
        Failure::failed(format!(
            "{label}: not a valid catalog, {} problem(s)",
            err.problems.len()
        ))
    })
}

fn write_json(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    out.write_all(b"\n")
}

/// `part` as a percentage of `whole`, one decimal; a dash when `whole` is zero.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn write_stats(out: &mut impl Write, s: &CatalogStats) -> io::Result<()> {
    writeln!(out, "Catalog {} ({})", s.catalog_version, s.catalog_date)?;
    writeln!(out)?;
    let rows: [(&str, usize, String); 9] = [
        ("services", s.services, String::new()),
        ("variants", s.variants, String::new()),
        ("columns", s.columns, "services and variants".to_owned()),
        ("controls", s.controls, String::new()),
        ("cells", s.cells, "columns x controls".to_owned()),
        (
            "specific cells",
            s.specific_cells,
            format!(
                "{} of cells, written for the service or variant",
                percent(s.specific_cells, s.cells)
            ),
        ),
        (
            "cited cells",
            s.cited_cells,
            format!(
                "{} of specific cells",
                percent(s.cited_cells, s.specific_cells)
            ),
        ),
        (
            "written cells",
            s.written_cells,
            "cell entries in the service files".to_owned(),
        ),
        (
            "stale cells",
            s.stale_cells,
            format!(
                "last verified more than {} months before {}",
                s.stale_after_months, s.today
            ),
        ),
    ];
    for (label, count, note) in rows {
        if note.is_empty() {
            writeln!(out, "  {label:<16}{count:>7}")?;
        } else {
            writeln!(out, "  {label:<16}{count:>7}   {note}")?;
        }
    }
    writeln!(out)?;
    writeln!(out, "Tier source")?;
    writeln!(
        out,
        "  {:<16}{:>7}   confirmed in the service's AWS security chapter",
        "documented", s.tier_source.documented
    )?;
    writeln!(
        out,
        "  {:<16}{:>7}   from the taxonomy's decision rule",
        "rule", s.tier_source.rule
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<26}{:>9}{:>9}{:>16}",
        "By tier", "services", "columns", "specific cells"
    )?;
    for row in &s.tiers {
        let label = format!("{} {}", row.tier, row.tier.label());
        writeln!(
            out,
            "  {label:<24}{:>9}{:>9}{:>16}",
            row.services, row.columns, row.specific_cells
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{:<26}{:>9}", "By owner", "cells")?;
    for row in &s.owners {
        writeln!(
            out,
            "  {:<24}{:>9}{:>9}",
            row.owner.label(),
            row.cells,
            percent(row.cells, s.cells)
        )?;
    }
    Ok(())
}

fn write_list(out: &mut impl Write, label: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        writeln!(out, "{label}: none")
    } else {
        writeln!(out, "{label} ({}): {}", items.len(), items.join(", "))
    }
}

fn write_diff(out: &mut impl Write, d: &CatalogDiff) -> io::Result<()> {
    writeln!(
        out,
        "Catalog {} ({}) -> {} ({})",
        d.old.version, d.old.date, d.new.version, d.new.date
    )?;
    writeln!(out)?;
    write_list(out, "Services added", &d.services_added)?;
    write_list(out, "Services removed", &d.services_removed)?;
    write_list(out, "Variants added", &d.variants_added)?;
    write_list(out, "Variants removed", &d.variants_removed)?;
    write_list(out, "Controls added", &d.controls_added)?;
    write_list(out, "Controls removed", &d.controls_removed)?;
    writeln!(out)?;
    if d.cells.is_empty() {
        return writeln!(out, "Cells changed: none");
    }
    let owners = d
        .cells
        .iter()
        .filter(|c| c.owner_change().is_some())
        .count();
    writeln!(
        out,
        "Cells changed ({}, {owners} with a new owner)",
        d.cells.len()
    )?;
    for change in &d.cells {
        writeln!(out)?;
        write_cell_change(out, change)?;
    }
    Ok(())
}

fn write_cell_change(out: &mut impl Write, c: &CellChange) -> io::Result<()> {
    let column = match &c.old_column {
        Some(old) => format!("{} (was {old})", c.column),
        None => c.column.clone(),
    };
    let fields: Vec<&str> = c.changed.iter().map(|f| f.as_str()).collect();
    writeln!(out, "{column} {}: {}", c.control, fields.join(", "))?;
    if c.old.origin != c.new.origin {
        writeln!(
            out,
            "  text from: {} -> {}",
            c.old.origin.as_str(),
            c.new.origin.as_str()
        )?;
    }
    let (old, new) = (&c.old.cell, &c.new.cell);
    for field in &c.changed {
        match field {
            CellField::Owner => writeln!(out, "  owner: {} -> {}", old.owner, new.owner)?,
            CellField::AwsDoes => write_text_change(out, "aws_does", &old.aws_does, &new.aws_does)?,
            CellField::CustomerDoes => {
                write_text_change(out, "customer_does", &old.customer_does, &new.customer_does)?;
            }
            CellField::Sources => {
                writeln!(out, "  sources:")?;
                let removed: Vec<&String> = old
                    .sources
                    .iter()
                    .filter(|u| !new.sources.contains(u))
                    .collect();
                let added: Vec<&String> = new
                    .sources
                    .iter()
                    .filter(|u| !old.sources.contains(u))
                    .collect();
                if removed.is_empty() && added.is_empty() {
                    writeln!(out, "    (same URLs, new order)")?;
                }
                for url in removed {
                    writeln!(out, "    - {url}")?;
                }
                for url in added {
                    writeln!(out, "    + {url}")?;
                }
            }
        }
    }
    Ok(())
}

fn write_text_change(out: &mut impl Write, label: &str, old: &str, new: &str) -> io::Result<()> {
    let (old_line, new_line) = (one_line(old), one_line(new));
    if old_line == new_line {
        return writeln!(out, "  {label}: whitespace only");
    }
    writeln!(out, "  {label}:")?;
    writeln!(out, "    - {old_line}")?;
    writeln!(out, "    + {new_line}")
}

/// Keeps each change on one line: a line break in the text would read as another change.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
