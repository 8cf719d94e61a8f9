//! Markdown (`CommonMark` + GFM tables and task lists). Text from data is always escaped.

use super::text::{md_code, md_inline, md_line_start, md_link};
use crate::model::catalog::Catalog;
use crate::model::catalog::url_label;
use crate::model::checklist::Checklist;
use crate::model::matrix::{Comparison, Matrix};
use crate::model::owner::Owner;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The order owners are named in prose: the customer's first.
const OWNER_PRIORITY: [Owner; 4] = [
    Owner::Customer,
    Owner::Shared,
    Owner::Aws,
    Owner::NotApplicable,
];

const OWNER_COLUMNS: [Owner; 4] = [
    Owner::Aws,
    Owner::Shared,
    Owner::Customer,
    Owner::NotApplicable,
];

fn owner_header() -> String {
    OWNER_COLUMNS
        .iter()
        .map(|o| o.label())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The client checklist.
pub fn checklist(out: &mut impl Write, list: &Checklist) -> io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md_inline(&list.title));
    let mut owners: Vec<Owner> = list.owners.clone();
    owners.sort_by_key(|o| OWNER_PRIORITY.iter().position(|p| p == o));
    let owners: Vec<&str> = owners.iter().map(|o| o.label()).collect();
    let _ = writeln!(
        s,
        "Date: {} · demarc catalog {} ({}) · items: controls owned by {} for at least one service in scope.\n",
        md_inline(&list.date),
        md_inline(&list.catalog_version),
        md_inline(&list.catalog_date),
        owners.join(" or ").to_lowercase()
    );
    s.push_str("## Scope\n\n| Service | Variant | Tier |\n|---|---|---|\n");
    for e in &list.scope {
        let _ = writeln!(
            s,
            "| {} | {} | {} ({}) |",
            md_inline(&e.service_name),
            e.variant_name
                .as_deref()
                .map_or_else(|| "—".to_owned(), md_inline),
            e.tier.as_str(),
            e.tier.label()
        );
    }
    s.push('\n');
    for section in &list.sections {
        let _ = writeln!(s, "## {}\n", md_inline(&section.domain_name));
        for item in &section.items {
            let _ = writeln!(
                s,
                "- [ ] **{} {}**",
                md_inline(&item.control_id),
                md_inline(&item.control_name)
            );
            for entry in &item.entries {
                let inherited = if entry.inherited {
                    " (generic tier text)"
                } else {
                    ""
                };
                let _ = writeln!(
                    s,
                    "  - {} — {}{}: {}",
                    md_line_start(&entry.service_name),
                    entry.owner.label().to_lowercase(),
                    inherited,
                    md_inline(&entry.customer_does)
                );
                if entry.owner == Owner::Shared {
                    let _ = writeln!(s, "    AWS: {}", md_inline(&entry.aws_does));
                }
                if !entry.sources.is_empty() {
                    let links: Vec<String> = entry
                        .sources
                        .iter()
                        .map(|u| md_link(&url_label(u), u))
                        .collect();
                    let _ = writeln!(s, "    Sources: {}", links.join(", "));
                }
                if let Some(ev) = &entry.evidence {
                    evidence_md(&mut s, ev);
                }
            }
        }
        s.push('\n');
    }
    let _ = writeln!(
        s,
        "## Summary: owner counts per service (all {} controls)\n",
        controls_in(list)
    );
    let _ = writeln!(s, "| Service | {} |", owner_header());
    s.push_str("|---|---:|---:|---:|---:|\n");
    for row in &list.summary {
        let counts: Vec<String> = OWNER_COLUMNS
            .iter()
            .map(|o| row.counts.get(o).copied().unwrap_or(0).to_string())
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} |",
            md_inline(&row.service_name),
            counts.join(" | ")
        );
    }
    out.write_all(s.as_bytes())
}

/// Results shown per entry; the rest are counted.
const EVIDENCE_SHOWN: usize = 25;

fn evidence_md(s: &mut String, ev: &crate::model::evidence::CellEvidence) {
    use crate::model::evidence::Status;
    let count = |st: Status| ev.results.iter().filter(|r| r.status == st).count();
    let disagree = if ev.disagreement {
        " · sources disagree"
    } else {
        ""
    };
    if ev.results.is_empty() {
        let _ = writeln!(s, "    Evidence: **no evidence** in the imported snapshot");
        return;
    }
    let _ = writeln!(
        s,
        "    Evidence: **{}** ({} fail, {} unknown, {} pass){disagree}",
        ev.status.label(),
        count(Status::Fail),
        count(Status::Unknown),
        count(Status::Pass)
    );
    for r in ev.results.iter().take(EVIDENCE_SHOWN) {
        let _ = writeln!(
            s,
            "    - {} {} {} ({}, {}): {} — {}",
            r.status.as_str(),
            md_code(&r.check),
            md_inline(&r.resource_id),
            md_inline(&r.account),
            md_inline(&r.region),
            md_inline(&r.detail),
            md_inline(&r.source)
        );
    }
    if ev.results.len() > EVIDENCE_SHOWN {
        let _ = writeln!(s, "    - … and {} more", ev.results.len() - EVIDENCE_SHOWN);
    }
}

fn controls_in(list: &Checklist) -> usize {
    list.summary.first().map_or(0, |r| r.counts.values().sum())
}

/// The matrix as a table: one row per control, one column per service, owners in cells.
pub fn matrix(out: &mut impl Write, catalog: &Catalog, matrix: &Matrix) -> io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(s, "# AWS shared responsibility matrix\n");
    let _ = writeln!(
        s,
        "demarc catalog {} ({}).\n",
        md_inline(&catalog.info.version),
        md_inline(&catalog.info.date)
    );
    let headers: Vec<String> = matrix.columns.iter().map(|c| md_inline(&c.key())).collect();
    let _ = writeln!(s, "| Control | {} |", headers.join(" | "));
    let _ = writeln!(s, "|---|{}", "---|".repeat(matrix.columns.len()));
    for group in &matrix.groups {
        for row in &group.rows {
            let control = &catalog.controls[row.control];
            let owners: Vec<&str> = row.owners.iter().map(|o| o.label()).collect();
            let _ = writeln!(
                s,
                "| {} {} | {} |",
                md_inline(&control.id),
                md_inline(&control.name),
                owners.join(" | ")
            );
        }
    }
    out.write_all(s.as_bytes())
}

/// Side-by-side comparison: differing rows marked, and what moves between neighbours.
pub fn comparison(out: &mut impl Write, catalog: &Catalog, cmp: &Comparison) -> io::Result<()> {
    let mut s = String::new();
    let names: Vec<String> = cmp.columns.iter().map(|c| md_inline(&c.key())).collect();
    let _ = writeln!(s, "# Comparison: {}\n", names.join(" → "));
    let _ = writeln!(
        s,
        "{} of {} controls change owner across these columns (marked ◆).\n",
        cmp.differing_rows(),
        cmp.rows.len()
    );
    s.push_str("## What moves\n\n");
    for shift in &cmp.shifts {
        let _ = writeln!(
            s,
            "- **{} → {}**: {} controls leave the customer's plate, {} are taken on.",
            md_inline(&shift.from.key()),
            md_inline(&shift.to.key()),
            shift.relieved(),
            shift.taken_on()
        );
        for ((from, to), n) in &shift.moves {
            let _ = writeln!(s, "  - {} → {}: {n}", from.label(), to.label());
        }
    }
    let _ = writeln!(
        s,
        "\n## Owner totals\n\n| Service | {} |\n|---|---:|---:|---:|---:|",
        owner_header()
    );
    for (column, totals) in cmp.columns.iter().zip(&cmp.totals) {
        let counts: Vec<String> = OWNER_COLUMNS
            .iter()
            .map(|o| totals.get(o).copied().unwrap_or(0).to_string())
            .collect();
        let _ = writeln!(
            s,
            "| {} | {} |",
            md_inline(&column.key()),
            counts.join(" | ")
        );
    }
    let _ = writeln!(s, "\n## Controls\n\n| | Control | {} |", names.join(" | "));
    let _ = writeln!(s, "|---|---|{}", "---|".repeat(cmp.columns.len()));
    for row in &cmp.rows {
        let control = &catalog.controls[row.control];
        let owners: Vec<&str> = row.owners.iter().map(|o| o.label()).collect();
        let mark = if row.differs { "◆" } else { "" };
        let _ = writeln!(
            s,
            "| {mark} | {} {} | {} |",
            md_inline(&control.id),
            md_inline(&control.name),
            owners.join(" | ")
        );
    }
    out.write_all(s.as_bytes())
}
