//! What changed between two catalogs, for `demarc catalog diff` and for reviewing a data change:
//! services, variants and controls added or removed, and every resolved cell whose owner or text
//! changed. Pure: the caller loads both catalogs.
//!
//! Cells are compared after resolution, so an edit to a tier default shows up in every column
//! that inherits it, and moving text from a service to a variant without changing it is no
//! change. A column is matched by its key (`rds/custom`); when a service gains or loses variants,
//! its bare column is matched with the other side's default variant, the way a bare id on the
//! command line means the default variant.

use super::catalog::{Catalog, CatalogInfo, CellData, Origin, Service, ServiceRef};
use super::owner::Owner;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatalogDiff {
    pub old: CatalogInfo,
    pub new: CatalogInfo,
    /// Service ids, sorted.
    pub services_added: Vec<String>,
    pub services_removed: Vec<String>,
    /// `service/variant` keys of services present in both catalogs, sorted.
    pub variants_added: Vec<String>,
    pub variants_removed: Vec<String>,
    /// Control ids, in catalog order.
    pub controls_added: Vec<String>,
    pub controls_removed: Vec<String>,
    /// Cells of columns and controls present in both catalogs whose owner or text changed, in
    /// the new catalog's column order (services by id, variants as listed), then control order.
    pub cells: Vec<CellChange>,
}

impl CatalogDiff {
    /// True when nothing the diff looks at changed (the versions may still differ).
    pub fn is_empty(&self) -> bool {
        self.services_added.is_empty()
            && self.services_removed.is_empty()
            && self.variants_added.is_empty()
            && self.variants_removed.is_empty()
            && self.controls_added.is_empty()
            && self.controls_removed.is_empty()
            && self.cells.is_empty()
    }
}

/// A part of a cell the diff compares. `last_verified` alone is not a change: re-verifying a
/// cell does not change what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CellField {
    Owner,
    AwsDoes,
    CustomerDoes,
    Sources,
}

impl CellField {
    pub fn as_str(self) -> &'static str {
        match self {
            CellField::Owner => "owner",
            CellField::AwsDoes => "aws_does",
            CellField::CustomerDoes => "customer_does",
            CellField::Sources => "sources",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    /// The new catalog's column key (`rds/custom`, `s3`).
    pub column: String,
    /// The old catalog's key when it differs (a bare column matched with a default variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_column: Option<String>,
    pub control: String,
    /// What changed, in field order; never empty.
    pub changed: Vec<CellField>,
    pub old: CellSide,
    pub new: CellSide,
}

impl CellChange {
    /// The owner change, if the owner changed.
    pub fn owner_change(&self) -> Option<(Owner, Owner)> {
        (self.old.cell.owner != self.new.cell.owner)
            .then_some((self.old.cell.owner, self.new.cell.owner))
    }
}

/// One side of a changed cell: its content and whether it was written for the variant, the
/// service, or inherited from the tier defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellSide {
    pub origin: OriginLabel,
    #[serde(flatten)]
    pub cell: CellData,
}

/// [`Origin`] as written in the diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginLabel {
    Variant,
    Service,
    TierDefault,
}

impl From<Origin> for OriginLabel {
    fn from(origin: Origin) -> Self {
        match origin {
            Origin::Variant => OriginLabel::Variant,
            Origin::Service => OriginLabel::Service,
            Origin::TierDefault => OriginLabel::TierDefault,
        }
    }
}

impl OriginLabel {
    pub fn as_str(self) -> &'static str {
        match self {
            OriginLabel::Variant => "variant",
            OriginLabel::Service => "service",
            OriginLabel::TierDefault => "tier default",
        }
    }
}

impl CatalogDiff {
    pub fn between(old: &Catalog, new: &Catalog) -> CatalogDiff {
        let old_ids: BTreeSet<&str> = old.services.iter().map(|s| s.id.as_str()).collect();
        let new_ids: BTreeSet<&str> = new.services.iter().map(|s| s.id.as_str()).collect();
        let mut variants_added = Vec::new();
        let mut variants_removed = Vec::new();
        let mut pairs: Vec<(ServiceRef, ServiceRef)> = Vec::new();
        for new_service in &new.services {
            let Some(old_service) = old.service(&new_service.id) else {
                continue;
            };
            variants_added.extend(variant_keys_missing_from(new_service, old_service));
            variants_removed.extend(variant_keys_missing_from(old_service, new_service));
            pairs.extend(column_pairs(old, old_service, new, new_service));
        }
        variants_added.sort();
        variants_removed.sort();

        let old_controls: BTreeSet<&str> = old.controls.iter().map(|c| c.id.as_str()).collect();
        let new_controls: BTreeSet<&str> = new.controls.iter().map(|c| c.id.as_str()).collect();
        let mut cells = Vec::new();
        for (old_ref, new_ref) in &pairs {
            for control in new
                .controls
                .iter()
                .filter(|c| old_controls.contains(c.id.as_str()))
            {
                let (Some(before), Some(after)) = (
                    old.cell(old_ref, &control.id),
                    new.cell(new_ref, &control.id),
                ) else {
                    continue;
                };
                let changed = changed_fields(before.data, after.data);
                if changed.is_empty() {
                    continue;
                }
                cells.push(CellChange {
                    column: new_ref.key(),
                    old_column: (old_ref != new_ref).then(|| old_ref.key()),
                    control: control.id.clone(),
                    changed,
                    old: CellSide {
                        origin: before.origin.into(),
                        cell: before.data.clone(),
                    },
                    new: CellSide {
                        origin: after.origin.into(),
                        cell: after.data.clone(),
                    },
                });
            }
        }
        CatalogDiff {
            old: old.info.clone(),
            new: new.info.clone(),
            services_added: new_ids
                .difference(&old_ids)
                .map(|s| (*s).to_owned())
                .collect(),
            services_removed: old_ids
                .difference(&new_ids)
                .map(|s| (*s).to_owned())
                .collect(),
            variants_added,
            variants_removed,
            controls_added: new
                .controls
                .iter()
                .filter(|c| !old_controls.contains(c.id.as_str()))
                .map(|c| c.id.clone())
                .collect(),
            controls_removed: old
                .controls
                .iter()
                .filter(|c| !new_controls.contains(c.id.as_str()))
                .map(|c| c.id.clone())
                .collect(),
            cells,
        }
    }
}

/// `service/variant` keys of `service`'s variants that `other` lacks.
fn variant_keys_missing_from(service: &Service, other: &Service) -> Vec<String> {
    service
        .variants
        .iter()
        .filter(|v| other.variant(&v.id).is_none())
        .map(|v| format!("{}/{}", service.id, v.id))
        .collect()
}

/// The (old, new) columns of one service present in both catalogs that describe the same thing.
fn column_pairs(
    old: &Catalog,
    old_service: &Service,
    new: &Catalog,
    new_service: &Service,
) -> Vec<(ServiceRef, ServiceRef)> {
    match (
        old_service.variants.is_empty(),
        new_service.variants.is_empty(),
    ) {
        (true, true) => vec![(old.default_ref(old_service), new.default_ref(new_service))],
        // Variants appeared or disappeared: the bare column is the default variant's.
        (true, false) | (false, true) => {
            vec![(old.default_ref(old_service), new.default_ref(new_service))]
        }
        (false, false) => new_service
            .variants
            .iter()
            .filter(|v| old_service.variant(&v.id).is_some())
            .map(|v| {
                let r = ServiceRef::new(&new_service.id, Some(&v.id));
                (r.clone(), r)
            })
            .collect(),
    }
}

fn changed_fields(old: &CellData, new: &CellData) -> Vec<CellField> {
    let mut changed = Vec::new();
    if old.owner != new.owner {
        changed.push(CellField::Owner);
    }
    if old.aws_does != new.aws_does {
        changed.push(CellField::AwsDoes);
    }
    if old.customer_does != new.customer_does {
        changed.push(CellField::CustomerDoes);
    }
    if old.sources != new.sources {
        changed.push(CellField::Sources);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Variant;

    fn bundled_pair() -> (Catalog, Catalog) {
        let catalog = Catalog::bundled();
        (catalog.clone(), catalog)
    }

    fn service_mut<'a>(catalog: &'a mut Catalog, id: &str) -> &'a mut Service {
        catalog
            .services
            .iter_mut()
            .find(|s| s.id == id)
            .expect("service exists")
    }

    #[test]
    fn a_catalog_has_no_diff_with_itself() {
        let (old, new) = bundled_pair();
        let diff = CatalogDiff::between(&old, &new);
        assert!(diff.is_empty(), "{diff:#?}");
        assert_eq!(diff.old, diff.new);
    }

    #[test]
    fn an_owner_change_in_a_service_cell_shows_in_every_variant_column() {
        let (old, mut new) = bundled_pair();
        let rds = service_mut(&mut new, "rds");
        let cell = rds
            .cells
            .get_mut("IAM-02")
            .expect("rds has a specific IAM-02 cell");
        let before = cell.owner;
        cell.owner = Owner::Shared;
        assert_ne!(before, Owner::Shared, "the test must change the owner");
        let diff = CatalogDiff::between(&old, &new);
        let columns: Vec<(&str, &str)> = diff
            .cells
            .iter()
            .map(|c| (c.column.as_str(), c.control.as_str()))
            .collect();
        // A variant may override IAM-02 itself; every column that resolves to the service cell
        // changes, in column order.
        let keys: Vec<String> = new
            .all_refs()
            .into_iter()
            .filter(|r| {
                r.service == "rds"
                    && new.cell(r, "IAM-02").expect("resolves").origin == Origin::Service
            })
            .map(|r| r.key())
            .collect();
        let expected: Vec<(&str, &str)> = keys.iter().map(|k| (k.as_str(), "IAM-02")).collect();
        assert!(!expected.is_empty());
        assert_eq!(columns, expected);
        let change = &diff.cells[0];
        assert_eq!(change.changed, [CellField::Owner]);
        assert_eq!(change.owner_change(), Some((before, Owner::Shared)));
        assert_eq!(change.old.origin, OriginLabel::Service);
        assert!(diff.services_added.is_empty() && diff.variants_added.is_empty());
    }

    #[test]
    fn text_and_source_changes_are_named_but_reverification_is_not() {
        let (old, mut new) = bundled_pair();
        let s3 = service_mut(&mut new, "s3");
        let (control, cell) = s3.cells.iter_mut().next().expect("s3 has specific cells");
        let control = control.clone();
        cell.customer_does.push_str(" Changed.");
        cell.sources
            .push("https://docs.aws.amazon.com/AmazonS3/latest/userguide/new.html".to_owned());
        cell.last_verified = Some("2099-01-01".to_owned());
        let ec2 = service_mut(&mut new, "ec2");
        let cell = ec2
            .cells
            .values_mut()
            .next()
            .expect("ec2 has specific cells");
        cell.last_verified = Some("2099-01-01".to_owned());
        let diff = CatalogDiff::between(&old, &new);
        assert_eq!(diff.cells.len(), 1, "{:#?}", diff.cells);
        assert_eq!(diff.cells[0].column, "s3");
        assert_eq!(diff.cells[0].control, control);
        assert_eq!(
            diff.cells[0].changed,
            [CellField::CustomerDoes, CellField::Sources]
        );
        assert_eq!(diff.cells[0].owner_change(), None);
    }

    #[test]
    fn a_tier_default_change_reaches_every_inheriting_column() {
        let (old, mut new) = bundled_pair();
        let tier = crate::model::Tier::A;
        new.tier_defaults
            .get_mut(&tier)
            .and_then(|cells| cells.get_mut("APP-01"))
            .expect("tier A has APP-01")
            .aws_does
            .push_str(" Changed.");
        let inheriting: Vec<String> = new
            .all_refs()
            .into_iter()
            .filter(|r| {
                let cell = new.cell(r, "APP-01").expect("resolves");
                cell.inherited() && new.tier_of(r) == Some(tier)
            })
            .map(|r| r.key())
            .collect();
        let diff = CatalogDiff::between(&old, &new);
        let changed: Vec<String> = diff.cells.iter().map(|c| c.column.clone()).collect();
        assert_eq!(changed, inheriting);
        assert!(
            diff.cells
                .iter()
                .all(|c| c.old.origin == OriginLabel::TierDefault)
        );
    }

    #[test]
    fn added_and_removed_services_variants_and_controls_are_listed() {
        let (old, mut new) = bundled_pair();
        new.services.retain(|s| s.id != "bedrock");
        let mut extra = new.service("sqs").expect("sqs").clone();
        extra.id = "zz-new".to_owned();
        new.services.push(extra);
        let lambda = service_mut(&mut new, "lambda");
        lambda.variants.retain(|v| v.id != "container-image");
        let mut variant: Variant = lambda.variants[0].clone();
        variant.id = "snapstart".to_owned();
        variant.default = false;
        lambda.variants.push(variant);
        new.controls.retain(|c| c.id != "IRR-06");
        // Rebuild the indexes the way a loaded catalog has them.
        let new = reassemble(&new);
        let diff = CatalogDiff::between(&old, &new);
        assert_eq!(diff.services_added, ["zz-new"]);
        assert_eq!(diff.services_removed, ["bedrock"]);
        assert_eq!(diff.variants_added, ["lambda/snapstart"]);
        assert_eq!(diff.variants_removed, ["lambda/container-image"]);
        assert!(diff.controls_added.is_empty());
        assert_eq!(diff.controls_removed, ["IRR-06"]);
        // Nothing else changed: no cell of a column present in both differs.
        assert!(diff.cells.is_empty(), "{:#?}", diff.cells);
    }

    #[test]
    fn a_bare_column_is_matched_with_the_new_default_variant() {
        let (mut old, new) = bundled_pair();
        // A service whose default variant has cells of its own and keeps the service's tier.
        let service_id = new
            .services
            .iter()
            .find(|s| {
                s.default_variant()
                    .is_some_and(|v| !v.cells.is_empty() && v.tier.is_none())
            })
            .expect("some default variant has cells")
            .id
            .clone();
        // Pretend the service had no variants before: its service cells plus the tier defaults.
        let service = service_mut(&mut old, &service_id);
        let default = service.default_variant().expect("has a default").clone();
        service.variants.clear();
        let old = reassemble(&old);
        let diff = CatalogDiff::between(&old, &new);
        let mut added: Vec<String> = new
            .service(&service_id)
            .expect("present")
            .variants
            .iter()
            .map(|v| format!("{service_id}/{}", v.id))
            .collect();
        added.sort();
        assert_eq!(diff.variants_added, added);
        // Exactly the cells written for the default variant that say something else than the
        // bare column did.
        let bare = ServiceRef::new(&service_id, None);
        let mut expected: Vec<&str> = default
            .cells
            .iter()
            .filter(|(id, cell)| {
                let before = old.cell(&bare, id).expect("resolves");
                !changed_fields(before.data, cell).is_empty()
            })
            .map(|(id, _)| id.as_str())
            .collect();
        expected.sort_by_key(|id| new.control_position(id));
        let changed: Vec<&str> = diff.cells.iter().map(|c| c.control.as_str()).collect();
        assert!(!expected.is_empty());
        assert_eq!(changed, expected);
        let new_key = format!("{service_id}/{}", default.id);
        assert!(diff.cells.iter().all(|c| {
            c.column == new_key && c.old_column.as_deref() == Some(service_id.as_str())
        }));
    }

    /// A catalog with its lookup indexes rebuilt after its lists were edited.
    fn reassemble(catalog: &Catalog) -> Catalog {
        let mut services = catalog.services.clone();
        services.sort_by(|a, b| a.id.cmp(&b.id));
        Catalog::assemble(
            catalog.info.clone(),
            catalog.domains.clone(),
            catalog.controls.clone(),
            catalog.tier_defaults.clone(),
            services,
        )
    }
}
