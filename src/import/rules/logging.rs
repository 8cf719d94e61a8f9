//! Logging and detection: `CloudTrail` (multi-region, log file validation), `GuardDuty`,
//! AWS Config.

use super::{Out, flag};
use crate::import::facts::{Facts, Trail};
use crate::model::evidence::Status;
use std::collections::BTreeMap;

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    cloudtrail(out, facts);
    for g in &facts.guardduty {
        let (status, detail) =
            region_service(&g.detectors, "GuardDuty detector", "enabled", "suspended");
        out.push(
            "guardduty_disabled",
            &g.meta,
            &g.meta.account,
            status,
            detail,
        );
    }
    for r in &facts.recorders {
        let (status, detail) = region_service(
            &r.recorders,
            "configuration recorder",
            "recording",
            "not recording",
        );
        out.push(
            "config_recorder_off",
            &r.meta,
            &r.meta.account,
            status,
            detail,
        );
    }
}

fn cloudtrail(out: &mut Out, facts: &Facts) {
    // Trails by account, in one pass (file order within an account).
    let mut by_account: BTreeMap<&str, Vec<&Trail>> = BTreeMap::new();
    for t in &facts.trails {
        by_account.entry(&*t.meta.account).or_default().push(t);
    }
    for trails in by_account.values() {
        if out.cancelled() {
            return;
        }
        let good = trails
            .iter()
            .find(|t| t.multi_region == Some(true) && t.logging == Some(true));
        let maybe = trails
            .iter()
            .any(|t| t.multi_region == Some(true) && t.logging.is_none());
        for t in trails {
            let (status, detail) = match (t.multi_region, t.logging) {
                (Some(true), Some(true)) => {
                    (Status::Pass, "multi-region trail, logging".to_owned())
                }
                (Some(true), Some(false)) => (
                    Status::Fail,
                    "multi-region trail, but logging is stopped".to_owned(),
                ),
                (Some(true), None) => (
                    Status::Unknown,
                    "multi-region trail; logging status not in this snapshot".to_owned(),
                ),
                (Some(false), _) => match (good, maybe) {
                    (Some(g), _) => (
                        Status::Pass,
                        format!(
                            "IsMultiRegionTrail=false, but multi-region trail {} is logging",
                            g.name
                        ),
                    ),
                    (None, true) => (
                        Status::Unknown,
                        "IsMultiRegionTrail=false; another multi-region trail's logging is unknown"
                            .to_owned(),
                    ),
                    (None, false) => (
                        Status::Fail,
                        "IsMultiRegionTrail=false, and no multi-region trail in the account"
                            .to_owned(),
                    ),
                },
                (None, _) => (
                    Status::Unknown,
                    "IsMultiRegionTrail not in this snapshot".to_owned(),
                ),
            };
            out.push(
                "cloudtrail_not_multiregion",
                &t.meta,
                &t.name,
                status,
                detail,
            );
            flag(
                out,
                "cloudtrail_log_validation_off",
                &t.meta,
                &t.name,
                t.log_validation,
                "LogFileValidationEnabled",
                false,
            );
        }
    }
    for listing in &facts.trail_listings {
        if !by_account.contains_key(&*listing.meta.account) {
            out.push(
                "cloudtrail_not_multiregion",
                &listing.meta,
                &listing.meta.account,
                Status::Fail,
                "no CloudTrail trail in the account",
            );
        }
    }
}

fn region_service(
    items: &[(String, Option<bool>)],
    what: &str,
    on: &str,
    off: &str,
) -> (Status, String) {
    if items.is_empty() {
        return (Status::Fail, format!("no {what} in this region"));
    }
    if let Some((id, _)) = items.iter().find(|(_, e)| *e == Some(true)) {
        return (Status::Pass, format!("{what} {id} {on}"));
    }
    if items.iter().all(|(_, e)| *e == Some(false)) {
        let ids: Vec<&str> = items.iter().map(|(id, _)| id.as_str()).collect();
        return (Status::Fail, format!("{what} {} {off}", ids.join(", ")));
    }
    (
        Status::Unknown,
        format!("{what} status not in this snapshot"),
    )
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{Facts, GuardDutyRegion, RecorderRegion, Trail, TrailListing};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        let trail = |account: &str,
                     name: &str,
                     multi: Option<bool>,
                     logging: Option<bool>,
                     validation: Option<bool>| Trail {
            meta: meta(account),
            name: name.to_owned(),
            arn: None,
            multi_region: multi,
            logging,
            log_validation: validation,
        };
        f.trails
            .push(trail("1", "t-single", Some(false), Some(true), Some(false)));
        f.trails
            .push(trail("2", "t-multi", Some(true), Some(true), Some(true)));
        f.trails
            .push(trail("2", "t-local", Some(false), Some(true), Some(true)));
        f.trails.push(trail("3", "t-unknown", None, None, None));
        f.trail_listings.push(TrailListing { meta: meta("4") });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("1"),
            detectors: vec![],
        });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("2"),
            detectors: vec![("d".to_owned(), Some(true))],
        });
        f.guardduty.push(GuardDutyRegion {
            meta: meta("3"),
            detectors: vec![("d".to_owned(), None)],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("1"),
            recorders: vec![("default".to_owned(), Some(false))],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("2"),
            recorders: vec![("default".to_owned(), Some(true))],
        });
        f.recorders.push(RecorderRegion {
            meta: meta("3"),
            recorders: vec![("default".to_owned(), None)],
        });
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        (
            "cloudtrail_not_multiregion",
            &[
                ("t-single", Fail),
                ("t-multi", Pass),
                ("t-local", Pass),
                ("t-unknown", Unknown),
                ("4", Fail),
            ],
        ),
        (
            "cloudtrail_log_validation_off",
            &[
                ("t-single", Fail),
                ("t-multi", Pass),
                ("t-unknown", Unknown),
            ],
        ),
        (
            "guardduty_disabled",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
        (
            "config_recorder_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        expect(&run(&facts(), super::evaluate), CASES);
    }
}
