//! Reading every format version: check `format_version`, migrate step by step to the current
//! shape, then validate.
//!
//! Format history:
//! - **1** (demarc 0.1 previews): `services` (list of keys), `items` as an object keyed by
//!   `SERVICE/CONTROL` (`rds/custom/IAM-01`), each with `status` among `open`, `in progress`,
//!   `done`, `n/a`, a flat `assignee` string, `due` (empty for none) and `note`. No evidence, no
//!   risk acceptance, no owner at decision.
//! - **2**: `scope`, `evidence`, `items` as a list of objects with typed `status` (adds
//!   `risk_accepted`), typed `assignee`, optional `due`, and `owner_at_decision`.
//! - **3**: adds `findings`, decisions on findings of the findings board (check group key,
//!   account, region, resource id; status, assignee, note). A format 2 document is a format 3
//!   document without them.

use super::{Assignee, Engagement, FORMAT_VERSION, ParseError, Parsed, Status, WireItem, WireV3};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// One step: a document of format `n` (as JSON) to format `n + 1`.
type Step = fn(Value) -> Result<Value, ParseError>;

/// `STEPS[i]` migrates format `i + 1` to `i + 2`.
const STEPS: [Step; (FORMAT_VERSION - 1) as usize] = [v1_to_v2, v2_to_v3];

/// Parses a document of any supported version.
pub fn parse(text: &str) -> Result<Parsed, ParseError> {
    let value: Value = serde_json::from_str(text).map_err(|e| syntax_error(&e))?;
    let version = format_version(&value)?;
    if version > u64::from(FORMAT_VERSION) {
        return Err(ParseError::TooNew {
            found: version,
            supported: FORMAT_VERSION,
        });
    }
    let wire: WireV3 = if version == u64::from(FORMAT_VERSION) {
        // From the text, not the value: serde then reports line and column.
        serde_json::from_str(text).map_err(|e| schema_error(&e))?
    } else {
        let mut value = value;
        // version is in 1..FORMAT_VERSION here, so the index is in range.
        for step in STEPS.iter().skip(usize::try_from(version - 1).unwrap_or(0)) {
            value = step(value)?;
        }
        serde_json::from_value(value).map_err(|e| schema_error(&e))?
    };
    let engagement = Engagement::try_from(wire)?;
    let migrated_from = (version < u64::from(FORMAT_VERSION)).then(|| {
        // version < FORMAT_VERSION, a u32.
        u32::try_from(version).unwrap_or(0)
    });
    Ok(Parsed {
        engagement,
        migrated_from,
    })
}

fn format_version(value: &Value) -> Result<u64, ParseError> {
    let Some(object) = value.as_object() else {
        return Err(ParseError::NotAnEngagement {
            reason: "the file is not a JSON object".to_owned(),
        });
    };
    match object.get("format_version") {
        None => Err(ParseError::NotAnEngagement {
            reason: "no format_version".to_owned(),
        }),
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Ok(n),
            _ => Err(ParseError::NotAnEngagement {
                reason: format!("format_version {v} is not a version number"),
            }),
        },
    }
}

fn syntax_error(e: &serde_json::Error) -> ParseError {
    ParseError::Syntax {
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    }
}

fn schema_error(e: &serde_json::Error) -> ParseError {
    ParseError::invalid(e.to_string())
}

/// `serde_json` appends " at line L column C"; the syntax error shows them itself.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct V1 {
    #[allow(dead_code)]
    format_version: u32,
    client: String,
    title: String,
    date: String,
    catalog_version: String,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    items: BTreeMap<String, V1Item>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct V1Item {
    #[serde(default)]
    status: String,
    #[serde(default)]
    assignee: String,
    #[serde(default)]
    due: String,
    #[serde(default)]
    note: String,
}

fn v1_to_v2(value: Value) -> Result<Value, ParseError> {
    let v1: V1 = serde_json::from_value(value).map_err(|e| schema_error(&e))?;
    let mut items = Vec::with_capacity(v1.items.len());
    for (key, item) in v1.items {
        let Some((service, control)) = key.rsplit_once('/') else {
            return Err(ParseError::invalid(format!(
                "item key '{key}' is not SERVICE/CONTROL"
            )));
        };
        let status = match item.status.trim().to_lowercase().as_str() {
            "" | "open" => Status::Open,
            "in progress" => Status::InProgress,
            "done" => Status::Done,
            "n/a" => Status::NotApplicable,
            other => {
                return Err(ParseError::invalid(format!(
                    "item {key}: unknown status '{other}' (format 1 knows open, in progress, done, n/a)"
                )));
            }
        };
        items.push(WireItem {
            service: service.to_owned(),
            control: control.to_owned(),
            status,
            assignee: v1_assignee(&item.assignee),
            due: Some(item.due.trim().to_owned()).filter(|d| !d.is_empty()),
            note: item.note,
            owner_at_decision: None,
        });
    }
    let wire = WireV3 {
        format_version: 2,
        client: v1.client,
        title: v1.title,
        date: v1.date,
        catalog_version: v1.catalog_version,
        scope: v1.services,
        evidence: super::Evidence::default(),
        items,
        findings: Vec::new(),
    };
    serde_json::to_value(wire).map_err(|e| ParseError::invalid(e.to_string()))
}

/// Format 3 only adds `findings`: the version number changes, nothing else.
fn v2_to_v3(mut value: Value) -> Result<Value, ParseError> {
    match value.as_object_mut() {
        Some(object) => {
            object.insert("format_version".to_owned(), Value::from(3));
            Ok(value)
        }
        None => Err(ParseError::NotAnEngagement {
            reason: "the file is not a JSON object".to_owned(),
        }),
    }
}

/// Format 1 kept the assignee as free text; the usual words become typed assignees and
/// anything else stays as free text, so no information is lost.
fn v1_assignee(text: &str) -> Option<Assignee> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let lower = text.to_lowercase();
    Some(match lower.as_str() {
        "aws" | "amazon" | "amazon web services" => Assignee::Aws,
        "platform" | "platform team" | "client platform" | "client platform team" => {
            Assignee::ClientPlatform
        }
        "application"
        | "application team"
        | "app team"
        | "client application"
        | "client application team" => Assignee::ClientApplication,
        _ => match text.get(..4).zip(text.get(4..)) {
            Some((prefix, name))
                if prefix.eq_ignore_ascii_case("msp:") && !name.trim().is_empty() =>
            {
                Assignee::ThirdParty(name.trim().to_owned())
            }
            _ => Assignee::Other(text.to_owned()),
        },
    })
}
