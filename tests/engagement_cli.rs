//! `demarc engagement ...` and `demarc checklist --engagement` on the real binary.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn demarc(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run demarc")
}

fn ok(args: &[&str], dir: &Path) -> String {
    let out = demarc(args, dir);
    assert!(
        out.status.success(),
        "demarc {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn fails(args: &[&str], dir: &Path, code: i32) -> String {
    let out = demarc(args, dir);
    assert_eq!(
        out.status.code(),
        Some(code),
        "demarc {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stderr).expect("utf-8 stderr")
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON")
}

fn new_sample(dir: &Path) {
    ok(
        &[
            "engagement",
            "new",
            "acme.demarc.json",
            "--client",
            "Acme Retail",
            "--services",
            "ec2,s3,rds/custom",
            "--title",
            "Kick-off",
            "--date",
            "2026-11-28",
        ],
        dir,
    );
}

/// Four `engagement set` calls on the sample: three decided items and a note-only edit.
fn decide_sample_items(d: &std::path::Path) {
    ok(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--status",
            "done",
            "--assignee",
            "client_platform",
            "--due",
            "2026-12-15",
            "--note",
            "Root MFA on.\nBreak-glass in the safe.",
        ],
        d,
    );
    // A bare service names the one variant in scope.
    ok(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "rds/CVM-01",
            "--status",
            "in_progress",
            "--assignee",
            "third_party:CloudOps",
        ],
        d,
    );
    ok(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "s3/dat-02",
            "--status",
            "risk_accepted",
            "--note",
            "Legacy bucket, accepted until Q3.",
        ],
        d,
    );
    // Only the note changes; the status stays.
    ok(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "rds/custom/CVM-01",
            "--note",
            "Patching window agreed",
        ],
        d,
    );
}

#[test]
fn new_set_show_and_export_a_sample_engagement() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    new_sample(d);
    let file = d.join("acme.demarc.json");
    let doc = json(&fs::read_to_string(&file).expect("created"));
    assert_eq!(doc["format_version"], 3);
    assert_eq!(doc["client"], "Acme Retail");
    assert_eq!(doc["scope"], serde_json::json!(["ec2", "s3", "rds/custom"]));

    decide_sample_items(d);

    let report = json(&ok(
        &["engagement", "show", "acme.demarc.json", "--json"],
        d,
    ));
    let items = report["items"].as_array().expect("items");
    let find = |service: &str, control: &str| {
        items
            .iter()
            .find(|i| i["service"] == service && i["control"] == control)
            .unwrap_or_else(|| panic!("{service}/{control} in {items:?}"))
            .clone()
    };
    let iam = find("ec2", "IAM-01");
    assert_eq!(iam["status"], "done");
    assert_eq!(iam["assignee"], "client_platform");
    assert_eq!(iam["due"], "2026-12-15");
    assert_eq!(iam["note"], "Root MFA on.\nBreak-glass in the safe.");
    let cvm = find("rds/custom", "CVM-01");
    assert_eq!(cvm["status"], "in_progress");
    assert_eq!(cvm["assignee"]["third_party"], "CloudOps");
    assert_eq!(cvm["note"], "Patching window agreed");
    assert_eq!(find("s3", "DAT-02")["status"], "risk_accepted");
    assert_eq!(report["progress"]["resolved"], 2);
    assert_eq!(report["progress"]["total"], items.len());

    let text = ok(&["engagement", "show", "acme.demarc.json"], d);
    assert!(
        text.contains("Acme Retail · Kick-off · 2026-11-28"),
        "{text}"
    );
    assert!(
        text.contains(&format!("progress: 2/{}", items.len())),
        "{text}"
    );
    assert!(text.contains("ec2/IAM-01"), "{text}");

    let md = ok(&["checklist", "--engagement", "acme.demarc.json"], d);
    assert!(md.contains("- [x] **IAM-01 "), "{md}");
    assert!(md.contains("Client: **Acme Retail**"));
    assert_eq!(
        md.matches("- [x] ").count(),
        1,
        "only done items are checked"
    );
    assert_eq!(md.matches("- [ ] ").count() + 1, items.len());

    ok(
        &[
            "checklist",
            "--engagement",
            "acme.demarc.json",
            "--format",
            "html",
            "-o",
            "acme.html",
        ],
        d,
    );
    let page = fs::read_to_string(d.join("acme.html")).expect("html written");
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("Root MFA on.\nBreak-glass in the safe."));

    ok(
        &[
            "checklist",
            "--engagement",
            "acme.demarc.json",
            "--format",
            "csv",
            "-o",
            "acme.csv",
        ],
        d,
    );
    let csv = fs::read(d.join("acme.csv")).expect("csv written");
    assert!(csv.starts_with(b"\xEF\xBB\xBFlist,domain,"));

    let from_checklist = json(&ok(
        &[
            "checklist",
            "--engagement",
            "acme.demarc.json",
            "--format",
            "json",
        ],
        d,
    ));
    assert_eq!(
        from_checklist, report,
        "show --json and checklist --format json agree"
    );
    assert!(
        d.join("acme.demarc.json.bak").exists(),
        "the previous version is kept"
    );
}

#[test]
fn bad_input_is_refused_and_leaves_the_file_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    new_sample(d);
    let file = d.join("acme.demarc.json");
    let before = fs::read(&file).expect("read");

    let err = fails(
        &[
            "engagement",
            "new",
            "acme.demarc.json",
            "--client",
            "X",
            "--services",
            "ec2",
        ],
        d,
        1,
    );
    assert!(err.contains("--force"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "lambda/IAM-01",
            "--status",
            "done",
        ],
        d,
        2,
    );
    assert!(err.contains("not in the engagement's scope"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/XYZ-01",
            "--status",
            "done",
        ],
        d,
        2,
    );
    assert!(err.contains("unknown control"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--status",
            "finished",
        ],
        d,
        2,
    );
    assert!(err.contains("unknown status"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--due",
            "soon",
        ],
        d,
        2,
    );
    assert!(err.contains("YYYY-MM-DD"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--assignee",
            "bob",
        ],
        d,
        2,
    );
    assert!(err.contains("unknown assignee"), "{err}");
    let err = fails(
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
        ],
        d,
        2,
    );
    assert!(err.contains("nothing to set"), "{err}");
    let err = fails(
        &[
            "engagement",
            "new",
            "b.demarc.json",
            "--client",
            "X",
            "--services",
            "ec3",
        ],
        d,
        2,
    );
    assert!(err.contains("ec2"), "suggests the closest: {err}");
    let err = fails(
        &["checklist", "--services", "ec2", "--format", "html"],
        d,
        2,
    );
    assert!(err.contains("--engagement"), "{err}");
    assert_eq!(fs::read(&file).expect("read"), before);
    assert!(!d.join("b.demarc.json").exists());
}

#[test]
fn a_corrupt_or_newer_file_gives_a_clear_message_and_is_not_touched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    fs::write(
        d.join("broken.demarc.json"),
        "{\"format_version\": 2, \"client\": ",
    )
    .expect("write");
    let err = fails(
        &[
            "engagement",
            "set",
            "broken.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--status",
            "done",
        ],
        d,
        1,
    );
    assert!(err.contains("corrupt"), "{err}");
    assert!(
        err.trim_end().ends_with("broken.demarc.json"),
        "path last: {err}"
    );
    assert_eq!(
        fs::read_to_string(d.join("broken.demarc.json")).expect("read"),
        "{\"format_version\": 2, \"client\": "
    );

    new_sample(d);
    let future = fs::read_to_string(d.join("acme.demarc.json"))
        .expect("read")
        .replace("\"format_version\": 3", "\"format_version\": 9");
    fs::write(d.join("acme.demarc.json"), &future).expect("write");
    for args in [
        &["engagement", "show", "acme.demarc.json"][..],
        &[
            "engagement",
            "set",
            "acme.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--status",
            "done",
            "--force",
        ][..],
        &["checklist", "--engagement", "acme.demarc.json"][..],
    ] {
        let err = fails(args, d, 1);
        assert!(err.contains("newer demarc (format 9"), "{err}");
    }
    let err = fails(
        &[
            "engagement",
            "new",
            "acme.demarc.json",
            "--client",
            "X",
            "--services",
            "ec2",
            "--force",
        ],
        d,
        1,
    );
    assert!(err.contains("newer demarc"), "{err}");
    assert_eq!(
        fs::read_to_string(d.join("acme.demarc.json")).expect("read"),
        future
    );
}

#[test]
fn a_format_1_file_is_migrated_on_save_and_kept_as_backup() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let v1 = r#"{"format_version": 1, "client": "Old", "title": "Pilot", "date": "2025-06-01",
  "catalog_version": "0.0.9", "services": ["ec2"],
  "items": {"ec2/IAM-01": {"status": "in progress", "assignee": "Platform team", "note": "started"}}}"#;
    fs::write(d.join("old.demarc.json"), v1).expect("write");
    let shown = json(&ok(&["engagement", "show", "old.demarc.json", "--json"], d));
    let iam = shown["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["control"] == "IAM-01")
        .expect("item")
        .clone();
    assert_eq!(iam["status"], "in_progress");
    assert_eq!(iam["assignee"], "client_platform");
    assert_eq!(
        fs::read_to_string(d.join("old.demarc.json")).expect("read"),
        v1,
        "show changes nothing"
    );

    let out = demarc(
        &[
            "engagement",
            "set",
            "old.demarc.json",
            "--item",
            "ec2/IAM-01",
            "--status",
            "done",
        ],
        d,
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("read format 1"));
    let doc = json(&fs::read_to_string(d.join("old.demarc.json")).expect("read"));
    assert_eq!(doc["format_version"], 3);
    assert_eq!(doc["items"][0]["note"], "started");
    assert_eq!(
        fs::read_to_string(d.join("old.demarc.json.bak")).expect("bak"),
        v1
    );
}
