//! CLI collections at their edges (issue 10): an empty output is a definite answer, an output
//! that is one page of several is said to be, a collection with nothing readable fails the
//! command naming a file, and a collection's results carry its `collected_at`.

use demarc::import::{self, Limits, Progress};
use demarc::model::catalog::Catalog;
use demarc::model::evidence::{Evidence, Status};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

fn command(operation: &str, params: &Value, file: &str) -> Value {
    let service = if operation.starts_with("get-bucket") || operation == "list-buckets" {
        "s3api"
    } else {
        "iam"
    };
    json!({"service": service, "operation": operation, "region": "eu-west-1", "params": params,
           "status": "ok", "file": file})
}

fn collection(commands: &[Value], outputs: &[(&str, &[u8])]) -> BTreeMap<String, Vec<u8>> {
    let manifest = json!({
        "format": "aws-cli-readonly-snapshot", "format_version": 1,
        "account_id": "111122223333", "region": "eu-west-1", "regions": ["eu-west-1"],
        "collected_at": "2026-11-28T09:30:00+01:00", "commands": commands
    });
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    files.insert(
        "manifest.json".to_owned(),
        manifest.to_string().into_bytes(),
    );
    for (name, bytes) in outputs {
        files.insert((*name).to_owned(), bytes.to_vec());
    }
    files
}

fn import(files: &mut BTreeMap<String, Vec<u8>>) -> Evidence {
    let catalog = Catalog::bundled();
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: Progress| {};
    let mut ctx = import::ImportCtx {
        cancel: &cancel,
        progress: &mut quiet,
        limits: Limits::default(),
    };
    import::collection::import(&catalog, "mem", files, None, &mut ctx).expect("imports")
}

fn bucket_calls() -> Vec<Value> {
    let b = json!({"--bucket": "b1"});
    vec![
        command("list-buckets", &json!({}), "s3api_list-buckets.json"),
        command(
            "get-bucket-location",
            &b,
            "s3api_get-bucket-location--bucket=b1.json",
        ),
        command(
            "get-bucket-versioning",
            &b,
            "s3api_get-bucket-versioning--bucket=b1.json",
        ),
        command(
            "get-bucket-logging",
            &b,
            "s3api_get-bucket-logging--bucket=b1.json",
        ),
    ]
}

fn status(evidence: &Evidence, check: &str, resource: &str) -> Option<Status> {
    evidence
        .results
        .iter()
        .find(|r| &*r.check == check && &*r.resource_id == resource)
        .map(|r| r.status)
}

#[test]
fn empty_versioning_and_logging_outputs_are_definite_fails() {
    // What the CLI prints for a bucket that never had versioning, or has no access logging:
    // nothing at all (or a blank line).
    for empty in [&b""[..], b"\n", b"\r\n  \r\n", b"\xef\xbb\xbf"] {
        let mut files = collection(
            &bucket_calls(),
            &[
                (
                    "s3api_list-buckets.json",
                    br#"{"Buckets": [{"Name": "b1"}]}"#,
                ),
                (
                    "s3api_get-bucket-location--bucket=b1.json",
                    br#"{"LocationConstraint": "eu-west-1"}"#,
                ),
                ("s3api_get-bucket-versioning--bucket=b1.json", empty),
                ("s3api_get-bucket-logging--bucket=b1.json", empty),
            ],
        );
        let evidence = import(&mut files);
        assert_eq!(
            status(&evidence, "s3_versioning_off", "b1"),
            Some(Status::Fail),
            "{empty:?}"
        );
        assert_eq!(
            status(&evidence, "s3_access_logging_off", "b1"),
            Some(Status::Fail),
            "{empty:?}"
        );
        assert!(
            !evidence
                .warnings
                .iter()
                .any(|w| w.message.contains("not valid JSON")),
            "{:?}",
            evidence.warnings
        );
    }
}

#[test]
fn an_output_that_is_one_page_of_several_is_said_to_be() {
    for (page, says) in [
        (
            &br#"{"Users": [{"UserName": "a"}], "NextToken": "eyJNYXJrZXIiOiBudWxsfQ=="}"#[..],
            "a NextToken",
        ),
        (
            br#"{"Users": [{"UserName": "a"}], "IsTruncated": true, "Marker": "AAE"}"#,
            "a Marker",
        ),
        (
            br#"{"Users": [{"UserName": "a"}], "IsTruncated": true}"#,
            "IsTruncated: true",
        ),
    ] {
        let mut files = collection(
            &[command("list-users", &json!({}), "iam_list-users.json")],
            &[("iam_list-users.json", page)],
        );
        let evidence = import(&mut files);
        let warning = evidence
            .warnings
            .iter()
            .find(|w| w.message.contains("only one page of the results"))
            .unwrap_or_else(|| panic!("no page warning: {:?}", evidence.warnings));
        assert_eq!(warning.source, "mem/iam_list-users.json");
        assert!(warning.message.contains(says), "{}", warning.message);
    }
    // The last page (a null or empty token, IsTruncated false) is no warning.
    let mut files = collection(
        &[command("list-users", &json!({}), "iam_list-users.json")],
        &[(
            "iam_list-users.json",
            br#"{"Users": [], "NextToken": null, "Marker": "", "IsTruncated": false}"#,
        )],
    );
    let evidence = import(&mut files);
    assert!(
        !evidence
            .warnings
            .iter()
            .any(|w| w.message.contains("one page")),
        "{:?}",
        evidence.warnings
    );
}

#[test]
fn a_collections_results_carry_its_collected_at() {
    let mut files = collection(
        &bucket_calls(),
        &[
            (
                "s3api_list-buckets.json",
                br#"{"Buckets": [{"Name": "b1"}]}"#,
            ),
            ("s3api_get-bucket-location--bucket=b1.json", b"{}"),
            (
                "s3api_get-bucket-versioning--bucket=b1.json",
                br#"{"Status": "Enabled"}"#,
            ),
            ("s3api_get-bucket-logging--bucket=b1.json", b""),
        ],
    );
    let evidence = import(&mut files);
    assert!(!evidence.results.is_empty());
    assert!(
        evidence
            .results
            .iter()
            .all(|r| r.observed_at.as_deref() == Some("2026-11-28T09:30:00+01:00")),
        "{:?}",
        evidence.results
    );
}

#[test]
fn the_command_fails_naming_a_file_when_no_output_of_a_collection_can_be_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = collection(
        &[command("list-users", &json!({}), "iam_list-users.json")],
        // Saved through a Windows code page: neither UTF-8 nor UTF-16.
        &[(
            "iam_list-users.json",
            b"{\"Users\": [{\"UserName\": \"Jos\xe9\"}]}",
        )],
    );
    for (name, bytes) in &files {
        std::fs::write(dir.path().join(name), bytes).expect("write");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(["import", dir.path().to_str().expect("utf-8")])
        .output()
        .expect("runs demarc");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("iam_list-users.json") && said.contains("could be read"),
        "{said}"
    );
}
