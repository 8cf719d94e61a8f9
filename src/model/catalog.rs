//! The catalog: controls (rows), tier defaults, services and their variants (columns), and the
//! mapping tables that tie an account's data to service ids. Parsed from JSON text; the bundled
//! copy is embedded at compile time (see `build.rs`).

mod checks;
mod data;
mod refs;
pub mod schema;

pub use checks::{Check, CheckParams, Severity};
pub use data::{
    CatalogInfo, CellData, CellEvidence, Control, ControlsFile, Domain, Frameworks, Mappings,
    PreviousRelease, Service, TierSource, Variant, url_label,
};
pub use refs::{ServiceRef, UnknownService};

use super::owner::{Owner, Tier};
use super::validate::{CatalogError, Problem};
use checks::validate_checks;
use std::collections::BTreeMap;

include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

/// Where a resolved cell's text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Written for this variant.
    Variant,
    /// Written for the service (all its variants).
    Service,
    /// Inherited from the tier default: generic text.
    TierDefault,
}

impl Origin {
    pub fn inherited(self) -> bool {
        self == Origin::TierDefault
    }
}

/// A (service, control) cell after resolution: always has an owner and text.
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub data: &'a CellData,
    pub origin: Origin,
}

impl Cell<'_> {
    pub fn owner(&self) -> Owner {
        self.data.owner
    }
    pub fn inherited(&self) -> bool {
        self.origin.inherited()
    }
}

/// The catalog, parsed and validated.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub info: CatalogInfo,
    pub domains: Vec<Domain>,
    pub controls: Vec<Control>,
    pub tier_defaults: BTreeMap<Tier, BTreeMap<String, CellData>>,
    /// Sorted by id.
    pub services: Vec<Service>,
    /// Evidence checks, in file order (empty when the catalog has no `checks.json`).
    pub checks: Vec<Check>,
    control_index: BTreeMap<String, usize>,
    service_index: BTreeMap<String, usize>,
}

impl Catalog {
    /// The catalog embedded in the binary. It is checked by the test suite, so a broken bundled
    /// catalog fails a test, never a user; should it still fail, this panics with the problems.
    pub fn bundled() -> Catalog {
        match Catalog::from_files(CATALOG_FILES.iter().map(|(p, t)| (*p, *t))) {
            Ok(catalog) => catalog,
            Err(err) => panic!("the bundled catalog is invalid:\n{err}"),
        }
    }

    /// The raw files of the bundled catalog: (path relative to `data/`, text).
    pub fn bundled_files() -> &'static [(&'static str, &'static str)] {
        CATALOG_FILES
    }

    /// Parses and validates a catalog from (path relative to the catalog folder, text) pairs.
    /// Paths: `catalog.json`, `controls.json`, `tiers.json`, `services/<id>.json`, and the
    /// optional `checks.json`; other files are ignored here.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Catalog, CatalogError> {
        let mut problems = Vec::new();
        let mut info = None;
        let mut controls_file = None;
        let mut tiers = None;
        let mut services: Vec<(String, Service)> = Vec::new();
        let mut checks = Vec::new();
        for (path, text) in files {
            let path = path.replace('\\', "/");
            match path.as_str() {
                "catalog.json" => info = parse(&path, text, &mut problems),
                "controls.json" => {
                    controls_file = parse::<ControlsFile>(&path, text, &mut problems);
                }
                "tiers.json" => {
                    tiers = parse::<BTreeMap<Tier, BTreeMap<String, CellData>>>(
                        &path,
                        text,
                        &mut problems,
                    );
                }
                "checks.json" => {
                    checks = parse::<Vec<Check>>(&path, text, &mut problems).unwrap_or_default();
                }
                p if p.starts_with("services/")
                    && std::path::Path::new(p)
                        .extension()
                        .is_some_and(|e| e.eq_ignore_ascii_case("json")) =>
                {
                    if let Some(service) = parse::<Service>(&path, text, &mut problems) {
                        services.push((path.clone(), service));
                    }
                }
                _ => {}
            }
        }
        for (name, present) in [
            ("catalog.json", info.is_some()),
            ("controls.json", controls_file.is_some()),
            ("tiers.json", tiers.is_some()),
        ] {
            if !present && !problems.iter().any(|p| p.file == name) {
                problems.push(Problem::new(name, "", "file is missing"));
            }
        }
        let (Some(info), Some(controls_file), Some(tiers)) = (info, controls_file, tiers) else {
            return Err(CatalogError { problems });
        };
        services.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let mut catalog = Catalog::assemble(
            info,
            controls_file.domains,
            controls_file.controls,
            tiers,
            services.iter().map(|(_, s)| s.clone()).collect(),
        );
        super::validate::validate(&catalog, &services, &mut problems);
        validate_checks(&catalog, &checks, &mut problems);
        catalog.checks = checks;
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError { problems })
        }
    }

    /// Builds the lookup indexes over already validated parts (`from_files` validates).
    pub(crate) fn assemble(
        info: CatalogInfo,
        domains: Vec<Domain>,
        controls: Vec<Control>,
        tier_defaults: BTreeMap<Tier, BTreeMap<String, CellData>>,
        services: Vec<Service>,
    ) -> Catalog {
        let control_index = controls
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let service_index = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i))
            .collect();
        Catalog {
            info,
            domains,
            controls,
            tier_defaults,
            services,
            checks: Vec::new(),
            control_index,
            service_index,
        }
    }

    pub fn control(&self, control_id: &str) -> Option<&Control> {
        self.control_index
            .get(control_id)
            .map(|&i| &self.controls[i])
    }

    pub fn control_position(&self, control_id: &str) -> Option<usize> {
        self.control_index.get(control_id).copied()
    }

    pub fn service(&self, service_id: &str) -> Option<&Service> {
        self.service_index
            .get(service_id)
            .map(|&i| &self.services[i])
    }

    pub fn domain_name<'a>(&'a self, domain_id: &'a str) -> &'a str {
        self.domains
            .iter()
            .find(|d| d.id == domain_id)
            .map_or(domain_id, |d| d.name.as_str())
    }

    /// The service and variant behind a ref. Panics only on a ref not from this catalog.
    fn parts(&self, service_ref: &ServiceRef) -> Option<(&Service, Option<&Variant>)> {
        let service = self.service(&service_ref.service)?;
        let variant = match &service_ref.variant {
            Some(v) => Some(service.variant(v)?),
            None => None,
        };
        Some((service, variant))
    }

    pub fn tier_of(&self, service_ref: &ServiceRef) -> Option<Tier> {
        let (service, variant) = self.parts(service_ref)?;
        Some(variant.and_then(|v| v.tier).unwrap_or(service.tier))
    }

    /// Human name of a column: "Amazon RDS (RDS Custom)".
    pub fn display_name(&self, service_ref: &ServiceRef) -> String {
        match self.parts(service_ref) {
            Some((service, Some(variant))) => format!("{} · {}", service.name, variant.name),
            Some((service, None)) => service.name.clone(),
            None => service_ref.key(),
        }
    }

    /// Short name for narrow column headers: "RDS Custom", "EC2".
    pub fn short_name(&self, service_ref: &ServiceRef) -> String {
        let Some((service, variant)) = self.parts(service_ref) else {
            return service_ref.key();
        };
        let base = service
            .name
            .trim_start_matches("Amazon ")
            .trim_start_matches("AWS ")
            .to_owned();
        match variant {
            Some(v) => v
                .short_name
                .clone()
                .unwrap_or_else(|| format!("{base} · {}", v.name)),
            None => base,
        }
    }

    /// Resolves a (column, control) cell: variant, then service, then tier default.
    pub fn cell(&self, service_ref: &ServiceRef, control_id: &str) -> Option<Cell<'_>> {
        let (service, variant) = self.parts(service_ref)?;
        if let Some(data) = variant.and_then(|v| v.cells.get(control_id)) {
            return Some(Cell {
                data,
                origin: Origin::Variant,
            });
        }
        if let Some(data) = service.cells.get(control_id) {
            return Some(Cell {
                data,
                origin: Origin::Service,
            });
        }
        let tier = variant.and_then(|v| v.tier).unwrap_or(service.tier);
        let data = self.tier_defaults.get(&tier)?.get(control_id)?;
        Some(Cell {
            data,
            origin: Origin::TierDefault,
        })
    }

    /// Services whose mapping table names this AWS Config resource type.
    pub fn services_for_config_type(&self, resource_type: &str) -> Vec<&str> {
        self.lookup(|m| m.config_resource_types.iter().any(|t| t == resource_type))
    }

    /// Services whose ARN service namespace is this one (`rds` names several).
    pub fn services_for_arn_namespace(&self, namespace: &str) -> Vec<&str> {
        self.lookup(|m| m.arn_namespaces.iter().any(|n| n == namespace))
    }

    /// Services whose Security Hub control prefix is this one (`EC2` of `EC2.8`).
    pub fn services_for_security_hub_prefix(&self, prefix: &str) -> Vec<&str> {
        self.lookup(|m| {
            m.security_hub_prefixes
                .iter()
                .any(|p| p.eq_ignore_ascii_case(prefix))
        })
    }

    /// Services whose Cost Explorer SERVICE name is this one.
    pub fn services_for_cost_explorer_name(&self, name: &str) -> Vec<&str> {
        self.lookup(|m| m.cost_explorer_names.iter().any(|n| n == name))
    }

    /// Services whose `CloudFormation` type prefix starts this type (`AWS::EC2::Instance`).
    pub fn services_for_cloudformation_type(&self, resource_type: &str) -> Vec<&str> {
        self.lookup(|m| {
            m.cloudformation_prefixes
                .iter()
                .any(|p| resource_type.starts_with(p.as_str()))
        })
    }

    fn lookup(&self, matches: impl Fn(&Mappings) -> bool) -> Vec<&str> {
        self.services
            .iter()
            .filter(|s| matches(&s.mappings))
            .map(|s| s.id.as_str())
            .collect()
    }
}

fn parse<T: serde::de::DeserializeOwned>(
    path: &str,
    text: &str,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match serde_json::from_str(text) {
        Ok(value) => Some(value),
        Err(err) => {
            problems.push(Problem::new(
                path,
                "",
                &format!(
                    "not a valid catalog file: {err} (line {}, column {})",
                    err.line(),
                    err.column()
                ),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests;
