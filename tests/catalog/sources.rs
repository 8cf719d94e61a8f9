//! The catalog's URLs, mapping tables and Security Hub ids.

use super::*;

// ---------------------------------------------------------------------------------------------
// URLs: well formed, canonical English pages on AWS documentation hosts.

/// Language prefixes of aws.amazon.com's translated pages (`aws.amazon.com/de/...`).
const AWS_SITE_LOCALES: [&str; 16] = [
    "ar", "cn", "de", "es", "fr", "id", "it", "jp", "ko", "kr", "pt", "ru", "th", "tr", "tw", "vi",
];

static URL: LazyLock<Regex> = LazyLock::new(|| {
    // RFC 3986 characters only; percent signs must start an escape.
    let chars = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})";
    Regex::new(&format!(
        r"^https://(docs\.aws\.amazon\.com|aws\.amazon\.com)(/{chars}*)(\?{chars}+|\?)?(#{chars}*)?$"
    ))
    .expect("regex")
});
static DOCS_LOCALE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)/[a-z]{2}_[a-z]{2}/").expect("regex"));

/// What is wrong with a source URL, if anything.
fn url_problem(url: &str) -> Option<&'static str> {
    let Some(parts) = URL.captures(url) else {
        return Some("not an https URL on docs.aws.amazon.com or aws.amazon.com");
    };
    let host = &parts[1];
    let path = &parts[2];
    let query = parts.get(3).map_or("", |m| m.as_str());
    if path.len() <= 1 {
        return Some("no page: the bare host");
    }
    if path.contains("//") {
        return Some("an empty path segment (//)");
    }
    if DOCS_LOCALE.is_match(path) {
        return Some("a locale segment: cite the English page");
    }
    let first_segment = path[1..].split('/').next().unwrap_or("");
    if host == "aws.amazon.com" && AWS_SITE_LOCALES.contains(&first_segment) {
        return Some("a translated aws.amazon.com page: cite the English page");
    }
    if path.to_ascii_lowercase().ends_with(".md") {
        return Some("a .md source file: cite the published .html page");
    }
    if query == "?" {
        return Some("an empty query string");
    }
    if query.contains("icmpid=") || query.contains("utm_") {
        return Some("a tracking parameter");
    }
    None
}

fn url_problems(catalog: &Catalog) -> Vec<String> {
    let mut urls: Vec<(String, &str)> = Vec::new();
    for service in &catalog.services {
        urls.push((format!("{} docs_url", service.id), &service.docs_url));
    }
    for (place, _, cell) in written_cells(catalog) {
        urls.extend(cell.sources.iter().map(|u| (place.clone(), u.as_str())));
    }
    for (tier, cells) in &catalog.tier_defaults {
        for (control, cell) in cells {
            urls.extend(
                cell.sources
                    .iter()
                    .map(|u| (format!("tier {tier} {control}"), u.as_str())),
            );
        }
    }
    urls.into_iter()
        .filter_map(|(place, url)| url_problem(url).map(|why| format!("{place}: {url}: {why}")))
        .collect()
}

#[test]
fn every_url_is_a_well_formed_english_aws_documentation_page() {
    assert_none("urls", &url_problems(&BUNDLED));
}

#[test]
fn url_rule_catches_each_kind_of_bad_url() {
    for good in [
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html",
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html#Overview.Encryption.Limitations",
        "https://aws.amazon.com/compliance/shared-responsibility-model/",
        "https://docs.aws.amazon.com/goto/WebAPI/kms/EnableKeyRotation",
        "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3-readme.html?lang=python",
        "https://aws.amazon.com/ai/responsible-ai/",
    ] {
        assert_eq!(url_problem(good), None, "{good}");
    }
    for bad in [
        "http://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html",
        "https://docs.aws.amazon.com.evil.example/x.html",
        "https://example.com/docs.aws.amazon.com/x.html",
        "https://docs.aws.amazon.com",
        "https://docs.aws.amazon.com/",
        "https://docs.aws.amazon.com/a page.html",
        "https://docs.aws.amazon.com/a%zzpage.html",
        "https://docs.aws.amazon.com/ja_jp/AmazonS3/latest/userguide/security.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide//security.html",
        "https://aws.amazon.com/de/compliance/shared-responsibility-model/",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.md",
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security.html?",
        "https://docs.aws.amazon.com/controltower/latest/userguide/drift.html?icmpid=docs_ctower_console",
    ] {
        assert!(url_problem(bad).is_some(), "{bad} passed");
    }
    let mut catalog = bundled();
    service_mut(&mut catalog, "s3").docs_url =
        "https://docs.aws.amazon.com/ja_jp/AmazonS3/latest/userguide/security.html".to_owned();
    let problems = introduced(&url_problems(&BUNDLED), url_problems(&catalog));
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].starts_with("s3 docs_url:"), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------
// Mapping tables: well formed, and a key shared by services only within one ARN namespace.

static CONFIG_TYPE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$").expect("regex"));
static CFN_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^AWS::[A-Za-z0-9]+::(?:[A-Za-z0-9]+)?$").expect("regex"));
static ARN_NAMESPACE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z0-9][a-z0-9-]*$").expect("regex"));
static SECURITY_HUB_PREFIX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Z][A-Za-z0-9]*$").expect("regex"));
pub(crate) static SECURITY_HUB_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Z][A-Za-z0-9]*)\.[1-9][0-9]{0,2}$").expect("regex"));

/// One mapping table of a service.
type Table = fn(&Mappings) -> &[String];

fn mapping_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for service in &catalog.services {
        let m = &service.mappings;
        let tables: [(&str, &[String], Option<&Regex>); 5] = [
            (
                "config_resource_types",
                &m.config_resource_types,
                Some(&CONFIG_TYPE),
            ),
            (
                "cloudformation_prefixes",
                &m.cloudformation_prefixes,
                Some(&CFN_PREFIX),
            ),
            ("arn_namespaces", &m.arn_namespaces, Some(&ARN_NAMESPACE)),
            (
                "security_hub_prefixes",
                &m.security_hub_prefixes,
                Some(&SECURITY_HUB_PREFIX),
            ),
            ("cost_explorer_names", &m.cost_explorer_names, None),
        ];
        for (table, entries, pattern) in tables {
            let mut seen = BTreeSet::new();
            for entry in entries {
                if !seen.insert(entry) {
                    problems.push(format!("{} {table}: '{entry}' listed twice", service.id));
                }
                let well_formed = match pattern {
                    Some(re) => re.is_match(entry),
                    None => !entry.trim().is_empty() && entry.trim() == entry,
                };
                if !well_formed {
                    problems.push(format!("{} {table}: '{entry}' is malformed", service.id));
                }
            }
        }
    }
    // A key several services claim must resolve by ARN namespace and engine (the rds family,
    // the ec2 family); claimants without a namespace in common are a mapping mistake.
    let keyed: [(&str, Table, bool); 4] = [
        (
            "AWS Config type",
            |m| m.config_resource_types.as_slice(),
            false,
        ),
        (
            "CloudFormation prefix",
            |m| m.cloudformation_prefixes.as_slice(),
            true,
        ),
        (
            "Security Hub prefix",
            |m| m.security_hub_prefixes.as_slice(),
            false,
        ),
        (
            "Cost Explorer name",
            |m| m.cost_explorer_names.as_slice(),
            false,
        ),
    ];
    for (label, table, prefixes_overlap) in keyed {
        for (i, a) in catalog.services.iter().enumerate() {
            for b in &catalog.services[i + 1..] {
                let clash = table(&a.mappings).iter().find(|x| {
                    table(&b.mappings).iter().any(|y| {
                        x == &y
                            || (prefixes_overlap
                                && (x.starts_with(y.as_str()) || y.starts_with(x.as_str())))
                    })
                });
                let Some(key) = clash else { continue };
                let shared_namespace = a
                    .mappings
                    .arn_namespaces
                    .iter()
                    .any(|n| b.mappings.arn_namespaces.contains(n));
                if !shared_namespace {
                    problems.push(format!(
                        "{label} '{key}' claimed by {} and {}, which share no ARN namespace",
                        a.id, b.id
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn mapping_tables_are_well_formed_and_shared_keys_stay_within_a_namespace() {
    assert_none("mappings", &mapping_problems(&BUNDLED));
}

#[test]
fn mapping_rule_catches_malformed_entries_and_foreign_claims() {
    let mut catalog = bundled();
    let sqs = service_mut(&mut catalog, "sqs");
    sqs.mappings
        .config_resource_types
        .push("AWS::S3::Bucket".to_owned());
    sqs.mappings
        .cloudformation_prefixes
        .push("AWS::SQS".to_owned());
    sqs.mappings.arn_namespaces.push("SQS".to_owned());
    let problems = introduced(&mapping_problems(&BUNDLED), mapping_problems(&catalog));
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].contains("'AWS::SQS' is malformed"));
    assert!(problems[1].contains("'SQS' is malformed"));
    assert!(problems[2].contains("'AWS::S3::Bucket' claimed by s3 and sqs"));
}

/// Security Hub ids the catalog relies on: those of `controls.json`, and those of
/// `data/checks.json` when it exists (the importers' evidence checks; absent before they land,
/// and then there is nothing to check there).
fn security_hub_problems(catalog: &Catalog, checks_json: Option<&str>) -> Vec<String> {
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut problems = Vec::new();
    for control in &catalog.controls {
        for id in &control.frameworks.security_hub {
            ids.push((format!("controls.json {}", control.id), id.clone()));
        }
    }
    if let Some(text) = checks_json {
        let checks: Vec<Value> = serde_json::from_str(text).expect("checks.json is a JSON array");
        for check in &checks {
            let key = check["key"].as_str().unwrap_or("?");
            let place = format!("checks.json {key}");
            match check["service"].as_str() {
                Some(s) if catalog.parse_ref(s).is_ok() => {}
                other => problems.push(format!("{place}: unknown service {other:?}")),
            }
            match check["control"].as_str() {
                Some(c) if catalog.control(c).is_some() => {}
                other => problems.push(format!("{place}: unknown control {other:?}")),
            }
            for id in check["security_hub"].as_array().into_iter().flatten() {
                ids.push((place.clone(), id.as_str().unwrap_or_default().to_owned()));
            }
        }
    }
    for (place, id) in ids {
        match SECURITY_HUB_ID.captures(&id) {
            None => problems.push(format!("{place}: '{id}' is not a Security Hub control id")),
            Some(parts)
                if catalog
                    .services_for_security_hub_prefix(&parts[1])
                    .is_empty() =>
            {
                problems.push(format!(
                    "{place}: no service maps the Security Hub prefix of '{id}'"
                ));
            }
            Some(_) => {}
        }
    }
    problems
}

fn checks_json() -> Option<&'static str> {
    Catalog::bundled_files()
        .iter()
        .find(|(path, _)| *path == "checks.json")
        .map(|(_, text)| *text)
}

#[test]
fn every_security_hub_id_in_use_maps_to_a_service() {
    assert_none(
        "security hub",
        &security_hub_problems(&BUNDLED, checks_json()),
    );
}

#[test]
fn security_hub_rule_catches_unmapped_prefixes_and_bad_checks() {
    let checks = r#"[
        {"key": "ok", "service": "s3", "control": "NET-03", "security_hub": ["S3.8"]},
        {"key": "bad", "service": "nope", "control": "XYZ-01", "security_hub": ["Nope.1", "S3"]}
    ]"#;
    let problems = introduced(
        &security_hub_problems(&BUNDLED, None),
        security_hub_problems(&BUNDLED, Some(checks)),
    );
    assert_eq!(
        problems,
        [
            "checks.json bad: unknown service Some(\"nope\")",
            "checks.json bad: unknown control Some(\"XYZ-01\")",
            "checks.json bad: no service maps the Security Hub prefix of 'Nope.1'",
            "checks.json bad: 'S3' is not a Security Hub control id",
        ]
    );
}
