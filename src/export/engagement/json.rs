//! The engagement's checklist as JSON: the same report as the other formats, as data.

use crate::model::engagement::report::{Report, ReportFinding, ReportItem, StatusCounts, Tally};
use crate::model::engagement::{Assignee, Status};
use crate::model::owner::{Owner, Tier};
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct CountsJson {
    open: usize,
    in_progress: usize,
    done: usize,
    not_applicable: usize,
    risk_accepted: usize,
    resolved: usize,
    total: usize,
    percent: usize,
}

impl From<&StatusCounts> for CountsJson {
    fn from(c: &StatusCounts) -> CountsJson {
        let p = c.progress();
        CountsJson {
            open: c.get(Status::Open),
            in_progress: c.get(Status::InProgress),
            done: c.get(Status::Done),
            not_applicable: c.get(Status::NotApplicable),
            risk_accepted: c.get(Status::RiskAccepted),
            resolved: p.resolved,
            total: p.total,
            percent: p.percent(),
        }
    }
}

#[derive(Serialize)]
struct TallyJson<'a> {
    key: &'a str,
    label: &'a str,
    counts: CountsJson,
}

fn tallies(rows: &[Tally]) -> Vec<TallyJson<'_>> {
    rows.iter()
        .map(|r| TallyJson {
            key: &r.key,
            label: &r.label,
            counts: (&r.counts).into(),
        })
        .collect()
}

#[derive(Serialize)]
struct ScopeJson<'a> {
    service: &'a str,
    name: &'a str,
    tier: Option<&'static str>,
}

#[derive(Serialize)]
struct ItemJson<'a> {
    service: String,
    control: &'a str,
    control_name: &'a str,
    domain: &'a str,
    owner: Option<Owner>,
    status: Status,
    assignee: Option<&'a Assignee>,
    due: Option<&'a str>,
    note: &'a str,
    customer_does: &'a str,
    aws_does: &'a str,
    sources: &'a [String],
    findings: Vec<FindingJson<'a>>,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    check: &'a str,
    title: &'a str,
    severity: Option<&'static str>,
    status: Option<&'static str>,
    resource_id: &'a str,
    account: &'a str,
    region: &'a str,
    detail: &'a str,
    sources: &'a str,
    decision: Option<DecisionJson<'a>>,
}

#[derive(Serialize)]
struct DecisionJson<'a> {
    status: Status,
    assignee: Option<&'a Assignee>,
    note: &'a str,
}

fn finding_json(f: &ReportFinding) -> FindingJson<'_> {
    FindingJson {
        check: &f.check,
        title: &f.title,
        severity: f.severity.map(crate::model::catalog::Severity::as_str),
        status: f.status.map(crate::model::evidence::Status::as_str),
        resource_id: &f.key.resource_id,
        account: &f.key.account,
        region: &f.key.region,
        detail: &f.detail,
        sources: &f.sources,
        decision: f.decision.as_ref().map(|d| DecisionJson {
            status: d.status,
            assignee: d.assignee.as_ref(),
            note: &d.note,
        }),
    }
}

#[derive(Serialize)]
struct SourceJson<'a> {
    name: &'a str,
    kind: &'a str,
    imported: Option<&'a str>,
}

fn item_json(item: &ReportItem) -> ItemJson<'_> {
    ItemJson {
        service: item.key.service.key(),
        control: &item.key.control,
        control_name: &item.control_name,
        domain: &item.domain_id,
        owner: item.owner,
        status: item.item.status,
        assignee: item.item.assignee.as_ref(),
        due: item.item.due.as_deref(),
        note: &item.item.note,
        customer_does: &item.customer_does,
        aws_does: &item.aws_does,
        sources: &item.sources,
        findings: item.findings.iter().map(finding_json).collect(),
    }
}

#[derive(Serialize)]
struct OwnerChangeJson<'a> {
    service: String,
    control: &'a str,
    before: Owner,
    after: Option<Owner>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    client: &'a str,
    title: &'a str,
    date: &'a str,
    catalog_version: &'a str,
    current_catalog_version: &'a str,
    scope: Vec<ScopeJson<'a>>,
    progress: CountsJson,
    by_domain: Vec<TallyJson<'a>>,
    by_service: Vec<TallyJson<'a>>,
    by_owner: Vec<TallyJson<'a>>,
    by_assignee: Vec<TallyJson<'a>>,
    owner_changes: Vec<OwnerChangeJson<'a>>,
    evidence_sources: Vec<SourceJson<'a>>,
    items: Vec<ItemJson<'a>>,
    other_decisions: Vec<ItemJson<'a>>,
    other_findings: Vec<FindingJson<'a>>,
}

/// The report as JSON for scripts: pretty-printed, fixed field order, trailing newline.
pub fn json(out: &mut impl Write, report: &Report) -> io::Result<()> {
    let doc = ReportJson {
        client: &report.client,
        title: &report.title,
        date: &report.date,
        catalog_version: &report.catalog_version,
        current_catalog_version: &report.current_catalog_version,
        scope: report
            .scope
            .iter()
            .map(|l| ScopeJson {
                service: &l.key,
                name: &l.name,
                tier: l.tier.map(Tier::as_str),
            })
            .collect(),
        progress: (&report.total).into(),
        by_domain: tallies(&report.by_domain),
        by_service: tallies(&report.by_service),
        by_owner: tallies(&report.by_owner),
        by_assignee: tallies(&report.by_assignee),
        owner_changes: report
            .owner_changes
            .iter()
            .map(|c| OwnerChangeJson {
                service: c.key.service.key(),
                control: &c.key.control,
                before: c.before,
                after: c.after,
            })
            .collect(),
        evidence_sources: report
            .evidence_sources
            .iter()
            .map(|s| SourceJson {
                name: &s.name,
                kind: &s.kind,
                imported: s.imported.as_deref(),
            })
            .collect(),
        items: report.items().map(item_json).collect(),
        other_decisions: report.other_decisions.iter().map(item_json).collect(),
        other_findings: report.other_findings.iter().map(finding_json).collect(),
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    out.write_all(b"\n")
}
