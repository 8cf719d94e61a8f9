//! `demarc import PATH... [--json]`: what the snapshots say, and `--snapshot` support for the
//! checklist. JSON shape (stable):
//!
//! ```text
//! {"sources": [{"path", "format", "accounts": [], "regions": []}],
//!  "services_in_use": [{"service": "s3", "resources": 12}],
//!  "unmapped_resource_types": [{"resource_type", "resources"}],
//!  "results": [{"check", "service", "control", "resource_id", "region", "account", "status", "detail", "source"}],
//!  "warnings": [{"source", "location", "message"}],
//!  "errors": ["..."]}
//! ```

use crate::import::{ImportError, Limits, Progress};
use crate::model::catalog::Catalog;
use crate::model::evidence::{CheckResult, Evidence, SourceFormat, Status, Warning};
use crate::storage;
use clap::Args;
use serde::Serialize;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Snapshot files or folders: AWS Config snapshot (.json, .json.gz), AWS CLI collection
    /// (folder or .zip with manifest.json), Security Hub get-findings output, Prowler JSON-OCSF.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// Imports every path; failures are returned as messages beside the evidence of the others.
pub fn load(catalog: &Catalog, paths: &[PathBuf]) -> (Evidence, Vec<String>) {
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: usize, _: Progress| {};
    let (mut evidence, errors) =
        storage::snapshot::import_paths(catalog, paths, &cancel, &mut quiet, Limits::default());
    sort(&mut evidence);
    (
        evidence,
        errors.iter().map(ImportError::to_string).collect(),
    )
}

/// A stable order for output: by service, control, check, account, region, resource, source.
fn sort(evidence: &mut Evidence) {
    evidence.results.sort_by(|a, b| key(a).cmp(&key(b)));
}

fn key(r: &CheckResult) -> (&str, &str, &str, &str, &str, &str, &str) {
    (
        &r.service,
        &r.control,
        &r.check,
        &r.account,
        &r.region,
        &r.resource_id,
        &r.source,
    )
}

#[derive(Serialize)]
struct SourceJson<'a> {
    path: &'a str,
    format: SourceFormat,
    accounts: &'a [String],
    regions: &'a [String],
}

#[derive(Serialize)]
struct ServiceJson {
    service: String,
    resources: usize,
}

#[derive(Serialize)]
struct UnmappedJson {
    resource_type: String,
    resources: usize,
}

#[derive(Serialize)]
struct ImportJson<'a> {
    sources: Vec<SourceJson<'a>>,
    services_in_use: Vec<ServiceJson>,
    unmapped_resource_types: Vec<UnmappedJson>,
    results: &'a [CheckResult],
    warnings: &'a [Warning],
    errors: &'a [String],
}

pub fn write_json(
    out: &mut dyn Write,
    evidence: &Evidence,
    errors: &[String],
) -> std::io::Result<()> {
    let doc = ImportJson {
        sources: evidence
            .sources
            .iter()
            .map(|s| SourceJson {
                path: &s.path,
                format: s.format,
                accounts: &s.accounts,
                regions: &s.regions,
            })
            .collect(),
        services_in_use: evidence
            .services_in_use()
            .into_iter()
            .map(|(service, resources)| ServiceJson { service, resources })
            .collect(),
        unmapped_resource_types: evidence
            .unmapped_resource_types()
            .into_iter()
            .map(|(resource_type, resources)| UnmappedJson {
                resource_type,
                resources,
            })
            .collect(),
        results: &evidence.results,
        warnings: &evidence.warnings,
        errors,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::other)?;
    out.write_all(b"\n")
}

pub fn write_text(
    out: &mut dyn Write,
    evidence: &Evidence,
    errors: &[String],
) -> std::io::Result<()> {
    writeln!(out, "Sources ({}):", evidence.sources.len())?;
    for s in &evidence.sources {
        writeln!(
            out,
            "  {:<20} {}  accounts: {}  regions: {}",
            s.format.as_str(),
            s.path,
            if s.accounts.is_empty() {
                "-".to_owned()
            } else {
                s.accounts.join(", ")
            },
            if s.regions.is_empty() {
                "-".to_owned()
            } else {
                s.regions.join(", ")
            }
        )?;
    }
    let services = evidence.services_in_use();
    writeln!(out, "\nServices in use ({}):", services.len())?;
    for (service, count) in &services {
        writeln!(out, "  {service:<22} {count} resource(s)")?;
    }
    let unmapped = evidence.unmapped_resource_types();
    if !unmapped.is_empty() {
        writeln!(
            out,
            "\nResource types that map to no catalog service ({}):",
            unmapped.len()
        )?;
        for (t, count) in &unmapped {
            writeln!(out, "  {t:<40} {count}")?;
        }
    }
    let count = |st: Status| evidence.results.iter().filter(|r| r.status == st).count();
    writeln!(
        out,
        "\nCheck results: {} fail, {} unknown, {} pass",
        count(Status::Fail),
        count(Status::Unknown),
        count(Status::Pass)
    )?;
    let failing = evidence.failing();
    if !failing.is_empty() {
        writeln!(out, "\nFailing checks ({}):", failing.len())?;
        for r in failing {
            writeln!(
                out,
                "  {:<10} {:<7} {:<34} {} ({}, {}): {}",
                r.service, r.control, r.check, r.resource_id, r.account, r.region, r.detail
            )?;
        }
    }
    if !evidence.warnings.is_empty() {
        writeln!(out, "\nWarnings ({}):", evidence.warnings.len())?;
        for w in &evidence.warnings {
            writeln!(out, "  {w}")?;
        }
    }
    if !errors.is_empty() {
        writeln!(out, "\nNot imported ({}):", errors.len())?;
        for e in errors {
            writeln!(out, "  {e}")?;
        }
    }
    Ok(())
}
