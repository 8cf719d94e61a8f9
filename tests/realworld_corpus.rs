//! The corpus of real files in `tests/fixtures/realworld/` stays consistent with itself: every
//! input has an expected-results file of the agreed shape, naming only checks that exist, and a
//! line in `SOURCES.md` with its size. This does not run the importers; the test that imports
//! each file and compares with its expected results belongs with the importers (issue 10).

use demarc::model::Catalog;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FORMATS: [&str; 6] = [
    "config_snapshot",
    "cli_collection",
    "security_hub",
    "prowler_ocsf",
    "prowler_asff",
    "refused",
];
const STATUSES: [&str; 5] = ["pass", "fail", "unknown", "suppressed", "muted"];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld")
}

/// Every `*.expected.json` under the corpus: (path relative to the corpus, parsed JSON).
fn expected_files() -> Vec<(String, Value)> {
    let root = corpus();
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)
            .expect("read corpus folder")
            .flatten()
        {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Some(name) = path.to_str().and_then(|p| p.strip_suffix(".expected.json"))
            {
                let rel = Path::new(name)
                    .strip_prefix(&root)
                    .expect("under the corpus")
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(&path).expect("read expected file");
                let value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{rel}.expected.json is not JSON: {e}"));
                out.push((rel, value));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// What is wrong with one expected-results file, given the check keys that exist.
fn shape_problems(name: &str, v: &Value, keys: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let Some(map) = v.as_object() else {
        return vec![format!("{name}: not a JSON object")];
    };
    let allowed = [
        "format",
        "refused_because",
        "accounts",
        "regions",
        "findings_total",
        "results",
        "unmapped",
        "notes",
    ];
    for k in map.keys().filter(|k| !allowed.contains(&k.as_str())) {
        problems.push(format!("{name}: unknown field '{k}'"));
    }
    let format = map.get("format").and_then(Value::as_str).unwrap_or("");
    if !FORMATS.contains(&format) {
        problems.push(format!(
            "{name}: format '{format}' is not one of {FORMATS:?}"
        ));
    }
    if (format == "refused") != map.contains_key("refused_because") {
        problems.push(format!(
            "{name}: refused_because must be given exactly when format is refused"
        ));
    }
    for k in ["accounts", "regions"] {
        if !map
            .get(k)
            .and_then(Value::as_array)
            .is_some_and(|a| a.iter().all(Value::is_string))
        {
            problems.push(format!("{name}: {k} is not a list of strings"));
        }
    }
    let total = map.get("findings_total").and_then(Value::as_u64);
    let unmapped = map.get("unmapped").and_then(Value::as_u64);
    match (total, unmapped) {
        (Some(t), Some(u)) if u <= t => {}
        _ => problems.push(format!(
            "{name}: findings_total and unmapped must be counts with unmapped <= findings_total"
        )),
    }
    if !map.get("notes").is_some_and(Value::is_string) {
        problems.push(format!("{name}: notes is not a string"));
    }
    let Some(results) = map.get("results").and_then(Value::as_array) else {
        problems.push(format!("{name}: results is not a list"));
        return problems;
    };
    for (i, r) in results.iter().enumerate() {
        let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
        if !keys.contains(field("check")) {
            problems.push(format!(
                "{name}: results[{i}] names check '{}', not in data/checks.json",
                field("check")
            ));
        }
        if !STATUSES.contains(&field("status")) {
            problems.push(format!(
                "{name}: results[{i}] status '{}' is not one of {STATUSES:?}",
                field("status")
            ));
        }
        if field("resource").is_empty() || field("why").is_empty() {
            problems.push(format!("{name}: results[{i}] has no resource or no why"));
        }
    }
    problems
}

fn check_keys() -> BTreeSet<String> {
    Catalog::bundled()
        .checks
        .iter()
        .map(|c| c.key.clone())
        .collect()
}

#[test]
fn every_expected_file_has_the_agreed_shape_and_names_real_checks() {
    let keys = check_keys();
    let files = expected_files();
    assert!(
        files.len() >= 12,
        "only {} inputs in the corpus",
        files.len()
    );
    let problems: Vec<String> = files
        .iter()
        .flat_map(|(name, v)| shape_problems(name, v, &keys))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_input_exists_and_sources_md_lists_it_with_its_size() {
    let root = corpus();
    let sources = std::fs::read_to_string(root.join("SOURCES.md")).expect("SOURCES.md");
    let mut problems = Vec::new();
    for (name, _) in expected_files() {
        let path = root.join(&name);
        if path.is_dir() {
            if !path.join("manifest.json").is_file() {
                problems.push(format!("{name}/: a CLI folder without manifest.json"));
            }
            if !sources.contains(&format!("`{name}/`")) {
                problems.push(format!("{name}/: not in SOURCES.md"));
            }
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            problems.push(format!(
                "{name}: expected results for a file that is not there"
            ));
            continue;
        };
        let line = sources
            .lines()
            .find(|l| l.starts_with(&format!("| `{name}` |")));
        match line {
            None => problems.push(format!("{name}: not in SOURCES.md")),
            Some(l) if !l.contains(&format!("| {} |", meta.len())) => {
                problems.push(format!(
                    "{name}: SOURCES.md does not give its size {}",
                    meta.len()
                ));
            }
            Some(_) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn shape_rule_names_what_is_wrong() {
    let keys = check_keys();
    let bad: Value = serde_json::json!({
        "format": "refused",
        "accounts": ["1"],
        "regions": [],
        "findings_total": 1,
        "unmapped": 2,
        "results": [{"check": "s3_no_such_check", "resource": "b", "status": "failed", "why": "x"}],
        "notes": "",
        "extra": true
    });
    assert_eq!(
        shape_problems("x", &bad, &keys),
        [
            "x: unknown field 'extra'",
            "x: refused_because must be given exactly when format is refused",
            "x: findings_total and unmapped must be counts with unmapped <= findings_total",
            "x: results[0] names check 's3_no_such_check', not in data/checks.json",
            "x: results[0] status 'failed' is not one of [\"pass\", \"fail\", \"unknown\", \"suppressed\", \"muted\"]",
        ]
    );
}
