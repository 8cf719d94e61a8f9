//! Tests of catalog loading, service refs and checks.

use super::*;

#[test]
fn bundled_catalog_loads_and_resolves_every_cell() {
    let catalog = Catalog::bundled();
    assert_eq!(catalog.controls.len(), 42);
    for r in catalog.all_refs() {
        for control in &catalog.controls {
            let cell = catalog.cell(&r, &control.id).expect("every cell resolves");
            assert!(!cell.data.aws_does.trim().is_empty(), "{r} {}", control.id);
            assert!(
                !cell.data.customer_does.trim().is_empty(),
                "{r} {}",
                control.id
            );
        }
    }
}

#[test]
fn bare_service_means_its_default_variant() {
    let catalog = Catalog::bundled();
    let rds = catalog.parse_ref("rds").expect("rds exists");
    assert_eq!(rds.key(), "rds/standard");
    assert_eq!(catalog.parse_ref("ec2").expect("ec2").key(), "ec2");
    assert_eq!(
        catalog.parse_ref("rds/custom").expect("custom").key(),
        "rds/custom"
    );
}

#[test]
fn unknown_service_names_the_closest_ids() {
    let catalog = Catalog::bundled();
    let err = catalog.parse_ref("ec3").expect_err("no such service");
    assert!(err.suggestions.contains(&"ec2".to_owned()), "{err}");
    let err = catalog
        .parse_ref("rds/custum")
        .expect_err("no such variant");
    assert!(err.suggestions.contains(&"rds/custom".to_owned()), "{err}");
}

#[test]
fn bundled_checks_load_and_map_security_hub_ids() {
    let catalog = Catalog::bundled();
    assert_eq!(catalog.checks.len(), 43);
    let keys: Vec<&str> = catalog
        .checks_for_security_hub("s3.8")
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    assert_eq!(
        keys,
        [
            "s3_public_access_block_off",
            "s3_public_access_block_partial"
        ]
    );
    assert_eq!(
        catalog.check("rds_public").map(|c| c.control.as_str()),
        Some("NET-03")
    );
    assert_eq!(
        catalog.checks_for_prowler("kms_cmk_rotation_enabled")[0].key,
        "kms_rotation_off"
    );
}

#[test]
fn checks_with_unknown_service_or_control_or_a_key_for_a_title_are_problems() {
    let mut files: Vec<(&str, &str)> = Catalog::bundled_files()
        .iter()
        .filter(|(p, _)| *p != "checks.json")
        .copied()
        .collect();
    let bad = r#"[{"key":"x","title":"X","service":"nope","control":"NET-99","fails_when":"-","severity":"low"},
                  {"key":"x","title":"x_y","service":"s3","control":"NET-03","fails_when":"-","severity":"low"}]"#;
    files.push(("checks.json", bad));
    let err = Catalog::from_files(files).expect_err("bad checks");
    let text = err.to_string();
    assert!(text.contains("unknown service 'nope'"), "{text}");
    assert!(text.contains("unknown control 'NET-99'"), "{text}");
    assert!(text.contains("key is given twice"), "{text}");
    assert!(text.contains("title reads like a key"), "{text}");
}

fn bundled_with_rds_cell(edit: impl Fn(&mut serde_json::Value)) -> Result<Catalog, String> {
    let mut files: Vec<(String, String)> = Catalog::bundled_files()
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    for (path, text) in &mut files {
        if path == "services/rds.json" {
            let mut value: serde_json::Value = serde_json::from_str(text).expect("json");
            edit(&mut value["cells"]["NET-01"]);
            *text = value.to_string();
        }
    }
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .map_err(|e| e.to_string())
}

#[test]
fn cell_evidence_must_name_a_section_of_a_cited_page() {
    let source = "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.html";
    let good = bundled_with_rds_cell(|cell| {
        cell["sources"] = serde_json::json!([source]);
        cell["evidence"] = serde_json::json!({
            "statement": "The page says the DB subnet group picks the subnets.",
            "section": "Working with DB subnet groups",
            "url": format!("{source}#USER_VPC.Subnets"),
        });
    });
    assert!(good.is_ok(), "{good:?}");
    let uncited = bundled_with_rds_cell(|cell| {
        cell["sources"] = serde_json::json!([source]);
        cell["evidence"] = serde_json::json!({
            "statement": "Said elsewhere.",
            "section": "Somewhere",
            "url": "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Other.html#x",
        });
    })
    .expect_err("evidence from a page the cell does not cite");
    assert!(
        uncited.contains("is not one of the cell's sources"),
        "{uncited}"
    );
    let empty = bundled_with_rds_cell(|cell| {
        cell["sources"] = serde_json::json!([source]);
        cell["evidence"] = serde_json::json!({"statement": " ", "section": "", "url": source});
    })
    .expect_err("empty evidence");
    assert!(
        empty.contains("evidence.statement") && empty.contains("evidence.section"),
        "{empty}"
    );
    let unknown_field = bundled_with_rds_cell(|cell| {
        cell["evidence"] =
            serde_json::json!({"statement": "x", "section": "y", "url": source, "quote": "copied"});
    })
    .expect_err("unknown field");
    assert!(unknown_field.contains("quote"), "{unknown_field}");
}

#[test]
fn url_labels_are_short() {
    assert_eq!(
        url_label("https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html"),
        "AmazonS3/…/security.html"
    );
    assert_eq!(
        url_label("https://aws.amazon.com/compliance/"),
        "compliance"
    );
}
