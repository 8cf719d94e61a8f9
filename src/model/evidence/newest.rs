//! Newest wins: of the results one test gave the same check on the same resource (same account
//! and region) at different times, the newest is the result and the older ones are its history.
//! README "Results of imported evidence" states the rule; this is the one place it is applied,
//! on every import (`Sink::finish`) and every merge (`Evidence::merge`), so the CLI, the GUI and
//! a second import dropped on the window all get it.

use super::{CheckResult, Evidence, Status, file_name};
use crate::model::date::instant;
use std::collections::HashMap;

/// What competes: (test, check, account, resource, region), the region `global` being none.
type Key<'a> = (&'a str, &'a str, &'a str, &'a str, &'a str);

/// Seconds since 1970-01-01 UTC and nanoseconds ([`instant`]).
type Instant = (i64, u32);

fn key(r: &CheckResult) -> Key<'_> {
    let region = if &*r.region == "global" {
        ""
    } else {
        &*r.region
    };
    (&*r.test, &*r.check, &*r.account, &*r.resource_id, region)
}

fn when(r: &CheckResult) -> Option<Instant> {
    r.observed_at.as_deref().and_then(instant)
}

/// The verdict as sources word it: `FAILED`, `PASSED`, ...
fn word(status: Status) -> &'static str {
    match status {
        Status::Fail => "FAILED",
        Status::Pass => "PASSED",
        Status::Unknown => "UNKNOWN",
        Status::Suppressed => "SUPPRESSED",
        Status::Muted => "MUTED",
    }
}

/// What a winner's detail ends with: ` (newest of 3; earlier: FAILED at <time> in <file>, ...)`.
fn note(earlier: &[CheckResult]) -> String {
    let named: Vec<String> = earlier
        .iter()
        .map(|r| {
            format!(
                "{} at {} in {}",
                word(r.status),
                r.observed_at.as_deref().unwrap_or("an unknown time"),
                file_name(&r.source)
            )
        })
        .collect();
    format!(
        " (newest of {}; earlier: {})",
        earlier.len() + 1,
        named.join(", ")
    )
}

impl Evidence {
    /// Applies "newest wins": per (test, check, account, resource, region), when results carry
    /// different times ([`CheckResult::observed_at`]), those observed last stay and every older
    /// one moves into the first of them ([`CheckResult::earlier`]), named at the end of its
    /// detail. Results observed at the same newest time all stay (and may disagree). A result
    /// without a time (or with one that is no instant) neither wins nor loses. Settling again
    /// gives the same evidence.
    pub fn settle(&mut self) {
        self.unsettle();
        // Per key, the results with a time, in file order.
        let mut groups: HashMap<Key, Vec<(usize, Instant)>> = HashMap::new();
        for (i, r) in self.results.iter().enumerate() {
            if let Some(at) = when(r) {
                groups.entry(key(r)).or_default().push((i, at));
            }
        }
        // (winner, the older results it replaces)
        let mut moves: Vec<(usize, Vec<usize>)> = Vec::new();
        for group in groups.values() {
            let Some(newest) = group.iter().map(|(_, at)| *at).max() else {
                continue;
            };
            let mut older: Vec<&(usize, Instant)> =
                group.iter().filter(|(_, at)| *at < newest).collect();
            if older.is_empty() {
                continue;
            }
            let winner = group
                .iter()
                .find(|(_, at)| *at == newest)
                .map_or(0, |(i, _)| *i);
            // Newest first; equal times in file order.
            older.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            moves.push((winner, older.into_iter().map(|(i, _)| *i).collect()));
        }
        drop(groups);
        if moves.is_empty() {
            return;
        }
        let mut slots: Vec<Option<CheckResult>> = std::mem::take(&mut self.results)
            .into_iter()
            .map(Some)
            .collect();
        for (winner, older) in moves {
            let earlier: Vec<CheckResult> = older
                .into_iter()
                .filter_map(|i| slots.get_mut(i).and_then(Option::take))
                .collect();
            if let Some(Some(w)) = slots.get_mut(winner) {
                w.detail = format!("{}{}", w.detail, note(&earlier)).into();
                w.earlier = earlier;
            }
        }
        self.results = slots.into_iter().flatten().collect();
    }

    /// Undoes [`Evidence::settle`]: every replaced result back among the results, every detail
    /// without its note.
    pub(super) fn unsettle(&mut self) {
        let mut restored = Vec::new();
        for r in &mut self.results {
            if r.earlier.is_empty() {
                continue;
            }
            let note = note(&r.earlier);
            if let Some(base) = r.detail.strip_suffix(note.as_str()) {
                r.detail = base.into();
            }
            restored.append(&mut r.earlier);
        }
        self.results.append(&mut restored);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{SourceFormat, SourceInfo};
    use super::*;

    fn at(status: Status, when: Option<&str>, source: &str) -> CheckResult {
        CheckResult {
            check: "rds_public".into(),
            service: "rds".into(),
            control: "NET-03".into(),
            resource_id: "db1".into(),
            region: "us-east-1".into(),
            account: "111122223333".into(),
            status,
            detail: format!("said by {source}").into(),
            source: source.into(),
            observed_at: when.map(Into::into),
            test: "RDS.2".into(),
            earlier: Vec::new(),
        }
    }

    fn source(path: &str) -> Evidence {
        Evidence {
            sources: vec![SourceInfo {
                path: path.to_owned(),
                format: SourceFormat::SecurityHubAsff,
                accounts: vec![],
                regions: vec![],
            }],
            ..Evidence::default()
        }
    }

    fn with(path: &str, results: Vec<CheckResult>) -> Evidence {
        Evidence {
            results,
            ..source(path)
        }
    }

    #[test]
    fn the_newest_result_wins_and_names_the_older_in_its_detail() {
        let mut ev = with(
            "/scans/week1.json",
            vec![at(
                Status::Fail,
                Some("2026-01-01T10:00:00Z"),
                "/scans/week1.json",
            )],
        );
        ev.merge(with(
            "/scans/week2.json",
            vec![at(
                Status::Pass,
                Some("2026-01-08T10:00:00+01:00"),
                "/scans/week2.json",
            )],
        ));
        assert_eq!(ev.results.len(), 1);
        let r = &ev.results[0];
        assert_eq!(r.status, Status::Pass);
        assert_eq!(
            &*r.detail,
            "said by /scans/week2.json (newest of 2; earlier: FAILED at 2026-01-01T10:00:00Z in week1.json)"
        );
        assert_eq!(r.earlier.len(), 1);
        // The order of import does not matter.
        let mut other = with(
            "/scans/week2.json",
            vec![at(
                Status::Pass,
                Some("2026-01-08T10:00:00+01:00"),
                "/scans/week2.json",
            )],
        );
        other.merge(with(
            "/scans/week1.json",
            vec![at(
                Status::Fail,
                Some("2026-01-01T10:00:00Z"),
                "/scans/week1.json",
            )],
        ));
        assert_eq!(other.results, ev.results);
    }

    #[test]
    fn results_without_a_time_other_tests_regions_and_ties_all_stay() {
        let mut untimed = at(Status::Fail, None, "cli");
        untimed.test = "".into();
        let mut other_test = at(Status::Fail, Some("2026-01-01T00:00:00Z"), "hub.json");
        other_test.test = "RDS.3".into();
        let mut other_region = at(Status::Fail, Some("2026-01-01T00:00:00Z"), "hub.json");
        other_region.region = "eu-west-1".into();
        let no_instant = at(Status::Fail, Some("2026-01-01T00:00:00"), "old.json");
        let tie_a = at(Status::Pass, Some("2026-02-01T00:00:00Z"), "a.json");
        let tie_b = at(Status::Fail, Some("2026-02-01T00:00:00Z"), "b.json");
        let all = vec![untimed, other_test, other_region, no_instant, tie_a, tie_b];
        let mut ev = with("x", all.clone());
        ev.settle();
        assert_eq!(ev.results, all, "nothing competes");
    }

    #[test]
    fn settling_again_and_importing_a_source_again_give_the_same_result() {
        let old = || {
            with(
                "old.json",
                vec![at(Status::Fail, Some("2026-01-01T00:00:00Z"), "old.json")],
            )
        };
        let mid = || {
            with(
                "mid.json",
                vec![at(
                    Status::Unknown,
                    Some("2026-01-02T00:00:00Z"),
                    "mid.json",
                )],
            )
        };
        let new = || {
            with(
                "new.json",
                vec![at(Status::Pass, Some("2026-01-03T00:00:00Z"), "new.json")],
            )
        };
        let mut ev = old();
        ev.merge(mid());
        ev.merge(new());
        let settled = ev.clone();
        assert_eq!(ev.results.len(), 1);
        assert!(
            ev.results[0].detail.ends_with(
                "(newest of 3; earlier: UNKNOWN at 2026-01-02T00:00:00Z in mid.json, FAILED at 2026-01-01T00:00:00Z in old.json)"
            ),
            "{}",
            ev.results[0].detail
        );
        ev.settle();
        assert_eq!(ev, settled);
        // The winner imported again: the older ones come back and lose again.
        ev.merge(new());
        assert_eq!(ev.results, settled.results);
        // A loser imported again: still one history entry for it, not two.
        ev.merge(old());
        assert_eq!(ev.results, settled.results);
        // The winner replaced by an older scan under the same name: the middle one wins.
        ev.merge(with(
            "new.json",
            vec![at(Status::Fail, Some("2025-12-01T00:00:00Z"), "new.json")],
        ));
        assert_eq!(ev.results.len(), 1);
        assert_eq!(ev.results[0].status, Status::Unknown);
        assert_eq!(ev.results[0].earlier.len(), 2);
    }
}
