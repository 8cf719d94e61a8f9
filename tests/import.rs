//! Import tests against the samples in `tests/fixtures/samples` (see its README): the acme-retail
//! answer key, every public sample file, and hostile inputs.

use demarc::import::{self, ImportError, Limits, Progress};
use demarc::model::catalog::Catalog;
use demarc::model::evidence::{Evidence, SourceFormat, Status};
use demarc::storage::snapshot::import_path;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn acme() -> PathBuf {
    shared().join("samples/acme-retail")
}

fn import(path: &Path) -> Result<Evidence, ImportError> {
    import_with(path, Limits::default())
}

fn import_with(path: &Path, limits: Limits) -> Result<Evidence, ImportError> {
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: Progress| {};
    import_path(&catalog, path, &cancel, &mut quiet, limits)
}

type Finding = (String, String, String);

/// (check, resource, region) of the answer key's failing findings.
fn expected() -> BTreeSet<Finding> {
    let text = std::fs::read_to_string(acme().join("expected.json")).expect("expected.json");
    let key: serde_json::Value = serde_json::from_str(&text).expect("valid answer key");
    key["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let s = |k: &str| f[k].as_str().expect("string field").to_owned();
            (s("key"), s("resource_id"), s("region"))
        })
        .collect()
}

/// Failing results of one source format.
fn fails(evidence: &Evidence, format: SourceFormat) -> BTreeSet<Finding> {
    let paths: BTreeSet<&str> = evidence
        .sources
        .iter()
        .filter(|s| s.format == format)
        .map(|s| s.path.as_str())
        .collect();
    let from = |source: &str| {
        paths
            .iter()
            .any(|p| source == *p || source.starts_with(&format!("{p}/")))
    };
    let other: Vec<&str> = evidence
        .sources
        .iter()
        .filter(|s| s.format != format)
        .map(|s| s.path.as_str())
        .collect();
    evidence
        .results
        .iter()
        .filter(|r| r.status == Status::Fail && from(&r.source) && !other.contains(&&*r.source))
        .map(|r| {
            (
                r.check.to_string(),
                r.resource_id.to_string(),
                r.region.to_string(),
            )
        })
        .collect()
}

fn assert_same(got: &BTreeSet<Finding>, want: &BTreeSet<Finding>, what: &str) {
    let missing: Vec<_> = want.difference(got).collect();
    let extra: Vec<_> = got.difference(want).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}:\n  missed: {missing:#?}\n  extra fails: {extra:#?}"
    );
}

#[test]
fn acme_cli_folder_yields_exactly_the_answer_key() {
    let evidence = import(&acme().join("cli")).expect("the collection imports");
    assert_same(
        &fails(&evidence, SourceFormat::AwsCliCollection),
        &expected(),
        "acme-retail CLI folder",
    );
    let collection = evidence
        .sources
        .iter()
        .find(|s| s.format == SourceFormat::AwsCliCollection)
        .expect("source");
    assert_eq!(collection.accounts, ["314159265358"]);
    assert_eq!(collection.regions, ["us-east-1"]);
    // The Security Hub findings collected alongside come in as their own source and agree.
    assert!(
        evidence
            .sources
            .iter()
            .any(|s| s.format == SourceFormat::SecurityHubAsff)
    );
    let catalog = Catalog::bundled();
    let disputed: Vec<_> = evidence
        .cells(&catalog)
        .into_iter()
        .filter(|(_, c)| c.disagreement)
        .collect();
    assert!(disputed.is_empty(), "{disputed:#?}");
    // Every failing Security Hub finding lands on a cell the answer key fails too.
    let failing_cells: BTreeSet<(String, String)> = evidence
        .results
        .iter()
        .filter(|r| {
            r.status == Status::Fail && !r.source.ends_with("securityhub_get-findings.json")
        })
        .map(|r| (r.service.to_string(), r.control.to_string()))
        .collect();
    for r in evidence
        .results
        .iter()
        .filter(|r| r.source.ends_with("securityhub_get-findings.json") && r.status == Status::Fail)
    {
        assert!(
            failing_cells.contains(&(r.service.to_string(), r.control.to_string())),
            "{r:?}"
        );
    }
}

#[test]
fn acme_services_in_use_match_the_answer_key() {
    let evidence = import(&acme().join("cli")).expect("imports");
    let catalog = Catalog::bundled();
    let text = std::fs::read_to_string(acme().join("expected.json")).expect("expected.json");
    let key: serde_json::Value = serde_json::from_str(&text).expect("json");
    // The answer key names services by their AWS names; three differ from the catalog's.
    let alias = BTreeMap::from([
        ("AWS Identity and Access Management", "iam"),
        ("AWS Key Management Service", "kms"),
        ("Amazon CloudWatch Logs", "cloudwatch"),
    ]);
    let want: BTreeSet<String> = key["services_in_use"]
        .as_array()
        .expect("list")
        .iter()
        .map(|s| {
            let name = s["name"].as_str().expect("name");
            alias.get(name).map_or_else(
                || {
                    catalog
                        .services
                        .iter()
                        .find(|c| c.name == name)
                        .unwrap_or_else(|| panic!("{name} not in catalog"))
                        .id
                        .clone()
                },
                |id| (*id).to_owned(),
            )
        })
        .collect();
    let got: BTreeSet<String> = evidence
        .services_in_use()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(got, want);
    assert!(
        evidence.unmapped_resource_types().is_empty(),
        "{:?}",
        evidence.unmapped_resource_types()
    );
    let counts: BTreeMap<String, usize> = evidence.services_in_use().into_iter().collect();
    assert_eq!(counts.get("s3"), Some(&7));
    assert_eq!(counts.get("ec2"), Some(&5));
}

/// What an AWS Config snapshot cannot show: account-level settings AWS Config has no resource
/// type for, console/MFA facts of IAM users, and (so) whether an account-level Block Public
/// Access covers a bucket without its own.
fn not_in_config_snapshots(f: &Finding) -> bool {
    matches!(
        f.0.as_str(),
        "s3_account_public_access_block_off"
            | "ebs_default_encryption_off"
            | "root_no_mfa"
            | "iam_password_policy_weak"
            | "iam_user_no_mfa"
    ) || (f.0 == "s3_public_access_block_off")
}

#[test]
fn acme_config_snapshot_yields_the_answer_key_minus_what_config_cannot_see() {
    let evidence = import(&acme().join("config-snapshot.json")).expect("the snapshot imports");
    assert_eq!(evidence.sources[0].format, SourceFormat::AwsConfigSnapshot);
    let want: BTreeSet<Finding> = expected()
        .into_iter()
        .filter(|f| !not_in_config_snapshots(f))
        .collect();
    assert_same(
        &fails(&evidence, SourceFormat::AwsConfigSnapshot),
        &want,
        "acme-retail Config snapshot",
    );
    // The findings it cannot see are unknown or absent, never a pass.
    for f in expected().iter().filter(|f| not_in_config_snapshots(f)) {
        let passed = evidence
            .results
            .iter()
            .any(|r| *r.check == f.0 && *r.resource_id == f.1 && r.status == Status::Pass);
        assert!(!passed, "{f:?} must not pass without data");
    }
    let unknown: BTreeSet<(&str, &str)> = evidence
        .results
        .iter()
        .filter(|r| r.status == Status::Unknown)
        .map(|r| (&*r.check, &*r.resource_id))
        .collect();
    assert!(unknown.contains(&("s3_public_access_block_off", "acme-retail-web-assets")));
    assert!(unknown.contains(&("iam_user_no_mfa", "bob.dev")));
}

#[test]
fn gzip_snapshot_gives_the_same_results_as_plain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = std::fs::read(acme().join("config-snapshot.json")).expect("read");
    let gz_path = dir.path().join("snapshot-without-extension");
    let mut enc = GzEncoder::new(Vec::new(), Compression::default());
    enc.write_all(&plain).expect("gzip");
    std::fs::write(&gz_path, enc.finish().expect("gzip")).expect("write");
    let a = import(&acme().join("config-snapshot.json")).expect("plain");
    let b = import(&gz_path).expect("gzip");
    assert_eq!(
        fails(&a, SourceFormat::AwsConfigSnapshot),
        fails(&b, SourceFormat::AwsConfigSnapshot)
    );
    assert_eq!(a.resources.len(), b.resources.len());
}

fn zip_folder(folder: &Path, out: &Path, prefix: &str, extra: &[(&str, &[u8])]) {
    let file = std::fs::File::create(out).expect("create zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut names: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        zip.start_file(format!("{prefix}{name}"), options)
            .expect("entry");
        zip.write_all(&std::fs::read(&path).expect("read"))
            .expect("write");
    }
    for (name, bytes) in extra {
        zip.start_file(*name, options).expect("entry");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish");
}

#[test]
fn acme_as_zip_matches_the_folder_and_refuses_escaping_entries() {
    let dir = tempfile::tempdir().expect("temp dir");
    let zip_path = dir.path().join("acme.zip");
    zip_folder(
        &acme().join("cli"),
        &zip_path,
        "acme-cli/",
        &[("../evil.json", b"{}"), ("/etc/owned.json", b"{}")],
    );
    let evidence = import(&zip_path).expect("the zip imports");
    assert_same(
        &fails(&evidence, SourceFormat::AwsCliCollection),
        &expected(),
        "acme-retail zip",
    );
    let refused: Vec<_> = evidence
        .warnings
        .iter()
        .filter(|w| w.message.contains("leaves the archive"))
        .collect();
    assert_eq!(refused.len(), 2, "{:#?}", evidence.warnings);
    assert!(refused.iter().any(|w| w.location == "../evil.json"));
}

#[test]
fn manifest_json_given_alone_opens_its_folder() {
    let evidence = import(&acme().join("cli/manifest.json")).expect("imports the folder");
    assert_same(
        &fails(&evidence, SourceFormat::AwsCliCollection),
        &expected(),
        "via manifest.json",
    );
}

#[test]
fn every_public_sample_imports_or_is_rejected_clearly() {
    let root = shared().join("samples/public");
    let mut files = Vec::new();
    let mut pending = vec![root.clone()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("list").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|e| e == "json" || e == "js" || e == "gz")
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 30, "found {} data files", files.len());
    let mut outcome = BTreeMap::new();
    for path in &files {
        let rel = path
            .strip_prefix(&root)
            .expect("under root")
            .to_string_lossy()
            .into_owned();
        match import(path) {
            Ok(evidence) => {
                assert_eq!(evidence.sources.len(), 1, "{rel}");
                outcome.insert(rel, Ok(evidence.sources[0].format));
            }
            Err(err) => {
                let message = err.to_string();
                assert!(
                    message.ends_with(&path.display().to_string()),
                    "the message names the file: {message}"
                );
                assert!(
                    matches!(
                        err,
                        ImportError::Unsupported { .. } | ImportError::Invalid { .. }
                    ),
                    "{rel}: {message}"
                );
                outcome.insert(rel, Err(message));
            }
        }
    }
    let ok = |name: &str, format: SourceFormat| {
        assert_eq!(
            outcome.get(name).and_then(|o| o.as_ref().ok()),
            Some(&format),
            "{name}: {:?}",
            outcome.get(name)
        );
    };
    let rejected = |name: &str, needle: &str| {
        let message = outcome
            .get(name)
            .and_then(|o| o.as_ref().err())
            .unwrap_or_else(|| panic!("{name} should be rejected: {:?}", outcome.get(name)));
        assert!(message.contains(needle), "{name}: {message}");
    };
    ok(
        "prowler/example_output_aws.ocsf.json",
        SourceFormat::ProwlerOcsf,
    );
    ok(
        "defectdojo-unittests/aws_prowler_v3plus/many_vuln.ocsf.json",
        SourceFormat::ProwlerOcsf,
    );
    ok(
        "defectdojo-unittests/aws_prowler_v3plus/one_vuln_after_4_5_0.ocsf.json",
        SourceFormat::ProwlerOcsf,
    );
    ok(
        "defectdojo-unittests/awssecurityhub/config_multiple_resources.json",
        SourceFormat::SecurityHubAsff,
    );
    ok(
        "defectdojo-unittests/awssecurityhub/guardduty.json",
        SourceFormat::SecurityHubAsff,
    );
    ok(
        "defectdojo-unittests/awssecurityhub/inspector_ec2_cve.json",
        SourceFormat::SecurityHubAsff,
    );
    rejected(
        "defectdojo-unittests/aws_prowler/many_vuln.json",
        "Prowler v2",
    );
    rejected(
        "defectdojo-unittests/aws_prowler_v3plus/many_vuln.json",
        "Prowler v3",
    );
    rejected("defectdojo-unittests/scout_suite/new2.js.gz", "ScoutSuite");
    rejected(
        "defectdojo-unittests/scout_suite/two_findings.js",
        "ScoutSuite",
    );
    rejected(
        "aws-config-resource-schema/AWS__S3__Bucket.properties.json",
        "another shape",
    );
    rejected(
        "aws-config-resource-schema/AWS.properties.json.gz",
        "another shape",
    );
}

#[test]
fn security_hub_findings_land_on_cells_through_control_ids() {
    let path = shared()
        .join("samples/public/defectdojo-unittests/awssecurityhub/config_multiple_resources.json");
    let evidence = import(&path).expect("imports");
    let fails: BTreeSet<(&str, &str)> = evidence
        .results
        .iter()
        .filter(|r| r.status == Status::Fail)
        .map(|r| (&*r.check, &*r.resource_id))
        .collect();
    // EC2.2 on two security groups (and a VPC); S3.8 on two buckets.
    assert!(
        fails.contains(&("default_sg_not_restricted", "sg-0fff2222bbbb1111a")),
        "{fails:?}"
    );
    assert!(
        fails.contains(&("s3_public_access_block_off", "zeta-reports-bucket")),
        "{fails:?}"
    );
    assert!(
        fails.contains(&("s3_public_access_block_off", "alpha-artifacts-bucket")),
        "{fails:?}"
    );
    let services: BTreeSet<String> = evidence
        .services_in_use()
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert!(
        services.contains("s3") && services.contains("vpc"),
        "{services:?}"
    );
}

// ------------------------------------------------------------------------------ bad input

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn truncated_json_keeps_what_was_read_and_says_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let full = std::fs::read(acme().join("config-snapshot.json")).expect("read");
    let path = write(dir.path(), "cut.json", &full[..full.len() / 2]);
    let evidence = import(&path).expect("the complete items before the cut import");
    assert!(!evidence.resources.is_empty());
    let w = evidence
        .warnings
        .iter()
        .find(|w| w.message.contains("ends early"))
        .expect("a warning about the cut");
    assert!(
        w.source.ends_with("cut.json") && w.location.starts_with("configurationItems["),
        "{w}"
    );
    // Cut before the first item: nothing to keep, an error naming the file.
    let path = write(dir.path(), "stub.json", &full[..40]);
    let err = import(&path).expect_err("nothing to import");
    assert!(
        err.to_string().contains("ends early") && err.to_string().ends_with("stub.json"),
        "{err}"
    );
}

#[test]
fn other_shaped_binary_and_empty_files_are_rejected_with_reasons() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, bytes, needle) in [
        (
            "other.json",
            &br#"{"Users": [{"UserName": "x"}]}"#[..],
            "another shape",
        ),
        ("binary.json", &[0u8, 159, 146, 150, 1, 2, 3][..], "binary"),
        ("empty.json", &b""[..], "empty"),
        ("spaces.json", &b"   \n  "[..], "whitespace"),
        ("text.txt", &b"hello, this is not json"[..], "not JSON"),
    ] {
        let path = write(dir.path(), name, bytes);
        let err = import(&path).expect_err(name);
        let message = err.to_string();
        assert!(
            message.contains(needle) && message.ends_with(name),
            "{name}: {message}"
        );
    }
    let err = import(&dir.path().join("nope.json")).expect_err("missing");
    assert!(err.to_string().contains("no such file"), "{err}");
}

#[test]
fn files_over_the_size_limit_are_refused_before_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(dir.path(), "big.json", &vec![b' '; 4096]);
    let limits = Limits {
        max_file_bytes: 1024,
        ..Limits::default()
    };
    let err = import_with(&path, limits).expect_err("too large");
    assert!(
        matches!(err, ImportError::TooLarge { .. }) && err.to_string().contains("limit"),
        "{err}"
    );
}

#[test]
fn a_gzip_that_expands_without_end_is_stopped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(br#"{"fileVersion":"1.0","configurationItems":["#)
        .expect("gzip");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&spaces).expect("gzip");
    }
    let bytes = enc.finish().expect("gzip");
    assert!(
        bytes.len() < 1 << 20,
        "a small file that expands 64x and more"
    );
    let path = write(dir.path(), "bomb.json.gz", &bytes);
    let limits = Limits {
        max_inflated_bytes: 8 << 20,
        ..Limits::default()
    };
    let err = import_with(&path, limits).expect_err("stopped");
    assert!(
        err.to_string().contains("expands to more than")
            && err.to_string().ends_with("bomb.json.gz"),
        "{err}"
    );
}

#[test]
fn bad_records_are_skipped_with_warnings_and_the_rest_imports() {
    let snapshot = br#"{"fileVersion": "1.0", "configurationItems": [
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-good", "awsRegion": "us-east-1", "awsAccountId": "1",
         "configuration": {"encrypted": false}},
        {"resourceId": "no-type"},
        {"resourceType": 5, "resourceId": "wrong-type"},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-odd", "awsRegion": "us-east-1", "awsAccountId": "1",
         "configuration": {"encrypted": "maybe"}},
        {"resourceType": "AWS::EC2::Volume", "resourceId": "vol-str", "configuration": "not json"},
        {"resourceType": "AWS::Nope::Thing", "resourceId": "t-1", "awsRegion": "us-east-1", "awsAccountId": "1", "configuration": {}},
        42
    ]}"#;
    let catalog = Catalog::bundled();
    let evidence = import::import_bytes(&catalog, "mixed.json", snapshot).expect("imports");
    let status = |id: &str| {
        evidence
            .results
            .iter()
            .find(|r| &*r.resource_id == id && &*r.check == "ebs_unencrypted")
            .map(|r| r.status)
    };
    assert_eq!(status("vol-good"), Some(Status::Fail));
    assert_eq!(
        status("vol-odd"),
        Some(Status::Unknown),
        "a wrong type is unknown, not a guess"
    );
    let locations: Vec<&str> = evidence
        .warnings
        .iter()
        .map(|w| w.location.as_str())
        .collect();
    for index in [1, 2, 4, 6] {
        assert!(
            locations
                .iter()
                .any(|l| l.starts_with(&format!("configurationItems[{index}]"))),
            "warning for item {index}: {locations:?}"
        );
    }
    assert!(evidence.warnings.iter().all(|w| w.source == "mixed.json"));
    assert_eq!(
        evidence.unmapped_resource_types(),
        [("AWS::Nope::Thing".to_owned(), 1)]
    );
}

#[test]
fn import_can_be_cancelled_and_reports_progress() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = write(
        dir.path(),
        "synth.json",
        &import::synth::config_snapshot(3000, 1),
    );
    let size = std::fs::metadata(&path).expect("meta").len();
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut seen = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    let evidence =
        import_path(&catalog, &path, &cancel, &mut record, Limits::default()).expect("imports");
    assert_eq!(evidence.resources.len(), 3000);
    assert!(seen.len() > 2, "progress reported along the way");
    assert!(seen.windows(2).all(|w| w[0].bytes_read <= w[1].bytes_read));
    assert_eq!(
        seen.last().map(|p| (p.bytes_read, p.total)),
        Some((size, Some(size)))
    );
    let cancel = AtomicBool::new(true);
    let mut quiet = |_: Progress| {};
    let err = import_path(&catalog, &path, &cancel, &mut quiet, Limits::default())
        .expect_err("cancelled");
    assert!(matches!(err, ImportError::Cancelled { .. }), "{err}");
}

#[test]
fn collection_accepts_cli_v1_epoch_and_v2_iso_timestamps() {
    let catalog = Catalog::bundled();
    let collected = "2026-11-28T00:00:00Z";
    let old_epoch = 1_795_824_000 - 200 * 86_400; // 200 days before collection
    for created in [
        serde_json::json!(old_epoch),
        serde_json::json!("2026-05-12T00:00:00+00:00"),
    ] {
        let manifest = serde_json::json!({
            "account_id": "111122223333", "region": "eu-west-1", "regions": ["eu-west-1"], "collected_at": collected,
            "commands": [
                {"service": "iam", "operation": "list-users", "region": "eu-west-1", "params": {}, "status": "ok", "file": "iam_list-users.json"},
                {"service": "iam", "operation": "list-access-keys", "region": "eu-west-1", "params": {"--user-name": "old"}, "status": "ok",
                 "file": "iam_list-access-keys--user-name=old.json"},
                {"service": "iam", "operation": "get-login-profile", "region": "eu-west-1", "params": {"--user-name": "old"}, "status": "error",
                 "file": "iam_get-login-profile--user-name=old.err"},
                {"service": "kms", "operation": "describe-key", "region": "eu-west-1", "params": {"--key-id": "k"}, "status": "ok", "file": "missing.json"}
            ]
        });
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert(
            "manifest.json".to_owned(),
            manifest.to_string().into_bytes(),
        );
        files.insert(
            "iam_list-users.json".to_owned(),
            br#"{"Users": [{"UserName": "old"}]}"#.to_vec(),
        );
        files.insert(
            "iam_list-access-keys--user-name=old.json".to_owned(),
            serde_json::json!({"AccessKeyMetadata": [{"AccessKeyId": "AKIAOLD", "Status": "Active", "CreateDate": created}]}).to_string().into_bytes(),
        );
        files.insert(
            "iam_get-login-profile--user-name=old.err".to_owned(),
            b"\nAn error occurred (NoSuchEntity) when calling the GetLoginProfile operation: none"
                .to_vec(),
        );
        let cancel = AtomicBool::new(false);
        let mut quiet = |_: Progress| {};
        let mut ctx = import::ImportCtx {
            cancel: &cancel,
            progress: &mut quiet,
            limits: Limits::default(),
        };
        let evidence = import::collection::import(&catalog, "mem", &mut files, None, &mut ctx)
            .expect("imports");
        let result = |check: &str| {
            evidence
                .results
                .iter()
                .find(|r| &*r.check == check && &*r.resource_id == "old")
                .map(|r| r.status)
        };
        assert_eq!(
            result("iam_access_key_old"),
            Some(Status::Fail),
            "created {created}"
        );
        assert_eq!(
            result("iam_user_no_mfa"),
            Some(Status::Pass),
            "no console password"
        );
        assert!(
            evidence
                .warnings
                .iter()
                .any(|w| w.source == "mem/missing.json"),
            "{:?}",
            evidence.warnings
        );
    }
}

#[test]
fn collection_manifest_paths_cannot_leave_the_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = dir.path().join("secret.json");
    std::fs::write(&secret, br#"{"Users": [{"UserName": "leaked"}]}"#).expect("write");
    let inner = dir.path().join("collection");
    std::fs::create_dir(&inner).expect("mkdir");
    let manifest = serde_json::json!({"account_id": "1", "region": "us-east-1", "commands": [
        {"service": "iam", "operation": "list-users", "region": "us-east-1", "params": {}, "status": "ok", "file": "../secret.json"}
    ]});
    std::fs::write(inner.join("manifest.json"), manifest.to_string()).expect("write");
    let evidence = import(&inner).expect("imports the rest");
    assert!(
        !evidence
            .resources
            .iter()
            .any(|r| &*r.resource_id == "leaked")
    );
    assert!(
        evidence
            .warnings
            .iter()
            .any(|w| w.message.contains("leaves the collection")),
        "{:?}",
        evidence.warnings
    );
}

#[test]
fn several_snapshots_merge_and_keep_their_sources() {
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: usize, _: Progress| {};
    let paths = [
        acme().join("config-snapshot.json"),
        acme().join("cli"),
        PathBuf::from("/definitely/missing"),
    ];
    let (evidence, errors) = demarc::storage::snapshot::import_paths(
        &catalog,
        &paths,
        &cancel,
        &mut quiet,
        Limits::default(),
    );
    assert_eq!(errors.len(), 1, "the missing path fails alone");
    assert_eq!(evidence.sources.len(), 3);
    let sources: BTreeSet<&str> = evidence.results.iter().map(|r| &*r.source).collect();
    assert!(sources.iter().any(|s| s.ends_with("config-snapshot.json")));
    assert!(sources.iter().any(|s| s.contains("/cli/")));
    // Same resource, same check, same test (demarc's own rule) in two sources: the newer wins
    // (the CLI collection, collected_at 17:49:13Z, after Config's capture at 17:48:59Z) and
    // names the older.
    let same: Vec<_> = evidence
        .results
        .iter()
        .filter(|r| {
            &*r.check == "rds_public"
                && &*r.resource_id == "acme-legacy-reporting"
                && r.test.is_empty()
        })
        .collect();
    assert_eq!(same.len(), 1, "{same:#?}");
    // Security Hub's RDS.2 finding is another test of the check: it stays beside it.
    assert!(evidence.results.iter().any(|r| &*r.check == "rds_public"
        && &*r.resource_id == "acme-legacy-reporting"
        && &*r.test == "RDS.2"));
    assert!(same[0].source.contains("/cli/"), "{}", same[0].source);
    assert_eq!(same[0].observed_at.as_deref(), Some("2026-11-28T17:49:13Z"));
    assert!(
        same[0]
            .detail
            .contains("earlier: FAILED at 2026-11-28T17:48:59")
            && same[0].detail.contains("in config-snapshot.json"),
        "{}",
        same[0].detail
    );
}

// --------------------------------------------------------------------------------- the CLI

fn demarc(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(args)
        .output()
        .expect("runs demarc")
}

#[test]
fn cli_import_json_has_the_documented_shape() {
    let folder = acme().join("cli");
    let out = demarc(&["import", "--json", folder.to_str().expect("utf-8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(doc["sources"][0]["format"], "aws-cli-collection");
    assert_eq!(
        doc["sources"][0]["accounts"],
        serde_json::json!(["314159265358"])
    );
    assert!(
        doc["services_in_use"]
            .as_array()
            .expect("list")
            .iter()
            .any(|s| s["service"] == "s3" && s["resources"] == 7)
    );
    let result = doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["check"] == "rds_public" && r["status"] == "fail")
        .expect("rds_public");
    for key in [
        "check",
        "service",
        "control",
        "resource_id",
        "region",
        "account",
        "status",
        "detail",
        "source",
    ] {
        assert!(result.get(key).is_some(), "results[] has {key}");
    }
    assert_eq!(result["resource_id"], "acme-legacy-reporting");
    // The collection's collected_at, documented as results[].observed_at.
    assert_eq!(result["observed_at"], "2026-11-28T17:49:13Z");
    assert!(doc["warnings"].is_array());

    let text = demarc(&["import", folder.to_str().expect("utf-8")]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("Failing checks (") && text.contains("sg_open_ssh_world"),
        "{text}"
    );

    let bad = demarc(&["import", "/definitely/missing.json"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stdout).contains("no such file"));
}

#[test]
fn cli_checklist_with_a_snapshot_puts_evidence_under_items() {
    let folder = acme().join("cli");
    let out = demarc(&[
        "checklist",
        "--snapshot",
        folder.to_str().expect("utf-8"),
        "--format",
        "json",
        "--date",
        "2026-11-28",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let scope: BTreeSet<&str> = doc["scope"]
        .as_array()
        .expect("scope")
        .iter()
        .filter_map(|s| s["service"].as_str())
        .collect();
    assert!(
        scope.contains("s3") && scope.contains("rds/standard") && !scope.contains("workspaces"),
        "{scope:?}"
    );
    let entry = doc["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|i| i["control"] == "NET-03")
        .flat_map(|i| i["entries"].as_array().expect("entries"))
        .find(|e| e["service"] == "s3")
        .expect("S3 NET-03 entry");
    assert_eq!(entry["evidence"]["status"], "fail");
    let results = entry["evidence"]["results"].as_array().expect("results");
    assert_eq!(results[0]["status"], "fail", "failing resources first");
    assert!(results.iter().any(|r| r["status"] == "pass"));

    let md = demarc(&[
        "checklist",
        "--snapshot",
        folder.to_str().expect("utf-8"),
        "--date",
        "2026-11-28",
    ]);
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(
        md.contains("Evidence: **fail**") && md.contains("no evidence"),
        "markdown shows evidence"
    );
    let csv = demarc(&[
        "checklist",
        "--snapshot",
        folder.to_str().expect("utf-8"),
        "--format",
        "csv",
        "--date",
        "2026-11-28",
    ]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(
        csv.lines()
            .next()
            .is_some_and(|h| h.ends_with("evidence_status,evidence")),
        "{}",
        csv.lines().next().unwrap_or("")
    );
}
