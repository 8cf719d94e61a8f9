//! `scripts/collect-aws-snapshot.sh`: it must only read, and what it writes must import.

use demarc::import::{Limits, Progress};
use demarc::model::catalog::Catalog;
use demarc::model::evidence::{SourceFormat, Status};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/collect-aws-snapshot.sh")
}

fn read_only(operation: &str) -> bool {
    ["describe-", "list-", "get-"]
        .iter()
        .any(|p| operation.starts_with(p))
        || operation == "generate-credential-report"
}

#[test]
fn every_aws_call_in_the_script_is_read_only() {
    let text = std::fs::read_to_string(script()).expect("the script exists");
    let mut calls = 0;
    for (n, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line).trim();
        if code.starts_with('#') || code.is_empty() {
            continue;
        }
        let words: Vec<&str> = code.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let word = word.trim_start_matches("$(");
            match word {
                // `call SERVICE OPERATION ...` and `names SERVICE OPERATION ...`
                "call" | "names"
                    if i + 2 < words.len() && !code.starts_with(&format!("{word}()")) =>
                {
                    let operation = words[i + 2].trim_matches('"');
                    if operation.starts_with('$') {
                        // A loop variable: every value the loop takes must be read-only.
                        let var = operation
                            .trim_start_matches('$')
                            .trim_matches(|c| c == '{' || c == '}');
                        let values = loop_values(&text, var);
                        assert!(
                            !values.is_empty(),
                            "line {}: cannot see what ${var} holds",
                            n + 1
                        );
                        for v in values {
                            assert!(
                                read_only(&v),
                                "line {}: {v} is not a read-only operation",
                                n + 1
                            );
                            calls += 1;
                        }
                    } else {
                        assert!(
                            read_only(operation),
                            "line {}: {operation} is not a read-only operation",
                            n + 1
                        );
                        calls += 1;
                    }
                }
                // Direct `aws` use is allowed only inside the two helpers and for --version/configure get.
                "aws" => {
                    let next = words.get(i + 1).copied().unwrap_or("");
                    let allowed = next == "\"$service\""
                        || next == "--version"
                        || (next == "configure" && words.get(i + 2) == Some(&"get"));
                    assert!(
                        allowed || code.starts_with("command -v") || code.contains("echo"),
                        "line {}: direct aws call: {code}",
                        n + 1
                    );
                }
                _ => {}
            }
        }
    }
    assert!(calls > 60, "found {calls} calls");
    // The loop parser sees continuation lines too.
    let ops = loop_values(&text, "op");
    assert!(
        ops.iter().any(|o| o == "get-ebs-encryption-by-default")
            && ops.iter().any(|o| o == "get-bucket-tagging"),
        "{ops:?}"
    );
}

/// The values of `for VAR in a b c; do` loops.
fn loop_values(text: &str, var: &str) -> Vec<String> {
    let mut values = Vec::new();
    let head = format!("for {var} in ");
    let mut collecting = false;
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix(&head) {
            values.extend(
                rest.split_whitespace()
                    .take_while(|w| !w.starts_with(';') && *w != "do")
                    .map(|w| w.trim_end_matches(';').trim_end_matches('\\').to_owned()),
            );
            collecting = line.ends_with('\\');
        } else if collecting {
            values.extend(
                line.split_whitespace()
                    .take_while(|w| !w.starts_with(';') && *w != "do")
                    .map(|w| w.trim_end_matches(';').to_owned()),
            );
            collecting = line.ends_with('\\');
        }
    }
    values.retain(|v| !v.is_empty() && v != "\\");
    values
}

/// A stand-in `aws` that answers every call from canned outputs, so the script runs offline.
const FAKE_AWS: &str = r#"#!/usr/bin/env bash
case "$*" in
  --version) echo "aws-cli/2.99.0 Python/3 Linux fake"; exit 0 ;;
  "configure get cli_timestamp_format") exit 1 ;;
esac
query=""; prev=""
for a in "$@"; do [ "$prev" = "--query" ] && query="$a"; prev="$a"; done
if [ -n "$query" ]; then
  case "$1 $2 $query" in
    "sts get-caller-identity Account") echo "111122223333" ;;
    "sts get-caller-identity Arn") echo "arn:aws:iam::111122223333:user/auditor" ;;
    "iam list-users Users[].UserName") printf 'alice\tbob\n' ;;
    "iam get-credential-report ReportFormat") echo "text/csv" ;;
    "s3api list-buckets Buckets[].Name") echo "logs-bucket" ;;
    "kms list-keys Keys[].KeyId") echo "k-1" ;;
    *) echo "None" ;;
  esac
  exit 0
fi
case "$1 $2" in
  "iam get-login-profile") if [[ "$*" == *alice* ]]; then echo '{"LoginProfile": {"UserName": "alice"}}'; else echo "An error occurred (NoSuchEntity) when calling the GetLoginProfile operation: x" >&2; exit 254; fi ;;
  "iam list-mfa-devices") echo '{"MFADevices": []}' ;;
  "iam list-users") echo '{"Users": [{"UserName": "alice"}, {"UserName": "bob"}]}' ;;
  "s3api list-buckets") echo '{"Buckets": [{"Name": "logs-bucket"}]}' ;;
  "s3api get-public-access-block"|"s3control get-public-access-block") echo "An error occurred (NoSuchPublicAccessBlockConfiguration) when calling the GetPublicAccessBlock operation: none" >&2; exit 254 ;;
  "ec2 get-ebs-encryption-by-default") echo '{"EbsEncryptionByDefault": false}' ;;
  "kms describe-key") echo '{"KeyMetadata": {"KeyId": "k-1", "KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "Origin": "AWS_KMS", "KeyState": "Enabled", "CreationDate": 1795888106.1}}' ;;
  "kms get-key-rotation-status") echo '{"KeyRotationEnabled": false}' ;;
  "securityhub get-findings") echo '{"Findings": []}' ;;
  "organizations describe-organization") echo "An error occurred (AWSOrganizationsNotInUseException) when calling the DescribeOrganization operation: no" >&2; exit 254 ;;
  *) echo '{}' ;;
esac
"#;

#[test]
fn the_script_writes_a_collection_that_imports() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("bash not available: skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).expect("mkdir");
    let fake = bin.join("aws");
    std::fs::write(&fake, FAKE_AWS).expect("write fake aws");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let out = dir.path().join("snap");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new("bash")
        .arg(script())
        .args([
            "--out",
            out.to_str().expect("utf-8 path"),
            "--label",
            "test",
            "eu-west-1",
            "us-east-1",
        ])
        .env("PATH", path)
        .output()
        .expect("runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    // Naming follows the acme-retail sample.
    for name in [
        "iam_get-login-profile--user-name=bob.err",
        "iam_get-account-authorization-details--filter=User_Role_Group_LocalManagedPolicy.json",
        "s3api_get-public-access-block--bucket=logs-bucket.err",
        "ec2_describe-vpcs.json",
        "ec2_describe-vpcs--region=us-east-1.json",
        "kms_describe-key--key-id=k-1.json",
        "manifest.json",
    ] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).expect("manifest"))
            .expect("valid JSON");
    assert_eq!(manifest["account_id"], "111122223333");
    assert_eq!(
        manifest["regions"],
        serde_json::json!(["eu-west-1", "us-east-1"])
    );
    let filter = manifest["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .find(|c| c["operation"] == "get-account-authorization-details")
        .expect("recorded");
    assert_eq!(
        filter["params"]["--filter"],
        serde_json::json!(["User", "Role", "Group", "LocalManagedPolicy"])
    );

    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: Progress| {};
    let evidence = demarc::storage::snapshot::import_path(
        &catalog,
        &out,
        &cancel,
        &mut quiet,
        Limits::default(),
    )
    .expect("imports");
    assert_eq!(evidence.sources[0].format, SourceFormat::AwsCliCollection);
    let status = |check: &str, id: &str| {
        evidence
            .results
            .iter()
            .find(|r| &*r.check == check && &*r.resource_id == id)
            .map(|r| r.status)
    };
    assert_eq!(status("iam_user_no_mfa", "alice"), Some(Status::Fail));
    assert_eq!(status("iam_user_no_mfa", "bob"), Some(Status::Pass));
    assert_eq!(
        status("s3_account_public_access_block_off", "111122223333"),
        Some(Status::Fail)
    );
    assert_eq!(status("kms_rotation_off", "k-1"), Some(Status::Fail));
    let ebs: Vec<_> = evidence
        .results
        .iter()
        .filter(|r| &*r.check == "ebs_default_encryption_off")
        .map(|r| &*r.region)
        .collect();
    assert_eq!(ebs.len(), 2, "both regions: {ebs:?}");
}
