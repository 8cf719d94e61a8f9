//! Logging and detection: `CloudTrail` trails (once each, in their home region), `GuardDuty`
//! detectors, AWS Config recorders.

use super::manifest::Call;
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{loose_bool, text};
use crate::import::facts::{GuardDutyRegion, RecorderRegion, Trail, TrailListing};
use serde_json::Value;
use std::collections::HashMap;

impl Collector<'_> {
    pub(super) fn cloudtrail(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let Some(call) = calls.one("cloudtrail", "describe-trails", Some(region)) else {
            return;
        };
        let Some(v) = call.ok() else { return };
        if !sink
            .facts
            .trail_listings
            .iter()
            .any(|l| &*l.meta.account == self.account)
        {
            let meta = self.meta(sink, region, Some(call));
            sink.facts.trail_listings.push(TrailListing { meta });
        }
        for t in list(Some(v), "trailList") {
            let Some(name) = text(t.get("Name")) else {
                continue;
            };
            let arn = text(t.get("TrailARN"));
            // A multi-region trail shows in every region: keep it once, in its home region.
            let home = text(t.get("HomeRegion")).unwrap_or_else(|| region.to_owned());
            if home != region
                && calls
                    .one("cloudtrail", "describe-trails", Some(&home))
                    .is_some()
            {
                continue;
            }
            if let Some(arn) = &arn
                && !self.trail_arns.borrow_mut().insert(arn.clone())
            {
                continue;
            }
            let key = arn.clone().unwrap_or_else(|| name.clone());
            let status = calls
                .with_param("cloudtrail", "get-trail-status", "--name", &key, region)
                .or_else(|| {
                    calls.with_param("cloudtrail", "get-trail-status", "--name", &name, region)
                });
            let meta = self.meta(sink, &home, Some(call));
            sink.resource("AWS::CloudTrail::Trail", &name, &meta, None);
            sink.facts.trails.push(Trail {
                meta,
                name,
                arn,
                multi_region: loose_bool(t.get("IsMultiRegionTrail")),
                logging: status
                    .and_then(Call::ok)
                    .and_then(|s| loose_bool(s.get("IsLogging"))),
                log_validation: loose_bool(t.get("LogFileValidationEnabled")),
            });
        }
    }

    pub(super) fn guardduty(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("guardduty", "list-detectors", r)
            && let Some(v) = call.ok()
        {
            {
                let meta = self.meta(sink, region, Some(call));
                let detectors = list(Some(v), "DetectorIds")
                    .iter()
                    .filter_map(|d| text(Some(d)))
                    .map(|id| {
                        let detail = calls
                            .with_param("guardduty", "get-detector", "--detector-id", &id, region)
                            .and_then(Call::ok);
                        let enabled = detail
                            .and_then(|d| text(d.get("Status")))
                            .map(|s| s.eq_ignore_ascii_case("ENABLED"));
                        (id, enabled)
                    })
                    .collect::<Vec<_>>();
                for (id, _) in &detectors {
                    sink.resource("AWS::GuardDuty::Detector", id, &meta, None);
                }
                sink.facts
                    .guardduty
                    .push(GuardDutyRegion { meta, detectors });
            }
        }
    }

    pub(super) fn config_recorders(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("configservice", "describe-configuration-recorders", r)
            && let Some(v) = call.ok()
        {
            {
                let meta = self.meta(sink, region, Some(call));
                let status = calls
                    .one("configservice", "describe-configuration-recorder-status", r)
                    .and_then(Call::ok);
                // Each recorder's status by name (the first listed), looked up once each.
                let mut statuses: HashMap<&str, &Value> = HashMap::new();
                for x in list(status, "ConfigurationRecordersStatus") {
                    if let Some(name) = x.get("name").and_then(Value::as_str) {
                        statuses.entry(name).or_insert(x);
                    }
                }
                let recorders = list(Some(v), "ConfigurationRecorders")
                    .iter()
                    .filter_map(|rec| text(rec.get("name")))
                    .map(|name| {
                        let recording = statuses
                            .get(name.as_str())
                            .and_then(|x| loose_bool(x.get("recording")));
                        (name, recording)
                    })
                    .collect::<Vec<_>>();
                for (name, _) in &recorders {
                    sink.resource("AWS::Config::ConfigurationRecorder", name, &meta, None);
                }
                sink.facts
                    .recorders
                    .push(RecorderRegion { meta, recorders });
            }
        }
    }
}
