//! What one import collects before it becomes `Evidence`, and the budget on what it builds.
//!
//! Caps on bytes read do not bound memory: a 50 KB finding naming a 1 MB account id on 20,000
//! resources would clone that id into every resource and result (60 GB). So text is shared,
//! never cloned per record: every string a record holds is interned once per import
//! ([`Built::intern`]) and records hold `Arc<str>` handles to it. And what an import builds is
//! counted: records at their size, each distinct string once, parsed JSON at an estimate of its
//! tree. The budget is relative to the input read so far ([`super::Limits::built_budget`]:
//! `min(2 GB, k × inflated bytes read + C)`); past it the import stops and fails with an error
//! that names the file, rather than taking the machine down.

use super::facts::{Facts, Meta};
use super::{ImportError, Limits, rules};
use crate::model::catalog::{Catalog, Check};
use crate::model::evidence::{
    CheckResult, Evidence, Resource, SourceFormat, SourceInfo, Status, Text, Warning,
};
use serde_json::Value;
use std::cell::Cell;
use std::collections::{BTreeSet, HashSet};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Warnings kept per source; past this, one summary line says how many more there were.
const MAX_WARNINGS: usize = 200;

/// Bytes an interned string costs beyond its text: the `Arc` header and its slot in the set.
const STRING_OVERHEAD: u64 = 48;

/// The limits of one import and the count of input bytes it has read so far (inflated: the
/// counter sits after the decompressor), which its budget grows with.
pub(crate) struct Budget {
    pub limits: Limits,
    pub input: Rc<Cell<u64>>,
}

impl Budget {
    pub(crate) fn new(limits: Limits, input: Rc<Cell<u64>>) -> Budget {
        Budget { limits, input }
    }
}

/// Shared text and the count of bytes built, with the budget.
pub(crate) struct Built {
    strings: HashSet<Text>,
    used: u64,
    limits: Limits,
    input: Rc<Cell<u64>>,
    /// The budget and the input read when it was passed.
    over: Option<(u64, u64)>,
}

impl Built {
    pub(crate) fn new(budget: &Budget) -> Built {
        Built {
            strings: HashSet::new(),
            used: 0,
            limits: budget.limits,
            input: budget.input.clone(),
            over: None,
        }
    }

    /// No budget at all (rule tests).
    #[cfg(test)]
    pub(crate) fn unlimited() -> Built {
        let limits = Limits {
            max_built_bytes: u64::MAX,
            built_base_bytes: u64::MAX,
            ..Limits::default()
        };
        Built::new(&Budget::new(limits, Rc::default()))
    }

    /// Counts `bytes` as built; false (and from then on) once the budget for the input read
    /// so far is passed.
    pub(crate) fn charge(&mut self, bytes: u64) -> bool {
        self.used = self.used.saturating_add(bytes);
        if self.over.is_none() {
            let input = self.input.get();
            let budget = self.limits.built_budget(input);
            if self.used > budget {
                self.over = Some((budget, input));
            }
        }
        self.over.is_none()
    }

    /// Counts `bytes` more of input read (collections, which read whole files).
    pub(crate) fn add_input(&mut self, bytes: u64) {
        self.input.set(self.input.get().saturating_add(bytes));
    }

    /// The shared copy of `text` (made, and counted, the first time it is seen).
    pub(crate) fn intern(&mut self, text: &str) -> Text {
        if let Some(shared) = self.strings.get(text) {
            return shared.clone();
        }
        let shared: Text = Arc::from(text);
        self.charge(text.len() as u64 + STRING_OVERHEAD);
        self.strings.insert(shared.clone());
        shared
    }

    /// True once the limit was passed.
    pub(crate) fn is_over(&self) -> bool {
        self.over.is_some()
    }
}

/// The memory a parsed `Value` holds, estimated like [`super::stream::parse_estimate`]: its
/// strings plus [`super::stream::NODE_BYTES`] per node. Linear in the tree.
pub(crate) fn value_bytes(value: &Value) -> u64 {
    let node = super::stream::NODE_BYTES;
    match value {
        Value::String(s) => node + s.len() as u64,
        Value::Array(items) => items.iter().map(value_bytes).sum::<u64>() + node,
        Value::Object(map) => {
            map.iter()
                .map(|(k, v)| k.len() as u64 + value_bytes(v))
                .sum::<u64>()
                + node
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => node,
    }
}

/// What one import collects before it becomes `Evidence`.
pub(crate) struct Sink<'a> {
    pub catalog: &'a Catalog,
    pub path: String,
    source: Text,
    pub facts: Facts,
    resources: Vec<Resource>,
    results: Vec<CheckResult>,
    warnings: Vec<Warning>,
    dropped_warnings: usize,
    accounts: BTreeSet<Text>,
    regions: BTreeSet<Text>,
    cancel: &'a AtomicBool,
    pub(crate) built: Built,
}

impl<'a> Sink<'a> {
    /// A sink for the file `path`; `cancel` stops it (rule evaluation included), `budget`
    /// bounds what it builds (`Limits::built_budget` of the input read so far).
    pub fn new(catalog: &'a Catalog, path: &str, cancel: &'a AtomicBool, budget: &Budget) -> Self {
        let mut built = Built::new(budget);
        let source = built.intern(path);
        Sink {
            catalog,
            path: path.to_owned(),
            source,
            facts: Facts::default(),
            resources: Vec::new(),
            results: Vec::new(),
            warnings: Vec::new(),
            dropped_warnings: 0,
            accounts: BTreeSet::new(),
            regions: BTreeSet::new(),
            cancel,
            built,
        }
    }

    /// False once the import was cancelled or built more than its limit: readers stop there.
    pub fn keep_going(&self) -> bool {
        !self.built.is_over() && !self.cancel.load(Ordering::Relaxed)
    }

    pub fn warn(&mut self, source: &str, location: impl Into<String>, message: impl Into<String>) {
        if self.warnings.len() < MAX_WARNINGS {
            let warning = Warning::new(source, location, message);
            let size = warning.source.len() + warning.location.len() + warning.message.len();
            self.built.charge(size as u64);
            self.warnings.push(warning);
        } else {
            self.dropped_warnings += 1;
        }
    }

    /// `text` as shared text, counted but not interned (a finding's detail, shared by the
    /// results of every resource it names).
    pub fn text(&mut self, text: &str) -> Text {
        self.built.charge(text.len() as u64 + STRING_OVERHEAD);
        Arc::from(text)
    }

    /// Shared text for a record of this import.
    pub fn intern(&mut self, text: &str) -> Text {
        self.built.intern(text)
    }

    pub fn meta(&mut self, account: &str, region: &str, source: &str) -> Meta {
        let account = self.intern(account);
        self.meta_for(&account, region, source)
    }

    /// [`Sink::meta`] for an account already interned (one finding, many resources).
    pub fn meta_for(&mut self, account: &Text, region: &str, source: &str) -> Meta {
        let region = self.intern(region);
        let source = if source == &*self.source {
            self.source.clone()
        } else {
            self.intern(source)
        };
        if !account.is_empty() && !self.accounts.contains(account) {
            self.accounts.insert(account.clone());
        }
        if !region.is_empty() && &*region != "global" && !self.regions.contains(&region) {
            self.regions.insert(region.clone());
        }
        Meta {
            account: account.clone(),
            region,
            source,
            observed: None,
        }
    }

    /// Records a resource seen; its service comes from the catalog's mapping tables.
    pub fn resource(
        &mut self,
        resource_type: &str,
        resource_id: &str,
        meta: &Meta,
        engine: Option<&str>,
    ) {
        let service = super::common::service_for_type(self.catalog, resource_type, engine);
        self.resource_with_service(resource_type, resource_id, meta, service);
    }

    pub fn resource_with_service(
        &mut self,
        resource_type: &str,
        resource_id: &str,
        meta: &Meta,
        service: Option<String>,
    ) {
        if self.built.is_over() {
            return;
        }
        let resource = Resource {
            resource_type: self.intern(resource_type),
            resource_id: self.intern(resource_id),
            region: meta.region.clone(),
            account: meta.account.clone(),
            service: service.map(|s| self.intern(&s)),
            source: meta.source.clone(),
        };
        if self.built.charge(size_of::<Resource>() as u64) {
            self.resources.push(resource);
        }
    }

    /// Records one result a finding gives a resource. `detail` is shared by every resource
    /// the finding names; `test` is the control or Prowler check that gave it.
    pub fn result(
        &mut self,
        check: &Check,
        meta: &Meta,
        resource_id: &str,
        status: Status,
        detail: &Text,
        test: &str,
    ) {
        if self.built.is_over() {
            return;
        }
        let result = CheckResult {
            check: self.intern(&check.key),
            service: self.intern(&check.service),
            control: self.intern(&check.control),
            resource_id: self.intern(resource_id),
            region: meta.region.clone(),
            account: meta.account.clone(),
            status,
            detail: detail.clone(),
            source: meta.source.clone(),
            observed_at: meta.observed.clone(),
            test: self.intern(test),
            earlier: Vec::new(),
        };
        if self.built.charge(size_of::<CheckResult>() as u64) {
            self.results.push(result);
        }
    }

    /// Records results built elsewhere (Config-rule verdicts), each counted against the budget.
    pub fn extend_results(&mut self, results: impl IntoIterator<Item = CheckResult>) {
        for result in results {
            if self.built.is_over() || !self.built.charge(size_of::<CheckResult>() as u64) {
                return;
            }
            self.results.push(result);
        }
    }

    fn too_large(&self) -> ImportError {
        let limits = self.built.limits;
        let (budget, input) = self.built.over.unwrap_or((limits.max_built_bytes, 0));
        ImportError::TooLarge {
            path: self.path.clone(),
            message: format!(
                "the import would build more than {} of records from {} of input (the budget is \
                 {}x the input plus {}, at most {}; {} resources, {} results read so far; a \
                 hostile or broken file?); not imported",
                super::size(budget),
                super::size(input),
                limits.built_per_input_byte,
                super::size(limits.built_base_bytes),
                super::size(limits.max_built_bytes),
                self.resources.len(),
                self.results.len()
            ),
        }
    }

    fn cancelled(&self) -> ImportError {
        ImportError::Cancelled {
            path: self.path.clone(),
        }
    }

    /// Runs the checks over the facts and packs everything up as one source. Fails when the
    /// import was cancelled or built more than its limit, reading or evaluating.
    pub fn finish(mut self, format: SourceFormat) -> Result<Evidence, ImportError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err(self.cancelled());
        }
        if self.built.is_over() {
            return Err(self.too_large());
        }
        let evaluated = rules::evaluate(self.catalog, &self.facts, &mut self.built, self.cancel);
        let mut results = match evaluated {
            Ok(results) => results,
            Err(rules::Stopped::Cancelled) => return Err(self.cancelled()),
            Err(rules::Stopped::OverBudget) => return Err(self.too_large()),
        };
        results.append(&mut self.results);
        if self.dropped_warnings > 0 {
            let path = self.path.clone();
            self.warnings.push(Warning::new(
                path,
                "",
                format!("{} more warnings not shown", self.dropped_warnings),
            ));
        }
        let mut evidence = Evidence {
            sources: vec![SourceInfo {
                path: self.path,
                format,
                accounts: self.accounts.iter().map(ToString::to_string).collect(),
                regions: self.regions.iter().map(ToString::to_string).collect(),
            }],
            resources: self.resources,
            results,
            warnings: self.warnings,
        };
        // Newest wins inside one file too (a Prowler report naming a check twice).
        evidence.settle();
        Ok(evidence)
    }
}
