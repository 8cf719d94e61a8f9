//! Catalog 0.2 (issue 11): every customer or shared cell backed by evidence, no cell resting on
//! an SDK, CDK, CLI or API reference page alone, most cells written for their service, the
//! catalog-wide owners of GOV-02 and IRR-01, and the owner rule's "who must act?" for Shared.

use super::*;
use demarc::model::stats::CatalogStats;

/// Every resolved cell: (column, control id, cell).
fn resolved(catalog: &Catalog) -> Vec<(ServiceRef, String, demarc::model::Cell<'_>)> {
    let mut out = Vec::new();
    for column in catalog.all_refs() {
        for control in &catalog.controls {
            let cell = catalog.cell(&column, &control.id).expect("resolves");
            out.push((column.clone(), control.id.clone(), cell));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Evidence: a reviewer finds the passage behind every cell that gives the customer a duty.

fn missing_evidence_problems(catalog: &Catalog) -> Vec<String> {
    resolved(catalog)
        .into_iter()
        .filter(|(_, _, cell)| matches!(cell.owner(), Owner::Customer | Owner::Shared))
        .filter(|(_, _, cell)| cell.data.evidence.is_none())
        .map(|(column, control, cell)| {
            let whence = if cell.inherited() {
                "inherits the tier text"
            } else {
                "is written"
            };
            format!(
                "{column} {control}: {} cell {whence} with no evidence",
                cell.owner()
            )
        })
        .collect()
}

#[test]
fn every_customer_or_shared_cell_has_evidence() {
    assert_none("evidence", &missing_evidence_problems(&BUNDLED));
}

#[test]
fn evidence_rule_catches_a_written_cell_and_an_inherited_cell_without_evidence() {
    let mut catalog = bundled();
    let s3 = service_mut(&mut catalog, "s3");
    let (control, cell) = s3
        .cells
        .iter_mut()
        .find(|(_, c)| c.owner == Owner::Customer)
        .expect("s3 has a customer cell");
    let control = control.clone();
    cell.evidence = None;
    // sqs has no variants: removing a cell the tier A default gives the customer makes it inherit.
    let tier_a = &catalog.tier_defaults[&demarc::model::Tier::A];
    let inherited = catalog
        .service("sqs")
        .expect("sqs")
        .cells
        .keys()
        .find(|id| tier_a[id.as_str()].owner == Owner::Customer)
        .expect("sqs writes a cell the tier A default gives the customer")
        .clone();
    service_mut(&mut catalog, "sqs").cells.remove(&inherited);
    let problems = introduced(
        &missing_evidence_problems(&BUNDLED),
        missing_evidence_problems(&catalog),
    );
    assert_eq!(
        problems,
        [
            format!("s3 {control}: customer cell is written with no evidence"),
            format!("sqs {inherited}: customer cell inherits the tier text with no evidence"),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Sources: an SDK, CDK, CLI or API reference page is never a cell's only source, and every
// service cites its user or developer guide.

static REFERENCE_PAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^https://docs\.aws\.amazon\.com/(",
        r"cli/|cdk/|sdk-for-[^/]+/|sdkref/|goto/|AWSJavaScriptSDK/|AWSJavaSDK/",
        r"|[^/]+/(latest|v[0-9]+|[0-9][0-9.-]*)/(APIReference|api-reference|api|API|cli)/",
        r")"
    ))
    .expect("regex")
});

/// A page of an SDK, CDK, CLI or service API reference, rather than a guide.
fn is_reference_page(url: &str) -> bool {
    REFERENCE_PAGE.is_match(url)
}

fn reference_only_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (place, _, cell) in written_cells(catalog) {
        if !cell.sources.is_empty() && cell.sources.iter().all(|u| is_reference_page(u)) {
            problems.push(format!(
                "{place}: cites only SDK, CDK, CLI or API reference pages"
            ));
        }
    }
    for service in &catalog.services {
        if is_reference_page(&service.docs_url) {
            problems.push(format!("{}: docs_url is a reference page", service.id));
        }
        let cites_a_guide = written_cells(catalog)
            .iter()
            .filter(|(_, id, _)| *id == service.id)
            .flat_map(|(_, _, cell)| &cell.sources)
            .any(|u| u.starts_with("https://docs.aws.amazon.com/") && !is_reference_page(u));
        if !cites_a_guide {
            problems.push(format!(
                "{}: no cell cites a page of a user or developer guide",
                service.id
            ));
        }
    }
    problems
}

#[test]
fn no_cell_rests_on_reference_pages_alone_and_every_service_cites_a_guide() {
    assert_none("reference pages", &reference_only_problems(&BUNDLED));
}

#[test]
fn reference_page_rule_knows_guides_from_references() {
    for url in [
        "https://docs.aws.amazon.com/cli/latest/reference/s3api/put-bucket-encryption.html",
        "https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_s3.Bucket.html",
        "https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/welcome.html",
        "https://docs.aws.amazon.com/goto/WebAPI/kms-2014-11-01/CreateKey",
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketEncryption.html",
        "https://docs.aws.amazon.com/msk/2.0/APIReference/v2-clusters.html",
        "https://docs.aws.amazon.com/snowball/latest/api-reference/api-reference.html",
    ] {
        assert!(is_reference_page(url), "{url}");
    }
    for url in [
        "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
        "https://docs.aws.amazon.com/controltower/latest/controlreference/dms-rules.html",
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/security.html",
        "https://aws.amazon.com/compliance/shared-responsibility-model/",
    ] {
        assert!(!is_reference_page(url), "{url}");
    }
}

#[test]
fn reference_page_rule_catches_reference_only_cells_and_services() {
    let mut catalog = bundled();
    let api = "https://docs.aws.amazon.com/AmazonSQS/latest/APIReference/API_CreateQueue.html";
    let sqs = service_mut(&mut catalog, "sqs");
    let control = sqs.cells.keys().next().expect("an sqs cell").clone();
    sqs.cells.get_mut(&control).expect("cell").sources = vec![api.to_owned()];
    let sns = service_mut(&mut catalog, "sns");
    sns.docs_url = api.to_owned();
    for cell in sns.cells.values_mut() {
        cell.sources = vec![
            api.to_owned(),
            "https://aws.amazon.com/sns/faqs/".to_owned(),
        ];
    }
    let problems = introduced(
        &reference_only_problems(&BUNDLED),
        reference_only_problems(&catalog),
    );
    assert_eq!(
        problems,
        [
            format!("sqs {control}: cites only SDK, CDK, CLI or API reference pages"),
            "sns: docs_url is a reference page".to_owned(),
            "sns: no cell cites a page of a user or developer guide".to_owned(),
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Specific cells: at least 80% of resolved cells are written for their service or variant, the
// measure `demarc catalog stats` prints.

const MIN_SPECIFIC_PERCENT: usize = 80;

fn specific_share_problems(catalog: &Catalog) -> Vec<String> {
    let stats = CatalogStats::compute(catalog, &catalog.info.date);
    if stats.specific_cells * 100 >= stats.cells * MIN_SPECIFIC_PERCENT {
        Vec::new()
    } else {
        vec![format!(
            "{} of {} cells specific ({:.1}%), below {MIN_SPECIFIC_PERCENT}%",
            stats.specific_cells,
            stats.cells,
            100.0 * stats.specific_cells as f64 / stats.cells as f64
        )]
    }
}

#[test]
fn at_least_80_percent_of_cells_are_specific() {
    assert_none("specific cells", &specific_share_problems(&BUNDLED));
}

#[test]
fn specific_share_rule_catches_a_catalog_of_generic_cells() {
    let mut catalog = bundled();
    // Keep the written cells of the first 10 services only: far below 80%.
    for service in catalog.services.iter_mut().skip(10) {
        service.cells.clear();
        for variant in &mut service.variants {
            variant.cells.clear();
        }
    }
    let problems = specific_share_problems(&catalog);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].ends_with("below 80%"), "{problems:#?}");
}

// ---------------------------------------------------------------------------------------------
// Catalog-wide owners: GOV-02 (keeping the responsibility matrix, overseeing AWS as a supplier)
// and IRR-01 (the incident response plan and contacts) are the customer's on every service.
// AWS answers incidents in its own layer, but the plan and the matrix are the customer's to keep.

const CUSTOMER_EVERYWHERE: [&str; 2] = ["GOV-02", "IRR-01"];

fn catalog_wide_owner_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (tier, cells) in &catalog.tier_defaults {
        for control in CUSTOMER_EVERYWHERE {
            if let Some(cell) = cells.get(control).filter(|c| c.owner != Owner::Customer) {
                problems.push(format!("tier {tier} {control}: {}", cell.owner));
            }
        }
    }
    for (column, control, cell) in resolved(catalog) {
        if CUSTOMER_EVERYWHERE.contains(&control.as_str()) && cell.owner() != Owner::Customer {
            problems.push(format!("{column} {control}: {}", cell.owner()));
        }
    }
    problems
}

#[test]
fn gov_02_and_irr_01_are_the_customers_on_every_service() {
    assert_none("GOV-02 / IRR-01", &catalog_wide_owner_problems(&BUNDLED));
}

#[test]
fn catalog_wide_owner_rule_catches_a_shared_cell_and_a_shared_default() {
    let mut catalog = bundled();
    catalog
        .tier_defaults
        .get_mut(&demarc::model::Tier::C)
        .expect("tier C")
        .get_mut("GOV-02")
        .expect("GOV-02")
        .owner = Owner::Shared;
    service_mut(&mut catalog, "sqs")
        .cells
        .get_mut("IRR-01")
        .expect("sqs IRR-01")
        .owner = Owner::Aws;
    let problems = introduced(
        &catalog_wide_owner_problems(&BUNDLED),
        catalog_wide_owner_problems(&catalog),
    );
    assert_eq!(problems, ["tier C GOV-02: shared", "sqs IRR-01: aws"]);
}

// ---------------------------------------------------------------------------------------------
// Who must act: a Shared cell states a duty on both sides, and a Customer cell a duty for the
// customer. Text that opens by saying a side has nothing to do contradicts the owner.

static NO_DUTY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(nothing|none|no action|no customer action|not applicable|n/a)\b")
        .expect("regex")
});

fn who_must_act_problems(catalog: &Catalog) -> Vec<String> {
    let mut problems = Vec::new();
    for (place, _, cell) in written_cells(catalog) {
        let sides: Vec<(&str, &str)> = match cell.owner {
            Owner::Shared => vec![
                ("aws_does", cell.aws_does.as_str()),
                ("customer_does", cell.customer_does.as_str()),
            ],
            Owner::Customer => vec![("customer_does", cell.customer_does.as_str())],
            Owner::Aws | Owner::NotApplicable => Vec::new(),
        };
        for (field, text) in sides {
            if NO_DUTY.is_match(text) {
                problems.push(format!(
                    "{place}: {} cell whose {field} says there is nothing to do",
                    cell.owner
                ));
            }
        }
    }
    problems
}

#[test]
fn shared_and_customer_cells_name_a_duty_for_each_side_that_owns_them() {
    assert_none("who must act", &who_must_act_problems(&BUNDLED));
}

#[test]
fn who_must_act_rule_catches_a_shared_cell_with_an_idle_side() {
    let mut catalog = bundled();
    let s3 = service_mut(&mut catalog, "s3");
    let (control, cell) = s3
        .cells
        .iter_mut()
        .find(|(_, c)| c.owner == Owner::Customer)
        .expect("s3 has a customer cell");
    let control = control.clone();
    cell.owner = Owner::Shared;
    cell.aws_does = "Nothing: the bucket owner configures this.".to_owned();
    let problems = introduced(
        &who_must_act_problems(&BUNDLED),
        who_must_act_problems(&catalog),
    );
    assert_eq!(
        problems,
        [format!(
            "s3 {control}: shared cell whose aws_does says there is nothing to do"
        )]
    );
}
