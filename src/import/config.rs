//! AWS Config configuration snapshots: `{"fileVersion", "configSnapshotId",
//! "configurationItems": [...]}` as delivered to S3 (`.json` or `.json.gz`). Also accepts the API
//! shape of items (`accountId`, `arn`, `configuration` as a JSON string). Items stream one at a
//! time; a broken item is skipped with a warning naming its index.

use super::common::{canonical_id, loose_bool, loose_i64, policy_document, text};
use super::facts::{
    AccessKey, AccountBpa, AclEntry, Bpa, DbCluster, DbInstance, DynamoTable, FlowLog,
    IamPolicyDoc, IamUser, Instance, KmsKey, Known, LambdaFunction, Meta, NetworkAcl, S3Bucket,
    SecurityGroup, SgRule, SnsTopic, SqsQueue, Trail, Volume, Vpc,
};
use super::stream::{FlagTick, JsonStream};
use super::{ImportError, KeepPartial, Limits, Sink, keep_partial};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, SourceFormat};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Read;

/// One configuration item; the configuration stays raw until its type is known.
#[derive(Deserialize)]
struct Item<'a> {
    #[serde(rename = "resourceType", borrow)]
    resource_type: Option<Cow<'a, str>>,
    #[serde(rename = "resourceId", borrow)]
    resource_id: Option<Cow<'a, str>>,
    #[serde(rename = "resourceName", borrow, default)]
    resource_name: Option<Cow<'a, str>>,
    #[serde(rename = "awsRegion", borrow, default)]
    region: Option<Cow<'a, str>>,
    #[serde(rename = "awsAccountId", alias = "accountId", borrow, default)]
    account: Option<Cow<'a, str>>,
    #[serde(rename = "ARN", alias = "arn", borrow, default)]
    arn: Option<Cow<'a, str>>,
    #[serde(rename = "configurationItemStatus", borrow, default)]
    status: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    configuration: Option<&'a RawValue>,
    #[serde(rename = "supplementaryConfiguration", borrow, default)]
    supplementary: Option<&'a RawValue>,
}

/// A JSON object (or a JSON string holding one, as in the API shape) -> map; anything else None.
fn object(raw: Option<&RawValue>) -> Result<Option<Map<String, Value>>, String> {
    let Some(raw) = raw else { return Ok(None) };
    let text = raw.get().trim();
    if text == "null" {
        return Ok(None);
    }
    let value: Value = if text.starts_with('"') {
        let inner: String = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if inner.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(&inner)
            .map_err(|e| format!("configuration string is not JSON: {e}"))?
    } else {
        serde_json::from_str(text).map_err(|e| e.to_string())?
    };
    match value {
        Value::Object(map) => Ok(Some(map)),
        other => Err(format!("expected an object, found {}", kind(&other))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A supplementary configuration entry; the API shape stores each as a JSON string.
fn supp<'m>(sup: Option<&'m Map<String, Value>>, key: &str) -> Option<Cow<'m, Value>> {
    let v = sup?.get(key)?;
    match v {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(s).ok().map(Cow::Owned)
        }
        other => Some(Cow::Borrowed(other)),
    }
}

fn get<'m>(map: &'m Map<String, Value>, keys: &[&str]) -> Option<&'m Value> {
    keys.iter()
        .find_map(|k| map.get(*k))
        .filter(|v| !v.is_null())
}

/// Types whose results go by name rather than Config's internal id.
fn resource_id(resource_type: &str, id: &str, name: Option<&str>) -> String {
    match resource_type {
        "AWS::IAM::User"
        | "AWS::IAM::Role"
        | "AWS::IAM::Group"
        | "AWS::IAM::Policy"
        | "AWS::RDS::DBInstance"
        | "AWS::RDS::DBCluster"
        | "AWS::SQS::Queue"
        | "AWS::SNS::Topic" => name
            .filter(|n| !n.is_empty())
            .map_or_else(|| canonical_id(id), str::to_owned),
        _ => canonical_id(id),
    }
}

struct State<'c> {
    sink: Sink<'c>,
    deleted: usize,
    flow_log_types: bool,
    pairs: BTreeSet<(String, String)>,
}

pub fn import<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    reader: R,
    tick: FlagTick<'_, F>,
    limits: Limits,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    let mut state = State {
        sink: Sink::new(catalog, path),
        deleted: 0,
        flow_log_types: false,
        pairs: BTreeSet::new(),
    };
    let mut stream = JsonStream::new(reader, tick, limits.max_value_bytes);
    let mut items = 0usize;
    let mut saw_items = false;
    let outcome = stream.object(
        |key| {
            let is = key == "configurationItems";
            saw_items |= is;
            is
        },
        |_, _| {},
        |_, index, bytes, offset| {
            items += 1;
            item(&mut state, index, bytes, offset);
            true
        },
    );
    let outcome = outcome.and_then(|()| stream.finish());
    if let Err(err) = outcome {
        // A cut-off file keeps what was read before the cut, with a warning; nothing read is an error.
        let location = format!("configurationItems[{items}]");
        keep_partial(
            &mut state.sink,
            path,
            &location,
            "items",
            items,
            err,
            compressed,
            KeepPartial::OnInvalidData,
        )?;
    }
    if !saw_items {
        return Err(ImportError::Invalid {
            path: path.to_owned(),
            location: String::new(),
            message: "an AWS Config snapshot without configurationItems".to_owned(),
        });
    }
    if state.deleted > 0 {
        state.sink.warn(
            path,
            "",
            format!("{} deleted or unrecorded resources skipped", state.deleted),
        );
    }
    // Config records flow logs as their own type: when it recorded any, a VPC without one has none.
    if state.flow_log_types {
        state
            .sink
            .facts
            .flow_logs_listed
            .extend(state.pairs.iter().cloned());
    }
    Ok(state.sink.finish(SourceFormat::AwsConfigSnapshot))
}

fn item(state: &mut State, index: usize, bytes: &[u8], offset: u64) {
    let path = state.sink.path.clone();
    let location = format!("configurationItems[{index}] (byte {offset})");
    let item: Item = match serde_json::from_slice(bytes) {
        Ok(item) => item,
        Err(e) => {
            state
                .sink
                .warn(&path, location, format!("item skipped: {e}"));
            return;
        }
    };
    let (Some(resource_type), Some(id)) =
        (item.resource_type.as_deref(), item.resource_id.as_deref())
    else {
        state.sink.warn(
            &path,
            location,
            "item skipped: no resourceType or resourceId",
        );
        return;
    };
    if matches!(
        item.status.as_deref(),
        Some("ResourceDeleted" | "ResourceDeletedNotRecorded" | "ResourceNotRecorded")
    ) {
        state.deleted += 1;
        return;
    }
    let account = item.account.as_deref().unwrap_or("");
    let region = item.region.as_deref().unwrap_or("");
    let meta = state.sink.meta(account, region, &path);
    if !region.is_empty() && region != "global" {
        state.pairs.insert((account.to_owned(), region.to_owned()));
    }
    let rid = resource_id(resource_type, id, item.resource_name.as_deref());
    let conf = match object(item.configuration) {
        Ok(c) => c,
        Err(e) => {
            state.sink.warn(
                &path,
                &location,
                format!("configuration of {resource_type} {rid} not read: {e}"),
            );
            None
        }
    };
    let sup = match object(item.supplementary) {
        Ok(s) => s,
        Err(e) => {
            state.sink.warn(
                &path,
                &location,
                format!("supplementaryConfiguration of {resource_type} {rid} not read: {e}"),
            );
            None
        }
    };
    let engine = conf
        .as_ref()
        .and_then(|c| get(c, &["engine", "Engine"]))
        .and_then(Value::as_str)
        .map(str::to_owned);
    state
        .sink
        .resource(resource_type, &rid, &meta, engine.as_deref());
    let Some(conf) = conf else { return };
    let facts = &mut state.sink.facts;
    match resource_type {
        "AWS::S3::Bucket" => facts.buckets.push(bucket(meta, &rid, sup.as_ref())),
        "AWS::S3::AccountPublicAccessBlock" => facts.account_bpa.push(AccountBpa {
            bpa: Known::Present(bpa(&conf)),
            meta,
        }),
        "AWS::EC2::SecurityGroup" => facts.security_groups.push(SecurityGroup {
            id: rid.clone(),
            name: text(get(&conf, &["groupName", "GroupName"]))
                .or_else(|| item.resource_name.as_deref().map(str::to_owned)),
            vpc: text(get(&conf, &["vpcId", "VpcId"])),
            ingress: get(&conf, &["ipPermissions", "IpPermissions"]).map(sg_rules),
            egress: get(&conf, &["ipPermissionsEgress", "IpPermissionsEgress"]).map(sg_rules),
            meta,
        }),
        "AWS::EC2::NetworkAcl" => facts.network_acls.push(NetworkAcl {
            id: rid.clone(),
            is_default: loose_bool(get(&conf, &["isDefault", "IsDefault"])),
            entries: get(&conf, &["entries", "Entries"])
                .and_then(Value::as_array)
                .map(|e| acl_entries(e)),
            meta,
        }),
        "AWS::EC2::VPC" => facts.vpcs.push(Vpc {
            id: rid.clone(),
            is_default: loose_bool(get(&conf, &["isDefault", "IsDefault"])),
            meta,
        }),
        "AWS::EC2::FlowLog" => {
            state.flow_log_types = true;
            if let Some(target) = text(get(&conf, &["resourceId", "ResourceId"])) {
                facts.flow_logs.push(FlowLog {
                    id: rid.clone(),
                    resource_id: target,
                    meta,
                });
            }
        }
        "AWS::EC2::Instance" => facts.instances.push(instance(meta, &rid, &conf)),
        "AWS::EC2::Volume" => facts.volumes.push(Volume {
            id: rid.clone(),
            encrypted: loose_bool(get(&conf, &["encrypted", "Encrypted"])),
            meta,
        }),
        "AWS::RDS::DBInstance" => facts.db_instances.push(DbInstance {
            id: text(get(
                &conf,
                &[
                    "dBInstanceIdentifier",
                    "DBInstanceIdentifier",
                    "dbInstanceIdentifier",
                ],
            ))
            .unwrap_or_else(|| rid.clone()),
            engine,
            cluster: text(get(
                &conf,
                &[
                    "dBClusterIdentifier",
                    "DBClusterIdentifier",
                    "dbClusterIdentifier",
                ],
            )),
            storage_encrypted: loose_bool(get(&conf, &["storageEncrypted", "StorageEncrypted"])),
            publicly_accessible: loose_bool(get(
                &conf,
                &["publiclyAccessible", "PubliclyAccessible"],
            )),
            multi_az: loose_bool(get(&conf, &["multiAZ", "MultiAZ", "multiAz"])),
            backup_retention: loose_i64(get(
                &conf,
                &["backupRetentionPeriod", "BackupRetentionPeriod"],
            )),
            deletion_protection: loose_bool(get(
                &conf,
                &["deletionProtection", "DeletionProtection"],
            )),
            auto_minor_upgrade: loose_bool(get(
                &conf,
                &["autoMinorVersionUpgrade", "AutoMinorVersionUpgrade"],
            )),
            meta,
        }),
        "AWS::RDS::DBCluster" => facts.db_clusters.push(DbCluster {
            id: text(get(
                &conf,
                &[
                    "dBClusterIdentifier",
                    "DBClusterIdentifier",
                    "dbClusterIdentifier",
                ],
            ))
            .unwrap_or_else(|| rid.clone()),
            engine,
            multi_az: loose_bool(get(&conf, &["multiAZ", "MultiAZ", "multiAz"])),
            members: get(&conf, &["dBClusterMembers", "DBClusterMembers"])
                .and_then(Value::as_array)
                .map(Vec::len),
            meta,
        }),
        "AWS::CloudTrail::Trail" => facts.trails.push(Trail {
            name: text(get(&conf, &["name", "Name", "trailName", "TrailName"]))
                .unwrap_or_else(|| rid.clone()),
            arn: text(get(&conf, &["trailARN", "TrailARN", "arn"]))
                .or_else(|| item.arn.as_deref().map(str::to_owned)),
            multi_region: loose_bool(get(&conf, &["isMultiRegionTrail", "IsMultiRegionTrail"])),
            logging: loose_bool(get(&conf, &["isLogging", "IsLogging"])),
            log_validation: loose_bool(get(
                &conf,
                &[
                    "logFileValidationEnabled",
                    "LogFileValidationEnabled",
                    "EnableLogFileValidation",
                ],
            )),
            meta,
        }),
        "AWS::KMS::Key" => facts.kms_keys.push(KmsKey {
            id: rid.clone(),
            alias: None,
            manager: text(get(&conf, &["keyManager", "KeyManager"])),
            spec: text(get(&conf, &["keySpec", "KeySpec", "customerMasterKeySpec"])),
            origin: text(get(&conf, &["origin", "Origin"])),
            state: text(get(&conf, &["keyState", "KeyState"])),
            rotation: supp(sup.as_ref(), "KeyRotationStatus").and_then(|v| loose_bool(Some(&v))),
            meta,
        }),
        "AWS::IAM::User" => {
            let name = text(get(&conf, &["userName", "UserName"])).unwrap_or_else(|| rid.clone());
            let attached = get(
                &conf,
                &["attachedManagedPolicies", "AttachedManagedPolicies"],
            )
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(|p| text(p.get("policyArn").or_else(|| p.get("PolicyArn"))))
                    .collect::<Vec<_>>()
            });
            let inline = inline_policies(&conf, &["userPolicyList", "UserPolicyList"]);
            for (policy_name, document) in inline.iter().flatten() {
                facts.iam_policies.push(IamPolicyDoc {
                    meta: meta.clone(),
                    owner_kind: "user",
                    owner: name.clone(),
                    policy_name: policy_name.clone(),
                    document: Some(document.clone()),
                });
            }
            facts.iam_users.push(IamUser {
                name,
                console_password: None,
                mfa: None,
                access_keys: None::<Vec<AccessKey>>,
                attached_policies: attached,
                inline_policies: inline,
                meta,
            });
        }
        "AWS::IAM::Group" | "AWS::IAM::Role" => {
            let (kind, key) = if resource_type == "AWS::IAM::Group" {
                ("group", ["groupPolicyList", "GroupPolicyList"])
            } else {
                ("role", ["rolePolicyList", "RolePolicyList"])
            };
            for (policy_name, document) in inline_policies(&conf, &key).into_iter().flatten() {
                facts.iam_policies.push(IamPolicyDoc {
                    meta: meta.clone(),
                    owner_kind: kind,
                    owner: rid.clone(),
                    policy_name,
                    document: Some(document),
                });
            }
        }
        "AWS::IAM::Policy" => {
            let arn = text(get(&conf, &["arn", "Arn"]))
                .or_else(|| item.arn.as_deref().map(str::to_owned))
                .unwrap_or_else(|| rid.clone());
            let document = get(&conf, &["policyVersionList", "PolicyVersionList"])
                .and_then(Value::as_array)
                .and_then(|versions| {
                    versions
                        .iter()
                        .find(|v| {
                            loose_bool(
                                v.get("isDefaultVersion")
                                    .or_else(|| v.get("IsDefaultVersion")),
                            ) == Some(true)
                        })
                        .or_else(|| versions.first())
                        .and_then(|v| v.get("document").or_else(|| v.get("Document")))
                        .and_then(policy_document)
                });
            facts.iam_policies.push(IamPolicyDoc {
                meta,
                owner_kind: "policy",
                owner: arn,
                policy_name: rid.clone(),
                document,
            });
        }
        "AWS::GuardDuty::Detector" => {
            let enabled = loose_bool(get(&conf, &["Enable", "enable"])).or_else(|| {
                text(get(&conf, &["Status", "status"])).map(|s| s.eq_ignore_ascii_case("ENABLED"))
            });
            push_region(
                &mut facts.guardduty,
                meta,
                rid.clone(),
                enabled,
                |g| &mut g.detectors,
                |m| super::facts::GuardDutyRegion {
                    meta: m,
                    detectors: Vec::new(),
                },
            );
        }
        "AWS::Config::ConfigurationRecorder" => {
            let recording = loose_bool(get(&conf, &["Recording", "recording"]));
            push_region(
                &mut facts.recorders,
                meta,
                rid.clone(),
                recording,
                |r| &mut r.recorders,
                |m| super::facts::RecorderRegion {
                    meta: m,
                    recorders: Vec::new(),
                },
            );
        }
        "AWS::Lambda::Function" => facts.lambdas.push(LambdaFunction {
            name: text(get(&conf, &["functionName", "FunctionName"]))
                .unwrap_or_else(|| rid.clone()),
            runtime: text(get(&conf, &["runtime", "Runtime"])),
            package_type: text(get(&conf, &["packageType", "PackageType"])),
            meta,
        }),
        "AWS::DynamoDB::Table" => {
            let pitr = supp(sup.as_ref(), "ContinuousBackupsDescription").and_then(|d| {
                let d = d.as_object()?;
                let p = get(
                    d,
                    &[
                        "pointInTimeRecoveryDescription",
                        "PointInTimeRecoveryDescription",
                    ],
                )?
                .as_object()?;
                text(get(
                    p,
                    &["pointInTimeRecoveryStatus", "PointInTimeRecoveryStatus"],
                ))
                .map(|s| s.eq_ignore_ascii_case("ENABLED"))
            });
            // Config's CloudFormation-style shape has the flag in the configuration itself.
            let pitr = pitr.or_else(|| {
                get(&conf, &["PointInTimeRecoverySpecification"])
                    .and_then(|s| loose_bool(s.get("PointInTimeRecoveryEnabled")))
            });
            facts.tables.push(DynamoTable {
                name: text(get(&conf, &["tableName", "TableName"])).unwrap_or_else(|| rid.clone()),
                pitr,
                meta,
            });
        }
        "AWS::SQS::Queue" => facts.queues.push(SqsQueue {
            name: text(get(&conf, &["QueueName", "queueName"])).unwrap_or_else(|| rid.clone()),
            sse_managed: loose_bool(get(
                &conf,
                &["SqsManagedSseEnabled", "sqsManagedSseEnabled"],
            )),
            kms_key: text(get(&conf, &["KmsMasterKeyId", "kmsMasterKeyId"]))
                .map_or(Known::Absent, Known::Present),
            meta,
        }),
        "AWS::SNS::Topic" => facts.topics.push(SnsTopic {
            name: rid.clone(),
            kms_key: text(get(&conf, &["KmsMasterKeyId", "kmsMasterKeyId"]))
                .map_or(Known::Absent, Known::Present),
            meta,
        }),
        _ => {}
    }
}

fn push_region<T>(
    list: &mut Vec<T>,
    meta: Meta,
    id: String,
    on: Option<bool>,
    items: impl Fn(&mut T) -> &mut Vec<(String, Option<bool>)>,
    make: impl Fn(Meta) -> T,
) where
    T: HasMeta,
{
    if let Some(existing) = list
        .iter_mut()
        .find(|g| g.meta().account == meta.account && g.meta().region == meta.region)
    {
        items(existing).push((id, on));
    } else {
        let mut fresh = make(meta);
        items(&mut fresh).push((id, on));
        list.push(fresh);
    }
}

pub(crate) trait HasMeta {
    fn meta(&self) -> &Meta;
}

impl HasMeta for super::facts::GuardDutyRegion {
    fn meta(&self) -> &Meta {
        &self.meta
    }
}

impl HasMeta for super::facts::RecorderRegion {
    fn meta(&self) -> &Meta {
        &self.meta
    }
}

fn inline_policies(conf: &Map<String, Value>, keys: &[&str]) -> Option<Vec<(String, Value)>> {
    let list = get(conf, keys)?.as_array()?;
    Some(
        list.iter()
            .filter_map(|p| {
                let name = text(p.get("policyName").or_else(|| p.get("PolicyName")))?;
                let doc = p
                    .get("policyDocument")
                    .or_else(|| p.get("PolicyDocument"))
                    .and_then(policy_document)?;
                Some((name, doc))
            })
            .collect(),
    )
}

fn bpa(map: &Map<String, Value>) -> Bpa {
    Bpa {
        block_public_acls: loose_bool(get(map, &["blockPublicAcls", "BlockPublicAcls"])),
        ignore_public_acls: loose_bool(get(map, &["ignorePublicAcls", "IgnorePublicAcls"])),
        block_public_policy: loose_bool(get(map, &["blockPublicPolicy", "BlockPublicPolicy"])),
        restrict_public_buckets: loose_bool(get(
            map,
            &["restrictPublicBuckets", "RestrictPublicBuckets"],
        )),
    }
}

fn bucket(meta: Meta, name: &str, sup: Option<&Map<String, Value>>) -> S3Bucket {
    let mut b = S3Bucket {
        meta,
        name: name.to_owned(),
        ..S3Bucket::default()
    };
    // Without supplementary configuration nothing about the bucket's settings is known.
    if sup.is_none() {
        return b;
    }
    b.bpa = match supp(sup, "PublicAccessBlockConfiguration") {
        Some(v) => v
            .as_object()
            .map_or(Known::Unknown, |m| Known::Present(bpa(m))),
        None => Known::Absent,
    };
    b.policy = match supp(sup, "BucketPolicy") {
        None => Known::Unknown,
        Some(v) => match v.get("policyText").or_else(|| v.get("PolicyText")) {
            None | Some(Value::Null) => Known::Absent,
            Some(Value::String(s)) if s.trim().is_empty() => Known::Absent,
            Some(t) => policy_document(t).map_or(Known::Unknown, Known::Present),
        },
    };
    // Config leaves the entry out when the bucket has no default encryption.
    b.encryption = Some(
        supp(sup, "ServerSideEncryptionConfiguration").is_some_and(|v| {
            v.get("rules")
                .or_else(|| v.get("Rules"))
                .and_then(Value::as_array)
                .is_some_and(|r| !r.is_empty())
        }),
    );
    b.versioning = supp(sup, "BucketVersioningConfiguration").map(|v| {
        v.get("status")
            .or_else(|| v.get("Status"))
            .and_then(Value::as_str)
            .unwrap_or("Off")
            .to_owned()
    });
    b.logging = match supp(sup, "BucketLoggingConfiguration") {
        None => Known::Unknown,
        Some(v) => match text(
            v.get("destinationBucketName")
                .or_else(|| v.get("DestinationBucketName")),
        ) {
            Some(target) => Known::Present(target),
            None => Known::Absent,
        },
    };
    b
}

fn sg_rules(value: &Value) -> Vec<SgRule> {
    let Some(list) = value.as_array() else {
        return Vec::new();
    };
    list.iter()
        .map(|p| {
            let mut cidrs = Vec::new();
            // Config writes ipv4Ranges [{cidrIp}] and the older ipRanges [string]; CLI-style too.
            for key in ["ipv4Ranges", "IpRanges", "ipRanges"] {
                for r in p.get(key).and_then(Value::as_array).into_iter().flatten() {
                    let cidr = r
                        .as_str()
                        .map(str::to_owned)
                        .or_else(|| text(r.get("cidrIp").or_else(|| r.get("CidrIp"))));
                    if let Some(c) = cidr
                        && !cidrs.contains(&c)
                    {
                        cidrs.push(c);
                    }
                }
            }
            for key in ["ipv6Ranges", "Ipv6Ranges"] {
                for r in p.get(key).and_then(Value::as_array).into_iter().flatten() {
                    if let Some(c) = text(r.get("cidrIpv6").or_else(|| r.get("CidrIpv6"))) {
                        cidrs.push(c);
                    }
                }
            }
            let others = [
                "userIdGroupPairs",
                "UserIdGroupPairs",
                "prefixListIds",
                "PrefixListIds",
            ]
            .iter()
            .filter_map(|k| p.get(*k).and_then(Value::as_array))
            .map(Vec::len)
            .sum();
            SgRule {
                protocol: p
                    .get("ipProtocol")
                    .or_else(|| p.get("IpProtocol"))
                    .map_or_else(
                        || "-1".to_owned(),
                        |v| v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    ),
                from_port: loose_i64(p.get("fromPort").or_else(|| p.get("FromPort"))),
                to_port: loose_i64(p.get("toPort").or_else(|| p.get("ToPort"))),
                cidrs,
                other_sources: others,
            }
        })
        .collect()
}

pub(crate) fn acl_entries(list: &[Value]) -> Vec<AclEntry> {
    list.iter()
        .filter_map(|e| {
            let rule_number = loose_i64(e.get("ruleNumber").or_else(|| e.get("RuleNumber")))?;
            let action = e
                .get("ruleAction")
                .or_else(|| e.get("RuleAction"))
                .and_then(Value::as_str)
                .unwrap_or("");
            let range = e.get("portRange").or_else(|| e.get("PortRange"));
            Some(AclEntry {
                rule_number,
                egress: loose_bool(e.get("egress").or_else(|| e.get("Egress"))).unwrap_or(false),
                protocol: e
                    .get("protocol")
                    .or_else(|| e.get("Protocol"))
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .unwrap_or_default(),
                allow: action.eq_ignore_ascii_case("allow"),
                cidr: text(e.get("cidrBlock").or_else(|| e.get("CidrBlock")))
                    .or_else(|| text(e.get("ipv6CidrBlock").or_else(|| e.get("Ipv6CidrBlock")))),
                port_from: range.and_then(|r| loose_i64(r.get("from").or_else(|| r.get("From")))),
                port_to: range.and_then(|r| loose_i64(r.get("to").or_else(|| r.get("To")))),
            })
        })
        .collect()
}

fn instance(meta: Meta, id: &str, conf: &Map<String, Value>) -> Instance {
    let metadata = get(conf, &["metadataOptions", "MetadataOptions"]);
    let public_ip = match get(conf, &["publicIpAddress", "PublicIpAddress"]).and_then(Value::as_str)
    {
        Some(ip) if !ip.is_empty() => Known::Present(ip.to_owned()),
        // The configuration is the whole describe output: no address means none.
        _ => Known::Absent,
    };
    Instance {
        meta,
        id: id.to_owned(),
        name: None,
        state: get(conf, &["state", "State"])
            .and_then(|s| text(s.get("name").or_else(|| s.get("Name")))),
        public_ip,
        http_tokens: metadata
            .and_then(|m| text(m.get("httpTokens").or_else(|| m.get("HttpTokens")))),
        http_endpoint: metadata
            .and_then(|m| text(m.get("httpEndpoint").or_else(|| m.get("HttpEndpoint")))),
    }
}
