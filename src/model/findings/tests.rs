use super::*;
use crate::model::evidence::SourceInfo;

const CLI: &str = "snap/cli";
const HUB: &str = "snap/cli/securityhub_get-findings.json";
const PROWLER: &str = "prowler.ocsf.json";

struct R<'a> {
    check: &'a str,
    resource: &'a str,
    region: &'a str,
    account: &'a str,
    status: Status,
    source: &'a str,
}

fn r<'a>(check: &'a str, resource: &'a str, status: Status, source: &'a str) -> R<'a> {
    R {
        check,
        resource,
        region: "us-east-1",
        account: "111122223333",
        status,
        source,
    }
}

fn evidence(results: &[R<'_>]) -> Evidence {
    let catalog = Catalog::bundled();
    let source = |path: &str, format| SourceInfo {
        path: path.to_owned(),
        format,
        accounts: vec![],
        regions: vec![],
    };
    Evidence {
        sources: vec![
            source(CLI, SourceFormat::AwsCliCollection),
            source(HUB, SourceFormat::SecurityHubAsff),
            source(PROWLER, SourceFormat::ProwlerOcsf),
        ],
        results: results
            .iter()
            .map(|x| {
                let (service, control) = catalog.check(x.check).map_or(("s3", "DAT-02"), |c| {
                    (c.service.as_str(), c.control.as_str())
                });
                CheckResult {
                    check: x.check.into(),
                    service: service.into(),
                    control: control.into(),
                    resource_id: x.resource.into(),
                    region: x.region.into(),
                    account: x.account.into(),
                    status: x.status,
                    detail: format!("{} from {}", x.check, x.source).into(),
                    source: x.source.into(),
                    observed_at: None,
                    test: "".into(),
                    earlier: Vec::new(),
                }
            })
            .collect(),
        ..Evidence::default()
    }
}

fn all(findings: &Findings, grouping: Grouping) -> FindingsView {
    let filter = FindingFilter {
        statuses: Status::ALL.to_vec(),
        ..FindingFilter::default()
    };
    findings.filter(&filter, grouping)
}

#[test]
fn the_same_failure_from_the_cli_and_security_hub_is_one_finding_with_two_sources() {
    let catalog = Catalog::bundled();
    let ev = evidence(&[
        r(
            "rds_public",
            "db1",
            Status::Fail,
            "snap/cli/rds_describe-db-instances.json",
        ),
        r("rds_public", "db1", Status::Fail, HUB),
        r(
            "rds_public",
            "db2",
            Status::Pass,
            "snap/cli/rds_describe-db-instances.json",
        ),
    ]);
    let findings = Findings::build(&catalog, &ev);
    assert_eq!(findings.len(), 2);
    let view = all(&findings, Grouping::Service);
    let first = &findings.rows[view.rows[0] as usize];
    assert_eq!(first.status, Status::Fail, "failing first");
    assert_eq!(first.results, 2);
    assert_eq!(first.sources.labels(), "CLI collection, Security Hub");
    assert_eq!(
        findings.check(first).title,
        "RDS database reachable from the internet"
    );
    assert_eq!(findings.key(first, &ev).resource_id, "db1");
    assert_eq!(
        findings.rows[view.rows[1] as usize].sources.labels(),
        "CLI collection"
    );
}

#[test]
fn a_hub_finding_on_the_group_key_merges_with_the_specific_check_and_shows_it() {
    // Security Hub's S3.14 lands on s3_versioning_off; the CLI knows versioning is suspended.
    let catalog = Catalog::bundled();
    let ev = evidence(&[
        r("s3_versioning_off", "bkt", Status::Pass, CLI),
        r("s3_versioning_suspended", "bkt", Status::Fail, CLI),
        r("s3_versioning_off", "bkt", Status::Fail, HUB),
    ]);
    let findings = Findings::build(&catalog, &ev);
    assert_eq!(findings.len(), 1);
    let f = &findings.rows[0];
    assert_eq!(f.status, Status::Fail);
    assert_eq!(findings.check(f).key, "s3_versioning_suspended");
    assert_eq!(f.results, 3);
    assert_eq!(
        findings.key(f, &ev).check,
        "s3_versioning_off",
        "the key names the check group, whichever source came first"
    );
}

#[test]
fn a_result_without_a_region_joins_the_one_region_others_name() {
    let catalog = Catalog::bundled();
    let mut global = r("root_no_mfa", "111122223333", Status::Fail, CLI);
    global.region = "global";
    let ev = evidence(&[global, r("root_no_mfa", "111122223333", Status::Fail, HUB)]);
    let findings = Findings::build(&catalog, &ev);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings.region(&findings.rows[0]), "us-east-1");
    assert!(findings.sole(&findings.rows[0]));
}

#[test]
fn the_same_resource_id_in_two_regions_is_two_findings() {
    let catalog = Catalog::bundled();
    let mut west = r(
        "ebs_default_encryption_off",
        "111122223333",
        Status::Fail,
        CLI,
    );
    west.region = "eu-west-1";
    let mut nowhere = r(
        "ebs_default_encryption_off",
        "111122223333",
        Status::Pass,
        PROWLER,
    );
    nowhere.region = "";
    let ev = evidence(&[
        r(
            "ebs_default_encryption_off",
            "111122223333",
            Status::Fail,
            CLI,
        ),
        west,
        nowhere,
    ]);
    let findings = Findings::build(&catalog, &ev);
    let mut regions: Vec<&str> = findings.rows.iter().map(|f| findings.region(f)).collect();
    regions.sort_unstable();
    assert_eq!(regions, ["eu-west-1", "global", "us-east-1"]);
    assert!(findings.rows.iter().all(|f| !findings.sole(f)));
}

#[test]
fn any_fail_is_fail_then_unknown_then_pass() {
    let catalog = Catalog::bundled();
    let ev = evidence(&[
        r("sqs_unencrypted", "q1", Status::Pass, CLI),
        r("sqs_unencrypted", "q1", Status::Unknown, PROWLER),
        r("sqs_unencrypted", "q2", Status::Pass, CLI),
        r("sqs_unencrypted", "q2", Status::Pass, PROWLER),
    ]);
    let findings = Findings::build(&catalog, &ev);
    let status = |id: &str| {
        findings
            .rows
            .iter()
            .find(|f| findings.key(f, &ev).resource_id == id)
            .map(|f| f.status)
    };
    assert_eq!(status("q1"), Some(Status::Unknown));
    assert_eq!(status("q2"), Some(Status::Pass));
    assert_eq!(findings.totals.total(), 2);
}

fn mixed() -> Evidence {
    let mut other_account = r("s3_public_access_block_off", "b3", Status::Fail, CLI);
    other_account.account = "999988887777";
    let mut west = r("sg_open_ssh_world", "sg-2", Status::Fail, CLI);
    west.region = "eu-west-1";
    evidence(&[
        r("s3_public_access_block_off", "b1", Status::Fail, CLI),
        r("s3_public_access_block_off", "b2", Status::Pass, CLI),
        other_account,
        r("s3_tls_not_enforced", "b1", Status::Fail, CLI),
        r("s3_versioning_off", "b1", Status::Unknown, CLI),
        r("sg_open_ssh_world", "sg-1", Status::Fail, HUB),
        west,
        r("rds_deletion_protection_off", "db1", Status::Fail, CLI),
    ])
}

#[test]
fn groups_by_service_check_or_control_with_counts() {
    let catalog = Catalog::bundled();
    let ev = mixed();
    let findings = Findings::build(&catalog, &ev);
    let by_service = all(&findings, Grouping::Service);
    let labels: Vec<&str> = by_service
        .groups
        .iter()
        .map(|g| findings.group_label(Grouping::Service, g.id))
        .collect();
    assert_eq!(labels, ["rds", "s3", "vpc"]);
    let s3 = &by_service.groups[1];
    assert_eq!(s3.len, 5);
    assert_eq!(s3.counts.get(Status::Fail), 3);
    assert_eq!(s3.counts.get(Status::Unknown), 1);
    assert_eq!(s3.counts.get(Status::Pass), 1);
    // Within a group: failing first.
    let statuses: Vec<Status> = by_service.rows[s3.start..s3.start + s3.len]
        .iter()
        .map(|&i| findings.rows[i as usize].status)
        .collect();
    assert!(statuses.is_sorted_by_key(|s| s.index()), "{statuses:?}");

    let by_check = all(&findings, Grouping::Check);
    let checks: Vec<(Option<Severity>, &str)> = by_check
        .groups
        .iter()
        .map(|g| {
            let check = &findings.checks[g.id as usize];
            (check.severity, check.title.as_str())
        })
        .collect();
    assert_eq!(checks.len(), 5);
    assert!(
        checks.is_sorted(),
        "worst severity first, then by title: {checks:?}"
    );
    assert_eq!(checks[0].1, "S3 bucket without Block Public Access");

    let by_control = all(&findings, Grouping::Control);
    let controls: Vec<&str> = by_control
        .groups
        .iter()
        .map(|g| findings.group_label(Grouping::Control, g.id))
        .collect();
    let positions: Vec<usize> = controls
        .iter()
        .map(|c| catalog.control_position(c).expect("known control"))
        .collect();
    assert!(positions.is_sorted(), "catalog order: {controls:?}");
    for view in [&by_service, &by_check, &by_control] {
        assert_eq!(view.rows.len(), findings.len());
        assert_eq!(
            view.groups.iter().map(|g| g.len).sum::<usize>(),
            findings.len()
        );
        assert_eq!(view.counts.total(), findings.len());
    }
}

#[test]
fn filters_by_status_severity_service_account_region_and_text() {
    let catalog = Catalog::bundled();
    let ev = mixed();
    let findings = Findings::build(&catalog, &ev);
    let count = |filter: FindingFilter| findings.filter(&filter, Grouping::Service).rows.len();
    let every = FindingFilter {
        statuses: Status::ALL.to_vec(),
        ..FindingFilter::default()
    };
    assert_eq!(count(every.clone()), 8);
    assert_eq!(count(FindingFilter::default()), 7, "no passes by default");
    assert_eq!(
        count(FindingFilter {
            statuses: vec![Status::Fail],
            service: Some("s3".into()),
            ..every.clone()
        }),
        3,
        "the failing S3 checks"
    );
    assert_eq!(
        count(FindingFilter {
            severities: vec![Severity::Low],
            ..every.clone()
        }),
        2,
        "versioning and deletion protection are low"
    );
    assert_eq!(
        count(FindingFilter {
            account: Some("999988887777".into()),
            ..every.clone()
        }),
        1
    );
    assert_eq!(
        count(FindingFilter {
            region: Some("eu-west-1".into()),
            ..every.clone()
        }),
        1
    );
    assert_eq!(
        count(FindingFilter {
            service: Some("lambda".into()),
            ..every.clone()
        }),
        0,
        "a service without findings shows nothing, not everything"
    );
    assert_eq!(
        count(FindingFilter {
            statuses: vec![],
            ..every.clone()
        }),
        0
    );
    assert_eq!(
        count(FindingFilter {
            query: "TLS".into(),
            ..every.clone()
        }),
        1,
        "by title"
    );
    assert_eq!(
        count(FindingFilter {
            query: "99998888".into(),
            ..every.clone()
        }),
        1,
        "by account"
    );
    assert_eq!(
        count(FindingFilter {
            query: "SG-".into(),
            ..every
        }),
        2,
        "by resource id"
    );
}

#[test]
fn a_check_this_catalog_does_not_know_keeps_its_key_and_passes_any_severity_filter() {
    let catalog = Catalog::bundled();
    let ev = evidence(&[r("made_up_check", "x", Status::Fail, CLI)]);
    let findings = Findings::build(&catalog, &ev);
    let f = &findings.rows[0];
    assert_eq!(findings.check(f).title, "made_up_check");
    assert_eq!(findings.severity(f), None);
    let view = findings.filter(
        &FindingFilter {
            severities: vec![Severity::Critical],
            ..FindingFilter::default()
        },
        Grouping::Check,
    );
    assert_eq!(view.rows.len(), 1);
}

#[test]
fn every_status_has_a_place_in_the_counts() {
    for (i, status) in Status::ALL.into_iter().enumerate() {
        assert_eq!(status.index(), i);
        let mut counts = StatusCounts::default();
        counts.add(status);
        assert_eq!(counts.get(status), 1);
        assert_eq!(counts.total(), 1);
    }
}

#[test]
fn no_evidence_no_findings() {
    let catalog = Catalog::bundled();
    let ev = Evidence::default();
    let findings = Findings::build(&catalog, &ev);
    assert!(findings.is_empty());
    let view = findings.filter(&FindingFilter::default(), Grouping::Control);
    assert!(view.rows.is_empty() && view.groups.is_empty());
}
