//! S3: account and bucket Block Public Access, public policies, TLS, default encryption,
//! versioning, server access logging.

use super::Out;
use super::policy::{denies_insecure_transport, public_grant};
use crate::import::facts::{AccountBpa, Bpa, Facts, Known, S3Bucket};
use crate::model::evidence::Status;
use std::collections::{BTreeSet, HashMap};

fn false_flags(bpa: Bpa) -> Vec<&'static str> {
    bpa.flags()
        .into_iter()
        .filter(|(_, v)| *v == Some(false))
        .map(|(n, _)| n)
        .collect()
}

/// Whether the account-level Block Public Access is all on, for one account's setting.
fn account_bpa_on(account: Option<&AccountBpa>) -> Option<bool> {
    match &account?.bpa {
        Known::Unknown => None,
        Known::Absent => Some(false),
        Known::Present(bpa) => bpa.all_on(),
    }
}

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
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
            Known::Present(t) if *t != b.name => Some((&*b.meta.account, t.as_str())),
            _ => None,
        })
        .collect();
    // The account-level setting of each account (the first listed), looked up per bucket.
    let mut accounts: HashMap<&str, &AccountBpa> = HashMap::new();
    for a in &facts.account_bpa {
        accounts.entry(&*a.meta.account).or_insert(a);
    }
    for b in &facts.buckets {
        if out.cancelled() {
            return;
        }
        let is_target = targets.contains(&(&*b.meta.account, b.name.as_str()));
        let account_on = account_bpa_on(accounts.get(&*b.meta.account).copied());
        bucket(out, b, account_on, is_target);
    }
}

fn bucket(out: &mut Out, b: &S3Bucket, account_on: Option<bool>, is_log_target: bool) {
    block_public_access(out, b, account_on);
    policy(out, b);
    encryption_and_versioning(out, b);
    access_logging(out, b, is_log_target);
}

/// Block Public Access: missing, or partial.
fn block_public_access(out: &mut Out, b: &S3Bucket, account_on: Option<bool>) {
    let id = b.name.as_str();
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
}

/// A public bucket policy, and whether the policy enforces TLS.
fn policy(out: &mut Out, b: &S3Bucket) {
    let id = b.name.as_str();
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
}

fn encryption_and_versioning(out: &mut Out, b: &S3Bucket) {
    let id = b.name.as_str();
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
}

fn access_logging(out: &mut Out, b: &S3Bucket, is_log_target: bool) {
    let id = b.name.as_str();
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

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{AccountBpa, Bpa, Facts, Known, S3Bucket};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};
    use serde_json::json;

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

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
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
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        (
            "s3_account_public_access_block_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
        (
            "s3_public_access_block_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("b-covered", Pass),
                ("b-maybe", Unknown),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_public_access_block_partial",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_bucket_policy_public",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-bad", Pass),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_tls_not_enforced",
            &[
                ("b-bad", Fail),
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_default_encryption_off",
            &[("b-bad", Fail), ("b-good", Pass), ("b-unknown", Unknown)],
        ),
        (
            "s3_versioning_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("b-partial", Pass),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_versioning_suspended",
            &[
                ("b-partial", Fail),
                ("b-good", Pass),
                ("b-bad", Pass),
                ("b-unknown", Unknown),
            ],
        ),
        (
            "s3_access_logging_off",
            &[
                ("b-bad", Fail),
                ("b-good", Pass),
                ("logs", Pass),
                ("b-unknown", Unknown),
            ],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        expect(&run(&facts(), super::evaluate), CASES);
    }
}
