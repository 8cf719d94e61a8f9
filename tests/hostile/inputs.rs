//! Client files built to hurt: cut short, amplifying, quadratic, lying zips, links and pipes.

use demarc::import::{self, ImportError};
use demarc::model::catalog::Catalog;

/// F1: files cut inside their first value panicked the splitter (exit 101 from the CLI).
#[test]
fn files_cut_inside_their_first_value_are_errors_not_panics() {
    let catalog = Catalog::bundled();
    for text in [
        "[1",
        r#"{"x":1"#,
        r#"{"Findings": 1"#,
        r#"{"configurationItems": [1"#,
        r#"{"Findings": [nul"#,
        r#"[{"metadata": {"event_code": "x"}, "status_code": "FAIL"}, nul"#,
    ] {
        match import::import_bytes(&catalog, "cut.json", text.as_bytes()) {
            Ok(evidence) => assert!(
                !evidence.warnings.is_empty(),
                "{text}: a cut file imports only with a warning"
            ),
            Err(
                ImportError::Invalid { message, .. }
                | ImportError::Unsupported { what: message, .. },
            ) => {
                assert!(!message.is_empty(), "{text}");
            }
            Err(other) => panic!("{text}: unexpected {other}"),
        }
    }
}

/// F10: folder imports followed links (files outside imported, `/dev/zero` read until memory
/// ran out) and a FIFO hung the import forever.
#[cfg(unix)]
#[test]
fn collection_entries_that_are_links_or_pipes_are_refused_not_followed() {
    use demarc::import::Limits;
    use std::sync::atomic::AtomicBool;
    let catalog = Catalog::bundled();
    let dir = tempfile::tempdir().expect("dir");
    let outside = tempfile::tempdir().expect("outside");
    let secret = outside.path().join("secret.json");
    std::fs::write(&secret, r#"{"Vpcs": [{"VpcId": "vpc-outside"}]}"#).expect("write");
    std::os::unix::fs::symlink(&secret, dir.path().join("ec2_describe-vpcs.json")).expect("link");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("s3api_list-buckets.json"))
        .expect("link");
    let fifo = dir.path().join("iam_list-users.json");
    let has_fifo = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    let command = |service: &str, op: &str, file: &str| {
        format!(
            r#"{{"service": "{service}", "operation": "{op}", "region": "us-east-1", "params": {{}},
            "exit_code": 0, "status": "ok", "file": "{file}"}}"#
        )
    };
    let manifest = format!(
        r#"{{"format": "aws-cli-readonly-snapshot", "format_version": 1,
        "account_id": "111122223333", "region": "us-east-1", "regions": ["us-east-1"],
        "commands": [{}, {}, {}]}}"#,
        command("ec2", "describe-vpcs", "ec2_describe-vpcs.json"),
        command("s3api", "list-buckets", "s3api_list-buckets.json"),
        command("iam", "list-users", "iam_list-users.json"),
    );
    std::fs::write(dir.path().join("manifest.json"), manifest).expect("write");
    let cancel = AtomicBool::new(false);
    let evidence = demarc::storage::snapshot::import_path(
        &catalog,
        dir.path(),
        &cancel,
        &mut |_| {},
        Limits::default(),
    )
    .expect("imports what it can");
    assert!(
        !evidence
            .resources
            .iter()
            .any(|r| &*r.resource_id == "vpc-outside"),
        "a file outside the collection was imported"
    );
    let refused = evidence
        .warnings
        .iter()
        .filter(|w| w.message.contains("not a regular file"))
        .count();
    assert_eq!(
        refused,
        if has_fifo { 3 } else { 2 },
        "{:?}",
        evidence.warnings
    );
    if has_fifo {
        let err = demarc::storage::snapshot::import_path(
            &catalog,
            &fifo,
            &cancel,
            &mut |_| {},
            Limits::default(),
        )
        .expect_err("a pipe is not a snapshot file");
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }
}

/// F11: `import` printed escape sequences from client files (a crafted file cleared the
/// screen and printed a red "ALL CHECKS PASSED").
#[test]
fn import_output_and_errors_carry_no_escape_sequences_from_the_file() {
    let dir = tempfile::tempdir().expect("dir");
    let evil = "\u{1b}[2J\u{1b}[31mALL CHECKS PASSED\u{1b}[0m\r";
    let finding = format!(
        r#"[{{"metadata": {{"event_code": "s3_bucket_level_public_access_block"}}, "status_code": "FAIL",
        "finding_info": {{"title": "{t}"}},
        "cloud": {{"account": {{"uid": "{t}"}}, "region": "{t}"}},
        "resources": [{{"uid": "arn:aws:s3:::{t}", "type": "{t}", "region": "{t}"}}]}}]"#,
        t = evil.replace('\u{1b}', "\\u001b").replace('\r', "\\r")
    );
    std::fs::write(dir.path().join("evil.json"), finding).expect("write");
    std::fs::write(dir.path().join("bad.json"), "{\"\u{1b}[2J\": [1").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_demarc"))
        .current_dir(dir.path())
        .args(["import", "evil.json", "bad.json"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("ALL CHECKS PASSED"),
        "the text is shown: {stdout}"
    );
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains('\u{1b}') && !text.contains('\r'),
            "{name}: {text:?}"
        );
    }
}
