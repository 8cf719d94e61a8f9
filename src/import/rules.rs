//! The evidence checks of `data/checks.json`, as rules over `Facts`: one pass / fail / unknown
//! per resource and check, with a short reason. Unknown whenever the facts needed are absent.

use super::facts::{
    AccountBpa, Bpa, Facts, IamPolicyDoc, Known, Meta, PasswordPolicy, S3Bucket, SgRule,
};
use crate::model::catalog::{Catalog, Check};
use crate::model::evidence::{CheckResult, Status};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

struct Out<'a> {
    catalog: &'a Catalog,
    results: &'a mut Vec<CheckResult>,
}

impl Out<'_> {
    fn push(
        &mut self,
        key: &str,
        meta: &Meta,
        resource_id: &str,
        status: Status,
        detail: impl Into<String>,
    ) {
        // A catalog without this check (no checks.json) records nothing.
        let Some(check) = self.catalog.check(key) else {
            return;
        };
        self.results.push(CheckResult {
            check: check.key.clone(),
            service: check.service.clone(),
            control: check.control.clone(),
            resource_id: resource_id.to_owned(),
            region: meta.region.clone(),
            account: meta.account.clone(),
            status,
            detail: detail.into(),
            source: meta.source.clone(),
        });
    }

    fn check(&self, key: &str) -> Option<&Check> {
        self.catalog.check(key)
    }
}

/// Runs every check over the facts of one source.
pub fn evaluate(catalog: &Catalog, facts: &Facts) -> Vec<CheckResult> {
    let mut results = Vec::new();
    let mut out = Out {
        catalog,
        results: &mut results,
    };
    s3(&mut out, facts);
    network(&mut out, facts);
    compute(&mut out, facts);
    databases(&mut out, facts);
    logging(&mut out, facts);
    iam(&mut out, facts);
    serverless(&mut out, facts);
    results
}

// ------------------------------------------------------------------------------------------ S3

fn false_flags(bpa: Bpa) -> Vec<&'static str> {
    bpa.flags()
        .into_iter()
        .filter(|(_, v)| *v == Some(false))
        .map(|(n, _)| n)
        .collect()
}

fn account_bpa_on<'a>(
    accounts: &'a [AccountBpa],
    account: &str,
) -> (Option<bool>, Option<&'a AccountBpa>) {
    match accounts.iter().find(|a| a.meta.account == account) {
        None => (None, None),
        Some(a) => match &a.bpa {
            Known::Unknown => (None, Some(a)),
            Known::Absent => (Some(false), Some(a)),
            Known::Present(bpa) => (bpa.all_on(), Some(a)),
        },
    }
}

fn s3(out: &mut Out, facts: &Facts) {
    for a in &facts.account_bpa {
        let (status, detail) = match &a.bpa {
            Known::Unknown => (
                Status::Unknown,
                "account-level Block Public Access not readable in this snapshot".to_owned(),
            ),
            Known::Absent => (
                Status::Fail,
                "no account-level S3 Block Public Access configuration".to_owned(),
            ),
            Known::Present(bpa) => match bpa.all_on() {
                Some(true) => (
                    Status::Pass,
                    "all four account-level Block Public Access flags are on".to_owned(),
                ),
                Some(false) => (
                    Status::Fail,
                    format!("account-level {} false", false_flags(*bpa).join(", ")),
                ),
                None => (
                    Status::Unknown,
                    "account-level Block Public Access flags incomplete".to_owned(),
                ),
            },
        };
        out.push(
            "s3_account_public_access_block_off",
            &a.meta,
            &a.meta.account,
            status,
            detail,
        );
    }
    // Buckets that receive other buckets' access logs (they must not log into themselves).
    let targets: BTreeSet<(&str, &str)> = facts
        .buckets
        .iter()
        .filter_map(|b| match &b.logging {
            Known::Present(t) if *t != b.name => Some((b.meta.account.as_str(), t.as_str())),
            _ => None,
        })
        .collect();
    for b in &facts.buckets {
        let is_target = targets.contains(&(b.meta.account.as_str(), b.name.as_str()));
        s3_bucket(out, b, &facts.account_bpa, is_target);
    }
}

fn s3_bucket(out: &mut Out, b: &S3Bucket, accounts: &[AccountBpa], is_log_target: bool) {
    let (account_on, _) = account_bpa_on(accounts, &b.meta.account);
    let id = b.name.as_str();
    // Block Public Access: missing, or partial.
    match &b.bpa {
        Known::Unknown => {
            out.push(
                "s3_public_access_block_off",
                &b.meta,
                id,
                Status::Unknown,
                "bucket Block Public Access not in this snapshot",
            );
            out.push(
                "s3_public_access_block_partial",
                &b.meta,
                id,
                Status::Unknown,
                "bucket Block Public Access not in this snapshot",
            );
        }
        Known::Absent => {
            let (status, detail) = match account_on {
                Some(true) => (
                    Status::Pass,
                    "no bucket-level configuration, but the account-level Block Public Access covers it",
                ),
                Some(false) => (
                    Status::Fail,
                    "no bucket-level Block Public Access configuration, and the account level does not cover it",
                ),
                None => (
                    Status::Unknown,
                    "no bucket-level Block Public Access configuration; the account-level setting is not in this snapshot",
                ),
            };
            out.push("s3_public_access_block_off", &b.meta, id, status, detail);
        }
        Known::Present(bpa) => {
            out.push(
                "s3_public_access_block_off",
                &b.meta,
                id,
                Status::Pass,
                "bucket has a Block Public Access configuration",
            );
            let (status, detail) = match bpa.all_on() {
                Some(true) => (
                    Status::Pass,
                    "all four Block Public Access flags are on".to_owned(),
                ),
                Some(false) => {
                    let off = false_flags(*bpa);
                    let verb = if off.len() == 1 { "is" } else { "are" };
                    (Status::Fail, format!("{} {verb} false", off.join(" and ")))
                }
                None => (
                    Status::Unknown,
                    "some Block Public Access flags are missing".to_owned(),
                ),
            };
            out.push(
                "s3_public_access_block_partial",
                &b.meta,
                id,
                status,
                detail,
            );
        }
    }
    // Public policy.
    let (status, detail) = match (b.policy_is_public, &b.policy) {
        (Some(true), _) => (Status::Fail, "PolicyStatus.IsPublic=true".to_owned()),
        (Some(false), _) => (Status::Pass, "PolicyStatus.IsPublic=false".to_owned()),
        (None, Known::Absent) => (Status::Pass, "no bucket policy".to_owned()),
        (None, Known::Unknown) => (
            Status::Unknown,
            "bucket policy not in this snapshot".to_owned(),
        ),
        (None, Known::Present(doc)) => match public_grant(doc) {
            Some(what) => (
                Status::Fail,
                format!("bucket policy grants {what} to Principal * without conditions"),
            ),
            None => (
                Status::Pass,
                "no statement grants access to Principal * without conditions".to_owned(),
            ),
        },
    };
    out.push("s3_bucket_policy_public", &b.meta, id, status, detail);
    // TLS.
    let (status, detail) = match &b.policy {
        Known::Unknown => (Status::Unknown, "bucket policy not in this snapshot"),
        Known::Absent => (
            Status::Fail,
            "no bucket policy, so nothing denies aws:SecureTransport=false",
        ),
        Known::Present(doc) if denies_insecure_transport(doc) => (
            Status::Pass,
            "bucket policy denies aws:SecureTransport=false",
        ),
        Known::Present(_) => (
            Status::Fail,
            "bucket policy has no Deny for aws:SecureTransport=false",
        ),
    };
    out.push("s3_tls_not_enforced", &b.meta, id, status, detail);
    // Default encryption.
    let (status, detail) = match b.encryption {
        Some(true) => (Status::Pass, "default encryption configured"),
        Some(false) => (Status::Fail, "no default encryption configuration"),
        None => (Status::Unknown, "default encryption not in this snapshot"),
    };
    out.push("s3_default_encryption_off", &b.meta, id, status, detail);
    // Versioning.
    match b.versioning.as_deref() {
        None => {
            out.push(
                "s3_versioning_off",
                &b.meta,
                id,
                Status::Unknown,
                "versioning not in this snapshot",
            );
            out.push(
                "s3_versioning_suspended",
                &b.meta,
                id,
                Status::Unknown,
                "versioning not in this snapshot",
            );
        }
        Some(v) => {
            let enabled = v.eq_ignore_ascii_case("enabled");
            let suspended = v.eq_ignore_ascii_case("suspended");
            let (s_off, d_off) = if enabled || suspended {
                (Status::Pass, format!("versioning {v}"))
            } else {
                (Status::Fail, "versioning never enabled".to_owned())
            };
            out.push("s3_versioning_off", &b.meta, id, s_off, d_off);
            let (s_sus, d_sus) = if suspended {
                (Status::Fail, "versioning Suspended".to_owned())
            } else {
                (Status::Pass, format!("versioning {v}"))
            };
            out.push("s3_versioning_suspended", &b.meta, id, s_sus, d_sus);
        }
    }
    // Access logging.
    let (status, detail) = match &b.logging {
        Known::Unknown => (
            Status::Unknown,
            "access logging not in this snapshot".to_owned(),
        ),
        Known::Absent if is_log_target => (
            Status::Pass,
            "no server access logging, as the access-log target of other buckets should be"
                .to_owned(),
        ),
        Known::Absent => (Status::Fail, "no server access logging".to_owned()),
        Known::Present(target) => (Status::Pass, format!("server access logging to {target}")),
    };
    out.push("s3_access_logging_off", &b.meta, id, status, detail);
}

/// A policy element, whatever the case of its name (`Statement`, `statement`).
fn field<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    let map = v.as_object()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Statements of a policy document (object or array).
fn statements(doc: &Value) -> Vec<&Value> {
    match field(doc, "Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn effect_is(statement: &Value, effect: &str) -> bool {
    field(statement, "Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case(effect))
}

fn principal_is_everyone(statement: &Value) -> bool {
    match field(statement, "Principal") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => map
            .get("AWS")
            .is_some_and(|v| strings(Some(v)).contains(&"*")),
        _ => false,
    }
}

fn has_condition(statement: &Value) -> bool {
    field(statement, "Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
}

/// The actions an unconditioned `Allow` to `*` grants, if any.
fn public_grant(doc: &Value) -> Option<String> {
    statements(doc)
        .into_iter()
        .find(|s| effect_is(s, "Allow") && principal_is_everyone(s) && !has_condition(s))
        .map(|s| {
            let actions = strings(field(s, "Action"));
            if actions.is_empty() {
                "access".to_owned()
            } else {
                actions.join(", ")
            }
        })
}

fn denies_insecure_transport(doc: &Value) -> bool {
    statements(doc)
        .into_iter()
        .filter(|s| effect_is(s, "Deny"))
        .any(|s| {
            let Some(Value::Object(cond)) = field(s, "Condition") else {
                return false;
            };
            cond.iter()
                .filter(|(op, _)| op.starts_with("Bool"))
                .any(|(_, kv)| {
                    kv.as_object().is_some_and(|m| {
                        m.iter().any(|(k, v)| {
                            k.eq_ignore_ascii_case("aws:SecureTransport")
                                && match v {
                                    Value::Bool(b) => !b,
                                    Value::String(s) => s.eq_ignore_ascii_case("false"),
                                    Value::Array(a) => a.iter().any(|x| {
                                        x == &Value::Bool(false) || x.as_str() == Some("false")
                                    }),
                                    _ => false,
                                }
                        })
                    })
                })
        })
}

// ------------------------------------------------------------------------------------ network

const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

fn rule_opens(rule: &SgRule, port: u16) -> Option<&str> {
    let world = rule.cidrs.iter().find(|c| WORLD.contains(&c.as_str()))?;
    let protocol = rule.protocol.to_ascii_lowercase();
    let all = protocol == "-1" || protocol == "all";
    if !(all || protocol == "tcp" || protocol == "6") {
        return None;
    }
    if !all {
        let from = rule.from_port.unwrap_or(-1);
        let to = rule.to_port.unwrap_or(-1);
        let p = i64::from(port);
        // -1 / missing ports mean every port.
        if from >= 0 && to >= 0 && !(from <= p && p <= to) {
            return None;
        }
    }
    Some(world.as_str())
}

fn network(out: &mut Out, facts: &Facts) {
    let groups = [
        ("sg_open_ssh_world", "SSH"),
        ("sg_open_rdp_world", "RDP"),
        ("sg_open_db_world", "database"),
    ];
    for sg in &facts.security_groups {
        for (key, what) in groups {
            let ports = out
                .check(key)
                .map(|c| c.params.ports.clone())
                .unwrap_or_default();
            let (status, detail) = match &sg.ingress {
                None => (
                    Status::Unknown,
                    "inbound rules not in this snapshot".to_owned(),
                ),
                Some(rules) => {
                    let open: Vec<String> = ports
                        .iter()
                        .filter_map(|&p| {
                            rules
                                .iter()
                                .find_map(|r| rule_opens(r, p))
                                .map(|cidr| format!("tcp/{p} from {cidr}"))
                        })
                        .collect();
                    if open.is_empty() {
                        (
                            Status::Pass,
                            format!("no inbound {what} port open to the internet"),
                        )
                    } else {
                        (Status::Fail, open.join(", "))
                    }
                }
            };
            out.push(key, &sg.meta, &sg.id, status, detail);
        }
        if sg.name.as_deref() == Some("default") {
            let (status, detail) = match (&sg.ingress, &sg.egress) {
                (Some(i), Some(e)) if i.is_empty() && e.is_empty() => (
                    Status::Pass,
                    "default security group has no rules".to_owned(),
                ),
                (Some(i), Some(e)) => (
                    Status::Fail,
                    format!(
                        "default security group has {} inbound and {} outbound rule(s)",
                        i.len(),
                        e.len()
                    ),
                ),
                (Some(i), None) if !i.is_empty() => (
                    Status::Fail,
                    format!("default security group has {} inbound rule(s)", i.len()),
                ),
                (None, Some(e)) if !e.is_empty() => (
                    Status::Fail,
                    format!("default security group has {} outbound rule(s)", e.len()),
                ),
                _ => (
                    Status::Unknown,
                    "rules of the default security group not in this snapshot".to_owned(),
                ),
            };
            out.push(
                "default_sg_not_restricted",
                &sg.meta,
                &sg.id,
                status,
                detail,
            );
        }
    }
    for acl in &facts.network_acls {
        let (status, detail) = match &acl.entries {
            None => (
                Status::Unknown,
                "NACL entries not in this snapshot".to_owned(),
            ),
            Some(entries) => {
                let mut inbound: Vec<_> = entries.iter().filter(|e| !e.egress).collect();
                inbound.sort_by_key(|e| e.rule_number);
                let decisive = inbound.into_iter().find(|e| {
                    e.cidr.as_deref().is_some_and(|c| WORLD.contains(&c))
                        && (e.protocol == "-1" || e.protocol.eq_ignore_ascii_case("all"))
                });
                match decisive {
                    Some(e) if e.allow => (
                        Status::Fail,
                        format!(
                            "rule {} allows all protocols and ports from {}",
                            e.rule_number,
                            e.cidr.as_deref().unwrap_or("")
                        ),
                    ),
                    Some(e) => (
                        Status::Pass,
                        format!(
                            "rule {} denies all traffic from the internet first",
                            e.rule_number
                        ),
                    ),
                    None => (
                        Status::Pass,
                        "no rule allows all traffic from the internet".to_owned(),
                    ),
                }
            }
        };
        out.push(
            "nacl_allows_all_ingress_world",
            &acl.meta,
            &acl.id,
            status,
            detail,
        );
    }
    for vpc in &facts.vpcs {
        let covered = facts
            .flow_logs
            .iter()
            .find(|f| f.resource_id == vpc.id && f.meta.account == vpc.meta.account);
        let listed = facts
            .flow_logs_listed
            .iter()
            .any(|(a, r)| *a == vpc.meta.account && *r == vpc.meta.region);
        let default = if vpc.is_default == Some(true) {
            "default VPC"
        } else {
            "VPC"
        };
        let (status, detail) = match (covered, listed) {
            (Some(f), _) => (Status::Pass, format!("flow log {}", f.id)),
            (None, true) => (Status::Fail, format!("{default} has no flow log")),
            (None, false) => (Status::Unknown, "flow logs not in this snapshot".to_owned()),
        };
        out.push("vpc_flow_logs_off", &vpc.meta, &vpc.id, status, detail);
    }
}

// ------------------------------------------------------------------------------------ compute

fn compute(out: &mut Out, facts: &Facts) {
    for i in &facts.instances {
        if matches!(i.state.as_deref(), Some("terminated" | "shutting-down")) {
            continue;
        }
        let (status, detail) = match &i.public_ip {
            Known::Present(ip) => (
                Status::Fail,
                format!("instance has a public IPv4 address ({ip})"),
            ),
            Known::Absent => (Status::Pass, "no public IPv4 address".to_owned()),
            Known::Unknown => (
                Status::Unknown,
                "public address not in this snapshot".to_owned(),
            ),
        };
        out.push("ec2_public_ip", &i.meta, &i.id, status, detail);
        let (status, detail) = match (i.http_endpoint.as_deref(), i.http_tokens.as_deref()) {
            (Some(e), _) if e.eq_ignore_ascii_case("disabled") => (
                Status::Pass,
                "instance metadata service disabled".to_owned(),
            ),
            (_, Some(t)) if t.eq_ignore_ascii_case("required") => (
                Status::Pass,
                "MetadataOptions.HttpTokens=required".to_owned(),
            ),
            (_, Some(t)) => (Status::Fail, format!("MetadataOptions.HttpTokens={t}")),
            (_, None) => (
                Status::Unknown,
                "metadata options not in this snapshot".to_owned(),
            ),
        };
        out.push("imdsv1_allowed", &i.meta, &i.id, status, detail);
    }
    for v in &facts.volumes {
        let (status, detail) = match v.encrypted {
            Some(true) => (Status::Pass, "Encrypted=true"),
            Some(false) => (Status::Fail, "Encrypted=false"),
            None => (Status::Unknown, "encryption not in this snapshot"),
        };
        out.push("ebs_unencrypted", &v.meta, &v.id, status, detail);
    }
    for d in &facts.ebs_defaults {
        let (status, detail) = match d.enabled {
            Some(true) => (
                Status::Pass,
                format!("EBS encryption by default on in {}", d.meta.region),
            ),
            Some(false) => (
                Status::Fail,
                format!("EbsEncryptionByDefault=false in {}", d.meta.region),
            ),
            None => (
                Status::Unknown,
                "EBS encryption by default not in this snapshot".to_owned(),
            ),
        };
        out.push(
            "ebs_default_encryption_off",
            &d.meta,
            &d.meta.account,
            status,
            detail,
        );
    }
}

// ---------------------------------------------------------------------------------- databases

fn flag(
    out: &mut Out,
    key: &str,
    meta: &Meta,
    id: &str,
    value: Option<bool>,
    field: &str,
    fail_when: bool,
) {
    let (status, detail) = match value {
        Some(v) if v == fail_when => (Status::Fail, format!("{field}={v}")),
        Some(v) => (Status::Pass, format!("{field}={v}")),
        None => (Status::Unknown, format!("{field} not in this snapshot")),
    };
    out.push(key, meta, id, status, detail);
}

fn databases(out: &mut Out, facts: &Facts) {
    for db in &facts.db_instances {
        let id = db.id.as_str();
        flag(
            out,
            "rds_unencrypted",
            &db.meta,
            id,
            db.storage_encrypted,
            "StorageEncrypted",
            false,
        );
        flag(
            out,
            "rds_public",
            &db.meta,
            id,
            db.publicly_accessible,
            "PubliclyAccessible",
            true,
        );
        flag(
            out,
            "rds_auto_minor_upgrade_off",
            &db.meta,
            id,
            db.auto_minor_upgrade,
            "AutoMinorVersionUpgrade",
            false,
        );
        // For cluster members, availability, backups and deletion protection are cluster settings.
        if db.cluster.is_none() {
            flag(
                out,
                "rds_no_multi_az",
                &db.meta,
                id,
                db.multi_az,
                "MultiAZ",
                false,
            );
            flag(
                out,
                "rds_deletion_protection_off",
                &db.meta,
                id,
                db.deletion_protection,
                "DeletionProtection",
                false,
            );
            let (status, detail) = match db.backup_retention {
                Some(0) => (Status::Fail, "BackupRetentionPeriod=0".to_owned()),
                Some(n) => (Status::Pass, format!("BackupRetentionPeriod={n}")),
                None => (
                    Status::Unknown,
                    "BackupRetentionPeriod not in this snapshot".to_owned(),
                ),
            };
            out.push("rds_backups_disabled", &db.meta, id, status, detail);
        }
    }
    for c in &facts.db_clusters {
        let members = c
            .members
            .map_or_else(String::new, |n| format!(", {n} instance(s)"));
        let (status, detail) = match c.multi_az {
            Some(true) => (Status::Pass, format!("MultiAZ=true{members}")),
            Some(false) => (Status::Fail, format!("MultiAZ=false{members}")),
            None => (Status::Unknown, "MultiAZ not in this snapshot".to_owned()),
        };
        out.push("rds_cluster_no_multi_az", &c.meta, &c.id, status, detail);
    }
    for t in &facts.tables {
        let (status, detail) = match t.pitr {
            Some(true) => (Status::Pass, "PointInTimeRecoveryStatus=ENABLED"),
            Some(false) => (Status::Fail, "PointInTimeRecoveryStatus=DISABLED"),
            None => (
                Status::Unknown,
                "point-in-time recovery not in this snapshot",
            ),
        };
        out.push("dynamodb_pitr_off", &t.meta, &t.name, status, detail);
    }
}

// ------------------------------------------------------------------------------------ logging

fn logging(out: &mut Out, facts: &Facts) {
    let accounts: BTreeSet<&str> = facts
        .trails
        .iter()
        .map(|t| t.meta.account.as_str())
        .collect();
    for account in accounts {
        let trails: Vec<_> = facts
            .trails
            .iter()
            .filter(|t| t.meta.account == account)
            .collect();
        let good = trails
            .iter()
            .find(|t| t.multi_region == Some(true) && t.logging == Some(true));
        let maybe = trails
            .iter()
            .any(|t| t.multi_region == Some(true) && t.logging.is_none());
        for t in &trails {
            let (status, detail) = match (t.multi_region, t.logging) {
                (Some(true), Some(true)) => {
                    (Status::Pass, "multi-region trail, logging".to_owned())
                }
                (Some(true), Some(false)) => (
                    Status::Fail,
                    "multi-region trail, but logging is stopped".to_owned(),
                ),
                (Some(true), None) => (
                    Status::Unknown,
                    "multi-region trail; logging status not in this snapshot".to_owned(),
                ),
                (Some(false), _) => match (good, maybe) {
                    (Some(g), _) => (
                        Status::Pass,
                        format!(
                            "IsMultiRegionTrail=false, but multi-region trail {} is logging",
                            g.name
                        ),
                    ),
                    (None, true) => (
                        Status::Unknown,
                        "IsMultiRegionTrail=false; another multi-region trail's logging is unknown"
                            .to_owned(),
                    ),
                    (None, false) => (
                        Status::Fail,
                        "IsMultiRegionTrail=false, and no multi-region trail in the account"
                            .to_owned(),
                    ),
                },
                (None, _) => (
                    Status::Unknown,
                    "IsMultiRegionTrail not in this snapshot".to_owned(),
                ),
            };
            out.push(
                "cloudtrail_not_multiregion",
                &t.meta,
                &t.name,
                status,
                detail,
            );
            flag(
                out,
                "cloudtrail_log_validation_off",
                &t.meta,
                &t.name,
                t.log_validation,
                "LogFileValidationEnabled",
                false,
            );
        }
    }
    for listing in &facts.trail_listings {
        if !facts
            .trails
            .iter()
            .any(|t| t.meta.account == listing.meta.account)
        {
            out.push(
                "cloudtrail_not_multiregion",
                &listing.meta,
                &listing.meta.account,
                Status::Fail,
                "no CloudTrail trail in the account",
            );
        }
    }
    for g in &facts.guardduty {
        let (status, detail) =
            region_service(&g.detectors, "GuardDuty detector", "enabled", "suspended");
        out.push(
            "guardduty_disabled",
            &g.meta,
            &g.meta.account,
            status,
            detail,
        );
    }
    for r in &facts.recorders {
        let (status, detail) = region_service(
            &r.recorders,
            "configuration recorder",
            "recording",
            "not recording",
        );
        out.push(
            "config_recorder_off",
            &r.meta,
            &r.meta.account,
            status,
            detail,
        );
    }
    for k in &facts.kms_keys {
        kms_key(out, k);
    }
}

fn region_service(
    items: &[(String, Option<bool>)],
    what: &str,
    on: &str,
    off: &str,
) -> (Status, String) {
    if items.is_empty() {
        return (Status::Fail, format!("no {what} in this region"));
    }
    if let Some((id, _)) = items.iter().find(|(_, e)| *e == Some(true)) {
        return (Status::Pass, format!("{what} {id} {on}"));
    }
    if items.iter().all(|(_, e)| *e == Some(false)) {
        let ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
        return (Status::Fail, format!("{what} {} {off}", ids.join(", ")));
    }
    (
        Status::Unknown,
        format!("{what} status not in this snapshot"),
    )
}

fn kms_key(out: &mut Out, k: &super::facts::KmsKey) {
    // Only enabled, customer-managed, symmetric keys with AWS-generated material can rotate.
    if k.manager
        .as_deref()
        .is_some_and(|m| !m.eq_ignore_ascii_case("CUSTOMER"))
        || k.spec.as_deref().is_some_and(|s| s != "SYMMETRIC_DEFAULT")
        || k.origin.as_deref().is_some_and(|o| o != "AWS_KMS")
        || k.state.as_deref().is_some_and(|s| s.starts_with("Pending"))
    {
        return;
    }
    let name = k
        .alias
        .as_deref()
        .map_or_else(String::new, |a| format!("{a}, "));
    let (status, detail) = match (k.manager.as_deref(), k.rotation) {
        (None, _) => (
            Status::Unknown,
            "key manager not in this snapshot".to_owned(),
        ),
        (_, Some(true)) => (
            Status::Pass,
            format!("customer managed key {name}KeyRotationEnabled=true"),
        ),
        (_, Some(false)) => (
            Status::Fail,
            format!("customer managed key {name}KeyRotationEnabled=false"),
        ),
        (_, None) => (
            Status::Unknown,
            "rotation status not in this snapshot".to_owned(),
        ),
    };
    out.push("kms_rotation_off", &k.meta, &k.id, status, detail);
}

// ---------------------------------------------------------------------------------------- IAM

const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// `(action, resource)` of the first `Allow` giving a whole service (`s3:*`) or everything (`*`)
/// on every resource; `full_only` keeps only `*` on `*`.
fn wildcard_grant(doc: &Value, full_only: bool) -> Option<String> {
    statements(doc)
        .into_iter()
        .filter(|s| effect_is(s, "Allow"))
        .find_map(|s| {
            let resources = strings(field(s, "Resource"));
            if !resources.contains(&"*") {
                return None;
            }
            strings(field(s, "Action"))
                .into_iter()
                .find(|a| *a == "*" || (!full_only && a.ends_with(":*")))
                .map(|a| format!("{a} on *"))
        })
}

fn password_problems(p: &PasswordPolicy, min_length: i64, reuse: i64) -> Result<Vec<String>, ()> {
    let mut problems = Vec::new();
    let mut unknown = false;
    match p.min_length {
        Some(n) if n < min_length => {
            problems.push(format!("MinimumPasswordLength={n} (<{min_length})"));
        }
        Some(_) => {}
        None => unknown = true,
    }
    for (name, v) in [
        ("RequireSymbols", p.require_symbols),
        ("RequireNumbers", p.require_numbers),
        ("RequireUppercaseCharacters", p.require_uppercase),
        ("RequireLowercaseCharacters", p.require_lowercase),
    ] {
        match v {
            Some(false) => problems.push(format!("{name}=false")),
            Some(true) => {}
            None => unknown = true,
        }
    }
    match p.reuse_prevention {
        Some(n) if n < reuse => problems.push(format!("PasswordReusePrevention={n} (<{reuse})")),
        Some(_) => {}
        None => problems.push(format!("PasswordReusePrevention not set (<{reuse})")),
    }
    if problems.is_empty() && unknown {
        Err(())
    } else {
        Ok(problems)
    }
}

fn iam(out: &mut Out, facts: &Facts) {
    let (min_length, reuse) = out.check("iam_password_policy_weak").map_or((14, 24), |c| {
        (
            i64::from(c.params.min_length.unwrap_or(14)),
            i64::from(c.params.reuse.unwrap_or(24)),
        )
    });
    let max_days = out
        .check("iam_access_key_old")
        .and_then(|c| c.params.days)
        .unwrap_or(90);
    for a in &facts.iam_accounts {
        let id = a.meta.account.as_str();
        let basis = a.root_basis;
        let (status, detail) = match a.root_mfa {
            Some(true) => (Status::Pass, format!("root MFA enabled ({basis})")),
            Some(false) => (Status::Fail, format!("root MFA not enabled ({basis})")),
            None => (
                Status::Unknown,
                "root MFA status not in this snapshot".to_owned(),
            ),
        };
        out.push("root_no_mfa", &a.meta, id, status, detail);
        let (status, detail) = match a.root_access_keys {
            Some(true) => (Status::Fail, format!("root has an access key ({basis})")),
            Some(false) => (Status::Pass, format!("root has no access key ({basis})")),
            None => (
                Status::Unknown,
                "root access keys not in this snapshot".to_owned(),
            ),
        };
        out.push("root_access_keys", &a.meta, id, status, detail);
        let (status, detail) = match &a.password_policy {
            Known::Unknown => (
                Status::Unknown,
                "password policy not in this snapshot".to_owned(),
            ),
            Known::Absent => (Status::Fail, "no account password policy".to_owned()),
            Known::Present(p) => match password_problems(p, min_length, reuse) {
                Ok(problems) if problems.is_empty() => (
                    Status::Pass,
                    "password policy meets the CIS minimums".to_owned(),
                ),
                Ok(problems) => (Status::Fail, problems.join(", ")),
                Err(()) => (
                    Status::Unknown,
                    "password policy incomplete in this snapshot".to_owned(),
                ),
            },
        };
        out.push("iam_password_policy_weak", &a.meta, id, status, detail);
    }
    // Customer managed policies by ARN and name, to see what a user has attached.
    let customer: BTreeMap<&str, &IamPolicyDoc> = facts
        .iam_policies
        .iter()
        .filter(|p| p.owner_kind == "policy")
        .map(|p| (p.owner.as_str(), p))
        .collect();
    for u in &facts.iam_users {
        let id = u.name.as_str();
        let (status, detail) = match (u.console_password, u.mfa) {
            (Some(false), _) => (Status::Pass, "no console password".to_owned()),
            (Some(true), Some(true)) => (Status::Pass, "console password with MFA".to_owned()),
            (Some(true), Some(false)) => {
                (Status::Fail, "console password, no MFA device".to_owned())
            }
            (Some(true), None) => (
                Status::Unknown,
                "console password; MFA devices not in this snapshot".to_owned(),
            ),
            (None, _) => (
                Status::Unknown,
                "console access not in this snapshot".to_owned(),
            ),
        };
        out.push("iam_user_no_mfa", &u.meta, id, status, detail);

        let (status, detail) = match (&u.access_keys, facts.taken_at) {
            (None, _) => (
                Status::Unknown,
                "access keys not in this snapshot".to_owned(),
            ),
            (Some(keys), taken) => {
                let active: Vec<_> = keys.iter().filter(|k| k.active).collect();
                if active.is_empty() {
                    (Status::Pass, "no active access key".to_owned())
                } else if let Some(now) = taken {
                    let limit = i64::from(max_days) * 86_400;
                    let old: Vec<String> = active
                        .iter()
                        .filter_map(|k| {
                            k.created
                                .filter(|c| now - c > limit)
                                .map(|c| format!("{} ({} days)", k.id, (now - c) / 86_400))
                        })
                        .collect();
                    if !old.is_empty() {
                        (
                            Status::Fail,
                            format!("active key older than {max_days} days: {}", old.join(", ")),
                        )
                    } else if active.iter().any(|k| k.created.is_none()) {
                        (
                            Status::Unknown,
                            "creation date of an active key not in this snapshot".to_owned(),
                        )
                    } else {
                        (
                            Status::Pass,
                            format!("active keys younger than {max_days} days"),
                        )
                    }
                } else {
                    (
                        Status::Unknown,
                        "collection time unknown, so key ages cannot be told".to_owned(),
                    )
                }
            }
        };
        out.push("iam_access_key_old", &u.meta, id, status, detail);

        let mut admin: Vec<String> = Vec::new();
        if let Some(attached) = &u.attached_policies {
            for p in attached {
                if p == ADMIN_POLICY || p == "AdministratorAccess" {
                    admin.push("AdministratorAccess attached directly".to_owned());
                } else if let Some(grant) = customer
                    .get(p.as_str())
                    .and_then(|doc| doc.document.as_ref())
                    .and_then(|d| wildcard_grant(d, true))
                {
                    admin.push(format!("policy {p} allows {grant}"));
                }
            }
        }
        if let Some(inline) = &u.inline_policies {
            for (name, doc) in inline {
                if let Some(grant) = wildcard_grant(doc, true) {
                    admin.push(format!("inline policy {name} allows {grant}"));
                }
            }
        }
        let (status, detail) = if !admin.is_empty() {
            (Status::Fail, admin.join("; "))
        } else if u.attached_policies.is_some() && u.inline_policies.is_some() {
            (
                Status::Pass,
                "no administrator policy attached directly".to_owned(),
            )
        } else {
            (
                Status::Unknown,
                "policies attached to the user not in this snapshot".to_owned(),
            )
        };
        out.push(
            "iam_user_admin_policy_attached",
            &u.meta,
            id,
            status,
            detail,
        );
    }
    for p in &facts.iam_policies {
        let what = if p.owner_kind == "policy" {
            format!("policy {}", p.policy_name)
        } else {
            format!("inline policy {}", p.policy_name)
        };
        let resource = if p.owner_kind == "policy" {
            p.policy_name.as_str()
        } else {
            p.owner.as_str()
        };
        let (status, detail) = match &p.document {
            None => (
                Status::Unknown,
                format!("{what}: document not in this snapshot"),
            ),
            Some(doc) => match wildcard_grant(doc, false) {
                Some(grant) => (Status::Fail, format!("{what} allows {grant}")),
                None => (
                    Status::Pass,
                    format!("{what} allows no wildcard action on every resource"),
                ),
            },
        };
        out.push("iam_policy_wildcard", &p.meta, resource, status, detail);
    }
}

// --------------------------------------------------------------------------------- serverless

fn serverless(out: &mut Out, facts: &Facts) {
    let deprecated: Vec<String> = out
        .check("lambda_deprecated_runtime")
        .map(|c| c.params.runtimes.clone())
        .unwrap_or_default();
    for f in &facts.lambdas {
        let (status, detail) = match f.runtime.as_deref() {
            Some(r) if deprecated.iter().any(|d| d == r) => {
                (Status::Fail, format!("Runtime {r} is deprecated"))
            }
            Some(r) => (Status::Pass, format!("Runtime {r} is supported")),
            None if f.package_type.as_deref() == Some("Image") => continue,
            None => (Status::Unknown, "runtime not in this snapshot".to_owned()),
        };
        out.push(
            "lambda_deprecated_runtime",
            &f.meta,
            &f.name,
            status,
            detail,
        );
    }
    for q in &facts.queues {
        let (status, detail) = match (&q.kms_key, q.sse_managed) {
            (Known::Present(k), _) => (Status::Pass, format!("KMS key {k}")),
            (_, Some(true)) => (Status::Pass, "SqsManagedSseEnabled=true".to_owned()),
            (Known::Absent, Some(false)) => (
                Status::Fail,
                "SqsManagedSseEnabled=false and no KmsMasterKeyId".to_owned(),
            ),
            _ => (
                Status::Unknown,
                "queue encryption not in this snapshot".to_owned(),
            ),
        };
        out.push("sqs_unencrypted", &q.meta, &q.name, status, detail);
    }
    for t in &facts.topics {
        let (status, detail) = match &t.kms_key {
            Known::Present(k) => (Status::Pass, format!("KMS key {k}")),
            Known::Absent => (Status::Fail, "no KmsMasterKeyId".to_owned()),
            Known::Unknown => (
                Status::Unknown,
                "topic encryption not in this snapshot".to_owned(),
            ),
        };
        out.push("sns_unencrypted", &t.meta, &t.name, status, detail);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::facts::*;
    use serde_json::json;

    fn meta(account: &str) -> Meta {
        Meta {
            account: account.to_owned(),
            region: "us-east-1".to_owned(),
            source: "t".to_owned(),
        }
    }

    /// (check, resource) -> status, for a set of facts.
    fn run(facts: &Facts) -> BTreeMap<(String, String), Status> {
        let catalog = Catalog::bundled();
        let mut map = BTreeMap::new();
        for r in evaluate(&catalog, facts) {
            let previous = map.insert((r.check.clone(), r.resource_id.clone()), r.status);
            assert!(
                previous.is_none(),
                "one result per check and resource: {} {}",
                r.check,
                r.resource_id
            );
        }
        map
    }

    fn expect(
        results: &BTreeMap<(String, String), Status>,
        check: &str,
        cases: &[(&str, Status)],
        tested: &mut BTreeSet<String>,
    ) {
        for (resource, status) in cases {
            let got = results.get(&((*check).to_owned(), (*resource).to_owned()));
            assert_eq!(got, Some(status), "{check} on {resource}");
        }
        let statuses: BTreeSet<Status> = cases.iter().map(|(_, s)| *s).collect();
        assert_eq!(statuses.len(), 3, "{check}: test pass, fail and unknown");
        tested.insert(check.to_owned());
    }

    fn bpa(on: bool) -> Bpa {
        Bpa {
            block_public_acls: Some(true),
            ignore_public_acls: Some(true),
            block_public_policy: Some(on),
            restrict_public_buckets: Some(on),
        }
    }

    fn bucket(name: &str, account: &str) -> S3Bucket {
        S3Bucket {
            meta: meta(account),
            name: name.to_owned(),
            ..S3Bucket::default()
        }
    }

    fn rule(protocol: &str, from: i64, to: i64, cidr: &str) -> SgRule {
        SgRule {
            protocol: protocol.to_owned(),
            from_port: Some(from),
            to_port: Some(to),
            cidrs: vec![cidr.to_owned()],
            other_sources: 0,
        }
    }

    #[test]
    fn every_check_gives_pass_fail_and_unknown() {
        use Status::{Fail, Pass, Unknown};
        let mut f = Facts {
            taken_at: Some(100 * 86_400),
            ..Facts::default()
        };
        let secure = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]});
        let public = json!({"statement": [{"effect": "Allow", "principal": {"AWS": ["*"]}, "action": "s3:GetObject"}]});
        // Account 1: account-level BPA off; account 2: on; account 3: unknown.
        f.account_bpa.push(AccountBpa {
            meta: meta("1"),
            bpa: Known::Absent,
        });
        f.account_bpa.push(AccountBpa {
            meta: meta("2"),
            bpa: Known::Present(bpa(true)),
        });
        f.account_bpa.push(AccountBpa {
            meta: meta("3"),
            bpa: Known::Unknown,
        });
        f.buckets.push(S3Bucket {
            bpa: Known::Absent,
            policy: Known::Absent,
            encryption: Some(false),
            versioning: Some("Off".to_owned()),
            logging: Known::Absent,
            ..bucket("b-bad", "1")
        });
        f.buckets.push(S3Bucket {
            bpa: Known::Present(bpa(true)),
            policy: Known::Present(secure),
            policy_is_public: Some(false),
            encryption: Some(true),
            versioning: Some("Enabled".to_owned()),
            logging: Known::Present("logs".to_owned()),
            ..bucket("b-good", "1")
        });
        f.buckets.push(bucket("b-unknown", "1"));
        f.buckets.push(S3Bucket {
            bpa: Known::Present(bpa(false)),
            policy: Known::Present(public),
            versioning: Some("Suspended".to_owned()),
            ..bucket("b-partial", "1")
        });
        f.buckets.push(S3Bucket {
            bpa: Known::Absent,
            ..bucket("b-covered", "2")
        });
        f.buckets.push(S3Bucket {
            bpa: Known::Absent,
            ..bucket("b-maybe", "3")
        });
        f.buckets.push(S3Bucket {
            logging: Known::Absent,
            ..bucket("logs", "1")
        });

        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-open".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![
                rule("tcp", 22, 22, "0.0.0.0/0"),
                rule("tcp", 3389, 3389, "::/0"),
                rule("6", 3300, 3310, "0.0.0.0/0"),
            ]),
            egress: Some(vec![]),
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-closed".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![
                rule("tcp", 443, 443, "0.0.0.0/0"),
                rule("-1", -1, -1, "10.0.0.0/8"),
            ]),
            egress: Some(vec![]),
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-unknown".to_owned(),
            name: Some("default".to_owned()),
            ..SecurityGroup::default()
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-empty".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![]),
            egress: Some(vec![]),
        });
        let entry = |n: i64, allow: bool, cidr: &str| AclEntry {
            rule_number: n,
            egress: false,
            protocol: "-1".to_owned(),
            allow,
            cidr: Some(cidr.to_owned()),
            port_from: None,
            port_to: None,
        };
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-open".to_owned(),
            is_default: Some(true),
            entries: Some(vec![
                entry(32767, false, "0.0.0.0/0"),
                entry(100, true, "0.0.0.0/0"),
            ]),
        });
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-shut".to_owned(),
            is_default: Some(false),
            entries: Some(vec![
                entry(50, false, "0.0.0.0/0"),
                entry(100, true, "0.0.0.0/0"),
            ]),
        });
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-unknown".to_owned(),
            ..NetworkAcl::default()
        });
        f.vpcs.push(Vpc {
            meta: meta("1"),
            id: "vpc-logged".to_owned(),
            is_default: Some(false),
        });
        f.vpcs.push(Vpc {
            meta: meta("1"),
            id: "vpc-dark".to_owned(),
            is_default: Some(true),
        });
        f.vpcs.push(Vpc {
            meta: meta("9"),
            id: "vpc-unlisted".to_owned(),
            is_default: None,
        });
        f.flow_logs.push(FlowLog {
            meta: meta("1"),
            id: "fl-1".to_owned(),
            resource_id: "vpc-logged".to_owned(),
        });
        f.flow_logs_listed
            .push(("1".to_owned(), "us-east-1".to_owned()));

        let instance = |id: &str, ip: Known<String>, tokens: Option<&str>| Instance {
            meta: meta("1"),
            id: id.to_owned(),
            public_ip: ip,
            http_tokens: tokens.map(str::to_owned),
            ..Instance::default()
        };
        f.instances.push(instance(
            "i-bad",
            Known::Present("54.1.2.3".to_owned()),
            Some("optional"),
        ));
        f.instances
            .push(instance("i-good", Known::Absent, Some("required")));
        f.instances
            .push(instance("i-unknown", Known::Unknown, None));
        f.instances.push(Instance {
            state: Some("terminated".to_owned()),
            ..instance(
                "i-gone",
                Known::Present("1.1.1.1".to_owned()),
                Some("optional"),
            )
        });
        for (id, enc) in [
            ("vol-bad", Some(false)),
            ("vol-good", Some(true)),
            ("vol-unknown", None),
        ] {
            f.volumes.push(Volume {
                meta: meta("1"),
                id: id.to_owned(),
                encrypted: enc,
            });
        }
        for (account, on) in [("1", Some(false)), ("2", Some(true)), ("3", None)] {
            f.ebs_defaults.push(EbsDefault {
                meta: meta(account),
                enabled: on,
            });
        }
        let db = |id: &str, bad: Option<bool>| DbInstance {
            meta: meta("1"),
            id: id.to_owned(),
            engine: Some("mysql".to_owned()),
            cluster: None,
            storage_encrypted: bad.map(|b| !b),
            publicly_accessible: bad,
            multi_az: bad.map(|b| !b),
            backup_retention: bad.map(|b| if b { 0 } else { 7 }),
            deletion_protection: bad.map(|b| !b),
            auto_minor_upgrade: bad.map(|b| !b),
        };
        f.db_instances.push(db("db-bad", Some(true)));
        f.db_instances.push(db("db-good", Some(false)));
        f.db_instances.push(db("db-unknown", None));
        // A cluster member is judged on the cluster for availability and protection.
        f.db_instances.push(DbInstance {
            cluster: Some("c".to_owned()),
            ..db("db-member", Some(true))
        });
        for (id, multi) in [
            ("cl-bad", Some(false)),
            ("cl-good", Some(true)),
            ("cl-unknown", None),
        ] {
            f.db_clusters.push(DbCluster {
                meta: meta("1"),
                id: id.to_owned(),
                engine: None,
                multi_az: multi,
                members: Some(1),
            });
        }
        let trail = |account: &str,
                     name: &str,
                     multi: Option<bool>,
                     logging: Option<bool>,
                     validation: Option<bool>| Trail {
            meta: meta(account),
            name: name.to_owned(),
            arn: None,
            multi_region: multi,
            logging,
            log_validation: validation,
        };
        f.trails
            .push(trail("1", "t-single", Some(false), Some(true), Some(false)));
        f.trails
            .push(trail("2", "t-multi", Some(true), Some(true), Some(true)));
        f.trails
            .push(trail("2", "t-local", Some(false), Some(true), Some(true)));
        f.trails.push(trail("3", "t-unknown", None, None, None));
        f.trail_listings.push(TrailListing { meta: meta("4") });
        let key = |id: &str, rotation: Option<bool>, manager: &str| KmsKey {
            meta: meta("1"),
            id: id.to_owned(),
            alias: None,
            manager: Some(manager.to_owned()),
            spec: Some("SYMMETRIC_DEFAULT".to_owned()),
            origin: Some("AWS_KMS".to_owned()),
            state: Some("Enabled".to_owned()),
            rotation,
        };
        f.kms_keys.push(key("k-bad", Some(false), "CUSTOMER"));
        f.kms_keys.push(key("k-good", Some(true), "CUSTOMER"));
        f.kms_keys.push(key("k-unknown", None, "CUSTOMER"));
        f.kms_keys.push(key("k-aws", Some(false), "AWS"));
        let weak = PasswordPolicy {
            min_length: Some(8),
            require_symbols: Some(false),
            require_numbers: Some(true),
            require_uppercase: Some(true),
            require_lowercase: Some(true),
            reuse_prevention: Some(3),
        };
        let strong = PasswordPolicy {
            min_length: Some(14),
            require_symbols: Some(true),
            require_numbers: Some(true),
            require_uppercase: Some(true),
            require_lowercase: Some(true),
            reuse_prevention: Some(24),
        };
        f.iam_accounts.push(IamAccount {
            meta: meta("1"),
            root_mfa: Some(false),
            root_access_keys: Some(true),
            root_basis: "test",
            password_policy: Known::Present(weak),
        });
        f.iam_accounts.push(IamAccount {
            meta: meta("2"),
            root_mfa: Some(true),
            root_access_keys: Some(false),
            root_basis: "test",
            password_policy: Known::Present(strong),
        });
        f.iam_accounts.push(IamAccount {
            meta: meta("3"),
            root_basis: "test",
            password_policy: Known::Unknown,
            ..IamAccount::default()
        });
        let day = 86_400;
        f.iam_users.push(IamUser {
            meta: meta("1"),
            name: "u-bad".to_owned(),
            console_password: Some(true),
            mfa: Some(false),
            access_keys: Some(vec![AccessKey {
                id: "AKIA1".to_owned(),
                active: true,
                created: Some(day),
            }]),
            attached_policies: Some(vec![ADMIN_POLICY.to_owned()]),
            inline_policies: Some(vec![]),
        });
        f.iam_users.push(IamUser {
            meta: meta("1"),
            name: "u-good".to_owned(),
            console_password: Some(true),
            mfa: Some(true),
            access_keys: Some(vec![AccessKey { id: "AKIA2".to_owned(), active: true, created: Some(95 * day) }, AccessKey { id: "AKIA3".to_owned(), active: false, created: Some(0) }]),
            attached_policies: Some(vec!["arn:aws:iam::1:policy/narrow".to_owned()]),
            inline_policies: Some(vec![("ok".to_owned(), json!({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"}}))]),
        });
        f.iam_users.push(IamUser {
            meta: meta("1"),
            name: "u-unknown".to_owned(),
            console_password: Some(true),
            ..IamUser::default()
        });
        f.iam_policies.push(IamPolicyDoc { meta: meta("1"), owner_kind: "policy", owner: "arn:aws:iam::1:policy/narrow".to_owned(), policy_name: "narrow".to_owned(), document: Some(json!({"Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]})) });
        f.iam_policies.push(IamPolicyDoc {
            meta: meta("1"),
            owner_kind: "role",
            owner: "r-wild".to_owned(),
            policy_name: "inline".to_owned(),
            document: Some(
                json!({"Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": ["*"]}]}),
            ),
        });
        f.iam_policies.push(IamPolicyDoc {
            meta: meta("1"),
            owner_kind: "policy",
            owner: "arn:x".to_owned(),
            policy_name: "p-unknown".to_owned(),
            document: None,
        });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("1"),
            detectors: vec![],
        });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("2"),
            detectors: vec![("d".to_owned(), Some(true))],
        });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("3"),
            detectors: vec![("d".to_owned(), None)],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("1"),
            recorders: vec![("default".to_owned(), Some(false))],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("2"),
            recorders: vec![("default".to_owned(), Some(true))],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("3"),
            recorders: vec![("default".to_owned(), None)],
        });
        for (name, runtime, package) in [
            ("fn-bad", Some("python3.8"), "Zip"),
            ("fn-good", Some("python3.12"), "Zip"),
            ("fn-unknown", None, "Zip"),
            ("fn-image", None, "Image"),
        ] {
            f.lambdas.push(LambdaFunction {
                meta: meta("1"),
                name: name.to_owned(),
                runtime: runtime.map(str::to_owned),
                package_type: Some(package.to_owned()),
            });
        }
        for (name, pitr) in [
            ("t-bad", Some(false)),
            ("t-good", Some(true)),
            ("t-unknown", None),
        ] {
            f.tables.push(DynamoTable {
                meta: meta("1"),
                name: name.to_owned(),
                pitr,
            });
        }
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-bad".to_owned(),
            sse_managed: Some(false),
            kms_key: Known::Absent,
        });
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-good".to_owned(),
            sse_managed: Some(false),
            kms_key: Known::Present("alias/k".to_owned()),
        });
        f.queues.push(SqsQueue {
            meta: meta("1"),
            name: "q-unknown".to_owned(),
            sse_managed: None,
            kms_key: Known::Unknown,
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-bad".to_owned(),
            kms_key: Known::Absent,
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-good".to_owned(),
            kms_key: Known::Present("alias/k".to_owned()),
        });
        f.topics.push(SnsTopic {
            meta: meta("1"),
            name: "s-unknown".to_owned(),
            kms_key: Known::Unknown,
        });

        let r = run(&f);
        let mut t = BTreeSet::new();
        expect(
            &r,
            "s3_account_public_access_block_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "s3_public_access_block_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("b-covered", Pass),
                ("b-maybe", Unknown),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_public_access_block_partial",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_bucket_policy_public",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-bad", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_tls_not_enforced",
            &[
                ("b-bad", Fail),
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_default_encryption_off",
            &[("b-bad", Fail), ("b-good", Pass), ("b-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "s3_versioning_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("b-partial", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_versioning_suspended",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-bad", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "s3_access_logging_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("logs", Pass),
                ("b-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "sg_open_ssh_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "sg_open_rdp_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "sg_open_db_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "default_sg_not_restricted",
            &[
                ("sg-open", Fail),
                ("sg-closed", Fail),
                ("sg-empty", Pass),
                ("sg-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "nacl_allows_all_ingress_world",
            &[
                ("acl-open", Fail),
                ("acl-shut", Pass),
                ("acl-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "vpc_flow_logs_off",
            &[
                ("vpc-dark", Fail),
                ("vpc-logged", Pass),
                ("vpc-unlisted", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "ec2_public_ip",
            &[("i-bad", Fail), ("i-good", Pass), ("i-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "imdsv1_allowed",
            &[("i-bad", Fail), ("i-good", Pass), ("i-unknown", Unknown)],
            &mut t,
        );
        assert!(
            !r.contains_key(&("ec2_public_ip".to_owned(), "i-gone".to_owned())),
            "terminated instances are skipped"
        );
        expect(
            &r,
            "ebs_unencrypted",
            &[
                ("vol-bad", Fail),
                ("vol-good", Pass),
                ("vol-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "ebs_default_encryption_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        for check in [
            "rds_unencrypted",
            "rds_public",
            "rds_no_multi_az",
            "rds_backups_disabled",
            "rds_deletion_protection_off",
            "rds_auto_minor_upgrade_off",
        ] {
            expect(
                &r,
                check,
                &[("db-bad", Fail), ("db-good", Pass), ("db-unknown", Unknown)],
                &mut t,
            );
        }
        assert_eq!(
            r.get(&("rds_public".to_owned(), "db-member".to_owned())),
            Some(&Fail)
        );
        assert!(
            !r.contains_key(&("rds_no_multi_az".to_owned(), "db-member".to_owned())),
            "cluster members: cluster decides"
        );
        assert!(!r.contains_key(&(
            "rds_deletion_protection_off".to_owned(),
            "db-member".to_owned()
        )));
        expect(
            &r,
            "rds_cluster_no_multi_az",
            &[("cl-bad", Fail), ("cl-good", Pass), ("cl-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "cloudtrail_not_multiregion",
            &[
                ("t-single", Fail),
                ("t-multi", Pass),
                ("t-local", Pass),
                ("t-unknown", Unknown),
                ("4", Fail),
            ],
            &mut t,
        );
        expect(
            &r,
            "cloudtrail_log_validation_off",
            &[
                ("t-single", Fail),
                ("t-multi", Pass),
                ("t-unknown", Unknown),
            ],
            &mut t,
        );
        expect(
            &r,
            "kms_rotation_off",
            &[("k-bad", Fail), ("k-good", Pass), ("k-unknown", Unknown)],
            &mut t,
        );
        assert!(
            !r.contains_key(&("kms_rotation_off".to_owned(), "k-aws".to_owned())),
            "AWS managed keys are AWS's"
        );
        expect(
            &r,
            "root_no_mfa",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "root_access_keys",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "iam_password_policy_weak",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "iam_user_no_mfa",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "iam_access_key_old",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "iam_user_admin_policy_attached",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "iam_policy_wildcard",
            &[("r-wild", Fail), ("narrow", Pass), ("p-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "guardduty_disabled",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "config_recorder_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "lambda_deprecated_runtime",
            &[("fn-bad", Fail), ("fn-good", Pass), ("fn-unknown", Unknown)],
            &mut t,
        );
        assert!(
            !r.contains_key(&(
                "lambda_deprecated_runtime".to_owned(),
                "fn-image".to_owned()
            )),
            "container images have no runtime"
        );
        expect(
            &r,
            "dynamodb_pitr_off",
            &[("t-bad", Fail), ("t-good", Pass), ("t-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "sqs_unencrypted",
            &[("q-bad", Fail), ("q-good", Pass), ("q-unknown", Unknown)],
            &mut t,
        );
        expect(
            &r,
            "sns_unencrypted",
            &[("s-bad", Fail), ("s-good", Pass), ("s-unknown", Unknown)],
            &mut t,
        );

        let catalog = Catalog::bundled();
        let all: BTreeSet<String> = catalog.checks.iter().map(|c| c.key.clone()).collect();
        let untested: Vec<&String> = all.difference(&t).collect();
        assert!(
            untested.is_empty(),
            "checks without a unit test: {untested:?}"
        );
    }

    #[test]
    fn security_group_port_ranges_and_protocols() {
        assert!(rule_opens(&rule("tcp", 0, 65535, "0.0.0.0/0"), 22).is_some());
        assert!(rule_opens(&rule("-1", -1, -1, "::/0"), 3389).is_some());
        assert!(rule_opens(&rule("udp", 0, 65535, "0.0.0.0/0"), 22).is_none());
        assert!(rule_opens(&rule("tcp", 23, 100, "0.0.0.0/0"), 22).is_none());
        assert!(rule_opens(&rule("tcp", 22, 22, "10.0.0.0/8"), 22).is_none());
    }
}
