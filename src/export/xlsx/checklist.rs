//! The checklist workbooks: a cover, the checklist sheet (status as a drop-down of the five
//! statuses, coloured as it changes; assignee; due date as a date cell; note; evidence), and a
//! findings sheet when a snapshot's evidence is loaded.

use super::{Cover, Styles, cover, date, finish, fit_row, header_row, put, put_count, widths};
use crate::export::engagement::finding_text;
use crate::export::style;
use crate::model::checklist::Checklist;
use crate::model::engagement::report::{Report, ReportItem};
use crate::model::engagement::{Assignee, Status};
use crate::model::evidence::Status as EvidenceStatus;
use crate::model::owner::Owner;
use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DataValidation, DataValidationRule,
    ExcelDateTime, Format as CellFormat, FormatBorder, Workbook, Worksheet, XlsxError,
};
use std::fmt::Write as _;
use std::io::{self, Write};

const HEADER: [&str; 13] = [
    "Domain",
    "ID",
    "Control",
    "Service",
    "Owner",
    "Status",
    "Assignee",
    "Due",
    "Note",
    "Evidence",
    "Customer does",
    "AWS does",
    "Sources",
];
const WIDTHS: [f64; 13] = [
    20.0, 8.0, 30.0, 22.0, 11.0, 15.0, 22.0, 12.0, 34.0, 40.0, 60.0, 50.0, 40.0,
];
const STATUS_COL: u16 = 5;
const DUE_COL: u16 = 7;

/// One line of the checklist sheet, whichever document it comes from.
struct Line<'a> {
    domain: &'a str,
    control_id: &'a str,
    control: &'a str,
    service: &'a str,
    owner: Option<Owner>,
    inherited: bool,
    status: Status,
    assignee: String,
    due: Option<&'a str>,
    note: &'a str,
    evidence: String,
    customer_does: &'a str,
    aws_does: &'a str,
    sources: String,
}

/// One row of the findings sheet.
struct Finding<'a> {
    /// `fail`, `unknown` or `pass`: failing first when sorted.
    status: &'static str,
    service: &'a str,
    control: &'a str,
    check: &'a str,
    resource: &'a str,
    account: &'a str,
    region: &'a str,
    detail: &'a str,
    source: &'a str,
}

fn line_row(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    line: &Line<'_>,
) -> Result<(), XlsxError> {
    put(sheet, row, 0, line.domain, &styles.text)?;
    put(sheet, row, 1, line.control_id, &styles.text)?;
    put(sheet, row, 2, line.control, &styles.wrap)?;
    put(sheet, row, 3, line.service, &styles.text)?;
    match line.owner {
        Some(o) => put(sheet, row, 4, o.label(), styles.owner(o, line.inherited))?,
        None => put(sheet, row, 4, "not in the catalog", &styles.text)?,
    }
    put(sheet, row, STATUS_COL, line.status.label(), &styles.text)?;
    put(sheet, row, 6, &line.assignee, &styles.text)?;
    match line.due {
        Some(text) => match date(text) {
            Some(d) => {
                sheet.write_datetime_with_format(row, DUE_COL, &d, &styles.date)?;
            }
            None => put(sheet, row, DUE_COL, text, &styles.text)?,
        },
        None => {
            sheet.write_blank(row, DUE_COL, &styles.date)?;
        }
    }
    put(sheet, row, 8, line.note, &styles.wrap)?;
    put(sheet, row, 9, &line.evidence, &styles.wrap)?;
    put(sheet, row, 10, line.customer_does, &styles.wrap)?;
    put(sheet, row, 11, line.aws_does, &styles.wrap)?;
    put(sheet, row, 12, &line.sources, &styles.wrap)?;
    let wrapped: Vec<(&str, f64)> = [
        (2, line.control),
        (8, line.note),
        (9, line.evidence.as_str()),
        (10, line.customer_does),
        (11, line.aws_does),
        (12, line.sources.as_str()),
    ]
    .iter()
    .map(|(col, text)| (*text, WIDTHS[*col]))
    .collect();
    fit_row(sheet, row, &wrapped)?;
    Ok(())
}

/// The checklist sheet: header, lines, drop-down, date check, status colours, filter, panes.
fn checklist_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    name: &str,
    lines: &[Line<'_>],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    header_row(sheet, styles, 0, &HEADER)?;
    widths(sheet, &WIDTHS)?;
    for (i, line) in lines.iter().enumerate() {
        line_row(sheet, styles, i as u32 + 1, line)?;
    }
    let last = (lines.len() as u32).max(1);
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let status = DataValidation::new()
        .allow_list_strings(&labels)?
        .set_input_title("Status")?
        .set_input_message("Pick a status from the list.")?
        .set_error_title("Not a status")?
        .set_error_message(format!("Use one of: {}.", labels.join(", ")))?;
    sheet.add_data_validation(1, STATUS_COL, last, STATUS_COL, &status)?;
    let earliest = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let due = DataValidation::new()
        .allow_date(DataValidationRule::GreaterThanOrEqualTo(earliest))
        .set_error_title("Not a date")?
        .set_error_message("Type a date, e.g. 2026-12-31.")?;
    sheet.add_data_validation(1, DUE_COL, last, DUE_COL, &due)?;
    for s in Status::ALL {
        let fill = CellFormat::new().set_background_color(Color::RGB(style::status_fill(s)));
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(format!(
                "\"{}\"",
                s.label()
            )))
            .set_format(fill);
        sheet.add_conditional_format(1, STATUS_COL, last, STATUS_COL, &rule)?;
    }
    sheet.set_freeze_panes(1, 3)?;
    sheet.autofilter(0, 0, last, HEADER.len() as u16 - 1)?;
    sheet.set_landscape().set_print_fit_to_pages(2, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

fn rank(status: &str) -> u8 {
    match status {
        "fail" => 0,
        "unknown" => 1,
        _ => 2,
    }
}

fn findings_sheet(
    workbook: &mut Workbook,
    styles: &Styles,
    findings: &[Finding<'_>],
) -> Result<(), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name("Findings")?;
    header_row(
        sheet,
        styles,
        0,
        &[
            "Result", "Service", "Control", "Check", "Resource", "Account", "Region", "Detail",
            "Source",
        ],
    )?;
    widths(sheet, &[9.0, 14.0, 9.0, 28.0, 36.0, 15.0, 12.0, 50.0, 24.0])?;
    let fail = CellFormat::new()
        .set_bold()
        .set_font_color(Color::RGB(style::FAIL))
        .set_border(FormatBorder::Thin);
    let pass = CellFormat::new()
        .set_font_color(Color::RGB(style::PASS))
        .set_border(FormatBorder::Thin);
    for (i, f) in findings.iter().enumerate() {
        let row = i as u32 + 1;
        let mark = match f.status {
            "fail" => &fail,
            "pass" => &pass,
            _ => &styles.text,
        };
        put(sheet, row, 0, f.status, mark)?;
        for (col, text) in [
            f.service, f.control, f.check, f.resource, f.account, f.region, f.detail, f.source,
        ]
        .iter()
        .enumerate()
        {
            put(sheet, row, col as u16 + 1, text, &styles.wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, (findings.len() as u32).max(1), 8)?;
    Ok(())
}

/// The checklist of `demarc checklist`: every item Open, ready for the meeting.
pub fn checklist(out: &mut impl Write, list: &Checklist) -> io::Result<()> {
    build_checklist(list)
        .map_err(io::Error::other)
        .and_then(|wb| finish(wb, &list.title, &list.date, out))
}

fn build_checklist(list: &Checklist) -> Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let owners: Vec<&str> = list.owners.iter().map(|o| o.label()).collect();
    let next = cover(
        &mut workbook,
        &styles,
        &Cover {
            title: &list.title,
            facts: vec![
                ("Date", list.date.clone()),
                (
                    "Catalog",
                    format!(
                        "demarc catalog {} ({})",
                        list.catalog_version, list.catalog_date
                    ),
                ),
                (
                    "Items",
                    format!(
                        "controls owned by {} for at least one service in scope",
                        owners.join(" or ").to_lowercase()
                    ),
                ),
            ],
            scope: list
                .scope
                .iter()
                .map(|e| {
                    [
                        e.variant_name.as_ref().map_or_else(
                            || e.service_name.clone(),
                            |v| format!("{} · {v}", e.service_name),
                        ),
                        e.service_ref.key(),
                        format!("{} ({})", e.tier.as_str(), e.tier.label()),
                    ]
                })
                .collect(),
            notes: vec![super::INHERITED_NOTE.to_owned()],
        },
    )?;
    super::owner_legend(workbook.worksheet_from_index(0)?, &styles, next)?;
    let mut lines = Vec::new();
    let mut findings = Vec::new();
    for section in &list.sections {
        for item in &section.items {
            for e in &item.entries {
                let evidence = e.evidence.as_ref().map_or_else(String::new, |ev| {
                    let count = |st| ev.results.iter().filter(|r| r.status == st).count();
                    format!(
                        "{}: {} fail, {} unknown, {} pass{}",
                        ev.status.label(),
                        count(EvidenceStatus::Fail),
                        count(EvidenceStatus::Unknown),
                        count(EvidenceStatus::Pass),
                        if ev.disagreement {
                            "; sources disagree"
                        } else {
                            ""
                        }
                    )
                });
                lines.push(Line {
                    domain: &section.domain_name,
                    control_id: &item.control_id,
                    control: &item.control_name,
                    service: &e.service_name,
                    owner: Some(e.owner),
                    inherited: e.inherited,
                    status: Status::Open,
                    assignee: String::new(),
                    due: None,
                    note: "",
                    evidence,
                    customer_does: &e.customer_does,
                    aws_does: &e.aws_does,
                    sources: e.sources.join("\n"),
                });
                for r in e.evidence.iter().flat_map(|ev| &ev.results) {
                    findings.push(Finding {
                        status: r.status.as_str(),
                        service: &e.service_name,
                        control: &item.control_id,
                        check: &r.check,
                        resource: &r.resource_id,
                        account: &r.account,
                        region: &r.region,
                        detail: &r.detail,
                        source: &r.source,
                    });
                }
            }
        }
    }
    checklist_sheet(&mut workbook, &styles, "Checklist", &lines)?;
    workbook.worksheet_from_index(1)?.set_active(true);
    if list.has_evidence() {
        findings.sort_by_key(|f| rank(f.status));
        findings_sheet(&mut workbook, &styles, &findings)?;
    }
    Ok(workbook)
}

fn report_line<'a>(domain: &'a str, item: &'a ReportItem) -> Line<'a> {
    let state = &item.item;
    Line {
        domain,
        control_id: &item.key.control,
        control: &item.control_name,
        service: &item.service_name,
        owner: item.owner,
        inherited: false,
        status: state.status,
        assignee: state
            .assignee
            .as_ref()
            .map_or_else(String::new, Assignee::label),
        due: state.due.as_deref(),
        note: &state.note,
        evidence: item
            .findings
            .iter()
            .map(finding_text)
            .collect::<Vec<_>>()
            .join("\n"),
        customer_does: &item.customer_does,
        aws_does: &item.aws_does,
        sources: item.sources.join("\n"),
    }
}

/// An engagement's checklist: statuses, assignees, due dates and notes as decided.
pub fn engagement(out: &mut impl Write, report: &Report) -> io::Result<()> {
    build_engagement(report)
        .map_err(io::Error::other)
        .and_then(|wb| finish(wb, &report.title, &report.date, out))
}

fn build_engagement(report: &Report) -> Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    let p = report.total.progress();
    let mut catalog = report.catalog_version.clone();
    if report.catalog_version != report.current_catalog_version {
        let _ = write!(
            catalog,
            " (read with catalog {})",
            report.current_catalog_version
        );
    }
    let notes = report
        .evidence_sources
        .iter()
        .map(|s| {
            let mut line = format!("Evidence: {}", s.name);
            if !s.kind.is_empty() {
                let _ = write!(line, " ({})", s.kind);
            }
            if let Some(d) = &s.imported {
                let _ = write!(line, ", imported {d}");
            }
            line
        })
        .collect();
    let next = cover(
        &mut workbook,
        &styles,
        &Cover {
            title: &report.title,
            facts: vec![
                ("Client", report.client.clone()),
                ("Date", report.date.clone()),
                ("Catalog", format!("demarc catalog {catalog}")),
                (
                    "Progress",
                    format!(
                        "{} of {} customer items resolved ({}%)",
                        p.resolved,
                        p.total,
                        p.percent()
                    ),
                ),
            ],
            scope: report
                .scope
                .iter()
                .map(|l| {
                    [
                        l.name.clone(),
                        l.key.clone(),
                        l.tier.map_or_else(
                            || "not in the catalog".to_owned(),
                            |t| format!("{} ({})", t.as_str(), t.label()),
                        ),
                    ]
                })
                .collect(),
            notes,
        },
    )?;
    progress_table(workbook.worksheet_from_index(0)?, &styles, next, report)?;
    let lines: Vec<Line<'_>> = report
        .sections
        .iter()
        .flat_map(|s| s.items.iter().map(|i| report_line(&s.domain_name, i)))
        .collect();
    checklist_sheet(&mut workbook, &styles, "Checklist", &lines)?;
    workbook.worksheet_from_index(1)?.set_active(true);
    if !report.other_decisions.is_empty() {
        let other: Vec<Line<'_>> = report
            .other_decisions
            .iter()
            .map(|i| report_line(&i.domain_id, i))
            .collect();
        checklist_sheet(&mut workbook, &styles, "Other decisions", &other)?;
    }
    let mut findings: Vec<Finding<'_>> = report
        .items()
        .chain(&report.other_decisions)
        .flat_map(|item| &item.findings)
        .chain(&report.other_findings)
        .map(|f| Finding {
            status: f.status.map_or("no current evidence", |s| s.as_str()),
            service: &f.service,
            control: &f.control,
            check: &f.title,
            resource: &f.key.resource_id,
            account: &f.key.account,
            region: &f.key.region,
            detail: &f.detail,
            source: &f.sources,
        })
        .collect();
    if !findings.is_empty() || !report.evidence_sources.is_empty() {
        findings.sort_by_key(|f| rank(f.status));
        findings_sheet(&mut workbook, &styles, &findings)?;
    }
    Ok(workbook)
}

/// Progress per domain on the cover, one column per status.
fn progress_table(
    sheet: &mut Worksheet,
    styles: &Styles,
    row: u32,
    report: &Report,
) -> Result<(), XlsxError> {
    let mut header = vec!["Progress by domain"];
    header.extend(Status::ALL.iter().map(|s| s.label()));
    header.push("Resolved");
    header_row(sheet, styles, row, &header)?;
    for col in 3..=6 {
        sheet.set_column_width(col, 14)?;
    }
    for (i, tally) in report.by_domain.iter().enumerate() {
        let r = row + 1 + i as u32;
        put(sheet, r, 0, &tally.label, &styles.text)?;
        for (col, s) in Status::ALL.iter().enumerate() {
            put_count(
                sheet,
                r,
                col as u16 + 1,
                tally.counts.get(*s),
                &styles.count,
            )?;
        }
        put(
            sheet,
            r,
            6,
            &tally.counts.progress().to_string(),
            &styles.count,
        )?;
    }
    Ok(())
}
