//! The engagement checklist as a meeting runs it: the customer's items grouped by domain or by
//! service (a title once per group), failing items first, filtered by status, assignee, owner,
//! evidence and text, with each group's progress. Pure: the caller says what the evidence shows
//! per cell and freezes the result, so rows do not move while items are edited.

use super::{Assignee, CustomerCell, Engagement, ItemKey, Progress, Status};
use crate::model::catalog::Catalog;
use crate::model::evidence::CellStatus;
use crate::model::owner::Owner;
use std::collections::BTreeMap;

/// How the checklist groups its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AgendaGrouping {
    #[default]
    Domain,
    Service,
}

impl AgendaGrouping {
    pub const ALL: [AgendaGrouping; 2] = [AgendaGrouping::Domain, AgendaGrouping::Service];

    pub fn label(self) -> &'static str {
        match self {
            AgendaGrouping::Domain => "Domain",
            AgendaGrouping::Service => "Service",
        }
    }
}

/// Which assignees to show.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Unassigned,
    /// An assignee kind: `aws`, `client_platform`, `client_application`, `third_party`,
    /// `other` (see [`Assignee::kind`]).
    Kind(String),
}

impl AssigneeFilter {
    fn keeps(&self, assignee: Option<&Assignee>) -> bool {
        match self {
            AssigneeFilter::Anyone => true,
            AssigneeFilter::Unassigned => assignee.is_none(),
            AssigneeFilter::Kind(kind) => assignee.is_some_and(|a| a.kind() == kind),
        }
    }
}

/// What the imported evidence must show for an item to be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EvidenceFilter {
    #[default]
    Any,
    /// A check fails on the cell.
    Failing,
    /// The account uses the service, but nothing shows the control is done.
    NoEvidence,
}

impl EvidenceFilter {
    pub const ALL: [EvidenceFilter; 3] = [
        EvidenceFilter::Any,
        EvidenceFilter::Failing,
        EvidenceFilter::NoEvidence,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EvidenceFilter::Any => "Any evidence",
            EvidenceFilter::Failing => "Failing",
            EvidenceFilter::NoEvidence => "No evidence",
        }
    }

    fn keeps(self, evidence: Option<CellStatus>) -> bool {
        match self {
            EvidenceFilter::Any => true,
            EvidenceFilter::Failing => evidence == Some(CellStatus::Fail),
            EvidenceFilter::NoEvidence => evidence == Some(CellStatus::NoEvidence),
        }
    }
}

/// The checklist's filters. Statuses are an explicit set (what is ticked is shown); owners
/// empty means every owner (the toolbar's owner chips); the query is the toolbar's search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaFilter {
    pub statuses: Vec<Status>,
    pub assignee: AssigneeFilter,
    pub evidence: EvidenceFilter,
    pub owners: Vec<Owner>,
    pub query: String,
}

impl Default for AgendaFilter {
    fn default() -> Self {
        AgendaFilter {
            statuses: Status::ALL.to_vec(),
            assignee: AssigneeFilter::Anyone,
            evidence: EvidenceFilter::Any,
            owners: Vec::new(),
            query: String::new(),
        }
    }
}

/// One row of the checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaRow {
    pub key: ItemKey,
    pub domain: String,
    pub owner: Owner,
    /// What the imported evidence shows (`None`: nothing imported for this service).
    pub evidence: Option<CellStatus>,
}

/// A group: a domain or a service, its rows, and its progress over all its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaGroup {
    /// The domain id or the service ref key.
    pub key: String,
    pub title: String,
    pub rows: Vec<AgendaRow>,
    /// Over every item of the group, filtered out or not.
    pub progress: Progress,
    /// Items of the group that the filter hides.
    pub hidden: usize,
}

/// Recounts each group's progress from the document after a decision, leaving the rows and
/// their order alone: rows never move while the user works through them, and the bars stay
/// true.
pub fn refresh_progress(
    catalog: &Catalog,
    doc: &Engagement,
    grouping: AgendaGrouping,
    groups: &mut [AgendaGroup],
) {
    let mut fresh: BTreeMap<String, Progress> = BTreeMap::new();
    for cell in doc.customer_cells(catalog) {
        let key = match grouping {
            AgendaGrouping::Domain => cell.domain,
            AgendaGrouping::Service => cell.key.service.key(),
        };
        fresh.entry(key).or_default().add(doc.status(&cell.key));
    }
    for group in groups {
        group.progress = fresh.get(&group.key).copied().unwrap_or_default();
    }
}

/// Failing first, then unknown, no evidence, passing, and cells without evidence at all.
fn evidence_rank(evidence: Option<CellStatus>) -> u8 {
    match evidence {
        Some(CellStatus::Fail) => 0,
        Some(CellStatus::Unknown) => 1,
        Some(CellStatus::NoEvidence) => 2,
        Some(CellStatus::Pass) => 3,
        None => 4,
    }
}

impl AgendaFilter {
    /// Whether the item passes, with its current state.
    pub fn keeps(
        &self,
        catalog: &Catalog,
        doc: &Engagement,
        row: &AgendaRow,
        query_lower: &str,
    ) -> bool {
        let item = doc.item(&row.key);
        let status = item.map_or(Status::Open, |i| i.status);
        self.statuses.contains(&status)
            && self.assignee.keeps(item.and_then(|i| i.assignee.as_ref()))
            && self.evidence.keeps(row.evidence)
            && (self.owners.is_empty() || self.owners.contains(&row.owner))
            && (query_lower.is_empty() || text_matches(catalog, doc, &row.key, query_lower))
    }
}

fn text_matches(catalog: &Catalog, doc: &Engagement, key: &ItemKey, query: &str) -> bool {
    let has = |text: &str| text.to_lowercase().contains(query);
    key.control.to_lowercase().contains(query)
        || catalog.control(&key.control).is_some_and(|c| has(&c.name))
        || has(&catalog.display_name(&key.service))
        || key.service.key().contains(query)
        || catalog
            .cell(&key.service, &key.control)
            .is_some_and(|c| has(&c.data.customer_does))
        || doc.item(key).is_some_and(|i| has(&i.note))
}

/// The groups, in catalog order (domains) or scope order (services); in each, failing items
/// first, then the catalog's order. `evidence` says what the imported evidence shows per
/// (service id, control id).
pub fn build(
    catalog: &Catalog,
    doc: &Engagement,
    grouping: AgendaGrouping,
    filter: &AgendaFilter,
    evidence: &dyn Fn(&str, &str) -> Option<CellStatus>,
) -> Vec<AgendaGroup> {
    let query = filter.query.trim().to_lowercase();
    let cells: Vec<CustomerCell> = doc.customer_cells(catalog);
    let mut groups: Vec<AgendaGroup> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let order: Vec<String> = match grouping {
        AgendaGrouping::Domain => catalog.domains.iter().map(|d| d.id.clone()).collect(),
        AgendaGrouping::Service => doc
            .scope
            .iter()
            .map(crate::model::catalog::ServiceRef::key)
            .collect(),
    };
    for key in order {
        let title = match grouping {
            AgendaGrouping::Domain => catalog.domain_name(&key).to_owned(),
            AgendaGrouping::Service => catalog.display_name(&super::service_ref_from_key(&key)),
        };
        index.insert(key.clone(), groups.len());
        groups.push(AgendaGroup {
            key,
            title,
            rows: Vec::new(),
            progress: Progress::default(),
            hidden: 0,
        });
    }
    for cell in cells {
        let group_key = match grouping {
            AgendaGrouping::Domain => cell.domain.clone(),
            AgendaGrouping::Service => cell.key.service.key(),
        };
        let Some(&g) = index.get(&group_key) else {
            continue;
        };
        let row = AgendaRow {
            evidence: evidence(&cell.key.service.service, &cell.key.control),
            key: cell.key,
            domain: cell.domain,
            owner: cell.owner,
        };
        let group = &mut groups[g];
        group.progress.add(doc.status(&row.key));
        if filter.keeps(catalog, doc, &row, &query) {
            group.rows.push(row);
        } else {
            group.hidden += 1;
        }
    }
    for group in &mut groups {
        // Stable: equal ranks keep the catalog's order.
        group.rows.sort_by_key(|r| evidence_rank(r.evidence));
    }
    groups.retain(|g| g.progress.total > 0);
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::engagement::Item;

    fn doc(catalog: &Catalog) -> Engagement {
        let scope = catalog.parse_refs("ec2,s3").expect("known");
        Engagement::new(catalog, "Acme", "Review", "2026-12-04", &scope)
    }

    fn none(_: &str, _: &str) -> Option<CellStatus> {
        None
    }

    #[test]
    fn grouped_by_domain_or_service_with_a_title_once_per_group() {
        let catalog = Catalog::bundled();
        let doc = doc(&catalog);
        let total = doc.customer_cells(&catalog).len();
        for grouping in AgendaGrouping::ALL {
            let groups = build(&catalog, &doc, grouping, &AgendaFilter::default(), &none);
            assert_eq!(groups.iter().map(|g| g.rows.len()).sum::<usize>(), total);
            let titles: std::collections::BTreeSet<&str> =
                groups.iter().map(|g| g.title.as_str()).collect();
            assert_eq!(
                titles.len(),
                groups.len(),
                "{grouping:?}: one group per title"
            );
        }
        let by_service = build(
            &catalog,
            &doc,
            AgendaGrouping::Service,
            &AgendaFilter::default(),
            &none,
        );
        let keys: Vec<&str> = by_service.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["ec2", "s3"], "scope order");
        assert!(
            by_service[0]
                .rows
                .iter()
                .all(|r| r.key.service.service == "ec2")
        );
    }

    #[test]
    fn failing_items_come_first_in_their_group() {
        let catalog = Catalog::bundled();
        let doc = doc(&catalog);
        let evidence = |service: &str, control: &str| match (service, control) {
            ("s3", "NET-03") => Some(CellStatus::Fail),
            ("s3", _) => Some(CellStatus::NoEvidence),
            _ => None,
        };
        let groups = build(
            &catalog,
            &doc,
            AgendaGrouping::Service,
            &AgendaFilter::default(),
            &evidence,
        );
        let s3 = &groups[1];
        assert_eq!(s3.rows[0].key.control, "NET-03");
        assert_eq!(s3.rows[0].evidence, Some(CellStatus::Fail));
        let failing = AgendaFilter {
            evidence: EvidenceFilter::Failing,
            ..AgendaFilter::default()
        };
        let groups = build(&catalog, &doc, AgendaGrouping::Domain, &failing, &evidence);
        let rows: Vec<String> = groups
            .iter()
            .flat_map(|g| &g.rows)
            .map(|r| r.key.to_string())
            .collect();
        assert_eq!(rows, ["s3/NET-03"]);
        let blank = AgendaFilter {
            evidence: EvidenceFilter::NoEvidence,
            ..AgendaFilter::default()
        };
        let groups = build(&catalog, &doc, AgendaGrouping::Domain, &blank, &evidence);
        assert!(
            groups
                .iter()
                .flat_map(|g| &g.rows)
                .all(|r| r.key.service.service == "s3" && r.key.control != "NET-03")
        );
    }

    #[test]
    fn filters_by_status_assignee_owner_and_text_and_keep_the_group_progress() {
        let catalog = Catalog::bundled();
        let mut doc = doc(&catalog);
        let key = ItemKey::new(catalog.parse_ref("s3").expect("s3"), "IAM-01");
        doc.set_item(
            &catalog,
            &key,
            Item {
                status: Status::Done,
                assignee: Some(Assignee::ClientPlatform),
                note: "Hardware key in the safe".into(),
                ..Item::default()
            },
        )
        .expect("in scope");
        let rows = |filter: AgendaFilter| -> Vec<String> {
            build(&catalog, &doc, AgendaGrouping::Domain, &filter, &none)
                .iter()
                .flat_map(|g| &g.rows)
                .map(|r| r.key.to_string())
                .collect()
        };
        assert_eq!(
            rows(AgendaFilter {
                statuses: vec![Status::Done],
                ..AgendaFilter::default()
            }),
            ["s3/IAM-01"]
        );
        assert_eq!(
            rows(AgendaFilter {
                assignee: AssigneeFilter::Kind("client_platform".into()),
                ..AgendaFilter::default()
            }),
            ["s3/IAM-01"]
        );
        assert!(
            !rows(AgendaFilter {
                assignee: AssigneeFilter::Unassigned,
                ..AgendaFilter::default()
            })
            .contains(&"s3/IAM-01".to_owned())
        );
        assert_eq!(
            rows(AgendaFilter {
                query: "HARDWARE KEY".into(),
                ..AgendaFilter::default()
            }),
            ["s3/IAM-01"],
            "the note is searched too"
        );
        let shared = rows(AgendaFilter {
            owners: vec![Owner::Shared],
            ..AgendaFilter::default()
        });
        assert!(!shared.is_empty());
        assert!(shared.iter().all(|k| {
            let (service, control) = k.rsplit_once('/').expect("key");
            catalog
                .cell(&catalog.parse_ref(service).expect("ref"), control)
                .is_some_and(|c| c.owner() == Owner::Shared)
        }));
        let groups = build(
            &catalog,
            &doc,
            AgendaGrouping::Domain,
            &AgendaFilter {
                statuses: vec![Status::Done],
                ..AgendaFilter::default()
            },
            &none,
        );
        let iam = groups.iter().find(|g| g.key == "IAM").expect("IAM group");
        assert_eq!(iam.progress.resolved, 1);
        assert!(iam.progress.total > 1, "progress counts hidden items too");
        assert_eq!(iam.hidden, iam.progress.total - 1);
    }
}
