//! The file format on disk (format 3) and the typed errors of reading it. Older formats are
//! migrated to this shape first (see [`super::migrate`]).

use super::{Assignee, FindingDecision, Status};
use super::{Engagement, Evidence, FORMAT_VERSION, Item, ItemKey, service_ref_from_key};
use crate::model::catalog::ServiceRef;
use crate::model::findings::FindingKey;
use crate::model::owner::Owner;
use crate::model::validate::is_iso_date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A parsed document and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub engagement: Engagement,
    /// The file's format version when it was older than [`FORMAT_VERSION`] and was migrated;
    /// saving writes the current format.
    pub migrated_from: Option<u32>,
}

/// Why a document could not be read. The caller adds the file path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("the file is corrupt: not valid JSON (line {line}, column {column}: {message})")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("not a demarc engagement ({reason})")]
    NotAnEngagement { reason: String },
    #[error(
        "written by a newer demarc (format {found}; this version reads formats 1 to {supported}); \
         update demarc to open it, the file was left as it is"
    )]
    TooNew { found: u64, supported: u32 },
    #[error("the file is corrupt: {message}")]
    Invalid { message: String },
}

impl ParseError {
    pub(crate) fn invalid(message: impl Into<String>) -> ParseError {
        ParseError::Invalid {
            message: message.into(),
        }
    }
}

/// The current on-disk shape (format 3; format 2 is the same without `findings`).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireV3 {
    pub format_version: u32,
    pub client: String,
    pub title: String,
    pub date: String,
    pub catalog_version: String,
    #[serde(default)]
    pub scope: Vec<String>,
    #[serde(default, skip_serializing_if = "Evidence::is_empty")]
    pub evidence: Evidence,
    #[serde(default)]
    pub items: Vec<WireItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<WireFinding>,
}

/// A decision on a finding of the findings board.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireFinding {
    /// The check group's key (`s3_versioning_off`).
    pub check: String,
    pub account: String,
    pub region: String,
    pub resource_id: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireItem {
    pub service: String,
    pub control: String,
    #[serde(default)]
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<Assignee>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_at_decision: Option<Owner>,
}

impl From<&Engagement> for WireV3 {
    fn from(doc: &Engagement) -> WireV3 {
        WireV3 {
            format_version: FORMAT_VERSION,
            client: doc.client.clone(),
            title: doc.title.clone(),
            date: doc.date.clone(),
            catalog_version: doc.catalog_version.clone(),
            scope: doc.scope.iter().map(ServiceRef::key).collect(),
            evidence: doc.evidence.clone(),
            items: doc
                .items
                .iter()
                .map(|(key, item)| WireItem {
                    service: key.service.key(),
                    control: key.control.clone(),
                    status: item.status,
                    assignee: item.assignee.clone(),
                    due: item.due.clone(),
                    note: item.note.clone(),
                    owner_at_decision: item.owner_at_decision,
                })
                .collect(),
            findings: doc
                .findings
                .iter()
                .map(|(key, d)| WireFinding {
                    check: key.check.clone(),
                    account: key.account.clone(),
                    region: key.region.clone(),
                    resource_id: key.resource_id.clone(),
                    status: d.status,
                    assignee: d.assignee.clone(),
                    note: d.note.clone(),
                })
                .collect(),
        }
    }
}

impl TryFrom<WireV3> for Engagement {
    type Error = ParseError;

    fn try_from(wire: WireV3) -> Result<Engagement, ParseError> {
        if !is_iso_date(&wire.date) {
            return Err(ParseError::invalid(format!(
                "date '{}' is not YYYY-MM-DD",
                wire.date
            )));
        }
        let mut scope: Vec<ServiceRef> = Vec::new();
        for key in &wire.scope {
            check_ref_key(key)?;
            let r = service_ref_from_key(key);
            if scope.contains(&r) {
                return Err(ParseError::invalid(format!("scope lists '{key}' twice")));
            }
            scope.push(r);
        }
        let mut items = BTreeMap::new();
        for wire_item in wire.items {
            check_ref_key(&wire_item.service)?;
            if wire_item.control.trim().is_empty() || wire_item.control.contains('/') {
                return Err(ParseError::invalid(format!(
                    "item of '{}' has an invalid control id '{}'",
                    wire_item.service, wire_item.control
                )));
            }
            let key = ItemKey::new(service_ref_from_key(&wire_item.service), &wire_item.control);
            if let Some(due) = &wire_item.due
                && !is_iso_date(due)
            {
                return Err(ParseError::invalid(format!(
                    "item {key}: due date '{due}' is not YYYY-MM-DD"
                )));
            }
            let item = Item {
                status: wire_item.status,
                assignee: wire_item.assignee,
                due: wire_item.due,
                note: wire_item.note,
                owner_at_decision: wire_item.owner_at_decision,
            };
            if items.insert(key.clone(), item).is_some() {
                return Err(ParseError::invalid(format!("item {key} is listed twice")));
            }
        }
        let mut findings = BTreeMap::new();
        for f in wire.findings {
            if f.check.trim().is_empty() {
                return Err(ParseError::invalid(format!(
                    "a finding decision on '{}' names no check",
                    f.resource_id
                )));
            }
            let key = FindingKey {
                check: f.check,
                account: f.account,
                region: f.region,
                resource_id: f.resource_id,
            };
            let decision = FindingDecision {
                status: f.status,
                assignee: f.assignee,
                note: f.note,
            };
            if findings.insert(key.clone(), decision).is_some() {
                return Err(ParseError::invalid(format!(
                    "the decision on {} of {} is listed twice",
                    key.check, key.resource_id
                )));
            }
        }
        Ok(Engagement {
            client: wire.client,
            title: wire.title,
            date: wire.date,
            catalog_version: wire.catalog_version,
            scope,
            evidence: wire.evidence,
            items,
            findings,
        })
    }
}

/// A service ref key must be `service` or `service/variant`, both non-empty.
fn check_ref_key(key: &str) -> Result<(), ParseError> {
    let ok = match key.split_once('/') {
        Some((s, v)) => !s.is_empty() && !v.is_empty() && !v.contains('/'),
        None => !key.is_empty(),
    };
    if ok && key.trim() == key {
        Ok(())
    } else {
        Err(ParseError::invalid(format!(
            "'{key}' is not a service key (service or service/variant)"
        )))
    }
}
