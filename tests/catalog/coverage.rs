//! Coverage and provenance: the most used services, cited and dated cells, framework ids,
//! the changelog.

use super::sources::SECURITY_HUB_ID;
use super::*;

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
        previous: None,
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
