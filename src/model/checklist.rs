//! The checklist handed to a client: every control the customer owns or shares for some service
//! in scope, with what the customer must do for each service.

use super::catalog::{Catalog, ServiceRef};
use super::evidence::{CellEvidence, Evidence};
use super::matrix::owner_totals;
use super::owner::{Owner, Tier};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistOptions {
    pub title: String,
    /// The date printed in the header (`YYYY-MM-DD`); an input, so exports stay deterministic.
    pub date: String,
    /// Owners whose cells become items (customer and shared by default).
    pub owners: BTreeSet<Owner>,
}

impl ChecklistOptions {
    pub fn new(date: &str) -> Self {
        ChecklistOptions {
            title: "AWS shared responsibility checklist".to_owned(),
            date: date.to_owned(),
            owners: [Owner::Customer, Owner::Shared].into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeEntry {
    pub service_ref: ServiceRef,
    pub service_name: String,
    pub variant_name: Option<String>,
    pub tier: Tier,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub service_ref: ServiceRef,
    pub service_name: String,
    pub owner: Owner,
    pub customer_does: String,
    pub aws_does: String,
    pub sources: Vec<String>,
    pub inherited: bool,
    pub last_verified: Option<String>,
    /// What an imported snapshot shows for this cell (`None` when no snapshot is loaded).
    pub evidence: Option<CellEvidence>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub control_id: String,
    pub control_name: String,
    pub entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub domain_id: String,
    pub domain_name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub service_ref: ServiceRef,
    pub service_name: String,
    pub counts: BTreeMap<Owner, usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    pub title: String,
    pub date: String,
    pub catalog_version: String,
    pub catalog_date: String,
    pub scope: Vec<ScopeEntry>,
    pub owners: Vec<Owner>,
    pub sections: Vec<Section>,
    pub summary: Vec<SummaryRow>,
    /// Titles of the checks in the attached evidence, by key: documents show these.
    pub check_titles: BTreeMap<String, String>,
}

impl Checklist {
    pub fn build(catalog: &Catalog, scope: &[ServiceRef], options: &ChecklistOptions) -> Checklist {
        let scope: Vec<&ServiceRef> = scope
            .iter()
            .filter(|r| catalog.tier_of(r).is_some())
            .collect();
        let scope_entries = scope
            .iter()
            .map(|r| {
                let service = catalog
                    .service(&r.service)
                    .expect("filtered to known services");
                ScopeEntry {
                    service_ref: (*r).clone(),
                    service_name: service.name.clone(),
                    variant_name: r
                        .variant
                        .as_deref()
                        .and_then(|v| service.variant(v))
                        .map(|v| v.name.clone()),
                    tier: catalog.tier_of(r).unwrap_or(service.tier),
                }
            })
            .collect();
        let mut sections = Vec::new();
        for domain in &catalog.domains {
            let mut items = Vec::new();
            for control in catalog.controls.iter().filter(|c| c.domain == domain.id) {
                let entries: Vec<Entry> = scope
                    .iter()
                    .filter_map(|r| catalog.cell(r, &control.id).map(|cell| (r, cell)))
                    .filter(|(_, cell)| options.owners.contains(&cell.owner()))
                    .map(|(r, cell)| Entry {
                        service_ref: (*r).clone(),
                        service_name: catalog.display_name(r),
                        owner: cell.owner(),
                        customer_does: cell.data.customer_does.clone(),
                        aws_does: cell.data.aws_does.clone(),
                        sources: cell.data.sources.clone(),
                        inherited: cell.inherited(),
                        last_verified: cell.data.last_verified.clone(),
                        evidence: None,
                    })
                    .collect();
                if !entries.is_empty() {
                    items.push(Item {
                        control_id: control.id.clone(),
                        control_name: control.name.clone(),
                        entries,
                    });
                }
            }
            if !items.is_empty() {
                sections.push(Section {
                    domain_id: domain.id.clone(),
                    domain_name: domain.name.clone(),
                    items,
                });
            }
        }
        let summary = scope
            .iter()
            .map(|r| SummaryRow {
                service_ref: (*r).clone(),
                service_name: catalog.display_name(r),
                counts: owner_totals(catalog, r),
            })
            .collect();
        Checklist {
            title: options.title.clone(),
            date: options.date.clone(),
            catalog_version: catalog.info.version.clone(),
            catalog_date: catalog.info.date.clone(),
            scope: scope_entries,
            owners: options.owners.iter().copied().collect(),
            sections,
            summary,
            check_titles: BTreeMap::new(),
        }
    }

    /// The title of a check of the attached evidence (its key if the catalog has none).
    pub fn check_title<'a>(&'a self, key: &'a str) -> &'a str {
        self.check_titles.get(key).map_or(key, String::as_str)
    }

    /// Puts each entry's cell evidence under it (failing resources first). Entries without any
    /// result get an explicit "no evidence".
    pub fn attach_evidence(&mut self, catalog: &Catalog, evidence: &Evidence) {
        for entry in self
            .sections
            .iter_mut()
            .flat_map(|s| s.items.iter_mut())
            .flat_map(|i| {
                let control = i.control_id.clone();
                i.entries.iter_mut().map(move |e| (control.clone(), e))
            })
        {
            let (control, entry) = entry;
            let cell = evidence.cell(catalog, &entry.service_ref.service, &control);
            for r in &cell.results {
                self.check_titles
                    .entry(r.check.to_string())
                    .or_insert_with(|| catalog.check_title(&r.check).to_owned());
            }
            entry.evidence = Some(cell);
        }
    }

    /// True when a snapshot's evidence is attached.
    pub fn has_evidence(&self) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.items)
            .flat_map(|i| &i.entries)
            .any(|e| e.evidence.is_some())
    }

    pub fn item_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checklist_holds_only_customer_and_shared_cells() {
        let catalog = Catalog::bundled();
        let scope = catalog.parse_refs("ec2,s3,rds").expect("known");
        let list = Checklist::build(&catalog, &scope, &ChecklistOptions::new("2026-11-28"));
        assert_eq!(list.scope.len(), 3);
        assert!(list.item_count() > 10);
        for entry in list
            .sections
            .iter()
            .flat_map(|s| &s.items)
            .flat_map(|i| &i.entries)
        {
            assert!(entry.owner.customer_involved(), "{:?}", entry.owner);
        }
        // INF-01 (physical security) is AWS's for all three: no item.
        assert!(
            !list
                .sections
                .iter()
                .flat_map(|s| &s.items)
                .any(|i| i.control_id == "INF-01")
        );
        assert_eq!(list.summary.len(), 3);
        for row in &list.summary {
            assert_eq!(row.counts.values().sum::<usize>(), catalog.controls.len());
        }
    }
}
