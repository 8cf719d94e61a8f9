//! The shapes of the catalog's data files (`catalog.json`, `controls.json`, `tiers.json`,
//! `services/<id>.json`), as serde reads them. `data/schema/` is generated from these types.

use crate::model::owner::{Owner, Tier};
use crate::model::validate::CATEGORIES;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

// Patterns the JSON Schema states for editors (ECMA-262 regular expressions). The Rust
// validation (`model::validate`) is the authority; these mirror it where a pattern can.
const SEMVER: &str = r"^\d+\.\d+\.\d+$";
const DATE: &str = r"^\d{4}-\d{2}-\d{2}$";
const DOMAIN_ID: &str = r"^[A-Z]{3}$";
pub(super) const CONTROL_ID: &str = r"^[A-Z]{3}-\d{2}$";
const SLUG: &str = r"^[a-z0-9-]+$";
const NOT_BLANK: &str = r"\S";
const DOC_URL: &str = r"^https://(docs\.aws\.amazon\.com|aws\.amazon\.com)/\S+$";

/// `catalog.json`: the catalog's version and release date.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogInfo {
    /// For editors: the JSON Schema this file follows. demarc ignores it.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// Semantic version, MAJOR.MINOR.PATCH; the newest heading of `CHANGELOG.md` names it.
    #[schemars(pattern(SEMVER))]
    pub version: String,
    /// Release date, YYYY-MM-DD.
    #[schemars(pattern(DATE))]
    pub date: String,
    /// The owner counts of the release before this one, recorded when this one was made, so
    /// that `demarc catalog stats` can show what moved (the previous release is not bundled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousRelease>,
}

/// The figures of an earlier catalog release, as `demarc catalog stats` printed them for it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviousRelease {
    #[schemars(pattern(SEMVER))]
    pub version: String,
    #[schemars(pattern(DATE))]
    pub date: String,
    /// Resolved cells (columns x controls) of that release.
    pub cells: usize,
    /// Resolved cells per owner.
    pub aws: usize,
    pub shared: usize,
    pub customer: usize,
    pub not_applicable: usize,
}

impl PreviousRelease {
    /// The count recorded for `owner`.
    pub fn owner_cells(&self, owner: Owner) -> usize {
        match owner {
            Owner::Aws => self.aws,
            Owner::Shared => self.shared,
            Owner::Customer => self.customer,
            Owner::NotApplicable => self.not_applicable,
        }
    }
}

/// A domain: a group of controls (a band of rows in the matrix).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Three capital letters, the prefix of its controls' ids: `IAM`.
    #[schemars(pattern(DOMAIN_ID))]
    pub id: String,
    pub name: String,
}

/// Framework identifiers for a control. Ids only: never the frameworks' text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Frameworks {
    /// NIST SP 800-53 rev. 5 control ids: `AC-2`.
    #[serde(default)]
    pub nist_800_53_r5: Vec<String>,
    /// CIS AWS Foundations Benchmark v3.0 recommendation ids: `1.4`.
    #[serde(default)]
    pub cis_aws_v3: Vec<String>,
    /// AWS Security Hub control ids: `IAM.4`.
    #[serde(default)]
    pub security_hub: Vec<String>,
    /// ISO/IEC 27001:2022 Annex A control ids: `A.5.15`.
    #[serde(default)]
    pub iso_27001_2022: Vec<String>,
    /// CSA Cloud Controls Matrix v4 control ids: `IAM-01`.
    #[serde(default)]
    pub csa_ccm_v4: Vec<String>,
}

impl Frameworks {
    /// (framework label, ids) in display order, skipping frameworks with no ids.
    pub fn labelled(&self) -> Vec<(&'static str, &[String])> {
        [
            ("NIST 800-53 r5", self.nist_800_53_r5.as_slice()),
            ("CIS AWS v3.0", self.cis_aws_v3.as_slice()),
            ("Security Hub", self.security_hub.as_slice()),
            ("ISO 27001:2022", self.iso_27001_2022.as_slice()),
            ("CSA CCM v4", self.csa_ccm_v4.as_slice()),
        ]
        .into_iter()
        .filter(|(_, ids)| !ids.is_empty())
        .collect()
    }
}

/// A control: one row of the matrix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Control {
    /// The domain's id, a dash and two digits: `IAM-01`.
    #[schemars(pattern(CONTROL_ID))]
    pub id: String,
    /// The id of the domain it belongs to.
    #[schemars(pattern(DOMAIN_ID))]
    pub domain: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub frameworks: Frameworks,
}

/// One cell's content as written in a data file: who owns the control on this service, what
/// each side does, and where AWS documents it. A cell replaces the whole default cell.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellData {
    pub owner: Owner,
    /// What AWS does for this control on this service, in our own words.
    #[schemars(pattern(NOT_BLANK))]
    pub aws_does: String,
    /// What the customer does, naming the setting, feature or API, in our own words.
    #[schemars(pattern(NOT_BLANK))]
    pub customer_does: String,
    /// Pages of the AWS documentation (`https://docs.aws.amazon.com/...` or
    /// `https://aws.amazon.com/...`) that support the cell.
    #[serde(default)]
    #[schemars(inner(pattern(DOC_URL)))]
    pub sources: Vec<String>,
    /// When someone last checked the cell against its sources, YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(pattern(DATE))]
    pub last_verified: Option<String>,
    /// Where a cited page supports this cell: what the page states, in our own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<CellEvidence>,
}

/// The passage of a cited page that supports a cell, so that a reviewer finds it in a minute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CellEvidence {
    /// One sentence in our own words: what the page states that supports the owner and text.
    #[schemars(pattern(NOT_BLANK), length(max = 400))]
    pub statement: String,
    /// The heading of the page section that states it.
    #[schemars(pattern(NOT_BLANK))]
    pub section: String,
    /// The page, with the section's `#anchor` where the page has one; without the anchor it is
    /// one of the cell's `sources`.
    #[schemars(pattern(DOC_URL))]
    pub url: String,
}

/// How an account's data names this service: the tables importers map resources with. A key may
/// name several services (the `rds` namespace is shared by RDS, Aurora, Neptune and
/// `DocumentDB`); importers refine by engine.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    /// Exact AWS Config resource types: `AWS::EC2::Instance`.
    #[serde(default)]
    pub config_resource_types: Vec<String>,
    /// ARN service namespaces: `ec2`.
    #[serde(default)]
    pub arn_namespaces: Vec<String>,
    /// Security Hub control prefixes: `EC2` as in `EC2.8`.
    #[serde(default)]
    pub security_hub_prefixes: Vec<String>,
    /// Cost Explorer `SERVICE` dimension values.
    #[serde(default)]
    pub cost_explorer_names: Vec<String>,
    /// `CloudFormation` type prefixes: `AWS::EC2::`.
    #[serde(default)]
    pub cloudformation_prefixes: Vec<String>,
}

/// Where a service's tier comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierSource {
    /// The service's AWS security chapter supports it.
    Documented,
    /// From the decision rule in the taxonomy.
    Rule,
}

/// A deployment option of a service, shown as its own column (ECS on EC2, ECS on Fargate).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// A lowercase slug, unique within the service: `fargate`.
    #[schemars(pattern(SLUG))]
    pub id: String,
    pub name: String,
    /// A short label for narrow column headers ("RDS Custom").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// Exactly one variant of a service is the default (what a bare service id means).
    #[serde(default)]
    pub default: bool,
    /// One or two sentences: what this deployment option means.
    #[serde(default)]
    pub summary: String,
    /// The variant's tier when it differs from the service's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    /// Cells written for this variant, by control id; they win over the service's cells.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": CONTROL_ID}))]
    pub cells: BTreeMap<String, CellData>,
}

/// `services/<id>.json`: one service (a column, or one per variant).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// For editors: the JSON Schema this file follows (`"../schema/service.schema.json"`).
    /// demarc ignores it.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    /// A lowercase slug, the file's name without `.json`: `rds`.
    #[schemars(pattern(SLUG))]
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub tier_source: TierSource,
    #[schemars(extend("enum" = CATEGORIES))]
    pub category: String,
    /// The service's security chapter in the AWS documentation.
    #[schemars(pattern(DOC_URL))]
    pub docs_url: String,
    /// Two or three sentences on how the split works for this service.
    #[schemars(pattern(NOT_BLANK))]
    pub summary: String,
    #[serde(default)]
    pub mappings: Mappings,
    /// Cells written for the service (all its variants), by control id; any other cell comes
    /// from the tier default.
    #[serde(default)]
    #[schemars(extend("propertyNames" = {"pattern": CONTROL_ID}))]
    pub cells: BTreeMap<String, CellData>,
    /// Deployment options; omit (or leave empty) for a service without variants.
    #[serde(default)]
    pub variants: Vec<Variant>,
}

impl Service {
    pub fn default_variant(&self) -> Option<&Variant> {
        self.variants.iter().find(|v| v.default)
    }
    pub fn variant(&self, variant_id: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.id == variant_id)
    }
}

/// `controls.json`: the domains and the controls (the matrix rows).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControlsFile {
    /// For editors: the JSON Schema this file follows. demarc ignores it.
    #[serde(rename = "$schema", default, skip_serializing)]
    pub schema: Option<String>,
    pub domains: Vec<Domain>,
    pub controls: Vec<Control>,
}

/// A short label for a documentation URL (a cell's source): the host-less path, shortened, e.g.
/// `AmazonS3/…/security.html`.
pub fn url_label(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest
        .split_once('/')
        .map_or("", |(_, p)| p)
        .trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [] => rest.to_owned(),
        [one] => (*one).to_owned(),
        [first, .., last] => format!("{first}/…/{last}"),
    }
}
