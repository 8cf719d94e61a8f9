//! The matrix (controls x chosen columns), its filters, and the side-by-side comparison.

use super::catalog::{Catalog, ServiceRef};
use super::owner::Owner;
use std::collections::{BTreeMap, BTreeSet};

/// What the matrix shows. Empty sets mean "no filter".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Filters {
    /// Keep rows where at least one column has one of these owners.
    pub owners: BTreeSet<Owner>,
    /// Keep rows of these domains.
    pub domains: BTreeSet<String>,
    /// Text search: if it names some of the columns, only those columns are shown; otherwise it
    /// keeps the rows whose control (id, name, description) or cell text contains it.
    pub query: String,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        self.owners.is_empty() && self.domains.is_empty() && self.query.trim().is_empty()
    }

    /// Whether rows of this owner are shown: every owner is, when no owner is chosen.
    pub fn shows_owner(&self, owner: Owner) -> bool {
        self.owners.is_empty() || self.owners.contains(&owner)
    }

    /// Shows or hides one owner, as a chip that is on while its owner is shown: hiding one of
    /// all four keeps the other three; showing the last hidden one, or hiding the last shown
    /// one (an empty matrix helps nobody), shows every owner again.
    pub fn toggle_owner(&mut self, owner: Owner) {
        let all: BTreeSet<Owner> = Owner::ALL.into_iter().collect();
        toggle_shown(&mut self.owners, owner, &all);
    }

    /// Whether rows of this domain are shown: every domain is, when none is chosen.
    pub fn shows_domain(&self, domain: &str) -> bool {
        self.domains.is_empty() || self.domains.contains(domain)
    }

    /// Shows or hides one domain of `all`, like `toggle_owner`.
    pub fn toggle_domain(&mut self, domain: &str, all: &BTreeSet<String>) {
        toggle_shown(&mut self.domains, domain.to_owned(), all);
    }

    /// Exactly Customer and Shared are shown (presenter mode's "customer and shared only").
    pub fn customer_and_shared_only(&self) -> bool {
        self.owners == BTreeSet::from([Owner::Customer, Owner::Shared])
    }
}

/// `chosen` is the set shown (empty: all of `all`). Flips `item`, then keeps the set in its
/// plain form: all or none shown is written as empty.
fn toggle_shown<T: Ord + Clone>(chosen: &mut BTreeSet<T>, item: T, all: &BTreeSet<T>) {
    if chosen.is_empty() {
        chosen.clone_from(all);
    }
    if !chosen.remove(&item) {
        chosen.insert(item);
    }
    if chosen.is_empty() || all.iter().all(|x| chosen.contains(x)) {
        chosen.clear();
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// Index into `Catalog::controls`.
    pub control: usize,
    /// One entry per visible column.
    pub owners: Vec<Owner>,
    pub inherited: Vec<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainGroup {
    pub domain: String,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub columns: Vec<ServiceRef>,
    pub groups: Vec<DomainGroup>,
    /// Rows hidden by the filters.
    pub hidden_rows: usize,
    /// Columns hidden because the search named other columns.
    pub hidden_columns: usize,
}

impl Matrix {
    /// Builds the matrix for `scope` (columns in the given order) under `filters`. Refs that
    /// are not in the catalog are skipped.
    pub fn build(catalog: &Catalog, scope: &[ServiceRef], filters: &Filters) -> Matrix {
        let query = filters.query.trim().to_lowercase();
        let mut columns: Vec<ServiceRef> = scope
            .iter()
            .filter(|r| catalog.tier_of(r).is_some())
            .cloned()
            .collect();
        let mut hidden_columns = 0;
        let mut row_query = query.as_str();
        if !query.is_empty() {
            let named: Vec<ServiceRef> = columns
                .iter()
                .filter(|r| {
                    r.key().contains(&query)
                        || catalog.display_name(r).to_lowercase().contains(&query)
                })
                .cloned()
                .collect();
            if !named.is_empty() {
                hidden_columns = columns.len() - named.len();
                columns = named;
                row_query = "";
            }
        }
        let mut groups: Vec<DomainGroup> = catalog
            .domains
            .iter()
            .map(|d| DomainGroup {
                domain: d.id.clone(),
                rows: Vec::new(),
            })
            .collect();
        let mut hidden_rows = 0;
        for (index, control) in catalog.controls.iter().enumerate() {
            let cells: Vec<_> = columns
                .iter()
                .filter_map(|c| catalog.cell(c, &control.id))
                .collect();
            let owners: Vec<Owner> = cells.iter().map(super::catalog::Cell::owner).collect();
            let keep_domain =
                filters.domains.is_empty() || filters.domains.contains(&control.domain);
            let keep_owner =
                filters.owners.is_empty() || owners.iter().any(|o| filters.owners.contains(o));
            let keep_text = row_query.is_empty()
                || control.id.to_lowercase().contains(row_query)
                || control.name.to_lowercase().contains(row_query)
                || control.description.to_lowercase().contains(row_query)
                || cells.iter().any(|c| {
                    c.data.aws_does.to_lowercase().contains(row_query)
                        || c.data.customer_does.to_lowercase().contains(row_query)
                });
            if !(keep_domain && keep_owner && keep_text) {
                hidden_rows += 1;
                continue;
            }
            let row = MatrixRow {
                control: index,
                inherited: cells.iter().map(super::catalog::Cell::inherited).collect(),
                owners,
            };
            if let Some(group) = groups.iter_mut().find(|g| g.domain == control.domain) {
                group.rows.push(row);
            }
        }
        groups.retain(|g| !g.rows.is_empty());
        Matrix {
            columns,
            groups,
            hidden_rows,
            hidden_columns,
        }
    }

    pub fn row_count(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }

    /// Owner counts per visible column, over the visible rows.
    pub fn owner_counts(&self) -> Vec<BTreeMap<Owner, usize>> {
        let mut counts = vec![BTreeMap::new(); self.columns.len()];
        for row in self.groups.iter().flat_map(|g| &g.rows) {
            for (col, owner) in row.owners.iter().enumerate() {
                *counts[col].entry(*owner).or_insert(0) += 1;
            }
        }
        counts
    }
}

/// Owner counts for one column over all controls.
pub fn owner_totals(catalog: &Catalog, column: &ServiceRef) -> BTreeMap<Owner, usize> {
    let mut counts = BTreeMap::new();
    for control in &catalog.controls {
        if let Some(cell) = catalog.cell(column, &control.id) {
            *counts.entry(cell.owner()).or_insert(0) += 1;
        }
    }
    counts
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareRow {
    pub control: usize,
    pub owners: Vec<Owner>,
    /// Not every column has the same owner.
    pub differs: bool,
}

/// What moves between two consecutive columns of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub from: ServiceRef,
    pub to: ServiceRef,
    /// (owner before, owner after) -> number of controls, only where they differ.
    pub moves: BTreeMap<(Owner, Owner), usize>,
}

impl Shift {
    /// Controls that leave the customer's plate entirely (customer or shared -> AWS or n/a).
    pub fn relieved(&self) -> usize {
        self.moves
            .iter()
            .filter(|((a, b), _)| a.customer_involved() && !b.customer_involved())
            .map(|(_, n)| n)
            .sum()
    }
    /// Controls the customer takes on (AWS or n/a -> customer or shared).
    pub fn taken_on(&self) -> usize {
        self.moves
            .iter()
            .filter(|((a, b), _)| !a.customer_involved() && b.customer_involved())
            .map(|(_, n)| n)
            .sum()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    pub columns: Vec<ServiceRef>,
    pub rows: Vec<CompareRow>,
    pub totals: Vec<BTreeMap<Owner, usize>>,
    pub shifts: Vec<Shift>,
}

impl Comparison {
    pub fn build(catalog: &Catalog, columns: &[ServiceRef]) -> Comparison {
        let columns: Vec<ServiceRef> = columns
            .iter()
            .filter(|r| catalog.tier_of(r).is_some())
            .cloned()
            .collect();
        let rows: Vec<CompareRow> = catalog
            .controls
            .iter()
            .enumerate()
            .map(|(index, control)| {
                let owners: Vec<Owner> = columns
                    .iter()
                    .filter_map(|c| catalog.cell(c, &control.id))
                    .map(|c| c.owner())
                    .collect();
                let differs = owners.windows(2).any(|w| w[0] != w[1]);
                CompareRow {
                    control: index,
                    owners,
                    differs,
                }
            })
            .collect();
        let totals = columns.iter().map(|c| owner_totals(catalog, c)).collect();
        let shifts = columns
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let mut moves = BTreeMap::new();
                for row in &rows {
                    let (a, b) = (row.owners[i], row.owners[i + 1]);
                    if a != b {
                        *moves.entry((a, b)).or_insert(0) += 1;
                    }
                }
                Shift {
                    from: pair[0].clone(),
                    to: pair[1].clone(),
                    moves,
                }
            })
            .collect();
        Comparison {
            columns,
            rows,
            totals,
            shifts,
        }
    }

    pub fn differing_rows(&self) -> usize {
        self.rows.iter().filter(|r| r.differs).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(catalog: &Catalog, list: &str) -> Vec<ServiceRef> {
        catalog.parse_refs(list).expect("known services")
    }

    #[test]
    fn owner_chips_are_on_while_their_owner_is_shown() {
        let mut f = Filters::default();
        assert!(Owner::ALL.iter().all(|o| f.shows_owner(*o)));
        // Hiding AWS keeps the other three.
        f.toggle_owner(Owner::Aws);
        assert!(!f.shows_owner(Owner::Aws));
        assert!(f.shows_owner(Owner::Customer) && f.shows_owner(Owner::NotApplicable));
        f.toggle_owner(Owner::NotApplicable);
        assert!(f.customer_and_shared_only());
        // Showing AWS again, then Not applicable: every owner, no filter.
        f.toggle_owner(Owner::Aws);
        f.toggle_owner(Owner::NotApplicable);
        assert!(f.is_empty());
        // Hiding all four one by one ends with every owner shown, not an empty matrix.
        for owner in Owner::ALL {
            f.toggle_owner(owner);
        }
        assert!(f.is_empty() && f.shows_owner(Owner::Shared));
    }

    #[test]
    fn domain_boxes_are_checked_while_their_domain_is_shown() {
        let all: BTreeSet<String> = ["IAM", "NET", "INF"].map(String::from).into();
        let mut f = Filters::default();
        assert!(f.shows_domain("NET"));
        f.toggle_domain("NET", &all);
        assert!(!f.shows_domain("NET") && f.shows_domain("IAM"));
        assert_eq!(f.domains.len(), 2);
        f.toggle_domain("NET", &all);
        assert!(f.domains.is_empty());
    }

    #[test]
    fn unfiltered_matrix_has_every_control() {
        let catalog = Catalog::bundled();
        let m = Matrix::build(&catalog, &refs(&catalog, "ec2,s3,rds"), &Filters::default());
        assert_eq!(m.row_count(), catalog.controls.len());
        assert_eq!(m.columns.len(), 3);
        assert_eq!(m.hidden_rows, 0);
    }

    #[test]
    fn owner_filter_drops_rows_owned_only_by_aws() {
        let catalog = Catalog::bundled();
        let filters = Filters {
            owners: [Owner::Customer, Owner::Shared].into(),
            ..Filters::default()
        };
        let m = Matrix::build(&catalog, &refs(&catalog, "ec2,s3"), &filters);
        assert!(m.hidden_rows > 0, "INF-01 is AWS's everywhere and must go");
        for row in m.groups.iter().flat_map(|g| &g.rows) {
            assert!(row.owners.iter().any(|o| o.customer_involved()));
        }
        assert!(
            !m.groups
                .iter()
                .flat_map(|g| &g.rows)
                .any(|r| catalog.controls[r.control].id == "INF-01")
        );
    }

    #[test]
    fn domain_filter_keeps_only_that_domain() {
        let catalog = Catalog::bundled();
        let filters = Filters {
            domains: ["NET".to_owned()].into(),
            ..Filters::default()
        };
        let m = Matrix::build(&catalog, &refs(&catalog, "ec2"), &filters);
        assert_eq!(m.groups.len(), 1);
        assert_eq!(m.groups[0].domain, "NET");
    }

    #[test]
    fn search_naming_a_service_narrows_columns() {
        let catalog = Catalog::bundled();
        let filters = Filters {
            query: "lambda".into(),
            ..Filters::default()
        };
        let m = Matrix::build(&catalog, &refs(&catalog, "ec2,s3,lambda"), &filters);
        assert_eq!(m.columns.len(), 1);
        assert_eq!(m.hidden_columns, 2);
        assert_eq!(m.row_count(), catalog.controls.len());
    }

    #[test]
    fn search_for_control_text_narrows_rows() {
        let catalog = Catalog::bundled();
        let filters = Filters {
            query: "hypervisor".into(),
            ..Filters::default()
        };
        let m = Matrix::build(&catalog, &refs(&catalog, "ec2,s3"), &filters);
        assert!(
            m.row_count() >= 1 && m.row_count() < 10,
            "{}",
            m.row_count()
        );
        assert!(
            m.groups
                .iter()
                .flat_map(|g| &g.rows)
                .any(|r| catalog.controls[r.control].id == "INF-04")
        );
    }

    #[test]
    fn comparison_flags_rows_whose_owner_differs() {
        let catalog = Catalog::bundled();
        let cmp = Comparison::build(&catalog, &refs(&catalog, "ec2,lambda"));
        let cvm01 = cmp
            .rows
            .iter()
            .find(|r| catalog.controls[r.control].id == "CVM-01")
            .expect("row");
        assert_eq!(cvm01.owners, vec![Owner::Customer, Owner::Aws]);
        assert!(cvm01.differs);
        let inf01 = cmp
            .rows
            .iter()
            .find(|r| catalog.controls[r.control].id == "INF-01")
            .expect("row");
        assert!(!inf01.differs);
        assert_eq!(cmp.shifts.len(), 1);
        assert!(cmp.shifts[0].relieved() >= 1);
        let moved: usize = cmp.shifts[0].moves.values().sum();
        assert_eq!(moved, cmp.differing_rows());
    }
}
