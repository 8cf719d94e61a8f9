//! Tests of `Session::apply` across the areas.

use super::*;
use crate::export::Format;
use crate::model::engagement::Status;
use crate::model::owner::Owner;

pub(crate) fn session() -> Session {
    Session::new(
        Arc::new(Catalog::bundled()),
        &Settings::default(),
        "2026-11-28",
    )
}

fn with_engagement() -> Session {
    let mut s = session();
    s.apply(
        EngagementCommand::New {
            client: "Acme".into(),
            title: "Review".into(),
        }
        .into(),
    );
    s
}

#[test]
fn default_scope_is_ec2_s3_rds() {
    let s = session();
    let keys: Vec<String> = s.scope.iter().map(ServiceRef::key).collect();
    assert_eq!(keys, ["ec2", "s3", "rds/standard"]);
    assert_eq!(s.matrix().columns.len(), 3);
}

#[test]
fn filters_rebuild_the_matrix() {
    let mut s = session();
    let before = s.matrix().row_count();
    // Hiding AWS drops the rows only AWS owns (INF-01).
    s.apply(FilterCommand::ToggleOwner(Owner::Aws).into());
    assert!(s.matrix().row_count() < before);
    s.apply(FilterCommand::Clear.into());
    assert_eq!(s.matrix().row_count(), before);
}

#[test]
fn export_command_yields_a_write_job() {
    let mut s = session();
    let job = s.apply(
        ExportCommand::Write {
            kind: ExportKind::Checklist,
            format: Format::Markdown,
            path: "x.md".into(),
        }
        .into(),
    );
    let Some(Job::WriteFile { path, bytes }) = job else {
        panic!("expected a write job")
    };
    assert_eq!(path, PathBuf::from("x.md"));
    assert!(
        String::from_utf8(bytes)
            .expect("utf8")
            .starts_with("# AWS shared responsibility checklist")
    );
}

#[test]
fn settings_round_trip() {
    let mut s = session();
    s.apply(ScopeCommand::Add(s.catalog.parse_ref("lambda").expect("lambda")).into());
    s.apply(ViewCommand::SetTheme(ThemeChoice::Dark).into());
    let settings = s.settings();
    let again = Session::new(Arc::clone(&s.catalog), &settings, "2026-11-28");
    assert_eq!(again.scope, s.scope);
    assert_eq!(again.theme, ThemeChoice::Dark);
}

#[test]
fn removing_a_column_clears_its_selection() {
    let mut s = session();
    // s3 is in the matrix but not among the default comparison columns.
    let s3 = s.scope[1].clone();
    assert!(!s.compare_refs().contains(&s3));
    s.apply(ViewCommand::Select(Some((s3.clone(), "IAM-01".into()))).into());
    s.apply(ScopeCommand::Remove(s3).into());
    assert!(s.selected.is_none());
}

#[test]
fn import_progress_ticks_do_not_rebuild_anything() {
    let mut s = with_engagement();
    let job = s.apply(ImportCommand::Start(vec!["snapshot.json".into()]).into());
    assert!(matches!(job, Some(Job::Import { .. })));
    let before = s.rebuild_counts();
    for tick in 0..50u64 {
        s.apply(
            ImportCommand::Progress {
                index: 0,
                bytes_read: tick * 1000,
                total: Some(50_000),
            }
            .into(),
        );
    }
    assert_eq!(
        s.rebuild_counts(),
        before,
        "progress ticks rebuilt derived data"
    );
    assert_eq!(s.import_run().expect("running").bytes_read, 49_000);
}

#[test]
fn each_area_rebuilds_only_what_it_changed() {
    let mut s = session();
    let start = s.rebuild_counts();
    s.apply(FilterCommand::SetQuery("patch".into()).into());
    let after_filter = s.rebuild_counts();
    assert_eq!(after_filter.matrix, start.matrix + 1);
    assert_eq!(after_filter.comparison, start.comparison);

    s.apply(
        CompareCommand::SetSlot {
            slot: 3,
            service: None,
        }
        .into(),
    );
    let after_compare = s.rebuild_counts();
    assert_eq!(after_compare.matrix, after_filter.matrix);
    assert_eq!(after_compare.comparison, after_filter.comparison + 1);

    for command in [
        ViewCommand::Show(View::Compare),
        ViewCommand::SetTheme(ThemeChoice::Dark),
        ViewCommand::SetZoom(1.4),
        ViewCommand::ToggleDomainCollapsed("IAM".into()),
    ] {
        s.apply(command.into());
    }
    s.apply(NoticeCommand::Dismiss(1).into());
    assert_eq!(
        s.rebuild_counts(),
        after_compare,
        "view changes rebuilt data"
    );
}

#[test]
fn editing_an_item_marks_the_engagement_changed_without_a_rebuild() {
    let mut s = with_engagement();
    let before = s.rebuild_counts();
    let revision = s.engagement().expect("open").revision;
    let key = crate::model::engagement::ItemKey::new(s.scope[0].clone(), "IAM-01");
    s.apply(
        EngagementCommand::EditItem {
            key: key.clone(),
            edit: ItemEdit::Status(Status::Done),
        }
        .into(),
    );
    let e = s.engagement().expect("open");
    assert_eq!(e.doc.status(&key), Status::Done);
    assert_eq!(e.revision, revision + 1);
    assert_eq!(s.rebuild_counts(), before);
}

#[test]
fn changing_the_scope_mirrors_into_the_engagement() {
    let mut s = with_engagement();
    let lambda = s.catalog.parse_ref("lambda").expect("lambda");
    s.apply(ScopeCommand::Add(lambda.clone()).into());
    let e = s.engagement().expect("open");
    assert!(e.doc.scope.contains(&lambda));
    assert!(s.matrix().columns.contains(&lambda));
}

#[test]
fn an_unreported_problem_from_the_last_run_is_shown_at_start() {
    let settings = Settings {
        unreported: Some("the autosave failed: disk full".into()),
        ..Settings::default()
    };
    let s = Session::new(Arc::new(Catalog::bundled()), &settings, "2026-11-28");
    let note = s.notifications().first().expect("shown");
    assert_eq!(note.level, Level::Error);
    assert!(note.text.contains("disk full"), "{}", note.text);
    assert_eq!(
        s.settings().unreported,
        None,
        "reported once, then forgotten"
    );
}

#[test]
fn a_failed_autosave_is_an_error_with_its_cause() {
    let mut s = with_engagement();
    s.apply(
        EngagementCommand::AutosaveFinished {
            revision: 1,
            result: Err(AutosaveError::NoDataFolder),
        }
        .into(),
    );
    let note = s.notifications().last().expect("reported");
    assert_eq!(note.level, Level::Error);
    assert_eq!(
        note.text,
        "Autosave failed: no data folder for the autosave copy"
    );
}

#[test]
fn a_job_that_cannot_start_ends_the_import_it_was_for() {
    let mut s = session();
    let _ = s.apply(ImportCommand::Start(vec!["x.json".into()]).into());
    assert!(s.import_run().is_some());
    s.apply(
        NoticeCommand::JobNotStarted {
            kind: JobKind::Import,
            error: std::io::Error::other("no threads left"),
        }
        .into(),
    );
    assert!(s.import_run().is_none());
    assert!(
        s.notifications()
            .last()
            .is_some_and(|n| n.text.contains("no threads left"))
    );
}

/// A job that panics is reported, never silent, and ends the import it was for.
#[test]
fn a_panicking_job_is_reported_and_ends_its_import() {
    let mut s = session();
    let _ = s.apply(ImportCommand::Start(vec!["x.json".into()]).into());
    s.apply(
        NoticeCommand::JobPanicked {
            kind: JobKind::Import,
            message: "index out of bounds".to_owned(),
        }
        .into(),
    );
    assert!(s.import_run().is_none());
    assert!(
        s.notifications()
            .last()
            .is_some_and(|n| n.text.contains("index out of bounds"))
    );
}

/// The import job builds what the views show (the merge over the evidence already held, the
/// per-cell roll-up, the findings board, the summary an open engagement keeps) on its worker;
/// the session only swaps the result in. Clear waits for a running import.
#[test]
fn an_import_merges_over_the_evidence_it_started_from_and_clear_waits_for_it() {
    use crate::model::evidence::{CheckResult, Evidence, SourceFormat, SourceInfo, Status};
    let mut s = with_engagement();
    let check = s.catalog.checks[0].clone();
    let read = |path: &str, resource: &str| Evidence {
        sources: vec![SourceInfo {
            path: path.to_owned(),
            format: SourceFormat::AwsCliCollection,
            accounts: vec!["111122223333".to_owned()],
            regions: vec!["eu-west-1".to_owned()],
        }],
        results: vec![CheckResult {
            check: check.key.as_str().into(),
            service: check.service.as_str().into(),
            control: check.control.as_str().into(),
            resource_id: resource.into(),
            region: "eu-west-1".into(),
            account: "111122223333".into(),
            status: Status::Fail,
            detail: "".into(),
            source: path.into(),
            observed_at: None,
            test: "".into(),
            earlier: Vec::new(),
        }],
        ..Evidence::default()
    };
    let import = |s: &mut Session, path: &str, resource: &str, expect_base: usize| {
        let Some(Job::Import {
            catalog,
            base,
            summary_for,
            ..
        }) = s.apply(ImportCommand::Start(vec![path.into()]).into())
        else {
            panic!("an import job");
        };
        assert_eq!(
            base.as_ref().map_or(0, |b| b.evidence.results.len()),
            expect_base
        );
        assert_eq!(summary_for.as_deref(), Some("2026-11-28"));
        let outcome = ImportOutcome::build(
            &catalog,
            base,
            read(path, resource),
            Vec::new(),
            false,
            summary_for.as_deref(),
        );
        assert!(outcome.summary.is_some(), "the worker built the summary");
        outcome
    };
    let first = import(&mut s, "a/cli", "bucket-a", 0);
    s.apply(ImportCommand::Finished(Box::new(first)).into());
    let second = import(&mut s, "b/cli", "bucket-b", 1);
    s.apply(ImportCommand::Clear.into());
    assert!(s.evidence().is_some(), "Clear waits for the running import");
    assert!(
        s.notifications()
            .last()
            .is_some_and(|n| n.text.contains("An import is running"))
    );
    s.apply(ImportCommand::Finished(Box::new(second)).into());
    let view = s.evidence().expect("evidence");
    assert_eq!(
        view.evidence.results.len(),
        2,
        "merged over the first import"
    );
    assert_eq!(view.evidence.sources.len(), 2);
    let kept = &s.engagement().expect("engagement").doc.evidence;
    assert_eq!(
        kept.summaries.len(),
        2,
        "both imports attached to the engagement"
    );
    s.apply(ImportCommand::Clear.into());
    assert!(s.evidence().is_none());
}

/// A cancelled import builds nothing and keeps nothing.
#[test]
fn a_cancelled_import_builds_nothing() {
    let catalog = Catalog::bundled();
    let outcome = ImportOutcome::build(
        &catalog,
        None,
        crate::model::evidence::Evidence::default(),
        Vec::new(),
        true,
        Some("2026-11-28"),
    );
    assert!(outcome.view.is_none() && outcome.summary.is_none());
}

/// A decision in the checklist moves its group's progress bar at once; the rows stay put.
#[test]
fn a_decision_updates_its_group_progress_without_moving_rows() {
    let mut s = with_engagement();
    let group = |s: &Session| {
        s.agenda()
            .iter()
            .find(|g| g.key == "IAM")
            .expect("IAM group")
            .clone()
    };
    let before = group(&s);
    let key = before.rows[1].key.clone();
    let rebuilds = s.rebuild_counts();
    s.apply(
        EngagementCommand::EditItem {
            key,
            edit: ItemEdit::Status(Status::Done),
        }
        .into(),
    );
    let after = group(&s);
    assert_eq!(after.progress.resolved, before.progress.resolved + 1);
    assert_eq!(after.progress.total, before.progress.total);
    let keys = |g: &AgendaGroup| g.rows.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&after), keys(&before), "rows never move on a decision");
    assert_eq!(s.rebuild_counts(), rebuilds);
}
