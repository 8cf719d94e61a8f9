//! Catalog validation: every problem names the file and the field, so a catalog author can fix
//! it without reading code. Used by `Catalog::from_files` and `demarc catalog check`.

use super::catalog::{Catalog, CellData, PreviousRelease, Service};
use super::owner::Tier;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The 42 control ids every catalog must define (the project's control taxonomy).
pub const REQUIRED_CONTROLS: [&str; 42] = [
    "INF-01", "INF-02", "INF-03", "INF-04", "INF-05", "INF-06", "GOV-01", "GOV-02", "GOV-03",
    "IAM-01", "IAM-02", "IAM-03", "IAM-04", "IAM-05", "IAM-06", "NET-01", "NET-02", "NET-03",
    "NET-04", "DAT-01", "DAT-02", "DAT-03", "DAT-04", "CRY-01", "CRY-02", "CRY-03", "CVM-01",
    "CVM-02", "CVM-03", "CVM-04", "APP-01", "APP-02", "LOG-01", "LOG-02", "LOG-03", "LOG-04",
    "IRR-01", "IRR-02", "IRR-03", "IRR-04", "IRR-05", "IRR-06",
];

/// Service categories the picker groups by.
pub const CATEGORIES: [&str; 14] = [
    "Compute",
    "Containers",
    "Serverless",
    "Databases",
    "Storage",
    "Networking and content delivery",
    "Application integration",
    "Analytics",
    "Security, identity and compliance",
    "Management and governance",
    "Developer tools",
    "Machine learning",
    "End-user computing",
    "Migration and transfer",
];

/// Hosts a source URL may point at: AWS's own documentation.
pub const DOC_HOSTS: [&str; 2] = ["docs.aws.amazon.com", "aws.amazon.com"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub field: String,
    pub message: String,
}

impl Problem {
    pub fn new(file: &str, field: &str, message: &str) -> Problem {
        Problem {
            file: file.to_owned(),
            field: field.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}: {}: {}", self.file, self.field, self.message)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogError {
    pub problems: Vec<Problem>,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// True for `https://<aws docs host>/<path>` with no spaces.
pub fn is_doc_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("https://") else {
        return false;
    };
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    DOC_HOSTS.contains(&host) && !path.is_empty() && !url.chars().any(char::is_whitespace)
}

/// `YYYY-MM-DD`, a real calendar date from year 2000 on.
pub fn is_iso_date(text: &str) -> bool {
    let shape = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shape && text[..4] >= *"2000" && super::date::days_from_date(text).is_some()
}

/// The previous release's figures: an earlier date, and owner counts that add up to its cells.
fn validate_previous(date: &str, previous: &PreviousRelease, problems: &mut Vec<Problem>) {
    if !is_iso_date(&previous.date) || previous.date.as_str() >= date {
        problems.push(Problem::new(
            "catalog.json",
            "previous.date",
            "must be YYYY-MM-DD, before this release's date",
        ));
    }
    let sum = previous.aws + previous.shared + previous.customer + previous.not_applicable;
    if sum != previous.cells {
        problems.push(Problem::new(
            "catalog.json",
            "previous.cells",
            &format!("the owner counts add up to {sum}, not {}", previous.cells),
        ));
    }
}

pub(super) fn validate(
    catalog: &Catalog,
    services: &[(String, Service)],
    problems: &mut Vec<Problem>,
) {
    if !is_iso_date(&catalog.info.date) {
        problems.push(Problem::new("catalog.json", "date", "must be YYYY-MM-DD"));
    }
    if catalog.info.version.split('.').count() != 3
        || catalog
            .info
            .version
            .split('.')
            .any(|p| p.parse::<u32>().is_err())
    {
        problems.push(Problem::new(
            "catalog.json",
            "version",
            "must be semver MAJOR.MINOR.PATCH",
        ));
    }
    if let Some(previous) = &catalog.info.previous {
        validate_previous(&catalog.info.date, previous, problems);
    }
    validate_controls(catalog, problems);
    let control_ids: BTreeSet<&str> = catalog.controls.iter().map(|c| c.id.as_str()).collect();
    for tier in Tier::ALL {
        let field = tier.as_str();
        let Some(defaults) = catalog.tier_defaults.get(&tier) else {
            problems.push(Problem::new("tiers.json", field, "tier is missing"));
            continue;
        };
        for id in &control_ids {
            if !defaults.contains_key(*id) {
                problems.push(Problem::new(
                    "tiers.json",
                    &format!("{field}.{id}"),
                    "missing control",
                ));
            }
        }
        for (id, cell) in defaults {
            let where_ = format!("{field}.{id}");
            if !control_ids.contains(id.as_str()) {
                problems.push(Problem::new("tiers.json", &where_, "unknown control id"));
            }
            validate_cell_text("tiers.json", &where_, cell, problems);
        }
    }
    let mut seen = BTreeMap::new();
    for (path, service) in services {
        if let Some(first) = seen.insert(service.id.as_str(), path.as_str()) {
            problems.push(Problem::new(
                path,
                "id",
                &format!("duplicate service id '{}' (also in {first})", service.id),
            ));
        }
        validate_service(catalog, path, service, &control_ids, problems);
    }
}

fn validate_controls(catalog: &Catalog, problems: &mut Vec<Problem>) {
    let file = "controls.json";
    let domain_ids: BTreeSet<&str> = catalog.domains.iter().map(|d| d.id.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (i, control) in catalog.controls.iter().enumerate() {
        let field = format!("controls[{i}]");
        if !seen.insert(control.id.as_str()) {
            problems.push(Problem::new(
                file,
                &format!("{field}.id"),
                &format!("duplicate control id '{}'", control.id),
            ));
        }
        if !domain_ids.contains(control.domain.as_str()) {
            problems.push(Problem::new(
                file,
                &format!("{field}.domain"),
                &format!("unknown domain '{}'", control.domain),
            ));
        }
        if control.name.trim().is_empty() {
            problems.push(Problem::new(file, &format!("{field}.name"), "empty"));
        }
        if control.description.trim().is_empty() {
            problems.push(Problem::new(file, &format!("{field}.description"), "empty"));
        }
    }
    for id in REQUIRED_CONTROLS {
        if !seen.contains(id) {
            problems.push(Problem::new(
                file,
                "controls",
                &format!("missing required control '{id}'"),
            ));
        }
    }
}

fn validate_cell_text(file: &str, field: &str, cell: &CellData, problems: &mut Vec<Problem>) {
    if cell.aws_does.trim().is_empty() {
        problems.push(Problem::new(
            file,
            &format!("{field}.aws_does"),
            "empty text",
        ));
    }
    if cell.customer_does.trim().is_empty() {
        problems.push(Problem::new(
            file,
            &format!("{field}.customer_does"),
            "empty text",
        ));
    }
    for (i, url) in cell.sources.iter().enumerate() {
        if !is_doc_url(url) {
            problems.push(Problem::new(
                file,
                &format!("{field}.sources[{i}]"),
                &format!("malformed or non-AWS-documentation URL '{url}'"),
            ));
        }
    }
    if let Some(evidence) = &cell.evidence {
        validate_cell_evidence(file, field, cell, evidence, problems);
    }
}

/// The evidence names a section of one of the cell's own sources and says, in one sentence,
/// what that section states.
fn validate_cell_evidence(
    file: &str,
    field: &str,
    cell: &CellData,
    evidence: &super::catalog::CellEvidence,
    problems: &mut Vec<Problem>,
) {
    let mut problem = |what: &str, message: String| {
        problems.push(Problem::new(
            file,
            &format!("{field}.evidence.{what}"),
            &message,
        ));
    };
    let statement = evidence.statement.trim();
    if statement.is_empty() {
        problem("statement", "empty text".to_owned());
    } else if statement.chars().count() > 400 {
        problem(
            "statement",
            "longer than 400 characters: one sentence says what the page states".to_owned(),
        );
    }
    if evidence.section.trim().is_empty() {
        problem(
            "section",
            "empty: name the heading of the supporting section".to_owned(),
        );
    }
    let url = &evidence.url;
    if !is_doc_url(url) {
        problem(
            "url",
            format!("malformed or non-AWS-documentation URL '{url}'"),
        );
        return;
    }
    let page = url.split_once('#').map_or(url.as_str(), |(page, _)| page);
    let cited = cell
        .sources
        .iter()
        .any(|source| source.split_once('#').map_or(source.as_str(), |(p, _)| p) == page);
    if !cited {
        problem(
            "url",
            format!(
                "'{page}' is not one of the cell's sources: the evidence must come from a cited page"
            ),
        );
    }
}

fn validate_service(
    catalog: &Catalog,
    path: &str,
    service: &Service,
    control_ids: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) {
    let expected_path = format!("services/{}.json", service.id);
    if path != expected_path {
        problems.push(Problem::new(
            path,
            "id",
            &format!("id '{}' does not match the file name", service.id),
        ));
    }
    if service.id.is_empty()
        || !service
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        problems.push(Problem::new(path, "id", "must be a lowercase slug"));
    }
    for (field, text) in [("name", &service.name), ("summary", &service.summary)] {
        if text.trim().is_empty() {
            problems.push(Problem::new(path, field, "empty text"));
        }
    }
    if !CATEGORIES.contains(&service.category.as_str()) {
        problems.push(Problem::new(
            path,
            "category",
            &format!("unknown category '{}'", service.category),
        ));
    }
    if !is_doc_url(&service.docs_url) {
        problems.push(Problem::new(
            path,
            "docs_url",
            &format!(
                "malformed or non-AWS-documentation URL '{}'",
                service.docs_url
            ),
        ));
    }
    validate_cells(path, "cells", &service.cells, control_ids, problems);
    validate_mappings(path, service, problems);
    if service.variants.is_empty() {
        return;
    }
    let defaults = service.variants.iter().filter(|v| v.default).count();
    if defaults != 1 {
        problems.push(Problem::new(
            path,
            "variants",
            &format!("exactly one variant must be the default (found {defaults})"),
        ));
    }
    let mut seen = BTreeSet::new();
    for (i, variant) in service.variants.iter().enumerate() {
        let field = format!("variants[{i}]");
        if !seen.insert(variant.id.as_str()) {
            problems.push(Problem::new(
                path,
                &format!("{field}.id"),
                &format!("duplicate variant id '{}'", variant.id),
            ));
        }
        if variant.name.trim().is_empty() {
            problems.push(Problem::new(path, &format!("{field}.name"), "empty text"));
        }
        if variant.summary.trim().is_empty() {
            problems.push(Problem::new(
                path,
                &format!("{field}.summary"),
                "empty text",
            ));
        }
        validate_cells(
            path,
            &format!("{field}.cells"),
            &variant.cells,
            control_ids,
            problems,
        );
    }
    // A variant exists to show what moves: it must differ from the default in some cell.
    let Some(default) = service.default_variant() else {
        return;
    };
    let base = super::catalog::ServiceRef::new(&service.id, Some(&default.id));
    for (i, variant) in service
        .variants
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.default)
    {
        let other = super::catalog::ServiceRef::new(&service.id, Some(&variant.id));
        let differs = catalog.controls.iter().any(|c| {
            match (catalog.cell(&base, &c.id), catalog.cell(&other, &c.id)) {
                (Some(a), Some(b)) => a.data != b.data,
                _ => false,
            }
        });
        if !differs {
            problems.push(Problem::new(
                path,
                &format!("variants[{i}]"),
                &format!(
                    "variant '{}' is identical to the default variant '{}'",
                    variant.id, default.id
                ),
            ));
        }
    }
}

fn validate_cells(
    path: &str,
    field: &str,
    cells: &BTreeMap<String, CellData>,
    control_ids: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) {
    for (id, cell) in cells {
        let where_ = format!("{field}.{id}");
        if !control_ids.contains(id.as_str()) {
            problems.push(Problem::new(path, &where_, "unknown control id"));
        }
        validate_cell_text(path, &where_, cell, problems);
        if cell.sources.is_empty() {
            problems.push(Problem::new(
                path,
                &format!("{where_}.sources"),
                "a specific cell must cite at least one AWS documentation URL",
            ));
        }
        match &cell.last_verified {
            None => problems.push(Problem::new(
                path,
                &format!("{where_}.last_verified"),
                "missing",
            )),
            Some(date) if !is_iso_date(date) => {
                problems.push(Problem::new(
                    path,
                    &format!("{where_}.last_verified"),
                    &format!("'{date}' is not YYYY-MM-DD"),
                ));
            }
            Some(_) => {}
        }
    }
}

fn validate_mappings(path: &str, service: &Service, problems: &mut Vec<Problem>) {
    let m = &service.mappings;
    let typed = |t: &str, prefix_only: bool| {
        let parts: Vec<&str> = t.split("::").collect();
        parts.len() == 3
            && parts[0] == "AWS"
            && !parts[1].is_empty()
            && (prefix_only || !parts[2].is_empty())
    };
    for (i, t) in m.config_resource_types.iter().enumerate() {
        if !typed(t, false) {
            problems.push(Problem::new(
                path,
                &format!("mappings.config_resource_types[{i}]"),
                &format!("'{t}' is not of the form AWS::Service::Type"),
            ));
        }
    }
    for (i, t) in m.cloudformation_prefixes.iter().enumerate() {
        if !typed(t, true) {
            problems.push(Problem::new(
                path,
                &format!("mappings.cloudformation_prefixes[{i}]"),
                &format!("'{t}' is not of the form AWS::Service:: or AWS::Service::TypePrefix"),
            ));
        }
    }
    for (name, list) in [
        ("arn_namespaces", &m.arn_namespaces),
        ("security_hub_prefixes", &m.security_hub_prefixes),
        ("cost_explorer_names", &m.cost_explorer_names),
    ] {
        for (i, entry) in list.iter().enumerate() {
            if entry.trim().is_empty() || entry.trim() != entry {
                problems.push(Problem::new(
                    path,
                    &format!("mappings.{name}[{i}]"),
                    "empty or padded entry",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_release_figures_must_add_up_and_come_first() {
        let mut previous = PreviousRelease {
            version: "0.1.0".to_owned(),
            date: "2026-11-28".to_owned(),
            cells: 10,
            aws: 1,
            shared: 2,
            customer: 3,
            not_applicable: 4,
        };
        let mut problems = Vec::new();
        validate_previous("2026-12-04", &previous, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        previous.shared = 3;
        previous.date = "2026-12-04".to_owned();
        validate_previous("2026-12-04", &previous, &mut problems);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["previous.date", "previous.cells"]);
    }

    #[test]
    fn doc_urls_must_be_https_on_aws_docs_hosts() {
        assert!(is_doc_url(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html"
        ));
        assert!(is_doc_url(
            "https://aws.amazon.com/compliance/shared-responsibility-model/"
        ));
        assert!(!is_doc_url("http://docs.aws.amazon.com/x"));
        assert!(!is_doc_url("https://docs.aws.amazon.com"));
        assert!(!is_doc_url("https://example.com/docs.aws.amazon.com/x"));
        assert!(!is_doc_url("https://docs.aws.amazon.com/a b"));
    }

    #[test]
    fn dates_must_be_iso() {
        assert!(is_iso_date("2026-11-28"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("28/11/2026"));
        assert!(!is_iso_date("2026-1-01"));
        assert!(!is_iso_date("2026-02-29"));
        assert!(is_iso_date("2028-02-29"));
        assert!(!is_iso_date("2026-+1-01"));
        assert!(!is_iso_date("1999-12-31"));
    }
}
