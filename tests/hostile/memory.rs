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
