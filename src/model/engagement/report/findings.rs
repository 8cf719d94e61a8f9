//! The engagement's kept evidence as findings for its report: deduplicated across sources with
//! [`Findings`], titled, with their decisions, per checklist cell.

use super::{ItemKey, ReportFinding, ReportSource};
use crate::model::catalog::Catalog;
use crate::model::engagement::{Engagement, EvidenceStatus};
use crate::model::evidence::{self, CheckResult, Evidence, SourceFormat, SourceInfo};
use crate::model::findings::{FindingFilter, FindingKey, Findings, Grouping};
use std::collections::{BTreeMap, BTreeSet};

/// The kept evidence as the importers' model, so [`Findings`] can deduplicate it.
fn evidence_of(doc: &Engagement) -> Evidence {
    Evidence {
        sources: doc
            .evidence
            .sources
            .iter()
            .filter_map(|s| {
                SourceFormat::parse(&s.kind).map(|format| SourceInfo {
                    path: s.name.clone(),
                    format,
                    accounts: Vec::new(),
                    regions: Vec::new(),
                })
            })
            .collect(),
        results: doc
            .evidence
            .summaries
            .iter()
            .map(|e| CheckResult {
                check: e.check.as_str().into(),
                service: e.service.as_str().into(),
                control: e.control.as_str().into(),
                resource_id: e.resource_id.as_str().into(),
                region: e.region.as_str().into(),
                account: e.account.as_str().into(),
                status: match e.status {
                    EvidenceStatus::Pass => evidence::Status::Pass,
                    EvidenceStatus::Fail => evidence::Status::Fail,
                    EvidenceStatus::Unknown => evidence::Status::Unknown,
                    EvidenceStatus::Suppressed => evidence::Status::Suppressed,
                    EvidenceStatus::Muted => evidence::Status::Muted,
                },
                detail: e.detail.as_str().into(),
                source: e.source.as_str().into(),
                observed_at: None,
                test: "".into(),
                earlier: Vec::new(),
            })
            .collect(),
        ..Evidence::default()
    }
}

/// The kept evidence's findings by (service, control), failing first, and which decisions
/// they carry.
pub(super) struct ByCell {
    pub cells: BTreeMap<(String, String), Vec<ReportFinding>>,
    matched: BTreeSet<FindingKey>,
}

/// Every finding of the kept evidence, by cell.
pub(super) fn by_cell(catalog: &Catalog, doc: &Engagement) -> ByCell {
    let ev = evidence_of(doc);
    let findings = Findings::build(catalog, &ev);
    let every = FindingFilter {
        statuses: evidence::Status::ALL.to_vec(),
        severities: crate::model::catalog::Severity::ALL.to_vec(),
        ..FindingFilter::default()
    };
    let view = findings.filter(&every, Grouping::Service);
    let mut cells: BTreeMap<(String, String), Vec<ReportFinding>> = BTreeMap::new();
    let mut matched = BTreeSet::new();
    for &index in &view.rows {
        let f = &findings.rows[index as usize];
        let key = findings.key(f, &ev);
        let check = findings.check(f);
        let detail = findings
            .result(f, &ev)
            .map_or_else(String::new, |r| r.detail.to_string());
        let decision_key = doc.finding_decision_key(&key, findings.sole(f));
        let decision = doc.findings.get(&decision_key).cloned();
        if decision.is_some() {
            matched.insert(decision_key);
        }
        let service = findings
            .result(f, &ev)
            .map_or_else(|| findings.service(f).to_owned(), |r| r.service.to_string());
        let control = findings.control(f).to_owned();
        cells
            .entry((service.clone(), control.clone()))
            .or_default()
            .push(ReportFinding {
                key,
                service,
                control,
                check: check.key.clone(),
                title: check.title.clone(),
                severity: check.severity,
                status: Some(f.status),
                detail,
                sources: f.sources.labels(),
                decision,
            });
    }
    ByCell { cells, matched }
}

/// The findings of one item (its service by id or by ref key).
pub(super) fn take(by_cell: &mut ByCell, key: &ItemKey) -> Vec<ReportFinding> {
    let mut out = by_cell
        .cells
        .remove(&(key.service.service.clone(), key.control.clone()))
        .unwrap_or_default();
    if key.service.variant.is_some()
        && let Some(more) = by_cell
            .cells
            .remove(&(key.service.key(), key.control.clone()))
    {
        out.extend(more);
    }
    out
}

/// Findings left after the items took theirs that carry a decision, then decisions whose
/// finding the kept evidence no longer has.
pub(super) fn leftovers(
    catalog: &Catalog,
    doc: &Engagement,
    by_cell: ByCell,
) -> Vec<ReportFinding> {
    let mut out: Vec<ReportFinding> = by_cell
        .cells
        .into_values()
        .flatten()
        .filter(|f| f.decision.is_some())
        .collect();
    for (key, decision) in &doc.findings {
        if by_cell.matched.contains(key) {
            continue;
        }
        let check = catalog.check(&key.check);
        out.push(ReportFinding {
            key: key.clone(),
            service: check.map_or_else(String::new, |c| c.service.clone()),
            control: check.map_or_else(String::new, |c| c.control.clone()),
            check: key.check.clone(),
            title: catalog.check_title(&key.check).to_owned(),
            severity: check.map(|c| c.severity),
            status: None,
            detail: String::new(),
            sources: String::new(),
            decision: Some(decision.clone()),
        });
    }
    out
}

/// The sources by file name, with their kind in words.
pub(super) fn sources(doc: &Engagement) -> Vec<ReportSource> {
    doc.evidence
        .sources
        .iter()
        .map(|s| ReportSource {
            name: evidence::file_name(&s.name).to_owned(),
            kind: SourceFormat::parse(&s.kind)
                .map_or_else(|| s.kind.clone(), |f| f.label().to_owned()),
            imported: s.imported.clone(),
        })
        .collect()
}
