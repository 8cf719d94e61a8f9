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

use super::Built;
use super::facts::{Facts, Meta};
use crate::model::catalog::{Catalog, Check};
use crate::model::evidence::{CheckResult, Status, Text};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Why rule evaluation stopped before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    Cancelled,
    /// The results would pass the import's budget (`Limits::max_built_bytes`).
    OverBudget,
}

/// Key, service and control of a check, shared by all its results.
type CheckText = (Text, Text, Text);

struct Out<'a> {
    catalog: &'a Catalog,
    results: &'a mut Vec<CheckResult>,
    built: &'a mut Built,
    cancel: &'a AtomicBool,
    checks: HashMap<&'a str, Option<CheckText>>,
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
        if self.built.is_over() {
            return;
        }
        // A catalog without this check (no checks.json) records nothing.
        let catalog = self.catalog;
        let built = &mut *self.built;
        let Some(Some((check, service, control))) = catalog.check(key).map(|check| {
            self.checks
                .entry(check.key.as_str())
                .or_insert_with(|| {
                    Some((
                        built.intern(&check.key),
                        built.intern(&check.service),
                        built.intern(&check.control),
                    ))
                })
                .clone()
        }) else {
            return;
        };
        let detail: String = detail.into();
        let result = CheckResult {
            check,
            service,
            control,
            resource_id: self.built.intern(resource_id),
            region: meta.region.clone(),
            account: meta.account.clone(),
            status,
            detail: Arc::from(detail.as_str()),
            source: meta.source.clone(),
            observed_at: meta.observed.clone(),
            test: Text::from(""),
            earlier: Vec::new(),
        };
        if self
            .built
            .charge((size_of::<CheckResult>() + detail.len()) as u64)
        {
            self.results.push(result);
        }
    }

    fn check(&self, key: &str) -> Option<&Check> {
        self.catalog.check(key)
    }

    /// True when evaluation should stop: cancelled, or over the import's budget. Families poll
    /// it once per resource.
    fn cancelled(&self) -> bool {
        self.built.is_over() || self.cancel.load(Ordering::Relaxed)
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

/// Runs every check over the facts of one source, counting what it builds in `built`. Stops
/// when `cancel` is set or the budget is passed.
pub(crate) fn evaluate(
    catalog: &Catalog,
    facts: &Facts,
    built: &mut Built,
    cancel: &AtomicBool,
) -> Result<Vec<CheckResult>, Stopped> {
    let mut results = Vec::new();
    let mut out = Out {
        catalog,
        results: &mut results,
        built,
        cancel,
        checks: HashMap::new(),
    };
    for family in FAMILIES {
        if out.cancelled() {
            break;
        }
        family(&mut out, facts);
    }
    if out.built.is_over() {
        return Err(Stopped::OverBudget);
    }
    if out.cancel.load(Ordering::Relaxed) {
        return Err(Stopped::Cancelled);
    }
    Ok(results)
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
