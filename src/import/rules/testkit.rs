//! What the rule families' tests share, and the test that every check of `data/checks.json` is
//! exercised by them with a pass, a fail and an unknown outcome.

use super::{Family, Out};
use crate::import::facts::{Facts, Meta};
use crate::model::catalog::Catalog;
use crate::model::evidence::Status;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The expected outcomes of one check: its key and (resource id, status) pairs.
pub(super) type Cases = (&'static str, &'static [(&'static str, Status)]);

/// (check, resource) -> status.
pub(super) type Results = BTreeMap<(String, String), Status>;

pub(super) fn meta(account: &str) -> Meta {
    Meta {
        account: account.into(),
        region: "us-east-1".into(),
        source: "t".into(),
        observed: None,
    }
}

/// Runs one family of checks over a set of facts.
pub(super) fn run(facts: &Facts, family: Family) -> Results {
    let catalog = Catalog::bundled();
    let mut results = Vec::new();
    let mut built = crate::import::Built::unlimited();
    let never = std::sync::atomic::AtomicBool::new(false);
    let mut out = Out {
        catalog: &catalog,
        results: &mut results,
        built: &mut built,
        cancel: &never,
        checks: std::collections::HashMap::new(),
    };
    family(&mut out, facts);
    let mut map = BTreeMap::new();
    for r in results {
        let previous = map.insert((r.check.to_string(), r.resource_id.to_string()), r.status);
        assert!(
            previous.is_none(),
            "one result per check and resource: {} {}",
            r.check,
            r.resource_id
        );
    }
    map
}

/// Asserts every case, and that the cases of each check hold a pass, a fail and an unknown.
pub(super) fn expect(results: &Results, cases: &[Cases]) {
    for (check, cases) in cases {
        for (resource, status) in *cases {
            let got = results.get(&((*check).to_owned(), (*resource).to_owned()));
            assert_eq!(got, Some(status), "{check} on {resource}");
        }
        let statuses: BTreeSet<Status> = cases.iter().map(|(_, s)| *s).collect();
        assert_eq!(statuses.len(), 3, "{check}: test pass, fail and unknown");
    }
}

/// One family's test fixture, its rules and the outcomes its test expects.
struct Suite {
    name: &'static str,
    facts: fn() -> Facts,
    family: Family,
    cases: &'static [Cases],
}

const SUITES: [Suite; 8] = [
    Suite {
        name: "s3",
        facts: super::s3::tests::facts,
        family: super::s3::evaluate,
        cases: super::s3::tests::CASES,
    },
    Suite {
        name: "network",
        facts: super::network::tests::facts,
        family: super::network::evaluate,
        cases: super::network::tests::CASES,
    },
    Suite {
        name: "compute",
        facts: super::compute::tests::facts,
        family: super::compute::evaluate,
        cases: super::compute::tests::CASES,
    },
    Suite {
        name: "databases",
        facts: super::databases::tests::facts,
        family: super::databases::evaluate,
        cases: super::databases::tests::CASES,
    },
    Suite {
        name: "logging",
        facts: super::logging::tests::facts,
        family: super::logging::evaluate,
        cases: super::logging::tests::CASES,
    },
    Suite {
        name: "kms",
        facts: super::kms::tests::facts,
        family: super::kms::evaluate,
        cases: super::kms::tests::CASES,
    },
    Suite {
        name: "iam",
        facts: super::iam::tests::facts,
        family: super::iam::evaluate,
        cases: super::iam::tests::CASES,
    },
    Suite {
        name: "serverless",
        facts: super::serverless::tests::facts,
        family: super::serverless::evaluate,
        cases: super::serverless::tests::CASES,
    },
];

/// The check keys of `data/checks.json`, as bundled.
fn check_keys() -> Vec<String> {
    let (_, text) = Catalog::bundled_files()
        .iter()
        .find(|(path, _)| *path == "checks.json")
        .expect("data/checks.json is bundled");
    let checks: Vec<Value> = serde_json::from_str(text).expect("checks.json parses");
    checks
        .iter()
        .map(|c| c["key"].as_str().expect("every check has a key").to_owned())
        .collect()
}

/// The keys whose tested outcomes lack a pass, a fail or an unknown, each with what it lacks.
fn missing_outcomes(keys: &[String], seen: &BTreeMap<&str, BTreeSet<Status>>) -> Vec<String> {
    keys.iter()
        .filter_map(|key| {
            let got = seen.get(key.as_str());
            let lacking: Vec<&str> = [Status::Pass, Status::Fail, Status::Unknown]
                .into_iter()
                .filter(|s| !got.is_some_and(|g| g.contains(s)))
                .map(Status::as_str)
                .collect();
            (!lacking.is_empty()).then(|| format!("{key} (no {})", lacking.join(", no ")))
        })
        .collect()
}

#[test]
fn every_check_in_data_has_a_pass_a_fail_and_an_unknown_test() {
    let mut seen: BTreeMap<&str, BTreeSet<Status>> = BTreeMap::new();
    for suite in &SUITES {
        let results = run(&(suite.facts)(), suite.family);
        for (check, cases) in suite.cases {
            for (resource, status) in *cases {
                let got = results.get(&((*check).to_owned(), (*resource).to_owned()));
                assert_eq!(got, Some(status), "{}: {check} on {resource}", suite.name);
                seen.entry(check).or_default().insert(*status);
            }
        }
    }
    let keys = check_keys();
    assert_eq!(keys.len(), Catalog::bundled().checks.len());
    let untested = missing_outcomes(&keys, &seen);
    assert!(
        untested.is_empty(),
        "checks without a unit test: {untested:?}"
    );
}

#[test]
fn a_check_missing_an_outcome_is_named() {
    use Status::{Fail, Pass, Unknown};
    let seen = BTreeMap::from([
        ("all", BTreeSet::from([Pass, Fail, Unknown])),
        ("two", BTreeSet::from([Pass, Fail])),
    ]);
    let keys = ["all", "two", "none"].map(str::to_owned);
    assert_eq!(
        missing_outcomes(&keys, &seen),
        ["two (no unknown)", "none (no pass, no fail, no unknown)"]
    );
}

/// F3: Cancel was not polled during rule evaluation, nor the budget counted there.
#[test]
fn evaluation_stops_when_cancelled_or_over_budget() {
    use crate::import::facts::Vpc;
    use std::sync::atomic::AtomicBool;
    let catalog = Catalog::bundled();
    let facts = Facts {
        vpcs: (0..1_000)
            .map(|i| Vpc {
                meta: meta("1"),
                id: format!("vpc-{i}"),
                is_default: Some(false),
            })
            .collect(),
        ..Facts::default()
    };
    let go = AtomicBool::new(false);
    let mut plenty = crate::import::Built::unlimited();
    let all = super::evaluate(&catalog, &facts, &mut plenty, &go).expect("evaluates");
    assert_eq!(all.len(), 1_000, "one flow-log result per VPC");
    let stop = AtomicBool::new(true);
    let mut built = crate::import::Built::unlimited();
    assert_eq!(
        super::evaluate(&catalog, &facts, &mut built, &stop).map(|r| r.len()),
        Err(super::Stopped::Cancelled)
    );
    let limits = crate::import::Limits {
        built_per_input_byte: 0,
        built_base_bytes: 10_000,
        ..crate::import::Limits::default()
    };
    let budget = crate::import::Budget::new(limits, std::rc::Rc::default());
    let mut small = crate::import::Built::new(&budget);
    assert_eq!(
        super::evaluate(&catalog, &facts, &mut small, &go).map(|r| r.len()),
        Err(super::Stopped::OverBudget)
    );
}
