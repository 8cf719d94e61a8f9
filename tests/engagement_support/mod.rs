//! A small, fixed catalog and engagement for export tests, so golden files test the exporters
//! and not the bundled catalog's prose (which changes as it is researched).

#![allow(dead_code)]

use demarc::model::catalog::Catalog;
use demarc::model::engagement::Engagement;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

pub const DOMAINS: [&str; 10] = [
    "INF", "GOV", "IAM", "NET", "DAT", "CRY", "CVM", "APP", "LOG", "IRR",
];

fn cell(owner: &str, control: &str, with_sources: bool) -> Value {
    let mut cell = json!({
        "owner": owner,
        "aws_does": format!("AWS part of {control}."),
        "customer_does": format!("Customer part of {control}."),
    });
    if with_sources {
        cell["sources"] = json!([format!(
            "https://docs.aws.amazon.com/fixture/{control}.html"
        )]);
        cell["last_verified"] = json!("2026-01-01");
    }
    cell
}

/// Owners by tier and control position: a mix of all four.
fn tier_owner(tier: &str, index: usize, control: &str) -> &'static str {
    if control.starts_with("INF") {
        return "aws";
    }
    match (tier, index % 4) {
        ("I", 0 | 2) | ("C", 0) | ("A", 3) => "customer",
        ("I", 1) | ("C", 1 | 2) | ("A", 0 | 1) => "shared",
        ("A", 2) => "not_applicable",
        _ => "aws",
    }
}

/// The fixture catalog's files: 42 required controls, three tiers, two services (`alpha`
/// without variants, `beta` with variants `one` and `two`).
pub fn catalog_files() -> Vec<(String, String)> {
    let controls: Vec<&str> = demarc::model::validate::REQUIRED_CONTROLS.to_vec();
    let domains: Vec<Value> = DOMAINS
        .iter()
        .map(|d| json!({"id": d, "name": format!("Domain {d}")}))
        .collect();
    let control_list: Vec<Value> = controls
        .iter()
        .map(|c| {
            json!({"id": c, "domain": &c[..3], "name": format!("Control {c}"),
                   "description": format!("What {c} is about.")})
        })
        .collect();
    let mut tiers = serde_json::Map::new();
    for tier in ["I", "C", "A"] {
        let cells: serde_json::Map<String, Value> = controls
            .iter()
            .enumerate()
            .map(|(i, c)| ((*c).to_owned(), cell(tier_owner(tier, i, c), c, false)))
            .collect();
        tiers.insert(tier.to_owned(), Value::Object(cells));
    }
    let alpha = json!({
        "id": "alpha", "name": "Alpha Compute", "tier": "I", "tier_source": "documented",
        "category": "Compute", "docs_url": "https://docs.aws.amazon.com/fixture/alpha.html",
        "summary": "A fixture service.",
        "cells": {"IAM-01": cell("customer", "IAM-01", true)}
    });
    let beta = json!({
        "id": "beta", "name": "Beta Store", "tier": "A", "tier_source": "rule",
        "category": "Storage", "docs_url": "https://docs.aws.amazon.com/fixture/beta.html",
        "summary": "A fixture service with variants.",
        "variants": [
            {"id": "one", "name": "Beta One", "default": true, "summary": "The default."},
            {"id": "two", "name": "Beta Two", "summary": "Moves DAT-02 to the customer.",
             "cells": {"DAT-02": cell("customer", "DAT-02", true)}}
        ]
    });
    vec![
        (
            "catalog.json".to_owned(),
            json!({"version": "1.1.0", "date": "2026-01-01"}).to_string(),
        ),
        (
            "controls.json".to_owned(),
            json!({"domains": domains, "controls": control_list}).to_string(),
        ),
        ("tiers.json".to_owned(), Value::Object(tiers).to_string()),
        ("services/alpha.json".to_owned(), alpha.to_string()),
        ("services/beta.json".to_owned(), beta.to_string()),
        (
            "checks.json".to_owned(),
            json!([
                {"key": "root_no_mfa", "title": "Root user without MFA", "service": "alpha",
                 "control": "IAM-01", "fails_when": "root has no MFA", "severity": "critical",
                 "security_hub": ["IAM.9"]},
                {"key": "beta_unencrypted", "title": "Beta store not encrypted",
                 "service": "beta", "control": "DAT-02", "fails_when": "no encryption",
                 "severity": "medium", "security_hub": ["Beta.1"]}
            ])
            .to_string(),
        ),
    ]
}

pub fn catalog() -> Catalog {
    let files = catalog_files();
    match Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))) {
        Ok(catalog) => catalog,
        Err(e) => panic!("fixture catalog is invalid:\n{e}"),
    }
}

pub fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// The sample engagement (`tests/golden/engagement.demarc.json`), read as a user's file is.
pub fn sample_path() -> PathBuf {
    golden_dir().join("engagement.demarc.json")
}

pub fn sample() -> Engagement {
    match demarc::storage::engagement::open(&sample_path()) {
        Ok(opened) => opened.engagement,
        Err(e) => panic!("{e}"),
    }
}

/// Compares bytes with a golden file; `DEMARC_UPDATE_GOLDEN=1` rewrites it instead.
pub fn check_golden(name: &str, actual: &[u8]) {
    let path = golden_dir().join(name);
    if std::env::var_os("DEMARC_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with DEMARC_UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let actual_path = std::env::temp_dir().join(format!("demarc-actual-{name}"));
        let _ = std::fs::write(&actual_path, actual);
        let first_diff = expected
            .iter()
            .zip(actual)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(actual.len()));
        panic!(
            "{} differs from the output at byte {first_diff} (output written to {}; \
             DEMARC_UPDATE_GOLDEN=1 accepts it)",
            path.display(),
            actual_path.display()
        );
    }
}
