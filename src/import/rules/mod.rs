//! The evidence checks of `data/checks.json`, as rules over `Facts`: one pass / fail / unknown
//! per resource and check, with a short reason. Unknown whenever the facts needed are absent.
//!
//! One file per family of checks, each with its own pass / fail / unknown tests:
//! `s3`, `network` (security groups, NACLs, VPC flow logs), `compute` (EC2, EBS), `databases`
//! (RDS, Aurora, `DynamoDB`), `logging` (`CloudTrail`, `GuardDuty`, Config), `kms`, `iam`,
//! `serverless` (Lambda, SQS, SNS). `policy` reads IAM-style policy documents for `s3` and `iam`.

mod compute;
mod databases;
mod iam;
mod kms;
mod logging;
mod network;
mod policy;
mod s3;
mod serverless;
#[cfg(test)]
mod testkit;

use super::facts::{Facts, Meta};
use crate::model::catalog::{Catalog, Check};
use crate::model::evidence::{CheckResult, Status};

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

/// One family of checks: reads the facts it knows, pushes one result per resource and check.
type Family = fn(&mut Out, &Facts);

/// Every family, in the order their results are reported.
const FAMILIES: [Family; 8] = [
    s3::evaluate,
    network::evaluate,
    compute::evaluate,
    databases::evaluate,
    logging::evaluate,
    kms::evaluate,
    iam::evaluate,
    serverless::evaluate,
];

/// Runs every check over the facts of one source.
pub fn evaluate(catalog: &Catalog, facts: &Facts) -> Vec<CheckResult> {
    let mut results = Vec::new();
    let mut out = Out {
        catalog,
        results: &mut results,
    };
    for family in FAMILIES {
        family(&mut out, facts);
    }
    results
}

/// A check on one boolean setting: `field=value`, failing when the value is `fail_when`.
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
