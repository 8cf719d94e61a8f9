//! Plain text for a terminal: the listings and summaries the CLI prints by default (`--format
//! text`). Aligned columns, one fact per line; JSON is the format for scripts.

use super::text::terminal;
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::diff::{CatalogDiff, CellChange, CellField};
use crate::model::engagement::Engagement;
use crate::model::engagement::report::Report;
use crate::model::evidence::{Evidence, Status};
use crate::model::stats::CatalogStats;
use std::fmt::Write as _;
use std::io::{self, Write};

/// `demarc services`: id, tier, name and variants (the default one starred).
pub fn services(out: &mut impl Write, catalog: &Catalog) -> io::Result<()> {
    for s in &catalog.services {
        let variants: Vec<String> = s
            .variants
            .iter()
            .map(|v| {
                if v.default {
                    format!("{}*", v.id)
                } else {
                    v.id.clone()
                }
            })
            .collect();
        writeln!(
            out,
            "{:<20} {}  {:<34} {}",
            s.id,
            s.tier,
            s.name,
            variants.join(", ")
        )?;
    }
    Ok(())
}

/// `demarc controls`: id, name and domain.
pub fn controls(out: &mut impl Write, catalog: &Catalog) -> io::Result<()> {
    for c in &catalog.controls {
        writeln!(
            out,
            "{}  {:<48} {}",
            c.id,
            c.name,
            catalog.domain_name(&c.domain)
        )?;
    }
    Ok(())
}

/// `demarc import`: sources, services in use, unmapped types, failing checks, warnings, errors.
pub fn import(out: &mut impl Write, evidence: &Evidence, errors: &[String]) -> io::Result<()> {
    writeln!(out, "Sources ({}):", evidence.sources.len())?;
    for s in &evidence.sources {
        writeln!(
            out,
            "  {:<20} {}  accounts: {}  regions: {}",
            s.format.as_str(),
            terminal(&s.path),
            if s.accounts.is_empty() {
                "-".to_owned()
            } else {
                terminal(&s.accounts.join(", "))
            },
            if s.regions.is_empty() {
                "-".to_owned()
            } else {
                terminal(&s.regions.join(", "))
            }
        )?;
    }
    let services = evidence.services_in_use();
    writeln!(out, "\nServices in use ({}):", services.len())?;
    for (service, count) in &services {
        writeln!(
            out,
            "  {:<22} {}",
            terminal(service),
            crate::model::words::count(*count, "resource", "resources")
        )?;
    }
    let unmapped = evidence.unmapped_resource_types();
    if !unmapped.is_empty() {
        writeln!(
            out,
            "\nResource types that map to no catalog service ({}):",
            unmapped.len()
        )?;
        for (t, count) in &unmapped {
            writeln!(out, "  {:<40} {count}", terminal(t))?;
        }
    }
    let count = |st: Status| evidence.results.iter().filter(|r| r.status == st).count();
    let exceptions = count(Status::Suppressed) + count(Status::Muted);
    writeln!(
        out,
        "\nCheck results: {} fail, {} unknown, {} pass{}",
        count(Status::Fail),
        count(Status::Unknown),
        count(Status::Pass),
        if exceptions > 0 {
            format!(
                ", {} suppressed, {} muted (accepted exceptions, not counted as fails)",
                count(Status::Suppressed),
                count(Status::Muted)
            )
        } else {
            String::new()
        }
    )?;
    let failing = evidence.failing();
    if !failing.is_empty() {
        writeln!(out, "\nFailing checks ({}):", failing.len())?;
        for r in failing {
            writeln!(
                out,
                "  {:<10} {:<7} {:<34} {} ({}, {}): {}",
                terminal(&r.service),
                terminal(&r.control),
                terminal(&r.check),
                terminal(&r.resource_id),
                terminal(&r.account),
                terminal(&r.region),
                terminal(&r.detail)
            )?;
        }
    }
    if !evidence.warnings.is_empty() {
        writeln!(out, "\nWarnings ({}):", evidence.warnings.len())?;
        for w in &evidence.warnings {
            writeln!(out, "  {}", terminal(&w.to_string()))?;
        }
    }
    if !errors.is_empty() {
        writeln!(out, "\nNot imported ({}):", errors.len())?;
        for e in errors {
            writeln!(out, "  {}", terminal(e))?;
        }
    }
    Ok(())
}

/// `demarc engagement show`: client, scope, progress, every decision and the owner changes.
/// Text from the document goes through [`terminal`], so it cannot move the cursor.
pub fn engagement_summary(
    out: &mut impl Write,
    doc: &Engagement,
    report: &Report,
) -> io::Result<()> {
    writeln!(
        out,
        "{} · {} · {}",
        terminal(&doc.client),
        terminal(&doc.title),
        doc.date
    )?;
    write!(out, "catalog {}", terminal(&doc.catalog_version))?;
    if report.catalog_version != report.current_catalog_version {
        write!(
            out,
            " (this demarc has catalog {})",
            report.current_catalog_version
        )?;
    }
    writeln!(out)?;
    let scope: Vec<String> = doc.scope.iter().map(ServiceRef::key).collect();
    writeln!(out, "scope: {}", terminal(&scope.join(", ")))?;
    writeln!(out, "progress: {}", report.total.progress())?;
    writeln!(out, "by domain:")?;
    for t in &report.by_domain {
        writeln!(
            out,
            "  {:<5} {:<44} {}",
            t.key,
            t.label,
            t.counts.progress()
        )?;
    }
    writeln!(out, "by service:")?;
    for t in &report.by_service {
        writeln!(out, "  {:<28} {}", terminal(&t.key), t.counts.progress())?;
    }
    writeln!(out, "decisions: {}", doc.items.len())?;
    for (key, item) in &doc.items {
        let mut line = format!(
            "  {:<28} {:<14}",
            terminal(&key.to_string()),
            item.status.as_str()
        );
        if let Some(a) = &item.assignee {
            let _ = write!(line, " {}", terminal(&a.label()));
        }
        if let Some(d) = &item.due {
            let _ = write!(line, " due {d}");
        }
        if !item.note.is_empty() {
            let _ = write!(line, " {:?}", item.note);
        }
        writeln!(out, "{line}")?;
    }
    if !report.owner_changes.is_empty() {
        writeln!(
            out,
            "owner changes since catalog {}:",
            terminal(&doc.catalog_version)
        )?;
        for c in &report.owner_changes {
            let after = c.after.map_or("no longer in the catalog", |o| o.as_str());
            writeln!(
                out,
                "  {}: {} -> {after}",
                terminal(&c.key.to_string()),
                c.before.as_str()
            )?;
        }
    }
    Ok(())
}

/// `part` as a percentage of `whole`, one decimal; a dash when `whole` is zero.
fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

/// `demarc catalog stats`: counts, then tier sources, tiers and owners.
pub fn catalog_stats(out: &mut impl Write, s: &CatalogStats) -> io::Result<()> {
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
    let Some(previous) = &s.previous else {
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
        return Ok(());
    };
    let before = format!("in {}", previous.version);
    writeln!(
        out,
        "{:<26}{:>9}{:>9}{:>12}",
        "By owner", "cells", "", before
    )?;
    for row in &s.owners {
        let was = row.previous_cells.unwrap_or(0);
        writeln!(
            out,
            "  {:<24}{:>9}{:>9}{:>12}{:>9}",
            row.owner.label(),
            row.cells,
            percent(row.cells, s.cells),
            was,
            percent(was, previous.cells)
        )?;
    }
    writeln!(
        out,
        "  {:<24}{:>9}{:>9}{:>12}",
        "all cells", s.cells, "", previous.cells
    )?;
    writeln!(
        out,
        "  ({} of {}, as recorded in catalog.json when {} was made)",
        previous.version, previous.date, s.catalog_version
    )?;
    Ok(())
}

fn write_list(out: &mut impl Write, label: &str, items: &[String]) -> io::Result<()> {
    if items.is_empty() {
        writeln!(out, "{label}: none")
    } else {
        writeln!(out, "{label} ({}): {}", items.len(), items.join(", "))
    }
}

/// `demarc catalog diff`: lists added and removed, then each changed cell.
pub fn catalog_diff(out: &mut impl Write, d: &CatalogDiff) -> io::Result<()> {
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
