use crate::import::import_bytes;
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, Status};

fn finding(control: &str, resource: &str, status: &str, extra: &str) -> String {
    format!(
        r#"{{"SchemaVersion": "2018-10-08", "Id": "f-{control}-{resource}-{status}", "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub",
            "AwsAccountId": "111122223333", "Region": "eu-west-1", "Title": "t",
            "Compliance": {{"Status": "{status}", "SecurityControlId": "{control}"}},
            "Resources": [{{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::{resource}"}}]{extra}}}"#
    )
}

fn import(text: &str) -> Evidence {
    import_bytes(&Catalog::bundled(), "findings.json", text.as_bytes()).expect("imports")
}

fn statuses(ev: &Evidence, check: &str) -> Vec<(String, Status)> {
    ev.results
        .iter()
        .filter(|r| &*r.check == check)
        .map(|r| (r.resource_id.to_string(), r.status))
        .collect()
}

#[test]
fn prowler_asff_names_its_check_in_the_generator_id() {
    let text = r#"[{"SchemaVersion": "2018-10-08", "Id": "p1", "ProductArn": "arn:aws:securityhub:eu-west-1::product/prowler/prowler",
        "GeneratorId": "prowler-s3_bucket_default_encryption", "AwsAccountId": "123456789012", "Title": "enc",
        "ProductFields": {"ProviderName": "Prowler", "ProviderVersion": "3.3.0"},
        "Compliance": {"Status": "FAILED"}, "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b1", "Region": "eu-west-1"}]},
       {"SchemaVersion": "2018-10-08", "Id": "p2", "ProductArn": "arn:aws:securityhub:eu-west-1::product/prowler/prowler",
        "GeneratorId": "prowler-iam_policy_attached_only_to_group_or_roles", "AwsAccountId": "123456789012", "Title": "pol",
        "Compliance": {"Status": "FAILED"}, "Resources": [{"Type": "AwsIamUser", "Id": "arn:aws:iam::123456789012:user/u", "Region": "eu-west-1"}]}]"#;
    let ev = import(text);
    assert_eq!(
        statuses(&ev, "s3_default_encryption_off"),
        vec![("b1".to_owned(), Status::Fail)]
    );
    // A policy (any policy) attached to a user is not an administrator policy (issue 10 item 3).
    assert!(statuses(&ev, "iam_user_admin_policy_attached").is_empty());
    let warnings: Vec<String> = ev.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("Prowler checks")
            && w.contains("iam_policy_attached_only_to_group_or_roles")),
        "{warnings:?}"
    );
    assert!(
        !warnings.iter().any(|w| w.contains("GuardDuty")),
        "{warnings:?}"
    );
}

#[test]
fn security_hub_iam_2_lands_on_no_check() {
    let ev = import(&format!(
        r#"{{"Findings": [{}]}}"#,
        finding("IAM.2", "x", "FAILED", "")
    ));
    assert!(ev.results.is_empty(), "{:?}", ev.results);
}

#[test]
fn cis_generator_ids_are_translated_with_aws_table() {
    let text = r#"{"Findings": [{"SchemaVersion": "2018-10-08", "Id": "c1", "ProductArn": "arn:aws:securityhub:us-east-1::product/aws/securityhub",
        "GeneratorId": "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/2.2", "AwsAccountId": "1", "Title": "t",
        "Compliance": {"Status": "FAILED"}, "Resources": [{"Type": "AwsCloudTrailTrail", "Id": "arn:aws:cloudtrail:us-east-1:1:trail/t", "Region": "us-east-1"}]}]}"#;
    let ev = import(text);
    assert_eq!(
        statuses(&ev, "cloudtrail_log_validation_off"),
        vec![("t".to_owned(), Status::Fail)]
    );
}

#[test]
fn suppressed_findings_are_their_own_status_and_archived_give_nothing() {
    let text = format!(
        r#"{{"Findings": [{}, {}, {}]}}"#,
        finding(
            "S3.5",
            "sup",
            "FAILED",
            r#", "Workflow": {"Status": "SUPPRESSED"}"#
        ),
        finding(
            "S3.5",
            "okay",
            "PASSED",
            r#", "Workflow": {"Status": "SUPPRESSED"}"#
        ),
        finding("S3.5", "gone", "FAILED", r#", "RecordState": "ARCHIVED""#),
    );
    let ev = import(&text);
    assert_eq!(
        statuses(&ev, "s3_tls_not_enforced"),
        vec![
            ("sup".to_owned(), Status::Suppressed),
            ("okay".to_owned(), Status::Pass)
        ]
    );
    assert!(ev.failing().is_empty());
}

#[test]
fn the_newest_finding_wins_and_the_older_is_named() {
    let text = format!(
        r"[{}, {}, {}]",
        finding(
            "S3.5",
            "b",
            "PASSED",
            r#", "UpdatedAt": "2024-05-01T00:00:00Z""#
        ),
        finding(
            "S3.5",
            "b",
            "FAILED",
            r#", "UpdatedAt": "2024-03-01T00:00:00Z""#
        ),
        finding(
            "S3.5",
            "c",
            "FAILED",
            r#", "UpdatedAt": "2024-03-01T00:00:00Z""#
        ),
    );
    let ev = import(&text);
    assert_eq!(
        statuses(&ev, "s3_tls_not_enforced"),
        vec![
            ("b".to_owned(), Status::Pass),
            ("c".to_owned(), Status::Fail)
        ]
    );
    let b = ev
        .results
        .iter()
        .find(|r| &*r.resource_id == "b")
        .expect("b");
    assert!(
        b.detail.contains("FAILED at 2024-03-01T00:00:00Z"),
        "{}",
        b.detail
    );
}

#[test]
fn ndjson_eventbridge_and_paginated_outputs_are_read() {
    let ndjson = format!(
        "{}\n{}\n",
        finding("S3.5", "a", "FAILED", "").replace('\n', " "),
        finding("S3.5", "b", "PASSED", "").replace('\n', " ")
    );
    let ev = import(&ndjson);
    assert_eq!(statuses(&ev, "s3_tls_not_enforced").len(), 2);
    let event = format!(
        r#"{{"version": "0", "detail-type": "Security Hub Findings - Imported", "source": "aws.securityhub",
            "detail": {{"findings": [{}]}}}}"#,
        finding("S3.5", "e", "FAILED", "")
    );
    let ev = import(&event);
    assert_eq!(
        statuses(&ev, "s3_tls_not_enforced"),
        vec![("e".to_owned(), Status::Fail)]
    );
    let paged = format!(
        r#"{{"Findings": [{}], "NextToken": "abc"}}"#,
        finding("S3.5", "p", "FAILED", "")
    );
    let ev = import(&paged);
    assert!(
        ev.warnings
            .iter()
            .any(|w| w.message.contains("one page of several")),
        "{:?}",
        ev.warnings
    );
}

#[test]
fn prowler_asff_warning_is_muted_and_security_hub_warning_is_not() {
    // As Prowler writes a muted finding: Compliance.Status WARNING, no Workflow.
    let prowler = r#"[{"SchemaVersion": "2018-10-08", "Id": "p1", "ProductArn": "arn:aws:securityhub:eu-west-1::product/prowler/prowler",
        "GeneratorId": "prowler-s3_bucket_default_encryption", "AwsAccountId": "123456789012", "Title": "enc",
        "Compliance": {"Status": "WARNING"}, "Resources": [{"Type": "AwsS3Bucket", "Id": "arn:aws:s3:::b1", "Region": "eu-west-1"}]}]"#;
    let ev = import(prowler);
    assert_eq!(
        statuses(&ev, "s3_default_encryption_off"),
        vec![("b1".to_owned(), Status::Muted)]
    );
    assert!(
        ev.results[0].detail.contains("WARNING, MUTED"),
        "{}",
        ev.results[0].detail
    );
    // Security Hub's own WARNING (the control could not be evaluated) stays undecided.
    let hub = import(&format!(
        r#"{{"Findings": [{}]}}"#,
        finding("S3.5", "b2", "WARNING", "")
    ));
    assert_eq!(
        statuses(&hub, "s3_tls_not_enforced"),
        vec![("b2".to_owned(), Status::Unknown)]
    );
}
