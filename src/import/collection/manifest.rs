//! The manifest of a collection: every AWS CLI call it lists, with its outcome (the output, an
//! error code, or nothing), read from the files it names.

use super::{CollectionFiles, path_in};
use crate::import::common::{epoch_seconds, text};
use crate::import::encoding::decode;
use crate::import::{ImportCtx, ImportError, Progress, Sink};
use crate::model::date::{instant, instant_text};
use serde_json::{Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::rc::Rc;
use std::sync::atomic::Ordering;

pub(super) enum Outcome {
    /// The parsed output, shared by every call the manifest lists with the same file.
    Ok(Rc<Value>),
    Error(String),
    /// The file is missing or unreadable (a warning says why).
    Missing,
}

/// One CLI call listed in the manifest.
pub(super) struct Call {
    service: String,
    operation: String,
    pub(super) region: String,
    params: Map<String, Value>,
    pub(super) outcome: Outcome,
    pub(super) file: String,
}

impl Call {
    pub(super) fn ok(&self) -> Option<&Value> {
        match &self.outcome {
            Outcome::Ok(v) => Some(v),
            _ => None,
        }
    }
}

/// The calls, indexed so that each lookup is a hash probe: by operation, by operation and
/// region, and by operation and each string parameter (users x calls was quadratic).
#[derive(Default)]
pub(super) struct Calls {
    list: Vec<Call>,
    /// `service\0operation` -> calls, in manifest order.
    by_operation: HashMap<String, Vec<usize>>,
    /// `service\0operation\0region` -> calls.
    by_region: HashMap<String, Vec<usize>>,
    /// `service\0operation\0param\0value` -> calls.
    by_param: HashMap<String, Vec<usize>>,
}

fn key(parts: &[&str]) -> String {
    parts.join("\0")
}

impl Calls {
    fn push(&mut self, call: Call) {
        let at = self.list.len();
        let (s, o) = (call.service.as_str(), call.operation.as_str());
        self.by_operation.entry(key(&[s, o])).or_default().push(at);
        self.by_region
            .entry(key(&[s, o, &call.region]))
            .or_default()
            .push(at);
        for (name, value) in &call.params {
            if let Some(value) = value.as_str() {
                self.by_param
                    .entry(key(&[s, o, name, value]))
                    .or_default()
                    .push(at);
            }
        }
        self.list.push(call);
    }

    fn indexed<'a>(
        &'a self,
        index: &'a HashMap<String, Vec<usize>>,
        parts: &[&str],
    ) -> impl Iterator<Item = &'a Call> + use<'a> {
        index
            .get(&key(parts))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.list.get(i))
    }

    pub(super) fn find<'a>(
        &'a self,
        service: &str,
        operation: &str,
    ) -> impl Iterator<Item = &'a Call> + use<'a> {
        self.indexed(&self.by_operation, &[service, operation])
    }

    pub(super) fn one(
        &self,
        service: &str,
        operation: &str,
        region: Option<&str>,
    ) -> Option<&Call> {
        match region {
            Some(r) => self
                .indexed(&self.by_region, &[service, operation, r])
                .next(),
            None => self.find(service, operation).next(),
        }
    }

    pub(super) fn with_param(
        &self,
        service: &str,
        operation: &str,
        param: &str,
        value: &str,
        region: &str,
    ) -> Option<&Call> {
        let mut first = None;
        for c in self.indexed(&self.by_param, &[service, operation, param, value]) {
            if c.region == region {
                return Some(c);
            }
            first = first.or(Some(c));
        }
        first
    }
}

/// The error code in a CLI error message: `An error occurred (NoSuchEntity) when ...`.
fn error_code(stderr: &str) -> Option<String> {
    let start = stderr.find("An error occurred (")? + "An error occurred (".len();
    let end = stderr[start..].find(')')?;
    Some(stderr[start..start + end].to_owned())
}

/// What the manifest says about the collection, with every call read.
pub(super) struct Manifest {
    pub(super) calls: Calls,
    /// The account collected (from the manifest, else from `sts get-caller-identity`).
    pub(super) account: String,
    /// The region calls without one of their own ran in.
    pub(super) home: String,
    pub(super) regions: BTreeSet<String>,
    pub(super) taken_at: Option<i64>,
    /// `collected_at` as an instant (RFC 3339 with its offset, or epoch seconds), for
    /// "newest wins"; None when it is missing or has no offset.
    pub(super) observed: Option<String>,
    /// Security Hub findings collected alongside, imported as their own source: (file, bytes).
    pub(super) findings: Vec<(String, Vec<u8>)>,
}

/// Reads `manifest.json` and every file it lists; a bad entry or file is a warning in `sink`.
pub(super) fn read(
    root: &str,
    files: &mut dyn CollectionFiles,
    total: Option<u64>,
    ctx: &mut ImportCtx,
    sink: &mut Sink,
) -> Result<Manifest, ImportError> {
    let (manifest, mut read_bytes) = parse(root, files)?;
    sink.built.add_input(read_bytes);
    let manifest_path = path_in(root, "manifest.json");
    let Some(commands) = manifest.get("commands").and_then(Value::as_array) else {
        return Err(ImportError::Invalid {
            path: manifest_path,
            location: String::new(),
            message: "manifest.json has no \"commands\" list".to_owned(),
        });
    };
    let home = text(manifest.get("region")).unwrap_or_default();
    let mut calls = Calls::default();
    let mut findings: Vec<(String, Vec<u8>)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    let mut seen = HashMap::new();
    for (index, command) in commands.iter().enumerate() {
        if ctx.cancel.load(Ordering::Relaxed) {
            return Err(ImportError::Cancelled {
                path: root.to_owned(),
            });
        }
        if !sink.keep_going() {
            // Over the import's budget: `Sink::finish` says so, naming the collection.
            break;
        }
        (ctx.progress)(Progress {
            bytes_read: read_bytes,
            total,
        });
        let mut reader = Reader {
            root,
            files: &mut *files,
            sink: &mut *sink,
            read_bytes: &mut read_bytes,
            findings: &mut findings,
            skipped: &mut skipped,
            seen: &mut seen,
        };
        if let Some(call) = reader.call(index, command, &home) {
            calls.push(call);
        }
    }
    let answered = calls
        .list
        .iter()
        .filter(|c| !matches!(c.outcome, Outcome::Missing))
        .count()
        + findings.len();
    if answered == 0 && !skipped.is_empty() {
        // Nothing to show but "not in this snapshot" for data that is in the folder: an error,
        // not an empty import.
        return Err(ImportError::Invalid {
            path: root.to_owned(),
            location: String::new(),
            message: format!(
                "none of the {} outputs manifest.json lists could be read (first: {}); nothing imported",
                skipped.len(),
                skipped[0]
            ),
        });
    }
    let account = text(manifest.get("account_id"))
        .or_else(|| {
            calls
                .one("sts", "get-caller-identity", None)
                .and_then(Call::ok)
                .and_then(|v| text(v.get("Account")))
        })
        .unwrap_or_default();
    let mut regions: BTreeSet<String> = manifest
        .get("regions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| text(Some(r)))
        .collect();
    if regions.is_empty() && !home.is_empty() {
        regions.insert(home.clone());
    }
    Ok(Manifest {
        calls,
        account,
        home,
        regions,
        taken_at: manifest.get("collected_at").and_then(epoch_seconds),
        observed: match manifest.get("collected_at") {
            Some(Value::String(s)) => instant(s).is_some().then(|| s.trim().to_owned()),
            Some(n @ Value::Number(_)) => epoch_seconds(n).map(instant_text),
            _ => None,
        },
        findings,
    })
}

/// The manifest's JSON and its size in bytes.
fn parse(root: &str, files: &mut dyn CollectionFiles) -> Result<(Value, u64), ImportError> {
    let manifest_path = path_in(root, "manifest.json");
    let manifest_bytes = match files.read("manifest.json") {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            return Err(ImportError::Unsupported {
                path: root.to_owned(),
                what: "no manifest.json: not an AWS CLI collection made by scripts/collect-aws-snapshot.sh".to_owned(),
            });
        }
        Err(message) => {
            return Err(ImportError::Io {
                path: manifest_path,
                message,
            });
        }
    };
    let text = decode(&manifest_bytes).map_err(|message| ImportError::Invalid {
        path: manifest_path.clone(),
        location: String::new(),
        message: format!("manifest.json is {message}"),
    })?;
    let manifest: Value = serde_json::from_slice(&text).map_err(|e| ImportError::Invalid {
        path: manifest_path.clone(),
        location: format!("line {}, column {}", e.line(), e.column()),
        message: format!("manifest.json is not valid JSON: {e}"),
    })?;
    Ok((manifest, manifest_bytes.len() as u64))
}

/// What became of a file the manifest names, kept so that a file listed many times is read
/// (and inflated, and parsed) once.
#[derive(Clone)]
enum Seen {
    Json(Rc<Value>),
    ErrorCode(Option<String>),
    /// Queued as Security Hub findings.
    Findings,
    /// Missing, unreadable or not JSON (warned about once).
    Unusable,
}

/// Reads the files the manifest's entries name.
struct Reader<'r, 's> {
    root: &'r str,
    files: &'r mut dyn CollectionFiles,
    sink: &'r mut Sink<'s>,
    read_bytes: &'r mut u64,
    findings: &'r mut Vec<(String, Vec<u8>)>,
    /// Outputs that were there but could not be read (not JSON, not text).
    skipped: &'r mut Vec<String>,
    seen: &'r mut HashMap<String, Seen>,
}

impl Reader<'_, '_> {
    /// One manifest entry as a call; `None` (with a warning) when it names no call.
    fn call(&mut self, index: usize, command: &Value, home: &str) -> Option<Call> {
        let location = format!("manifest.json commands[{index}]");
        let (Some(service), Some(operation), Some(file)) = (
            text(command.get("service")),
            text(command.get("operation")),
            text(command.get("file")),
        ) else {
            self.sink.warn(
                self.root,
                location,
                "entry skipped: no service, operation or file",
            );
            return None;
        };
        let region = text(command.get("region")).unwrap_or_else(|| home.to_owned());
        let params = command
            .get("params")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let failed = command.get("status").and_then(Value::as_str) == Some("error")
            || Path::new(&file)
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("err"));
        let securityhub = service == "securityhub" && operation == "get-findings";
        let outcome = self.outcome(command, &file, &location, failed, securityhub);
        Some(Call {
            service,
            operation,
            region,
            params,
            outcome,
            file,
        })
    }

    /// Warns when an output is one page of several: the CLI paginates by itself unless told
    /// not to (`--no-paginate`, `--max-items`), and then prints `NextToken`.
    fn paginated(&mut self, file: &str, location: &str, v: &Value) {
        let token = ["NextToken", "nextToken", "Marker", "NextMarker"]
            .into_iter()
            .find(|k| v.get(*k).is_some_and(|t| !t.is_null() && t != ""));
        let truncated = v.get("IsTruncated").and_then(Value::as_bool) == Some(true);
        if token.is_some() || truncated {
            self.sink.warn(
                &path_in(self.root, file),
                location,
                format!(
                    "only one page of the results: the output has {} (run without --max-items or --no-paginate to get all)",
                    token.map_or("IsTruncated: true".to_owned(), |k| format!("a {k}"))
                ),
            );
        }
    }

    fn outcome(
        &mut self,
        command: &Value,
        file: &str,
        location: &str,
        failed: bool,
        securityhub: bool,
    ) -> Outcome {
        if let Some(seen) = self.seen.get(file) {
            return match seen.clone() {
                Seen::Json(v) if !failed && !securityhub => Outcome::Ok(v),
                Seen::ErrorCode(code) if failed => text(command.get("error_code"))
                    .or(code)
                    .map_or(Outcome::Missing, Outcome::Error),
                _ if failed => {
                    text(command.get("error_code")).map_or(Outcome::Missing, Outcome::Error)
                }
                _ => Outcome::Missing,
            };
        }
        let outcome = self.read_outcome(command, file, location, failed, securityhub);
        let seen = match &outcome {
            Outcome::Ok(v) => Seen::Json(v.clone()),
            _ if failed => Seen::ErrorCode(match &outcome {
                Outcome::Error(code) => Some(code.clone()),
                _ => None,
            }),
            _ if securityhub => Seen::Findings,
            _ => Seen::Unusable,
        };
        self.seen.insert(file.to_owned(), seen);
        outcome
    }

    fn read_outcome(
        &mut self,
        command: &Value,
        file: &str,
        location: &str,
        failed: bool,
        securityhub: bool,
    ) -> Outcome {
        let root = self.root;
        match self.files.read(file) {
            Err(message) => {
                self.sink
                    .warn(&path_in(root, file), "", format!("not read: {message}"));
                Outcome::Missing
            }
            Ok(None) => {
                self.sink.warn(
                    &path_in(root, file),
                    location,
                    "listed in manifest.json but missing",
                );
                if failed {
                    text(command.get("error_code")).map_or(Outcome::Missing, Outcome::Error)
                } else {
                    Outcome::Missing
                }
            }
            Ok(Some(bytes)) => {
                *self.read_bytes += bytes.len() as u64;
                self.sink.built.add_input(bytes.len() as u64);
                if failed {
                    let stderr = decode(&bytes).unwrap_or(std::borrow::Cow::Borrowed(&bytes));
                    let code = text(command.get("error_code"))
                        .or_else(|| error_code(&String::from_utf8_lossy(&stderr)));
                    code.map_or(Outcome::Missing, Outcome::Error)
                } else if securityhub {
                    self.findings.push((file.to_owned(), bytes));
                    Outcome::Missing
                } else if !self
                    .sink
                    .built
                    .charge(crate::import::stream::parse_estimate(&bytes))
                {
                    // Kept parsed until the collection is read: counted against the budget,
                    // and not parsed once past it (`Sink::finish` reports it).
                    Outcome::Missing
                } else {
                    let text = match decode(&bytes) {
                        Ok(text) => text,
                        Err(message) => {
                            self.sink.warn(
                                &path_in(root, file),
                                "",
                                format!("output skipped: {message}"),
                            );
                            self.skipped.push(format!("{file}: {message}"));
                            return Outcome::Missing;
                        }
                    };
                    if text.iter().all(u8::is_ascii_whitespace) {
                        // The CLI prints nothing for an empty response (versioning never
                        // enabled, logging off): that is an answer, the empty object.
                        return Outcome::Ok(Rc::new(Value::Object(Map::new())));
                    }
                    match serde_json::from_slice::<Value>(&text) {
                        Ok(v) => {
                            self.paginated(file, location, &v);
                            Outcome::Ok(Rc::new(v))
                        }
                        Err(e) => {
                            self.sink.warn(
                                &path_in(root, file),
                                format!("line {}, column {}", e.line(), e.column()),
                                format!("output skipped: not valid JSON ({e})"),
                            );
                            self.skipped.push(format!("{file}: not valid JSON ({e})"));
                            Outcome::Missing
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_come_from_cli_messages() {
        assert_eq!(
            error_code(
                "\nAn error occurred (NoSuchEntity) when calling the GetLoginProfile operation: x"
            )
            .as_deref(),
            Some("NoSuchEntity")
        );
        assert_eq!(error_code("Unable to locate credentials"), None);
    }
}
