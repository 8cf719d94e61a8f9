//! The catalog: controls (rows), tier defaults, services and their variants (columns), and the
//! mapping tables that tie an account's data to service ids. Parsed from JSON text; the bundled
//! copy is embedded at compile time (see `build.rs`).

use super::owner::{Owner, Tier};
use super::validate::{CatalogError, Problem};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CatalogInfo {
    pub version: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: String,
}

/// Framework identifiers for a control. Ids only: never the frameworks' text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Frameworks {
    #[serde(default)]
    pub nist_800_53_r5: Vec<String>,
    #[serde(default)]
    pub cis_aws_v3: Vec<String>,
    #[serde(default)]
    pub security_hub: Vec<String>,
    #[serde(default)]
    pub iso_27001_2022: Vec<String>,
    #[serde(default)]
    pub csa_ccm_v4: Vec<String>,
}

impl Frameworks {
    /// (framework label, ids) in display order, skipping frameworks with no ids.
    pub fn labelled(&self) -> Vec<(&'static str, &[String])> {
        [
            ("NIST 800-53 r5", self.nist_800_53_r5.as_slice()),
            ("CIS AWS v3.0", self.cis_aws_v3.as_slice()),
            ("Security Hub", self.security_hub.as_slice()),
            ("ISO 27001:2022", self.iso_27001_2022.as_slice()),
            ("CSA CCM v4", self.csa_ccm_v4.as_slice()),
        ]
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub domain: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub frameworks: Frameworks,
}

/// One cell's content as written in a data file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CellData {
    pub owner: Owner,
    pub aws_does: String,
    pub customer_does: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified: Option<String>,
    /// Where a cited page supports this cell: what the page states, in our own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<CellEvidence>,
}

/// The passage of a cited page that supports a cell, so that a reviewer finds it in a minute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CellEvidence {
    /// One sentence in our own words: what the page states that supports the owner and text.
    pub statement: String,
    /// The heading of the page section that states it.
    pub section: String,
    /// The page, with the section's `#anchor` where the page has one; without the anchor it is
    /// one of the cell's `sources`.
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    #[serde(default)]
    pub config_resource_types: Vec<String>,
    #[serde(default)]
    pub arn_namespaces: Vec<String>,
    #[serde(default)]
    pub security_hub_prefixes: Vec<String>,
    #[serde(default)]
    pub cost_explorer_names: Vec<String>,
    #[serde(default)]
    pub cloudformation_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierSource {
    Documented,
    Rule,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub name: String,
    /// A short label for narrow column headers ("RDS Custom").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub cells: BTreeMap<String, CellData>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub tier_source: TierSource,
    pub category: String,
    pub docs_url: String,
    pub summary: String,
    #[serde(default)]
    pub mappings: Mappings,
    #[serde(default)]
    pub cells: BTreeMap<String, CellData>,
    #[serde(default)]
    pub variants: Vec<Variant>,
}

impl Service {
    pub fn default_variant(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.default)
    }
    pub fn variant(&self, variant_id: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.id == variant_id)
    }
}

/// Thresholds and lists a check reads (data, so they can change without code).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// Ports a security-group check looks at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<u16>,
    /// Lambda runtimes on AWS's deprecated list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runtimes: Vec<String>,
    /// Maximum age in days (access keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Minimum password length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Minimum number of remembered passwords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<u32>,
}

/// An evidence check (`data/checks.json`): what an imported snapshot can tell about one cell.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable key, used in exports and answer keys: `rds_public`.
    pub key: String,
    pub service: String,
    pub control: String,
    pub fails_when: String,
    /// Security Hub control ids whose findings land on this check (`S3.8`).
    #[serde(default)]
    pub security_hub: Vec<String>,
    /// Prowler check ids (OCSF `metadata.event_code`) whose findings land on this check.
    #[serde(default)]
    pub prowler: Vec<String>,
    #[serde(default)]
    pub params: CheckParams,
}

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

/// A column of the matrix: a service, and one of its variants when it has any.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceRef {
    pub service: String,
    pub variant: Option<String>,
}

impl ServiceRef {
    pub fn new(service: &str, variant: Option<&str>) -> Self {
        ServiceRef {
            service: service.to_owned(),
            variant: variant.map(str::to_owned),
        }
    }

    /// The key used in files and on the command line: `rds/custom`, or `s3`.
    pub fn key(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{v}", self.service),
            None => self.service.clone(),
        }
    }
}

impl fmt::Display for ServiceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ControlsFile {
    domains: Vec<Domain>,
    controls: Vec<Control>,
}

/// An unknown service or variant, with the closest known ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown service '{given}'{}", suggestion_text(.suggestions))]
pub struct UnknownService {
    pub given: String,
    pub suggestions: Vec<String>,
}

fn suggestion_text(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!("; closest: {}", suggestions.join(", "))
    }
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

    /// Every column the catalog can show: each service's variants, or the bare service.
    pub fn all_refs(&self) -> Vec<ServiceRef> {
        self.services
            .iter()
            .flat_map(|s| {
                if s.variants.is_empty() {
                    vec![ServiceRef::new(&s.id, None)]
                } else {
                    s.variants
                        .iter()
                        .map(|v| ServiceRef::new(&s.id, Some(&v.id)))
                        .collect()
                }
            })
            .collect()
    }

    /// The default column of a service: its default variant, or the bare service.
    pub fn default_ref(&self, service: &Service) -> ServiceRef {
        ServiceRef::new(
            &service.id,
            service.default_variant().map(|v| v.id.as_str()),
        )
    }

    /// Parses `rds`, `rds/custom`: a bare id means the default variant.
    pub fn parse_ref(&self, text: &str) -> Result<ServiceRef, UnknownService> {
        let text = text.trim();
        let (service_id, variant_id) = match text.split_once('/') {
            Some((s, v)) => (s, Some(v)),
            None => (text, None),
        };
        let unknown = || UnknownService {
            given: text.to_owned(),
            suggestions: self.closest_refs(text),
        };
        let service = self.service(service_id).ok_or_else(unknown)?;
        match variant_id {
            None => Ok(self.default_ref(service)),
            Some(v) if service.variant(v).is_some() => Ok(ServiceRef::new(service_id, Some(v))),
            Some(_) => Err(unknown()),
        }
    }

    /// Parses a comma-separated list of service refs, keeping the order and dropping repeats.
    pub fn parse_refs(&self, list: &str) -> Result<Vec<ServiceRef>, UnknownService> {
        let mut refs = Vec::new();
        for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let r = self.parse_ref(part)?;
            if !refs.contains(&r) {
                refs.push(r);
            }
        }
        Ok(refs)
    }

    /// Up to three known keys closest to `text` (edit distance, then prefix).
    pub fn closest_refs(&self, text: &str) -> Vec<String> {
        let mut keys: Vec<String> = self.services.iter().map(|s| s.id.clone()).collect();
        keys.extend(
            self.all_refs()
                .into_iter()
                .filter(|r| r.variant.is_some())
                .map(|r| r.key()),
        );
        let lower = text.to_lowercase();
        let mut scored: Vec<(usize, String)> = keys
            .into_iter()
            .map(|k| {
                let d = strsim::levenshtein(&lower, &k);
                let bonus = usize::from(!(k.starts_with(&lower) || lower.starts_with(&k)));
                (d * 2 + bonus, k)
            })
            .collect();
        scored.sort();
        let limit = (lower.chars().count() / 2).max(2) * 2 + 1;
        scored
            .into_iter()
            .filter(|(d, _)| *d <= limit)
            .take(3)
            .map(|(_, k)| k)
            .collect()
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

    /// The evidence check with this key.
    pub fn check(&self, key: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.key == key)
    }

    /// Checks fed by this Security Hub control id (`S3.8`; case-insensitive), in file order.
    pub fn checks_for_security_hub(&self, control_id: &str) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| {
                c.security_hub
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(control_id))
            })
            .collect()
    }

    /// The key that stands for a group of checks answering one question: the first check (in
    /// file order) sharing a Security Hub control id with `key`, or `key` itself.
    pub fn check_group<'a>(&'a self, key: &'a str) -> &'a str {
        let Some(check) = self.check(key) else {
            return key;
        };
        self.checks
            .iter()
            .find(|c| {
                c.security_hub
                    .iter()
                    .any(|id| check.security_hub.contains(id))
            })
            .map_or(key, |c| c.key.as_str())
    }

    /// Checks fed by this Prowler check id (`s3_bucket_default_encryption`), in file order.
    pub fn checks_for_prowler(&self, check_id: &str) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.prowler.iter().any(|id| id == check_id))
            .collect()
    }

    fn lookup(&self, matches: impl Fn(&Mappings) -> bool) -> Vec<&str> {
        self.services
            .iter()
            .filter(|s| matches(&s.mappings))
            .map(|s| s.id.as_str())
            .collect()
    }
}

/// `checks.json`: unique keys; every check names a known service and control.
fn validate_checks(catalog: &Catalog, checks: &[Check], problems: &mut Vec<Problem>) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, check) in checks.iter().enumerate() {
        let field = format!("[{i}] {}", check.key);
        if check.key.trim().is_empty() {
            problems.push(Problem::new("checks.json", &field, "key is empty"));
        } else if !seen.insert(check.key.as_str()) {
            problems.push(Problem::new("checks.json", &field, "key is given twice"));
        }
        if catalog.service(&check.service).is_none() {
            problems.push(Problem::new(
                "checks.json",
                &field,
                &format!("unknown service '{}'", check.service),
            ));
        }
        if catalog.control(&check.control).is_none() {
            problems.push(Problem::new(
                "checks.json",
                &field,
                &format!("unknown control '{}'", check.control),
            ));
        }
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
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_loads_and_resolves_every_cell() {
        let catalog = Catalog::bundled();
        assert_eq!(catalog.controls.len(), 42);
        for r in catalog.all_refs() {
            for control in &catalog.controls {
                let cell = catalog.cell(&r, &control.id).expect("every cell resolves");
                assert!(!cell.data.aws_does.trim().is_empty(), "{r} {}", control.id);
                assert!(
                    !cell.data.customer_does.trim().is_empty(),
                    "{r} {}",
                    control.id
                );
            }
        }
    }

    #[test]
    fn bare_service_means_its_default_variant() {
        let catalog = Catalog::bundled();
        let rds = catalog.parse_ref("rds").expect("rds exists");
        assert_eq!(rds.key(), "rds/standard");
        assert_eq!(catalog.parse_ref("ec2").expect("ec2").key(), "ec2");
        assert_eq!(
            catalog.parse_ref("rds/custom").expect("custom").key(),
            "rds/custom"
        );
    }

    #[test]
    fn unknown_service_names_the_closest_ids() {
        let catalog = Catalog::bundled();
        let err = catalog.parse_ref("ec3").expect_err("no such service");
        assert!(err.suggestions.contains(&"ec2".to_owned()), "{err}");
        let err = catalog
            .parse_ref("rds/custum")
            .expect_err("no such variant");
        assert!(err.suggestions.contains(&"rds/custom".to_owned()), "{err}");
    }

    #[test]
    fn bundled_checks_load_and_map_security_hub_ids() {
        let catalog = Catalog::bundled();
        assert_eq!(catalog.checks.len(), 42);
        let keys: Vec<&str> = catalog
            .checks_for_security_hub("s3.8")
            .iter()
            .map(|c| c.key.as_str())
            .collect();
        assert_eq!(
            keys,
            [
                "s3_public_access_block_off",
                "s3_public_access_block_partial"
            ]
        );
        assert_eq!(
            catalog.check("rds_public").map(|c| c.control.as_str()),
            Some("NET-03")
        );
        assert_eq!(
            catalog.checks_for_prowler("kms_cmk_rotation_enabled")[0].key,
            "kms_rotation_off"
        );
    }

    #[test]
    fn checks_with_unknown_service_or_control_are_problems() {
        let mut files: Vec<(&str, &str)> = Catalog::bundled_files()
            .iter()
            .filter(|(p, _)| *p != "checks.json")
            .copied()
            .collect();
        let bad = r#"[{"key":"x","service":"nope","control":"NET-99","fails_when":"-"},
                      {"key":"x","service":"s3","control":"NET-03","fails_when":"-"}]"#;
        files.push(("checks.json", bad));
        let err = Catalog::from_files(files).expect_err("bad checks");
        let text = err.to_string();
        assert!(text.contains("unknown service 'nope'"), "{text}");
        assert!(text.contains("unknown control 'NET-99'"), "{text}");
        assert!(text.contains("key is given twice"), "{text}");
    }

    fn bundled_with_rds_cell(edit: impl Fn(&mut serde_json::Value)) -> Result<Catalog, String> {
        let mut files: Vec<(String, String)> = Catalog::bundled_files()
            .iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect();
        for (path, text) in &mut files {
            if path == "services/rds.json" {
                let mut value: serde_json::Value = serde_json::from_str(text).expect("json");
                edit(&mut value["cells"]["NET-01"]);
                *text = value.to_string();
            }
        }
        Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn cell_evidence_must_name_a_section_of_a_cited_page() {
        let source = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.html";
        let good = bundled_with_rds_cell(|cell| {
            cell["sources"] = serde_json::json!([source]);
            cell["evidence"] = serde_json::json!({
                "statement": "The page says the DB subnet group picks the subnets.",
                "section": "Working with DB subnet groups",
                "url": format!("{source}#USER_VPC.Subnets"),
            });
        });
        assert!(good.is_ok(), "{good:?}");
        let uncited = bundled_with_rds_cell(|cell| {
            cell["sources"] = serde_json::json!([source]);
            cell["evidence"] = serde_json::json!({
                "statement": "Said elsewhere.",
                "section": "Somewhere",
                "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Other.html#x",
            });
        })
        .expect_err("evidence from a page the cell does not cite");
        assert!(
            uncited.contains("is not one of the cell's sources"),
            "{uncited}"
        );
        let empty = bundled_with_rds_cell(|cell| {
            cell["sources"] = serde_json::json!([source]);
            cell["evidence"] = serde_json::json!({"statement": " ", "section": "", "url": source});
        })
        .expect_err("empty evidence");
        assert!(
            empty.contains("evidence.statement") && empty.contains("evidence.section"),
            "{empty}"
        );
        let unknown_field = bundled_with_rds_cell(|cell| {
            cell["evidence"] = serde_json::json!({"statement": "x", "section": "y", "url": source, "quote": "copied"});
        })
        .expect_err("unknown field");
        assert!(unknown_field.contains("quote"), "{unknown_field}");
    }
}
