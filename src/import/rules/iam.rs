//! IAM: the root user, the password policy, users' MFA, access key age and administrator
//! policies, wildcard policies.

use super::Out;
use super::policy::wildcard_grant;
use crate::import::facts::{Facts, IamAccount, IamPolicyDoc, IamUser, Known, PasswordPolicy};
use crate::model::evidence::Status;
use std::collections::BTreeMap;

const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

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

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
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
        account(out, a, min_length, reuse);
    }
    // Customer managed policies by ARN and name, to see what a user has attached.
    let customer: BTreeMap<&str, &IamPolicyDoc> = facts
        .iam_policies
        .iter()
        .filter(|p| p.owner_kind == "policy")
        .map(|p| (p.owner.as_str(), p))
        .collect();
    for u in &facts.iam_users {
        user_mfa(out, u);
        access_key_age(out, u, facts.taken_at, max_days);
        admin_policy(out, u, &customer);
    }
    for p in &facts.iam_policies {
        policy(out, p);
    }
}

/// The root user's MFA and access keys, and the password policy.
fn account(out: &mut Out, a: &IamAccount, min_length: i64, reuse: i64) {
    let id = &*a.meta.account;
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

fn user_mfa(out: &mut Out, u: &IamUser) {
    let id = u.name.as_str();
    let (status, detail) = match (u.console_password, u.mfa) {
        (Some(false), _) => (Status::Pass, "no console password".to_owned()),
        (Some(true), Some(true)) => (Status::Pass, "console password with MFA".to_owned()),
        (Some(true), Some(false)) => (Status::Fail, "console password, no MFA device".to_owned()),
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
}

fn access_key_age(out: &mut Out, u: &IamUser, taken_at: Option<i64>, max_days: u32) {
    let id = u.name.as_str();
    let (status, detail) = match (&u.access_keys, taken_at) {
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
}

/// An administrator policy attached to the user directly; `customer`: customer managed
/// policies by ARN and name.
fn admin_policy(out: &mut Out, u: &IamUser, customer: &BTreeMap<&str, &IamPolicyDoc>) {
    let id = u.name.as_str();
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

fn policy(out: &mut Out, p: &IamPolicyDoc) {
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
    // AWS managed policies are AWS's, not the customer's: neither check judges them.
    if p.owner_kind == "policy" && p.owner.starts_with("arn:aws:iam::aws:policy/") {
        return;
    }
    // Full administrative access (`*` on `*`) and a whole service on every resource (`s3:*` on
    // `*`) are different findings of different weight (Security Hub IAM.1 and IAM.21).
    let (admin, service) = match &p.document {
        None => {
            let unknown = (
                Status::Unknown,
                format!("{what}: document not in this snapshot"),
            );
            (unknown.clone(), unknown)
        }
        Some(doc) => (
            match wildcard_grant(doc, true) {
                Some(grant) => (Status::Fail, format!("{what} allows {grant}")),
                None => (
                    Status::Pass,
                    format!("{what} does not allow * on every resource"),
                ),
            },
            match service_wildcard(doc) {
                Some(grant) => (Status::Fail, format!("{what} allows {grant}")),
                None => (
                    Status::Pass,
                    format!("{what} allows no whole service on every resource"),
                ),
            },
        ),
    };
    out.push("iam_policy_wildcard", &p.meta, resource, admin.0, admin.1);
    out.push(
        "iam_policy_service_wildcard",
        &p.meta,
        resource,
        service.0,
        service.1,
    );
}

/// A whole service (`s3:*`) allowed on every resource; `*` alone is the admin finding.
fn service_wildcard(doc: &serde_json::Value) -> Option<String> {
    wildcard_grant(doc, false).filter(|g| !g.starts_with("* on"))
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use super::ADMIN_POLICY;
    use crate::import::facts::{
        AccessKey, Facts, IamAccount, IamPolicyDoc, IamUser, Known, PasswordPolicy,
    };
    use crate::model::evidence::Status::{Fail, Pass, Unknown};
    use serde_json::json;

    fn accounts(f: &mut Facts) {
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
    }

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts {
            taken_at: Some(100 * 86_400),
            ..Facts::default()
        };
        accounts(&mut f);
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
            owner_kind: "policy",
            owner: "arn:aws:iam::1:policy/p-admin".to_owned(),
            policy_name: "p-admin".to_owned(),
            document: Some(
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            ),
        });
        // An AWS managed policy is judged by neither check.
        f.iam_policies.push(IamPolicyDoc {
            meta: meta("1"),
            owner_kind: "policy",
            owner: "arn:aws:iam::aws:policy/AdministratorAccess".to_owned(),
            policy_name: "AdministratorAccess".to_owned(),
            document: Some(
                json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}),
            ),
        });
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
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        ("root_no_mfa", &[("1", Fail), ("2", Pass), ("3", Unknown)]),
        (
            "root_access_keys",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
        (
            "iam_password_policy_weak",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
        (
            "iam_user_no_mfa",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
        ),
        (
            "iam_access_key_old",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
        ),
        (
            "iam_user_admin_policy_attached",
            &[("u-bad", Fail), ("u-good", Pass), ("u-unknown", Unknown)],
        ),
        (
            "iam_policy_wildcard",
            &[
                ("p-admin", Fail),
                ("r-wild", Pass),
                ("narrow", Pass),
                ("p-unknown", Unknown),
            ],
        ),
        (
            "iam_policy_service_wildcard",
            &[
                ("p-admin", Pass),
                ("r-wild", Fail),
                ("narrow", Pass),
                ("p-unknown", Unknown),
            ],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        expect(&run(&facts(), super::evaluate), CASES);
    }
}
