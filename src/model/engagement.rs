//! The engagement: what was agreed with one client about who does what, and what is done.
//!
//! Pure: no filesystem, no clock (the caller passes dates), no egui. The file format
//! (`*.demarc.json`) is versioned with `format_version`; older versions are migrated on read
//! (see [`migrate`]), a newer version is refused with a typed error, never guessed at.
//!
//! The unit of work is an *item*: one (service ref, control id) cell. Items absent from
//! [`Engagement::items`] are "open, unassigned". Progress counts the cells in scope whose
//! catalog owner involves the customer (customer or shared); done, not applicable and risk
//! accepted count as resolved.

pub mod migrate;
pub mod report;

use super::catalog::{Catalog, ServiceRef};
use super::owner::Owner;
use super::validate::is_iso_date;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The format this version writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// The file name suffix of engagement documents.
pub const FILE_SUFFIX: &str = ".demarc.json";

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
    pub fn parse(text: &str) -> Result<Assignee, String> {
        let text = text.trim();
        if let Some((kind, rest)) = text.split_once(':') {
            let rest = rest.trim();
            let kind = normalize_word(kind);
            if rest.is_empty() {
                return Err(format!("'{text}' names no one after the ':'"));
            }
            return match kind.as_str() {
                "third_party" | "msp" => Ok(Assignee::ThirdParty(rest.to_owned())),
                "other" => Ok(Assignee::Other(rest.to_owned())),
                _ => Err(format!(
                    "unknown assignee kind '{kind}' (use third_party:NAME or other:TEXT)"
                )),
            };
        }
        match normalize_word(text).as_str() {
            "aws" => Ok(Assignee::Aws),
            "client_platform" | "platform" | "client_platform_team" => Ok(Assignee::ClientPlatform),
            "client_application" | "application" | "app" | "client_application_team" => {
                Ok(Assignee::ClientApplication)
            }
            _ => Err(format!(
                "unknown assignee '{text}' (use aws, client_platform, client_application, \
                 third_party:NAME or other:TEXT)"
            )),
        }
    }
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
}

impl EvidenceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::Pass => "pass",
            EvidenceStatus::Fail => "fail",
            EvidenceStatus::Unknown => "unknown",
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

/// The document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engagement {
    pub client: String,
    pub title: String,
    /// `YYYY-MM-DD`: the engagement's date, printed in exports.
    pub date: String,
    /// The catalog version the decisions were made (or last reconciled) with.
    pub catalog_version: String,
    /// Services and variants in scope, in the order chosen.
    pub scope: Vec<ServiceRef>,
    pub evidence: Evidence,
    /// Decided items; an absent item is open and unassigned.
    pub items: BTreeMap<ItemKey, Item>,
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("service '{service}' is not in the engagement's scope ({scope})")]
    NotInScope { service: String, scope: String },
    #[error("unknown control '{control}'")]
    UnknownControl { control: String },
    #[error("the catalog has no cell for {key}")]
    NoCell { key: String },
    #[error("due date '{due}' is not YYYY-MM-DD")]
    BadDue { due: String },
}

/// Resolved over all counted items: done, not applicable, risk accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    pub resolved: usize,
    pub total: usize,
}

impl Progress {
    pub fn add(&mut self, status: Status) {
        self.total += 1;
        if status.is_resolved() {
            self.resolved += 1;
        }
    }

    /// Whole percent, rounded to nearest; 100 only when everything is resolved, 0 for no items.
    pub fn percent(self) -> usize {
        match (self.resolved * 100 + self.total / 2).checked_div(self.total) {
            None => 0,
            Some(100) if self.resolved < self.total => 99,
            Some(p) => p,
        }
    }
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{} ({}%)", self.resolved, self.total, self.percent())
    }
}

/// Progress overall, per domain (catalog order) and per service (scope order).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProgressSummary {
    pub total: Progress,
    pub by_domain: Vec<(String, Progress)>,
    pub by_service: Vec<(ServiceRef, Progress)>,
}

/// An item whose cell has another owner in the current catalog than when it was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChange {
    pub key: ItemKey,
    pub before: Owner,
    /// `None` when the current catalog no longer has the cell (service, variant or control gone).
    pub after: Option<Owner>,
}

/// A (service ref, control) cell of the catalog that is on the customer's plate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCell {
    pub key: ItemKey,
    pub domain: String,
    pub owner: Owner,
}

impl Engagement {
    /// A new engagement with nothing decided. Scope refs unknown to the catalog are kept (the
    /// caller validated them); repeats are dropped.
    pub fn new(
        catalog: &Catalog,
        client: &str,
        title: &str,
        date: &str,
        scope: &[ServiceRef],
    ) -> Engagement {
        let mut unique: Vec<ServiceRef> = Vec::new();
        for r in scope {
            if !unique.contains(r) {
                unique.push(r.clone());
            }
        }
        Engagement {
            client: client.to_owned(),
            title: title.to_owned(),
            date: date.to_owned(),
            catalog_version: catalog.info.version.clone(),
            scope: unique,
            evidence: Evidence::default(),
            items: BTreeMap::new(),
        }
    }

    /// The item's state, or `None` for "open, unassigned".
    pub fn item(&self, key: &ItemKey) -> Option<&Item> {
        self.items.get(key)
    }

    pub fn status(&self, key: &ItemKey) -> Status {
        self.items.get(key).map_or(Status::Open, |i| i.status)
    }

    /// Sets an item, recording the cell's current catalog owner as `owner_at_decision`. A blank
    /// item (open, unassigned, no due date, no note) is removed, so the map holds decisions only.
    pub fn set_item(
        &mut self,
        catalog: &Catalog,
        key: &ItemKey,
        mut item: Item,
    ) -> Result<(), EditError> {
        let owner = self.check_key(catalog, key)?;
        if let Some(due) = &item.due
            && !is_iso_date(due)
        {
            return Err(EditError::BadDue { due: due.clone() });
        }
        if item.is_blank() {
            self.items.remove(key);
        } else {
            item.owner_at_decision = Some(owner);
            self.items.insert(key.clone(), item);
        }
        Ok(())
    }

    /// Changes an item through a closure (the GUI's cell editors): the closure sees the current
    /// state, or a blank item.
    pub fn edit_item(
        &mut self,
        catalog: &Catalog,
        key: &ItemKey,
        edit: impl FnOnce(&mut Item),
    ) -> Result<(), EditError> {
        let mut item = self.items.get(key).cloned().unwrap_or_default();
        edit(&mut item);
        self.set_item(catalog, key, item)
    }

    /// Moves the item to the next status and returns it.
    pub fn cycle_status(&mut self, catalog: &Catalog, key: &ItemKey) -> Result<Status, EditError> {
        let next = self.status(key).next();
        self.edit_item(catalog, key, |item| item.status = next)?;
        Ok(next)
    }

    /// The cell's owner when the key is editable: its service is in scope and the catalog has
    /// the cell.
    fn check_key(&self, catalog: &Catalog, key: &ItemKey) -> Result<Owner, EditError> {
        if !self.scope.contains(&key.service) {
            return Err(EditError::NotInScope {
                service: key.service.key(),
                scope: self
                    .scope
                    .iter()
                    .map(ServiceRef::key)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if catalog.control(&key.control).is_none() {
            return Err(EditError::UnknownControl {
                control: key.control.clone(),
            });
        }
        catalog
            .cell(&key.service, &key.control)
            .map(|cell| cell.owner())
            .ok_or_else(|| EditError::NoCell {
                key: key.to_string(),
            })
    }

    /// Every cell in scope that involves the customer (customer or shared), by domain in catalog
    /// order, then control order, then scope order. The checklist's rows.
    pub fn customer_cells(&self, catalog: &Catalog) -> Vec<CustomerCell> {
        let mut cells = Vec::new();
        for domain in &catalog.domains {
            for control in catalog.controls.iter().filter(|c| c.domain == domain.id) {
                for service in &self.scope {
                    if let Some(cell) = catalog.cell(service, &control.id)
                        && cell.owner().customer_involved()
                    {
                        cells.push(CustomerCell {
                            key: ItemKey::new(service.clone(), &control.id),
                            domain: domain.id.clone(),
                            owner: cell.owner(),
                        });
                    }
                }
            }
        }
        cells
    }

    /// Progress over the customer's cells.
    pub fn progress(&self, catalog: &Catalog) -> ProgressSummary {
        let cells = self.customer_cells(catalog);
        let mut summary = ProgressSummary::default();
        let mut by_domain: BTreeMap<&str, Progress> = BTreeMap::new();
        let mut by_service: BTreeMap<&ServiceRef, Progress> = BTreeMap::new();
        for cell in &cells {
            let status = self.status(&cell.key);
            summary.total.add(status);
            by_domain.entry(&cell.domain).or_default().add(status);
            by_service.entry(&cell.key.service).or_default().add(status);
        }
        summary.by_domain = catalog
            .domains
            .iter()
            .filter_map(|d| by_domain.get(d.id.as_str()).map(|p| (d.id.clone(), *p)))
            .collect();
        summary.by_service = self
            .scope
            .iter()
            .map(|r| (r.clone(), by_service.get(r).copied().unwrap_or_default()))
            .collect();
        summary
    }

    /// Items decided under an owner that the given catalog no longer has for their cell: what to
    /// review after a catalog upgrade.
    pub fn owner_changes(&self, catalog: &Catalog) -> Vec<OwnerChange> {
        self.items
            .iter()
            .filter_map(|(key, item)| {
                let before = item.owner_at_decision?;
                let after = catalog.cell(&key.service, &key.control).map(|c| c.owner());
                (after != Some(before)).then(|| OwnerChange {
                    key: key.clone(),
                    before,
                    after,
                })
            })
            .collect()
    }

    /// True when the document was made with another catalog version than this one.
    pub fn catalog_version_differs(&self, catalog: &Catalog) -> bool {
        self.catalog_version != catalog.info.version
    }

    /// After the user reviewed [`Engagement::owner_changes`]: record the current owners and
    /// catalog version, so the same changes are not listed again.
    pub fn accept_catalog(&mut self, catalog: &Catalog) {
        for (key, item) in &mut self.items {
            if item.owner_at_decision.is_some() {
                item.owner_at_decision =
                    catalog.cell(&key.service, &key.control).map(|c| c.owner());
            }
        }
        self.catalog_version.clone_from(&catalog.info.version);
    }

    /// Adds a service ref to the scope (no-op if present).
    pub fn add_to_scope(&mut self, service: ServiceRef) {
        if !self.scope.contains(&service) {
            self.scope.push(service);
        }
    }

    /// Removes a service ref from the scope. Its decided items are kept (and exported as
    /// decisions outside the scope), so nothing is lost by a mis-click.
    pub fn remove_from_scope(&mut self, service: &ServiceRef) {
        self.scope.retain(|r| r != service);
    }

    /// The document as pretty JSON with a trailing newline (the current format).
    pub fn to_json(&self) -> String {
        let wire = WireV2::from(self);
        // Serializing plain structs of strings and enums cannot fail.
        let mut text = serde_json::to_string_pretty(&wire).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Parses a document of any supported format version, migrating older ones.
    pub fn from_json(text: &str) -> Result<Parsed, ParseError> {
        migrate::parse(text)
    }

    /// Service refs in the items but not in scope: decisions kept after a scope change.
    pub fn services_outside_scope(&self) -> BTreeSet<&ServiceRef> {
        self.items
            .keys()
            .map(|k| &k.service)
            .filter(|r| !self.scope.contains(r))
            .collect()
    }
}

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

/// The current on-disk shape (format 2).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WireV2 {
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

impl From<&Engagement> for WireV2 {
    fn from(doc: &Engagement) -> WireV2 {
        WireV2 {
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
        }
    }
}

impl TryFrom<WireV2> for Engagement {
    type Error = ParseError;

    fn try_from(wire: WireV2) -> Result<Engagement, ParseError> {
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
        Ok(Engagement {
            client: wire.client,
            title: wire.title,
            date: wire.date,
            catalog_version: wire.catalog_version,
            scope,
            evidence: wire.evidence,
            items,
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

#[cfg(test)]
mod tests;
