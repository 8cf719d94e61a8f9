//! AWS Config configuration snapshots: `{"fileVersion", "configSnapshotId",
//! "configurationItems": [...]}` as delivered to S3 (`.json` or `.json.gz`). Also accepts the API
//! shape of items (`accountId`, `arn`, `configuration` as a JSON string), a file of single items
//! (one, or one per line), Config notifications (`{"configurationItem": {...}}`) and `EventBridge`
//! events wrapping one (`{"detail": {"configurationItem": {...}}}`). Items stream one at a
//! time; a broken item is skipped with a warning naming its index. Config-rule verdicts
//! (`AWS::Config::ResourceCompliance` items) land on checks through `compliance`.
//!
//! `resources` has one reader per resource type, behind a `match` on the type.

mod compliance;
mod resources;

pub(crate) use resources::acl_entries;

use super::common::canonical_id;
use super::stream::{FlagTick, JsonStream};
use super::{Budget, ImportError, KeepPartial, Sink, keep_partial};
use crate::model::catalog::Catalog;
use crate::model::date::instant;
use crate::model::evidence::{Evidence, SourceFormat};
use resources::Parts;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
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
    #[serde(rename = "configurationItemCaptureTime", borrow, default)]
    capture_time: Option<Cow<'a, str>>,
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
pub(super) fn supp<'m>(sup: Option<&'m Map<String, Value>>, key: &str) -> Option<Cow<'m, Value>> {
    let v = sup?.get(key)?;
    match v {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(s).ok().map(Cow::Owned)
        }
        other => Some(Cow::Borrowed(other)),
    }
}

pub(super) fn get<'m>(map: &'m Map<String, Value>, keys: &[&str]) -> Option<&'m Value> {
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
    verdicts: Vec<compliance::Verdict>,
    packs: compliance::Packs,
    /// (type, Config resource id) -> the id results use, for items named by name.
    names: HashMap<(String, String), String>,
    /// Items with no configuration: only counted as in use.
    bare: usize,
    items: usize,
    guardduty_at: resources::RegionIndex,
    recorders_at: resources::RegionIndex,
}

pub(crate) fn import<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    reader: R,
    tick: FlagTick<'_, F>,
    budget: &Budget,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    let mut state = State {
        sink: Sink::new(catalog, path, tick.cancel, budget),
        deleted: 0,
        flow_log_types: false,
        pairs: BTreeSet::new(),
        verdicts: Vec::new(),
        packs: compliance::Packs::default(),
        names: HashMap::new(),
        bare: 0,
        items: 0,
        guardduty_at: resources::RegionIndex::new(),
        recorders_at: resources::RegionIndex::new(),
    };
    let mut stream = JsonStream::new(reader, tick, budget.limits.max_value_bytes)
        .relative_to_input(budget.limits);
    let mut saw_items = false;
    let outcome = read_values(&mut state, &mut stream, &mut saw_items);
    let items = state.items;
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
    verdicts(&mut state);
    if let Some(warning) = state.packs.warning() {
        state.sink.warn(path, "", warning);
    }
    if items == 0 {
        state.sink.warn(
            path,
            "",
            "no configuration items: Config recorded nothing here, so nothing was found",
        );
    }
    if state.bare > 0 {
        state.sink.warn(
            path,
            "",
            format!(
                "{} items without a configuration (Config did not record it): their resources count as in use, no check can be run on them",
                state.bare
            ),
        );
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
    state.sink.finish(SourceFormat::AwsConfigSnapshot)
}

/// Every top-level value: a snapshot, or single items (a notification, an `EventBridge` event).
fn read_values<R: Read, T: super::stream::Tick>(
    state: &mut State,
    stream: &mut JsonStream<R, T>,
    saw_items: &mut bool,
) -> Result<(), super::stream::StreamError> {
    loop {
        let offset = stream.offset();
        let mut values: Vec<(String, Vec<u8>)> = Vec::new();
        stream.object(
            |key| {
                let is = key == "configurationItems";
                *saw_items |= is;
                is
            },
            |k, v| values.push((k.to_owned(), v.to_vec())),
            |_, index, bytes, offset| {
                state.items += 1;
                item(state, index, bytes, offset);
                state.sink.keep_going()
            },
        )?;
        single(state, &values, offset, saw_items);
        if stream.at_end()? {
            return Ok(());
        }
    }
}

/// A top-level object that is one item, or wraps one.
fn single(state: &mut State, values: &[(String, Vec<u8>)], offset: u64, saw_items: &mut bool) {
    let has = |k: &str| values.iter().any(|(key, _)| key == k);
    let value = |k: &str| values.iter().find(|(key, _)| key == k).map(|(_, v)| v);
    let one: Option<Vec<u8>> = if has("resourceType") && has("resourceId") {
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
        Some(text)
    } else if let Some(v) = value("configurationItem") {
        Some(v.clone())
    } else {
        value("detail")
            .and_then(|d| serde_json::from_slice::<Value>(d).ok())
            .and_then(|d| d.get("configurationItem").map(Value::to_string))
            .map(String::into_bytes)
    };
    if let Some(bytes) = one {
        *saw_items = true;
        let index = state.items;
        state.items += 1;
        item(state, index, &bytes, offset);
    }
}

/// Lands the Config-rule verdicts, now that every item's name is known.
fn verdicts(state: &mut State) {
    if state.verdicts.is_empty() {
        return;
    }
    let names = &state.names;
    let (results, unmatched) = compliance::results(state.sink.catalog, &state.verdicts, |t, id| {
        names
            .get(&(t.to_owned(), id.to_owned()))
            .cloned()
            .unwrap_or_else(|| resource_id(t, id, None))
    });
    state.sink.extend_results(results);
    if unmatched > 0 {
        let path = state.sink.path.clone();
        state.sink.warn(
            &path,
            "",
            format!("{unmatched} Config-rule verdicts of rules data/config-rules.json does not map (custom rules, or rules no check covers): kept out of the results"),
        );
    }
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
    let mut meta = state.sink.meta(account, region, &path);
    meta.observed = item
        .capture_time
        .as_deref()
        .filter(|t| instant(t).is_some())
        .map(|t| state.sink.intern(t));
    if !region.is_empty() && region != "global" {
        state.pairs.insert((account.to_owned(), region.to_owned()));
    }
    let rid = resource_id(resource_type, id, item.resource_name.as_deref());
    if rid != id {
        state
            .names
            .insert((resource_type.to_owned(), id.to_owned()), rid.clone());
    }
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
    if resource_type == "AWS::Config::ResourceCompliance" {
        // A verdict, not a resource of the account.
        if let Some(conf) = &conf {
            compliance::read(conf, &meta, &mut state.verdicts);
        }
        return;
    }
    if resource_type == "AWS::Config::ConformancePackCompliance" {
        // A pack's verdict per rule, not a resource either.
        let conf = conf.unwrap_or_default();
        compliance::read_pack(&conf, &meta, account, &mut state.verdicts, &mut state.packs);
        return;
    }
    if conf.is_none() {
        state.bare += 1;
    }
    let engine = conf
        .as_ref()
        .and_then(|c| get(c, &["engine", "Engine"]))
        .and_then(Value::as_str)
        .map(str::to_owned);
    state
        .sink
        .resource(resource_type, &rid, &meta, engine.as_deref());
    let Some(conf) = conf else { return };
    let parts = Parts {
        meta,
        rid,
        conf,
        sup,
        engine,
        name: item.resource_name.as_deref(),
        arn: item.arn.as_deref(),
    };
    resources::record(state, resource_type, parts);
}

#[cfg(test)]
mod tests;
