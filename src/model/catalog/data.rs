//! The shapes of the catalog's data files (`catalog.json`, `controls.json`, `tiers.json`,
//! `services/<id>.json`), as serde reads them. `data/schema/` is generated from these types.

use crate::model::owner::{Owner, Tier};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CatalogInfo {
    pub version: String,
    pub date: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: String,
    pub name: String,
}

/// Framework identifiers for a control. Ids only: never the frameworks' text.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Frameworks {
    #[serde(default)]
    pub nist_800_53_r5: Vec<String>,
    #[serde(default)]
    pub cis_aws_v3: Vec<String>,
    #[serde(default)]
    pub security_hub: Vec<String>,
    #[serde(default)]
    pub iso_27001_2022: Vec<String>,
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

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub domain: String,
    pub name: String,
    pub description: String,
    #[serde(default)]
    pub frameworks: Frameworks,
}

/// One cell's content as written in a data file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CellData {
    pub owner: Owner,
    pub aws_does: String,
    pub customer_does: String,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified: Option<String>,
    /// Where a cited page supports this cell: what the page states, in our own words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<CellEvidence>,
}

/// The passage of a cited page that supports a cell, so that a reviewer finds it in a minute.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CellEvidence {
    /// One sentence in our own words: what the page states that supports the owner and text.
    pub statement: String,
    /// The heading of the page section that states it.
    pub section: String,
    /// The page, with the section's `#anchor` where the page has one; without the anchor it is
    /// one of the cell's `sources`.
    pub url: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    #[serde(default)]
    pub config_resource_types: Vec<String>,
    #[serde(default)]
    pub arn_namespaces: Vec<String>,
    #[serde(default)]
    pub security_hub_prefixes: Vec<String>,
    #[serde(default)]
    pub cost_explorer_names: Vec<String>,
    #[serde(default)]
    pub cloudformation_prefixes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TierSource {
    Documented,
    Rule,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    pub id: String,
    pub name: String,
    /// A short label for narrow column headers ("RDS Custom").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    #[serde(default)]
    pub default: bool,
    #[serde(default)]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub cells: BTreeMap<String, CellData>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub tier: Tier,
    pub tier_source: TierSource,
    pub category: String,
    pub docs_url: String,
    pub summary: String,
    #[serde(default)]
    pub mappings: Mappings,
    #[serde(default)]
    pub cells: BTreeMap<String, CellData>,
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
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ControlsFile {
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
