//! An item of an engagement (one service x control cell) and what was decided for it: status,
//! assignee, due date, note.

use crate::model::catalog::ServiceRef;
use crate::model::owner::Owner;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where an item stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Open,
    InProgress,
    Done,
    NotApplicable,
    RiskAccepted,
}

impl Status {
    /// In cycling order (space bar in the checklist view).
    pub const ALL: [Status; 5] = [
        Status::Open,
        Status::InProgress,
        Status::Done,
        Status::NotApplicable,
        Status::RiskAccepted,
    ];

    /// The value used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::InProgress => "in_progress",
            Status::Done => "done",
            Status::NotApplicable => "not_applicable",
            Status::RiskAccepted => "risk_accepted",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open",
            Status::InProgress => "In progress",
            Status::Done => "Done",
            Status::NotApplicable => "Not applicable",
            Status::RiskAccepted => "Risk accepted",
        }
    }

    /// The next status in [`Status::ALL`], wrapping around.
    #[must_use]
    pub fn next(self) -> Status {
        let i = Status::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Status::ALL[(i + 1) % Status::ALL.len()]
    }

    /// Nothing left to do: done, not applicable or risk accepted.
    pub fn is_resolved(self) -> bool {
        matches!(
            self,
            Status::Done | Status::NotApplicable | Status::RiskAccepted
        )
    }

    /// Parses `done`, `in_progress`, `in-progress`, `In progress`, `n/a`.
    pub fn parse(text: &str) -> Option<Status> {
        let norm = normalize_word(text);
        match norm.as_str() {
            "n/a" | "na" => return Some(Status::NotApplicable),
            "todo" => return Some(Status::Open),
            _ => {}
        }
        Status::ALL
            .into_iter()
            .find(|s| s.as_str() == norm || normalize_word(s.label()) == norm)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lowercase, trimmed, with spaces and hyphens as underscores.
fn normalize_word(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

/// Who does the work of an item.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assignee {
    Aws,
    ClientPlatform,
    ClientApplication,
    /// A third party such as a managed-service provider, by name.
    ThirdParty(String),
    /// Anyone else, in free text.
    Other(String),
}

impl Assignee {
    /// The words shown to people.
    pub fn label(&self) -> String {
        match self {
            Assignee::Aws => "AWS".to_owned(),
            Assignee::ClientPlatform => "Client platform team".to_owned(),
            Assignee::ClientApplication => "Client application team".to_owned(),
            Assignee::ThirdParty(name) => format!("Third party: {name}"),
            Assignee::Other(text) => text.clone(),
        }
    }

    /// The kind of assignee without its text, for grouping: `aws`, `client_platform`, ...
    pub fn kind(&self) -> &'static str {
        match self {
            Assignee::Aws => "aws",
            Assignee::ClientPlatform => "client_platform",
            Assignee::ClientApplication => "client_application",
            Assignee::ThirdParty(_) => "third_party",
            Assignee::Other(_) => "other",
        }
    }

    /// The command-line form: `aws`, `client_platform`, `third_party:NAME`, `other:TEXT`.
    pub fn to_arg(&self) -> String {
        match self {
            Assignee::ThirdParty(name) => format!("third_party:{name}"),
            Assignee::Other(text) => format!("other:{text}"),
            a => a.kind().to_owned(),
        }
    }

    /// Parses the command-line form. `platform` and `application` (or `app`) are short for the
    /// client teams; `msp:NAME` is short for `third_party:NAME`.
    pub fn parse(text: &str) -> Result<Assignee, AssigneeError> {
        let text = text.trim();
        if let Some((kind, rest)) = text.split_once(':') {
            let rest = rest.trim();
            let kind = normalize_word(kind);
            if rest.is_empty() {
                return Err(AssigneeError::NoName {
                    text: text.to_owned(),
                });
            }
            return match kind.as_str() {
                "third_party" | "msp" => Ok(Assignee::ThirdParty(rest.to_owned())),
                "other" => Ok(Assignee::Other(rest.to_owned())),
                _ => Err(AssigneeError::UnknownKind { kind }),
            };
        }
        match normalize_word(text).as_str() {
            "aws" => Ok(Assignee::Aws),
            "client_platform" | "platform" | "client_platform_team" => Ok(Assignee::ClientPlatform),
            "client_application" | "application" | "app" | "client_application_team" => {
                Ok(Assignee::ClientApplication)
            }
            _ => Err(AssigneeError::Unknown {
                text: text.to_owned(),
            }),
        }
    }
}

/// Why a text does not name an assignee.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AssigneeError {
    #[error("'{text}' names no one after the ':'")]
    NoName { text: String },
    #[error("unknown assignee kind '{kind}' (use third_party:NAME or other:TEXT)")]
    UnknownKind { kind: String },
    #[error(
        "unknown assignee '{text}' (use aws, client_platform, client_application, \
         third_party:NAME or other:TEXT)"
    )]
    Unknown { text: String },
}

/// One item: a (service ref, control id) cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemKey {
    pub service: ServiceRef,
    pub control: String,
}

impl ItemKey {
    pub fn new(service: ServiceRef, control: &str) -> ItemKey {
        ItemKey {
            service,
            control: control.to_owned(),
        }
    }
}

impl fmt::Display for ItemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service.key(), self.control)
    }
}

/// A service ref from its key (`rds/custom`, `s3`) without a catalog.
pub fn service_ref_from_key(key: &str) -> ServiceRef {
    match key.split_once('/') {
        Some((service, variant)) => ServiceRef::new(service, Some(variant)),
        None => ServiceRef::new(key, None),
    }
}

/// What was decided for one item.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Item {
    pub status: Status,
    pub assignee: Option<Assignee>,
    /// `YYYY-MM-DD`.
    pub due: Option<String>,
    pub note: String,
    /// The catalog owner of the cell when this item was last decided, so a catalog upgrade that
    /// moves the cell to another owner is listed rather than shifting silently.
    pub owner_at_decision: Option<Owner>,
}

impl Item {
    /// True when the item says nothing beyond "open, unassigned".
    pub fn is_blank(&self) -> bool {
        self.status == Status::Open
            && self.assignee.is_none()
            && self.due.is_none()
            && self.note.is_empty()
    }
}
