//! Security Hub findings (ASFF): `aws securityhub get-findings` output `{"Findings": [...]}`
//! (also DefectDojo-style `{"findings": [...]}`), a bare array, one finding per line (NDJSON),
//! and `EventBridge` events wrapping findings (`{"detail": {"findings": [...]}}`). Prowler's
//! `json-asff` output is read here too.
//!
//! Which check a finding is about: `Compliance.SecurityControlId`, else
//! `ProductFields.ControlId`, else the `GeneratorId`: `prowler-<check id>` (Prowler), a
//! standard-specific id translated with AWS's table in
//! `data/reference/security-hub-standard-ids.json` (CIS v1.2.0 `.../rule/2.2` is CloudTrail.4),
//! `security-control/<id>`, or an FSBP id ending in the control id.
//!
//! Rules (README "Security Hub and Prowler findings"): `Workflow.Status` SUPPRESSED makes a
//! failing or undecided finding `suppressed` (`muted` for Prowler, and so is Prowler's
//! `Compliance.Status` WARNING, how it writes a muted finding), never an open fail;
//! `RecordState` ARCHIVED findings give no result; RESOLVED keeps the compliance status (Security
//! Hub resolves a control finding when it passes). When one file holds the same check for the
//! same resource and account several times, the newest `UpdatedAt` wins and the older verdicts
//! are named in its detail.

use super::common::{canonical_id, service_for_arn, service_for_type, type_for_asff};
use super::facts::Meta;
use super::stream::{FlagTick, JsonStream, StreamError};
use super::{Budget, ImportError, KeepPartial, Sink, keep_partial};
use crate::model::catalog::{Catalog, Check};
use crate::model::date::instant;
use crate::model::evidence::{Evidence, SourceFormat, Status, Text};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::sync::OnceLock;

#[derive(Deserialize)]
struct Finding {
    #[serde(rename = "Id", default)]
    id: Option<String>,
    #[serde(rename = "AwsAccountId", default)]
    account: Option<String>,
    #[serde(rename = "Region", default)]
    region: Option<String>,
    #[serde(rename = "GeneratorId", default)]
    generator: Option<String>,
    #[serde(rename = "ProductArn", default)]
    product_arn: Option<String>,
    #[serde(rename = "ProductName", default)]
    product_name: Option<String>,
    #[serde(rename = "Title", default)]
    title: Option<String>,
    #[serde(rename = "UpdatedAt", default)]
    updated_at: Option<String>,
    #[serde(rename = "Compliance", default)]
    compliance: Option<Compliance>,
    #[serde(rename = "ProductFields", default)]
    product_fields: Option<BTreeMap<String, Value>>,
    #[serde(rename = "Resources", default)]
    resources: Vec<AsffResource>,
    #[serde(rename = "RecordState", default)]
    record_state: Option<String>,
    #[serde(rename = "Workflow", default)]
    workflow: Option<Workflow>,
    #[serde(rename = "WorkflowState", default)]
    workflow_state: Option<String>,
}

#[derive(Deserialize)]
struct Compliance {
    #[serde(rename = "Status", default)]
    status: Option<String>,
    #[serde(rename = "SecurityControlId", default)]
    control: Option<String>,
}

#[derive(Deserialize)]
struct Workflow {
    #[serde(rename = "Status", default)]
    status: Option<String>,
}

#[derive(Deserialize)]
struct AsffResource {
    #[serde(rename = "Type", default)]
    kind: Option<String>,
    #[serde(rename = "Id", default)]
    id: Option<String>,
    #[serde(rename = "Region", default)]
    region: Option<String>,
}

/// A finding reduced to what lands on cells; shared with the Prowler importer.
#[derive(Clone)]
pub(crate) struct Landing<'a> {
    /// Checks the finding's control feeds (file order); empty when it feeds none.
    pub checks: Vec<&'a Check>,
    /// The control id, for messages (`S3.8`, `s3_bucket_default_encryption`).
    pub control: String,
    pub tool: &'static str,
    pub status: Status,
    pub raw_status: String,
    pub title: String,
    /// Appended to the detail (older verdicts of the same check, ...); empty or ` (...)`.
    pub note: String,
}

impl Landing<'_> {
    /// What each result says: the same for every resource the finding names, so it is built
    /// once per finding and shared ([`Sink::text`]).
    pub(crate) fn detail(&self) -> String {
        let covers = if self.checks.len() > 1 && self.status != Status::Pass {
            let keys: Vec<&str> = self.checks.iter().map(|c| c.key.as_str()).collect();
            format!(" (covers {})", keys.join(", "))
        } else {
            String::new()
        };
        format!(
            "{} {} {}{covers}: {}{}",
            self.tool, self.control, self.raw_status, self.title, self.note
        )
    }
}

/// Records one finding's result on one resource. A control feeding several checks (`S3.8`:
/// bucket Block Public Access missing or partial): a pass passes them all; a fail lands on the
/// group's first check, naming the others, since it does not say which one failed. `detail` is
/// the landing's [`Landing::detail`].
pub(crate) fn land(
    sink: &mut Sink,
    landing: &Landing,
    detail: &Text,
    meta: &Meta,
    resource_id: &str,
) {
    let Some(first) = landing.checks.first() else {
        return;
    };
    let targets: Vec<_> = if landing.status == Status::Pass || landing.checks.len() == 1 {
        landing.checks.clone()
    } else {
        vec![*first]
    };
    for check in targets {
        sink.result(
            check,
            meta,
            resource_id,
            landing.status,
            detail,
            &landing.control,
        );
    }
}

/// What a finding says it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Named {
    /// Security Hub control ids (a CIS v1.2.0 `GeneratorId` can stand for two).
    Controls(Vec<String>),
    /// A Prowler check id, from `GeneratorId: "prowler-<check id>"`.
    Prowler(String),
}

impl Named {
    fn label(&self) -> String {
        match self {
            Named::Controls(ids) => ids.join("+"),
            Named::Prowler(id) => id.clone(),
        }
    }
}

/// AWS's table of standard-specific `GeneratorId`s -> security control ids.
fn standard_ids() -> &'static HashMap<String, Vec<String>> {
    static TABLE: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<String, Vec<String>> = HashMap::new();
        let text = Catalog::bundled_files()
            .iter()
            .find(|(p, _)| *p == "reference/security-hub-standard-ids.json")
            .map_or("{}", |(_, t)| *t);
        let value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
        for entry in value
            .get("generator_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(before), Some(control)) = (
                entry.get("before").and_then(Value::as_str),
                entry.get("control").and_then(Value::as_str),
            ) {
                table
                    .entry(before.to_owned())
                    .or_default()
                    .push(control.to_owned());
            }
        }
        table
    })
}

fn named(f: &Finding) -> Option<Named> {
    let non_empty = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_owned);
    if let Some(id) = non_empty(f.compliance.as_ref().and_then(|c| c.control.as_deref())) {
        return Some(Named::Controls(vec![id]));
    }
    let field = |k: &str| f.product_fields.as_ref().and_then(|p| p.get(k)?.as_str());
    if let Some(id) = non_empty(field("ControlId")) {
        return Some(Named::Controls(vec![id]));
    }
    let generator = f.generator.as_deref()?;
    if let Some(check) = generator.strip_prefix("prowler-") {
        return Some(Named::Prowler(check.to_owned()));
    }
    if let Some(ids) = standard_ids().get(generator) {
        return Some(Named::Controls(ids.clone()));
    }
    // `security-control/S3.1`, `aws-foundational-security-best-practices/v/1.0.0/S3.8`; not a
    // bare rule number (`.../rule/2.2`), which only the table above can translate.
    let last = generator.rsplit('/').next().unwrap_or_default();
    if (generator.starts_with("security-control/") || generator.contains("/v/"))
        && last.chars().any(|c| c.is_ascii_alphabetic())
    {
        return Some(Named::Controls(vec![last.to_owned()]));
    }
    None
}

/// What made the finding: `ProductName`, `aws/securityhub/ProductName`, or the product in
/// `ProductArn` (`.../product/aws/guardduty` -> `guardduty`).
fn product(f: &Finding) -> String {
    f.product_name
        .clone()
        .or_else(|| {
            f.product_fields.as_ref().and_then(|p| {
                p.get("aws/securityhub/ProductName")?
                    .as_str()
                    .map(str::to_owned)
            })
        })
        .or_else(|| {
            f.product_arn
                .as_deref()
                .and_then(|a| a.rsplit('/').next())
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "unknown product".to_owned())
}

/// One (check, resource, account) of the file: the newest finding for it, and what older ones
/// said.
struct Slot<'a> {
    updated: String,
    finding_id: String,
    landing: Landing<'a>,
    meta: Meta,
    resource: String,
    archived: bool,
    history: Vec<String>,
}

/// What one file's import keeps between findings.
#[derive(Default)]
struct State<'a> {
    count: usize,
    unmapped: BTreeMap<String, usize>,
    /// Findings that name no control, per product (`GuardDuty`, Inspector, ...).
    without_control: BTreeMap<String, usize>,
    slots: Vec<Slot<'a>>,
    index: HashMap<(String, String, Text), usize>,
    next_token: bool,
    archived: usize,
    prowler: bool,
}

impl<'a> State<'a> {
    /// Keeps the newest verdict per (check, resource, account); an equal time keeps the later.
    fn offer(&mut self, key: (String, String, Text), slot: Slot<'a>) {
        let Some(&at) = self.index.get(&key) else {
            self.index.insert(key, self.slots.len());
            self.slots.push(slot);
            return;
        };
        let old = &mut self.slots[at];
        let same = old.finding_id == slot.finding_id && old.updated == slot.updated;
        let (mut newer, older) = if not_older(&slot.updated, &old.updated) {
            (slot, std::mem::replace(old, placeholder()))
        } else {
            let older = slot;
            (std::mem::replace(old, placeholder()), older)
        };
        if !same {
            newer.history.push(format!(
                "{} at {}",
                if older.archived {
                    "ARCHIVED".to_owned()
                } else {
                    older.landing.raw_status.clone()
                },
                if older.updated.is_empty() {
                    "an unknown time"
                } else {
                    &older.updated
                }
            ));
            newer.history.extend(older.history);
        }
        self.slots[at] = newer;
    }
}

/// `a` is as new as `b` or newer: as instants when both are, else as text.
fn not_older(a: &str, b: &str) -> bool {
    match (instant(a), instant(b)) {
        (Some(a), Some(b)) => a >= b,
        _ => a >= b,
    }
}

fn placeholder<'a>() -> Slot<'a> {
    Slot {
        updated: String::new(),
        finding_id: String::new(),
        landing: Landing {
            checks: Vec::new(),
            control: String::new(),
            tool: "",
            status: Status::Unknown,
            raw_status: String::new(),
            title: String::new(),
            note: String::new(),
        },
        meta: Meta {
            account: Text::from(""),
            region: Text::from(""),
            source: Text::from(""),
            observed: None,
        },
        resource: String::new(),
        archived: false,
        history: Vec::new(),
    }
}

pub(crate) fn import<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    reader: R,
    tick: FlagTick<'_, F>,
    budget: &Budget,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    let mut sink = Sink::new(catalog, path, tick.cancel, budget);
    let mut state = State::default();
    let mut stream = JsonStream::new(reader, tick, budget.limits.max_value_bytes)
        .relative_to_input(budget.limits);
    let outcome = read_values(&mut sink, &mut state, &mut stream);
    if let Err(err) = outcome {
        let location = format!("Findings[{}]", state.count);
        keep_partial(
            &mut sink,
            path,
            &location,
            "findings",
            state.count,
            err,
            compressed,
            KeepPartial::OnTruncation,
        )?;
    }
    finish(&mut sink, &state);
    sink.finish(SourceFormat::SecurityHubAsff)
}

/// Every top-level value: `{"Findings": [...]}`, an array of findings, findings one per line,
/// or `EventBridge` events.
fn read_values<'a, R: Read, T: super::stream::Tick>(
    sink: &mut Sink<'a>,
    state: &mut State<'a>,
    stream: &mut JsonStream<R, T>,
) -> Result<(), StreamError> {
    let mut value_index = 0usize;
    loop {
        if stream.next_is_array()? {
            stream.array(|_, bytes, offset| {
                let i = state.count;
                state.count += 1;
                finding_bytes(sink, state, i, bytes, offset);
                sink.keep_going()
            })?;
        } else {
            let offset = stream.offset();
            let mut values: Vec<(String, Vec<u8>)> = Vec::new();
            stream.object(
                |k| k == "Findings" || k == "findings",
                |k, v| values.push((k.to_owned(), v.to_vec())),
                |_, _, bytes, offset| {
                    let i = state.count;
                    state.count += 1;
                    finding_bytes(sink, state, i, bytes, offset);
                    sink.keep_going()
                },
            )?;
            other_object(sink, state, value_index, offset, &values);
        }
        value_index += 1;
        if stream.at_end()? {
            return Ok(());
        }
    }
}

/// A top-level object's small values: a finding of its own (one per line), an `EventBridge`
/// event's `detail`, or get-findings' `NextToken`.
fn other_object<'a>(
    sink: &mut Sink<'a>,
    state: &mut State<'a>,
    value_index: usize,
    offset: u64,
    values: &[(String, Vec<u8>)],
) {
    let has = |k: &str| values.iter().any(|(key, _)| key == k);
    if values
        .iter()
        .any(|(k, v)| k == "NextToken" && v.as_slice() != b"null" && v.as_slice() != b"\"\"")
    {
        state.next_token = true;
    }
    if has("SchemaVersion") || has("ProductArn") || has("GeneratorId") {
        let mut text = Vec::from(&b"{"[..]);
        for (i, (k, v)) in values.iter().enumerate() {
            if i > 0 {
                text.push(b',');
            }
            text.extend_from_slice(serde_json::to_string(k).unwrap_or_default().as_bytes());
            text.push(b':');
            text.extend_from_slice(v);
        }
        text.push(b'}');
        let i = state.count;
        state.count += 1;
        finding_bytes(sink, state, i, &text, offset);
        return;
    }
    if let Some((_, detail)) = values.iter().find(|(k, _)| k == "detail") {
        let path = sink.path.clone();
        let detail: Value = match serde_json::from_slice(detail) {
            Ok(v) => v,
            Err(e) => {
                sink.warn(
                    &path,
                    format!("value {value_index} (byte {offset})"),
                    format!("event skipped: {e}"),
                );
                return;
            }
        };
        let findings = detail
            .get("findings")
            .or_else(|| detail.get("Findings"))
            .and_then(Value::as_array);
        for f in findings.into_iter().flatten() {
            let i = state.count;
            state.count += 1;
            match serde_json::from_value::<Finding>(f.clone()) {
                Ok(f) => finding(sink, state, i, &f),
                Err(e) => sink.warn(
                    &path,
                    format!("Findings[{i}] (byte {offset})"),
                    format!("finding skipped: {e}"),
                ),
            }
        }
        return;
    }
    if value_index > 0 {
        let path = sink.path.clone();
        sink.warn(
            &path,
            format!("value {value_index} (byte {offset})"),
            "skipped: neither a finding nor a list of findings",
        );
    }
}

fn finding_bytes<'a>(
    sink: &mut Sink<'a>,
    state: &mut State<'a>,
    index: usize,
    bytes: &[u8],
    offset: u64,
) {
    match serde_json::from_slice::<Finding>(bytes) {
        Ok(f) => finding(sink, state, index, &f),
        Err(e) => {
            let path = sink.path.clone();
            sink.warn(
                &path,
                format!("Findings[{index}] (byte {offset})"),
                format!("finding skipped: {e}"),
            );
        }
    }
}

/// Lands the newest verdicts and says what was not landed.
fn finish(sink: &mut Sink, state: &State) {
    let path = sink.path.clone();
    for slot in state.slots.iter().filter(|s| !s.archived) {
        let mut landing = slot.landing.clone();
        if !slot.history.is_empty() {
            landing.note = format!(
                " (newest of {} in this file; earlier: {})",
                slot.history.len() + 1,
                slot.history.join(", ")
            );
        }
        let detail = sink.text(&landing.detail());
        land(sink, &landing, &detail, &slot.meta, &slot.resource);
    }
    if state.next_token {
        sink.warn(
            &path,
            "",
            "this is one page of several: the output has a NextToken (run get-findings without --max-items or --no-paginate to get every page)",
        );
    }
    if !state.unmapped.is_empty() {
        let total: usize = state.unmapped.values().sum();
        let ids: Vec<&str> = state.unmapped.keys().map(String::as_str).take(20).collect();
        let more = if state.unmapped.len() > 20 {
            format!(" and {} more", state.unmapped.len() - 20)
        } else {
            String::new()
        };
        let what = if state.prowler {
            "Prowler checks"
        } else {
            "controls"
        };
        sink.warn(
            &path,
            "",
            format!("{total} findings of {what} no check covers ({}{more}); their resources count as in use", ids.join(", ")),
        );
    }
    if !state.without_control.is_empty() {
        let total: usize = state.without_control.values().sum();
        let products: Vec<String> = state
            .without_control
            .iter()
            .map(|(p, n)| format!("{n} {p}"))
            .collect();
        sink.warn(
            &path,
            "",
            format!(
                "{total} findings name no control or check ({}): they land on no cell",
                products.join(", ")
            ),
        );
    }
    if state.archived > 0 {
        sink.warn(
            &path,
            "",
            format!("{} archived findings (RecordState ARCHIVED: resource deleted or control disabled) give no result", state.archived),
        );
    }
}

/// Status of a finding: Compliance.Status, unless a failing or undecided finding is suppressed,
/// or a Prowler finding is muted.
fn status_of(f: &Finding, prowler: bool) -> (Status, String) {
    let raw = f
        .compliance
        .as_ref()
        .and_then(|c| c.status.clone())
        .unwrap_or_default()
        .to_ascii_uppercase();
    let status = match raw.as_str() {
        "PASSED" => Status::Pass,
        "FAILED" => Status::Fail,
        _ => Status::Unknown,
    };
    let workflow = f
        .workflow
        .as_ref()
        .and_then(|w| w.status.clone())
        .or_else(|| f.workflow_state.clone())
        .unwrap_or_default()
        .to_ascii_uppercase();
    if prowler && raw == "WARNING" {
        // Prowler's json-asff writes every finding its mutelist muted as WARNING, with no
        // Workflow (prowler/lib/outputs/asff/asff.py, `generate_status`); Security Hub's own
        // WARNING stays undecided.
        return (Status::Muted, "WARNING, MUTED".to_owned());
    }
    let shown = if raw.is_empty() {
        "NO STATUS".to_owned()
    } else {
        raw
    };
    if workflow == "SUPPRESSED" && status != Status::Pass {
        let exception = if prowler {
            Status::Muted
        } else {
            Status::Suppressed
        };
        return (exception, format!("{shown}, SUPPRESSED"));
    }
    (status, shown)
}

fn finding<'a>(sink: &mut Sink<'a>, state: &mut State<'a>, index: usize, f: &Finding) {
    let path = sink.path.clone();
    let location = format!("Findings[{index}]");
    let catalog = sink.catalog;
    let named = named(f);
    let checks: Vec<&Check> = match &named {
        Some(Named::Controls(ids)) => {
            let mut all: Vec<&Check> = Vec::new();
            for id in ids {
                for c in catalog.checks_for_security_hub(id) {
                    if !all.iter().any(|x| x.key == c.key) {
                        all.push(c);
                    }
                }
            }
            all
        }
        Some(Named::Prowler(id)) => {
            state.prowler = true;
            catalog.checks_for_prowler(super::prowler::current_id(id))
        }
        None => Vec::new(),
    };
    let prowler = matches!(named, Some(Named::Prowler(_)));
    match &named {
        None => *state.without_control.entry(product(f)).or_default() += 1,
        Some(n) if checks.is_empty() => *state.unmapped.entry(n.label()).or_default() += 1,
        Some(_) => {}
    }
    if f.resources.is_empty() {
        sink.warn(&path, location, "finding without resources skipped");
        return;
    }
    let archived = f
        .record_state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("ARCHIVED"));
    if archived {
        state.archived += 1;
    }
    let (status, raw_status) = status_of(f, prowler);
    let landing = Landing {
        checks: if f.compliance.is_some() {
            checks
        } else {
            Vec::new()
        },
        control: named.as_ref().map(Named::label).unwrap_or_default(),
        tool: if prowler { "Prowler" } else { "Security Hub" },
        status,
        raw_status,
        title: f.title.clone().unwrap_or_default(),
        note: String::new(),
    };
    resources(sink, state, index, f, &landing, archived);
}

/// Records the finding's resources and offers its verdict on each.
fn resources<'a>(
    sink: &mut Sink<'a>,
    state: &mut State<'a>,
    index: usize,
    f: &Finding,
    landing: &Landing<'a>,
    archived: bool,
) {
    let path = sink.path.clone();
    let catalog = sink.catalog;
    let account = sink.intern(f.account.as_deref().unwrap_or_default());
    let observed = f
        .updated_at
        .as_deref()
        .filter(|t| instant(t).is_some())
        .map(|t| sink.intern(t));
    let mut seen = BTreeSet::new();
    for (i, r) in f.resources.iter().enumerate() {
        let Some(raw_id) = r.id.as_deref().filter(|s| !s.is_empty()) else {
            sink.warn(
                &path,
                format!("Findings[{index}].Resources[{i}]"),
                "resource without an Id skipped",
            );
            continue;
        };
        let id = canonical_id(raw_id);
        if !seen.insert(id.clone()) {
            continue;
        }
        let region = r
            .region
            .as_deref()
            .or(f.region.as_deref())
            .unwrap_or_default();
        let mut meta = sink.meta_for(&account, region, &path);
        meta.observed.clone_from(&observed);
        let asff_type = r.kind.clone().unwrap_or_default();
        if asff_type != "AwsAccount" && !archived {
            let cfn = type_for_asff(&asff_type);
            let service = cfn
                .and_then(|t| service_for_type(catalog, t, None))
                .or_else(|| {
                    raw_id
                        .starts_with("arn:")
                        .then(|| service_for_arn(catalog, raw_id))
                        .flatten()
                })
                .or_else(|| landing.checks.first().map(|c| c.service.clone()));
            sink.resource_with_service(cfn.unwrap_or(&asff_type), &id, &meta, service);
        }
        if landing.checks.is_empty() {
            continue;
        }
        let key = (landing.control.clone(), id.clone(), account.clone());
        state.offer(
            key,
            Slot {
                updated: f.updated_at.clone().unwrap_or_default(),
                finding_id: f.id.clone().unwrap_or_default(),
                landing: landing.clone(),
                meta,
                resource: id,
                archived,
                history: Vec::new(),
            },
        );
    }
}

#[cfg(test)]
mod tests;
