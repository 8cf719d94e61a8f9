//! Security Hub findings (ASFF), as `aws securityhub get-findings` prints them:
//! `{"Findings": [...]}`; also DefectDojo-style `{"findings": [...]}` and a bare array. A
//! finding lands on a cell through its control id (`Compliance.SecurityControlId`, else
//! `ProductFields.ControlId`, else the id at the end of `GeneratorId`) and `data/checks.json`.

use super::common::{canonical_id, service_for_arn, service_for_type, type_for_asff};
use super::facts::Meta;
use super::stream::{FlagTick, JsonStream};
use super::{ImportError, KeepPartial, Limits, Sink, keep_partial};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, SourceFormat, Status, Text};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;

#[derive(Deserialize)]
struct Finding {
    #[serde(rename = "AwsAccountId", default)]
    account: Option<String>,
    #[serde(rename = "Region", default)]
    region: Option<String>,
    #[serde(rename = "GeneratorId", default)]
    generator: Option<String>,
    #[serde(rename = "Title", default)]
    title: Option<String>,
    #[serde(rename = "Compliance", default)]
    compliance: Option<Compliance>,
    #[serde(rename = "ProductFields", default)]
    product_fields: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(rename = "Resources", default)]
    resources: Vec<AsffResource>,
    #[serde(rename = "RecordState", default)]
    record_state: Option<String>,
}

#[derive(Deserialize)]
struct Compliance {
    #[serde(rename = "Status", default)]
    status: Option<String>,
    #[serde(rename = "SecurityControlId", default)]
    control: Option<String>,
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
pub(crate) struct Landing<'a> {
    /// Checks the finding's control feeds (file order); empty when it feeds none.
    pub checks: Vec<&'a crate::model::catalog::Check>,
    /// The control id, for messages (`S3.8`, `s3_bucket_default_encryption`).
    pub control: String,
    pub tool: &'static str,
    pub status: Status,
    pub raw_status: String,
    pub title: String,
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
            "{} {} {}{covers}: {}",
            self.tool, self.control, self.raw_status, self.title
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
        sink.result(check, meta, resource_id, landing.status, detail);
    }
}

fn control_id(f: &Finding) -> Option<String> {
    if let Some(id) = f
        .compliance
        .as_ref()
        .and_then(|c| c.control.clone())
        .filter(|s| !s.is_empty())
    {
        return Some(id);
    }
    if let Some(id) = f
        .product_fields
        .as_ref()
        .and_then(|p| p.get("ControlId"))
        .and_then(|v| v.as_str())
        .filter(|s| !s.is_empty())
    {
        return Some(id.to_owned());
    }
    // `security-control/S3.1`, `aws-foundational-security-best-practices/v/1.0.0/S3.8`.
    let generator = f.generator.as_deref()?;
    if generator.starts_with("security-control/") || generator.contains("/v/") {
        return generator.rsplit('/').next().map(str::to_owned);
    }
    None
}

pub fn import<R: Read, F: FnMut()>(
    catalog: &Catalog,
    path: &str,
    reader: R,
    tick: FlagTick<'_, F>,
    limits: Limits,
    compressed: bool,
) -> Result<Evidence, ImportError> {
    let mut sink = Sink::new(catalog, path, tick.cancel, limits.max_built_bytes);
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut without_control = 0usize;
    let mut stream = JsonStream::new(reader, tick, limits.max_value_bytes);
    let mut count = 0usize;
    // `{"Findings": [...]}`, or a bare array of findings.
    let outcome = match stream.next_is_array() {
        Ok(true) => stream
            .array(|i, bytes, offset| {
                count += 1;
                finding(
                    &mut sink,
                    i,
                    bytes,
                    offset,
                    &mut unmapped,
                    &mut without_control,
                );
                sink.keep_going()
            })
            .map(|_| ()),
        Ok(false) => stream.object(
            |k| k == "Findings" || k == "findings",
            |_, _| {},
            |_, i, bytes, offset| {
                count += 1;
                finding(
                    &mut sink,
                    i,
                    bytes,
                    offset,
                    &mut unmapped,
                    &mut without_control,
                );
                sink.keep_going()
            },
        ),
        Err(e) => Err(e),
    };
    let outcome = outcome.and_then(|()| stream.finish());
    if let Err(err) = outcome {
        let location = format!("Findings[{count}]");
        keep_partial(
            &mut sink,
            path,
            &location,
            "findings",
            count,
            err,
            compressed,
            KeepPartial::OnTruncation,
        )?;
    }
    if !unmapped.is_empty() {
        let total: usize = unmapped.values().sum();
        let ids: Vec<&str> = unmapped.keys().map(String::as_str).collect();
        sink.warn(
            path,
            "",
            format!("{total} findings of controls no check covers ({}); their resources count as in use", ids.join(", ")),
        );
    }
    if without_control > 0 {
        sink.warn(path, "", format!("{without_control} findings without a control id (GuardDuty, Inspector, ...): they land on no cell"));
    }
    sink.finish(SourceFormat::SecurityHubAsff)
}

fn finding(
    sink: &mut Sink,
    index: usize,
    bytes: &[u8],
    offset: u64,
    unmapped: &mut BTreeMap<String, usize>,
    without_control: &mut usize,
) {
    let path = sink.path.clone();
    let location = format!("Findings[{index}] (byte {offset})");
    let f: Finding = match serde_json::from_slice(bytes) {
        Ok(f) => f,
        Err(e) => {
            sink.warn(&path, location, format!("finding skipped: {e}"));
            return;
        }
    };
    if f.record_state
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("ARCHIVED"))
    {
        return;
    }
    let control = control_id(&f);
    let catalog = sink.catalog;
    let checks = control
        .as_deref()
        .map(|c| catalog.checks_for_security_hub(c))
        .unwrap_or_default();
    let raw_status = f
        .compliance
        .as_ref()
        .and_then(|c| c.status.clone())
        .unwrap_or_default();
    let status = match raw_status.to_ascii_uppercase().as_str() {
        "PASSED" => Status::Pass,
        "FAILED" => Status::Fail,
        _ => Status::Unknown,
    };
    match &control {
        None => *without_control += 1,
        Some(c) if checks.is_empty() => *unmapped.entry(c.clone()).or_default() += 1,
        Some(_) => {}
    }
    if f.resources.is_empty() {
        sink.warn(&path, location, "finding without resources skipped");
        return;
    }
    let landing = Landing {
        checks: if f.compliance.is_some() {
            checks.clone()
        } else {
            Vec::new()
        },
        control: control.clone().unwrap_or_default(),
        tool: "Security Hub",
        status,
        raw_status: if raw_status.is_empty() {
            "NO STATUS".to_owned()
        } else {
            raw_status
        },
        title: f.title.clone().unwrap_or_default(),
    };
    let detail = sink.text(&landing.detail());
    let account = sink.intern(f.account.as_deref().unwrap_or_default());
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
        let meta = sink.meta_for(&account, region, &path);
        let asff_type = r.kind.clone().unwrap_or_default();
        if asff_type != "AwsAccount" {
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
        land(sink, &landing, &detail, &meta, &id);
    }
}
