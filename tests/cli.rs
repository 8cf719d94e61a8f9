//! Runs the real `demarc` binary: the command-line contract scripts rely on.

use serde_json::Value;
use std::process::{Command, Output};

fn demarc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_demarc"))
        .args(args)
        .output()
        .expect("run demarc")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 stderr")
}

fn json(output: &Output) -> Value {
    assert!(output.status.success(), "failed: {}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("valid JSON on stdout")
}

#[test]
fn services_json_lists_every_service_with_variants() {
    let v = json(&demarc(&["services", "--json"]));
    let list = v.as_array().expect("array");
    assert!(list.len() >= 12, "{}", list.len());
    let rds = list.iter().find(|s| s["id"] == "rds").expect("rds listed");
    assert_eq!(rds["tier"], "C");
    let variants = rds["variants"].as_array().expect("variants");
    assert!(
        variants
            .iter()
            .any(|v| v["id"] == "custom" && v["default"] == false)
    );
    assert_eq!(variants.iter().filter(|v| v["default"] == true).count(), 1);
    for key in ["id", "name", "tier", "category", "variants"] {
        assert!(rds.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn controls_json_has_the_42_taxonomy_ids() {
    let v = json(&demarc(&["controls", "--json"]));
    let ids: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 42);
    for id in ["INF-01", "IAM-05", "NET-04", "CVM-01", "IRR-06"] {
        assert!(ids.contains(&id), "{id}");
    }
    let first = &v[0];
    for key in ["id", "domain", "name", "description"] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn matrix_json_follows_the_contract() {
    let v = json(&demarc(&[
        "matrix",
        "--services",
        "ec2,s3,rds/custom",
        "--format",
        "json",
    ]));
    assert!(v["catalog_version"].is_string());
    let services = v["services"].as_array().expect("services");
    let ids: Vec<&str> = services
        .iter()
        .map(|s| s["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["ec2", "s3", "rds/custom"]);
    assert_eq!(services[2]["service"], "rds");
    assert_eq!(services[2]["variant"], "custom");
    assert_eq!(services[2]["default"], false);
    let cells = v["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 3 * 42);
    let cell = cells
        .iter()
        .find(|c| c["service"] == "rds/custom" && c["control"] == "CVM-01")
        .expect("cell");
    assert!(
        cell["owner"] == "customer" || cell["owner"] == "shared",
        "RDS Custom gives the customer OS patching duties: {}",
        cell["owner"]
    );
    assert!(cell["inherited"].is_boolean());
    assert!(cell["sources"].as_array().is_some_and(|s| !s.is_empty()));
    for c in cells {
        assert!(
            ["aws", "customer", "shared", "not_applicable"]
                .contains(&c["owner"].as_str().expect("owner"))
        );
    }
}

#[test]
fn bare_service_with_variants_is_written_with_its_default_variant() {
    let v = json(&demarc(&[
        "matrix",
        "--services",
        "rds",
        "--format",
        "json",
    ]));
    assert_eq!(v["services"][0]["id"], "rds/standard");
    assert_eq!(v["services"][0]["default"], true);
    assert!(
        v["cells"]
            .as_array()
            .expect("cells")
            .iter()
            .all(|c| c["service"] == "rds/standard")
    );
}

#[test]
fn matrix_csv_has_one_row_per_service_and_control() {
    let out = demarc(&["matrix", "--services", "ec2,lambda", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with(
        "service,variant,tier,control_id,control,domain,owner,aws_does,customer_does,sources\r\n"
    ));
    // Records end in CRLF; quoted fields may hold bare newlines, so count CRLF.
    assert_eq!(text.matches("\r\n").count(), 1 + 2 * 42);
}

#[test]
fn owner_filter_removes_aws_only_rows() {
    let all = json(&demarc(&[
        "matrix",
        "--services",
        "ec2,s3",
        "--format",
        "json",
    ]));
    let some = json(&demarc(&[
        "matrix",
        "--services",
        "ec2,s3",
        "--owner",
        "customer,shared",
        "--format",
        "json",
    ]));
    let n_all = all["controls"].as_array().expect("controls").len();
    let n_some = some["controls"].as_array().expect("controls").len();
    assert!(n_some < n_all, "{n_some} < {n_all}");
    assert!(
        !some["controls"]
            .as_array()
            .expect("controls")
            .iter()
            .any(|c| c["id"] == "INF-01")
    );
}

#[test]
fn unknown_service_exits_2_and_names_the_closest_ids() {
    let out = demarc(&["matrix", "--services", "ec2,rds/custum"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("rds/custum") && err.contains("rds/custom"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "no data on stdout after an error");
    let out = demarc(&["compare", "ec2", "lamda"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("lambda"), "{}", stderr(&out));
}

#[test]
fn checklist_markdown_writes_to_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("list.md");
    let out = demarc(&[
        "checklist",
        "--services",
        "ec2,s3,rds",
        "--date",
        "2026-11-28",
        "-o",
        path.to_str().expect("utf-8"),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.starts_with("# AWS shared responsibility checklist"));
    assert!(text.contains("- [ ] **IAM-01"));
    assert!(text.contains("2026-11-28"));
}

#[test]
fn checklist_owner_option_selects_items() {
    let v = json(&demarc(&[
        "checklist",
        "--services",
        "ec2,s3",
        "--owner",
        "shared",
        "--format",
        "json",
        "--date",
        "2026-11-28",
    ]));
    for item in v["items"].as_array().expect("items") {
        for e in item["entries"].as_array().expect("entries") {
            assert_eq!(e["owner"], "shared");
        }
    }
}

#[test]
fn compare_reports_what_moves() {
    let v = json(&demarc(&[
        "compare",
        "ec2",
        "ecs/fargate",
        "lambda",
        "--format",
        "json",
    ]));
    assert_eq!(v["services"].as_array().expect("services").len(), 3);
    let shifts = v["shifts"].as_array().expect("shifts");
    assert_eq!(shifts.len(), 2);
    assert!(
        shifts[0]["relieved"].as_u64().expect("count") > 0,
        "EC2 -> Fargate relieves the customer of OS patching"
    );
    let cvm01 = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["control"] == "CVM-01")
        .expect("CVM-01");
    assert_eq!(cvm01["differs"], true);
    assert_eq!(cvm01["owners"][0], "customer");
    let md = demarc(&["compare", "ec2", "lambda"]);
    assert!(stdout(&md).contains("◆"));
}

#[test]
fn compare_needs_two_to_four_services() {
    assert_eq!(demarc(&["compare", "ec2"]).status.code(), Some(2));
    assert_eq!(
        demarc(&["compare", "ec2", "s3", "rds", "lambda", "dynamodb"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn catalog_check_passes_on_the_bundled_catalog_and_its_folder() {
    let out = demarc(&["catalog", "check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data");
    let out = demarc(&["catalog", "check", data]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("OK"));
}

#[test]
fn catalog_check_names_file_and_field_of_each_problem() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    copy_dir(&data, dir.path());
    // Break one service: an unknown control, an empty text, a malformed URL.
    let path = dir.path().join("services/ec2.json");
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    v["cells"]["XYZ-99"] = v["cells"]["IAM-01"].clone();
    v["cells"]["IAM-01"]["customer_does"] = Value::String(String::new());
    v["docs_url"] = Value::String("http://example.com/x".into());
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    // Duplicate a service id under another file name.
    std::fs::copy(
        dir.path().join("services/s3.json"),
        dir.path().join("services/s3-copy.json"),
    )
    .expect("copy");
    let out = demarc(&["catalog", "check", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("services/ec2.json: cells.XYZ-99: unknown control id"),
        "{err}"
    );
    assert!(
        err.contains("services/ec2.json: cells.IAM-01.customer_does: empty text"),
        "{err}"
    );
    assert!(err.contains("services/ec2.json: docs_url"), "{err}");
    assert!(err.contains("duplicate service id 's3'"), "{err}");
}

#[test]
fn catalog_check_reports_broken_json_with_its_position() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    copy_dir(&data, dir.path());
    std::fs::write(dir.path().join("services/s3.json"), "{ \"id\": \"s3\", ").expect("write");
    let out = demarc(&["catalog", "check", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("services/s3.json: not a valid catalog file"),
        "{}",
        stderr(&out)
    );
}

fn as_usize(v: &Value) -> usize {
    usize::try_from(v.as_u64().expect("a count")).expect("fits")
}

fn sum_of(rows: &Value, field: &str) -> usize {
    rows.as_array()
        .expect("rows")
        .iter()
        .map(|row| as_usize(&row[field]))
        .sum()
}

#[test]
fn catalog_stats_json_counts_add_up() {
    let v = json(&demarc(&[
        "catalog",
        "stats",
        "--json",
        "--today",
        "2026-11-28",
    ]));
    let services = json(&demarc(&["services", "--json"]));
    let services = services.as_array().expect("array");
    assert_eq!(as_usize(&v["services"]), services.len());
    let variants: usize = services
        .iter()
        .map(|s| s["variants"].as_array().expect("variants").len())
        .sum();
    assert_eq!(as_usize(&v["variants"]), variants);
    let columns: usize = services
        .iter()
        .map(|s| s["variants"].as_array().expect("variants").len().max(1))
        .sum();
    assert_eq!(as_usize(&v["columns"]), columns);
    assert_eq!(as_usize(&v["controls"]), 42);
    let cells = as_usize(&v["cells"]);
    assert_eq!(cells, columns * 42);
    assert_eq!(sum_of(&v["owners"], "cells"), cells);
    assert_eq!(sum_of(&v["tiers"], "services"), services.len());
    assert_eq!(sum_of(&v["tiers"], "columns"), columns);
    let specific = as_usize(&v["specific_cells"]);
    assert_eq!(sum_of(&v["tiers"], "specific_cells"), specific);
    assert!(as_usize(&v["cited_cells"]) <= specific);
    assert!(as_usize(&v["written_cells"]) <= specific);
    assert_eq!(
        as_usize(&v["tier_source"]["documented"]) + as_usize(&v["tier_source"]["rule"]),
        services.len()
    );
    assert_eq!(v["today"], "2026-11-28");
    // Far in the future, every specific cell is stale.
    let later = json(&demarc(&[
        "catalog",
        "stats",
        "--json",
        "--today",
        "2099-01-01",
    ]));
    assert_eq!(as_usize(&later["stale_cells"]), specific);
}

#[test]
fn catalog_stats_prints_a_table_and_checks_its_date() {
    let out = demarc(&["catalog", "stats", "--today", "2026-11-28"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let v = json(&demarc(&[
        "catalog",
        "stats",
        "--json",
        "--today",
        "2026-11-28",
    ]));
    for (label, key) in [
        ("services", "services"),
        ("cells", "cells"),
        ("specific cells", "specific_cells"),
        ("cited cells", "cited_cells"),
        ("stale cells", "stale_cells"),
    ] {
        let count = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix(label))
            .find(|rest| rest.starts_with(' '))
            .and_then(|rest| rest.split_whitespace().next())
            .unwrap_or_else(|| panic!("no '{label}' row in:\n{text}"));
        assert_eq!(count, v[key].to_string(), "{label}");
    }
    for heading in ["By tier", "By owner", "Tier source", "Not applicable"] {
        assert!(text.contains(heading), "{heading} missing:\n{text}");
    }
    // The bundled catalog records its previous release: the Shared row shows both counts.
    let previous = &v["previous"];
    let shared_row = text
        .lines()
        .find(|l| l.trim_start().starts_with("Shared"))
        .unwrap_or_else(|| panic!("no Shared row in:\n{text}"));
    let numbers: Vec<&str> = shared_row.split_whitespace().skip(1).collect();
    let shared = &v["owners"][1];
    assert_eq!(shared["owner"], "shared");
    assert_eq!(numbers[0], shared["cells"].to_string(), "{shared_row}");
    assert_eq!(
        numbers[2],
        shared["previous_cells"].to_string(),
        "{shared_row}"
    );
    assert!(
        text.contains(&format!(
            "in {}",
            previous["version"].as_str().unwrap_or("?")
        )),
        "{text}"
    );
    let out = demarc(&["catalog", "stats", "--today", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--today"), "{}", stderr(&out));
}

#[test]
fn catalog_diff_lists_changed_cells_and_removed_services() {
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    let old = tempfile::tempdir().expect("temp dir");
    let new = tempfile::tempdir().expect("temp dir");
    copy_dir(&data, old.path());
    copy_dir(&data, new.path());
    let path = new.path().join("services/s3.json");
    let mut v: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    let cells = v["cells"].as_object_mut().expect("s3 has cells");
    let (control, cell) = cells.iter_mut().next().expect("a cell");
    let control = control.clone();
    cell["customer_does"] = Value::String("Rewritten.".into());
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("json")).expect("write");
    std::fs::remove_file(new.path().join("services/bedrock.json")).expect("remove");
    let (old_dir, new_dir) = (
        old.path().to_str().expect("utf-8"),
        new.path().to_str().expect("utf-8"),
    );

    let d = json(&demarc(&["catalog", "diff", old_dir, new_dir, "--json"]));
    assert_eq!(d["services_removed"], serde_json::json!(["bedrock"]));
    let cells = d["cells"].as_array().expect("cells");
    assert_eq!(cells.len(), 1, "{cells:#?}");
    assert_eq!(cells[0]["column"], "s3");
    assert_eq!(cells[0]["control"], control.as_str());
    assert_eq!(cells[0]["changed"], serde_json::json!(["customer_does"]));
    assert_eq!(cells[0]["new"]["customer_does"], "Rewritten.");

    let out = demarc(&["catalog", "diff", old_dir, new_dir]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Services removed (1): bedrock"), "{text}");
    assert!(
        text.contains(&format!("s3 {control}: customer_does")),
        "{text}"
    );
    assert!(text.contains("+ Rewritten."), "{text}");

    // Against itself (and the bundled catalog, the default NEW_DIR), nothing changed.
    for args in [
        vec!["catalog", "diff", old_dir, old_dir],
        vec!["catalog", "diff", old_dir],
    ] {
        let out = demarc(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("Cells changed: none"),
            "{}",
            stdout(&out)
        );
    }
}

#[test]
fn catalog_diff_fails_on_a_missing_or_invalid_folder() {
    let out = demarc(&["catalog", "diff", "/definitely/not/here"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/definitely/not/here"),
        "{}",
        stderr(&out)
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    copy_dir(&data, dir.path());
    std::fs::write(dir.path().join("services/s3.json"), "{").expect("write");
    let out = demarc(&["catalog", "diff", dir.path().to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("services/s3.json: not a valid catalog file"),
        "{}",
        stderr(&out)
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Every command that prints data, with the document it prints. `FILE` stands for a fresh
/// engagement file.
const DATA_COMMANDS: [(&[&str], demarc::export::DocumentKind); 11] = {
    use demarc::export::DocumentKind as K;
    [
        (&["services"], K::Services),
        (&["controls"], K::Controls),
        (&["matrix", "--services", "ec2,s3"], K::Matrix),
        (
            &["checklist", "--services", "ec2", "--date", "2026-12-01"],
            K::Checklist,
        ),
        (
            &["checklist", "--engagement", "FILE"],
            K::EngagementChecklist,
        ),
        (&["compare", "ec2", "lambda"], K::Comparison),
        (
            &[
                "import",
                "tests/fixtures/samples/acme-retail/config-snapshot.json",
            ],
            K::Import,
        ),
        (&["engagement", "show", "FILE"], K::EngagementSummary),
        (
            &["catalog", "stats", "--today", "2026-12-04"],
            K::CatalogStats,
        ),
        (&["catalog", "diff", "data"], K::CatalogDiff),
        (
            &["catalog", "stats", "data", "--today", "2026-12-04"],
            K::CatalogStats,
        ),
    ]
};

/// Runs a data command with `extra` flags, `FILE` replaced by an engagement in `dir`.
fn data_command(args: &[&str], extra: &[&str], dir: &std::path::Path) -> Output {
    let file = dir.join("e.demarc.json");
    if !file.exists() {
        let made = demarc(&[
            "engagement",
            "new",
            file.to_str().expect("utf-8 path"),
            "--client",
            "Acme",
            "--services",
            "ec2,s3",
            "--date",
            "2026-12-01",
        ]);
        assert!(made.status.success(), "{}", stderr(&made));
    }
    let file = file.to_str().expect("utf-8 path").to_owned();
    let mut all: Vec<&str> = args
        .iter()
        .map(|a| if *a == "FILE" { file.as_str() } else { a })
        .collect();
    all.extend(extra);
    Command::new(env!("CARGO_BIN_EXE_demarc"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(&all)
        .output()
        .expect("run demarc")
}

#[test]
fn every_data_command_takes_format_json_and_output() {
    use demarc::export::formats_for;
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, kind) in DATA_COMMANDS {
        let formats = formats_for(kind);
        let default = data_command(args, &[], dir.path());
        assert!(default.status.success(), "{args:?}: {}", stderr(&default));
        assert!(!default.stdout.is_empty(), "{args:?} printed nothing");
        for format in formats {
            let out = data_command(args, &["--format", format.name()], dir.path());
            assert!(out.status.success(), "{args:?} --format {}", format.name());
            if *format == formats[0] {
                assert_eq!(
                    out.stdout, default.stdout,
                    "{args:?}: the default is the first"
                );
            }
        }
        let json_flag = data_command(args, &["--json"], dir.path());
        let json_format = data_command(args, &["--format", "json"], dir.path());
        assert!(json_flag.status.success(), "{args:?} --json");
        assert_eq!(
            json_flag.stdout, json_format.stdout,
            "{args:?}: --json is --format json"
        );
        serde_json::from_slice::<Value>(&json_flag.stdout)
            .unwrap_or_else(|e| panic!("{args:?} --json: {e}"));
        let file = dir.path().join("out");
        let written = data_command(
            args,
            &["--format", "json", "-o", file.to_str().expect("utf-8")],
            dir.path(),
        );
        assert!(
            written.status.success(),
            "{args:?} -o: {}",
            stderr(&written)
        );
        assert!(written.stdout.is_empty(), "{args:?} -o also printed");
        assert_eq!(std::fs::read(&file).expect("written"), json_format.stdout);
        let both = data_command(args, &["--json", "--format", "md"], dir.path());
        assert_eq!(
            both.status.code(),
            Some(2),
            "{args:?}: --json with --format"
        );
    }
}

#[test]
fn a_format_the_document_has_not_is_bad_usage() {
    use demarc::export::{Format, format_list, formats_for};
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, kind) in DATA_COMMANDS {
        for format in Format::ALL {
            if formats_for(kind).contains(&format) {
                continue;
            }
            let out = data_command(args, &["--format", format.name()], dir.path());
            assert_eq!(
                out.status.code(),
                Some(2),
                "{args:?} --format {}",
                format.name()
            );
            assert!(out.stdout.is_empty());
            let err = stderr(&out);
            assert!(err.contains(&format_list(kind)), "{args:?}: {err}");
        }
    }
}

#[test]
fn each_command_says_which_formats_it_writes() {
    use demarc::export::format_list;
    for (args, kind) in DATA_COMMANDS {
        let command: Vec<&str> = args
            .iter()
            .copied()
            .take_while(|a| !a.starts_with('-') && *a != "FILE" && *a != "data")
            .filter(|a| !a.contains('/') && !["ec2", "lambda"].contains(a))
            .collect();
        let mut help_args = command.clone();
        help_args.push("--help");
        let help = stdout(&demarc(&help_args)).replace('\n', " ");
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            help.contains(&format!("Formats: {}", format_list(kind)))
                || help.contains(&format!("--engagement: {}", format_list(kind))),
            "`demarc {}` help does not list {}: {help}",
            command.join(" "),
            format_list(kind)
        );
    }
}
