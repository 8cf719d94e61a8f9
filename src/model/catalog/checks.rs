//! Evidence checks (`data/checks.json`): what an imported snapshot can tell about one cell, and
//! the catalog's lookups over them.

use super::Catalog;
use crate::model::validate::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Thresholds and lists a check reads (data, so they can change without code).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckParams {
    /// Ports a security-group check looks at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<u16>,
    /// Lambda runtimes on AWS's deprecated list.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runtimes: Vec<String>,
    /// Maximum age in days (access keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Minimum password length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// Minimum number of remembered passwords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reuse: Option<u32>,
}

/// How bad a failing check is. Declared worst first, so sorting puts critical first.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Critical,
    High,
    Medium,
    Low,
}

impl Severity {
    /// Worst first.
    pub const ALL: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::High => "high",
            Severity::Medium => "medium",
            Severity::Low => "low",
        }
    }

    /// The word shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Critical => "Critical",
            Severity::High => "High",
            Severity::Medium => "Medium",
            Severity::Low => "Low",
        }
    }
}

/// An evidence check (`data/checks.json`): what an imported snapshot can tell about one cell.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable key, used in answer keys, engagement files and JSON: `rds_public`.
    pub key: String,
    /// What people read wherever the check is shown (the GUI, every document for the client):
    /// short, plain English, e.g. "S3 bucket without Block Public Access".
    pub title: String,
    /// The id of the service the check is about (a file in `services/`).
    pub service: String,
    /// The control (matrix row) the check gives evidence on: `NET-03`.
    pub control: String,
    /// In words: what a failing resource looks like.
    pub fails_when: String,
    /// How bad a failing resource is: the severity of the check's Security Hub control where it
    /// has one.
    pub severity: Severity,
    /// Security Hub control ids whose findings land on this check (`S3.8`).
    #[serde(default)]
    pub security_hub: Vec<String>,
    /// Prowler check ids (OCSF `metadata.event_code`) whose findings land on this check.
    #[serde(default)]
    pub prowler: Vec<String>,
    /// Thresholds and lists the check reads.
    #[serde(default)]
    pub params: CheckParams,
}

impl Catalog {
    /// The evidence check with this key.
    pub fn check(&self, key: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.key == key)
    }

    /// The title of a check: its `title`, or the key itself for a key this catalog does not know
    /// (evidence kept in an engagement made with another catalog).
    pub fn check_title<'a>(&'a self, key: &'a str) -> &'a str {
        self.check(key).map_or(key, |c| c.title.as_str())
    }

    /// Checks fed by this Security Hub control id (`S3.8`; case-insensitive), in file order.
    pub fn checks_for_security_hub(&self, control_id: &str) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| {
                c.security_hub
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(control_id))
            })
            .collect()
    }

    /// The key that stands for a group of checks answering one question: the first check (in
    /// file order) sharing a Security Hub control id with `key`, or `key` itself.
    pub fn check_group<'a>(&'a self, key: &'a str) -> &'a str {
        let Some(check) = self.check(key) else {
            return key;
        };
        self.checks
            .iter()
            .find(|c| {
                c.security_hub
                    .iter()
                    .any(|id| check.security_hub.contains(id))
            })
            .map_or(key, |c| c.key.as_str())
    }

    /// Checks fed by this Prowler check id (`s3_bucket_default_encryption`), in file order.
    pub fn checks_for_prowler(&self, check_id: &str) -> Vec<&Check> {
        self.checks
            .iter()
            .filter(|c| c.prowler.iter().any(|id| id == check_id))
            .collect()
    }
}

/// A title fits on one line of the findings board.
const TITLE_MAX_CHARS: usize = 60;

/// `checks.json`: unique keys, a plain title; every check names a known service and control.
pub(super) fn validate_checks(catalog: &Catalog, checks: &[Check], problems: &mut Vec<Problem>) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, check) in checks.iter().enumerate() {
        let field = format!("[{i}] {}", check.key);
        if check.key.trim().is_empty() {
            problems.push(Problem::new("checks.json", &field, "key is empty"));
        } else if !seen.insert(check.key.as_str()) {
            problems.push(Problem::new("checks.json", &field, "key is given twice"));
        }
        let title = check.title.trim();
        if title.is_empty() {
            problems.push(Problem::new("checks.json", &field, "title is empty"));
        } else if title.chars().count() > TITLE_MAX_CHARS {
            problems.push(Problem::new(
                "checks.json",
                &field,
                &format!("title is longer than {TITLE_MAX_CHARS} characters"),
            ));
        } else if title.contains('_') {
            problems.push(Problem::new(
                "checks.json",
                &field,
                "title reads like a key (it has an underscore): write it in plain words",
            ));
        }
        if catalog.service(&check.service).is_none() {
            problems.push(Problem::new(
                "checks.json",
                &field,
                &format!("unknown service '{}'", check.service),
            ));
        }
        if catalog.control(&check.control).is_none() {
            problems.push(Problem::new(
                "checks.json",
                &field,
                &format!("unknown control '{}'", check.control),
            ));
        }
    }
}
