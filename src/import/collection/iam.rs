//! IAM: the account (root user from the credential report or the account summary, password
//! policy), users (console access, MFA, access keys, attached and inline policies), and the
//! policies of groups, roles and customer managed policies.

use super::manifest::{Call, Outcome};
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{
    epoch_seconds, loose_bool, loose_i64, parse_iso, policy_document, text,
};
use crate::import::facts::{
    AccessKey, IamAccount, IamPolicyDoc, IamUser, Known, Meta, PasswordPolicy,
};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One row of the credential report, by column name.
type Row = BTreeMap<String, String>;

impl Collector<'_> {
    pub(super) fn iam(&self, sink: &mut Sink) {
        let rows = self
            .calls
            .one("iam", "get-credential-report", None)
            .and_then(Call::ok)
            .and_then(|v| text(v.get("Content")))
            .and_then(|c| credential_report(&c));
        self.iam_account(sink, rows.as_deref());
        // Users: the authorization details have everything about policies.
        let details = self
            .calls
            .one("iam", "get-account-authorization-details", None);
        let detail_users = list(details.and_then(Call::ok), "UserDetailList");
        let listed = self.calls.one("iam", "list-users", None);
        // Users by name (the first listed of each), so each user is one lookup, not a scan.
        let mut details_by_name: HashMap<&str, &Value> = HashMap::new();
        for u in detail_users {
            if let Some(name) = u.get("UserName").and_then(Value::as_str) {
                details_by_name.entry(name).or_insert(u);
            }
        }
        let mut rows_by_user: HashMap<&str, &Row> = HashMap::new();
        for row in rows.iter().flatten() {
            if let Some(user) = row.get("user") {
                rows_by_user.entry(user.as_str()).or_insert(row);
            }
        }
        let mut names: Vec<String> = Vec::new();
        let mut seen: HashSet<String> = HashSet::new();
        let listed_users = list(listed.and_then(Call::ok), "Users");
        for u in detail_users.iter().chain(listed_users) {
            if let Some(n) = text(u.get("UserName"))
                && seen.insert(n.clone())
            {
                names.push(n);
            }
        }
        // Users the credential report lists and the other outputs do not (taken at another
        // time): the report alone says enough for MFA and access keys.
        for row in rows.iter().flatten() {
            if let Some(n) = row.get("user")
                && n != "<root_account>"
                && !names.contains(n)
            {
                names.push(n.clone());
            }
        }
        for name in &names {
            let detail = details_by_name.get(name.as_str()).copied();
            let row = rows_by_user.get(name.as_str()).copied();
            let meta = self.meta(sink, "global", details.or(listed));
            self.iam_user(sink, meta, name, detail, row);
        }
        if let Some(d) = details.and_then(Call::ok) {
            let meta = self.meta(sink, "global", details);
            iam_policies(sink, &meta, d);
        }
    }

    /// The root user and the password policy.
    fn iam_account(&self, sink: &mut Sink, rows: Option<&[Row]>) {
        let calls = self.calls;
        let summary = calls.one("iam", "get-account-summary", None);
        let report = calls.one("iam", "get-credential-report", None);
        let policy_call = calls.one("iam", "get-account-password-policy", None);
        if summary.is_none() && report.is_none() && policy_call.is_none() {
            return;
        }
        let meta = self.meta(sink, "global", summary.or(report).or(policy_call));
        let mut account = IamAccount {
            meta,
            ..IamAccount::default()
        };
        let root = rows.and_then(|r| {
            r.iter()
                .find(|row| row.get("user").map(String::as_str) == Some("<root_account>"))
        });
        if let Some(root) = root {
            account.root_basis = "credential report";
            account.root_mfa = root.get("mfa_active").and_then(|v| report_bool(v));
            let k1 = root.get("access_key_1_active").and_then(|v| report_bool(v));
            let k2 = root.get("access_key_2_active").and_then(|v| report_bool(v));
            account.root_access_keys = match (k1, k2) {
                (Some(a), Some(b)) => Some(a || b),
                _ => None,
            };
        } else if let Some(map) = summary.and_then(Call::ok).and_then(|v| v.get("SummaryMap")) {
            account.root_basis = "GetAccountSummary";
            account.root_mfa = loose_i64(map.get("AccountMFAEnabled")).map(|n| n > 0);
            account.root_access_keys =
                loose_i64(map.get("AccountAccessKeysPresent")).map(|n| n > 0);
        }
        account.password_policy = match policy_call {
            Some(c) => match (&c.outcome, c.ok().and_then(|v| v.get("PasswordPolicy"))) {
                (_, Some(p)) => Known::Present(PasswordPolicy {
                    min_length: loose_i64(p.get("MinimumPasswordLength")),
                    require_symbols: loose_bool(p.get("RequireSymbols")),
                    require_numbers: loose_bool(p.get("RequireNumbers")),
                    require_uppercase: loose_bool(p.get("RequireUppercaseCharacters")),
                    require_lowercase: loose_bool(p.get("RequireLowercaseCharacters")),
                    reuse_prevention: loose_i64(p.get("PasswordReusePrevention")),
                }),
                (Outcome::Error(code), _) if code == "NoSuchEntity" => Known::Absent,
                _ => Known::Unknown,
            },
            None => Known::Unknown,
        };
        sink.facts.iam_accounts.push(account);
    }

    /// One user, from its authorization details (`detail`), the per-user calls, or the
    /// credential report (`row`), in that order of preference.
    fn iam_user(
        &self,
        sink: &mut Sink,
        meta: Meta,
        name: &str,
        detail: Option<&Value>,
        row: Option<&Row>,
    ) {
        let per_user = |op: &str| {
            self.calls
                .with_param("iam", op, "--user-name", name, self.home)
        };
        let console_password = match per_user("get-login-profile").map(|c| &c.outcome) {
            Some(Outcome::Ok(_)) => Some(true),
            Some(Outcome::Error(code)) if code == "NoSuchEntity" => Some(false),
            _ => row
                .and_then(|r| r.get("password_enabled"))
                .and_then(|v| report_bool(v)),
        };
        let mfa = match per_user("list-mfa-devices").and_then(Call::ok) {
            Some(v) => Some(!list(Some(v), "MFADevices").is_empty()),
            None => row
                .and_then(|r| r.get("mfa_active"))
                .and_then(|v| report_bool(v)),
        };
        let access_keys = match per_user("list-access-keys").and_then(Call::ok) {
            Some(v) => Some(listed_keys(v)),
            None => row.map(report_keys),
        };
        let attached = match detail {
            Some(d) => Some(policy_arns(d, "AttachedManagedPolicies")),
            None => per_user("list-attached-user-policies")
                .and_then(Call::ok)
                .map(|v| policy_arns(v, "AttachedPolicies")),
        };
        let inline: Option<Vec<(String, Value)>> = match detail {
            Some(d) => Some(
                list(Some(d), "UserPolicyList")
                    .iter()
                    .filter_map(|p| {
                        Some((
                            text(p.get("PolicyName"))?,
                            p.get("PolicyDocument").and_then(policy_document)?,
                        ))
                    })
                    .collect(),
            ),
            // Only names without the details: documents unknown unless there are none.
            None => per_user("list-user-policies")
                .and_then(Call::ok)
                .and_then(|v| {
                    if list(Some(v), "PolicyNames").is_empty() {
                        Some(Vec::new())
                    } else {
                        None
                    }
                }),
        };
        for (policy_name, document) in inline.iter().flatten() {
            sink.facts.iam_policies.push(IamPolicyDoc {
                meta: meta.clone(),
                owner_kind: "user",
                owner: name.to_owned(),
                policy_name: policy_name.clone(),
                document: Some(document.clone()),
            });
        }
        sink.resource("AWS::IAM::User", name, &meta, None);
        sink.facts.iam_users.push(IamUser {
            meta,
            name: name.to_owned(),
            console_password,
            mfa,
            access_keys,
            attached_policies: attached,
            inline_policies: inline,
        });
    }
}

/// Inline policies of groups and roles, and customer managed policies (their default version),
/// from the authorization details.
fn iam_policies(sink: &mut Sink, meta: &Meta, details: &Value) {
    for (key, kind, list_key, name_key) in [
        ("GroupDetailList", "group", "GroupPolicyList", "GroupName"),
        ("RoleDetailList", "role", "RolePolicyList", "RoleName"),
    ] {
        for g in list(Some(details), key) {
            let Some(owner) = text(g.get(name_key)) else {
                continue;
            };
            for p in list(Some(g), list_key) {
                if let (Some(policy_name), Some(document)) = (
                    text(p.get("PolicyName")),
                    p.get("PolicyDocument").and_then(policy_document),
                ) {
                    sink.facts.iam_policies.push(IamPolicyDoc {
                        meta: meta.clone(),
                        owner_kind: kind,
                        owner: owner.clone(),
                        policy_name,
                        document: Some(document),
                    });
                }
            }
        }
    }
    for p in list(Some(details), "Policies") {
        let (Some(arn), Some(name)) = (text(p.get("Arn")), text(p.get("PolicyName"))) else {
            continue;
        };
        let document = list(Some(p), "PolicyVersionList")
            .iter()
            .find(|v| loose_bool(v.get("IsDefaultVersion")) == Some(true))
            .and_then(|v| v.get("Document"))
            .and_then(policy_document);
        sink.facts.iam_policies.push(IamPolicyDoc {
            meta: meta.clone(),
            owner_kind: "policy",
            owner: arn,
            policy_name: name,
            document,
        });
    }
}

/// The `PolicyArn` of each entry of a list of attached policies.
fn policy_arns(v: &Value, key: &str) -> Vec<String> {
    list(Some(v), key)
        .iter()
        .filter_map(|p| text(p.get("PolicyArn")))
        .collect()
}

/// Access keys from `list-access-keys`.
fn listed_keys(v: &Value) -> Vec<AccessKey> {
    list(Some(v), "AccessKeyMetadata")
        .iter()
        .map(|k| AccessKey {
            id: text(k.get("AccessKeyId")).unwrap_or_default(),
            active: k.get("Status").and_then(Value::as_str) == Some("Active"),
            created: k.get("CreateDate").and_then(epoch_seconds),
        })
        .collect()
}

/// Access keys from the credential report (no ids: "access key 1", "access key 2").
fn report_keys(r: &Row) -> Vec<AccessKey> {
    (1..=2)
        .filter_map(|n| {
            let active = report_bool(r.get(&format!("access_key_{n}_active"))?)?;
            Some(AccessKey {
                id: format!("access key {n}"),
                active,
                created: r
                    .get(&format!("access_key_{n}_last_rotated"))
                    .and_then(|t| parse_iso(t)),
            })
        })
        .collect()
}

fn report_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The IAM credential report: base64 CSV (as the CLI prints it), or the CSV itself (as SDKs
/// such as boto3 return it) -> one map per row (by header). Rows with nothing but blanks are
/// skipped; a short row maps only the columns it has.
fn credential_report(content: &str) -> Option<Vec<Row>> {
    let text = if content.trim_start().starts_with("user,arn,") {
        content.to_owned()
    } else {
        String::from_utf8(base64_decode(content)?).ok()?
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers().ok()?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.ok()?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        rows.push(
            header
                .iter()
                .map(str::to_owned)
                .zip(record.iter().map(str::to_owned))
                .collect(),
        );
    }
    Some(rows)
}

/// Base64 as the CLI writes blobs (standard alphabet, or URL-safe), padded or not, with line
/// breaks or spaces anywhere.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    use base64::alphabet;
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    const CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true);
    const STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, CONFIG);
    const URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, CONFIG);
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, '\n' | '\r' | ' '))
        .collect();
    STANDARD
        .decode(&compact)
        .or_else(|_| URL_SAFE.decode(&compact))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_credential_report() {
        assert_eq!(base64_decode("aGVsbG8=").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("a*b"), None);
        let rows = credential_report("dXNlcixtZmFfYWN0aXZlCjxyb290X2FjY291bnQ+LGZhbHNlCg==")
            .expect("report");
        assert_eq!(
            rows[0].get("user").map(String::as_str),
            Some("<root_account>")
        );
        assert_eq!(rows[0].get("mfa_active").map(String::as_str), Some("false"));
    }

    #[test]
    fn plain_csv_as_sdks_return_it() {
        let rows = credential_report(
            "user,arn,user_creation_time,password_enabled,mfa_active\nalice,arn:aws:iam::1:user/alice,2020-01-01T00:00:00+00:00,true,false\n",
        )
        .expect("reads");
        assert_eq!(rows[0]["user"], "alice");
        assert_eq!(rows[0]["mfa_active"], "false");
    }

    #[test]
    fn base64_as_the_cli_writes_it() {
        use base64::Engine as _;
        // Unpadded, URL-safe, and wrapped at 76 columns with CRLF, as some tools write it.
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("-_8=").as_deref(), Some(&[0xfb, 0xff][..]));
        let long = vec![b'x'; 200];
        let encoded = base64::engine::general_purpose::STANDARD.encode(&long);
        let wrapped: Vec<&str> = encoded
            .as_bytes()
            .chunks(76)
            .map(|c| std::str::from_utf8(c).expect("ascii"))
            .collect();
        assert_eq!(base64_decode(&wrapped.join("\r\n")), Some(long));
    }

    #[test]
    fn credential_report_reads_real_csv() {
        use base64::Engine as _;
        let csv = "user,arn,password_enabled,mfa_active\n\
                   <root_account>,arn:aws:iam::1:root,not_supported,true\n\
                   \n\
                   \"alice, ops\",arn:aws:iam::1:user/alice,true,false\r\n\
                   short\n";
        let encoded = base64::engine::general_purpose::STANDARD.encode(csv);
        let rows = credential_report(&encoded).expect("report");
        assert_eq!(rows.len(), 3, "{rows:?}");
        assert_eq!(rows[0]["mfa_active"], "true");
        // A quoted field may hold a comma; CRLF line ends do not leak into the last column.
        assert_eq!(rows[1]["user"], "alice, ops");
        assert_eq!(rows[1]["mfa_active"], "false");
        assert_eq!(rows[2]["user"], "short");
        assert!(!rows[2].contains_key("mfa_active"));
        assert_eq!(
            credential_report(&base64::engine::general_purpose::STANDARD.encode([0xff, 0xfe])),
            None
        );
    }
}
