//! Tests that keep the bundled catalog honest (issue 3, item 8, and more).
//!
//! Each rule is a function that lists the problems it finds. The bundled catalog must have none,
//! and for each rule a test breaks a copy of the catalog on purpose and checks the rule says so:
//! a rule that cannot fail proves nothing.

use demarc::model::catalog::{CatalogInfo, Mappings};
use demarc::model::{Catalog, CellData, Owner, ServiceRef};
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

static BUNDLED: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);

fn bundled() -> Catalog {
    BUNDLED.clone()
}

/// Asserts a rule found nothing, printing every problem (not just the first) when it did.
fn assert_none(rule: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{rule}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// The problems `after` reports that `before` did not: what a deliberate break introduced, even
/// if the data has other problems at the time (those fail their own test).
fn introduced(before: &[String], after: Vec<String>) -> Vec<String> {
    after.into_iter().filter(|p| !before.contains(p)).collect()
}

fn service_mut<'a>(catalog: &'a mut Catalog, id: &str) -> &'a mut demarc::model::Service {
    catalog
        .services
        .iter_mut()
        .find(|s| s.id == id)
        .unwrap_or_else(|| panic!("no service {id}"))
}

/// Every cell written in a service file: (where, data). `where` is `s3 IAM-01` or
/// `rds/custom CVM-01`.
fn written_cells(catalog: &Catalog) -> Vec<(String, &str, &CellData)> {
    let mut out = Vec::new();
    for service in &catalog.services {
        for (control, cell) in &service.cells {
            out.push((
                format!("{} {control}", service.id),
                service.id.as_str(),
                cell,
            ));
        }
        for variant in &service.variants {
            for (control, cell) in &variant.cells {
                out.push((
                    format!("{}/{} {control}", service.id, variant.id),
                    service.id.as_str(),
                    cell,
                ));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Scope: every service and variant of docs/reference/catalog-scope.md.

#[derive(Debug, Clone, PartialEq, Eq)]
struct ScopeEntry {
    service_id: String,
    /// Variant ids in the order listed; empty for a service without variants.
    variants: Vec<String>,
    /// The variant marked `*`.
    default: Option<String>,
}

/// The scope table (`docs/reference/catalog-scope.md`): service ids and variants.
fn scope_file() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/reference/catalog-scope.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The rows of the table whose header is `| id | name | tier | variants |`.
fn parse_scope(text: &str) -> Vec<ScopeEntry> {
    let cells = |line: &str| -> Vec<String> {
        line.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_owned())
            .collect()
    };
    let mut lines = text
        .lines()
        .skip_while(|l| cells(l) != ["id", "name", "tier", "variants"]);
    lines.next(); // header
    lines.next(); // |---|
    lines
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|line| {
            let row = cells(line);
            assert_eq!(row.len(), 4, "scope row with {} cells: {line}", row.len());
            let listed: Vec<&str> = row[3]
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            ScopeEntry {
                service_id: row[0].clone(),
                variants: listed
                    .iter()
                    .map(|v| v.trim_end_matches('*').to_owned())
                    .collect(),
                default: listed
                    .iter()
                    .find(|v| v.ends_with('*'))
                    .map(|v| v.trim_end_matches('*').to_owned()),
            }
        })
        .collect()
}

fn scope() -> Vec<ScopeEntry> {
    let entries = parse_scope(&scope_file());
    assert!(
        entries.len() >= 80,
        "read only {} scope rows",
        entries.len()
    );
    entries
}

fn scope_problems(catalog: &Catalog, scope: &[ScopeEntry]) -> Vec<String> {
    let mut problems = Vec::new();
    for entry in scope {
        let Some(service) = catalog.service(&entry.service_id) else {
            problems.push(format!(
                "{}: in the scope, not in the catalog",
                entry.service_id
            ));
            continue;
        };
        let have: BTreeSet<&str> = service.variants.iter().map(|v| v.id.as_str()).collect();
        let want: BTreeSet<&str> = entry.variants.iter().map(String::as_str).collect();
        if have != want {
            problems.push(format!(
                "{}: variants {have:?}, the scope lists {want:?}",
                entry.service_id
            ));
        }
        let default = service.default_variant().map(|v| v.id.clone());
        if default != entry.default {
            problems.push(format!(
                "{}: default variant {default:?}, the scope marks {:?}",
                entry.service_id, entry.default
            ));
        }
    }
    problems
}

#[test]
fn every_scope_service_is_present_with_its_variants_and_default() {
    assert_none("scope", &scope_problems(&BUNDLED, &scope()));
}

#[test]
fn scope_rule_catches_a_missing_variant_and_a_wrong_default() {
    let mut catalog = bundled();
    let lambda = service_mut(&mut catalog, "lambda");
    lambda.variants.retain(|v| v.id != "container-image");
    let eks = service_mut(&mut catalog, "eks");
    for v in &mut eks.variants {
        v.default = v.id == "fargate";
    }
    catalog.services.retain(|s| s.id != "bedrock");
    let catalog = reindexed(&catalog);
    let problems = introduced(
        &scope_problems(&BUNDLED, &scope()),
        scope_problems(&catalog, &scope()),
    );
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(problems[0].starts_with("eks: default variant Some(\"fargate\")"));
    assert!(problems[1].starts_with("lambda: variants"));
    assert!(problems[2].starts_with("bedrock: in the scope, not in the catalog"));
}

/// A catalog rebuilt from its own files after its service list was edited, so that lookups by
/// id see the edit. Goes through JSON, the way a catalog folder is read.
fn reindexed(catalog: &Catalog) -> Catalog {
    let mut files: Vec<(String, String)> = Catalog::bundled_files()
        .iter()
        .filter(|(path, _)| !path.starts_with("services/"))
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    for service in &catalog.services {
        files.push((
            format!("services/{}.json", service.id),
            serde_json::to_string(service).expect("serialize"),
        ));
    }
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
        .unwrap_or_else(|err| panic!("edited catalog no longer loads:\n{err}"))
}

// ---------------------------------------------------------------------------------------------
// Variants: each one shows something that moves.

fn variant_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for service in &catalog.services {
        let Some(default) = service.default_variant() else {
            continue;
        };
        let base = ServiceRef::new(&service.id, Some(&default.id));
        for variant in service.variants.iter().filter(|v| !v.default) {
            let other = ServiceRef::new(&service.id, Some(&variant.id));
            let differs = catalog.controls.iter().any(|control| {
                let a = catalog.cell(&base, &control.id).expect("resolves");
                let b = catalog.cell(&other, &control.id).expect("resolves");
                a.data != b.data
            });
            if !differs {
                problems.push(format!("{other}: every resolved cell equals {base}'s"));
            }
        }
    }
    problems
}

#[test]
fn every_non_default_variant_differs_from_its_default() {
    assert_none("variants", &variant_problems(&BUNDLED));
}

#[test]
fn variant_rule_catches_a_variant_identical_to_its_default() {
    let mut catalog = bundled();
    let lambda = service_mut(&mut catalog, "lambda");
    let default = lambda.default_variant().expect("default").clone();
    let manual = lambda
        .variants
        .iter_mut()
        .find(|v| v.id == "zip-manual-runtime")
        .expect("variant");
    manual.cells = default.cells;
    manual.tier = default.tier;
    assert_eq!(
        introduced(&variant_problems(&BUNDLED), variant_problems(&catalog)),
        ["lambda/zip-manual-runtime: every resolved cell equals lambda/zip-auto-runtime's"]
    );
}

// ---------------------------------------------------------------------------------------------
// Copy-paste guard: specific text is written for its service.

/// Lower case, letters and digits only: a copy with other spacing or punctuation is still a copy.
fn normalized(text: &str) -> String {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn copy_paste_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    // The same customer text on two services. (Variants of one service may share text.)
    let mut by_text: BTreeMap<String, BTreeMap<&str, String>> = BTreeMap::new();
    for (place, service_id, cell) in written_cells(catalog) {
        by_text
            .entry(normalized(&cell.customer_does))
            .or_default()
            .entry(service_id)
            .or_insert(place);
    }
    for places in by_text.values().filter(|p| p.len() > 1) {
        let places: Vec<&str> = places.values().map(String::as_str).collect();
        problems.push(format!("same customer_does text in {}", places.join(", ")));
    }
    // A specific cell that repeats a tier default is generic text pretending to be specific.
    let generic: BTreeSet<String> = catalog
        .tier_defaults
        .values()
        .flat_map(|cells| cells.values())
        .flat_map(|cell| [normalized(&cell.aws_does), normalized(&cell.customer_does)])
        .collect();
    for (place, _, cell) in written_cells(catalog) {
        for (field, text) in [
            ("aws_does", &cell.aws_does),
            ("customer_does", &cell.customer_does),
        ] {
            if generic.contains(&normalized(text)) {
                problems.push(format!("{place}: {field} repeats a tier default"));
            }
        }
    }
    problems
}

#[test]
fn no_two_services_share_customer_text_and_no_specific_cell_repeats_a_tier_default() {
    assert_none("copy-paste", &copy_paste_problems(&BUNDLED));
}

#[test]
fn copy_paste_rule_catches_copies() {
    let mut catalog = bundled();
    let sqs_text = catalog.service("sqs").expect("sqs").cells["DAT-02"]
        .customer_does
        .clone();
    let sns = service_mut(&mut catalog, "sns");
    // Only the case and punctuation differ.
    sns.cells
        .get_mut("DAT-02")
        .expect("sns DAT-02")
        .customer_does = format!("  {}!", sqs_text.to_uppercase());
    let tier_text = catalog.tier_defaults[&demarc::model::Tier::A]["LOG-03"]
        .aws_does
        .clone();
    service_mut(&mut catalog, "s3")
        .cells
        .values_mut()
        .next()
        .expect("an s3 cell")
        .aws_does = tier_text;
    let problems = introduced(
        &copy_paste_problems(&BUNDLED),
        copy_paste_problems(&catalog),
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].contains("sns DAT-02") && problems[0].contains("sqs DAT-02"));
    assert!(
        problems[1].starts_with("s3 ") && problems[1].ends_with("aws_does repeats a tier default")
    );
}

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
static SECURITY_HUB_ID: LazyLock<Regex> =
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

// ---------------------------------------------------------------------------------------------
// The 40 most used services: no customer or shared cell inherits the generic tier text.

/// Issue 3, "Specific text where it matters".
const TOP_SERVICES: [&str; 40] = [
    "ec2",
    "ebs",
    "vpc",
    "s3",
    "rds",
    "aurora",
    "dynamodb",
    "lambda",
    "ecs",
    "eks",
    "ecr",
    "elb",
    "cloudfront",
    "api-gateway",
    "route53",
    "sqs",
    "sns",
    "kms",
    "secrets-manager",
    "iam",
    "cloudtrail",
    "cloudwatch",
    "config",
    "guardduty",
    "efs",
    "fsx",
    "elasticache",
    "redshift",
    "opensearch",
    "emr",
    "elastic-beanstalk",
    "sagemaker",
    "cognito",
    "step-functions",
    "kinesis-data-streams",
    "msk",
    "glue",
    "athena",
    "backup",
    "workspaces",
];

fn top_service_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for service_id in TOP_SERVICES {
        if catalog.service(service_id).is_none() {
            problems.push(format!("{service_id}: missing"));
            continue;
        }
        for column in catalog
            .all_refs()
            .iter()
            .filter(|r| r.service == service_id)
        {
            for control in &catalog.controls {
                let cell = catalog.cell(column, &control.id).expect("resolves");
                if cell.inherited() && matches!(cell.owner(), Owner::Customer | Owner::Shared) {
                    problems.push(format!(
                        "{column} {}: {} cell inherits the tier text",
                        control.id,
                        cell.owner()
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn top_services_have_no_inherited_customer_or_shared_cells() {
    assert_none("top services", &top_service_problems(&BUNDLED));
}

#[test]
fn top_service_rule_catches_an_inherited_customer_cell() {
    let mut catalog = bundled();
    // A control whose tier I default (ec2's tier) has the customer involved.
    let tier_i = &catalog.tier_defaults[&demarc::model::Tier::I];
    let control = catalog
        .service("ec2")
        .expect("ec2")
        .cells
        .keys()
        .find(|id| matches!(tier_i[id.as_str()].owner, Owner::Customer | Owner::Shared))
        .expect("ec2 writes a cell the tier I default gives the customer")
        .clone();
    service_mut(&mut catalog, "ec2").cells.remove(&control);
    let problems = introduced(
        &top_service_problems(&BUNDLED),
        top_service_problems(&catalog),
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].starts_with(&format!("ec2 {control}: ")),
        "{problems:#?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Specific cells: dated and cited.

fn evidence_problems(catalog: &Catalog) -> Vec<String> {
    let release: &CatalogInfo = &catalog.info;
    let mut problems = Vec::new();
    for (place, _, cell) in written_cells(catalog) {
        if cell.sources.is_empty() {
            problems.push(format!("{place}: no source"));
        }
        match cell.last_verified.as_deref() {
            None => problems.push(format!("{place}: no last_verified")),
            Some(date) if !demarc::model::validate::is_iso_date(date) => {
                problems.push(format!("{place}: last_verified '{date}' is not a date"));
            }
            // ISO dates compare as text.
            Some(date) if date > release.date.as_str() => problems.push(format!(
                "{place}: last_verified {date} is after the catalog's date {}",
                release.date
            )),
            Some(_) => {}
        }
    }
    problems
}

#[test]
fn every_specific_cell_is_cited_and_verified_by_the_release_date() {
    assert_none("evidence", &evidence_problems(&BUNDLED));
}

#[test]
fn evidence_rule_catches_missing_sources_and_dates() {
    let mut catalog = bundled();
    let s3 = service_mut(&mut catalog, "s3");
    let mut cells = s3.cells.values_mut();
    cells.next().expect("cell").sources.clear();
    cells.next().expect("cell").last_verified = None;
    cells.next().expect("cell").last_verified = Some("2099-01-01".to_owned());
    cells.next().expect("cell").last_verified = Some("2026-02-30".to_owned());
    let problems = introduced(&evidence_problems(&BUNDLED), evidence_problems(&catalog));
    assert_eq!(problems.len(), 4, "{problems:#?}");
    assert!(problems[0].ends_with("no source"));
    assert!(problems[1].ends_with("no last_verified"));
    assert!(problems[2].contains("after the catalog's date"));
    assert!(problems[3].contains("is not a date"));
}

// ---------------------------------------------------------------------------------------------
// Framework ids: ids only, in each framework's own notation.

static NIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-[1-9][0-9]?(\([1-9][0-9]?\))?$",
    )
    .expect("regex")
});
/// CIS AWS Foundations v3.0: sections 1 to 5, `1.4` or `2.1.1`.
static CIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[1-5]\.[1-9][0-9]?(\.[1-9][0-9]?)?$").expect("regex"));
/// ISO/IEC 27001:2022 Annex A: A.5.1-A.5.37, A.6.1-A.6.8, A.7.1-A.7.14, A.8.1-A.8.34.
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^A\.(5\.([1-9]|[12][0-9]|3[0-7])|6\.[1-8]|7\.([1-9]|1[0-4])|8\.([1-9]|[12][0-9]|3[0-4]))$")
        .expect("regex")
});
/// CSA CCM v4: the 17 domains.
static CCM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(A&A|AIS|BCR|CCC|CEK|DCS|DSP|GRC|HRS|IAM|IPY|IVS|LOG|SEF|STA|TVM|UEM)-[0-9]{2}$")
        .expect("regex")
});

fn framework_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for control in &catalog.controls {
        let f = &control.frameworks;
        let lists: [(&str, &[String], &Regex); 5] = [
            ("NIST 800-53 r5", &f.nist_800_53_r5, &NIST),
            ("CIS AWS v3.0", &f.cis_aws_v3, &CIS),
            ("Security Hub", &f.security_hub, &SECURITY_HUB_ID),
            ("ISO 27001:2022", &f.iso_27001_2022, &ISO),
            ("CSA CCM v4", &f.csa_ccm_v4, &CCM),
        ];
        for (framework, ids, pattern) in lists {
            let mut seen = BTreeSet::new();
            for id in ids {
                if !pattern.is_match(id) {
                    problems.push(format!("{} {framework}: '{id}' is not an id", control.id));
                }
                if !seen.insert(id) {
                    problems.push(format!("{} {framework}: '{id}' listed twice", control.id));
                }
            }
        }
        // The taxonomy maps every control to NIST and ISO.
        for (framework, ids) in [
            ("NIST 800-53 r5", &f.nist_800_53_r5),
            ("ISO 27001:2022", &f.iso_27001_2022),
        ] {
            if ids.is_empty() {
                problems.push(format!("{} {framework}: no ids", control.id));
            }
        }
    }
    problems
}

#[test]
fn framework_ids_are_ids_in_each_frameworks_notation() {
    assert_none("frameworks", &framework_problems(&BUNDLED));
}

#[test]
fn framework_rule_catches_prose_ranges_and_impossible_ids() {
    let mut catalog = bundled();
    let control = catalog
        .controls
        .iter_mut()
        .find(|c| c.id == "IAM-01")
        .expect("IAM-01");
    control
        .frameworks
        .nist_800_53_r5
        .push("Least privilege".to_owned());
    control.frameworks.cis_aws_v3.push("4.1-4.16".to_owned());
    control.frameworks.security_hub.push("IAM 4".to_owned());
    control.frameworks.iso_27001_2022.push("A.5.38".to_owned());
    control.frameworks.csa_ccm_v4.push("XYZ-01".to_owned());
    control.frameworks.csa_ccm_v4.push("IAM-09".to_owned());
    let problems = introduced(&framework_problems(&BUNDLED), framework_problems(&catalog));
    assert_eq!(
        problems,
        [
            "IAM-01 NIST 800-53 r5: 'Least privilege' is not an id",
            "IAM-01 CIS AWS v3.0: '4.1-4.16' is not an id",
            "IAM-01 Security Hub: 'IAM 4' is not an id",
            "IAM-01 ISO 27001:2022: 'A.5.38' is not an id",
            "IAM-01 CSA CCM v4: 'XYZ-01' is not an id",
            "IAM-01 CSA CCM v4: 'IAM-09' listed twice",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Versioned catalog: catalog.json's version has its entry at the top of data/CHANGELOG.md.

static VERSION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^## (\d+)\.(\d+)\.(\d+) \((\d{4}-\d{2}-\d{2})\)$").expect("regex")
});

fn changelog_problems(info: &CatalogInfo, changelog: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let headings: Vec<((u64, u64, u64), String)> = changelog
        .lines()
        .filter_map(|line| VERSION_HEADING.captures(line))
        .map(|c| {
            let n = |i: usize| c[i].parse::<u64>().expect("digits");
            ((n(1), n(2), n(3)), c[4].to_owned())
        })
        .collect();
    let Some(((major, minor, patch), date)) = headings.first() else {
        return vec!["no '## MAJOR.MINOR.PATCH (YYYY-MM-DD)' heading".to_owned()];
    };
    let top = format!("{major}.{minor}.{patch}");
    if top != info.version || *date != info.date {
        problems.push(format!(
            "the newest entry is {top} ({date}); catalog.json says {} ({})",
            info.version, info.date
        ));
    }
    for pair in headings.windows(2) {
        let ((newer, newer_date), (older, older_date)) = (&pair[0], &pair[1]);
        if newer <= older || newer_date < older_date {
            problems.push(format!(
                "entries out of order: {newer:?} ({newer_date}) above {older:?} ({older_date})"
            ));
        }
    }
    problems
}

#[test]
fn the_catalog_version_is_the_newest_changelog_entry() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/CHANGELOG.md");
    let changelog = std::fs::read_to_string(&path).expect("data/CHANGELOG.md exists");
    assert_none("changelog", &changelog_problems(&BUNDLED.info, &changelog));
}

#[test]
fn changelog_rule_catches_a_missing_or_stale_entry() {
    let info = CatalogInfo {
        schema: None,
        version: "0.2.0".to_owned(),
        date: "2027-01-15".to_owned(),
    };
    assert_eq!(
        changelog_problems(&info, "# Changelog\n\nNothing yet.\n"),
        ["no '## MAJOR.MINOR.PATCH (YYYY-MM-DD)' heading"]
    );
    let stale = "## 0.1.0 (2026-11-28)\n\nFirst release.\n";
    assert_eq!(
        changelog_problems(&info, stale),
        ["the newest entry is 0.1.0 (2026-11-28); catalog.json says 0.2.0 (2027-01-15)"]
    );
    let swapped = "## 0.1.0 (2026-11-28)\n\n## 0.2.0 (2027-01-15)\n";
    assert_eq!(changelog_problems(&info, swapped).len(), 2);
    let good = "## 0.2.0 (2027-01-15)\n\n- more\n\n## 0.1.0 (2026-11-28)\n\n- first\n";
    assert!(changelog_problems(&info, good).is_empty());
}
