//! An engagement resolved against a catalog: every customer item with its text, status,
//! evidence and the summary tallies. The exporters render this; it holds no formatting.

use super::{Assignee, Engagement, FindingDecision, Item, ItemKey, Progress, Status};
use crate::model::catalog::{Catalog, Severity};
use crate::model::evidence;
use crate::model::findings::FindingKey;
use crate::model::matrix::owner_totals;
use crate::model::owner::{Owner, Tier};
use std::collections::BTreeMap;

mod findings;

/// Counts of items per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCounts {
    counts: [usize; Status::ALL.len()],
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        self.counts[status as usize] += 1;
    }

    pub fn get(&self, status: Status) -> usize {
        self.counts[status as usize]
    }

    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }

    pub fn progress(&self) -> Progress {
        Progress {
            resolved: Status::ALL
                .into_iter()
                .filter(|s| s.is_resolved())
                .map(|s| self.get(s))
                .sum(),
            total: self.total(),
        }
    }
}

/// One row of a summary table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// A stable key: domain id, service key, owner, assignee kind.
    pub key: String,
    pub label: String,
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeLine {
    pub key: String,
    pub name: String,
    /// `None` for a service the catalog does not know (a newer catalog dropped it).
    pub tier: Option<Tier>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportItem {
    pub key: ItemKey,
    pub service_name: String,
    pub control_name: String,
    pub domain_id: String,
    /// The cell's owner in the catalog; `None` if it no longer has the cell.
    pub owner: Option<Owner>,
    pub customer_does: String,
    pub aws_does: String,
    pub sources: Vec<String>,
    pub item: Item,
    /// The findings on this cell, deduplicated across sources: failing first.
    pub findings: Vec<ReportFinding>,
}

/// A finding as the client reads it: the check's title, never its key; the kinds of source,
/// never a file path; and what was decided about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFinding {
    pub key: FindingKey,
    /// The cell it gives evidence on.
    pub service: String,
    pub control: String,
    /// The check's key (for JSON) and its title (for people).
    pub check: String,
    pub title: String,
    pub severity: Option<Severity>,
    /// `None` for a decision on a finding the kept evidence no longer has.
    pub status: Option<evidence::Status>,
    pub detail: String,
    /// "CLI collection, Security Hub".
    pub sources: String,
    pub decision: Option<FindingDecision>,
}

/// An evidence source by file name (never its local path), with its kind in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSource {
    pub name: String,
    pub kind: String,
    pub imported: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub domain_id: String,
    pub domain_name: String,
    pub counts: StatusCounts,
    pub items: Vec<ReportItem>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerChangeLine {
    pub key: ItemKey,
    pub service_name: String,
    pub control_name: String,
    pub before: Owner,
    pub after: Option<Owner>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub client: String,
    pub title: String,
    pub date: String,
    /// The catalog version the engagement was made with.
    pub catalog_version: String,
    /// The catalog version the report was resolved with.
    pub current_catalog_version: String,
    pub scope: Vec<ScopeLine>,
    /// Customer and shared items in scope, by domain.
    pub sections: Vec<Section>,
    /// Decided items that are not on the checklist: cells AWS owns or that are not applicable,
    /// services removed from scope, cells the catalog no longer has. Listed so nothing recorded
    /// disappears from an export.
    pub other_decisions: Vec<ReportItem>,
    pub total: StatusCounts,
    pub by_domain: Vec<Tally>,
    pub by_service: Vec<Tally>,
    /// Customer, then shared.
    pub by_owner: Vec<Tally>,
    /// Typed assignees, third parties and free text by name, then unassigned.
    pub by_assignee: Vec<Tally>,
    pub owner_changes: Vec<OwnerChangeLine>,
    pub evidence_sources: Vec<ReportSource>,
    /// Decisions on findings that the kept evidence no longer has, or whose cell is not on the
    /// checklist: listed so nothing recorded disappears from an export.
    pub other_findings: Vec<ReportFinding>,
    /// Who owns the catalog's controls for each service in scope that the catalog knows:
    /// (service name, owner -> number of controls).
    pub owner_split: Vec<(String, BTreeMap<Owner, usize>)>,
}

impl Report {
    pub fn build(catalog: &Catalog, doc: &Engagement) -> Report {
        let cells = doc.customer_cells(catalog);
        let mut by_cell = findings::by_cell(catalog, doc);
        let mut sections: Vec<Section> = Vec::new();
        let mut total = StatusCounts::default();
        let mut by_service: BTreeMap<String, StatusCounts> = BTreeMap::new();
        let mut by_owner: BTreeMap<Owner, StatusCounts> = BTreeMap::new();
        let mut by_assignee: BTreeMap<Option<Assignee>, StatusCounts> = BTreeMap::new();
        for cell in &cells {
            let report_item = resolve(catalog, doc, &cell.key, &mut by_cell);
            let status = report_item.item.status;
            total.add(status);
            by_service
                .entry(cell.key.service.key())
                .or_default()
                .add(status);
            by_owner.entry(cell.owner).or_default().add(status);
            by_assignee
                .entry(report_item.item.assignee.clone())
                .or_default()
                .add(status);
            if sections.last().is_none_or(|s| s.domain_id != cell.domain) {
                sections.push(Section {
                    domain_id: cell.domain.clone(),
                    domain_name: catalog.domain_name(&cell.domain).to_owned(),
                    counts: StatusCounts::default(),
                    items: Vec::new(),
                });
            }
            if let Some(section) = sections.last_mut() {
                section.counts.add(status);
                section.items.push(report_item);
            }
        }
        let listed: std::collections::BTreeSet<&ItemKey> = cells.iter().map(|c| &c.key).collect();
        let other_decisions = doc
            .items
            .keys()
            .filter(|k| !listed.contains(k))
            .map(|k| resolve(catalog, doc, k, &mut by_cell))
            .collect();
        let by_domain = sections
            .iter()
            .map(|s| Tally {
                key: s.domain_id.clone(),
                label: s.domain_name.clone(),
                counts: s.counts,
            })
            .collect();
        let by_service = doc
            .scope
            .iter()
            .map(|r| Tally {
                key: r.key(),
                label: catalog.display_name(r),
                counts: by_service.get(&r.key()).copied().unwrap_or_default(),
            })
            .collect();
        let by_owner = [Owner::Customer, Owner::Shared]
            .into_iter()
            .map(|o| Tally {
                key: o.as_str().to_owned(),
                label: o.label().to_owned(),
                counts: by_owner.get(&o).copied().unwrap_or_default(),
            })
            .collect();
        let unassigned = by_assignee.remove(&None);
        let mut by_assignee: Vec<Tally> = by_assignee
            .into_iter()
            .filter_map(|(a, counts)| {
                a.map(|a| Tally {
                    key: a.kind().to_owned(),
                    label: a.label(),
                    counts,
                })
            })
            .collect();
        if let Some(counts) = unassigned {
            by_assignee.push(Tally {
                key: "unassigned".to_owned(),
                label: "Unassigned".to_owned(),
                counts,
            });
        }
        let owner_changes = doc
            .owner_changes(catalog)
            .into_iter()
            .map(|c| OwnerChangeLine {
                service_name: catalog.display_name(&c.key.service),
                control_name: control_name(catalog, &c.key.control),
                key: c.key,
                before: c.before,
                after: c.after,
            })
            .collect();
        Report {
            client: doc.client.clone(),
            title: doc.title.clone(),
            date: doc.date.clone(),
            catalog_version: doc.catalog_version.clone(),
            current_catalog_version: catalog.info.version.clone(),
            scope: doc
                .scope
                .iter()
                .map(|r| ScopeLine {
                    key: r.key(),
                    name: catalog.display_name(r),
                    tier: catalog.tier_of(r),
                })
                .collect(),
            sections,
            other_decisions,
            total,
            by_domain,
            by_service,
            by_owner,
            by_assignee,
            owner_changes,
            evidence_sources: findings::sources(doc),
            other_findings: findings::leftovers(catalog, doc, by_cell),
            owner_split: doc
                .scope
                .iter()
                .filter(|r| catalog.tier_of(r).is_some())
                .map(|r| (catalog.display_name(r), owner_totals(catalog, r)))
                .collect(),
        }
    }

    /// Every item on the checklist, in order.
    pub fn items(&self) -> impl Iterator<Item = &ReportItem> {
        self.sections.iter().flat_map(|s| &s.items)
    }
}

fn control_name(catalog: &Catalog, control_id: &str) -> String {
    catalog
        .control(control_id)
        .map_or_else(|| control_id.to_owned(), |c| c.name.clone())
}

fn resolve(
    catalog: &Catalog,
    doc: &Engagement,
    key: &ItemKey,
    by_cell: &mut findings::ByCell,
) -> ReportItem {
    let cell = catalog.cell(&key.service, &key.control);
    let domain_id = catalog
        .control(&key.control)
        .map_or_else(String::new, |c| c.domain.clone());
    ReportItem {
        key: key.clone(),
        service_name: catalog.display_name(&key.service),
        control_name: control_name(catalog, &key.control),
        domain_id,
        owner: cell.map(|c| c.owner()),
        customer_does: cell.map_or_else(String::new, |c| c.data.customer_does.clone()),
        aws_does: cell.map_or_else(String::new, |c| c.data.aws_does.clone()),
        sources: cell.map_or_else(Vec::new, |c| c.data.sources.clone()),
        item: doc.item(key).cloned().unwrap_or_default(),
        findings: findings::take(by_cell, key),
    }
}
