//! F2: small files that built huge memory. Each import runs in a process of its own and its
//! peak memory, above the same process doing nothing, must stay well under what cloning per
//! record (or parsing per listing) took.
#![cfg(target_os = "linux")]

use crate::measure::peak;
use demarc::import::{self, ImportCtx, ImportError, Limits, Progress};
use demarc::model::catalog::Catalog;
use std::sync::atomic::AtomicBool;

const MB: u64 = 1 << 20;

/// A 48 KB account id on 2,000 resources: cloned into each resource and result it was
/// 2 x 2,000 x 48 KB = 190 MB.
fn prowler_amplifier() -> String {
    let account = "1".repeat(48 << 10);
    let resources: Vec<String> = (0..2_000)
        .map(|i| format!(r#"{{"uid": "arn:aws:s3:::bucket-{i}", "type": "AwsS3Bucket", "region": "us-east-1"}}"#))
        .collect();
    format!(
        r#"[{{"metadata": {{"event_code": "s3_bucket_level_public_access_block"}}, "status_code": "FAIL",
        "cloud": {{"account": {{"uid": "{account}"}}, "region": "us-east-1"}},
        "resources": [{}]}}]"#,
        resources.join(",")
    )
}

fn asff_amplifier() -> String {
    let account = "2".repeat(48 << 10);
    let resources: Vec<String> = (0..2_000)
        .map(|i| format!(r#"{{"Id": "arn:aws:s3:::bucket-{i}", "Type": "AwsS3Bucket", "Region": "us-east-1"}}"#))
        .collect();
    format!(
        r#"{{"Findings": [{{"AwsAccountId": "{account}", "Region": "us-east-1",
        "Compliance": {{"Status": "FAILED", "SecurityControlId": "S3.8"}},
        "Resources": [{}]}}]}}"#,
        resources.join(",")
    )
}

/// Imports `input` as `name` in a process of its own; fails if it took `bound` or more.
fn within(test: &str, name: &str, input: &str, bound: u64) {
    let measured = peak(test, || {
        let catalog = Catalog::bundled();
        let evidence = import::import_bytes(&catalog, name, input.as_bytes()).expect(name);
        assert_eq!(evidence.results.len(), 2_000, "{name}");
    });
    if let Some((work, idle)) = measured {
        let took = work.saturating_sub(idle);
        assert!(
            took < bound,
            "{name}: a {} KB file took {} MB",
            input.len() >> 10,
            took / MB
        );
    }
}

#[test]
fn a_prowler_account_id_on_many_resources_is_held_once() {
    within(
        "memory::a_prowler_account_id_on_many_resources_is_held_once",
        "prowler.json",
        &prowler_amplifier(),
        32 * MB,
    );
}

#[test]
fn an_asff_account_id_on_many_resources_is_held_once() {
    within(
        "memory::an_asff_account_id_on_many_resources_is_held_once",
        "asff.json",
        &asff_amplifier(),
        32 * MB,
    );
}

/// Past `Limits::max_built_bytes` an import stops with an error naming the file.
#[test]
fn an_import_over_its_memory_budget_fails_naming_the_file() {
    let catalog = Catalog::bundled();
    let text = prowler_amplifier();
    let cancel = AtomicBool::new(false);
    let mut ignore = |_: Progress| {};
    let mut ctx = ImportCtx {
        cancel: &cancel,
        progress: &mut ignore,
        limits: Limits {
            max_built_bytes: 100_000,
            ..Limits::default()
        },
    };
    let err = import::import_reader(
        &catalog,
        "client/prowler.json",
        text.as_bytes(),
        None,
        &mut ctx,
    )
    .expect_err("over the budget");
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("client/prowler.json"), "{err}");
}

/// A collection whose manifest names one output 100 times parsed and kept it 100 times.
#[test]
fn a_collection_naming_one_output_many_times_parses_it_once() {
    let test = "memory::a_collection_naming_one_output_many_times_parses_it_once";
    let measured = peak(test, || {
        let catalog = Catalog::bundled();
        let dir = tempfile::tempdir().expect("temp dir");
        let vpcs: Vec<String> = (0..6_000)
            .map(|i| format!(r#"{{"VpcId": "vpc-{i:08}", "IsDefault": false}}"#))
            .collect();
        let output = format!(r#"{{"Vpcs": [{}]}}"#, vpcs.join(","));
        std::fs::write(dir.path().join("ec2_describe-vpcs.json"), &output).expect("write");
        let command = r#"{"service": "ec2", "operation": "describe-vpcs", "region": "us-east-1",
            "params": {}, "exit_code": 0, "status": "ok", "file": "ec2_describe-vpcs.json"}"#;
        let manifest = format!(
            r#"{{"format": "aws-cli-readonly-snapshot", "format_version": 1,
            "account_id": "111122223333", "region": "us-east-1", "regions": ["us-east-1"],
            "commands": [{}]}}"#,
            vec![command; 100].join(",")
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
        .expect("imports");
        assert!(!evidence.resources.is_empty());
    });
    if let Some((work, idle)) = measured {
        let took = work.saturating_sub(idle);
        assert!(
            took < 48 * MB,
            "a 300 KB output listed 100 times took {} MB",
            took / MB
        );
    }
}

/// `[],` is 3 bytes of text and about 32 bytes of parsed tree: what parsing it would build.
fn dense(nodes: usize) -> String {
    let mut text = String::with_capacity(nodes * 3 + 2);
    text.push('[');
    text.push_str(&"[],".repeat(nodes));
    text.push_str("[]]");
    text
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(bytes).expect("gzip");
    gz.finish().expect("gzip")
}

/// The budget is relative to the input (`Limits::built_budget`): a 9 KB `.gz` whose one
/// configuration item would parse to ~290 MB of tree (9 MB of `[],`) was under the fixed
/// 512 MB value limit and the 2 GB budget, and was built; now it is refused at its budget,
/// naming the file.
#[test]
fn a_small_gzip_that_would_parse_to_a_huge_tree_is_refused_at_its_budget() {
    let catalog = Catalog::bundled();
    let item = format!(
        r#"{{"configurationItems": [{{"resourceType": "AWS::EC2::VPC", "resourceId": "vpc-1",
        "awsAccountId": "111122223333", "awsRegion": "us-east-1", "configuration": {}}}]}}"#,
        dense(3_000_000)
    );
    let file = gzip(item.as_bytes());
    assert!(file.len() < 64 << 10, "{} bytes", file.len());
    let err = import::import_bytes(&catalog, "client/config.json.gz", &file)
        .expect_err("over its budget");
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("client/config.json.gz"), "{message}");
    assert!(message.contains("the budget"), "{message}");
}

/// A collection output is kept parsed: a zip whose one output is 9 MB of `[],` (~290 MB of
/// tree; a few KB zipped) was built under the fixed 2 GB budget. Now it stops at its budget
/// (the zip read through `storage::snapshot`, as `demarc import` and the window do).
#[test]
fn a_small_zip_whose_output_would_parse_to_a_huge_tree_is_refused_at_its_budget() {
    use std::io::Write;
    let catalog = Catalog::bundled();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("snapshot.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let manifest = r#"{"format": "aws-cli-readonly-snapshot", "format_version": 1,
        "account_id": "111122223333", "region": "us-east-1", "regions": ["us-east-1"],
        "commands": [{"service": "ec2", "operation": "describe-vpcs", "region": "us-east-1",
        "params": {}, "exit_code": 0, "status": "ok", "file": "ec2_describe-vpcs.json"}]}"#;
    zip.start_file("manifest.json", options).expect("entry");
    zip.write_all(manifest.as_bytes()).expect("write");
    zip.start_file("ec2_describe-vpcs.json", options)
        .expect("entry");
    zip.write_all(format!(r#"{{"Vpcs": {}}}"#, dense(3_000_000)).as_bytes())
        .expect("write");
    zip.finish().expect("zip");
    assert!(std::fs::metadata(&path).expect("size").len() < 64 << 10);
    let cancel = AtomicBool::new(false);
    let err = demarc::storage::snapshot::import_path(
        &catalog,
        &path,
        &cancel,
        &mut |_| {},
        Limits::default(),
    )
    .expect_err("over its budget");
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("snapshot.zip"), "{err}");
}

/// A legitimate snapshot stays well inside the relative part of the budget: the generated
/// Config snapshot (the benchmark's items) imports with the constant cut to 1 MB, so only
/// `built_per_input_byte` x its size stands behind it.
#[test]
fn a_large_generated_snapshot_imports_within_its_relative_budget() {
    let catalog = Catalog::bundled();
    let items = 4_000;
    let bytes = import::synth::config_snapshot(items, 7);
    let cancel = AtomicBool::new(false);
    let mut ignore = |_: Progress| {};
    let mut ctx = ImportCtx {
        cancel: &cancel,
        progress: &mut ignore,
        limits: Limits {
            built_base_bytes: 1 << 20,
            ..Limits::default()
        },
    };
    let evidence = import::import_reader(&catalog, "synth.json", bytes.as_slice(), None, &mut ctx)
        .expect("imports within its budget");
    assert_eq!(evidence.resources.len(), items);
}
