//! Newest wins across files (README "Results of imported evidence"): two scans of the same
//! account at different times give the newer verdict, with the older one named in its detail,
//! whether they are imported together (the CLI, `import_paths`) or one after the other (the
//! window merges a second import with `Evidence::merge`).

use demarc::import::{Limits, Progress};
use demarc::model::catalog::Catalog;
use demarc::model::evidence::{CheckResult, Evidence, Status};
use demarc::storage::snapshot::{import_path, import_paths};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path
}

fn together(paths: &[PathBuf]) -> Evidence {
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: usize, _: Progress| {};
    let (evidence, errors) = import_paths(&catalog, paths, &cancel, &mut quiet, Limits::default());
    assert!(errors.is_empty(), "{errors:?}");
    evidence
}

fn one_after_the_other(paths: &[PathBuf]) -> Evidence {
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: Progress| {};
    let mut evidence = Evidence::default();
    for path in paths {
        let found =
            import_path(&catalog, path, &cancel, &mut quiet, Limits::default()).expect("imports");
        evidence.merge(found);
    }
    evidence
}

fn on<'a>(evidence: &'a Evidence, check: &str, resource: &str) -> Vec<&'a CheckResult> {
    evidence
        .results
        .iter()
        .filter(|r| &*r.check == check && &*r.resource_id == resource)
        .collect()
}

/// A Prowler OCSF finding of `rds_instance_no_public_access` on `db1`.
fn ocsf(status: &str, time: i64, extra: &str) -> String {
    format!(
        r#"{{"metadata": {{"event_code": "rds_instance_no_public_access"}},
            "status_code": "{status}", "status_detail": "db1 is {status}", "time": {time}{extra},
            "cloud": {{"provider": "aws", "account": {{"uid": "111122223333"}}, "region": "eu-west-1"}},
            "resources": [{{"uid": "db1", "region": "eu-west-1", "type": "AwsRdsDbInstance"}}]}}"#
    )
}

/// A Security Hub finding of RDS.2 on `db1`.
fn asff(status: &str, updated: &str) -> String {
    format!(
        r#"{{"SchemaVersion": "2018-10-08", "Id": "f-{updated}", "AwsAccountId": "111122223333",
            "Region": "eu-west-1", "GeneratorId": "security-control/RDS.2", "Title": "RDS.2",
            "UpdatedAt": "{updated}", "Compliance": {{"Status": "{status}", "SecurityControlId": "RDS.2"}},
            "Resources": [{{"Type": "AwsRdsDbInstance", "Id": "db1", "Region": "eu-west-1"}}]}}"#
    )
}

#[test]
fn two_prowler_scans_give_the_newer_verdict_with_the_older_as_history() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 2026-01-01T00:00:00Z and a week later.
    let old = write(
        dir.path(),
        "scan-jan01.ocsf.json",
        &format!("[{}]", ocsf("FAIL", 1_767_225_600, "")),
    );
    let new = write(
        dir.path(),
        "scan-jan08.ocsf.json",
        &format!("[{}]", ocsf("PASS", 1_767_830_400, "")),
    );
    for evidence in [
        together(&[old.clone(), new.clone()]),
        together(&[new.clone(), old.clone()]),
        one_after_the_other(&[old.clone(), new.clone()]),
        one_after_the_other(&[new.clone(), old.clone()]),
    ] {
        let results = on(&evidence, "rds_public", "db1");
        assert_eq!(results.len(), 1, "{results:#?}");
        let r = results[0];
        assert_eq!(r.status, Status::Pass);
        assert_eq!(r.observed_at.as_deref(), Some("2026-01-08T00:00:00Z"));
        assert!(
            r.detail.starts_with("Prowler rds_instance_no_public_access PASS: db1 is PASS")
                && r.detail.ends_with(
                    " (newest of 2; earlier: FAILED at 2026-01-01T00:00:00Z in scan-jan01.ocsf.json)"
                ),
            "{}",
            r.detail
        );
        assert_eq!(evidence.sources.len(), 2, "both scans stay listed");
        let cell = evidence.cell(&Catalog::bundled(), "rds", "NET-03");
        assert!(!cell.disagreement, "the older scan no longer disagrees");
    }
}

#[test]
fn inside_one_prowler_report_the_newest_finding_wins_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let report = format!(
        "[{}, {}]",
        ocsf("PASS", 1_767_830_400, ""),
        ocsf("FAIL", 1_767_225_600, "")
    );
    let path = write(dir.path(), "two-runs.ocsf.json", &report);
    let evidence = together(&[path]);
    let results = on(&evidence, "rds_public", "db1");
    assert_eq!(results.len(), 1, "{results:#?}");
    assert_eq!(results[0].status, Status::Pass);
    assert!(
        results[0]
            .detail
            .contains("earlier: FAILED at 2026-01-01T00:00:00Z")
    );
}

#[test]
fn two_security_hub_exports_give_the_newer_verdict() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = write(
        dir.path(),
        "hub-old.json",
        &format!(
            r#"{{"Findings": [{}]}}"#,
            asff("PASSED", "2026-03-01T12:00:00.000Z")
        ),
    );
    // Newer, written with an offset: 2026-03-02T01:00:00+02:00 is 2026-03-01T23:00:00Z.
    let new = write(
        dir.path(),
        "hub-new.json",
        &format!(
            r#"{{"Findings": [{}]}}"#,
            asff("FAILED", "2026-03-02T01:00:00+02:00")
        ),
    );
    for evidence in [
        together(&[new.clone(), old.clone()]),
        one_after_the_other(&[old, new]),
    ] {
        let results = on(&evidence, "rds_public", "db1");
        assert_eq!(results.len(), 1, "{results:#?}");
        assert_eq!(results[0].status, Status::Fail);
        assert!(
            results[0].detail.ends_with(
                "(newest of 2; earlier: PASSED at 2026-03-01T12:00:00.000Z in hub-old.json)"
            ),
            "{}",
            results[0].detail
        );
    }
}

#[test]
fn results_without_a_time_and_results_of_other_tests_are_kept_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    // No time at all: neither wins.
    let untimed = r#"{"Findings": [{"SchemaVersion": "2018-10-08", "Id": "x", "AwsAccountId": "111122223333",
        "Region": "eu-west-1", "Compliance": {"Status": "FAILED", "SecurityControlId": "RDS.2"},
        "Resources": [{"Type": "AwsRdsDbInstance", "Id": "db1", "Region": "eu-west-1"}]}]}"#;
    let untimed = write(dir.path(), "hub-untimed.json", untimed);
    let timed = write(
        dir.path(),
        "hub-timed.json",
        &format!(
            r#"{{"Findings": [{}]}}"#,
            asff("PASSED", "2026-03-01T12:00:00Z")
        ),
    );
    // Prowler's check and Security Hub's control are two tests of the check: both stay.
    let prowler = write(
        dir.path(),
        "scan.ocsf.json",
        &format!("[{}]", ocsf("FAIL", 1_767_225_600, "")),
    );
    let evidence = together(&[untimed, timed, prowler]);
    let results = on(&evidence, "rds_public", "db1");
    assert_eq!(results.len(), 3, "{results:#?}");
    assert!(results.iter().all(|r| !r.detail.contains("newest of")));
    assert!(results.iter().any(|r| r.observed_at.is_none()));
    let cell = evidence.cell(&Catalog::bundled(), "rds", "NET-03");
    assert!(
        cell.disagreement,
        "pass and fail from different tests still disagree"
    );
}
