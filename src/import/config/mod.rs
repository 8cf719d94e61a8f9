//! AWS Config configuration snapshots: `{"fileVersion", "configSnapshotId",
//! "configurationItems": [...]}` as delivered to S3 (`.json` or `.json.gz`). Also accepts the API
//! shape of items (`accountId`, `arn`, `configuration` as a JSON string). Items stream one at a
//! time; a broken item is skipped with a warning naming its index.
//!
//! `resources` has one reader per resource type, behind a `match` on the type.

mod resources;

pub(crate) use resources::acl_entries;

use super::common::canonical_id;
use super::stream::{FlagTick, JsonStream};
use super::{ImportError, KeepPartial, Limits, Sink, keep_partial};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, SourceFormat};
use resources::Parts;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;
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
    guardduty_at: resources::RegionIndex,
    recorders_at: resources::RegionIndex,
}

pub fn import<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    reader: R,
    tick: FlagTick<'_, F>,
    limits: Limits,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    let mut state = State {
        sink: Sink::new(catalog, path, tick.cancel, limits.max_built_bytes),
        deleted: 0,
        flow_log_types: false,
        pairs: BTreeSet::new(),
        guardduty_at: resources::RegionIndex::new(),
        recorders_at: resources::RegionIndex::new(),
    };
    let mut stream = JsonStream::new(reader, tick, limits.max_value_bytes);
    let mut items = 0usize;
    let mut saw_items = false;
    let outcome = stream.object(
        |key| {
            let is = key == "configurationItems";
            saw_items |= is;
            is
        },
        |_, _| {},
        |_, index, bytes, offset| {
            items += 1;
            item(&mut state, index, bytes, offset);
            state.sink.keep_going()
        },
    );
    let outcome = outcome.and_then(|()| stream.finish());
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
    let meta = state.sink.meta(account, region, &path);
    if !region.is_empty() && region != "global" {
        state.pairs.insert((account.to_owned(), region.to_owned()));
    }
    let rid = resource_id(resource_type, id, item.resource_name.as_deref());
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
