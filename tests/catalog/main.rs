//! Tests that keep the bundled catalog honest (issue 3, item 8, and more).
//!
//! Each rule is a function that lists the problems it finds. The bundled catalog must have none,
//! and for each rule a test breaks a copy of the catalog on purpose and checks the rule says so:
//! a rule that cannot fail proves nothing.

use demarc::model::catalog::{CatalogInfo, Mappings};
use demarc::model::{Catalog, CellData, Owner, ServiceRef};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

static BUNDLED: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);

fn bundled() -> Catalog {
    BUNDLED.clone()
}

/// Asserts a rule found nothing, printing every problem (not just the first) when it did.
fn assert_none(rule: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{rule}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The problems `after` reports that `before` did not: what a deliberate break introduced, even
/// if the data has other problems at the time (those fail their own test).
fn introduced(before: &[String], after: Vec<String>) -> Vec<String> {
    after.into_iter().filter(|p| !before.contains(p)).collect()
}

fn service_mut<'a>(catalog: &'a mut Catalog, id: &str) -> &'a mut demarc::model::Service {
    catalog
        .services
        .iter_mut()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no service {id}"))
}

/// Every cell written in a service file: (where, data). `where` is `s3 IAM-01` or
/// `rds/custom CVM-01`.
fn written_cells(catalog: &Catalog) -> Vec<(String, &str, &CellData)> {
    let mut out = Vec::new();
    for service in &catalog.services {
        for (control, cell) in &service.cells {
            out.push((
                format!("{} {control}", service.id),
                service.id.as_str(),
                cell,
            ));
        }
        for variant in &service.variants {
            for (control, cell) in &variant.cells {
                out.push((
                    format!("{}/{} {control}", service.id, variant.id),
                    service.id.as_str(),
                    cell,
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Scope: every service and variant of docs/reference/catalog-scope.md.

#[derive(Debug, Clone, PartialEq, Eq)]
struct ScopeEntry {
    service_id: String,
    /// Variant ids in the order listed; empty for a service without variants.
    variants: Vec<String>,
    /// The variant marked `*`.
    default: Option<String>,
}

/// The scope table (`docs/reference/catalog-scope.md`): service ids and variants.
fn scope_file() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/catalog-scope.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of the table whose header is `| id | name | tier | variants |`.
fn parse_scope(text: &str) -> Vec<ScopeEntry> {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let mut lines = text
        .lines()
        .skip_while(|l| cells(l) != ["id", "name", "tier", "variants"]);
    lines.next(); // header
    lines.next(); // |---|
    lines
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|line| {
            let row = cells(line);
            assert_eq!(row.len(), 4, "scope row with {} cells: {line}", row.len());
            let listed: Vec<&str> = row[3]
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            ScopeEntry {
                service_id: row[0].clone(),
                variants: listed
                    .iter()
                    .map(|v| v.trim_end_matches('*').to_owned())
                    .collect(),
                default: listed
                    .iter()
                    .find(|v| v.ends_with('*'))
                    .map(|v| v.trim_end_matches('*').to_owned()),
            }
        })
        .collect()
}

fn scope() -> Vec<ScopeEntry> {
    let entries = parse_scope(&scope_file());
    assert!(
        entries.len() >= 80,
        "read only {} scope rows",
        entries.len()
    );
    entries
}

fn scope_problems(catalog: &Catalog, scope: &[ScopeEntry]) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in scope {
        let Some(service) = catalog.service(&entry.service_id) else {
            problems.push(format!(
                "{}: in the scope, not in the catalog",
                entry.service_id
            ));
            continue;
        };
        let have: BTreeSet<&str> = service.variants.iter().map(|v| v.id.as_str()).collect();
        let want: BTreeSet<&str> = entry.variants.iter().map(String::as_str).collect();
        if have != want {
            problems.push(format!(
                "{}: variants {have:?}, the scope lists {want:?}",
                entry.service_id
            ));
        }
        let default = service.default_variant().map(|v| v.id.clone());
        if default != entry.default {
            problems.push(format!(
                "{}: default variant {default:?}, the scope marks {:?}",
                entry.service_id, entry.default
            ));
        }
    }
    problems
}

#[test]
fn every_scope_service_is_present_with_its_variants_and_default() {
    assert_none("scope", &scope_problems(&BUNDLED, &scope()));
}

#[test]
fn scope_rule_catches_a_missing_variant_and_a_wrong_default() {
    let mut catalog = bundled();
    let lambda = service_mut(&mut catalog, "lambda");
    lambda.variants.retain(|v| v.id != "container-image");
    let eks = service_mut(&mut catalog, "eks");
    for v in &mut eks.variants {
        v.default = v.id == "fargate";
    }
    catalog.services.retain(|s| s.id != "bedrock");
    let catalog = reindexed(&catalog);
    let problems = introduced(
        &scope_problems(&BUNDLED, &scope()),
        scope_problems(&catalog, &scope()),
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("eks: default variant Some(\"fargate\")"));
    assert!(problems[1].starts_with("lambda: variants"));
    assert!(problems[2].starts_with("bedrock: in the scope, not in the catalog"));
}

/// A catalog rebuilt from its own files after its service list was edited, so that lookups by
/// id see the edit. Goes through JSON, the way a catalog folder is read.
fn reindexed(catalog: &Catalog) -> Catalog {
    let mut files: Vec<(String, String)> = Catalog::bundled_files()
        .iter()
        .filter(|(path, _)| !path.starts_with("services/"))
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    for service in &catalog.services {
        files.push((
            format!("services/{}.json", service.id),
            serde_json::to_string(service).expect("serialize"),
        ));
    }
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .unwrap_or_else(|err| panic!("edited catalog no longer loads:\n{err}"))
}

// ---------------------------------------------------------------------------------------------
// Variants: each one shows something that moves.

fn variant_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for service in &catalog.services {
        let Some(default) = service.default_variant() else {
            continue;
        };
        let base = ServiceRef::new(&service.id, Some(&default.id));
        for variant in service.variants.iter().filter(|v| !v.default) {
            let other = ServiceRef::new(&service.id, Some(&variant.id));
            let differs = catalog.controls.iter().any(|control| {
                let a = catalog.cell(&base, &control.id).expect("resolves");
                let b = catalog.cell(&other, &control.id).expect("resolves");
                a.data != b.data
            });
            if !differs {
                problems.push(format!("{other}: every resolved cell equals {base}'s"));
            }
        }
    }
    problems
}

#[test]
fn every_non_default_variant_differs_from_its_default() {
    assert_none("variants", &variant_problems(&BUNDLED));
}

#[test]
fn variant_rule_catches_a_variant_identical_to_its_default() {
    let mut catalog = bundled();
    let lambda = service_mut(&mut catalog, "lambda");
    let default = lambda.default_variant().expect("default").clone();
    let manual = lambda
        .variants
        .iter_mut()
        .find(|v| v.id == "zip-manual-runtime")
        .expect("variant");
    manual.cells = default.cells;
    manual.tier = default.tier;
    assert_eq!(
        introduced(&variant_problems(&BUNDLED), variant_problems(&catalog)),
        ["lambda/zip-manual-runtime: every resolved cell equals lambda/zip-auto-runtime's"]
    );
}

// ---------------------------------------------------------------------------------------------
// Copy-paste guard: specific text is written for its service.

/// Lower case, letters and digits only: a copy with other spacing or punctuation is still a copy.
fn normalized(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn copy_paste_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    // The same customer text on two services. (Variants of one service may share text.)
    let mut by_text: BTreeMap<String, BTreeMap<&str, String>> = BTreeMap::new();
    for (place, service_id, cell) in written_cells(catalog) {
        by_text
            .entry(normalized(&cell.customer_does))
            .or_default()
            .entry(service_id)
            .or_insert(place);
    }
    for places in by_text.values().filter(|p| p.len() > 1) {
        let places: Vec<&str> = places.values().map(String::as_str).collect();
        problems.push(format!("same customer_does text in {}", places.join(", ")));
    }
    // A specific cell that repeats a tier default is generic text pretending to be specific.
    let generic: BTreeSet<String> = catalog
        .tier_defaults
        .values()
        .flat_map(|cells| cells.values())
        .flat_map(|cell| [normalized(&cell.aws_does), normalized(&cell.customer_does)])
        .collect();
    for (place, _, cell) in written_cells(catalog) {
        for (field, text) in [
            ("aws_does", &cell.aws_does),
            ("customer_does", &cell.customer_does),
        ] {
            if generic.contains(&normalized(text)) {
                problems.push(format!("{place}: {field} repeats a tier default"));
            }
        }
    }
    problems
}

#[test]
fn no_two_services_share_customer_text_and_no_specific_cell_repeats_a_tier_default() {
    assert_none("copy-paste", &copy_paste_problems(&BUNDLED));
}

#[test]
fn copy_paste_rule_catches_copies() {
    let mut catalog = bundled();
    let sqs_text = catalog.service("sqs").expect("sqs").cells["DAT-02"]
        .customer_does
        .clone();
    let sns = service_mut(&mut catalog, "sns");
    // Only the case and punctuation differ.
    sns.cells
        .get_mut("DAT-02")
        .expect("sns DAT-02")
        .customer_does = format!("  {}!", sqs_text.to_uppercase());
    let tier_text = catalog.tier_defaults[&demarc::model::Tier::A]["LOG-03"]
        .aws_does
        .clone();
    service_mut(&mut catalog, "s3")
        .cells
        .values_mut()
        .next()
        .expect("an s3 cell")
        .aws_does = tier_text;
    let problems = introduced(
        &copy_paste_problems(&BUNDLED),
        copy_paste_problems(&catalog),
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("sns DAT-02") && problems[0].contains("sqs DAT-02"));
    assert!(
        problems[1].starts_with("s3 ") && problems[1].ends_with("aws_does repeats a tier default")
    );
}

mod coverage;
mod owner_rule;
mod sources;
