//! `egui_kittest` tests of the findings board, the meeting checklist and the engagement
//! dialogs, driven by accessible label on the acme-retail sample (a CLI collection and an AWS
//! Config snapshot of the same account: many failures are reported by both).

use demarc::export::Format;
use demarc::model::catalog::Catalog;
use demarc::model::engagement::Status;
use demarc::model::evidence::Status as Verdict;
use demarc::state::{
    EngagementCommand, ExportCommand, ExportKind, ImportCommand, Job, LayoutCommand, Session,
    Settings, View,
};
use demarc::ui::{self, Request, UiState};
use egui::Key;
use egui::accesskit::Toggled;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::path::{Path, PathBuf};
use std::sync::Arc;

struct TestApp {
    session: Session,
    ui: UiState,
    /// The jobs the session handed back (a dialog's confirm shows up here).
    jobs: Vec<Job>,
}

fn harness(scope: &[&str]) -> Harness<'static, TestApp> {
    let settings = Settings {
        scope: scope.iter().map(|s| (*s).to_owned()).collect(),
        ..Settings::default()
    };
    let session = Session::new(Arc::new(Catalog::bundled()), &settings, "2026-12-04");
    let app = TestApp {
        session,
        ui: UiState::default(),
        jobs: Vec::new(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(
            |ui, app: &mut TestApp| {
                for request in ui::app_ui(ui, &app.session, &mut app.ui) {
                    if let Request::Command(command) = request
                        && let Some(job) = app.session.apply(command)
                    {
                        app.jobs.push(job);
                    }
                }
            },
            app,
        );
    harness.run();
    harness
}

fn sample(part: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples/acme-retail")
        .join(part)
}

/// Imports the sample's CLI collection and Config snapshot through the real import job.
fn import_acme(h: &mut Harness<'_, TestApp>) {
    let job = h
        .state_mut()
        .session
        .apply(ImportCommand::Start(vec![sample("cli"), sample("config-snapshot.json")]).into())
        .expect("an import job");
    let done = demarc::app::execute(job, &|_| {}).expect("the import reports back");
    h.state_mut().session.apply(done);
    h.run();
    assert!(h.state().session.evidence().is_some(), "evidence loaded");
}

fn key(h: &mut Harness<'_, TestApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn new_engagement(h: &mut Harness<'_, TestApp>) {
    h.state_mut().session.apply(
        EngagementCommand::New {
            client: "Acme Retail".into(),
            title: "Kick-off".into(),
        }
        .into(),
    );
    h.run();
}

/// The labels of the finding rows on screen.
fn finding_rows(h: &Harness<'_, TestApp>) -> Vec<String> {
    h.query_all_by(|node| node.label().is_some_and(|l| l.starts_with("Finding: ")))
        .filter_map(|n| n.accesskit_node().label())
        .collect()
}

#[test]
fn the_findings_board_lists_each_failure_once_with_its_sources() {
    let mut h = harness(&["s3", "ec2", "rds"]);
    import_acme(&mut h);
    h.get_by_label("Findings").click();
    h.run();
    assert_eq!(h.state().session.view(), View::Findings);
    let ev = h.state().session.evidence().expect("evidence");
    let results = ev.evidence.results.len();
    let findings = ev.findings.len();
    assert!(
        findings < results,
        "{results} results from two sources make fewer findings, not {findings}"
    );
    let rows = finding_rows(&h);
    assert!(!rows.is_empty(), "failing rows are listed");
    // Two tests of one failure (demarc's rule over the CLI outputs, Security Hub's control) are
    // one row naming both sources. (The same rule over the Config snapshot, captured before the
    // CLI collection, is no longer a second source: the newer result wins, README "Newest wins".)
    assert!(
        rows.iter()
            .any(|r| r.contains("CLI collection") && r.contains("Security Hub")),
        "a failure both sources report is one row naming both: {rows:#?}"
    );
    // The default filter shows failing and unknown findings, never passing ones.
    assert!(rows.iter().all(|r| !r.contains("· Pass ·")), "{rows:#?}");
    assert!(
        rows.iter()
            .all(|r| !r.contains("s3_") && !r.contains("/work")),
        "titles, not check keys or paths: {rows:#?}"
    );
}

#[test]
fn findings_filters_and_grouping_change_what_is_listed() {
    let mut h = harness(&["s3", "ec2", "rds"]);
    import_acme(&mut h);
    h.get_by_label("Findings").click();
    h.run();
    let before = h.state().session.findings_view().rows.len();

    h.get_by_label("Show pass findings").click();
    h.run();
    let filter = h.state().session.finding_filter().clone();
    assert!(filter.statuses.contains(&Verdict::Pass), "{filter:?}");
    let with_pass = h.state().session.findings_view().rows.len();
    assert!(with_pass > before, "{with_pass} > {before}");
    assert!(
        h.get_by_label("Show pass findings")
            .accesskit_node()
            .toggled()
            == Some(Toggled::True),
        "the chip shows its real state"
    );

    h.get_by_label("Show fail findings").click();
    h.run();
    let view = h.state().session.findings_view();
    let ev = h.state().session.evidence().expect("evidence");
    assert!(
        view.rows
            .iter()
            .all(|&r| ev.findings.rows[r as usize].status != Verdict::Fail),
        "failing findings are filtered out"
    );

    h.get_by_label("Reset filters").click();
    h.run();
    assert_eq!(h.state().session.findings_view().rows.len(), before);

    // Grouped by service by default: collapsing a service hides its rows.
    let first = {
        let session = &h.state().session;
        let view = session.findings_view();
        let ev = session.evidence().expect("evidence");
        let id = ev.findings.group_label(view.grouping, view.groups[0].id);
        session
            .catalog()
            .service(id)
            .expect("a service")
            .name
            .clone()
    };
    let titles: Vec<String> = {
        let session = &h.state().session;
        let view = session.findings_view();
        let ev = session.evidence().expect("evidence");
        let g = &view.groups[0];
        view.rows[g.start..g.start + g.len]
            .iter()
            .map(|&r| {
                ev.findings
                    .check(&ev.findings.rows[r as usize])
                    .title
                    .clone()
            })
            .collect()
    };
    let of_first = |h: &Harness<'_, TestApp>| {
        finding_rows(h)
            .iter()
            .filter(|r| {
                titles
                    .iter()
                    .any(|t| r.starts_with(&format!("Finding: {t} ·")))
            })
            .count()
    };
    assert!(of_first(&h) > 0, "{first}'s rows are listed");
    h.get_by_label(&format!("Collapse {first}")).click();
    h.run();
    assert!(h.query_by_label(&format!("Expand {first}")).is_some());
    assert_eq!(of_first(&h), 0, "the rows of {first} are hidden");

    h.get_by_label("Check").click();
    h.run();
    assert_eq!(
        h.state().session.finding_grouping(),
        demarc::model::findings::Grouping::Check
    );
    let view = h.state().session.findings_view();
    let ev = h.state().session.evidence().expect("evidence");
    let first = &view.groups[0];
    let title = ev.findings.group_label(view.grouping, first.id).to_owned();
    assert!(
        h.query_by_label(&format!("Collapse {title}")).is_some(),
        "group headers by check title: {title}"
    );
}

#[test]
fn number_keys_and_the_chip_record_a_decision_on_a_finding() {
    let mut h = harness(&["s3", "ec2", "rds"]);
    import_acme(&mut h);
    new_engagement(&mut h);
    h.get_by_label("Findings").click();
    h.run();
    // Down selects the first row (a click on its title would open the matrix cell instead).
    key(&mut h, Key::ArrowDown);
    assert!(h.state().ui.finding_selected.is_some());

    key(&mut h, Key::Num2);
    let decisions = |h: &Harness<'_, TestApp>| {
        h.state()
            .session
            .engagement()
            .expect("open")
            .doc
            .findings
            .values()
            .map(|d| d.status)
            .collect::<Vec<_>>()
    };
    assert_eq!(decisions(&h), vec![Status::InProgress]);
    key(&mut h, Key::Num3);
    assert_eq!(decisions(&h), vec![Status::Done]);
    // The chip shows it, and a click moves to the next decision.
    let chip = h
        .query_all_by(|n| {
            n.label()
                .is_some_and(|l| l.starts_with("Decision on ") && l.ends_with(": Done"))
        })
        .count();
    assert_eq!(chip, 1);
    h.get_by(|n| {
        n.label()
            .is_some_and(|l| l.starts_with("Decision on ") && l.ends_with(": Done"))
    })
    .click();
    h.run();
    assert_eq!(decisions(&h), vec![Status::NotApplicable]);
    assert!(h.state().session.engagement().expect("open").dirty());
}

#[test]
fn evidence_imported_before_new_engagement_is_attached_to_it() {
    let mut h = harness(&["s3", "ec2", "rds"]);
    import_acme(&mut h);
    h.get_by_label("Engagement").click();
    h.run();
    h.get_by_label("New engagement…").click();
    h.run();
    h.get_by_label("Client:").focus();
    h.run();
    h.get_by_label("Client:").type_text("Acme Retail");
    h.run();
    h.get_by_label("Create").click();
    h.run();
    let e = h.state().session.engagement().expect("created");
    assert!(
        !e.doc.evidence.is_empty(),
        "the evidence on screen goes into the engagement"
    );
    assert!(
        e.doc.evidence.summaries.iter().any(|s| s.service == "s3"),
        "the S3 failures are kept"
    );
    // The exported checklist lists them by title, without check keys or local paths.
    let job = h
        .state_mut()
        .session
        .apply(
            ExportCommand::Write {
                kind: ExportKind::Checklist,
                format: Format::Markdown,
                path: PathBuf::from("checklist.md"),
            }
            .into(),
        )
        .expect("a write job");
    let Job::WriteFile { bytes, .. } = job else {
        panic!("a file to write");
    };
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(
        text.contains("S3 bucket"),
        "the S3 findings by title:\n{text}"
    );
    assert!(!text.contains(env!("CARGO_MANIFEST_DIR")), "no local path");
    assert!(!text.contains("s3_public_access_block_off"), "no check key");
}

#[test]
fn the_checklist_groups_filters_and_takes_number_keys() {
    let mut h = harness(&["s3", "ec2"]);
    import_acme(&mut h);
    new_engagement(&mut h);
    assert_eq!(h.state().session.view(), View::Checklist);
    // Grouped by domain by default; by service, each service is one collapsible group.
    h.get_by_label("Service").click();
    h.run();
    let titles: Vec<String> = h
        .state()
        .session
        .agenda()
        .iter()
        .map(|g| g.title.clone())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
    assert!(
        h.query_by_label(&format!("Collapse {}", titles[0]))
            .is_some()
    );
    // Failing items come first in their group.
    let agenda = h.state().session.agenda();
    for group in agenda {
        let failing: Vec<bool> = group
            .rows
            .iter()
            .map(|r| r.evidence == Some(demarc::model::evidence::CellStatus::Fail))
            .collect();
        assert!(
            failing.windows(2).all(|w| w[0] || !w[1]),
            "failing first in {}: {failing:?}",
            group.title
        );
    }
    h.get_by_label(&format!("Collapse {}", titles[0])).click();
    h.run();
    assert!(h.query_by_label(&format!("Expand {}", titles[0])).is_some());
    assert!(
        h.query_by_label(&format!("Collapse {}", titles[1]))
            .is_some(),
        "the next group's header moves up"
    );
    let keys = demarc::ui::checklist_view::item_keys(&h.state().session);
    let first_service = h.state().session.agenda()[0].key.clone();
    assert!(
        keys.iter().all(|k| k.service.key() != first_service),
        "its rows are hidden"
    );

    // Number keys set the selected item's status; the row stays where it is.
    let first = keys[0].clone();
    key(&mut h, Key::Num3);
    let e = h.state().session.engagement().expect("open");
    assert_eq!(e.item(&first).status, Status::Done);
    assert_eq!(
        demarc::ui::checklist_view::item_keys(&h.state().session)[0],
        first,
        "rows never jump when edited"
    );

    // Only Done: the filter shows it, the rest go.
    for status in ["Open", "In progress"] {
        h.get_by_label(&format!("Show {status}")).click();
        h.run();
    }
    let shown = demarc::ui::checklist_view::item_keys(&h.state().session);
    let e = h.state().session.engagement().expect("open");
    assert!(!shown.is_empty());
    assert!(
        shown.iter().all(|k| e.item(k).status == Status::Done),
        "{shown:?}"
    );
}

#[test]
fn enter_confirms_and_escape_cancels_the_new_engagement_dialog() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Engagement").click();
    h.run();
    h.get_by_label("New engagement…").click();
    h.run();
    key(&mut h, Key::Escape);
    assert!(h.state().ui.new_engagement.is_none(), "Esc closes it");
    assert!(
        h.state().session.engagement().is_none(),
        "and creates nothing"
    );

    h.get_by_label("Engagement").click();
    h.run();
    h.get_by_label("New engagement…").click();
    h.run();
    h.get_by_label("Client:").focus();
    h.run();
    h.get_by_label("Client:").type_text("Acme Retail");
    h.run();
    key(&mut h, Key::Enter);
    assert!(h.state().ui.new_engagement.is_none());
    let e = h.state().session.engagement().expect("Enter creates it");
    assert_eq!(e.doc.client, "Acme Retail");
}

#[test]
fn enter_confirms_and_escape_cancels_the_file_prompts() {
    let mut h = harness(&["ec2"]);
    new_engagement(&mut h);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme");
    for confirm in [false, true] {
        h.state_mut().ui.dialog_unavailable = true;
        let app = h.state_mut();
        demarc::ui::engagement::save_as(&app.session, &mut app.ui);
        h.run();
        assert!(h.state().ui.file_prompt.is_some());
        h.state_mut().ui.file_prompt.as_mut().expect("prompt").path = path.display().to_string();
        h.run();
        h.get_by_label("File:").focus();
        h.run();
        h.state_mut().jobs.clear();
        key(&mut h, if confirm { Key::Enter } else { Key::Escape });
        assert!(h.state().ui.file_prompt.is_none(), "the prompt closes");
        let saves = h
            .state()
            .jobs
            .iter()
            .filter(|j| matches!(j, Job::SaveEngagement { path: p, .. } if p == &dir.path().join("acme.demarc.json")))
            .count();
        assert_eq!(saves, usize::from(confirm), "confirm={confirm}");
    }
}

#[test]
fn escape_in_the_item_editor_puts_back_the_due_date_and_the_note() {
    let mut h = harness(&["ec2"]);
    new_engagement(&mut h);
    let first = demarc::ui::checklist_view::item_keys(&h.state().session)[0].clone();
    let item =
        |h: &Harness<'_, TestApp>| h.state().session.engagement().expect("open").item(&first);
    h.get_by_label("Due:").focus();
    h.run();
    h.get_by_label("Due:").type_text("2027-01-15");
    h.run();
    key(&mut h, Key::Escape);
    assert_eq!(item(&h).due, None, "Esc forgets the typed date");
    h.get_by_label("Due:").focus();
    h.run();
    h.get_by_label("Due:").type_text("2027-01-15");
    h.run();
    key(&mut h, Key::Enter);
    assert_eq!(
        item(&h).due.as_deref(),
        Some("2027-01-15"),
        "Enter keeps it"
    );

    h.get_by_label("Note:").focus();
    h.run();
    h.get_by_label("Note:")
        .type_text("agreed with the platform team");
    h.run();
    assert_eq!(item(&h).note, "agreed with the platform team");
    key(&mut h, Key::Escape);
    assert_eq!(item(&h).note, "", "Esc puts back the note it had");
}

#[test]
fn presenting_the_checklist_and_findings_shows_no_internal_notes() {
    let mut h = harness(&["s3", "ec2"]);
    import_acme(&mut h);
    new_engagement(&mut h);
    let first = demarc::ui::checklist_view::item_keys(&h.state().session)[0].clone();
    h.state_mut().session.apply(
        EngagementCommand::EditItem {
            key: first,
            edit: demarc::state::ItemEdit::Note("internal: ask Bob about the budget".into()),
        }
        .into(),
    );
    h.run();
    let note_shown = |h: &Harness<'_, TestApp>| {
        h.query_all_by(|n| {
            n.label().is_some_and(|l| l.contains("ask Bob"))
                || n.value().is_some_and(|v| v.contains("ask Bob"))
        })
        .count()
            > 0
    };
    assert!(note_shown(&h), "the note is on the consultant's screen");
    assert!(h.query_by_label("Note:").is_some());
    h.state_mut()
        .session
        .apply(LayoutCommand::SetPresenting(true).into());
    h.run();
    assert!(!note_shown(&h), "presenting: the note is not shown");
    assert!(h.query_by_label("Note:").is_none(), "nor its editor");
    h.get_by_label("Findings").click();
    h.run();
    assert_eq!(h.state().session.view(), View::Findings);
    key(&mut h, Key::ArrowDown);
    assert!(h.state().ui.finding_selected.is_some());
    assert!(h.query_by_label("Note:").is_none(), "no note editor either");
}
