use crate::import::import_bytes;
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, Status};

fn import(text: &str) -> Evidence {
    import_bytes(&Catalog::bundled(), "snapshot.json", text.as_bytes()).expect("imports")
}

fn results(ev: &Evidence) -> Vec<(String, String, Status)> {
    let mut out: Vec<_> = ev
        .results
        .iter()
        .map(|r| (r.check.to_string(), r.resource_id.to_string(), r.status))
        .collect();
    out.sort();
    out
}

/// A delivered snapshot's shape, with Config-rule verdicts as `AWS::Config::ResourceCompliance`
/// items (configuration as the snapshot gives it: an object; the user named by its id).
const SNAPSHOT: &str = r#"{"fileVersion": "1.0", "configSnapshotId": "abc", "configurationItems": [
  {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2024-05-01T10:00:00.000Z",
   "configurationStateId": 1, "awsAccountId": "111122223333", "configurationItemStatus": "OK",
   "resourceType": "AWS::IAM::User", "resourceId": "AIDAEXAMPLE1", "resourceName": "alice",
   "ARN": "arn:aws:iam::111122223333:user/alice", "awsRegion": "global",
   "configuration": {"userName": "alice", "userId": "AIDAEXAMPLE1", "attachedManagedPolicies": [], "userPolicyList": []},
   "supplementaryConfiguration": {}},
  {"configurationItemVersion": "1.3", "configurationItemCaptureTime": "2024-05-01T10:00:00.000Z",
   "awsAccountId": "111122223333", "configurationItemStatus": "OK",
   "resourceType": "AWS::Config::ResourceCompliance", "resourceId": "AWS::IAM::User/AIDAEXAMPLE1",
   "awsRegion": "us-east-1",
   "configuration": {"complianceType": "NON_COMPLIANT", "targetResourceType": "AWS::IAM::User",
     "targetResourceId": "AIDAEXAMPLE1", "configRuleList": [
       {"configRuleName": "securityhub-mfa-enabled-for-iam-console-access-85a761e4", "complianceType": "NON_COMPLIANT"},
       {"configRuleName": "access-keys-rotated", "complianceType": "COMPLIANT"},
       {"configRuleName": "iam-user-no-policies-check", "complianceType": "NON_COMPLIANT"},
       {"configRuleName": "my-custom-rule", "complianceType": "NON_COMPLIANT"}]}},
  {"configurationItemVersion": "1.3", "awsAccountId": "111122223333", "configurationItemStatus": "OK",
   "resourceType": "AWS::Config::ResourceCompliance", "resourceId": "AWS::::Account/111122223333",
   "awsRegion": "us-east-1",
   "configuration": "{\"complianceType\":\"COMPLIANT\",\"targetResourceType\":\"AWS::::Account\",\"targetResourceId\":\"111122223333\",\"configRuleList\":[{\"configRuleName\":\"root-account-mfa-enabled-conformance-pack-x1y2z3\",\"complianceType\":\"COMPLIANT\"},{\"configRuleName\":\"iam-root-access-key-check\",\"complianceType\":\"NOT_APPLICABLE\"}]}"},
  {"configurationItemVersion": "1.3", "awsAccountId": "111122223333", "configurationItemStatus": "ResourceDiscovered",
   "resourceType": "AWS::SNS::Topic", "resourceId": "arn:aws:sns:us-east-1:111122223333:t", "resourceName": "t",
   "awsRegion": "us-east-1"}
]}"#;

#[test]
fn config_rule_verdicts_in_a_snapshot_land_on_checks() {
    let ev = import(SNAPSHOT);
    let got = results(&ev);
    assert!(
        got.contains(&("iam_user_no_mfa".into(), "alice".into(), Status::Fail)),
        "{got:?}"
    );
    assert!(got.contains(&("iam_access_key_old".into(), "alice".into(), Status::Pass)));
    assert!(got.contains(&("root_no_mfa".into(), "111122223333".into(), Status::Pass)));
    // IAM.2's rule decides no check; NOT_APPLICABLE gives no result.
    assert!(
        !got.iter()
            .any(|r| r.0 == "iam_user_admin_policy_attached" && r.2 == Status::Fail)
    );
    assert!(!got.iter().any(|r| r.0 == "root_access_keys"));
    // Verdicts are not resources of the account.
    assert!(
        !ev.resources
            .iter()
            .any(|r| &*r.resource_type == "AWS::Config::ResourceCompliance")
    );
    let warnings: Vec<String> = ev.warnings.iter().map(|w| w.message.clone()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("2 Config-rule verdicts")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("1 items without a configuration")),
        "{warnings:?}"
    );
}

#[test]
fn single_items_notifications_events_and_empty_snapshots_import() {
    let item = r#"{"configurationItemCaptureTime": "2024-05-01T10:00:00.000Z", "configurationItemStatus": "OK",
        "accountId": "111122223333", "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-1", "awsRegion": "eu-west-1",
        "configuration": {"groupId": "sg-1", "groupName": "web", "ipPermissions": [{"ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
          "ipRanges": ["0.0.0.0/0"], "ipv4Ranges": [{"cidrIp": "0.0.0.0/0"}]}], "ipPermissionsEgress": []}}"#;
    let flat = item.replace('\n', " ");
    let want = (
        "sg_open_ssh_world".to_owned(),
        "sg-1".to_owned(),
        Status::Fail,
    );
    for text in [
        item.to_owned(),
        format!("{flat}\n{flat}\n"),
        format!(
            r#"{{"configurationItem": {item}, "messageType": "ConfigurationItemChangeNotification"}}"#
        ),
        format!(
            r#"{{"version": "0", "detail-type": "Config Configuration Item Change", "source": "aws.config", "detail": {{"configurationItem": {item}}}}}"#
        ),
    ] {
        let got = results(&import(&text));
        assert!(got.contains(&want), "{text}\n{got:?}");
    }
    let ev = import(r#"{"fileVersion": "1.0", "configSnapshotId": "x", "configurationItems": []}"#);
    assert!(ev.results.is_empty());
    assert!(
        ev.warnings
            .iter()
            .any(|w| w.message.contains("nothing was found"))
    );
}

#[test]
fn a_bucket_with_an_empty_supplementary_configuration_is_unknown_not_failing() {
    let ev = import(
        r#"{"configurationItems": [{"configurationItemStatus": "OK", "awsAccountId": "1", "awsRegion": "eu-west-1",
            "resourceType": "AWS::S3::Bucket", "resourceId": "b", "resourceName": "b",
            "configuration": {"name": "b"}, "supplementaryConfiguration": {}}]}"#,
    );
    assert!(ev.failing().is_empty(), "{:?}", ev.failing());
    assert!(
        ev.results
            .iter()
            .filter(|r| &*r.resource_id == "b")
            .all(|r| r.status == Status::Unknown)
    );
}

/// Conformance packs: `AWS::Config::ConformancePackCompliance` items hold one verdict per rule
/// over the whole pack (awslabs/aws-config-resource-schema: `configRuleList` of
/// `configRuleName`, `complianceType`, `configRuleArn`, `controls`; no resource).
const PACKS: &str = r#"{"configurationItems": [
  {"configurationItemCaptureTime": "2024-05-02T10:00:00.000Z", "awsAccountId": "111122223333",
   "configurationItemStatus": "OK", "resourceType": "AWS::Config::ConformancePackCompliance",
   "resourceId": "conformance-pack-abc", "resourceName": "Operational-Best-Practices-for-CIS", "awsRegion": "eu-west-1",
   "configuration": {"complianceType": "NON_COMPLIANT", "totalRuleCount": 4, "compliantRuleCount": 2,
     "nonCompliantRuleCount": 2, "configRuleList": [
       {"configRuleName": "root-account-mfa-enabled-conformance-pack-7ff1wzf4g", "complianceType": "NON_COMPLIANT",
        "configRuleArn": "arn:aws:config:eu-west-1:111122223333:config-rule/aws-service-rule/config-conforms.amazonaws.com/config-rule-1", "controls": []},
       {"configRuleName": "iam-password-policy-conformance-pack-7ff1wzf4g", "complianceType": "COMPLIANT"},
       {"configRuleName": "s3-bucket-versioning-enabled-conformance-pack-7ff1wzf4g", "complianceType": "NON_COMPLIANT"},
       {"configRuleName": "restricted-ssh-conformance-pack-7ff1wzf4g", "complianceType": "COMPLIANT"}]}},
  {"configurationItemCaptureTime": "2024-05-02T10:00:00.000Z", "awsAccountId": "111122223333",
   "configurationItemStatus": "OK", "resourceType": "AWS::Config::ResourceCompliance",
   "resourceId": "AWS::S3::Bucket/logs", "awsRegion": "eu-west-1",
   "configuration": {"complianceType": "NON_COMPLIANT", "targetResourceType": "AWS::S3::Bucket",
     "targetResourceId": "logs", "configRuleList": [
       {"configRuleName": "s3-bucket-versioning-enabled-conformance-pack-7ff1wzf4g", "complianceType": "NON_COMPLIANT"}]}}
]}"#;

#[test]
fn conformance_pack_items_are_verdicts_not_resources() {
    let ev = import(PACKS);
    assert!(ev.resources.is_empty(), "{:?}", ev.resources);
    let got = results(&ev);
    // Account-level rules: the pack's verdict is the account's.
    assert!(
        got.contains(&("root_no_mfa".into(), "111122223333".into(), Status::Fail)),
        "{got:?}"
    );
    assert!(got.contains(&(
        "iam_password_policy_weak".into(),
        "111122223333".into(),
        Status::Pass
    )));
    // A per-resource rule's pack verdict names no bucket; the ResourceCompliance item does,
    // and its conformance-pack rule name maps like the plain rule.
    assert!(got.contains(&("s3_versioning_off".into(), "logs".into(), Status::Fail)));
    assert_eq!(got.len(), 3, "{got:?}");
    let warnings: Vec<String> = ev.warnings.iter().map(|w| w.message.clone()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("1 conformance-pack compliance items")
                && w.contains("2 verdicts of rules over other resources")
                && w.contains(
                    "NON_COMPLIANT: s3-bucket-versioning-enabled-conformance-pack-7ff1wzf4g"
                )),
        "{warnings:?}"
    );
    // The verdicts carry the items' capture time.
    assert!(
        ev.results
            .iter()
            .all(|r| r.observed_at.as_deref() == Some("2024-05-02T10:00:00.000Z"))
    );
}

#[test]
fn the_newer_of_two_snapshots_gives_the_result() {
    let item = |time: &str, port: u16| {
        format!(
            r#"{{"configurationItems": [{{"configurationItemCaptureTime": "{time}", "configurationItemStatus": "OK",
            "accountId": "111122223333", "resourceType": "AWS::EC2::SecurityGroup", "resourceId": "sg-1", "awsRegion": "eu-west-1",
            "configuration": {{"groupId": "sg-1", "groupName": "web", "ipPermissions": [{{"ipProtocol": "tcp", "fromPort": {port}, "toPort": {port},
              "ipRanges": ["0.0.0.0/0"], "ipv4Ranges": [{{"cidrIp": "0.0.0.0/0"}}]}}], "ipPermissionsEgress": []}}}}]}}"#
        )
    };
    let catalog = Catalog::bundled();
    let old = import_bytes(
        &catalog,
        "may.json",
        item("2024-05-01T10:00:00.000Z", 22).as_bytes(),
    )
    .expect("imports");
    let new = import_bytes(
        &catalog,
        "june.json",
        item("2024-06-01T10:00:00.000Z", 443).as_bytes(),
    )
    .expect("imports");
    let mut ev = old;
    ev.merge(new);
    let ssh: Vec<_> = ev
        .results
        .iter()
        .filter(|r| &*r.check == "sg_open_ssh_world")
        .collect();
    assert_eq!(ssh.len(), 1, "{ssh:?}");
    assert_eq!(ssh[0].status, Status::Pass);
    assert!(
        ssh[0]
            .detail
            .ends_with("(newest of 2; earlier: FAILED at 2024-05-01T10:00:00.000Z in may.json)"),
        "{}",
        ssh[0].detail
    );
}
