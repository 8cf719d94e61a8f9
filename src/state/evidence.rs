//! Imported account evidence as the GUI holds it: the merged evidence, its per-cell roll-up,
//! and the import that is running (progress, cancel flag).

use crate::import::ImportError;
use crate::model::catalog::Catalog;
use crate::model::engagement as doc;
use crate::model::evidence::{CellEvidence, CellStatus, Evidence, Status};
use crate::model::findings::Findings;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// An import running on a worker thread.
#[derive(Debug, Clone)]
pub struct ImportRun {
    pub paths: Vec<PathBuf>,
    /// Set to ask the worker to stop; the current work stays intact.
    pub cancel: Arc<AtomicBool>,
    /// Index of the path being read.
    pub current: usize,
    pub bytes_read: u64,
    pub total: Option<u64>,
}

impl ImportRun {
    /// Asks the worker to stop: only through `ImportCommand::Cancel`.
    pub(super) fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// 0..=1 over the current file, when its size is known.
    pub fn fraction(&self) -> Option<f32> {
        self.total
            .filter(|t| *t > 0)
            .map(|t| (self.bytes_read as f64 / t as f64).min(1.0) as f32)
    }
}

/// The merged evidence and what the views need from it, computed once per import.
#[derive(Debug, Default)]
pub struct EvidenceView {
    pub evidence: Evidence,
    /// (service id, control id) -> roll-up, for cells with at least one result.
    pub cells: BTreeMap<(String, String), CellEvidence>,
    /// Services with resources, and how many.
    pub in_use: BTreeMap<String, usize>,
    /// Files that could not be imported at all, with why (shared with the import that
    /// reported them).
    pub errors: Vec<Arc<ImportError>>,
    /// One finding per (check, resource) across the sources: the findings board.
    pub findings: Findings,
}

impl EvidenceView {
    pub fn new(catalog: &Catalog, evidence: Evidence, errors: Vec<Arc<ImportError>>) -> Self {
        let cells = evidence.cells(catalog);
        let in_use = evidence.services_in_use().into_iter().collect();
        let findings = Findings::build(catalog, &evidence);
        EvidenceView {
            evidence,
            cells,
            in_use,
            errors,
            findings,
        }
    }

    /// The roll-up of a cell of a service in use; `None` for a service the account does not use.
    pub fn cell_status(&self, service: &str, control: &str) -> Option<CellStatus> {
        if let Some(cell) = self.cells.get(&(service.to_owned(), control.to_owned())) {
            return Some(cell.status);
        }
        self.in_use
            .contains_key(service)
            .then_some(CellStatus::NoEvidence)
    }

    pub fn failing(&self) -> usize {
        self.evidence
            .results
            .iter()
            .filter(|r| r.status == Status::Fail)
            .count()
    }

    /// The summary an engagement keeps, so its checklist can be exported without the snapshot.
    pub fn summary(&self, today: &str) -> doc::Evidence {
        doc::Evidence {
            sources: self
                .evidence
                .sources
                .iter()
                .map(|s| doc::EvidenceSource {
                    name: s.path.clone(),
                    kind: s.format.as_str().to_owned(),
                    imported: Some(today.to_owned()),
                })
                .collect(),
            summaries: self
                .evidence
                .results
                .iter()
                .map(|r| doc::EvidenceSummary {
                    check: clip(&r.check, SHORT),
                    service: clip(&r.service, SHORT),
                    control: clip(&r.control, SHORT),
                    resource_id: clip(&r.resource_id, LONG),
                    region: clip(&r.region, SHORT),
                    account: clip(&r.account, SHORT),
                    status: match r.status {
                        Status::Pass => doc::EvidenceStatus::Pass,
                        Status::Fail => doc::EvidenceStatus::Fail,
                        Status::Unknown => doc::EvidenceStatus::Unknown,
                        Status::Suppressed => doc::EvidenceStatus::Suppressed,
                        Status::Muted => doc::EvidenceStatus::Muted,
                    },
                    detail: clip(&r.detail, LONG),
                    source: clip(&r.source, LONG),
                })
                .collect(),
        }
    }
}

/// The roll-up of the evidence an engagement keeps, for when nothing is imported in this
/// session: what its checklist shows per cell.
pub(super) struct KeptEvidence {
    cells: BTreeMap<(String, String), CellStatus>,
}

impl KeptEvidence {
    pub(super) fn new(doc: &doc::Engagement) -> KeptEvidence {
        let mut statuses: BTreeMap<(String, String), Vec<doc::EvidenceStatus>> = BTreeMap::new();
        for e in &doc.evidence.summaries {
            let service = e.service.split('/').next().unwrap_or("").to_owned();
            statuses
                .entry((service, e.control.clone()))
                .or_default()
                .push(e.status);
        }
        let cells = statuses
            .into_iter()
            .map(|(cell, all)| {
                let status = if all.contains(&doc::EvidenceStatus::Fail) {
                    CellStatus::Fail
                } else if all.iter().all(|s| *s == doc::EvidenceStatus::Pass) {
                    CellStatus::Pass
                } else {
                    CellStatus::Unknown
                };
                (cell, status)
            })
            .collect();
        KeptEvidence { cells }
    }

    pub(super) fn cell_status(&self, service: &str, control: &str) -> Option<CellStatus> {
        self.cells
            .get(&(service.to_owned(), control.to_owned()))
            .copied()
    }
}

/// Longest ids (account, region, check) and texts (resource id, detail, source) an engagement
/// keeps per result. The import shares one copy of a text among all its results; the
/// engagement file writes each result's own, so a hostile 1 MB account id on 20,000 results
/// would make a 20 GB file. Real ids are far shorter (account ids have 12 digits, ARNs at most
/// 2,048 characters).
const SHORT: usize = 256;
const LONG: usize = 2048;

/// `text` cut to at most `max` bytes (on a character boundary), marked with `…` when cut.
fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
