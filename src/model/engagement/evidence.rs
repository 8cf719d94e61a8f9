//! The evidence an engagement keeps from imported snapshots, so it can be re-exported without
//! them.

use super::ItemKey;
use serde::{Deserialize, Serialize};

/// The result of one evidence check on one resource, as imported. Decoupled from the importer's
/// own model: this is what an engagement keeps so it can be re-exported without the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSummary {
    /// The check's stable key, e.g. `rds_public`.
    pub check: String,
    /// A service id (`rds`) or service ref key (`rds/custom`).
    pub service: String,
    pub control: String,
    #[serde(default)]
    pub resource_id: String,
    #[serde(default)]
    pub region: String,
    #[serde(default)]
    pub account: String,
    pub status: EvidenceStatus,
    #[serde(default)]
    pub detail: String,
    /// The name of the source in [`Evidence::sources`] this came from.
    #[serde(default)]
    pub source: String,
}

impl EvidenceSummary {
    /// Does this evidence bear on the item?
    pub fn concerns(&self, key: &ItemKey) -> bool {
        self.control == key.control
            && (self.service == key.service.service || self.service == key.service.key())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    Pass,
    Fail,
    /// The data needed was absent.
    Unknown,
    /// Suppressed in Security Hub (workflow status SUPPRESSED).
    Suppressed,
    /// Muted in Prowler (the scan's mutelist).
    Muted,
}

impl EvidenceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::Pass => "pass",
            EvidenceStatus::Fail => "fail",
            EvidenceStatus::Unknown => "unknown",
            EvidenceStatus::Suppressed => "suppressed",
            EvidenceStatus::Muted => "muted",
        }
    }
}

/// A file or export the evidence was imported from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSource {
    pub name: String,
    /// The format, e.g. `aws-config`, `security-hub`.
    #[serde(default)]
    pub kind: String,
    /// `YYYY-MM-DD` when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(default)]
    pub sources: Vec<EvidenceSource>,
    #[serde(default)]
    pub summaries: Vec<EvidenceSummary>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty() && self.summaries.is_empty()
    }

    /// Attaches imported evidence: a source kept under the same name is replaced, with its
    /// summaries, unless they are the same (then the kept one, with its import date, stays);
    /// other kept sources stay. True when anything changed.
    pub fn absorb(&mut self, incoming: Evidence) -> bool {
        let mut changed = false;
        for source in incoming.sources {
            let new: Vec<&EvidenceSummary> = incoming
                .summaries
                .iter()
                .filter(|e| from_source(&e.source, &source.name))
                .collect();
            let kept = self.sources.iter().any(|s| s.name == source.name);
            let old: Vec<&EvidenceSummary> = self
                .summaries
                .iter()
                .filter(|e| from_source(&e.source, &source.name))
                .collect();
            if kept && old == new {
                continue;
            }
            changed = true;
            let new: Vec<EvidenceSummary> = new.into_iter().cloned().collect();
            self.summaries
                .retain(|e| !from_source(&e.source, &source.name));
            self.sources.retain(|s| s.name != source.name);
            self.summaries.extend(new);
            self.sources.push(source);
        }
        changed
    }
}

/// A summary's source is the source itself, or an entry inside it (`folder/file.json`).
fn from_source(summary_source: &str, source: &str) -> bool {
    summary_source == source
        || summary_source
            .strip_prefix(source)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('\\'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(name: &str, date: &str) -> EvidenceSource {
        EvidenceSource {
            name: name.to_owned(),
            kind: "aws-cli-collection".to_owned(),
            imported: Some(date.to_owned()),
        }
    }

    fn summary(source: &str, resource: &str, status: EvidenceStatus) -> EvidenceSummary {
        EvidenceSummary {
            check: "rds_public".to_owned(),
            service: "rds".to_owned(),
            control: "NET-03".to_owned(),
            resource_id: resource.to_owned(),
            region: "us-east-1".to_owned(),
            account: "1".to_owned(),
            status,
            detail: String::new(),
            source: source.to_owned(),
        }
    }

    #[test]
    fn absorbing_keeps_other_sources_replaces_the_same_one_and_says_if_anything_changed() {
        let mut kept = Evidence {
            sources: vec![
                source("a/cli", "2026-12-01"),
                source("b.json", "2026-12-01"),
            ],
            summaries: vec![
                summary("a/cli/rds.json", "db1", EvidenceStatus::Fail),
                summary("b.json", "db2", EvidenceStatus::Pass),
            ],
        };
        let same = Evidence {
            sources: vec![source("a/cli", "2026-12-04")],
            summaries: vec![summary("a/cli/rds.json", "db1", EvidenceStatus::Fail)],
        };
        assert!(!kept.absorb(same), "the same evidence again is no change");
        assert_eq!(kept.sources[0].imported.as_deref(), Some("2026-12-01"));
        let fixed = Evidence {
            sources: vec![source("a/cli", "2026-12-04")],
            summaries: vec![summary("a/cli/rds.json", "db1", EvidenceStatus::Pass)],
        };
        assert!(kept.absorb(fixed));
        assert_eq!(kept.sources.len(), 2, "b.json stays");
        assert_eq!(kept.summaries.len(), 2);
        assert!(
            kept.summaries
                .iter()
                .any(|e| e.resource_id == "db1" && e.status == EvidenceStatus::Pass)
        );
        assert!(
            !kept
                .summaries
                .iter()
                .any(|e| e.resource_id == "db1" && e.status == EvidenceStatus::Fail)
        );
    }
}
