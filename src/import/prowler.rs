//! Prowler JSON-OCSF output (Prowler 4 and 5: an array of OCSF Detection Findings). A finding
//! lands on a cell through its Prowler check id (`metadata.event_code`) and the `prowler` ids
//! of `data/checks.json`.

use super::asff::{Landing, land};
use super::common::{canonical_id, service_for_arn};
use super::stream::{FlagTick, JsonStream};
use super::{Budget, ImportError, KeepPartial, Sink, keep_partial};
use crate::model::catalog::Catalog;
use crate::model::date::{instant, instant_text};
use crate::model::evidence::{Evidence, SourceFormat, Status};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;

#[derive(Deserialize)]
struct Finding {
    #[serde(default)]
    metadata: Option<Metadata>,
    #[serde(default)]
    status_code: Option<String>,
    #[serde(default)]
    status_detail: Option<String>,
    #[serde(default)]
    message: Option<String>,
    /// OCSF status: `Suppressed` when Prowler's mutelist muted the finding.
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    status_id: Option<serde_json::Value>,
    #[serde(default)]
    unmapped: Option<serde_json::Value>,
    #[serde(rename = "finding_info", default)]
    info: Option<FindingInfo>,
    #[serde(default)]
    cloud: Option<Cloud>,
    #[serde(default)]
    resources: Vec<OcsfResource>,
    /// When the scan saw it: epoch seconds (Prowler writes `time` so), and `time_dt`, which
    /// Prowler writes in the scanning machine's local time without an offset.
    #[serde(default)]
    time: Option<serde_json::Value>,
    #[serde(default)]
    time_dt: Option<String>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(default)]
    event_code: Option<String>,
}

#[derive(Deserialize)]
struct FindingInfo {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    modified_time: Option<serde_json::Value>,
    #[serde(default)]
    modified_time_dt: Option<String>,
}

#[derive(Deserialize)]
struct Cloud {
    #[serde(default)]
    provider: Option<String>,
    #[serde(default)]
    account: Option<Account>,
    #[serde(default)]
    region: Option<String>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    uid: Option<String>,
}

#[derive(Deserialize)]
struct OcsfResource {
    #[serde(default)]
    uid: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    region: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    group: Option<Group>,
}

#[derive(Deserialize)]
struct Group {
    #[serde(default)]
    name: Option<String>,
}

/// Prowler 3 check ids renamed since, as (old id, current id): Prowler 3 reports still name
/// them the old way. From Prowler's changelog and checks folder (`data/reference/prowler-checks.json`
/// holds the current ids).
const RENAMED: &[(&str, &str)] = &[
    (
        "iam_policy_no_administrative_privileges",
        "iam_customer_attached_policy_no_administrative_privileges",
    ),
    (
        "ec2_securitygroup_allow_ingress_from_internet_to_port_mongodb_27017_27018",
        "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_mongodb_27017_27018",
    ),
];

/// The current id of a Prowler check, for ids an older Prowler used.
pub(crate) fn current_id(id: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _)| *old == id)
        .map_or(id, |(_, new)| new)
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
    let mut unmapped: BTreeMap<String, usize> = BTreeMap::new();
    let mut stream = JsonStream::new(reader, tick, budget.limits.max_value_bytes)
        .relative_to_input(budget.limits);
    let mut count = 0usize;
    let mut refused = None;
    let outcome = stream
        .array(|index, bytes, offset| {
            count += 1;
            refused = finding(&mut sink, index, bytes, offset, &mut unmapped);
            refused.is_none() && sink.keep_going()
        })
        .and_then(|n| {
            if refused.is_some() {
                Ok(n)
            } else {
                stream.finish().map(|()| n)
            }
        });
    if let Some(what) = refused {
        return Err(ImportError::Unsupported {
            path: path.to_owned(),
            what,
        });
    }
    if let Err(err) = outcome {
        let location = format!("[{count}]");
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
        let ids: Vec<&str> = unmapped.keys().map(String::as_str).take(20).collect();
        let more = if unmapped.len() > 20 {
            format!(" and {} more", unmapped.len() - 20)
        } else {
            String::new()
        };
        sink.warn(
            path,
            "",
            format!("{total} findings of Prowler checks no demarc check covers ({}{more}); their resources count as in use", ids.join(", ")),
        );
    }
    if count == 0 {
        sink.warn(
            path,
            "",
            "no findings in this report: nothing found, nothing failed",
        );
    }
    sink.finish(SourceFormat::ProwlerOcsf)
}

/// When the finding was observed, as an instant: `finding_info.modified_time`, else `time`
/// (epoch seconds, or milliseconds as OCSF allows), else a `_dt` text that carries its offset.
fn observed(f: &Finding) -> Option<String> {
    let epoch = |v: &Option<serde_json::Value>| {
        let n = v.as_ref()?.as_f64().filter(|n| n.is_finite() && *n > 0.0)?;
        let seconds = if n > 1e11 { n / 1000.0 } else { n };
        Some(instant_text(seconds as i64))
    };
    let text = |t: &Option<String>| t.clone().filter(|t| instant(t).is_some());
    let info = f.info.as_ref();
    info.and_then(|i| epoch(&i.modified_time))
        .or_else(|| epoch(&f.time))
        .or_else(|| info.and_then(|i| text(&i.modified_time_dt)))
        .or_else(|| text(&f.time_dt))
}

/// Whether Prowler's mutelist muted the finding: OCSF `status` Suppressed (`status_id` 3), as
/// Prowler's OCSF writer marks it (prowler/lib/outputs/ocsf/ocsf.py, `get_finding_status_id`;
/// `status_code` stays PASS or FAIL), or `unmapped.muted`.
fn muted(f: &Finding) -> bool {
    f.status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("suppressed"))
        || f.status_id.as_ref().and_then(serde_json::Value::as_u64) == Some(3)
        || f.unmapped
            .as_ref()
            .and_then(|u| u.get("muted"))
            .and_then(serde_json::Value::as_bool)
            == Some(true)
}

fn finding(
    sink: &mut Sink,
    index: usize,
    bytes: &[u8],
    offset: u64,
    unmapped: &mut BTreeMap<String, usize>,
) -> Option<String> {
    let path = sink.path.clone();
    let location = format!("[{index}] (byte {offset})");
    let f: Finding = match serde_json::from_slice(bytes) {
        Ok(f) => f,
        Err(e) => {
            sink.warn(&path, location, format!("finding skipped: {e}"));
            return None;
        }
    };
    if let Some(provider) = f
        .cloud
        .as_ref()
        .and_then(|c| c.provider.as_deref())
        .filter(|p| !p.eq_ignore_ascii_case("aws"))
    {
        let name = match provider.to_ascii_lowercase().as_str() {
            "gcp" => "Google Cloud".to_owned(),
            "azure" => "Microsoft Azure".to_owned(),
            "kubernetes" => "Kubernetes".to_owned(),
            _ => format!("\"{provider}\""),
        };
        return Some(format!(
            "a Prowler scan of {name} (cloud.provider \"{provider}\" at [{index}]), not of an AWS account; demarc reads AWS scans only"
        ));
    }
    let Some(code) = f
        .metadata
        .as_ref()
        .and_then(|m| m.event_code.clone())
        .filter(|c| !c.is_empty())
    else {
        sink.warn(
            &path,
            location,
            "finding skipped: no metadata.event_code (Prowler check id)",
        );
        return None;
    };
    let catalog = sink.catalog;
    let checks = catalog.checks_for_prowler(current_id(&code));
    if checks.is_empty() {
        *unmapped.entry(code.clone()).or_default() += 1;
    }
    let raw_status = f.status_code.clone().unwrap_or_default();
    let mut status = match raw_status.to_ascii_uppercase().as_str() {
        "PASS" => Status::Pass,
        "FAIL" => Status::Fail,
        _ => Status::Unknown,
    };
    let mut raw_status = raw_status;
    if muted(&f) && status != Status::Pass {
        status = Status::Muted;
        raw_status.push_str(", MUTED");
    }
    // The finding's own words ("IAM Access Analyzer in account 1 is not enabled"), not the
    // check's title, which is the same for every resource.
    let non_empty = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
    let title = non_empty(&f.status_detail)
        .or_else(|| non_empty(&f.message))
        .or_else(|| f.info.as_ref().and_then(|i| non_empty(&i.title)))
        .unwrap_or_default();
    // Interned once per finding, however many resources it names.
    let account = sink.intern(
        f.cloud
            .as_ref()
            .and_then(|c| c.account.as_ref())
            .and_then(|a| a.uid.as_deref())
            .unwrap_or_default(),
    );
    let cloud_region = f
        .cloud
        .as_ref()
        .and_then(|c| c.region.as_deref())
        .unwrap_or_default();
    let landing = Landing {
        checks: checks.clone(),
        control: code,
        tool: "Prowler",
        status,
        raw_status: if raw_status.is_empty() {
            "NO STATUS".to_owned()
        } else {
            raw_status
        },
        title,
        note: String::new(),
    };
    if f.resources.is_empty() {
        sink.warn(&path, location, "finding without resources skipped");
        return None;
    }
    let detail = sink.text(&landing.detail());
    let observed = observed(&f).map(|t| sink.intern(&t));
    for (i, r) in f.resources.iter().enumerate() {
        let Some(raw_id) = r
            .uid
            .as_deref()
            .filter(|s| !s.is_empty())
            .or(r.name.as_deref().filter(|s| !s.is_empty()))
        else {
            sink.warn(
                &path,
                format!("[{index}].resources[{i}]"),
                "resource without uid or name skipped",
            );
            continue;
        };
        let id = canonical_id(raw_id);
        let region = r
            .region
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(cloud_region);
        let mut meta = sink.meta_for(&account, region, &path);
        meta.observed.clone_from(&observed);
        let kind = r.kind.clone().unwrap_or_default();
        let service = checks
            .first()
            .map(|c| c.service.clone())
            .or_else(|| {
                raw_id
                    .starts_with("arn:")
                    .then(|| service_for_arn(catalog, raw_id))
                    .flatten()
            })
            .or_else(|| {
                let group = r.group.as_ref().and_then(|g| g.name.as_deref())?;
                match catalog.services_for_arn_namespace(group).as_slice() {
                    [one] => Some((*one).to_owned()),
                    _ => None,
                }
            });
        // Account-level findings (`arn:aws:iam::<id>:root`, type Other) are not resources.
        if id != *account {
            sink.resource_with_service(
                if kind.is_empty() { "Other" } else { &kind },
                &id,
                &meta,
                service,
            );
        }
        land(sink, &landing, &detail, &meta, &id);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::import::import_bytes;
    use crate::model::catalog::Catalog;
    use crate::model::evidence::{Evidence, Status};

    /// One AWS finding of `rds_instance_no_public_access` on `db1`, with more fields in `extra`.
    fn finding(status_code: &str, extra: &str) -> String {
        format!(
            r#"{{"metadata": {{"event_code": "rds_instance_no_public_access"}}, "status_code": "{status_code}",
                "finding_info": {{"title": "Ensure there are no Public Accessible RDS instances."}},
                "cloud": {{"provider": "aws", "account": {{"uid": "111122223333"}}, "region": "eu-west-1"}},
                "resources": [{{"uid": "db1", "region": "eu-west-1"}}]{extra}}}"#
        )
    }

    fn import(findings: &[String]) -> Evidence {
        let text = format!("[{}]", findings.join(","));
        import_bytes(&Catalog::bundled(), "scan.ocsf.json", text.as_bytes()).expect("imports")
    }

    #[test]
    fn muted_findings_are_muted_as_prowler_writes_them() {
        // Prowler's OCSF writer: status "Suppressed", status_id 3, status_code unchanged.
        for extra in [
            r#", "status": "Suppressed", "status_id": 3"#,
            r#", "status_id": 3"#,
            r#", "status": "New", "unmapped": {"muted": true}"#,
        ] {
            let ev = import(&[finding("FAIL", extra)]);
            assert_eq!(ev.results.len(), 1, "{extra}");
            assert_eq!(ev.results[0].status, Status::Muted, "{extra}");
            assert!(ev.results[0].detail.contains("FAIL, MUTED"), "{extra}");
        }
        // A muted pass stays a pass; a new fail is a fail.
        let ev = import(&[finding(
            "PASS",
            r#", "status": "Suppressed", "status_id": 3"#,
        )]);
        assert_eq!(ev.results[0].status, Status::Pass);
        let ev = import(&[finding("FAIL", r#", "status": "New", "status_id": 1"#)]);
        assert_eq!(ev.results[0].status, Status::Fail);
    }

    #[test]
    fn the_detail_is_the_findings_own_message_not_the_checks_title() {
        let detail = |extra: &str| {
            import(&[finding("FAIL", extra)]).results[0]
                .detail
                .to_string()
        };
        let both = r#", "status_detail": "RDS Instance db1 is set as publicly accessible.", "message": "other words""#;
        assert_eq!(
            detail(both),
            "Prowler rds_instance_no_public_access FAIL: RDS Instance db1 is set as publicly accessible."
        );
        let message = r#", "status_detail": " ", "message": "RDS Instance db1 is public.""#;
        assert!(detail(message).ends_with(": RDS Instance db1 is public."));
        // Only when the finding has no words of its own, the check's title.
        assert!(detail("").ends_with(": Ensure there are no Public Accessible RDS instances."));
    }

    #[test]
    fn the_finding_time_is_its_epoch_time_not_the_local_time_dt() {
        let observed = |extra: &str| {
            import(&[finding("FAIL", extra)]).results[0]
                .observed_at
                .as_deref()
                .map(str::to_owned)
        };
        // As Prowler writes it: time_dt is the scanning machine's local time, without an offset.
        let real = r#", "time": 1739539623, "time_dt": "2025-02-14T14:27:03.913874""#;
        assert_eq!(observed(real).as_deref(), Some("2025-02-14T13:27:03Z"));
        // finding_info.modified_time first (in milliseconds here, as OCSF allows).
        let modified = finding("FAIL", r#", "time": 1739539623"#)
            .replace(r#""title""#, r#""modified_time": 1739626023000, "title""#);
        assert_eq!(
            import(&[modified]).results[0].observed_at.as_deref(),
            Some("2025-02-15T13:27:03Z")
        );
        assert_eq!(
            observed(r#", "time_dt": "2025-02-14T14:27:03+01:00""#).as_deref(),
            Some("2025-02-14T14:27:03+01:00")
        );
        assert_eq!(
            observed(r#", "time_dt": "2025-02-14T14:27:03.913874""#),
            None
        );
        assert_eq!(observed(r#", "time": "soon""#), None);
    }
}
