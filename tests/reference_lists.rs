//! The catalog's mapping tables and `data/checks.json` checked against AWS's own lists, copied
//! into `data/reference/` with their sources (issue 11, items 7 and 10):
//!
//! - `config-resource-types.json`: the `ResourceType` enum of the AWS Config service model
//!   (botocore), plus the types AWS Config's resource-schema repository adds;
//! - `security-hub-controls.json`: Security Hub control ids, with the ids known to be retired;
//! - `prowler-checks.json`: Prowler's AWS check ids.
//!
//! Each rule is a function that names its offenders; the bundled data must have none, and a
//! test breaks a copy on purpose to show the rule can fail.

use demarc::model::Catalog;
use demarc::model::catalog::Check;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static BUNDLED: LazyLock<Catalog> = LazyLock::new(Catalog::bundled);

#[derive(Deserialize)]
struct ConfigTypes {
    source: String,
    retrieved: String,
    types: Vec<String>,
    also_recorded: AlsoRecorded,
}

#[derive(Deserialize)]
struct AlsoRecorded {
    source: String,
    types: Vec<String>,
}

#[derive(Deserialize)]
struct SecurityHubControls {
    source: String,
    retrieved: String,
    ids: Vec<String>,
    retired: Retired,
}

#[derive(Deserialize)]
struct Retired {
    ids: Vec<String>,
    why: String,
}

#[derive(Deserialize)]
struct StandardIds {
    source: String,
    generator_ids: Vec<GeneratorId>,
}

#[derive(Deserialize)]
struct GeneratorId {
    before: String,
    control: String,
}

#[derive(Deserialize)]
struct ProwlerChecks {
    source: String,
    retrieved: String,
    provider: String,
    checks: Vec<String>,
}

/// A reference list from the files embedded in the binary (`data/reference/<name>`).
fn reference<T: serde::de::DeserializeOwned>(name: &str) -> T {
    let path = format!("reference/{name}");
    let (_, text) = Catalog::bundled_files()
        .iter()
        .find(|(p, _)| *p == path)
        .unwrap_or_else(|| panic!("data/{path} is not bundled"));
    serde_json::from_str(text).unwrap_or_else(|err| panic!("data/{path}: {err}"))
}

static CONFIG: LazyLock<ConfigTypes> = LazyLock::new(|| reference("config-resource-types.json"));
static SECURITY_HUB: LazyLock<SecurityHubControls> =
    LazyLock::new(|| reference("security-hub-controls.json"));
static PROWLER: LazyLock<ProwlerChecks> = LazyLock::new(|| reference("prowler-checks.json"));

/// Asserts a rule found nothing, printing every offender.
fn assert_none(rule: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{rule}: {} problem(s)\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Every `config_resource_types` value of every service is a type AWS Config records.
fn config_type_problems(catalog: &Catalog, list: &ConfigTypes) -> Vec<String> {
    let known: BTreeSet<&str> = list
        .types
        .iter()
        .chain(&list.also_recorded.types)
        .map(String::as_str)
        .collect();
    let mut problems = Vec::new();
    for service in &catalog.services {
        for t in &service.mappings.config_resource_types {
            if !known.contains(t.as_str()) {
                problems.push(format!(
                    "{}: '{t}' is not a resource type AWS Config records",
                    service.id
                ));
            }
        }
    }
    problems
}

/// Every `security_hub_prefixes` value is the prefix of at least one current control id.
fn security_hub_prefix_problems(catalog: &Catalog, list: &SecurityHubControls) -> Vec<String> {
    let prefixes: BTreeSet<&str> = list
        .ids
        .iter()
        .filter_map(|id| id.split_once('.').map(|(prefix, _)| prefix))
        .collect();
    let mut problems = Vec::new();
    for service in &catalog.services {
        for p in &service.mappings.security_hub_prefixes {
            if !prefixes.contains(p.as_str()) {
                problems.push(format!(
                    "{}: no Security Hub control id starts with '{p}.'",
                    service.id
                ));
            }
        }
    }
    problems
}

/// Every Security Hub id the data relies on (checks.json and the controls' framework ids) is a
/// current control: in the list, and not retired.
fn security_hub_id_problems(
    catalog: &Catalog,
    checks: &[Check],
    list: &SecurityHubControls,
) -> Vec<String> {
    let ids: BTreeSet<&str> = list.ids.iter().map(String::as_str).collect();
    let retired: BTreeSet<&str> = list.retired.ids.iter().map(String::as_str).collect();
    let used = checks
        .iter()
        .flat_map(|c| {
            c.security_hub
                .iter()
                .map(move |id| (format!("checks.json {}", c.key), id))
        })
        .chain(catalog.controls.iter().flat_map(|c| {
            c.frameworks
                .security_hub
                .iter()
                .map(move |id| (format!("controls.json {}", c.id), id))
        }));
    let mut problems = Vec::new();
    for (place, id) in used {
        if retired.contains(id.as_str()) {
            problems.push(format!("{place}: Security Hub control '{id}' is retired"));
        } else if !ids.contains(id.as_str()) {
            problems.push(format!("{place}: '{id}' is not a Security Hub control id"));
        }
    }
    problems
}

/// Every Security Hub control id written in a service file's text ("turn on MQ.5") is a
/// control in the list: a cell must not send the client looking for a control that does not
/// exist. An id is a known prefix, a dot and a number (`S3.8`, `EC2.19`).
fn security_hub_ids_in_text_problems(list: &SecurityHubControls) -> Vec<String> {
    let ids: BTreeSet<String> = list.ids.iter().map(|i| i.to_lowercase()).collect();
    let prefixes: BTreeSet<&str> = list
        .ids
        .iter()
        .filter_map(|id| id.split_once('.').map(|(prefix, _)| prefix))
        .collect();
    let mut problems = BTreeSet::new();
    for (path, text) in Catalog::bundled_files()
        .iter()
        .filter(|(p, _)| p.starts_with("services/"))
    {
        for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
            let token = token.trim_end_matches('.');
            let Some((prefix, number)) = token.split_once('.') else {
                continue;
            };
            if prefixes.contains(prefix)
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
                && !ids.contains(&token.to_lowercase())
            {
                problems.insert(format!(
                    "data/{path}: '{token}' is not a Security Hub control id"
                ));
            }
        }
    }
    problems.into_iter().collect()
}

/// Every Prowler id in checks.json is one of Prowler's AWS checks.
fn prowler_problems(checks: &[Check], list: &ProwlerChecks) -> Vec<String> {
    let known: BTreeSet<&str> = list.checks.iter().map(String::as_str).collect();
    let mut problems = Vec::new();
    for check in checks {
        for id in &check.prowler {
            if !known.contains(id.as_str()) {
                problems.push(format!(
                    "checks.json {}: '{id}' is not a Prowler AWS check",
                    check.key
                ));
            }
        }
    }
    problems
}

#[test]
fn reference_lists_say_where_they_come_from_and_are_sorted() {
    let config = &*CONFIG;
    let hub = &*SECURITY_HUB;
    let prowler = &*PROWLER;
    for (name, source, retrieved) in [
        ("config", &config.source, &config.retrieved),
        ("security hub", &hub.source, &hub.retrieved),
        ("prowler", &prowler.source, &prowler.retrieved),
    ] {
        assert!(!source.trim().is_empty(), "{name}: no source");
        assert!(
            retrieved.len() == 10 && retrieved.starts_with("20"),
            "{name}: retrieved '{retrieved}' is not a date"
        );
    }
    assert!(!config.also_recorded.source.trim().is_empty());
    assert!(!hub.retired.why.trim().is_empty());
    assert_eq!(prowler.provider, "aws");
    for (name, list) in [
        ("config types", &config.types),
        ("prowler checks", &prowler.checks),
    ] {
        assert!(list.len() > 300, "{name}: only {} entries", list.len());
        assert!(
            list.windows(2).all(|w| w[0] < w[1]),
            "{name}: not sorted or has duplicates"
        );
    }
    assert!(hub.ids.len() > 300, "security hub: only {}", hub.ids.len());
    let standard: StandardIds = reference("security-hub-standard-ids.json");
    assert!(!standard.source.trim().is_empty());
    assert!(standard.generator_ids.len() > 400);
    assert!(
        standard
            .generator_ids
            .iter()
            .all(|g| !g.before.is_empty() && g.control.contains('.')),
        "security hub standard ids: an empty GeneratorId or a control id without a dot"
    );
    let unique: BTreeSet<&String> = hub.ids.iter().collect();
    assert_eq!(unique.len(), hub.ids.len(), "security hub: duplicate ids");
    let both: Vec<&String> = hub
        .retired
        .ids
        .iter()
        .filter(|id| hub.ids.contains(id))
        .collect();
    assert!(
        both.is_empty(),
        "security hub: current and retired: {both:?}"
    );
}

#[test]
fn every_config_type_of_the_catalog_is_one_aws_config_records() {
    assert_none("config types", &config_type_problems(&BUNDLED, &CONFIG));
}

#[test]
fn every_security_hub_prefix_names_at_least_one_control() {
    assert_none(
        "security hub prefixes",
        &security_hub_prefix_problems(&BUNDLED, &SECURITY_HUB),
    );
}

#[test]
fn every_security_hub_id_in_use_is_a_current_control() {
    assert_none(
        "security hub ids",
        &security_hub_id_problems(&BUNDLED, &BUNDLED.checks, &SECURITY_HUB),
    );
}

#[test]
fn every_security_hub_id_named_in_a_cell_is_a_control() {
    assert_none(
        "Security Hub ids in catalog text",
        &security_hub_ids_in_text_problems(&SECURITY_HUB),
    );
    // The rule can fail: a list without MQ.5 names the cell that cites it.
    let mut short = reference::<SecurityHubControls>("security-hub-controls.json");
    short.ids.retain(|id| id != "MQ.5");
    let problems = security_hub_ids_in_text_problems(&short);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("services/mq.json") && p.contains("MQ.5")),
        "{problems:?}"
    );
}

#[test]
fn every_prowler_id_in_use_is_a_prowler_check() {
    assert_none("prowler ids", &prowler_problems(&BUNDLED.checks, &PROWLER));
}

// -------------------------------------------------------------------- the rules can fail

#[test]
fn config_rule_names_a_type_aws_config_does_not_record() {
    let mut catalog = BUNDLED.clone();
    let service = catalog
        .services
        .iter_mut()
        .find(|s| s.id == "cloudwatch")
        .expect("cloudwatch in the catalog");
    service
        .mappings
        .config_resource_types
        .push("AWS::Logs::LogGroup".to_owned());
    assert_eq!(
        config_type_problems(&catalog, &CONFIG),
        ["cloudwatch: 'AWS::Logs::LogGroup' is not a resource type AWS Config records"]
    );
}

#[test]
fn prefix_rule_names_a_prefix_no_control_has() {
    let mut catalog = BUNDLED.clone();
    let service = catalog
        .services
        .iter_mut()
        .find(|s| s.id == "s3")
        .expect("s3 in the catalog");
    service
        .mappings
        .security_hub_prefixes
        .push("S3Buckets".to_owned());
    assert_eq!(
        security_hub_prefix_problems(&catalog, &SECURITY_HUB),
        ["s3: no Security Hub control id starts with 'S3Buckets.'"]
    );
}

#[test]
fn security_hub_rule_names_retired_and_unknown_ids() {
    let mut checks = BUNDLED.checks.clone();
    let encryption = checks
        .iter_mut()
        .find(|c| c.key == "s3_default_encryption_off")
        .expect("s3_default_encryption_off in checks.json");
    encryption.security_hub = vec!["S3.4".to_owned(), "S3.99".to_owned()];
    assert_eq!(
        security_hub_id_problems(&BUNDLED, &checks, &SECURITY_HUB),
        [
            "checks.json s3_default_encryption_off: Security Hub control 'S3.4' is retired",
            "checks.json s3_default_encryption_off: 'S3.99' is not a Security Hub control id",
        ]
    );
}

#[test]
fn prowler_rule_names_a_check_prowler_does_not_have() {
    let mut checks = BUNDLED.checks.clone();
    let root = checks
        .iter_mut()
        .find(|c| c.key == "root_no_mfa")
        .expect("root_no_mfa in checks.json");
    root.prowler
        .push("iam_root_mfa_enabled_everywhere".to_owned());
    assert_eq!(
        prowler_problems(&checks, &PROWLER),
        ["checks.json root_no_mfa: 'iam_root_mfa_enabled_everywhere' is not a Prowler AWS check"]
    );
}

// ------------------------------------------------------------------ data/config-rules.json

#[derive(Deserialize)]
struct ConfigRules {
    source: String,
    rules: Vec<ConfigRule>,
    not_mapped: Vec<ConfigRule>,
}

#[derive(Deserialize)]
struct ConfigRule {
    identifier: Option<String>,
    name: String,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    url: String,
}

/// Every rule names checks that exist, has the documentation page of its own name, and no
/// name, alias or identifier is claimed twice (the importer matches verdicts by name).
fn config_rule_problems(rules: &ConfigRules, catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for r in rules.rules.iter().chain(&rules.not_mapped) {
        let id = r.identifier.as_deref().unwrap_or("");
        if id.is_empty() {
            problems.push(format!("{}: no identifier", r.name));
        }
        let spelled = id.to_lowercase().replace('_', "-");
        let own: BTreeSet<&String> = std::iter::once(&r.name)
            .chain(&r.aliases)
            .chain(std::iter::once(&spelled))
            .collect();
        for key in own {
            if key.is_empty() || !seen.insert(key.clone()) {
                problems.push(format!("{}: '{key}' is claimed twice", r.name));
            }
        }
        let page = format!(
            "https://docs.aws.amazon.com/config/latest/developerguide/{}.html",
            r.name
        );
        if r.url != page {
            problems.push(format!("{}: url is not {page}", r.name));
        }
        for check in &r.checks {
            if catalog.check(check).is_none() {
                problems.push(format!("{}: '{check}' is not in checks.json", r.name));
            }
        }
    }
    for r in &rules.rules {
        if r.checks.is_empty() {
            problems.push(format!("{}: maps no check", r.name));
        }
    }
    problems
}

fn config_rules() -> ConfigRules {
    let (_, text) = Catalog::bundled_files()
        .iter()
        .find(|(p, _)| *p == "config-rules.json")
        .expect("data/config-rules.json is bundled");
    serde_json::from_str(text).expect("data/config-rules.json parses")
}

#[test]
fn config_rules_name_real_checks_and_their_own_pages() {
    let rules = config_rules();
    assert!(!rules.source.trim().is_empty());
    assert!(rules.rules.len() >= 30, "only {} rules", rules.rules.len());
    assert_none("config rules", &config_rule_problems(&rules, &BUNDLED));
}

#[test]
fn config_rule_problems_name_a_bad_check_url_and_a_name_claimed_twice() {
    let mut rules = config_rules();
    rules.rules[0].checks.push("no_such_check".to_owned());
    rules.rules[1].url = "https://example.com/rule.html".to_owned();
    let taken = rules.rules[2].name.clone();
    rules.rules[3].aliases.push(taken.clone());
    let (first, second, fourth) = (
        rules.rules[0].name.clone(),
        rules.rules[1].name.clone(),
        rules.rules[3].name.clone(),
    );
    let problems = config_rule_problems(&rules, &BUNDLED);
    assert_eq!(
        problems,
        [
            format!("{first}: 'no_such_check' is not in checks.json"),
            format!(
                "{second}: url is not https://docs.aws.amazon.com/config/latest/developerguide/{second}.html"
            ),
            format!("{fourth}: '{taken}' is claimed twice"),
        ]
    );
}
