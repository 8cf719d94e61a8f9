//! The findings board: one finding per (check, resource), deduplicated across sources, grouped
//! by service, check or control, filtered by status, severity, service, account, region and
//! text. Pure; built once per import, filtered on every change of the filter.
//!
//! **Dedup.** Results are the same finding when they answer the same question (the same check
//! group: checks sharing a Security Hub control, like `s3_versioning_off` and
//! `s3_versioning_suspended`, see [`Catalog::check_group`]) about the same resource (account and
//! resource id) in the same region. A result without a region (`global`, or empty: IAM, the
//! account-wide S3 Block Public Access) joins the finding of the one region the other sources
//! name; when they name several, it stays a finding of its own.
//!
//! **Status.** A finding's status is the first of its results' statuses in [`Status::ALL`]
//! (failing first): every count and filter here goes through `Status::ALL`, so a new evidence
//! status is one enum variant away.
//!
//! **Speed.** Every string is interned once; a finding is a few integers. The three display
//! orders are sorted at build time, so filtering is one pass over integers (see
//! `benches/findings.rs`).

use super::catalog::{Catalog, Severity};
use super::evidence::{CheckResult, Evidence, SourceFormat, Status};
use std::collections::HashMap;

mod build;
#[cfg(test)]
mod tests;

/// The region of a finding whose sources name none.
pub const GLOBAL_REGION: &str = "global";

/// A finding's identity across imports and in the engagement file: the check group's key, the
/// account, the region and the resource.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FindingKey {
    pub check: String,
    pub account: String,
    pub region: String,
    pub resource_id: String,
}

impl FindingKey {
    /// The same finding, whatever region the sources gave it.
    pub fn same_resource(&self, other: &FindingKey) -> bool {
        self.check == other.check
            && self.account == other.account
            && self.resource_id == other.resource_id
    }
}

/// Which kinds of source reported a finding: a set over [`SourceFormat::ALL`], plus one bit for
/// a source of a kind this version does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SourceKinds(u8);

impl SourceKinds {
    const OTHER: u8 = 1 << 7;

    pub fn insert(&mut self, format: Option<SourceFormat>) {
        self.0 |= match format {
            Some(f) => 1 << SourceFormat::ALL.iter().position(|x| *x == f).unwrap_or(0),
            None => Self::OTHER,
        };
    }

    fn union(self, other: SourceKinds) -> SourceKinds {
        SourceKinds(self.0 | other.0)
    }

    pub fn formats(self) -> impl Iterator<Item = SourceFormat> {
        SourceFormat::ALL
            .into_iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, f)| f)
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// "CLI collection, Security Hub".
    pub fn labels(self) -> String {
        let mut words: Vec<&str> = self.formats().map(SourceFormat::short_label).collect();
        if self.0 & Self::OTHER != 0 {
            words.push("another source");
        }
        words.join(", ")
    }
}

/// How the board groups its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Grouping {
    #[default]
    Service,
    Check,
    Control,
}

impl Grouping {
    pub const ALL: [Grouping; 3] = [Grouping::Service, Grouping::Check, Grouping::Control];

    pub fn label(self) -> &'static str {
        match self {
            Grouping::Service => "Service",
            Grouping::Check => "Check",
            Grouping::Control => "Control",
        }
    }

    fn index(self) -> usize {
        match self {
            Grouping::Service => 0,
            Grouping::Check => 1,
            Grouping::Control => 2,
        }
    }
}

/// Counts per status, by position in [`Status::ALL`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StatusCounts([usize; Status::ALL.len()]);

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        self.0[status.index()] += 1;
    }

    pub fn get(&self, status: Status) -> usize {
        self.0[status.index()]
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// What the board shows. Statuses and severities are explicit sets (what is ticked is what is
/// shown); service, account and region are one value or all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingFilter {
    pub statuses: Vec<Status>,
    pub severities: Vec<Severity>,
    pub service: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Words in the check's title, the service or the resource id (case-insensitive).
    pub query: String,
}

impl Default for FindingFilter {
    /// Failing and unknown findings of every severity, service, account and region.
    fn default() -> Self {
        FindingFilter {
            statuses: Status::ALL
                .into_iter()
                .filter(|s| *s != Status::Pass)
                .collect(),
            severities: Severity::ALL.to_vec(),
            service: None,
            account: None,
            region: None,
            query: String::new(),
        }
    }
}

/// An evidence check as the board knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInfo {
    pub key: String,
    /// The key of its check group: what a [`FindingKey`] names.
    pub group: String,
    pub title: String,
    /// `None` for a key this catalog does not know.
    pub severity: Option<Severity>,
    pub service: String,
    pub control: String,
}

/// One finding: indexes into the tables of its [`Findings`] and into the evidence's results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// The most specific check among the results with the finding's status.
    pub check: u32,
    /// The check group (the key).
    group: u32,
    pub service: u32,
    pub control: u32,
    pub account: u32,
    pub region: u32,
    pub status: Status,
    pub sources: SourceKinds,
    /// A result with the finding's status (its detail is shown).
    pub result: u32,
    /// How many results were merged into it.
    pub results: u32,
    /// The only finding of its check group and resource (whatever the region).
    sole: bool,
}

/// A group of the filtered view: its rows are `rows[start..start + len]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    /// A service, check or control index (see [`Findings::group_label`]).
    pub id: u32,
    pub start: usize,
    pub len: usize,
    pub counts: StatusCounts,
}

/// The rows that pass a filter, in display order, and their groups.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingsView {
    pub grouping: Grouping,
    /// Indexes into [`Findings::rows`].
    pub rows: Vec<u32>,
    pub groups: Vec<GroupView>,
    /// Matching findings per status.
    pub counts: StatusCounts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    id: u32,
    start: u32,
    end: u32,
}

/// A display order: positions of rows, and where each group starts and ends.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Order {
    /// Empty for the order the rows are stored in.
    rows: Vec<u32>,
    spans: Vec<Span>,
}

/// Every finding of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Findings {
    pub checks: Vec<CheckInfo>,
    /// Service ids, controls ids, accounts and regions, each sorted.
    pub services: Vec<String>,
    pub controls: Vec<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// Stored by service (the `Grouping::Service` order).
    pub rows: Vec<Finding>,
    orders: [Order; 3],
    /// Lowercase check titles, for the text filter.
    titles_lower: Vec<String>,
    /// The distinct resource ids in lowercase, and each row's (for the text filter).
    resources_lower: Vec<String>,
    resource_of: Vec<u32>,
    /// Counts of all findings per status.
    pub totals: StatusCounts,
}

/// Interns strings into a table; `finish` sorts the table and says where each id went.
#[derive(Default)]
struct Interner<'a> {
    ids: HashMap<&'a str, u32>,
    table: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, text: &'a str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.table.len() as u32;
        self.ids.insert(text, id);
        self.table.push(text);
        id
    }

    /// The sorted table, and for each old id its new one.
    fn finish(self) -> (Vec<String>, Vec<u32>) {
        let mut order: Vec<u32> = (0..self.table.len() as u32).collect();
        order.sort_by_key(|&i| self.table[i as usize]);
        let mut remap = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        let table = order
            .iter()
            .map(|&i| self.table[i as usize].to_owned())
            .collect();
        (table, remap)
    }
}

/// The kind of source of each distinct `source` string: the longest source path it is, or lies
/// inside (a Security Hub file inside a collection folder is Security Hub).
fn source_kind(evidence: &Evidence, source: &str) -> Option<SourceFormat> {
    evidence
        .sources
        .iter()
        .filter(|s| {
            source == s.path
                || source
                    .strip_prefix(s.path.as_str())
                    .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('\\'))
        })
        .max_by_key(|s| s.path.len())
        .map(|s| s.format)
}

fn is_global(region: &str) -> bool {
    region.is_empty() || region == GLOBAL_REGION
}

impl Findings {
    /// Deduplicates the evidence's results into findings. Results of checks the catalog does
    /// not know keep their key as the title and have no severity.
    pub fn build(catalog: &Catalog, evidence: &Evidence) -> Findings {
        build::build(catalog, evidence)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn check(&self, finding: &Finding) -> &CheckInfo {
        &self.checks[finding.check as usize]
    }

    pub fn account(&self, finding: &Finding) -> &str {
        &self.accounts[finding.account as usize]
    }

    pub fn region(&self, finding: &Finding) -> &str {
        &self.regions[finding.region as usize]
    }

    pub fn service(&self, finding: &Finding) -> &str {
        &self.services[finding.service as usize]
    }

    pub fn control(&self, finding: &Finding) -> &str {
        &self.controls[finding.control as usize]
    }

    pub fn severity(&self, finding: &Finding) -> Option<Severity> {
        self.check(finding).severity
    }

    /// The representative result (resource id, detail) in the evidence the findings were built
    /// from.
    pub fn result<'e>(&self, finding: &Finding, evidence: &'e Evidence) -> Option<&'e CheckResult> {
        evidence.results.get(finding.result as usize)
    }

    /// The finding's identity (for decisions kept in an engagement).
    pub fn key(&self, finding: &Finding, evidence: &Evidence) -> FindingKey {
        FindingKey {
            check: self.checks[finding.group as usize].key.clone(),
            account: self.account(finding).to_owned(),
            region: self.region(finding).to_owned(),
            resource_id: self
                .result(finding, evidence)
                .map(|r| r.resource_id.to_string())
                .unwrap_or_default(),
        }
    }

    /// True when no other finding has its check group and resource: a decision recorded for
    /// the resource in another region (before another source named the region) is still its.
    pub fn sole(&self, finding: &Finding) -> bool {
        finding.sole
    }

    /// The words of a group: the service id, the check's title, or the control id.
    pub fn group_label(&self, grouping: Grouping, id: u32) -> &str {
        let table = match grouping {
            Grouping::Service => &self.services,
            Grouping::Control => &self.controls,
            Grouping::Check => return &self.checks[id as usize].title,
        };
        table.get(id as usize).map_or("", String::as_str)
    }

    /// The rows that pass `filter`, grouped: one pass over integers. A text query is matched
    /// once per check title, service, account and distinct resource id, not once per row.
    pub fn filter(&self, filter: &FindingFilter, grouping: Grouping) -> FindingsView {
        let pass = Pass::new(self, filter);
        let order = &self.orders[grouping.index()];
        let mut view = FindingsView {
            grouping,
            rows: Vec::new(),
            groups: Vec::new(),
            counts: StatusCounts::default(),
        };
        for span in &order.spans {
            let start = view.rows.len();
            let mut counts = StatusCounts::default();
            for pos in span.start..span.end {
                let index = if order.rows.is_empty() {
                    pos
                } else {
                    order.rows[pos as usize]
                };
                let finding = &self.rows[index as usize];
                if pass.keeps(finding) && pass.text_matches(self, index, finding) {
                    counts.add(finding.status);
                    view.rows.push(index);
                }
            }
            let len = view.rows.len() - start;
            if len > 0 {
                for status in Status::ALL {
                    view.counts.0[status.index()] += counts.get(status);
                }
                view.groups.push(GroupView {
                    id: span.id,
                    start,
                    len,
                    counts,
                });
            }
        }
        view
    }
}

/// A filter turned into lookups by index.
struct Pass {
    status: [bool; Status::ALL.len()],
    /// Per check: its severity is ticked.
    check_ok: Vec<bool>,
    service: Option<u32>,
    account: Option<u32>,
    region: Option<u32>,
    /// Impossible: a service, account or region the findings do not have.
    nothing: bool,
    /// No text query: everything matches it.
    no_query: bool,
    /// Per check: its title or service matches the query.
    check_text: Vec<bool>,
    /// Per account and per distinct resource id: it matches the query (empty without one).
    account_text: Vec<bool>,
    resource_text: Vec<bool>,
}

impl Pass {
    fn new(findings: &Findings, filter: &FindingFilter) -> Pass {
        let mut status = [false; Status::ALL.len()];
        for s in &filter.statuses {
            status[s.index()] = true;
        }
        let find = |table: &[String], value: &Option<String>| -> (Option<u32>, bool) {
            match value {
                None => (None, false),
                Some(v) => match table.binary_search(v) {
                    Ok(i) => (Some(i as u32), false),
                    Err(_) => (None, true),
                },
            }
        };
        let (service, no_service) = find(&findings.services, &filter.service);
        let (account, no_account) = find(&findings.accounts, &filter.account);
        let (region, no_region) = find(&findings.regions, &filter.region);
        let query = filter.query.trim().to_lowercase();
        Pass {
            status,
            check_ok: findings
                .checks
                .iter()
                .map(|c| c.severity.is_none_or(|s| filter.severities.contains(&s)))
                .collect(),
            service,
            account,
            region,
            nothing: no_service || no_account || no_region,
            check_text: findings
                .checks
                .iter()
                .zip(&findings.titles_lower)
                .map(|(c, title)| {
                    query.is_empty() || title.contains(&query) || c.service.contains(&query)
                })
                .collect(),
            account_text: matches(&findings.accounts, &query),
            resource_text: matches(&findings.resources_lower, &query),
            no_query: query.is_empty(),
        }
    }

    fn keeps(&self, f: &Finding) -> bool {
        !self.nothing
            && self.status[f.status.index()]
            && self.check_ok[f.check as usize]
            && self.service.is_none_or(|s| s == f.service)
            && self.account.is_none_or(|a| a == f.account)
            && self.region.is_none_or(|r| r == f.region)
    }

    fn text_matches(&self, findings: &Findings, index: u32, f: &Finding) -> bool {
        self.no_query
            || self.check_text[f.check as usize]
            || self.account_text[f.account as usize]
            || findings
                .resource_of
                .get(index as usize)
                .is_some_and(|&r| self.resource_text[r as usize])
    }
}

/// For each text, whether it contains `query` (lowercase); empty when there is no query.
fn matches(texts: &[String], query: &str) -> Vec<bool> {
    if query.is_empty() {
        return Vec::new();
    }
    texts.iter().map(|t| t.contains(query)).collect()
}
