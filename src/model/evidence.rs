//! Evidence from imported account snapshots: the resources found, each check's result per
//! resource, and the roll-up of those results onto matrix cells. Pure data; the importers in
//! `import/` produce it, the GUI, the CLI and the exports read it.
//!
//! Roll-up rule per (service, control) cell: any fail is fail; all pass is pass; some results
//! but neither is unknown (a suppressed or muted result, an accepted exception, is not a fail
//! and not a pass: a cell with one is unknown unless something fails); no result at all is
//! "no evidence". When two sources disagree about the
//! same resource and check, both results are kept and the cell is flagged.

use super::catalog::Catalog;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

mod newest;

/// One check's answer for one resource. Unknown means the data needed is absent: never a guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    // Declared in display order: failing first.
    Fail,
    Unknown,
    /// A Security Hub finding whose workflow status is SUPPRESSED: someone decided it needs no
    /// action. Not an open failure, not a pass either.
    Suppressed,
    /// A Prowler finding muted by the scan's mutelist: an accepted exception.
    Muted,
    Pass,
}

impl Status {
    /// Every status, in display order (failing first). Code that counts or filters by status
    /// goes through this list, so a new status is one variant (and its words) away.
    pub const ALL: [Status; 5] = [
        Status::Fail,
        Status::Unknown,
        Status::Suppressed,
        Status::Muted,
        Status::Pass,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
            Status::Suppressed => "suppressed",
            Status::Muted => "muted",
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "Pass",
            Status::Fail => "Fail",
            Status::Unknown => "Unknown",
            Status::Suppressed => "Suppressed",
            Status::Muted => "Muted",
        }
    }

    /// Its position in [`Status::ALL`].
    pub fn index(self) -> usize {
        Status::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    /// An accepted exception (suppressed or muted): shown as such, never as an open failure.
    pub fn is_exception(self) -> bool {
        matches!(self, Status::Suppressed | Status::Muted)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of snapshot demarc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceFormat {
    /// An AWS Config configuration snapshot (`.json` or `.json.gz`).
    AwsConfigSnapshot,
    /// A folder (or `.zip`) of AWS CLI outputs with a `manifest.json`.
    AwsCliCollection,
    /// `aws securityhub get-findings` output (ASFF).
    SecurityHubAsff,
    /// Prowler JSON-OCSF output.
    ProwlerOcsf,
}

impl SourceFormat {
    pub const ALL: [SourceFormat; 4] = [
        SourceFormat::AwsCliCollection,
        SourceFormat::AwsConfigSnapshot,
        SourceFormat::SecurityHubAsff,
        SourceFormat::ProwlerOcsf,
    ];

    /// The format written as [`SourceFormat::as_str`].
    pub fn parse(text: &str) -> Option<SourceFormat> {
        SourceFormat::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// A few words for lists of sources: "CLI collection", "Security Hub".
    pub fn short_label(self) -> &'static str {
        match self {
            SourceFormat::AwsConfigSnapshot => "AWS Config",
            SourceFormat::AwsCliCollection => "CLI collection",
            SourceFormat::SecurityHubAsff => "Security Hub",
            SourceFormat::ProwlerOcsf => "Prowler",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::AwsConfigSnapshot => "aws-config-snapshot",
            SourceFormat::AwsCliCollection => "aws-cli-collection",
            SourceFormat::SecurityHubAsff => "security-hub-asff",
            SourceFormat::ProwlerOcsf => "prowler-ocsf",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::AwsConfigSnapshot => "AWS Config snapshot",
            SourceFormat::AwsCliCollection => "AWS CLI collection",
            SourceFormat::SecurityHubAsff => "Security Hub findings (ASFF)",
            SourceFormat::ProwlerOcsf => "Prowler scan (JSON-OCSF)",
        }
    }
}

impl fmt::Display for SourceFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The last part of a path (`/home/me/acme/cli` -> `cli`), for showing a source without the
/// local path it was imported from.
pub fn file_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches(['/', '\\']);
    trimmed
        .rsplit(['/', '\\'])
        .next()
        .filter(|name| !name.is_empty())
        .unwrap_or(trimmed)
}

/// One imported file (or collection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub path: String,
    pub format: SourceFormat,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
}

/// Text shared between the records of an import: an account id, a region or a file path is
/// held once however many resources and results name it (cloning one is a counter increment).
pub type Text = Arc<str>;

/// A resource seen in a snapshot. `service` is the catalog service it maps to, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resource {
    pub resource_type: Text,
    pub resource_id: Text,
    pub region: Text,
    pub account: Text,
    pub service: Option<Text>,
    pub source: Text,
}

/// One check's result for one resource, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    pub check: Text,
    pub service: Text,
    pub control: Text,
    pub resource_id: Text,
    pub region: Text,
    pub account: Text,
    pub status: Status,
    pub detail: Text,
    pub source: Text,
    /// When the source observed this result (RFC 3339 with an offset: Security Hub `UpdatedAt`,
    /// Prowler's finding time, Config's capture time, a collection's `collected_at`); None when
    /// it does not say. Only results with a time compete for "newest wins" ([`Evidence::settle`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<Text>,
    /// What gave the result: a Security Hub control (`S3.8`), a Prowler check id, a Config rule
    /// name, or empty for demarc's own rule for the check. Only results of the same test compete
    /// for "newest wins": two controls feeding one check are two questions, not two answers.
    #[serde(skip)]
    pub test: Text,
    /// The results of the same test on the same resource observed earlier, which this one
    /// replaced (newest wins); their status, time and source are named at the end of `detail`.
    /// Kept whole so that a source imported again is settled anew.
    #[serde(skip)]
    pub earlier: Vec<CheckResult>,
}

/// Something skipped or doubtful during an import; the rest of the import went on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The file (or the entry inside a collection).
    pub source: String,
    /// Where in it: `configurationItems[12]`, `Findings[3].Resources[0]`, or empty.
    pub location: String,
    pub message: String,
}

impl Warning {
    pub fn new(
        source: impl Into<String>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Warning {
        Warning {
            source: source.into(),
            location: location.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            write!(f, "{}: {}", self.source, self.message)
        } else {
            write!(f, "{}: {}: {}", self.source, self.location, self.message)
        }
    }
}

/// Everything imported so far: several sources merge into one set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub sources: Vec<SourceInfo>,
    pub resources: Vec<Resource>,
    pub results: Vec<CheckResult>,
    pub warnings: Vec<Warning>,
}

/// A cell's roll-up status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CellStatus {
    Fail,
    Unknown,
    Pass,
    /// No result at all for this cell: nobody can show the control is done.
    NoEvidence,
}

impl CellStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Pass => "pass",
            CellStatus::Fail => "fail",
            CellStatus::Unknown => "unknown",
            CellStatus::NoEvidence => "no_evidence",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CellStatus::Pass => "pass",
            CellStatus::Fail => "fail",
            CellStatus::Unknown => "unknown",
            CellStatus::NoEvidence => "no evidence",
        }
    }
}

/// The evidence on one (service, control) cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellEvidence {
    pub status: CellStatus,
    /// Failing first, then unknown, then passing; each by resource, check and source.
    pub results: Vec<CheckResult>,
    /// True when two sources disagree (one pass, one fail) on the same resource and check.
    pub disagreement: bool,
    /// The resources they disagree on (`account/resource_id`).
    pub disputed: Vec<String>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
            && self.resources.is_empty()
            && self.results.is_empty()
            && self.warnings.is_empty()
    }

    /// Adds another import. A source already present (same path) is replaced by the new one, so
    /// importing a file again refreshes it instead of doubling its results.
    /// Results of the same test, check, resource, account and region are then settled: the
    /// newest wins ([`Evidence::settle`]).
    pub fn merge(&mut self, mut other: Evidence) {
        self.unsettle();
        other.unsettle();
        let incoming: BTreeSet<&str> = other.sources.iter().map(|s| s.path.as_str()).collect();
        let replaced: BTreeSet<String> = self
            .sources
            .iter()
            .filter(|s| incoming.contains(s.path.as_str()))
            .map(|s| s.path.clone())
            .collect();
        if !replaced.is_empty() {
            // A source's records carry its path, or a path inside it (`folder/entry.json`).
            let from_replaced = |source: &str| {
                replaced.iter().any(|p| {
                    source == p
                        || source
                            .strip_prefix(p.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                })
            };
            self.sources.retain(|s| !replaced.contains(&s.path));
            self.resources.retain(|r| !from_replaced(&r.source));
            self.results.retain(|r| !from_replaced(&r.source));
            self.warnings.retain(|w| !from_replaced(&w.source));
        }
        self.sources.extend(other.sources);
        self.resources.extend(other.resources);
        self.results.extend(other.results);
        self.warnings.extend(other.warnings);
        self.settle();
    }

    /// Accounts seen in any source, sorted.
    pub fn accounts(&self) -> Vec<String> {
        self.sources
            .iter()
            .flat_map(|s| s.accounts.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// Regions seen in any source, sorted.
    pub fn regions(&self) -> Vec<String> {
        self.sources
            .iter()
            .flat_map(|s| s.regions.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }

    /// Catalog services with resources, and how many distinct resources each (a resource seen by
    /// two sources counts once), by service id.
    pub fn services_in_use(&self) -> Vec<(String, usize)> {
        let mut seen: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
        for r in &self.resources {
            if let Some(service) = &r.service {
                seen.entry(service)
                    .or_default()
                    .insert((&*r.account, &*r.resource_id));
            }
        }
        seen.into_iter()
            .map(|(service, ids)| (service.to_owned(), ids.len()))
            .collect()
    }

    /// Resource types that map to no catalog service, with distinct resource counts: listed,
    /// never silently dropped.
    pub fn unmapped_resource_types(&self) -> Vec<(String, usize)> {
        let mut seen: BTreeMap<&str, BTreeSet<(&str, &str)>> = BTreeMap::new();
        for r in self.resources.iter().filter(|r| r.service.is_none()) {
            seen.entry(&*r.resource_type)
                .or_default()
                .insert((&*r.account, &*r.resource_id));
        }
        seen.into_iter()
            .map(|(t, ids)| (t.to_owned(), ids.len()))
            .collect()
    }

    /// Failing results, sorted by service, control, check and resource.
    pub fn failing(&self) -> Vec<&CheckResult> {
        let mut fails: Vec<&CheckResult> = self
            .results
            .iter()
            .filter(|r| r.status == Status::Fail)
            .collect();
        fails.sort_by(|a, b| {
            (
                &a.service,
                &a.control,
                &a.check,
                &a.account,
                &a.resource_id,
                &a.source,
            )
                .cmp(&(
                    &b.service,
                    &b.control,
                    &b.check,
                    &b.account,
                    &b.resource_id,
                    &b.source,
                ))
        });
        fails
    }

    /// The roll-up for one cell. `catalog` tells which checks answer the same question (they
    /// share a Security Hub control, like `s3_versioning_off` and `s3_versioning_suspended`), so
    /// a Security Hub finding is compared with the native checks it covers.
    pub fn cell(&self, catalog: &Catalog, service: &str, control: &str) -> CellEvidence {
        let results: Vec<&CheckResult> = self
            .results
            .iter()
            .filter(|r| &*r.service == service && &*r.control == control)
            .collect();
        roll_up(catalog, results)
    }

    /// Every cell with at least one result.
    pub fn cells(&self, catalog: &Catalog) -> BTreeMap<(String, String), CellEvidence> {
        let mut by_cell: BTreeMap<(String, String), Vec<&CheckResult>> = BTreeMap::new();
        for r in &self.results {
            by_cell
                .entry((r.service.to_string(), r.control.to_string()))
                .or_default()
                .push(r);
        }
        by_cell
            .into_iter()
            .map(|(key, results)| (key, roll_up(catalog, results)))
            .collect()
    }
}

fn roll_up(catalog: &Catalog, mut results: Vec<&CheckResult>) -> CellEvidence {
    results.sort_by(|a, b| {
        (a.status, &a.resource_id, &a.check, &a.account, &a.source).cmp(&(
            b.status,
            &b.resource_id,
            &b.check,
            &b.account,
            &b.source,
        ))
    });
    let status = if results.is_empty() {
        CellStatus::NoEvidence
    } else if results.iter().any(|r| r.status == Status::Fail) {
        CellStatus::Fail
    } else if results.iter().all(|r| r.status == Status::Pass) {
        CellStatus::Pass
    } else {
        CellStatus::Unknown
    };
    // Per (account, resource, check group), each source's own verdict: fail if any of its results
    // fails, pass if all pass. Two sources with opposite verdicts disagree.
    let mut verdicts: BTreeMap<(&str, &str, &str), BTreeMap<&str, Vec<Status>>> = BTreeMap::new();
    for r in &results {
        verdicts
            .entry((&*r.account, &*r.resource_id, catalog.check_group(&r.check)))
            .or_default()
            .entry(&*r.source)
            .or_default()
            .push(r.status);
    }
    let mut disputed = BTreeSet::new();
    for ((account, resource_id, _), by_source) in &verdicts {
        let per_source: BTreeSet<Status> = by_source
            .values()
            .map(|statuses| {
                if statuses.contains(&Status::Fail) {
                    Status::Fail
                } else if statuses.iter().all(|s| *s == Status::Pass) {
                    Status::Pass
                } else {
                    Status::Unknown
                }
            })
            .collect();
        if per_source.contains(&Status::Pass) && per_source.contains(&Status::Fail) {
            disputed.insert(format!("{account}/{resource_id}"));
        }
    }
    CellEvidence {
        status,
        results: results.into_iter().cloned().collect(),
        disagreement: !disputed.is_empty(),
        disputed: disputed.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(check: &str, resource: &str, status: Status, source: &str) -> CheckResult {
        let catalog = Catalog::bundled();
        let c = catalog.check(check).expect("known check");
        CheckResult {
            check: check.into(),
            service: c.service.as_str().into(),
            control: c.control.as_str().into(),
            resource_id: resource.into(),
            region: "us-east-1".into(),
            account: "111122223333".into(),
            status,
            detail: "".into(),
            source: source.into(),
            observed_at: None,
            test: "".into(),
            earlier: Vec::new(),
        }
    }

    fn evidence(results: Vec<CheckResult>) -> Evidence {
        Evidence {
            results,
            ..Evidence::default()
        }
    }

    #[test]
    fn any_fail_is_fail_all_pass_is_pass_otherwise_unknown() {
        let catalog = Catalog::bundled();
        let ev = evidence(vec![
            result("s3_versioning_off", "a", Status::Pass, "x"),
            result("s3_versioning_off", "b", Status::Fail, "x"),
            result("s3_versioning_off", "c", Status::Unknown, "x"),
        ]);
        let cell = ev.cell(&catalog, "s3", "IRR-03");
        assert_eq!(cell.status, CellStatus::Fail);
        assert_eq!(&*cell.results[0].resource_id, "b", "failing first");
        assert_eq!(cell.results[1].status, Status::Unknown);

        let ev = evidence(vec![result("s3_versioning_off", "a", Status::Pass, "x")]);
        assert_eq!(ev.cell(&catalog, "s3", "IRR-03").status, CellStatus::Pass);
        let ev = evidence(vec![
            result("s3_versioning_off", "a", Status::Pass, "x"),
            result("s3_versioning_off", "b", Status::Unknown, "x"),
        ]);
        assert_eq!(
            ev.cell(&catalog, "s3", "IRR-03").status,
            CellStatus::Unknown
        );
        assert_eq!(
            ev.cell(&catalog, "s3", "DAT-02").status,
            CellStatus::NoEvidence
        );
    }

    #[test]
    fn two_sources_disagreeing_are_both_kept_and_flagged() {
        let catalog = Catalog::bundled();
        let ev = evidence(vec![
            result("rds_public", "db1", Status::Pass, "cli"),
            result("rds_public", "db1", Status::Fail, "hub.json"),
            result("rds_public", "db2", Status::Pass, "cli"),
            result("rds_public", "db2", Status::Pass, "hub.json"),
        ]);
        let cell = ev.cell(&catalog, "rds", "NET-03");
        assert!(cell.disagreement);
        assert_eq!(cell.disputed, ["111122223333/db1"]);
        assert_eq!(cell.results.len(), 4);
    }

    #[test]
    fn checks_sharing_a_security_hub_control_are_compared_as_one() {
        // The CLI says: versioning not "off" (pass) but suspended (fail); Security Hub's S3.14
        // FAILED lands on the group's first key. Same verdict: no disagreement.
        let catalog = Catalog::bundled();
        let ev = evidence(vec![
            result("s3_versioning_off", "bkt", Status::Pass, "cli"),
            result("s3_versioning_suspended", "bkt", Status::Fail, "cli"),
            result("s3_versioning_off", "bkt", Status::Fail, "hub.json"),
        ]);
        assert!(!ev.cell(&catalog, "s3", "IRR-03").disagreement);
    }

    #[test]
    fn merge_replaces_a_source_imported_again() {
        let source = |path: &str| SourceInfo {
            path: path.to_owned(),
            format: SourceFormat::AwsCliCollection,
            accounts: vec!["1".to_owned()],
            regions: vec![],
        };
        let mut ev = Evidence {
            sources: vec![source("snap")],
            results: vec![result("rds_public", "db1", Status::Fail, "snap/rds.json")],
            ..Evidence::default()
        };
        ev.merge(Evidence {
            sources: vec![source("other")],
            results: vec![result("rds_public", "db9", Status::Pass, "other")],
            ..Evidence::default()
        });
        assert_eq!(ev.results.len(), 2);
        ev.merge(Evidence {
            sources: vec![source("snap")],
            results: vec![result("rds_public", "db1", Status::Pass, "snap/rds.json")],
            ..Evidence::default()
        });
        assert_eq!(ev.sources.len(), 2);
        assert_eq!(ev.results.len(), 2);
        assert!(ev.results.iter().all(|r| r.status == Status::Pass));
    }

    #[test]
    fn services_in_use_count_distinct_resources_and_unmapped_types_are_listed() {
        let resource = |t: &str, id: &str, service: Option<&str>, source: &str| Resource {
            resource_type: t.into(),
            resource_id: id.into(),
            region: "us-east-1".into(),
            account: "1".into(),
            service: service.map(Into::into),
            source: source.into(),
        };
        let ev = Evidence {
            resources: vec![
                resource("AWS::S3::Bucket", "a", Some("s3"), "x"),
                resource("AWS::S3::Bucket", "a", Some("s3"), "y"),
                resource("AWS::S3::Bucket", "b", Some("s3"), "x"),
                resource("AWS::Foo::Bar", "f", None, "x"),
            ],
            ..Evidence::default()
        };
        assert_eq!(ev.services_in_use(), [("s3".to_owned(), 2)]);
        assert_eq!(
            ev.unmapped_resource_types(),
            [("AWS::Foo::Bar".to_owned(), 1)]
        );
    }

    #[test]
    fn evidence_round_trips_through_json() {
        let ev = evidence(vec![result("rds_public", "db1", Status::Fail, "cli")]);
        let text = serde_json::to_string(&ev).expect("serialize");
        assert!(text.contains(r#""status":"fail""#), "{text}");
        let back: Evidence = serde_json::from_str(&text).expect("parse");
        assert_eq!(back, ev);
    }
}
