//! What the checks need to know, in one shape whatever the input format. Every importer fills
//! these; `rules` turns them into pass / fail / unknown. `None` always means "the snapshot does
//! not say", which makes a check unknown: an importer never fills a default in.

use crate::model::evidence::Text;
use serde_json::Value;

/// Where a fact was read: account, region, and the file (or collection entry). The text is
/// shared by every fact and record of the import that names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Meta {
    pub account: Text,
    pub region: Text,
    pub source: Text,
    /// When the source observed it (`Evidence::settle`), if it says.
    pub observed: Option<Text>,
}

/// The four S3 Block Public Access flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bpa {
    pub block_public_acls: Option<bool>,
    pub ignore_public_acls: Option<bool>,
    pub block_public_policy: Option<bool>,
    pub restrict_public_buckets: Option<bool>,
}

impl Bpa {
    pub fn flags(&self) -> [(&'static str, Option<bool>); 4] {
        [
            ("BlockPublicAcls", self.block_public_acls),
            ("IgnorePublicAcls", self.ignore_public_acls),
            ("BlockPublicPolicy", self.block_public_policy),
            ("RestrictPublicBuckets", self.restrict_public_buckets),
        ]
    }
    pub fn all_on(&self) -> Option<bool> {
        let mut all = true;
        for (_, v) in self.flags() {
            match v {
                Some(false) => return Some(false),
                None => all = false,
                Some(true) => {}
            }
        }
        if all { Some(true) } else { None }
    }
}

/// A configuration that may be known to exist, known to be absent, or not known at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Known<T> {
    #[default]
    Unknown,
    Absent,
    Present(T),
}

impl<T> Known<T> {
    pub fn is_unknown(&self) -> bool {
        matches!(self, Known::Unknown)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct S3Bucket {
    pub meta: Meta,
    pub name: String,
    pub bpa: Known<Bpa>,
    /// The bucket policy document (parsed JSON).
    pub policy: Known<Value>,
    /// `GetBucketPolicyStatus.IsPublic`.
    pub policy_is_public: Option<bool>,
    /// A default encryption configuration exists.
    pub encryption: Option<bool>,
    /// `Enabled`, `Suspended`, or `Off` (never enabled).
    pub versioning: Option<String>,
    /// Server access logging target, if logging is on.
    pub logging: Known<String>,
}

/// The account-level S3 Block Public Access (s3control).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountBpa {
    pub meta: Meta,
    pub bpa: Known<Bpa>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SgRule {
    /// `-1` (all), `tcp`, `udp`, `icmp`, or a protocol number.
    pub protocol: String,
    pub from_port: Option<i64>,
    pub to_port: Option<i64>,
    /// IPv4 and IPv6 source ranges.
    pub cidrs: Vec<String>,
    /// Sources that are not address ranges (security groups, prefix lists).
    pub other_sources: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityGroup {
    pub meta: Meta,
    pub id: String,
    pub name: Option<String>,
    pub vpc: Option<String>,
    pub ingress: Option<Vec<SgRule>>,
    pub egress: Option<Vec<SgRule>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AclEntry {
    pub rule_number: i64,
    pub egress: bool,
    pub protocol: String,
    pub allow: bool,
    pub cidr: Option<String>,
    pub port_from: Option<i64>,
    pub port_to: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkAcl {
    pub meta: Meta,
    pub id: String,
    pub is_default: Option<bool>,
    pub entries: Option<Vec<AclEntry>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vpc {
    pub meta: Meta,
    pub id: String,
    pub is_default: Option<bool>,
}

/// Flow logs of one account and region; `known` is false when the snapshot did not list them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowLog {
    pub meta: Meta,
    pub id: String,
    /// The VPC, subnet or network interface it covers.
    pub resource_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instance {
    pub meta: Meta,
    pub id: String,
    pub name: Option<String>,
    pub state: Option<String>,
    pub public_ip: Known<String>,
    pub http_tokens: Option<String>,
    pub http_endpoint: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Volume {
    pub meta: Meta,
    pub id: String,
    pub encrypted: Option<bool>,
}

/// EBS encryption by default, per account and region.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EbsDefault {
    pub meta: Meta,
    pub enabled: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbInstance {
    pub meta: Meta,
    pub id: String,
    pub engine: Option<String>,
    /// The cluster it belongs to (Aurora, Neptune, DocumentDB): cluster-level settings apply.
    pub cluster: Option<String>,
    pub storage_encrypted: Option<bool>,
    pub publicly_accessible: Option<bool>,
    pub multi_az: Option<bool>,
    pub backup_retention: Option<i64>,
    pub deletion_protection: Option<bool>,
    pub auto_minor_upgrade: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DbCluster {
    pub meta: Meta,
    pub id: String,
    pub engine: Option<String>,
    pub multi_az: Option<bool>,
    pub members: Option<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trail {
    pub meta: Meta,
    pub name: String,
    pub arn: Option<String>,
    pub multi_region: Option<bool>,
    pub logging: Option<bool>,
    pub log_validation: Option<bool>,
}

/// Which trails a source lists per account: `listed` is true when it listed them (even none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrailListing {
    pub meta: Meta,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KmsKey {
    pub meta: Meta,
    pub id: String,
    pub alias: Option<String>,
    pub manager: Option<String>,
    pub spec: Option<String>,
    pub origin: Option<String>,
    pub state: Option<String>,
    pub rotation: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PasswordPolicy {
    pub min_length: Option<i64>,
    pub require_symbols: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub reuse_prevention: Option<i64>,
}

/// Account-wide IAM facts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IamAccount {
    pub meta: Meta,
    pub root_mfa: Option<bool>,
    pub root_access_keys: Option<bool>,
    /// Where the root facts came from (credential report or account summary).
    pub root_basis: &'static str,
    pub password_policy: Known<PasswordPolicy>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessKey {
    pub id: String,
    pub active: bool,
    /// Creation (or last rotation) time, seconds since the epoch.
    pub created: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct IamUser {
    pub meta: Meta,
    pub name: String,
    pub console_password: Option<bool>,
    pub mfa: Option<bool>,
    pub access_keys: Option<Vec<AccessKey>>,
    /// ARNs (or names) of managed policies attached directly.
    pub attached_policies: Option<Vec<String>>,
    /// Inline policies: (name, document).
    pub inline_policies: Option<Vec<(String, Value)>>,
}

/// A customer policy document: a managed policy, or an inline policy of a user, group or role
/// (then `owner` names it and the result lands on the owner).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IamPolicyDoc {
    pub meta: Meta,
    /// `policy`, `user`, `group` or `role`.
    pub owner_kind: &'static str,
    pub owner: String,
    pub policy_name: String,
    pub document: Option<Value>,
}

/// `GuardDuty` detectors of one account and region, as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GuardDutyRegion {
    pub meta: Meta,
    /// (detector id, enabled) for each detector; an empty list means "none".
    pub detectors: Vec<(String, Option<bool>)>,
}

/// AWS Config recorders of one account and region, as listed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecorderRegion {
    pub meta: Meta,
    pub recorders: Vec<(String, Option<bool>)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LambdaFunction {
    pub meta: Meta,
    pub name: String,
    pub runtime: Option<String>,
    pub package_type: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DynamoTable {
    pub meta: Meta,
    pub name: String,
    pub pitr: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SqsQueue {
    pub meta: Meta,
    pub name: String,
    pub sse_managed: Option<bool>,
    pub kms_key: Known<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SnsTopic {
    pub meta: Meta,
    pub name: String,
    pub kms_key: Known<String>,
}

/// Everything one source said. `trail_listings`: accounts/regions whose trails were listed.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub buckets: Vec<S3Bucket>,
    pub account_bpa: Vec<AccountBpa>,
    pub security_groups: Vec<SecurityGroup>,
    pub network_acls: Vec<NetworkAcl>,
    pub vpcs: Vec<Vpc>,
    pub flow_logs: Vec<FlowLog>,
    /// (account, region) pairs whose flow logs were listed (so "no flow log" is known).
    pub flow_logs_listed: Vec<(String, String)>,
    pub instances: Vec<Instance>,
    pub volumes: Vec<Volume>,
    pub ebs_defaults: Vec<EbsDefault>,
    pub db_instances: Vec<DbInstance>,
    pub db_clusters: Vec<DbCluster>,
    pub trails: Vec<Trail>,
    pub trail_listings: Vec<TrailListing>,
    pub kms_keys: Vec<KmsKey>,
    pub iam_accounts: Vec<IamAccount>,
    pub iam_users: Vec<IamUser>,
    pub iam_policies: Vec<IamPolicyDoc>,
    pub guardduty: Vec<GuardDutyRegion>,
    pub recorders: Vec<RecorderRegion>,
    pub lambdas: Vec<LambdaFunction>,
    pub tables: Vec<DynamoTable>,
    pub queues: Vec<SqsQueue>,
    pub topics: Vec<SnsTopic>,
    /// Seconds since the epoch at which the snapshot was taken (for ages); None if unknown.
    pub taken_at: Option<i64>,
}
