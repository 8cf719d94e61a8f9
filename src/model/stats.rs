//! Counts over a catalog, for `demarc catalog stats`: how big it is, how much of it is written
//! for each service rather than inherited from the tier defaults, how much is cited, and how
//! much needs re-checking. Pure: "today" is an input.

use super::catalog::{Catalog, TierSource};
use super::date::older_than_months;
use super::owner::{Owner, Tier};
use serde::Serialize;

/// A cell is stale when its `last_verified` date is more than this many months before today
/// (the GUI marks the same cells).
pub const STALE_AFTER_MONTHS: i64 = 12;

/// The figures of one catalog. Cell counts are over resolved cells: every column (a service, or
/// each of its variants) times every control, so a service-level cell counts once per variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogStats {
    pub catalog_version: String,
    pub catalog_date: String,
    /// The date staleness is measured from.
    pub today: String,
    pub services: usize,
    /// Variants over all services (a service without variants has none).
    pub variants: usize,
    /// Matrix columns: each service's variants, or the bare service.
    pub columns: usize,
    pub controls: usize,
    /// `columns` x `controls`.
    pub cells: usize,
    /// Cells written in a service file (for the service or the variant), not inherited from the
    /// tier defaults.
    pub specific_cells: usize,
    /// Specific cells citing at least one source.
    pub cited_cells: usize,
    /// Cell entries as written in the service files (a service-level entry counts once).
    pub written_cells: usize,
    /// Specific cells whose `last_verified` is more than [`STALE_AFTER_MONTHS`] before `today`.
    pub stale_cells: usize,
    pub stale_after_months: i64,
    pub tier_source: TierSourceCounts,
    /// One row per tier, in `I`, `C`, `A` order, including empty tiers.
    pub tiers: Vec<TierCounts>,
    /// One row per owner, in [`Owner::ALL`] order, including owners with no cells.
    pub owners: Vec<OwnerCounts>,
    /// The release before this one, as recorded in `catalog.json`: its version, date and cells.
    pub previous: Option<PreviousFigures>,
}

/// What the release before this one had, for the before/after columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousFigures {
    pub version: String,
    pub date: String,
    pub cells: usize,
}

/// How many services have their tier confirmed from AWS documentation, and how many take it
/// from the decision rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TierSourceCounts {
    pub documented: usize,
    pub rule: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierCounts {
    pub tier: Tier,
    /// Services whose own tier this is.
    pub services: usize,
    /// Columns whose effective tier this is (a variant may set its own: `rds/custom` is `I`).
    pub columns: usize,
    /// Specific cells in those columns.
    pub specific_cells: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerCounts {
    pub owner: Owner,
    /// Resolved cells over all columns with this owner.
    pub cells: usize,
    /// The same count in the previous release, when `catalog.json` records it.
    pub previous_cells: Option<usize>,
}

impl CatalogStats {
    /// Counts everything in one pass over the resolved cells. `today` is `YYYY-MM-DD`; with an
    /// unparseable date nothing is stale.
    pub fn compute(catalog: &Catalog, today: &str) -> CatalogStats {
        let columns = catalog.all_refs();
        let mut tiers: Vec<TierCounts> = Tier::ALL
            .into_iter()
            .map(|tier| TierCounts {
                tier,
                services: catalog.services.iter().filter(|s| s.tier == tier).count(),
                columns: 0,
                specific_cells: 0,
            })
            .collect();
        let mut owners: Vec<OwnerCounts> = Owner::ALL
            .into_iter()
            .map(|owner| OwnerCounts {
                owner,
                cells: 0,
                previous_cells: catalog.info.previous.as_ref().map(|p| p.owner_cells(owner)),
            })
            .collect();
        let (mut cells, mut specific_cells, mut cited_cells, mut stale_cells) = (0, 0, 0, 0);
        for column in &columns {
            let tier_row = catalog
                .tier_of(column)
                .and_then(|tier| tiers.iter_mut().find(|row| row.tier == tier));
            let mut column_specific = 0;
            for control in &catalog.controls {
                let Some(cell) = catalog.cell(column, &control.id) else {
                    continue;
                };
                cells += 1;
                if let Some(row) = owners.iter_mut().find(|row| row.owner == cell.owner()) {
                    row.cells += 1;
                }
                if cell.inherited() {
                    continue;
                }
                column_specific += 1;
                if !cell.data.sources.is_empty() {
                    cited_cells += 1;
                }
                if cell
                    .data
                    .last_verified
                    .as_deref()
                    .is_some_and(|date| older_than_months(date, today, STALE_AFTER_MONTHS))
                {
                    stale_cells += 1;
                }
            }
            specific_cells += column_specific;
            if let Some(row) = tier_row {
                row.columns += 1;
                row.specific_cells += column_specific;
            }
        }
        let documented = catalog
            .services
            .iter()
            .filter(|s| s.tier_source == TierSource::Documented)
            .count();
        CatalogStats {
            catalog_version: catalog.info.version.clone(),
            catalog_date: catalog.info.date.clone(),
            today: today.to_owned(),
            services: catalog.services.len(),
            variants: catalog.services.iter().map(|s| s.variants.len()).sum(),
            columns: columns.len(),
            controls: catalog.controls.len(),
            cells,
            specific_cells,
            cited_cells,
            written_cells: catalog
                .services
                .iter()
                .map(|s| s.cells.len() + s.variants.iter().map(|v| v.cells.len()).sum::<usize>())
                .sum(),
            stale_cells,
            stale_after_months: STALE_AFTER_MONTHS,
            tier_source: TierSourceCounts {
                documented,
                rule: catalog.services.len() - documented,
            },
            tiers,
            owners,
            previous: catalog.info.previous.as_ref().map(|p| PreviousFigures {
                version: p.version.clone(),
                date: p.date.clone(),
                cells: p.cells,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture catalog of `tests/fixtures/catalog`: `alpha` (tier I, no variants, two cells,
    /// one verified 2024-01-01) and `beta` (tier A, variants `managed`* and `self`, tier I, with
    /// one `CVM-01` cell).
    fn fixture() -> Catalog {
        let files = [
            (
                "catalog.json",
                include_str!("../../tests/fixtures/catalog/catalog.json"),
            ),
            (
                "controls.json",
                include_str!("../../tests/fixtures/catalog/controls.json"),
            ),
            (
                "tiers.json",
                include_str!("../../tests/fixtures/catalog/tiers.json"),
            ),
            (
                "services/alpha.json",
                include_str!("../../tests/fixtures/catalog/services/alpha.json"),
            ),
            (
                "services/beta.json",
                include_str!("../../tests/fixtures/catalog/services/beta.json"),
            ),
        ];
        Catalog::from_files(files).expect("the fixture catalog is valid")
    }

    fn tier(stats: &CatalogStats, tier: Tier) -> &TierCounts {
        stats
            .tiers
            .iter()
            .find(|row| row.tier == tier)
            .expect("every tier has a row")
    }

    fn owner(stats: &CatalogStats, owner: Owner) -> usize {
        stats
            .owners
            .iter()
            .find(|row| row.owner == owner)
            .expect("every owner has a row")
            .cells
    }

    #[test]
    fn counts_the_fixture_by_hand() {
        let stats = CatalogStats::compute(&fixture(), "2026-11-28");
        assert_eq!(stats.catalog_version, "9.9.9");
        assert_eq!(stats.catalog_date, "2026-01-31");
        assert_eq!(stats.services, 2);
        assert_eq!(stats.variants, 2);
        // alpha, beta/managed, beta/self.
        assert_eq!(stats.columns, 3);
        assert_eq!(stats.controls, 42);
        assert_eq!(stats.cells, 3 * 42);
        // alpha: IAM-01, NET-04; beta/self: CVM-01.
        assert_eq!(stats.specific_cells, 3);
        assert_eq!(stats.cited_cells, 3);
        assert_eq!(stats.written_cells, 3);
        // alpha NET-04 was verified 2024-01-01.
        assert_eq!(stats.stale_cells, 1);
        assert_eq!(
            stats.tier_source,
            TierSourceCounts {
                documented: 1,
                rule: 1
            }
        );
        // Services by their own tier; columns and cells by the column's tier (beta/self is I).
        assert_eq!(
            (
                tier(&stats, Tier::I).services,
                tier(&stats, Tier::I).columns
            ),
            (1, 2)
        );
        assert_eq!(tier(&stats, Tier::I).specific_cells, 3);
        assert_eq!(
            (
                tier(&stats, Tier::A).services,
                tier(&stats, Tier::A).columns
            ),
            (1, 1)
        );
        assert_eq!(tier(&stats, Tier::A).specific_cells, 0);
        assert_eq!(
            tier(&stats, Tier::C),
            &TierCounts {
                tier: Tier::C,
                services: 0,
                columns: 0,
                specific_cells: 0
            }
        );
        let owner_total: usize = stats.owners.iter().map(|row| row.cells).sum();
        assert_eq!(owner_total, stats.cells);
    }

    #[test]
    fn owners_follow_the_resolved_cells() {
        let catalog = fixture();
        let stats = CatalogStats::compute(&catalog, "2026-11-28");
        for o in Owner::ALL {
            let expected = catalog
                .all_refs()
                .iter()
                .flat_map(|r| catalog.controls.iter().map(move |c| (r, c)))
                .filter(|(r, c)| catalog.cell(r, &c.id).expect("resolves").owner() == o)
                .count();
            assert_eq!(owner(&stats, o), expected, "{o}");
        }
        // The fixture's tier I default for CVM-01 is customer, and beta/self says customer too,
        // while beta/managed (tier A) inherits aws: at least one cell of each.
        assert!(owner(&stats, Owner::Aws) > 0);
        assert!(owner(&stats, Owner::Customer) > 0);
    }

    #[test]
    fn staleness_depends_on_today() {
        let catalog = fixture();
        // Twelve months after 2024-01-01 is not yet stale; a day later it is.
        assert_eq!(CatalogStats::compute(&catalog, "2025-01-01").stale_cells, 0);
        assert_eq!(CatalogStats::compute(&catalog, "2025-01-02").stale_cells, 1);
        // By 2027-02-01 the 2026-01-31 cells are stale too.
        assert_eq!(CatalogStats::compute(&catalog, "2027-02-01").stale_cells, 3);
        assert_eq!(CatalogStats::compute(&catalog, "not a date").stale_cells, 0);
    }

    #[test]
    fn a_service_cell_counts_once_per_variant_column() {
        let mut catalog = fixture();
        let beta = catalog
            .services
            .iter_mut()
            .find(|s| s.id == "beta")
            .expect("beta");
        let cell = beta.variants[1].cells["CVM-01"].clone();
        beta.cells.insert("LOG-01".to_owned(), cell);
        let stats = CatalogStats::compute(&catalog, "2026-11-28");
        assert_eq!(stats.written_cells, 4);
        // The new service-level LOG-01 cell resolves in beta/managed and beta/self.
        assert_eq!(stats.specific_cells, 5);
        assert_eq!(tier(&stats, Tier::A).specific_cells, 1);
    }

    #[test]
    fn the_previous_release_rides_along_per_owner() {
        let mut catalog = fixture();
        assert_eq!(CatalogStats::compute(&catalog, "2026-11-28").previous, None);
        catalog.info.previous = Some(crate::model::catalog::PreviousRelease {
            version: "0.0.9".to_owned(),
            date: "2026-01-01".to_owned(),
            cells: 10,
            aws: 1,
            shared: 2,
            customer: 3,
            not_applicable: 4,
        });
        let stats = CatalogStats::compute(&catalog, "2026-11-28");
        let previous: Vec<Option<usize>> = stats.owners.iter().map(|o| o.previous_cells).collect();
        // Owner::ALL order: AWS, Shared, Customer, Not applicable.
        assert_eq!(previous, [Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!(
            stats.previous.map(|p| (p.version, p.cells)),
            Some(("0.0.9".to_owned(), 10))
        );
    }
}
