//! S3: account-level Block Public Access, and per bucket its region, Block Public Access,
//! policy, policy status, default encryption, versioning and access logging.

use super::manifest::{Call, Outcome};
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{loose_bool, policy_document, text};
use crate::import::facts::{AccountBpa, Bpa, Known, S3Bucket};
use serde_json::Value;

impl Collector<'_> {
    pub(super) fn s3(&self, sink: &mut Sink) {
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
            let with_code = |op: &str, missing_code: &str| -> Known<&Value> {
                match per(op).map(|c| &c.outcome) {
                    Some(Outcome::Ok(v)) => Known::Present(&**v),
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
            // The document is kept with the bucket: counted, as many buckets may name one file.
            if let Known::Present(doc) = &policy {
                sink.built.charge(crate::import::value_bytes(doc));
            }
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
}

fn bpa(c: &Value) -> Bpa {
    Bpa {
        block_public_acls: loose_bool(c.get("BlockPublicAcls")),
        ignore_public_acls: loose_bool(c.get("IgnorePublicAcls")),
        block_public_policy: loose_bool(c.get("BlockPublicPolicy")),
        restrict_public_buckets: loose_bool(c.get("RestrictPublicBuckets")),
    }
}
