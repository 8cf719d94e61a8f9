//! The evidence checks of `data/checks.json`, as rules over `Facts`: one pass / fail / unknown
//! per resource and check, with a short reason. Unknown whenever the facts needed are absent.

use super::facts::{AccountBpa, Bpa, Facts, IamPolicyDoc, Known, Meta, PasswordPolicy, S3Bucket, SgRule};
use crate::model::catalog::{Catalog, Check};
use crate::model::evidence::{CheckResult, Status};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

struct Out<'a> {
    catalog: &'a Catalog,
    results: &'a mut Vec<CheckResult>,
}

impl Out<'_> {
    fn push(&mut self, key: &str, meta: &Meta, resource_id: &str, status: Status, detail: impl Into<String>) {
        // A catalog without this check (no checks.json) records nothing.
        let Some(check) = self.catalog.check(key) else { return };
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
    let mut out = Out { catalog, results: &mut results };
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

fn false_flags(bpa: &Bpa) -> Vec<&'static str> {
    bpa.flags().into_iter().filter(|(_, v)| *v == Some(false)).map(|(n, _)| n).collect()
}

fn account_bpa_on<'a>(accounts: &'a [AccountBpa], account: &str) -> (Option<bool>, Option<&'a AccountBpa>) {
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
            Known::Unknown => (Status::Unknown, "account-level Block Public Access not readable in this snapshot".to_owned()),
            Known::Absent => (Status::Fail, "no account-level S3 Block Public Access configuration".to_owned()),
            Known::Present(bpa) => match bpa.all_on() {
                Some(true) => (Status::Pass, "all four account-level Block Public Access flags are on".to_owned()),
                Some(false) => (Status::Fail, format!("account-level {} false", false_flags(bpa).join(", "))),
                None => (Status::Unknown, "account-level Block Public Access flags incomplete".to_owned()),
            },
        };
        out.push("s3_account_public_access_block_off", &a.meta, &a.meta.account, status, detail);
    }
    for b in &facts.buckets {
        s3_bucket(out, b, &facts.account_bpa);
    }
}

fn s3_bucket(out: &mut Out, b: &S3Bucket, accounts: &[AccountBpa]) {
    let (account_on, _) = account_bpa_on(accounts, &b.meta.account);
    let id = b.name.as_str();
    // Block Public Access: missing, or partial.
    match &b.bpa {
        Known::Unknown => {
            out.push("s3_public_access_block_off", &b.meta, id, Status::Unknown, "bucket Block Public Access not in this snapshot");
            out.push("s3_public_access_block_partial", &b.meta, id, Status::Unknown, "bucket Block Public Access not in this snapshot");
        }
        Known::Absent => {
            let (status, detail) = match account_on {
                Some(true) => (Status::Pass, "no bucket-level configuration, but the account-level Block Public Access covers it"),
                Some(false) => (Status::Fail, "no bucket-level Block Public Access configuration, and the account level does not cover it"),
                None => (Status::Unknown, "no bucket-level Block Public Access configuration; the account-level setting is not in this snapshot"),
            };
            out.push("s3_public_access_block_off", &b.meta, id, status, detail);
        }
        Known::Present(bpa) => {
            out.push("s3_public_access_block_off", &b.meta, id, Status::Pass, "bucket has a Block Public Access configuration");
            let (status, detail) = match bpa.all_on() {
                Some(true) => (Status::Pass, "all four Block Public Access flags are on".to_owned()),
                Some(false) => {
                    let off = false_flags(bpa);
                    let verb = if off.len() == 1 { "is" } else { "are" };
                    (Status::Fail, format!("{} {verb} false", off.join(" and ")))
                }
                None => (Status::Unknown, "some Block Public Access flags are missing".to_owned()),
            };
            out.push("s3_public_access_block_partial", &b.meta, id, status, detail);
        }
    }
    // Public policy.
    let (status, detail) = match (b.policy_is_public, &b.policy) {
        (Some(true), _) => (Status::Fail, "PolicyStatus.IsPublic=true".to_owned()),
        (Some(false), _) => (Status::Pass, "PolicyStatus.IsPublic=false".to_owned()),
        (None, Known::Absent) => (Status::Pass, "no bucket policy".to_owned()),
        (None, Known::Unknown) => (Status::Unknown, "bucket policy not in this snapshot".to_owned()),
        (None, Known::Present(doc)) => match public_grant(doc) {
            Some(what) => (Status::Fail, format!("bucket policy grants {what} to Principal * without conditions")),
            None => (Status::Pass, "no statement grants access to Principal * without conditions".to_owned()),
        },
    };
    out.push("s3_bucket_policy_public", &b.meta, id, status, detail);
    // TLS.
    let (status, detail) = match &b.policy {
        Known::Unknown => (Status::Unknown, "bucket policy not in this snapshot"),
        Known::Absent => (Status::Fail, "no bucket policy, so nothing denies aws:SecureTransport=false"),
        Known::Present(doc) if denies_insecure_transport(doc) => (Status::Pass, "bucket policy denies aws:SecureTransport=false"),
        Known::Present(_) => (Status::Fail, "bucket policy has no Deny for aws:SecureTransport=false"),
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
            out.push("s3_versioning_off", &b.meta, id, Status::Unknown, "versioning not in this snapshot");
            out.push("s3_versioning_suspended", &b.meta, id, Status::Unknown, "versioning not in this snapshot");
        }
        Some(v) => {
            let enabled = v.eq_ignore_ascii_case("enabled");
            let suspended = v.eq_ignore_ascii_case("suspended");
            let (s_off, d_off) =
                if enabled || suspended { (Status::Pass, format!("versioning {v}")) } else { (Status::Fail, "versioning never enabled".to_owned()) };
            out.push("s3_versioning_off", &b.meta, id, s_off, d_off);
            let (s_sus, d_sus) =
                if suspended { (Status::Fail, "versioning Suspended".to_owned()) } else { (Status::Pass, format!("versioning {v}")) };
            out.push("s3_versioning_suspended", &b.meta, id, s_sus, d_sus);
        }
    }
    // Access logging.
    let (status, detail) = match &b.logging {
        Known::Unknown => (Status::Unknown, "access logging not in this snapshot".to_owned()),
        Known::Absent => (Status::Fail, "no server access logging".to_owned()),
        Known::Present(target) => (Status::Pass, format!("server access logging to {target}")),
    };
    out.push("s3_access_logging_off", &b.meta, id, status, detail);
}

/// Statements of a policy document (object or array).
fn statements(doc: &Value) -> Vec<&Value> {
    match doc.get("Statement") {
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
    statement.get("Effect").and_then(Value::as_str).is_some_and(|e| e.eq_ignore_ascii_case(effect))
}

fn principal_is_everyone(statement: &Value) -> bool {
    match statement.get("Principal") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => map.get("AWS").is_some_and(|v| strings(Some(v)).contains(&"*")),
        _ => false,
    }
}

fn has_condition(statement: &Value) -> bool {
    statement.get("Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
}

/// The actions an unconditioned `Allow` to `*` grants, if any.
fn public_grant(doc: &Value) -> Option<String> {
    statements(doc)
        .into_iter()
        .find(|s| effect_is(s, "Allow") && principal_is_everyone(s) && !has_condition(s))
        .map(|s| {
            let actions = strings(s.get("Action"));
            if actions.is_empty() { "access".to_owned() } else { actions.join(", ") }
        })
}

fn denies_insecure_transport(doc: &Value) -> bool {
    statements(doc).into_iter().filter(|s| effect_is(s, "Deny")).any(|s| {
        let Some(Value::Object(cond)) = s.get("Condition") else { return false };
        cond.iter().filter(|(op, _)| op.starts_with("Bool")).any(|(_, kv)| {
            kv.as_object().is_some_and(|m| {
                m.iter().any(|(k, v)| {
                    k.eq_ignore_ascii_case("aws:SecureTransport")
                        && match v {
                            Value::Bool(b) => !b,
                            Value::String(s) => s.eq_ignore_ascii_case("false"),
                            Value::Array(a) => a.iter().any(|x| x == &Value::Bool(false) || x.as_str() == Some("false")),
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
    let groups = [("sg_open_ssh_world", "SSH"), ("sg_open_rdp_world", "RDP"), ("sg_open_db_world", "database")];
    for sg in &facts.security_groups {
        for (key, what) in groups {
            let ports = out.check(key).map(|c| c.params.ports.clone()).unwrap_or_default();
            let (status, detail) = match &sg.ingress {
                None => (Status::Unknown, "inbound rules not in this snapshot".to_owned()),
                Some(rules) => {
                    let open: Vec<String> = ports
                        .iter()
                        .filter_map(|&p| rules.iter().find_map(|r| rule_opens(r, p)).map(|cidr| format!("tcp/{p} from {cidr}")))
                        .collect();
                    if open.is_empty() {
                        (Status::Pass, format!("no inbound {what} port open to the internet"))
                    } else {
                        (Status::Fail, open.join(", "))
                    }
                }
            };
            out.push(key, &sg.meta, &sg.id, status, detail);
        }
        if sg.name.as_deref() == Some("default") {
            let (status, detail) = match (&sg.ingress, &sg.egress) {
                (Some(i), Some(e)) if i.is_empty() && e.is_empty() => (Status::Pass, "default security group has no rules".to_owned()),
                (Some(i), Some(e)) => (Status::Fail, format!("default security group has {} inbound and {} outbound rule(s)", i.len(), e.len())),
                (Some(i), None) if !i.is_empty() => (Status::Fail, format!("default security group has {} inbound rule(s)", i.len())),
                (None, Some(e)) if !e.is_empty() => (Status::Fail, format!("default security group has {} outbound rule(s)", e.len())),
                _ => (Status::Unknown, "rules of the default security group not in this snapshot".to_owned()),
            };
            out.push("default_sg_not_restricted", &sg.meta, &sg.id, status, detail);
        }
    }
    for acl in &facts.network_acls {
        let (status, detail) = match &acl.entries {
            None => (Status::Unknown, "NACL entries not in this snapshot".to_owned()),
            Some(entries) => {
                let mut inbound: Vec<_> = entries.iter().filter(|e| !e.egress).collect();
                inbound.sort_by_key(|e| e.rule_number);
                let decisive = inbound.into_iter().find(|e| {
                    e.cidr.as_deref().is_some_and(|c| WORLD.contains(&c)) && (e.protocol == "-1" || e.protocol.eq_ignore_ascii_case("all"))
                });
                match decisive {
                    Some(e) if e.allow => {
                        (Status::Fail, format!("rule {} allows all protocols and ports from {}", e.rule_number, e.cidr.as_deref().unwrap_or("")))
                    }
                    Some(e) => (Status::Pass, format!("rule {} denies all traffic from the internet first", e.rule_number)),
                    None => (Status::Pass, "no rule allows all traffic from the internet".to_owned()),
                }
            }
        };
        out.push("nacl_allows_all_ingress_world", &acl.meta, &acl.id, status, detail);
    }
    for vpc in &facts.vpcs {
        let covered = facts.flow_logs.iter().find(|f| f.resource_id == vpc.id && f.meta.account == vpc.meta.account);
        let listed = facts.flow_logs_listed.iter().any(|(a, r)| *a == vpc.meta.account && *r == vpc.meta.region);
        let default = if vpc.is_default == Some(true) { "default VPC" } else { "VPC" };
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
            Known::Present(ip) => (Status::Fail, format!("instance has a public IPv4 address ({ip})")),
            Known::Absent => (Status::Pass, "no public IPv4 address".to_owned()),
            Known::Unknown => (Status::Unknown, "public address not in this snapshot".to_owned()),
        };
        out.push("ec2_public_ip", &i.meta, &i.id, status, detail);
        let (status, detail) = match (i.http_endpoint.as_deref(), i.http_tokens.as_deref()) {
            (Some(e), _) if e.eq_ignore_ascii_case("disabled") => (Status::Pass, "instance metadata service disabled".to_owned()),
            (_, Some(t)) if t.eq_ignore_ascii_case("required") => (Status::Pass, "MetadataOptions.HttpTokens=required".to_owned()),
            (_, Some(t)) => (Status::Fail, format!("MetadataOptions.HttpTokens={t}")),
            (_, None) => (Status::Unknown, "metadata options not in this snapshot".to_owned()),
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
            Some(true) => (Status::Pass, format!("EBS encryption by default on in {}", d.meta.region)),
            Some(false) => (Status::Fail, format!("EbsEncryptionByDefault=false in {}", d.meta.region)),
            None => (Status::Unknown, "EBS encryption by default not in this snapshot".to_owned()),
        };
        out.push("ebs_default_encryption_off", &d.meta, &d.meta.account, status, detail);
    }
}

// ---------------------------------------------------------------------------------- databases

fn flag(out: &mut Out, key: &str, meta: &Meta, id: &str, value: Option<bool>, field: &str, fail_when: bool) {
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
        flag(out, "rds_unencrypted", &db.meta, id, db.storage_encrypted, "StorageEncrypted", false);
        flag(out, "rds_public", &db.meta, id, db.publicly_accessible, "PubliclyAccessible", true);
        flag(out, "rds_auto_minor_upgrade_off", &db.meta, id, db.auto_minor_upgrade, "AutoMinorVersionUpgrade", false);
        // For cluster members, availability, backups and deletion protection are cluster settings.
        if db.cluster.is_none() {
            flag(out, "rds_no_multi_az", &db.meta, id, db.multi_az, "MultiAZ", false);
            flag(out, "rds_deletion_protection_off", &db.meta, id, db.deletion_protection, "DeletionProtection", false);
            let (status, detail) = match db.backup_retention {
                Some(0) => (Status::Fail, "BackupRetentionPeriod=0".to_owned()),
                Some(n) => (Status::Pass, format!("BackupRetentionPeriod={n}")),
                None => (Status::Unknown, "BackupRetentionPeriod not in this snapshot".to_owned()),
            };
            out.push("rds_backups_disabled", &db.meta, id, status, detail);
        }
    }
    for c in &facts.db_clusters {
        let members = c.members.map_or_else(String::new, |n| format!(", {n} instance(s)"));
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
            None => (Status::Unknown, "point-in-time recovery not in this snapshot"),
        };
        out.push("dynamodb_pitr_off", &t.meta, &t.name, status, detail);
    }
}

// ------------------------------------------------------------------------------------ logging

fn logging(out: &mut Out, facts: &Facts) {
    let accounts: BTreeSet<&str> = facts.trails.iter().map(|t| t.meta.account.as_str()).collect();
    for account in accounts {
        let trails: Vec<_> = facts.trails.iter().filter(|t| t.meta.account == account).collect();
        let good = trails.iter().find(|t| t.multi_region == Some(true) && t.logging == Some(true));
        let maybe = trails.iter().any(|t| t.multi_region == Some(true) && t.logging.is_none());
        for t in &trails {
            let (status, detail) = match (t.multi_region, t.logging) {
                (Some(true), Some(true)) => (Status::Pass, "multi-region trail, logging".to_owned()),
                (Some(true), Some(false)) => (Status::Fail, "multi-region trail, but logging is stopped".to_owned()),
                (Some(true), None) => (Status::Unknown, "multi-region trail; logging status not in this snapshot".to_owned()),
                (Some(false), _) => match (good, maybe) {
                    (Some(g), _) => (Status::Pass, format!("IsMultiRegionTrail=false, but multi-region trail {} is logging", g.name)),
                    (None, true) => (Status::Unknown, "IsMultiRegionTrail=false; another multi-region trail's logging is unknown".to_owned()),
                    (None, false) => (Status::Fail, "IsMultiRegionTrail=false, and no multi-region trail in the account".to_owned()),
                },
                (None, _) => (Status::Unknown, "IsMultiRegionTrail not in this snapshot".to_owned()),
            };
            out.push("cloudtrail_not_multiregion", &t.meta, &t.name, status, detail);
            flag(out, "cloudtrail_log_validation_off", &t.meta, &t.name, t.log_validation, "LogFileValidationEnabled", false);
        }
    }
    for listing in &facts.trail_listings {
        if !facts.trails.iter().any(|t| t.meta.account == listing.meta.account) {
            out.push("cloudtrail_not_multiregion", &listing.meta, &listing.meta.account, Status::Fail, "no CloudTrail trail in the account");
        }
    }
    for g in &facts.guardduty {
        let (status, detail) = region_service(&g.detectors, "GuardDuty detector", "enabled", "suspended");
        out.push("guardduty_disabled", &g.meta, &g.meta.account, status, detail);
    }
    for r in &facts.recorders {
        let (status, detail) = region_service(&r.recorders, "configuration recorder", "recording", "not recording");
        out.push("config_recorder_off", &r.meta, &r.meta.account, status, detail);
    }
    for k in &facts.kms_keys {
        kms_key(out, k);
    }
}

fn region_service(items: &[(String, Option<bool>)], what: &str, on: &str, off: &str) -> (Status, String) {
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
    (Status::Unknown, format!("{what} status not in this snapshot"))
}

fn kms_key(out: &mut Out, k: &super::facts::KmsKey) {
    // Only enabled, customer-managed, symmetric keys with AWS-generated material can rotate.
    if k.manager.as_deref().is_some_and(|m| !m.eq_ignore_ascii_case("CUSTOMER"))
        || k.spec.as_deref().is_some_and(|s| s != "SYMMETRIC_DEFAULT")
        || k.origin.as_deref().is_some_and(|o| o != "AWS_KMS")
        || k.state.as_deref().is_some_and(|s| s.starts_with("Pending"))
    {
        return;
    }
    let name = k.alias.as_deref().map_or_else(String::new, |a| format!("{a}, "));
    let (status, detail) = match (k.manager.as_deref(), k.rotation) {
        (None, _) => (Status::Unknown, "key manager not in this snapshot".to_owned()),
        (_, Some(true)) => (Status::Pass, format!("customer managed key {name}KeyRotationEnabled=true")),
        (_, Some(false)) => (Status::Fail, format!("customer managed key {name}KeyRotationEnabled=false")),
        (_, None) => (Status::Unknown, "rotation status not in this snapshot".to_owned()),
    };
    out.push("kms_rotation_off", &k.meta, &k.id, status, detail);
}

// ---------------------------------------------------------------------------------------- IAM

const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

/// `(action, resource)` of the first `Allow` giving a whole service (`s3:*`) or everything (`*`)
/// on every resource; `full_only` keeps only `*` on `*`.
fn wildcard_grant(doc: &Value, full_only: bool) -> Option<String> {
    statements(doc).into_iter().filter(|s| effect_is(s, "Allow")).find_map(|s| {
        let resources = strings(s.get("Resource"));
        if !resources.contains(&"*") {
            return None;
        }
        strings(s.get("Action"))
            .into_iter()
            .find(|a| *a == "*" || (!full_only && a.ends_with(":*")))
            .map(|a| format!("{a} on *"))
    })
}

fn password_problems(p: &PasswordPolicy, min_length: i64, reuse: i64) -> Result<Vec<String>, ()> {
    let mut problems = Vec::new();
    let mut unknown = false;
    match p.min_length {
        Some(n) if n < min_length => problems.push(format!("MinimumPasswordLength={n} (<{min_length})")),
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
    if problems.is_empty() && unknown { Err(()) } else { Ok(problems) }
}

fn iam(out: &mut Out, facts: &Facts) {
    let (min_length, reuse) = out
        .check("iam_password_policy_weak")
        .map_or((14, 24), |c| (i64::from(c.params.min_length.unwrap_or(14)), i64::from(c.params.reuse.unwrap_or(24))));
    let max_days = out.check("iam_access_key_old").and_then(|c| c.params.days).unwrap_or(90);
    for a in &facts.iam_accounts {
        let id = a.meta.account.as_str();
        let basis = a.root_basis;
        let (status, detail) = match a.root_mfa {
            Some(true) => (Status::Pass, format!("root MFA enabled ({basis})")),
            Some(false) => (Status::Fail, format!("root MFA not enabled ({basis})")),
            None => (Status::Unknown, "root MFA status not in this snapshot".to_owned()),
        };
        out.push("root_no_mfa", &a.meta, id, status, detail);
        let (status, detail) = match a.root_access_keys {
            Some(true) => (Status::Fail, format!("root has an access key ({basis})")),
            Some(false) => (Status::Pass, format!("root has no access key ({basis})")),
            None => (Status::Unknown, "root access keys not in this snapshot".to_owned()),
        };
        out.push("root_access_keys", &a.meta, id, status, detail);
        let (status, detail) = match &a.password_policy {
            Known::Unknown => (Status::Unknown, "password policy not in this snapshot".to_owned()),
            Known::Absent => (Status::Fail, "no account password policy".to_owned()),
            Known::Present(p) => match password_problems(p, min_length, reuse) {
                Ok(problems) if problems.is_empty() => (Status::Pass, "password policy meets the CIS minimums".to_owned()),
                Ok(problems) => (Status::Fail, problems.join(", ")),
                Err(()) => (Status::Unknown, "password policy incomplete in this snapshot".to_owned()),
            },
        };
        out.push("iam_password_policy_weak", &a.meta, id, status, detail);
    }
    // Customer managed policies by ARN and name, to see what a user has attached.
    let customer: BTreeMap<&str, &IamPolicyDoc> =
        facts.iam_policies.iter().filter(|p| p.owner_kind == "policy").map(|p| (p.owner.as_str(), p)).collect();
    for u in &facts.iam_users {
        let id = u.name.as_str();
        let (status, detail) = match (u.console_password, u.mfa) {
            (Some(false), _) => (Status::Pass, "no console password".to_owned()),
            (Some(true), Some(true)) => (Status::Pass, "console password with MFA".to_owned()),
            (Some(true), Some(false)) => (Status::Fail, "console password, no MFA device".to_owned()),
            (Some(true), None) => (Status::Unknown, "console password; MFA devices not in this snapshot".to_owned()),
            (None, _) => (Status::Unknown, "console access not in this snapshot".to_owned()),
        };
        out.push("iam_user_no_mfa", &u.meta, id, status, detail);

        let (status, detail) = match (&u.access_keys, facts.taken_at) {
            (None, _) => (Status::Unknown, "access keys not in this snapshot".to_owned()),
            (Some(keys), taken) => {
                let active: Vec<_> = keys.iter().filter(|k| k.active).collect();
                if active.is_empty() {
                    (Status::Pass, "no active access key".to_owned())
                } else if let Some(now) = taken {
                    let limit = i64::from(max_days) * 86_400;
                    let old: Vec<String> = active
                        .iter()
                        .filter_map(|k| k.created.filter(|c| now - c > limit).map(|c| format!("{} ({} days)", k.id, (now - c) / 86_400)))
                        .collect();
                    if !old.is_empty() {
                        (Status::Fail, format!("active key older than {max_days} days: {}", old.join(", ")))
                    } else if active.iter().any(|k| k.created.is_none()) {
                        (Status::Unknown, "creation date of an active key not in this snapshot".to_owned())
                    } else {
                        (Status::Pass, format!("active keys younger than {max_days} days"))
                    }
                } else {
                    (Status::Unknown, "collection time unknown, so key ages cannot be told".to_owned())
                }
            }
        };
        out.push("iam_access_key_old", &u.meta, id, status, detail);

        let mut admin: Vec<String> = Vec::new();
        if let Some(attached) = &u.attached_policies {
            for p in attached {
                if p == ADMIN_POLICY || p == "AdministratorAccess" {
                    admin.push("AdministratorAccess attached directly".to_owned());
                } else if let Some(grant) =
                    customer.get(p.as_str()).and_then(|doc| doc.document.as_ref()).and_then(|d| wildcard_grant(d, true))
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
            (Status::Pass, "no administrator policy attached directly".to_owned())
        } else {
            (Status::Unknown, "policies attached to the user not in this snapshot".to_owned())
        };
        out.push("iam_user_admin_policy_attached", &u.meta, id, status, detail);
    }
    for p in &facts.iam_policies {
        let what = if p.owner_kind == "policy" { format!("policy {}", p.policy_name) } else { format!("inline policy {}", p.policy_name) };
        let resource = if p.owner_kind == "policy" { p.policy_name.as_str() } else { p.owner.as_str() };
        let (status, detail) = match &p.document {
            None => (Status::Unknown, format!("{what}: document not in this snapshot")),
            Some(doc) => match wildcard_grant(doc, false) {
                Some(grant) => (Status::Fail, format!("{what} allows {grant}")),
                None => (Status::Pass, format!("{what} allows no wildcard action on every resource")),
            },
        };
        out.push("iam_policy_wildcard", &p.meta, resource, status, detail);
    }
}

// --------------------------------------------------------------------------------- serverless

fn serverless(out: &mut Out, facts: &Facts) {
    let deprecated: Vec<String> = out.check("lambda_deprecated_runtime").map(|c| c.params.runtimes.clone()).unwrap_or_default();
    for f in &facts.lambdas {
        let (status, detail) = match f.runtime.as_deref() {
            Some(r) if deprecated.iter().any(|d| d == r) => (Status::Fail, format!("Runtime {r} is deprecated")),
            Some(r) => (Status::Pass, format!("Runtime {r} is supported")),
            None if f.package_type.as_deref() == Some("Image") => continue,
            None => (Status::Unknown, "runtime not in this snapshot".to_owned()),
        };
        out.push("lambda_deprecated_runtime", &f.meta, &f.name, status, detail);
    }
    for q in &facts.queues {
        let (status, detail) = match (&q.kms_key, q.sse_managed) {
            (Known::Present(k), _) => (Status::Pass, format!("KMS key {k}")),
            (_, Some(true)) => (Status::Pass, "SqsManagedSseEnabled=true".to_owned()),
            (Known::Absent, Some(false)) => (Status::Fail, "SqsManagedSseEnabled=false and no KmsMasterKeyId".to_owned()),
            _ => (Status::Unknown, "queue encryption not in this snapshot".to_owned()),
        };
        out.push("sqs_unencrypted", &q.meta, &q.name, status, detail);
    }
    for t in &facts.topics {
        let (status, detail) = match &t.kms_key {
            Known::Present(k) => (Status::Pass, format!("KMS key {k}")),
            Known::Absent => (Status::Fail, "no KmsMasterKeyId".to_owned()),
            Known::Unknown => (Status::Unknown, "topic encryption not in this snapshot".to_owned()),
        };
        out.push("sns_unencrypted", &t.meta, &t.name, status, detail);
    }
}
