//! One reader per AWS Config resource type: the parts of a configuration item that the checks
//! need, as facts. `record` dispatches on the resource type; types without a reader are
//! recorded as resources only (by `item`).

use super::{State, get, supp};
use crate::import::common::{loose_bool, loose_i64, policy_document, text};
use crate::import::facts::{
    AccessKey, AccountBpa, AclEntry, Bpa, DbCluster, DbInstance, DynamoTable, Facts, FlowLog,
    GuardDutyRegion, IamPolicyDoc, IamUser, Instance, KmsKey, Known, LambdaFunction, Meta,
    NetworkAcl, RecorderRegion, S3Bucket, SecurityGroup, SgRule, SnsTopic, SqsQueue, Trail, Volume,
    Vpc,
};
use crate::model::evidence::Text;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// What a reader gets of one configuration item.
pub(super) struct Parts<'i> {
    pub(super) meta: Meta,
    /// The id results name the resource by (see `resource_id`).
    pub(super) rid: String,
    pub(super) conf: Map<String, Value>,
    pub(super) sup: Option<Map<String, Value>>,
    pub(super) engine: Option<String>,
    /// The item's `resourceName` and ARN, when it has them.
    pub(super) name: Option<&'i str>,
    pub(super) arn: Option<&'i str>,
}

/// Records the facts of one item by its resource type.
pub(super) fn record(state: &mut State, resource_type: &str, it: Parts) {
    let facts = &mut state.sink.facts;
    match resource_type {
        "AWS::S3::Bucket" => facts
            .buckets
            .push(bucket(it.meta, &it.rid, it.sup.as_ref())),
        "AWS::S3::AccountPublicAccessBlock" => facts.account_bpa.push(AccountBpa {
            bpa: Known::Present(bpa(&it.conf)),
            meta: it.meta,
        }),
        "AWS::EC2::SecurityGroup" => facts.security_groups.push(security_group(it)),
        "AWS::EC2::NetworkAcl" => facts.network_acls.push(network_acl(it)),
        "AWS::EC2::VPC" => facts.vpcs.push(vpc(it)),
        "AWS::EC2::FlowLog" => {
            state.flow_log_types = true;
            facts.flow_logs.extend(flow_log(it));
        }
        "AWS::EC2::Instance" => facts.instances.push(instance(it.meta, &it.rid, &it.conf)),
        "AWS::EC2::Volume" => facts.volumes.push(volume(it)),
        "AWS::RDS::DBInstance" => facts.db_instances.push(db_instance(it)),
        "AWS::RDS::DBCluster" => facts.db_clusters.push(db_cluster(it)),
        "AWS::CloudTrail::Trail" => facts.trails.push(trail(it)),
        "AWS::KMS::Key" => facts.kms_keys.push(kms_key(it)),
        "AWS::IAM::User" => iam_user(facts, it),
        "AWS::IAM::Group" => {
            owner_policies(facts, &it, "group", &["groupPolicyList", "GroupPolicyList"]);
        }
        "AWS::IAM::Role" => {
            owner_policies(facts, &it, "role", &["rolePolicyList", "RolePolicyList"]);
        }
        "AWS::IAM::Policy" => facts.iam_policies.push(iam_policy(it)),
        "AWS::GuardDuty::Detector" => guardduty_detector(facts, &mut state.guardduty_at, it),
        "AWS::Config::ConfigurationRecorder" => {
            config_recorder(facts, &mut state.recorders_at, it);
        }
        "AWS::Lambda::Function" => facts.lambdas.push(lambda(it)),
        "AWS::DynamoDB::Table" => facts.tables.push(dynamodb_table(it)),
        "AWS::SQS::Queue" => facts.queues.push(sqs_queue(it)),
        "AWS::SNS::Topic" => facts.topics.push(sns_topic(it)),
        _ => {}
    }
}

fn security_group(it: Parts) -> SecurityGroup {
    let conf = &it.conf;
    SecurityGroup {
        name: text(get(conf, &["groupName", "GroupName"])).or_else(|| it.name.map(str::to_owned)),
        vpc: text(get(conf, &["vpcId", "VpcId"])),
        ingress: get(conf, &["ipPermissions", "IpPermissions"]).map(sg_rules),
        egress: get(conf, &["ipPermissionsEgress", "IpPermissionsEgress"]).map(sg_rules),
        id: it.rid,
        meta: it.meta,
    }
}

fn network_acl(it: Parts) -> NetworkAcl {
    NetworkAcl {
        is_default: loose_bool(get(&it.conf, &["isDefault", "IsDefault"])),
        entries: get(&it.conf, &["entries", "Entries"])
            .and_then(Value::as_array)
            .map(|e| acl_entries(e)),
        id: it.rid,
        meta: it.meta,
    }
}

fn vpc(it: Parts) -> Vpc {
    Vpc {
        is_default: loose_bool(get(&it.conf, &["isDefault", "IsDefault"])),
        id: it.rid,
        meta: it.meta,
    }
}

fn flow_log(it: Parts) -> Option<FlowLog> {
    Some(FlowLog {
        resource_id: text(get(&it.conf, &["resourceId", "ResourceId"]))?,
        id: it.rid,
        meta: it.meta,
    })
}

fn volume(it: Parts) -> Volume {
    Volume {
        encrypted: loose_bool(get(&it.conf, &["encrypted", "Encrypted"])),
        id: it.rid,
        meta: it.meta,
    }
}

fn db_instance(it: Parts) -> DbInstance {
    let conf = &it.conf;
    let b = |keys: &[&str]| loose_bool(get(conf, keys));
    DbInstance {
        id: text(get(
            conf,
            &[
                "dBInstanceIdentifier",
                "DBInstanceIdentifier",
                "dbInstanceIdentifier",
            ],
        ))
        .unwrap_or_else(|| it.rid.clone()),
        cluster: text(get(
            conf,
            &[
                "dBClusterIdentifier",
                "DBClusterIdentifier",
                "dbClusterIdentifier",
            ],
        )),
        storage_encrypted: b(&["storageEncrypted", "StorageEncrypted"]),
        publicly_accessible: b(&["publiclyAccessible", "PubliclyAccessible"]),
        multi_az: b(&["multiAZ", "MultiAZ", "multiAz"]),
        backup_retention: loose_i64(get(
            conf,
            &["backupRetentionPeriod", "BackupRetentionPeriod"],
        )),
        deletion_protection: b(&["deletionProtection", "DeletionProtection"]),
        auto_minor_upgrade: b(&["autoMinorVersionUpgrade", "AutoMinorVersionUpgrade"]),
        engine: it.engine,
        meta: it.meta,
    }
}

fn db_cluster(it: Parts) -> DbCluster {
    let conf = &it.conf;
    DbCluster {
        id: text(get(
            conf,
            &[
                "dBClusterIdentifier",
                "DBClusterIdentifier",
                "dbClusterIdentifier",
            ],
        ))
        .unwrap_or_else(|| it.rid.clone()),
        multi_az: loose_bool(get(conf, &["multiAZ", "MultiAZ", "multiAz"])),
        members: get(conf, &["dBClusterMembers", "DBClusterMembers"])
            .and_then(Value::as_array)
            .map(Vec::len),
        engine: it.engine,
        meta: it.meta,
    }
}

fn trail(it: Parts) -> Trail {
    let conf = &it.conf;
    Trail {
        name: text(get(conf, &["name", "Name", "trailName", "TrailName"]))
            .unwrap_or_else(|| it.rid.clone()),
        arn: text(get(conf, &["trailARN", "TrailARN", "arn"]))
            .or_else(|| it.arn.map(str::to_owned)),
        multi_region: loose_bool(get(conf, &["isMultiRegionTrail", "IsMultiRegionTrail"])),
        logging: loose_bool(get(conf, &["isLogging", "IsLogging"])),
        log_validation: loose_bool(get(
            conf,
            &[
                "logFileValidationEnabled",
                "LogFileValidationEnabled",
                "EnableLogFileValidation",
            ],
        )),
        meta: it.meta,
    }
}

fn kms_key(it: Parts) -> KmsKey {
    let conf = &it.conf;
    KmsKey {
        alias: None,
        manager: text(get(conf, &["keyManager", "KeyManager"])),
        spec: text(get(conf, &["keySpec", "KeySpec", "customerMasterKeySpec"])),
        origin: text(get(conf, &["origin", "Origin"])),
        state: text(get(conf, &["keyState", "KeyState"])),
        rotation: supp(it.sup.as_ref(), "KeyRotationStatus").and_then(|v| loose_bool(Some(&v))),
        id: it.rid,
        meta: it.meta,
    }
}

/// A user, with its attached and inline policies (its inline policies are facts of their own).
fn iam_user(facts: &mut Facts, it: Parts) {
    let conf = &it.conf;
    let name = text(get(conf, &["userName", "UserName"])).unwrap_or_else(|| it.rid.clone());
    let attached = get(
        conf,
        &["attachedManagedPolicies", "AttachedManagedPolicies"],
    )
    .and_then(Value::as_array)
    .map(|list| {
        list.iter()
            .filter_map(|p| text(p.get("policyArn").or_else(|| p.get("PolicyArn"))))
            .collect::<Vec<_>>()
    });
    let inline = inline_policies(conf, &["userPolicyList", "UserPolicyList"]);
    for (policy_name, document) in inline.iter().flatten() {
        facts.iam_policies.push(IamPolicyDoc {
            meta: it.meta.clone(),
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
        meta: it.meta,
    });
}

/// The inline policies of a group or a role (`kind`), listed under `keys`.
fn owner_policies(facts: &mut Facts, it: &Parts, kind: &'static str, keys: &[&str]) {
    for (policy_name, document) in inline_policies(&it.conf, keys).into_iter().flatten() {
        facts.iam_policies.push(IamPolicyDoc {
            meta: it.meta.clone(),
            owner_kind: kind,
            owner: it.rid.clone(),
            policy_name,
            document: Some(document),
        });
    }
}

/// A customer managed policy: its default version's document (else the first version's).
fn iam_policy(it: Parts) -> IamPolicyDoc {
    let conf = &it.conf;
    let arn = text(get(conf, &["arn", "Arn"]))
        .or_else(|| it.arn.map(str::to_owned))
        .unwrap_or_else(|| it.rid.clone());
    let document = get(conf, &["policyVersionList", "PolicyVersionList"])
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
    IamPolicyDoc {
        meta: it.meta,
        owner_kind: "policy",
        owner: arn,
        policy_name: it.rid,
        document,
    }
}

fn guardduty_detector(facts: &mut Facts, at: &mut RegionIndex, it: Parts) {
    let conf = &it.conf;
    let enabled = loose_bool(get(conf, &["Enable", "enable"])).or_else(|| {
        text(get(conf, &["Status", "status"])).map(|s| s.eq_ignore_ascii_case("ENABLED"))
    });
    push_region(
        &mut facts.guardduty,
        at,
        it.meta,
        it.rid,
        enabled,
        |g| &mut g.detectors,
        |m| GuardDutyRegion {
            meta: m,
            detectors: Vec::new(),
        },
    );
}

fn config_recorder(facts: &mut Facts, at: &mut RegionIndex, it: Parts) {
    let recording = loose_bool(get(&it.conf, &["Recording", "recording"]));
    push_region(
        &mut facts.recorders,
        at,
        it.meta,
        it.rid,
        recording,
        |r| &mut r.recorders,
        |m| RecorderRegion {
            meta: m,
            recorders: Vec::new(),
        },
    );
}

fn lambda(it: Parts) -> LambdaFunction {
    let conf = &it.conf;
    LambdaFunction {
        name: text(get(conf, &["functionName", "FunctionName"])).unwrap_or_else(|| it.rid.clone()),
        runtime: text(get(conf, &["runtime", "Runtime"])),
        package_type: text(get(conf, &["packageType", "PackageType"])),
        meta: it.meta,
    }
}

fn dynamodb_table(it: Parts) -> DynamoTable {
    let conf = &it.conf;
    let pitr = supp(it.sup.as_ref(), "ContinuousBackupsDescription").and_then(|d| {
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
        get(conf, &["PointInTimeRecoverySpecification"])
            .and_then(|s| loose_bool(s.get("PointInTimeRecoveryEnabled")))
    });
    DynamoTable {
        name: text(get(conf, &["tableName", "TableName"])).unwrap_or_else(|| it.rid.clone()),
        pitr,
        meta: it.meta,
    }
}

fn sqs_queue(it: Parts) -> SqsQueue {
    let conf = &it.conf;
    SqsQueue {
        name: text(get(conf, &["QueueName", "queueName"])).unwrap_or_else(|| it.rid.clone()),
        sse_managed: loose_bool(get(conf, &["SqsManagedSseEnabled", "sqsManagedSseEnabled"])),
        kms_key: text(get(conf, &["KmsMasterKeyId", "kmsMasterKeyId"]))
            .map_or(Known::Absent, Known::Present),
        meta: it.meta,
    }
}

fn sns_topic(it: Parts) -> SnsTopic {
    SnsTopic {
        kms_key: text(get(&it.conf, &["KmsMasterKeyId", "kmsMasterKeyId"]))
            .map_or(Known::Absent, Known::Present),
        name: it.rid,
        meta: it.meta,
    }
}

/// Where each (account, region) sits in a per-region list: one lookup per item, not a scan.
pub(super) type RegionIndex = HashMap<(Text, Text), usize>;

fn push_region<T>(
    list: &mut Vec<T>,
    at: &mut RegionIndex,
    meta: Meta,
    id: String,
    on: Option<bool>,
    items: impl Fn(&mut T) -> &mut Vec<(String, Option<bool>)>,
    make: impl Fn(Meta) -> T,
) {
    let key = (meta.account.clone(), meta.region.clone());
    if let Some(existing) = at.get(&key).and_then(|&i| list.get_mut(i)) {
        items(existing).push((id, on));
    } else {
        let mut fresh = make(meta);
        items(&mut fresh).push((id, on));
        at.insert(key, list.len());
        list.push(fresh);
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
    // Without supplementary configuration nothing about the bucket's settings is known; an
    // empty one (`{}`) says nothing either, not "no encryption, no Block Public Access".
    if sup.is_none_or(Map::is_empty) {
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
