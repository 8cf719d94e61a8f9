//! An engagement's checklist for the client: Markdown (GFM task list), CSV for spreadsheets
//! (UTF-8 with BOM, RFC 4180), a self-contained printable HTML page, and JSON. All render a
//! [`Report`]; the same report gives the same bytes. Every text that comes from a document, an
//! import or the catalog is escaped for its format.

use super::csv::CsvWriter;
use super::text::{html, md_inline, md_line_start, md_lines, md_link};
use crate::model::catalog::url_label;
use crate::model::engagement::report::{Report, ReportFinding, ReportItem, StatusCounts, Tally};
use crate::model::engagement::{Assignee, FindingDecision, Status};
use crate::model::owner::Owner;
use std::fmt::Write as _;
use std::io::{self, Write};

fn owner_label(owner: Option<Owner>) -> &'static str {
    owner.map_or("not in the catalog", Owner::label)
}

fn assignee_label(assignee: Option<&Assignee>) -> String {
    assignee.map_or_else(|| "Unassigned".to_owned(), Assignee::label)
}

/// One finding in words: "Fail: S3 bucket without Block Public Access · web-assets · account
/// 111122223333 · us-east-1 — BlockPublicAcls=false (CLI collection, Security Hub)", then the
/// decision. The check's title and the kinds of source, never a key or a file path.
pub(super) fn finding_text(f: &ReportFinding) -> String {
    use crate::model::evidence::Status as Evidence;
    // Titles name the failure: a pass says the check was made.
    let title = match f.status {
        Some(Evidence::Pass) => format!("Pass, checked for: {}", f.title),
        Some(status) => format!("{}: {}", status.label(), f.title),
        None => format!("No current evidence: {}", f.title),
    };
    let key = &f.key;
    let mut parts = vec![title];
    if !key.resource_id.is_empty() && key.resource_id != key.account {
        parts.push(key.resource_id.clone());
    }
    if !key.account.is_empty() {
        parts.push(format!("account {}", key.account));
    }
    if !key.region.is_empty() {
        parts.push(key.region.clone());
    }
    let mut text = parts.join(" · ");
    if !f.detail.is_empty() {
        let _ = write!(text, " — {}", f.detail);
    }
    if !f.sources.is_empty() {
        let _ = write!(text, " ({})", f.sources);
    }
    if let Some(d) = &f.decision {
        let _ = write!(text, " · Decision: {}", decision_text(d));
    }
    text
}

fn decision_text(d: &FindingDecision) -> String {
    let mut text = d.status.label().to_owned();
    if let Some(a) = &d.assignee {
        let _ = write!(text, ", {}", a.label());
    }
    if !d.note.is_empty() {
        let _ = write!(text, ": {}", d.note);
    }
    text
}

fn changed_to(after: Option<Owner>) -> &'static str {
    after.map_or("no longer in the catalog", Owner::label)
}

// ---- Markdown ----

/// The Markdown checklist: header, scope, progress tables, then one GFM task per item.
pub fn markdown(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", md_inline(&report.title));
    let _ = writeln!(
        s,
        "Client: **{}** · Date: {} · demarc catalog {}{}\n",
        md_inline(&report.client),
        md_inline(&report.date),
        md_inline(&report.catalog_version),
        catalog_note(report, md_inline)
    );
    s.push_str("## Scope\n\n| Service | Key | Tier |\n|---|---|---|\n");
    for line in &report.scope {
        let tier = line.tier.map_or_else(
            || "not in the catalog".to_owned(),
            |t| format!("{} ({})", t.as_str(), t.label()),
        );
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            md_inline(&line.name),
            md_inline(&line.key),
            tier
        );
    }
    let p = report.total.progress();
    let _ = writeln!(
        s,
        "\n## Progress\n\n{} of {} customer items resolved ({}%): done, not applicable or risk accepted.\n",
        p.resolved,
        p.total,
        p.percent()
    );
    for (title, rows) in [
        ("By domain", &report.by_domain),
        ("By service", &report.by_service),
        ("By owner", &report.by_owner),
        ("By assignee", &report.by_assignee),
    ] {
        md_tally(&mut s, title, rows);
    }
    if !report.owner_changes.is_empty() {
        let _ = writeln!(
            s,
            "## Owner changes since catalog {}\n\nThese items were decided when the catalog gave the cell another owner: review them.\n",
            md_inline(&report.catalog_version)
        );
        for c in &report.owner_changes {
            let _ = writeln!(
                s,
                "- **{} {}** · {}: {} → {}",
                md_inline(&c.key.control),
                md_inline(&c.control_name),
                md_inline(&c.service_name),
                c.before.label(),
                changed_to(c.after)
            );
        }
        s.push('\n');
    }
    if !report.evidence_sources.is_empty() {
        s.push_str("## Evidence sources\n\n");
        for source in &report.evidence_sources {
            // It starts a list item: `# x` or `1. x` must not become a heading or a list.
            let mut line = md_line_start(&source.name);
            if !source.kind.is_empty() {
                let _ = write!(line, " ({})", md_inline(&source.kind));
            }
            if let Some(date) = &source.imported {
                let _ = write!(line, ", imported {}", md_inline(date));
            }
            let _ = writeln!(s, "- {line}");
        }
        s.push('\n');
    }
    for section in &report.sections {
        let p = section.counts.progress();
        let _ = writeln!(
            s,
            "## {} ({}/{})\n",
            md_inline(&section.domain_name),
            p.resolved,
            p.total
        );
        for item in &section.items {
            md_item(&mut s, item);
        }
        s.push('\n');
    }
    if !report.other_decisions.is_empty() {
        s.push_str(
            "## Other recorded decisions\n\nDecisions on cells that are not on the customer's checklist (owned by AWS, not applicable, outside the scope or no longer in the catalog).\n\n",
        );
        for item in &report.other_decisions {
            md_item(&mut s, item);
        }
        s.push('\n');
    }
    if !report.other_findings.is_empty() {
        s.push_str(OTHER_FINDINGS_MD);
        for f in &report.other_findings {
            let _ = writeln!(s, "- {}", md_lines(&finding_text(f), 2));
        }
        s.push('\n');
    }
    out.write_all(s.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

const OTHER_FINDINGS_MD: &str = "## Other finding decisions\n\nDecisions on findings of services outside the scope, or that the kept evidence no longer has.\n\n";

fn catalog_note(report: &Report, escape: fn(&str) -> String) -> String {
    if report.catalog_version == report.current_catalog_version {
        String::new()
    } else {
        format!(
            " (read with catalog {})",
            escape(&report.current_catalog_version)
        )
    }
}

const STATUS_COLUMNS: [Status; 5] = Status::ALL;

fn md_tally(s: &mut String, title: &str, rows: &[Tally]) {
    if rows.is_empty() {
        return;
    }
    let headers: Vec<&str> = STATUS_COLUMNS.iter().map(|st| st.label()).collect();
    let _ = writeln!(s, "### {title}\n\n| | {} | Resolved |", headers.join(" | "));
    let _ = writeln!(s, "|---|{}---:|", "---:|".repeat(STATUS_COLUMNS.len()));
    for row in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} |",
            md_inline(&row.label),
            counts_cells(&row.counts),
            row.counts.progress()
        );
    }
    s.push('\n');
}

fn counts_cells(counts: &StatusCounts) -> String {
    STATUS_COLUMNS
        .iter()
        .map(|st| counts.get(*st).to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

fn md_item(s: &mut String, item: &ReportItem) {
    let state = &item.item;
    let mark = if state.status == Status::Done {
        "x"
    } else {
        " "
    };
    let _ = writeln!(
        s,
        "- [{mark}] **{} {}** · {} · {}",
        md_inline(&item.key.control),
        md_inline(&item.control_name),
        md_inline(&item.service_name),
        owner_label(item.owner)
    );
    let mut facts = vec![
        format!("Status: {}", state.status.label()),
        format!(
            "Assignee: {}",
            md_inline(&assignee_label(state.assignee.as_ref()))
        ),
    ];
    if let Some(due) = &state.due {
        facts.push(format!("Due: {}", md_inline(due)));
    }
    let _ = writeln!(s, "  - {}", facts.join(" · "));
    if !item.customer_does.is_empty() && item.owner.is_some_and(Owner::customer_involved) {
        let _ = writeln!(s, "  - To do: {}", md_lines(&item.customer_does, 4));
    }
    if item.owner == Some(Owner::Shared) {
        let _ = writeln!(s, "  - AWS does: {}", md_lines(&item.aws_does, 4));
    }
    let note = md_lines(&state.note, 4);
    if !note.is_empty() {
        let _ = writeln!(s, "  - Note: {note}");
    }
    for f in &item.findings {
        let _ = writeln!(s, "  - Evidence: {}", md_lines(&finding_text(f), 4));
    }
    if !item.sources.is_empty() {
        let links: Vec<String> = item
            .sources
            .iter()
            .map(|u| md_link(&url_label(u), u))
            .collect();
        let _ = writeln!(s, "  - Sources: {}", links.join(", "));
    }
}

// ---- CSV ----

pub const CSV_HEADER: [&str; 15] = [
    "list",
    "domain",
    "control_id",
    "control",
    "service",
    "service_name",
    "owner",
    "status",
    "assignee",
    "due",
    "note",
    "evidence",
    "customer_does",
    "aws_does",
    "sources",
];

/// One row per item for spreadsheets: UTF-8 with a byte-order mark (so Excel reads the
/// encoding), CRLF records, fields quoted where needed, and no field that a spreadsheet would
/// run as a formula. `list` is `checklist`, `other` (decisions off the checklist) or
/// `other_finding` (decisions on findings off the checklist, or without current evidence).
pub fn csv(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut csv = CsvWriter::with_bom(out)?;
    csv.record(&CSV_HEADER)?;
    let rows = report
        .items()
        .map(|i| ("checklist", i))
        .chain(report.other_decisions.iter().map(|i| ("other", i)));
    for (list, item) in rows {
        let state = &item.item;
        csv.record(&[
            list.to_owned(),
            item.domain_id.clone(),
            item.key.control.clone(),
            item.control_name.clone(),
            item.key.service.key(),
            item.service_name.clone(),
            item.owner.map_or("", Owner::as_str).to_owned(),
            state.status.as_str().to_owned(),
            state
                .assignee
                .as_ref()
                .map_or_else(String::new, Assignee::label),
            state.due.clone().unwrap_or_default(),
            state.note.clone(),
            item.findings
                .iter()
                .map(finding_text)
                .collect::<Vec<_>>()
                .join("\n"),
            item.customer_does.clone(),
            item.aws_does.clone(),
            item.sources.join(" "),
        ])?;
    }
    for f in &report.other_findings {
        let decision = f.decision.as_ref();
        csv.record(&[
            "other_finding".to_owned(),
            String::new(),
            f.control.clone(),
            String::new(),
            f.service.clone(),
            String::new(),
            String::new(),
            decision.map_or("", |d| d.status.as_str()).to_owned(),
            decision
                .and_then(|d| d.assignee.as_ref())
                .map_or_else(String::new, Assignee::label),
            String::new(),
            decision.map_or_else(String::new, |d| d.note.clone()),
            finding_text(f),
            String::new(),
            String::new(),
            String::new(),
        ])?;
    }
    Ok(())
}

// ---- HTML ----

const CSS: &str = "\
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1b1f24; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; }
.meta { color: #57606a; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
ul.checklist { list-style: none; padding-left: 0; }
li.item { border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .75rem; margin: .5rem 0; }
li.item .box { font-size: 1.1rem; margin-right: .35rem; }
li.status-done { background: #f0faf2; }
li.status-risk_accepted { background: #fff8e6; }
.facts { color: #57606a; margin: .2rem 0; }
.note { white-space: pre-wrap; background: #f6f8fa; border-left: 3px solid #8c959f; padding: .25rem .5rem; margin: .35rem 0; }
.todo, .aws { margin: .35rem 0; }
ul.evidence { margin: .35rem 0; padding-left: 1.2rem; }
.ev-fail { color: #a40e26; }
.ev-pass { color: #116329; }
.sources { font-size: .9em; }
.warning { background: #fff8e6; border: 1px solid #d4a72c; padding: .5rem .75rem; border-radius: 6px; }
figure.chart { margin: .75rem 0 1.25rem; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 60rem; }
@page { margin: 14mm 12mm; }
@media print {
  :root { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  body { margin: 0; max-width: none; font: 10pt/1.35 system-ui, -apple-system, 'Segoe UI', sans-serif; }
  h1 { font-size: 18pt; }
  h2 { font-size: 13pt; margin-top: 1.2rem; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  #progress { break-after: page; page-break-after: always; }
  figure.chart, table, li.item, tr, .warning { break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { max-width: 100%; }
  th, td { padding: .15rem .35rem; }
  li.item { padding: .3rem .5rem; margin: .3rem 0; }
  li.status-done, li.status-risk_accepted, .note { background: none; }
  a { color: inherit; text-decoration: none; }
}
";

/// A printable page with its CSS inline and nothing loaded from elsewhere; a content security
/// policy forbids scripts and remote loads even if a viewer were to find markup in the text.
pub fn html_page(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let mut s = String::new();
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · {}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        html(&report.title),
        html(&report.client)
    );
    let _ = writeln!(
        s,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Client: <strong>{}</strong> · Date: {} · demarc catalog {}{}</p>\n</header>",
        html(&report.title),
        html(&report.client),
        html(&report.date),
        html(&report.catalog_version),
        catalog_note(report, html)
    );
    s.push_str("<section id=\"scope\">\n<h2>Scope</h2>\n<table>\n<tr><th>Service</th><th>Key</th><th>Tier</th></tr>\n");
    for line in &report.scope {
        let tier = line.tier.map_or_else(
            || "not in the catalog".to_owned(),
            |t| format!("{} ({})", t.as_str(), t.label()),
        );
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            html(&line.name),
            html(&line.key),
            html(&tier)
        );
    }
    s.push_str("</table>\n</section>\n");
    let p = report.total.progress();
    let _ = writeln!(
        s,
        "<section id=\"progress\">\n<h2>Progress</h2>\n<p>{} of {} customer items resolved ({}%): done, not applicable or risk accepted.</p>",
        p.resolved,
        p.total,
        p.percent()
    );
    for chart in super::svg::report_charts(report) {
        let _ = write!(
            s,
            "<figure class=\"chart\" id=\"{}\">\n{}</figure>\n",
            chart.id, chart.svg
        );
    }
    for (title, rows) in [
        ("By domain", &report.by_domain),
        ("By service", &report.by_service),
        ("By owner", &report.by_owner),
        ("By assignee", &report.by_assignee),
    ] {
        html_tally(&mut s, title, rows);
    }
    s.push_str("</section>\n");
    if !report.owner_changes.is_empty() {
        let _ = writeln!(
            s,
            "<section id=\"owner-changes\" class=\"warning\">\n<h2>Owner changes since catalog {}</h2>\n<p>These items were decided when the catalog gave the cell another owner: review them.</p>\n<ul>",
            html(&report.catalog_version)
        );
        for c in &report.owner_changes {
            let _ = writeln!(
                s,
                "<li><strong>{} {}</strong> · {}: {} → {}</li>",
                html(&c.key.control),
                html(&c.control_name),
                html(&c.service_name),
                c.before.label(),
                changed_to(c.after)
            );
        }
        s.push_str("</ul>\n</section>\n");
    }
    if !report.evidence_sources.is_empty() {
        s.push_str("<section id=\"evidence-sources\">\n<h2>Evidence sources</h2>\n<ul>\n");
        for source in &report.evidence_sources {
            let mut line = html(&source.name);
            if !source.kind.is_empty() {
                let _ = write!(line, " ({})", html(&source.kind));
            }
            if let Some(date) = &source.imported {
                let _ = write!(line, ", imported {}", html(date));
            }
            let _ = writeln!(s, "<li>{line}</li>");
        }
        s.push_str("</ul>\n</section>\n");
    }
    for section in &report.sections {
        let p = section.counts.progress();
        let _ = writeln!(
            s,
            "<section class=\"domain\" id=\"domain-{}\">\n<h2>{} <small>({}/{})</small></h2>\n<ul class=\"checklist\">",
            html(&section.domain_id),
            html(&section.domain_name),
            p.resolved,
            p.total
        );
        for item in &section.items {
            html_item(&mut s, item);
        }
        s.push_str("</ul>\n</section>\n");
    }
    if !report.other_decisions.is_empty() {
        s.push_str(
            "<section id=\"other-decisions\">\n<h2>Other recorded decisions</h2>\n<p>Decisions on cells that are not on the customer's checklist (owned by AWS, not applicable, outside the scope or no longer in the catalog).</p>\n<ul class=\"checklist\">\n",
        );
        for item in &report.other_decisions {
            html_item(&mut s, item);
        }
        s.push_str("</ul>\n</section>\n");
    }
    if !report.other_findings.is_empty() {
        s.push_str(
            "<section id=\"other-findings\">\n<h2>Other finding decisions</h2>\n<p>Decisions on findings of services outside the scope, or that the kept evidence no longer has.</p>\n<ul class=\"evidence\">\n",
        );
        for f in &report.other_findings {
            html_finding(&mut s, f);
        }
        s.push_str("</ul>\n</section>\n");
    }
    s.push_str("</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

fn html_finding(s: &mut String, f: &ReportFinding) {
    let _ = writeln!(
        s,
        "<li class=\"ev-{}\">Evidence: {}</li>",
        f.status
            .map_or("none", crate::model::evidence::Status::as_str),
        html(&finding_text(f))
    );
}

fn html_tally(s: &mut String, title: &str, rows: &[Tally]) {
    if rows.is_empty() {
        return;
    }
    let _ = write!(s, "<h3>{}</h3>\n<table>\n<tr><th></th>", html(title));
    for st in STATUS_COLUMNS {
        let _ = write!(s, "<th class=\"n\">{}</th>", st.label());
    }
    s.push_str("<th class=\"n\">Resolved</th></tr>\n");
    for row in rows {
        let _ = write!(s, "<tr><td>{}</td>", html(&row.label));
        for st in STATUS_COLUMNS {
            let _ = write!(s, "<td class=\"n\">{}</td>", row.counts.get(st));
        }
        let _ = writeln!(s, "<td class=\"n\">{}</td></tr>", row.counts.progress());
    }
    s.push_str("</table>\n");
}

fn html_item(s: &mut String, item: &ReportItem) {
    let state = &item.item;
    let box_char = if state.status == Status::Done {
        "☑"
    } else {
        "☐"
    };
    let _ = writeln!(
        s,
        "<li class=\"item status-{}\"><span class=\"box\" aria-hidden=\"true\">{box_char}</span><strong>{} {}</strong> · {} · {}",
        state.status.as_str(),
        html(&item.key.control),
        html(&item.control_name),
        html(&item.service_name),
        owner_label(item.owner)
    );
    let mut facts = vec![
        format!("Status: <strong>{}</strong>", state.status.label()),
        format!(
            "Assignee: {}",
            html(&assignee_label(state.assignee.as_ref()))
        ),
    ];
    if let Some(due) = &state.due {
        facts.push(format!("Due: {}", html(due)));
    }
    let _ = writeln!(s, "<p class=\"facts\">{}</p>", facts.join(" · "));
    if !item.customer_does.is_empty() && item.owner.is_some_and(Owner::customer_involved) {
        let _ = writeln!(
            s,
            "<p class=\"todo\">To do: {}</p>",
            html(&item.customer_does)
        );
    }
    if item.owner == Some(Owner::Shared) {
        let _ = writeln!(s, "<p class=\"aws\">AWS does: {}</p>", html(&item.aws_does));
    }
    if !state.note.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\"><strong>Note:</strong> {}</p>",
            html(&state.note)
        );
    }
    if !item.findings.is_empty() {
        s.push_str("<ul class=\"evidence\">\n");
        for f in &item.findings {
            html_finding(s, f);
        }
        s.push_str("</ul>\n");
    }
    if !item.sources.is_empty() {
        let links: Vec<String> = item
            .sources
            .iter()
            .map(|u| {
                if u.starts_with("https://") || u.starts_with("http://") {
                    format!("<a href=\"{}\">{}</a>", html(u), html(&url_label(u)))
                } else {
                    html(u)
                }
            })
            .collect();
        let _ = writeln!(s, "<p class=\"sources\">Sources: {}</p>", links.join(", "));
    }
    s.push_str("</li>\n");
}

mod json;
pub use json::json;
