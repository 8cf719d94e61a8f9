//! Reading IAM-style policy documents (bucket policies, IAM policies), whatever the case of
//! their element names and whether an element is one value or a list.

use serde_json::Value;

/// A policy element, whatever the case of its name (`Statement`, `statement`).
fn field<'v>(v: &'v Value, name: &str) -> Option<&'v Value> {
    let map = v.as_object()?;
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// Statements of a policy document (object or array).
fn statements(doc: &Value) -> Vec<&Value> {
    match field(doc, "Statement") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    }
}

fn strings(v: Option<&Value>) -> Vec<&str> {
    match v {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn effect_is(statement: &Value, effect: &str) -> bool {
    field(statement, "Effect")
        .and_then(Value::as_str)
        .is_some_and(|e| e.eq_ignore_ascii_case(effect))
}

fn principal_is_everyone(statement: &Value) -> bool {
    match field(statement, "Principal") {
        Some(Value::String(s)) => s == "*",
        Some(Value::Object(map)) => map
            .get("AWS")
            .is_some_and(|v| strings(Some(v)).contains(&"*")),
        _ => false,
    }
}

fn has_condition(statement: &Value) -> bool {
    field(statement, "Condition").is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
}

/// The actions an unconditioned `Allow` to `*` grants, if any.
pub(super) fn public_grant(doc: &Value) -> Option<String> {
    statements(doc)
        .into_iter()
        .find(|s| effect_is(s, "Allow") && principal_is_everyone(s) && !has_condition(s))
        .map(|s| {
            let actions = strings(field(s, "Action"));
            if actions.is_empty() {
                "access".to_owned()
            } else {
                actions.join(", ")
            }
        })
}

pub(super) fn denies_insecure_transport(doc: &Value) -> bool {
    statements(doc)
        .into_iter()
        .filter(|s| effect_is(s, "Deny"))
        .any(|s| {
            let Some(Value::Object(cond)) = field(s, "Condition") else {
                return false;
            };
            cond.iter()
                .filter(|(op, _)| op.starts_with("Bool"))
                .any(|(_, kv)| {
                    kv.as_object().is_some_and(|m| {
                        m.iter().any(|(k, v)| {
                            k.eq_ignore_ascii_case("aws:SecureTransport")
                                && match v {
                                    Value::Bool(b) => !b,
                                    Value::String(s) => s.eq_ignore_ascii_case("false"),
                                    Value::Array(a) => a.iter().any(|x| {
                                        x == &Value::Bool(false) || x.as_str() == Some("false")
                                    }),
                                    _ => false,
                                }
                        })
                    })
                })
        })
}

/// `(action, resource)` of the first `Allow` giving a whole service (`s3:*`) or everything (`*`)
/// on every resource; `full_only` keeps only `*` on `*`.
pub(super) fn wildcard_grant(doc: &Value, full_only: bool) -> Option<String> {
    statements(doc)
        .into_iter()
        .filter(|s| effect_is(s, "Allow"))
        .find_map(|s| {
            let resources = strings(field(s, "Resource"));
            if !resources.contains(&"*") {
                return None;
            }
            strings(field(s, "Action"))
                .into_iter()
                .find(|a| *a == "*" || (!full_only && a.ends_with(":*")))
                .map(|a| format!("{a} on *"))
        })
}
