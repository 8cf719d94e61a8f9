//! AWS CLI collections: a folder (or zip) of `aws ... --output json` outputs plus a
//! `manifest.json` listing every call (service, operation, region, params, status, file), as
//! written by `scripts/collect-aws-snapshot.sh`. The manifest, not the file names, says what each
//! file is. Failed calls are evidence too (`NoSuchPublicAccessBlockConfiguration`, ...).
//! Timestamps may be CLI v2 ISO strings or CLI v1 epoch numbers.

use super::common::{
    canonical_id, epoch_seconds, loose_bool, loose_i64, parse_iso, policy_document,
    service_for_arn, text, type_for_arn,
};
use super::facts::{
    AccessKey, AccountBpa, Bpa, DbCluster, DbInstance, DynamoTable, EbsDefault, FlowLog,
    GuardDutyRegion, IamAccount, IamPolicyDoc, IamUser, Instance, KmsKey, Known, LambdaFunction,
    Meta, NetworkAcl, PasswordPolicy, RecorderRegion, S3Bucket, SecurityGroup, SgRule, SnsTopic,
    SqsQueue, Trail, TrailListing, Volume, Vpc,
};
use super::{ImportCtx, ImportError, Progress, Sink};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, SourceFormat};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Access to a collection's files by their path relative to the collection root.
pub trait CollectionFiles {
    /// The entry's bytes, `Ok(None)` when it does not exist, `Err` with a reason when it cannot
    /// be read (too large, unsafe path, I/O error).
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String>;
}

/// An in-memory collection (tests, or archives already unpacked).
impl CollectionFiles for BTreeMap<String, Vec<u8>> {
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.get(name).cloned())
    }
}

enum Outcome {
    Ok(Value),
    Error(String),
    /// The file is missing or unreadable (a warning says why).
    Missing,
}

struct Call {
    service: String,
    operation: String,
    region: String,
    params: Map<String, Value>,
    outcome: Outcome,
    file: String,
}

impl Call {
    fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(Value::as_str)
    }
    fn ok(&self) -> Option<&Value> {
        match &self.outcome {
            Outcome::Ok(v) => Some(v),
            _ => None,
        }
    }
}

struct Calls {
    list: Vec<Call>,
}

impl Calls {
    fn find<'a>(
        &'a self,
        service: &'a str,
        operation: &'a str,
    ) -> impl Iterator<Item = &'a Call> + 'a {
        self.list
            .iter()
            .filter(move |c| c.service == service && c.operation == operation)
    }
    fn all(&self, service: &str, operation: &str) -> Vec<&Call> {
        self.list
            .iter()
            .filter(|c| c.service == service && c.operation == operation)
            .collect()
    }
    fn one(&self, service: &str, operation: &str, region: Option<&str>) -> Option<&Call> {
        self.all(service, operation)
            .into_iter()
            .find(|c| region.is_none_or(|r| c.region == r))
    }
    fn with_param(
        &self,
        service: &str,
        operation: &str,
        param: &str,
        value: &str,
        region: &str,
    ) -> Option<&Call> {
        let all = self.all(service, operation);
        all.iter()
            .find(|c| c.param(param) == Some(value) && c.region == region)
            .or_else(|| all.iter().find(|c| c.param(param) == Some(value)))
            .copied()
    }
}

/// The error code in a CLI error message: `An error occurred (NoSuchEntity) when ...`.
fn error_code(stderr: &str) -> Option<String> {
    let start = stderr.find("An error occurred (")? + "An error occurred (".len();
    let end = stderr[start..].find(')')?;
    Some(stderr[start..start + end].to_owned())
}

fn path_in(root: &str, file: &str) -> String {
    format!("{}/{}", root.trim_end_matches('/'), file)
}

/// Imports a collection whose files `files` serves. `total` is the collection's size in bytes,
/// when known, for progress.
pub fn import(
    catalog: &Catalog,
    root: &str,
    files: &mut dyn CollectionFiles,
    total: Option<u64>,
    ctx: &mut ImportCtx,
) -> Result<Evidence, ImportError> {
    let manifest_path = path_in(root, "manifest.json");
    let manifest_bytes = match files.read("manifest.json") {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(ImportError::Unsupported {
                path: root.to_owned(),
                what: "no manifest.json: not an AWS CLI collection made by scripts/collect-aws-snapshot.sh".to_owned(),
            });
        }
        Err(message) => {
            return Err(ImportError::Io {
                path: manifest_path,
                message,
            });
        }
    };
    let manifest: Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| ImportError::Invalid {
            path: manifest_path.clone(),
            location: format!("line {}, column {}", e.line(), e.column()),
            message: format!("manifest.json is not valid JSON: {e}"),
        })?;
    let Some(commands) = manifest.get("commands").and_then(Value::as_array) else {
        return Err(ImportError::Invalid {
            path: manifest_path,
            location: String::new(),
            message: "manifest.json has no \"commands\" list".to_owned(),
        });
    };
    let mut sink = Sink::new(catalog, root);
    let mut read_bytes = manifest_bytes.len() as u64;
    let home = text(manifest.get("region")).unwrap_or_default();
    let mut calls = Calls {
        list: Vec::with_capacity(commands.len()),
    };
    let mut findings: Vec<(String, Vec<u8>)> = Vec::new();
    for (index, command) in commands.iter().enumerate() {
        if ctx.cancel.load(Ordering::Relaxed) {
            return Err(ImportError::Cancelled {
                path: root.to_owned(),
            });
        }
        (ctx.progress)(Progress {
            bytes_read: read_bytes,
            total,
        });
        let location = format!("manifest.json commands[{index}]");
        let (Some(service), Some(operation), Some(file)) = (
            text(command.get("service")),
            text(command.get("operation")),
            text(command.get("file")),
        ) else {
            sink.warn(
                root,
                location,
                "entry skipped: no service, operation or file",
            );
            continue;
        };
        let region = text(command.get("region")).unwrap_or_else(|| home.clone());
        let params = command
            .get("params")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let failed = command.get("status").and_then(Value::as_str) == Some("error")
            || Path::new(&file)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("err"));
        let outcome = match files.read(&file) {
            Err(message) => {
                sink.warn(&path_in(root, &file), "", format!("not read: {message}"));
                Outcome::Missing
            }
            Ok(None) => {
                sink.warn(
                    &path_in(root, &file),
                    &location,
                    "listed in manifest.json but missing",
                );
                if failed {
                    text(command.get("error_code")).map_or(Outcome::Missing, Outcome::Error)
                } else {
                    Outcome::Missing
                }
            }
            Ok(Some(bytes)) => {
                read_bytes += bytes.len() as u64;
                if failed {
                    let code = text(command.get("error_code"))
                        .or_else(|| error_code(&String::from_utf8_lossy(&bytes)));
                    code.map_or(Outcome::Missing, Outcome::Error)
                } else if service == "securityhub" && operation == "get-findings" {
                    findings.push((file.clone(), bytes));
                    Outcome::Missing
                } else {
                    match serde_json::from_slice::<Value>(&bytes) {
                        Ok(v) => Outcome::Ok(v),
                        Err(e) => {
                            sink.warn(
                                &path_in(root, &file),
                                format!("line {}, column {}", e.line(), e.column()),
                                format!("output skipped: not valid JSON ({e})"),
                            );
                            Outcome::Missing
                        }
                    }
                }
            }
        };
        calls.list.push(Call {
            service,
            operation,
            region,
            params,
            outcome,
            file,
        });
    }
    let account = text(manifest.get("account_id"))
        .or_else(|| {
            calls
                .one("sts", "get-caller-identity", None)
                .and_then(Call::ok)
                .and_then(|v| text(v.get("Account")))
        })
        .unwrap_or_default();
    sink.facts.taken_at = manifest.get("collected_at").and_then(epoch_seconds);
    let mut regions: BTreeSet<String> = manifest
        .get("regions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| text(Some(r)))
        .collect();
    if regions.is_empty() && !home.is_empty() {
        regions.insert(home.clone());
    }
    let c = Collector {
        root,
        account: &account,
        home: &home,
        calls: &calls,
    };
    c.iam(&mut sink);
    c.s3(&mut sink);
    for region in &regions {
        c.regional(&mut sink, region);
    }
    c.generic(&mut sink);
    let mut evidence = sink.finish(SourceFormat::AwsCliCollection);
    // Security Hub findings collected alongside are their own source.
    for (file, bytes) in findings {
        let path = path_in(root, &file);
        match super::import_reader(
            catalog,
            &path,
            bytes.as_slice(),
            Some(bytes.len() as u64),
            ctx,
        ) {
            Ok(found) => evidence.merge(found),
            Err(ImportError::Cancelled { .. }) => {
                return Err(ImportError::Cancelled {
                    path: root.to_owned(),
                });
            }
            Err(e) => evidence.warnings.push(crate::model::evidence::Warning::new(
                path,
                "",
                format!("not imported: {e}"),
            )),
        }
    }
    Ok(evidence)
}

struct Collector<'a> {
    root: &'a str,
    account: &'a str,
    home: &'a str,
    calls: &'a Calls,
}

/// Records whose field holds a list, in a CLI output.
fn list<'v>(value: Option<&'v Value>, key: &str) -> &'v [Value] {
    value
        .and_then(|v| v.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn tag_name(v: &Value) -> Option<String> {
    list(Some(v), "Tags")
        .iter()
        .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
        .and_then(|t| text(t.get("Value")))
}

impl Collector<'_> {
    fn meta(&self, sink: &mut Sink, region: &str, call: Option<&Call>) -> Meta {
        let source = call.map_or_else(|| self.root.to_owned(), |c| path_in(self.root, &c.file));
        sink.meta(self.account, region, &source)
    }

    // ------------------------------------------------------------------------------------ IAM
    fn iam(&self, sink: &mut Sink) {
        let calls = self.calls;
        let summary = calls.one("iam", "get-account-summary", None);
        let report = calls.one("iam", "get-credential-report", None);
        let rows = report
            .and_then(Call::ok)
            .and_then(|v| text(v.get("Content")))
            .and_then(|c| credential_report(&c));
        let policy_call = calls.one("iam", "get-account-password-policy", None);
        if summary.is_some() || report.is_some() || policy_call.is_some() {
            let meta = self.meta(sink, "global", summary.or(report).or(policy_call));
            let mut account = IamAccount {
                meta,
                ..IamAccount::default()
            };
            let root = rows.as_ref().and_then(|r| {
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
        // Users: the authorization details have everything about policies.
        let details = calls.one("iam", "get-account-authorization-details", None);
        let detail_users = list(details.and_then(Call::ok), "UserDetailList");
        let listed = calls.one("iam", "list-users", None);
        let mut names: Vec<String> = detail_users
            .iter()
            .filter_map(|u| text(u.get("UserName")))
            .collect();
        for u in list(listed.and_then(Call::ok), "Users") {
            if let Some(n) = text(u.get("UserName"))
                && !names.contains(&n)
            {
                names.push(n);
            }
        }
        for name in &names {
            let detail = detail_users
                .iter()
                .find(|u| u.get("UserName").and_then(Value::as_str) == Some(name.as_str()));
            let row = rows
                .as_ref()
                .and_then(|r| r.iter().find(|row| row.get("user") == Some(name)));
            let meta = self.meta(sink, "global", details.or(listed));
            let login =
                calls.with_param("iam", "get-login-profile", "--user-name", name, self.home);
            let console_password = match login.map(|c| &c.outcome) {
                Some(Outcome::Ok(_)) => Some(true),
                Some(Outcome::Error(code)) if code == "NoSuchEntity" => Some(false),
                _ => row
                    .and_then(|r| r.get("password_enabled"))
                    .and_then(|v| report_bool(v)),
            };
            let mfa = match calls
                .with_param("iam", "list-mfa-devices", "--user-name", name, self.home)
                .and_then(Call::ok)
            {
                Some(v) => Some(!list(Some(v), "MFADevices").is_empty()),
                None => row
                    .and_then(|r| r.get("mfa_active"))
                    .and_then(|v| report_bool(v)),
            };
            let access_keys = match calls
                .with_param("iam", "list-access-keys", "--user-name", name, self.home)
                .and_then(Call::ok)
            {
                Some(v) => Some(
                    list(Some(v), "AccessKeyMetadata")
                        .iter()
                        .map(|k| AccessKey {
                            id: text(k.get("AccessKeyId")).unwrap_or_default(),
                            active: k.get("Status").and_then(Value::as_str) == Some("Active"),
                            created: k.get("CreateDate").and_then(epoch_seconds),
                        })
                        .collect(),
                ),
                None => row.map(|r| {
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
                }),
            };
            let attached = match detail {
                Some(d) => Some(
                    list(Some(d), "AttachedManagedPolicies")
                        .iter()
                        .filter_map(|p| text(p.get("PolicyArn")))
                        .collect(),
                ),
                None => calls
                    .with_param(
                        "iam",
                        "list-attached-user-policies",
                        "--user-name",
                        name,
                        self.home,
                    )
                    .and_then(Call::ok)
                    .map(|v| {
                        list(Some(v), "AttachedPolicies")
                            .iter()
                            .filter_map(|p| text(p.get("PolicyArn")))
                            .collect()
                    }),
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
                None => calls
                    .with_param("iam", "list-user-policies", "--user-name", name, self.home)
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
                    owner: name.clone(),
                    policy_name: policy_name.clone(),
                    document: Some(document.clone()),
                });
            }
            sink.resource("AWS::IAM::User", name, &meta, None);
            sink.facts.iam_users.push(IamUser {
                meta,
                name: name.clone(),
                console_password,
                mfa,
                access_keys,
                attached_policies: attached,
                inline_policies: inline,
            });
        }
        if let Some(d) = details.and_then(Call::ok) {
            let meta = self.meta(sink, "global", details);
            for (key, kind, list_key, name_key) in [
                ("GroupDetailList", "group", "GroupPolicyList", "GroupName"),
                ("RoleDetailList", "role", "RolePolicyList", "RoleName"),
            ] {
                for g in list(Some(d), key) {
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
            for p in list(Some(d), "Policies") {
                let (Some(arn), Some(name)) = (text(p.get("Arn")), text(p.get("PolicyName")))
                else {
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
    }

    // ------------------------------------------------------------------------------------- S3
    fn s3(&self, sink: &mut Sink) {
        let calls = self.calls;
        if let Some(call) = calls.one("s3control", "get-public-access-block", None) {
            let meta = self.meta(sink, "global", Some(call));
            let bpa = match (
                &call.outcome,
                call.ok()
                    .and_then(|v| v.get("PublicAccessBlockConfiguration")),
            ) {
                (_, Some(c)) => Known::Present(bpa(c)),
                (Outcome::Error(code), _) if code == "NoSuchPublicAccessBlockConfiguration" => {
                    Known::Absent
                }
                _ => Known::Unknown,
            };
            sink.facts.account_bpa.push(AccountBpa { meta, bpa });
        }
        let listing = calls.one("s3api", "list-buckets", None);
        for b in list(listing.and_then(Call::ok), "Buckets") {
            let Some(name) = text(b.get("Name")) else {
                continue;
            };
            let per = |op: &str| calls.with_param("s3api", op, "--bucket", &name, self.home);
            let region = match per("get-bucket-location").and_then(Call::ok) {
                Some(v) => match v.get("LocationConstraint").and_then(Value::as_str) {
                    None | Some("") => "us-east-1".to_owned(),
                    Some("EU") => "eu-west-1".to_owned(),
                    Some(r) => r.to_owned(),
                },
                None => text(b.get("BucketRegion")).unwrap_or_else(|| self.home.to_owned()),
            };
            let meta = self.meta(sink, &region, listing);
            let with_code = |op: &str, missing_code: &str| -> Known<Value> {
                match per(op).map(|c| &c.outcome) {
                    Some(Outcome::Ok(v)) => Known::Present(v.clone()),
                    Some(Outcome::Error(code)) if code == missing_code => Known::Absent,
                    _ => Known::Unknown,
                }
            };
            let bpa_state = match with_code(
                "get-public-access-block",
                "NoSuchPublicAccessBlockConfiguration",
            ) {
                Known::Present(v) => v
                    .get("PublicAccessBlockConfiguration")
                    .map_or(Known::Unknown, |c| Known::Present(bpa(c))),
                Known::Absent => Known::Absent,
                Known::Unknown => Known::Unknown,
            };
            let policy = match with_code("get-bucket-policy", "NoSuchBucketPolicy") {
                Known::Present(v) => v
                    .get("Policy")
                    .and_then(policy_document)
                    .map_or(Known::Unknown, Known::Present),
                other => match other {
                    Known::Absent => Known::Absent,
                    _ => Known::Unknown,
                },
            };
            let policy_is_public = per("get-bucket-policy-status")
                .and_then(Call::ok)
                .and_then(|v| loose_bool(v.get("PolicyStatus").and_then(|s| s.get("IsPublic"))));
            let encryption = match with_code(
                "get-bucket-encryption",
                "ServerSideEncryptionConfigurationNotFoundError",
            ) {
                Known::Present(_) => Some(true),
                Known::Absent => Some(false),
                Known::Unknown => None,
            };
            let versioning = per("get-bucket-versioning")
                .and_then(Call::ok)
                .map(|v| text(v.get("Status")).unwrap_or_else(|| "Off".to_owned()));
            let logging = match per("get-bucket-logging").and_then(Call::ok) {
                Some(v) => v
                    .get("LoggingEnabled")
                    .and_then(|l| text(l.get("TargetBucket")))
                    .map_or(Known::Absent, Known::Present),
                None => Known::Unknown,
            };
            sink.resource("AWS::S3::Bucket", &name, &meta, None);
            sink.facts.buckets.push(S3Bucket {
                meta,
                name,
                bpa: bpa_state,
                policy,
                policy_is_public,
                encryption,
                versioning,
                logging,
            });
        }
    }

    // ------------------------------------------------------------------------------- regional
    fn regional(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-security-groups", r) {
            for g in list(call.ok(), "SecurityGroups") {
                let Some(id) = text(g.get("GroupId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::SecurityGroup", &id, &meta, None);
                sink.facts.security_groups.push(SecurityGroup {
                    meta,
                    id,
                    name: text(g.get("GroupName")),
                    vpc: text(g.get("VpcId")),
                    ingress: g.get("IpPermissions").map(cli_rules),
                    egress: g.get("IpPermissionsEgress").map(cli_rules),
                });
            }
        }
        if let Some(call) = calls.one("ec2", "describe-network-acls", r) {
            for n in list(call.ok(), "NetworkAcls") {
                let Some(id) = text(n.get("NetworkAclId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::NetworkAcl", &id, &meta, None);
                sink.facts.network_acls.push(NetworkAcl {
                    meta,
                    id,
                    is_default: loose_bool(n.get("IsDefault")),
                    entries: n
                        .get("Entries")
                        .and_then(Value::as_array)
                        .map(|e| super::config::acl_entries(e)),
                });
            }
        }
        if let Some(call) = calls.one("ec2", "describe-vpcs", r) {
            for v in list(call.ok(), "Vpcs") {
                let Some(id) = text(v.get("VpcId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::VPC", &id, &meta, None);
                sink.facts.vpcs.push(Vpc {
                    meta,
                    id,
                    is_default: loose_bool(v.get("IsDefault")),
                });
            }
        }
        if let Some(call) = calls.one("ec2", "describe-flow-logs", r) {
            if call.ok().is_some() {
                sink.facts
                    .flow_logs_listed
                    .push((self.account.to_owned(), region.to_owned()));
            }
            for f in list(call.ok(), "FlowLogs") {
                let (Some(id), Some(target)) =
                    (text(f.get("FlowLogId")), text(f.get("ResourceId")))
                else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::FlowLog", &id, &meta, None);
                sink.facts.flow_logs.push(FlowLog {
                    meta,
                    id,
                    resource_id: target,
                });
            }
        }
        if let Some(call) = calls.one("ec2", "describe-instances", r) {
            for res in list(call.ok(), "Reservations") {
                for i in list(Some(res), "Instances") {
                    let Some(id) = text(i.get("InstanceId")) else {
                        continue;
                    };
                    let meta = self.meta(sink, region, Some(call));
                    let md = i.get("MetadataOptions");
                    sink.resource("AWS::EC2::Instance", &id, &meta, None);
                    sink.facts.instances.push(Instance {
                        meta,
                        id,
                        name: tag_name(i),
                        state: i.get("State").and_then(|s| text(s.get("Name"))),
                        public_ip: text(i.get("PublicIpAddress"))
                            .map_or(Known::Absent, Known::Present),
                        http_tokens: md.and_then(|m| text(m.get("HttpTokens"))),
                        http_endpoint: md.and_then(|m| text(m.get("HttpEndpoint"))),
                    });
                }
            }
        }
        if let Some(call) = calls.one("ec2", "describe-volumes", r) {
            for v in list(call.ok(), "Volumes") {
                let Some(id) = text(v.get("VolumeId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::Volume", &id, &meta, None);
                sink.facts.volumes.push(Volume {
                    meta,
                    id,
                    encrypted: loose_bool(v.get("Encrypted")),
                });
            }
        }
        if let Some(call) = calls.one("ec2", "get-ebs-encryption-by-default", r) {
            let meta = self.meta(sink, region, Some(call));
            sink.facts.ebs_defaults.push(EbsDefault {
                meta,
                enabled: call
                    .ok()
                    .and_then(|v| loose_bool(v.get("EbsEncryptionByDefault"))),
            });
        }
        if let Some(call) = calls.one("rds", "describe-db-instances", r) {
            for d in list(call.ok(), "DBInstances") {
                let Some(id) = text(d.get("DBInstanceIdentifier")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                let engine = text(d.get("Engine"));
                sink.resource("AWS::RDS::DBInstance", &id, &meta, engine.as_deref());
                sink.facts.db_instances.push(DbInstance {
                    meta,
                    id,
                    engine,
                    cluster: text(d.get("DBClusterIdentifier")),
                    storage_encrypted: loose_bool(d.get("StorageEncrypted")),
                    publicly_accessible: loose_bool(d.get("PubliclyAccessible")),
                    multi_az: loose_bool(d.get("MultiAZ")),
                    backup_retention: loose_i64(d.get("BackupRetentionPeriod")),
                    deletion_protection: loose_bool(d.get("DeletionProtection")),
                    auto_minor_upgrade: loose_bool(d.get("AutoMinorVersionUpgrade")),
                });
            }
        }
        if let Some(call) = calls.one("rds", "describe-db-clusters", r) {
            for d in list(call.ok(), "DBClusters") {
                let Some(id) = text(d.get("DBClusterIdentifier")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                let engine = text(d.get("Engine"));
                sink.resource("AWS::RDS::DBCluster", &id, &meta, engine.as_deref());
                sink.facts.db_clusters.push(DbCluster {
                    meta,
                    id,
                    engine,
                    multi_az: loose_bool(d.get("MultiAZ")),
                    members: d
                        .get("DBClusterMembers")
                        .and_then(Value::as_array)
                        .map(Vec::len),
                });
            }
        }
        self.cloudtrail(sink, region);
        self.kms(sink, region);
        if let Some(call) = calls.one("guardduty", "list-detectors", r)
            && let Some(v) = call.ok()
        {
            {
                let meta = self.meta(sink, region, Some(call));
                let detectors = list(Some(v), "DetectorIds")
                    .iter()
                    .filter_map(|d| text(Some(d)))
                    .map(|id| {
                        let detail = calls
                            .with_param("guardduty", "get-detector", "--detector-id", &id, region)
                            .and_then(Call::ok);
                        let enabled = detail
                            .and_then(|d| text(d.get("Status")))
                            .map(|s| s.eq_ignore_ascii_case("ENABLED"));
                        (id, enabled)
                    })
                    .collect::<Vec<_>>();
                for (id, _) in &detectors {
                    sink.resource("AWS::GuardDuty::Detector", id, &meta, None);
                }
                sink.facts
                    .guardduty
                    .push(GuardDutyRegion { meta, detectors });
            }
        }
        if let Some(call) = calls.one("configservice", "describe-configuration-recorders", r)
            && let Some(v) = call.ok()
        {
            {
                let meta = self.meta(sink, region, Some(call));
                let status = calls
                    .one("configservice", "describe-configuration-recorder-status", r)
                    .and_then(Call::ok);
                let recorders = list(Some(v), "ConfigurationRecorders")
                    .iter()
                    .filter_map(|rec| text(rec.get("name")))
                    .map(|name| {
                        let recording = status.and_then(|s| {
                            list(Some(s), "ConfigurationRecordersStatus")
                                .iter()
                                .find(|x| {
                                    x.get("name").and_then(Value::as_str) == Some(name.as_str())
                                })
                                .and_then(|x| loose_bool(x.get("recording")))
                        });
                        (name, recording)
                    })
                    .collect::<Vec<_>>();
                for (name, _) in &recorders {
                    sink.resource("AWS::Config::ConfigurationRecorder", name, &meta, None);
                }
                sink.facts
                    .recorders
                    .push(RecorderRegion { meta, recorders });
            }
        }
        if let Some(call) = calls.one("lambda", "list-functions", r) {
            for f in list(call.ok(), "Functions") {
                let Some(name) = text(f.get("FunctionName")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::Lambda::Function", &name, &meta, None);
                sink.facts.lambdas.push(LambdaFunction {
                    meta,
                    name,
                    runtime: text(f.get("Runtime")),
                    package_type: text(f.get("PackageType")),
                });
            }
        }
        if let Some(call) = calls.one("dynamodb", "list-tables", r) {
            for t in list(call.ok(), "TableNames") {
                let Some(name) = text(Some(t)) else { continue };
                let backups = calls.with_param(
                    "dynamodb",
                    "describe-continuous-backups",
                    "--table-name",
                    &name,
                    region,
                );
                let meta = self.meta(sink, region, backups.or(Some(call)));
                let pitr = backups.and_then(Call::ok).and_then(|v| {
                    let d = v
                        .get("ContinuousBackupsDescription")?
                        .get("PointInTimeRecoveryDescription")?;
                    text(d.get("PointInTimeRecoveryStatus"))
                        .map(|s| s.eq_ignore_ascii_case("ENABLED"))
                });
                sink.resource("AWS::DynamoDB::Table", &name, &meta, None);
                sink.facts.tables.push(DynamoTable { meta, name, pitr });
            }
        }
        if let Some(call) = calls.one("sqs", "list-queues", r) {
            for q in list(call.ok(), "QueueUrls") {
                let Some(url) = text(Some(q)) else { continue };
                let name = canonical_id(&url);
                let attrs_call =
                    calls.with_param("sqs", "get-queue-attributes", "--queue-url", &url, region);
                let meta = self.meta(sink, region, attrs_call.or(Some(call)));
                let attrs = attrs_call
                    .and_then(Call::ok)
                    .and_then(|v| v.get("Attributes"));
                sink.resource("AWS::SQS::Queue", &name, &meta, None);
                sink.facts.queues.push(SqsQueue {
                    meta,
                    name,
                    sse_managed: attrs.and_then(|a| loose_bool(a.get("SqsManagedSseEnabled"))),
                    kms_key: match attrs {
                        Some(a) => {
                            text(a.get("KmsMasterKeyId")).map_or(Known::Absent, Known::Present)
                        }
                        None => Known::Unknown,
                    },
                });
            }
        }
        if let Some(call) = calls.one("sns", "list-topics", r) {
            for t in list(call.ok(), "Topics") {
                let Some(arn) = text(t.get("TopicArn")) else {
                    continue;
                };
                let name = canonical_id(&arn);
                let attrs_call =
                    calls.with_param("sns", "get-topic-attributes", "--topic-arn", &arn, region);
                let meta = self.meta(sink, region, attrs_call.or(Some(call)));
                let attrs = attrs_call
                    .and_then(Call::ok)
                    .and_then(|v| v.get("Attributes"));
                sink.resource("AWS::SNS::Topic", &name, &meta, None);
                sink.facts.topics.push(SnsTopic {
                    meta,
                    name,
                    kms_key: match attrs {
                        Some(a) => {
                            text(a.get("KmsMasterKeyId")).map_or(Known::Absent, Known::Present)
                        }
                        None => Known::Unknown,
                    },
                });
            }
        }
    }

    fn cloudtrail(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let Some(call) = calls.one("cloudtrail", "describe-trails", Some(region)) else {
            return;
        };
        let Some(v) = call.ok() else { return };
        if !sink
            .facts
            .trail_listings
            .iter()
            .any(|l| l.meta.account == self.account)
        {
            let meta = self.meta(sink, region, Some(call));
            sink.facts.trail_listings.push(TrailListing { meta });
        }
        for t in list(Some(v), "trailList") {
            let Some(name) = text(t.get("Name")) else {
                continue;
            };
            let arn = text(t.get("TrailARN"));
            // A multi-region trail shows in every region: keep it once, in its home region.
            let home = text(t.get("HomeRegion")).unwrap_or_else(|| region.to_owned());
            if home != region
                && calls
                    .one("cloudtrail", "describe-trails", Some(&home))
                    .is_some()
            {
                continue;
            }
            if sink
                .facts
                .trails
                .iter()
                .any(|x| x.arn.is_some() && x.arn == arn)
            {
                continue;
            }
            let key = arn.clone().unwrap_or_else(|| name.clone());
            let status = calls
                .with_param("cloudtrail", "get-trail-status", "--name", &key, region)
                .or_else(|| {
                    calls.with_param("cloudtrail", "get-trail-status", "--name", &name, region)
                });
            let meta = self.meta(sink, &home, Some(call));
            sink.resource("AWS::CloudTrail::Trail", &name, &meta, None);
            sink.facts.trails.push(Trail {
                meta,
                name,
                arn,
                multi_region: loose_bool(t.get("IsMultiRegionTrail")),
                logging: status
                    .and_then(Call::ok)
                    .and_then(|s| loose_bool(s.get("IsLogging"))),
                log_validation: loose_bool(t.get("LogFileValidationEnabled")),
            });
        }
    }

    fn kms(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let aliases = calls
            .one("kms", "list-aliases", Some(region))
            .and_then(Call::ok);
        let alias_of = |key: &str| {
            list(aliases, "Aliases")
                .iter()
                .find(|a| a.get("TargetKeyId").and_then(Value::as_str) == Some(key))
                .and_then(|a| text(a.get("AliasName")))
        };
        for call in calls
            .find("kms", "describe-key")
            .filter(|c| c.region == region)
        {
            let Some(md) = call.ok().and_then(|v| v.get("KeyMetadata")) else {
                continue;
            };
            let Some(id) = text(md.get("KeyId")) else {
                continue;
            };
            let rotation =
                calls.with_param("kms", "get-key-rotation-status", "--key-id", &id, region);
            let meta = self.meta(sink, region, Some(call));
            let manager = text(md.get("KeyManager"));
            if manager.as_deref() == Some("AWS") {
                continue;
            }
            sink.resource("AWS::KMS::Key", &id, &meta, None);
            sink.facts.kms_keys.push(KmsKey {
                meta,
                alias: alias_of(&id),
                manager,
                spec: text(md.get("KeySpec")).or_else(|| text(md.get("CustomerMasterKeySpec"))),
                origin: text(md.get("Origin")),
                state: text(md.get("KeyState")),
                rotation: rotation
                    .and_then(Call::ok)
                    .and_then(|v| loose_bool(v.get("KeyRotationEnabled"))),
                id,
            });
        }
    }

    // ---------------------------------------------------------------- resources, for scoping
    fn generic(&self, sink: &mut Sink) {
        // (service, operation, path to the list, id field ("" = the element is the id), type)
        const LISTS: &[(&str, &str, &[&str], &str, &str)] = &[
            (
                "ec2",
                "describe-subnets",
                &["Subnets"],
                "SubnetId",
                "AWS::EC2::Subnet",
            ),
            (
                "ec2",
                "describe-route-tables",
                &["RouteTables"],
                "RouteTableId",
                "AWS::EC2::RouteTable",
            ),
            (
                "ec2",
                "describe-internet-gateways",
                &["InternetGateways"],
                "InternetGatewayId",
                "AWS::EC2::InternetGateway",
            ),
            (
                "ec2",
                "describe-nat-gateways",
                &["NatGateways"],
                "NatGatewayId",
                "AWS::EC2::NatGateway",
            ),
            (
                "ec2",
                "describe-snapshots",
                &["Snapshots"],
                "SnapshotId",
                "AWS::EC2::Snapshot",
            ),
            (
                "elbv2",
                "describe-load-balancers",
                &["LoadBalancers"],
                "LoadBalancerArn",
                "AWS::ElasticLoadBalancingV2::LoadBalancer",
            ),
            (
                "elb",
                "describe-load-balancers",
                &["LoadBalancerDescriptions"],
                "LoadBalancerName",
                "AWS::ElasticLoadBalancing::LoadBalancer",
            ),
            (
                "acm",
                "list-certificates",
                &["CertificateSummaryList"],
                "CertificateArn",
                "AWS::ACM::Certificate",
            ),
            (
                "cloudfront",
                "list-distributions",
                &["DistributionList", "Items"],
                "Id",
                "AWS::CloudFront::Distribution",
            ),
            (
                "route53",
                "list-hosted-zones",
                &["HostedZones"],
                "Id",
                "AWS::Route53::HostedZone",
            ),
            (
                "logs",
                "describe-log-groups",
                &["logGroups"],
                "logGroupName",
                "AWS::Logs::LogGroup",
            ),
            (
                "iam",
                "list-roles",
                &["Roles"],
                "RoleName",
                "AWS::IAM::Role",
            ),
            (
                "iam",
                "list-groups",
                &["Groups"],
                "GroupName",
                "AWS::IAM::Group",
            ),
            (
                "iam",
                "list-policies",
                &["Policies"],
                "PolicyName",
                "AWS::IAM::Policy",
            ),
            (
                "ecs",
                "list-clusters",
                &["clusterArns"],
                "",
                "AWS::ECS::Cluster",
            ),
            (
                "ecs",
                "list-task-definitions",
                &["taskDefinitionArns"],
                "",
                "AWS::ECS::TaskDefinition",
            ),
            (
                "eks",
                "list-clusters",
                &["clusters"],
                "",
                "AWS::EKS::Cluster",
            ),
            (
                "elasticache",
                "describe-cache-clusters",
                &["CacheClusters"],
                "CacheClusterId",
                "AWS::ElastiCache::CacheCluster",
            ),
            (
                "elasticache",
                "describe-replication-groups",
                &["ReplicationGroups"],
                "ReplicationGroupId",
                "AWS::ElastiCache::ReplicationGroup",
            ),
            (
                "redshift",
                "describe-clusters",
                &["Clusters"],
                "ClusterIdentifier",
                "AWS::Redshift::Cluster",
            ),
            (
                "efs",
                "describe-file-systems",
                &["FileSystems"],
                "FileSystemId",
                "AWS::EFS::FileSystem",
            ),
            (
                "secretsmanager",
                "list-secrets",
                &["SecretList"],
                "Name",
                "AWS::SecretsManager::Secret",
            ),
            (
                "apigateway",
                "get-rest-apis",
                &["items"],
                "id",
                "AWS::ApiGateway::RestApi",
            ),
            (
                "apigatewayv2",
                "get-apis",
                &["Items"],
                "ApiId",
                "AWS::ApiGatewayV2::Api",
            ),
            (
                "ecr",
                "describe-repositories",
                &["repositories"],
                "repositoryName",
                "AWS::ECR::Repository",
            ),
            (
                "stepfunctions",
                "list-state-machines",
                &["stateMachines"],
                "stateMachineArn",
                "AWS::StepFunctions::StateMachine",
            ),
            (
                "kinesis",
                "list-streams",
                &["StreamNames"],
                "",
                "AWS::Kinesis::Stream",
            ),
            (
                "cognito-idp",
                "list-user-pools",
                &["UserPools"],
                "Id",
                "AWS::Cognito::UserPool",
            ),
            (
                "wafv2",
                "list-web-acls",
                &["WebACLs"],
                "Id",
                "AWS::WAFv2::WebACL",
            ),
            (
                "backup",
                "list-backup-plans",
                &["BackupPlansList"],
                "BackupPlanId",
                "AWS::Backup::BackupPlan",
            ),
            (
                "ssm",
                "describe-parameters",
                &["Parameters"],
                "Name",
                "AWS::SSM::Parameter",
            ),
            (
                "opensearch",
                "list-domain-names",
                &["DomainNames"],
                "DomainName",
                "AWS::OpenSearch::Domain",
            ),
        ];
        for &(service, operation, path, id_key, resource_type) in LISTS {
            for call in self.calls.find(service, operation) {
                let mut value = call.ok();
                for key in path {
                    value = value.and_then(|v| v.get(*key));
                }
                for element in value.and_then(Value::as_array).into_iter().flatten() {
                    let id = if id_key.is_empty() {
                        text(Some(element))
                    } else {
                        text(element.get(id_key))
                    };
                    let Some(id) = id else { continue };
                    let meta = self.meta(sink, &call.region, Some(call));
                    sink.resource(resource_type, &canonical_id(&id), &meta, None);
                }
            }
        }
        // One-object outputs: the organisation, the hub.
        for (service, operation, field, id_key, resource_type) in [
            (
                "organizations",
                "describe-organization",
                "Organization",
                "Id",
                "AWS::Organizations::Organization",
            ),
            (
                "securityhub",
                "describe-hub",
                "",
                "HubArn",
                "AWS::SecurityHub::Hub",
            ),
        ] {
            for call in self.calls.find(service, operation) {
                let value = call.ok().and_then(|v| {
                    if field.is_empty() {
                        Some(v)
                    } else {
                        v.get(field)
                    }
                });
                if let Some(id) = value.and_then(|v| text(v.get(id_key))) {
                    let meta = self.meta(sink, &call.region, Some(call));
                    sink.resource(resource_type, &canonical_id(&id), &meta, None);
                }
            }
        }
        // The tagging API lists tagged resources of every service by ARN.
        for call in self.calls.find("resourcegroupstaggingapi", "get-resources") {
            for element in list(call.ok(), "ResourceTagMappingList") {
                let Some(arn) = text(element.get("ResourceARN")) else {
                    continue;
                };
                let meta = self.meta(sink, &call.region, Some(call));
                let resource_type = type_for_arn(&arn).map_or_else(
                    || format!("arn:{}", arn.split(':').nth(2).unwrap_or("?")),
                    str::to_owned,
                );
                let service = service_for_arn(sink.catalog, &arn);
                sink.resource_with_service(&resource_type, &canonical_id(&arn), &meta, service);
            }
        }
    }
}

fn bpa(c: &Value) -> Bpa {
    Bpa {
        block_public_acls: loose_bool(c.get("BlockPublicAcls")),
        ignore_public_acls: loose_bool(c.get("IgnorePublicAcls")),
        block_public_policy: loose_bool(c.get("BlockPublicPolicy")),
        restrict_public_buckets: loose_bool(c.get("RestrictPublicBuckets")),
    }
}

fn cli_rules(value: &Value) -> Vec<SgRule> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| SgRule {
                    protocol: p.get("IpProtocol").map_or_else(
                        || "-1".to_owned(),
                        |v| v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    ),
                    from_port: loose_i64(p.get("FromPort")),
                    to_port: loose_i64(p.get("ToPort")),
                    cidrs: self::list(Some(p), "IpRanges")
                        .iter()
                        .filter_map(|r| text(r.get("CidrIp")))
                        .chain(
                            self::list(Some(p), "Ipv6Ranges")
                                .iter()
                                .filter_map(|r| text(r.get("CidrIpv6"))),
                        )
                        .collect(),
                    other_sources: self::list(Some(p), "UserIdGroupPairs").len()
                        + self::list(Some(p), "PrefixListIds").len(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn report_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "TRUE" | "True" => Some(true),
        "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// The IAM credential report: base64 CSV -> one map per row (by header).
fn credential_report(content: &str) -> Option<Vec<BTreeMap<String, String>>> {
    let bytes = base64_decode(content)?;
    let text = String::from_utf8(bytes).ok()?;
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<&str> = lines.next()?.split(',').collect();
    Some(
        lines
            .map(|line| {
                header
                    .iter()
                    .map(|h| (*h).to_owned())
                    .zip(line.split(',').map(str::to_owned))
                    .collect()
            })
            .collect(),
    )
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((acc >> bits) & 0xff) as u8);
        }
    }
    Some(out)
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
    fn error_codes_come_from_cli_messages() {
        assert_eq!(
            error_code(
                "\nAn error occurred (NoSuchEntity) when calling the GetLoginProfile operation: x"
            )
            .as_deref(),
            Some("NoSuchEntity")
        );
        assert_eq!(error_code("Unable to locate credentials"), None);
    }
}
