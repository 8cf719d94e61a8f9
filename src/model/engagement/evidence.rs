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
}
