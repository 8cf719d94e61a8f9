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

pub mod agenda;
mod evidence;
mod finding;
mod item;
pub mod migrate;
pub mod report;
mod wire;

pub use evidence::{Evidence, EvidenceSource, EvidenceStatus, EvidenceSummary};
pub use finding::{FindingDecision, FindingEdit};
pub use item::{Assignee, AssigneeError, Item, ItemKey, Status, service_ref_from_key};
pub use wire::{ParseError, Parsed};
pub(crate) use wire::{WireItem, WireV3};

use super::catalog::{Catalog, ServiceRef};
use super::findings::FindingKey;
use super::owner::Owner;
use super::validate::is_iso_date;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The format this version writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 3;

/// The file name suffix of engagement documents.
pub const FILE_SUFFIX: &str = ".demarc.json";

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
    /// Decisions on findings of the findings board; an absent one is open and unassigned.
    pub findings: BTreeMap<FindingKey, FindingDecision>,
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
            findings: BTreeMap::new(),
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
        let wire = WireV3::from(self);
        // Serializing plain structs of strings and enums cannot fail.
        let mut text = serde_json::to_string_pretty(&wire).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Parses a document of any supported format version, migrating older ones.
    pub fn from_json(text: &str) -> Result<Parsed, ParseError> {
        // A byte order mark some editors add is not part of the document.
        migrate::parse(text.strip_prefix('\u{feff}').unwrap_or(text))
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

#[cfg(test)]
mod tests;
