//! Config-rule verdicts inside a snapshot: `AWS::Config::ResourceCompliance` items, one per
//! evaluated resource, with the verdict of each rule (`configRuleList`). `data/config-rules.json`
//! maps AWS managed rules to checks; `data/README.md` ("Config rule verdicts") gives the rules for
//! matching a rule name the account chose to a managed rule, implemented in `managed_rule`.

use super::get;
use crate::import::facts::Meta;
use crate::model::catalog::Catalog;
use crate::model::evidence::{CheckResult, Status};
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// One managed rule of `data/config-rules.json`.
struct Rule {
    identifier: String,
    names: Vec<String>,
    checks: Vec<String>,
    note: Option<String>,
}

/// Verdicts read before the resource ids they name are known (an IAM user's verdict names the
/// user by id, results go by name).
pub(super) struct Verdict {
    pub meta: Meta,
    pub target_type: String,
    pub target_id: String,
    pub rule_name: String,
    pub compliance: String,
}

fn rules() -> &'static Vec<Rule> {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let text = Catalog::bundled_files()
            .iter()
            .find(|(p, _)| *p == "config-rules.json")
            .map_or("{}", |(_, t)| *t);
        let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        };
        value["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| {
                let mut names = vec![r["name"].as_str().unwrap_or_default().to_owned()];
                names.extend(strings(&r["aliases"]));
                if let Some(id) = r["identifier"].as_str() {
                    names.push(id.to_ascii_lowercase().replace('_', "-"));
                }
                Rule {
                    identifier: r["identifier"].as_str().unwrap_or_default().to_owned(),
                    names,
                    checks: strings(&r["checks"]),
                    note: r["note"].as_str().map(str::to_owned),
                }
            })
            .collect()
    })
}

/// The managed rule an account's rule name stands for (data/README.md, steps 1 to 4).
fn managed_rule(config_rule_name: &str) -> Option<&'static Rule> {
    let find = |name: &str| rules().iter().find(|r| r.names.iter().any(|n| n == name));
    let lower = config_rule_name.to_ascii_lowercase();
    let name = lower.strip_prefix("securityhub-").unwrap_or(&lower);
    if let Some(rule) = find(name) {
        return Some(rule);
    }
    if let Some(at) = name.find("-conformance-pack-") {
        return find(&name[..at]);
    }
    let (head, tail) = name.rsplit_once('-')?;
    let suffix = (6..=8).contains(&tail.len())
        && tail
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if suffix { find(head) } else { None }
}

/// Managed rules whose only resource is the account (per region): a conformance pack's verdict
/// for the rule is the account's verdict, so it lands on the account (data/README.md "Config
/// rule verdicts").
const ACCOUNT_LEVEL: &[&str] = &[
    "ROOT_ACCOUNT_MFA_ENABLED",
    "IAM_ROOT_ACCESS_KEY_CHECK",
    "IAM_PASSWORD_POLICY",
    "EC2_EBS_ENCRYPTION_BY_DEFAULT",
    "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS",
    "S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC",
    "MULTI_REGION_CLOUD_TRAIL_ENABLED",
    "GUARDDUTY_ENABLED_CENTRALIZED",
];

/// What the `AWS::Config::ConformancePackCompliance` items of a snapshot held beyond the
/// verdicts that land on the account: for the import's warning.
#[derive(Default)]
pub(super) struct Packs {
    pub items: usize,
    /// Verdicts of rules that judge resources other than the account: a pack's verdict names
    /// none of them, so it decides no check.
    pub per_resource: usize,
    /// Those per-resource rules that were `NON_COMPLIANT`, by name.
    pub failing: std::collections::BTreeSet<String>,
}

impl Packs {
    /// The warning that says what the pack items held, when there were any.
    pub fn warning(&self) -> Option<String> {
        if self.items == 0 {
            return None;
        }
        let failing = if self.failing.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = self.failing.iter().map(String::as_str).take(10).collect();
            let more = self.failing.len().saturating_sub(10);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!(", NON_COMPLIANT: {}{more}", names.join(", "))
        };
        Some(format!(
            "{} conformance-pack compliance items (AWS::Config::ConformancePackCompliance, not resources): the verdicts of account-level rules land on the account; {} verdicts of rules over other resources name no resource and decide no check (the ResourceCompliance items carry those per resource){failing}",
            self.items, self.per_resource
        ))
    }
}

/// Reads one `AWS::Config::ConformancePackCompliance` configuration: each rule's verdict over
/// the whole pack. Account-level rules become verdicts on the account (`account`); the others
/// are only counted in `packs`.
pub(super) fn read_pack(
    conf: &Map<String, Value>,
    meta: &Meta,
    account: &str,
    out: &mut Vec<Verdict>,
    packs: &mut Packs,
) {
    packs.items += 1;
    for (name, compliance) in rule_list(conf) {
        let account_level =
            managed_rule(&name).is_some_and(|r| ACCOUNT_LEVEL.contains(&r.identifier.as_str()));
        if account_level && !account.is_empty() {
            out.push(Verdict {
                meta: meta.clone(),
                target_type: "AWS::::Account".to_owned(),
                target_id: account.to_owned(),
                rule_name: name,
                compliance,
            });
        } else {
            packs.per_resource += 1;
            if compliance == "NON_COMPLIANT" {
                packs.failing.insert(name);
            }
        }
    }
}

/// Reads one `AWS::Config::ResourceCompliance` configuration into verdicts.
pub(super) fn read(conf: &Map<String, Value>, meta: &Meta, out: &mut Vec<Verdict>) {
    let text = |k: &[&str]| {
        get(conf, k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let target_type = text(&["targetResourceType"]);
    let target_id = text(&["targetResourceId"]);
    for (rule_name, compliance) in rule_list(conf) {
        out.push(Verdict {
            meta: meta.clone(),
            target_type: target_type.clone(),
            target_id: target_id.clone(),
            rule_name,
            compliance,
        });
    }
}

/// The (rule name, compliance type) of each `configRuleList` entry of a compliance item
/// (empty text where a field is missing).
fn rule_list(conf: &Map<String, Value>) -> impl Iterator<Item = (String, String)> + '_ {
    get(conf, &["configRuleList"])
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|rule| {
            let field = |k: &str| {
                rule.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            (field("configRuleName"), field("complianceType"))
        })
}

/// Results of the verdicts that land on checks; `name_of` gives the name results use for a
/// resource (type, id). Returns also how many verdicts named no known managed rule.
pub(super) fn results(
    catalog: &Catalog,
    verdicts: &[Verdict],
    name_of: impl Fn(&str, &str) -> String,
) -> (Vec<CheckResult>, usize) {
    let mut out = Vec::new();
    let mut unmatched = 0;
    for v in verdicts {
        let Some(rule) = managed_rule(&v.rule_name) else {
            unmatched += 1;
            continue;
        };
        let status = match v.compliance.as_str() {
            "COMPLIANT" => Status::Pass,
            "NON_COMPLIANT" => Status::Fail,
            "NOT_APPLICABLE" => continue,
            _ => Status::Unknown,
        };
        let resource = name_of(&v.target_type, &v.target_id);
        for key in &rule.checks {
            let Some(check) = catalog.check(key) else {
                continue;
            };
            // A verdict that cannot tell two checks apart fails only the first.
            if status == Status::Fail && rule.checks.len() > 1 && key != &rule.checks[0] {
                continue;
            }
            let note = rule
                .note
                .as_deref()
                .map_or_else(String::new, |n| format!(" ({n})"));
            out.push(CheckResult {
                check: check.key.as_str().into(),
                service: check.service.as_str().into(),
                control: check.control.as_str().into(),
                resource_id: resource.as_str().into(),
                region: v.meta.region.clone(),
                account: v.meta.account.clone(),
                status,
                detail: format!("AWS Config rule {} {}{note}", v.rule_name, v.compliance).into(),
                source: v.meta.source.clone(),
                observed_at: v.meta.observed.clone(),
                test: v.rule_name.as_str().into(),
                earlier: Vec::new(),
            });
        }
    }
    (out, unmatched)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_rule_names_find_their_managed_rule() {
        let key = |n: &str| managed_rule(n).map(|r| r.checks[0].as_str());
        assert_eq!(
            key("securityhub-mfa-enabled-for-iam-console-access-85a761e4"),
            Some("iam_user_no_mfa")
        );
        assert_eq!(
            key("root-account-mfa-enabled-conformance-pack-abcdefgh1"),
            Some("root_no_mfa")
        );
        assert_eq!(key("access-keys-rotated"), Some("iam_access_key_old"));
        assert_eq!(key("incoming-ssh-disabled"), Some("sg_open_ssh_world"));
        assert_eq!(key("iam-user-no-policies-check"), None);
        // IAM.21's rule: a whole service allowed (issue 10 item 12's second wildcard check).
        assert_eq!(
            key("securityhub-iam-policy-no-statements-with-full-access-4c9fa1"),
            Some("iam_policy_service_wildcard")
        );
        assert_eq!(key("my-own-rule"), None);
    }
}
