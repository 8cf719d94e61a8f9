//! `egui_kittest` tests: drive the real views by accessible label and assert on state.

use demarc::model::catalog::Catalog;
use demarc::model::owner::Owner;
use demarc::state::{
    EngagementCommand, ExportCommand, ImportCommand, ScopeCommand, Session, Settings, View,
};
use demarc::ui::{self, Request, UiState};
use egui::accesskit::Toggled;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use std::sync::Arc;

struct TestApp {
    session: Session,
    ui: UiState,
}

fn harness(scope: &[&str]) -> Harness<'static, TestApp> {
    let settings = Settings {
        scope: scope.iter().map(|s| (*s).to_owned()).collect(),
        ..Settings::default()
    };
    let session = Session::new(Arc::new(Catalog::bundled()), &settings, "2026-11-28");
    let app = TestApp {
        session,
        ui: UiState::default(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(
            |ui, app: &mut TestApp| {
                for request in ui::app_ui(ui, &app.session, &mut app.ui) {
                    if let Request::Command(command) = request {
                        app.session.apply(command);
                    }
                }
            },
            app,
        );
    harness.run();
    harness
}

fn keys(h: &Harness<'_, TestApp>) -> Vec<String> {
    h.state()
        .session
        .scope()
        .iter()
        .map(demarc::model::catalog::ServiceRef::key)
        .collect()
}

#[test]
fn choosing_services_in_the_picker_adds_and_removes_columns() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Amazon DynamoDB").scroll_to_me();
    h.run();
    h.get_by_label("Amazon DynamoDB").click();
    h.run();
    assert_eq!(keys(&h), ["ec2", "dynamodb"]);
    h.get_by_label("Amazon ECS · ECS on EC2 container instances")
        .scroll_to_me();
    h.run();
    h.get_by_label("Amazon ECS · ECS on EC2 container instances")
        .click();
    h.run();
    assert_eq!(keys(&h), ["ec2", "dynamodb", "ecs/ec2"]);
    // The new column's cells are on screen with their owners.
    assert!(h.query_by_label("ecs/ec2 INF-06: Shared").is_some());
    h.get_by_label("Remove dynamodb").click();
    h.run();
    assert_eq!(keys(&h), ["ec2", "ecs/ec2"]);
}

#[test]
fn clicking_a_cell_opens_its_detail() {
    let mut h = harness(&["ec2", "s3", "rds"]);
    assert!(h.query_by_label("What the customer does").is_none());
    h.get_by_label("rds/standard IAM-06: Customer").click();
    h.run();
    let selected = h
        .state()
        .session
        .selected()
        .cloned()
        .expect("a cell is selected");
    assert_eq!(
        (selected.0.key().as_str(), selected.1.as_str()),
        ("rds/standard", "IAM-06")
    );
    assert!(h.query_by_label("What the customer does").is_some());
    assert!(
        h.query_by_label("Framework ids (for this control)")
            .is_some()
    );
    h.get_by_label("Close").click();
    h.run();
    assert!(h.state().session.selected().is_none());
}

#[test]
fn owner_filter_removes_rows_nobody_but_aws_owns() {
    let mut h = harness(&["ec2", "s3"]);
    assert!(h.query_by_label("ec2 INF-01: AWS").is_some());
    let before = h.state().session.matrix().row_count();
    // Every chip is on (every owner shown); clicking AWS hides the rows only AWS owns.
    let on = |h: &Harness<'_, TestApp>| {
        h.get_by_label("Show AWS").accesskit_node().toggled() == Some(Toggled::True)
    };
    assert!(on(&h));
    h.get_by_label("Show AWS").click();
    h.run();
    assert!(!h.state().session.filters().shows_owner(Owner::Aws));
    assert!(h.state().session.filters().shows_owner(Owner::Customer));
    assert!(!on(&h));
    let after = h.state().session.matrix().row_count();
    assert!(after < before, "{after} < {before}");
    assert!(
        h.query_by_label("ec2 INF-01: AWS").is_none(),
        "the AWS-only row is gone"
    );
    assert!(h.query_by_label("ec2 IAM-01: Customer").is_some());
}

#[test]
fn search_narrows_rows() {
    let mut h = harness(&["ec2", "s3"]);
    h.get_by_label("Search").focus();
    h.run();
    h.get_by_label("Search").type_text("hypervisor");
    h.run();
    assert_eq!(h.state().session.filters().query, "hypervisor");
    assert!(h.query_by_label("ec2 INF-04: AWS").is_some());
    assert!(h.query_by_label("ec2 IAM-01: Customer").is_none());
}

#[test]
fn compare_marks_rows_whose_owner_differs() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Compare").click();
    h.run();
    assert_eq!(h.state().session.view(), View::Compare);
    // Default comparison: EC2 -> ECS on Fargate -> Lambda. OS patching moves to AWS.
    assert!(h.query_by_label("CVM-01 differs").is_some());
    assert!(h.query_by_label("INF-01 same").is_some());
    assert!(h.query_by_label("ec2 CVM-01: Customer").is_some());
}

#[test]
fn collapsing_a_domain_hides_its_rows() {
    let mut h = harness(&["ec2"]);
    assert!(h.query_by_label("ec2 GOV-01: AWS").is_some());
    h.get_by_label("Collapse Governance and compliance").click();
    h.run();
    assert!(h.query_by_label("ec2 GOV-01: AWS").is_none());
    assert!(
        h.query_by_label("Expand Governance and compliance")
            .is_some()
    );
}

#[test]
fn presets_replace_the_columns() {
    let mut h = harness(&["s3"]);
    h.state_mut()
        .session
        .apply(ScopeCommand::ApplyPreset(1).into());
    h.run();
    assert_eq!(
        keys(&h)[..2],
        ["ecs/ec2".to_owned(), "ecs/fargate".to_owned()]
    );
    assert!(h.query_by_label("ecs/fargate INF-06: AWS").is_some());
    assert!(h.query_by_label("ecs/ec2 INF-06: Shared").is_some());
}

#[test]
fn export_dialog_writes_through_a_command() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Export…").click();
    h.run();
    assert!(h.state().ui.export.is_some());
    h.get_by_label("Save to:").focus();
    h.state_mut().ui.export.as_mut().expect("open").path = "/tmp/x.md".into();
    h.run();
    // Saving turns into an Export command; the session answers with a write job (run by the shell).
    let job = h.state_mut().session.apply(
        ExportCommand::Write {
            kind: demarc::state::ExportKind::Checklist,
            format: demarc::export::Format::Markdown,
            path: "/tmp/x.md".into(),
        }
        .into(),
    );
    assert!(job.is_some());
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.state().ui.export.is_none(),
        "the dialog closes after Save"
    );
}

fn with_engagement(scope: &[&str]) -> Harness<'static, TestApp> {
    let mut h = harness(scope);
    h.state_mut().session.apply(
        EngagementCommand::New {
            client: "Acme Retail".into(),
            title: "Kick-off".into(),
        }
        .into(),
    );
    h.run();
    h
}

/// Saves the open engagement to `path` through the real job code; returns the follow-up job.
fn save_to(h: &mut Harness<'_, TestApp>, path: &std::path::Path) -> Option<demarc::state::Job> {
    let job = h
        .state_mut()
        .session
        .apply(
            EngagementCommand::Save {
                path: Some(path.to_owned()),
                overwrite: false,
            }
            .into(),
        )
        .expect("a save job");
    let done = demarc::app::execute(job, &|_| {}).expect("the save reports back");
    h.state_mut().session.apply(done)
}

fn item(h: &Harness<'_, TestApp>, key: &str) -> demarc::model::engagement::Item {
    let (service, control) = key.rsplit_once('/').expect("SERVICE/CONTROL");
    let key = demarc::model::engagement::ItemKey::new(
        demarc::model::engagement::service_ref_from_key(service),
        control,
    );
    h.state().session.engagement().expect("open").item(&key)
}

#[test]
fn new_engagement_from_the_menu_opens_the_checklist() {
    let mut h = harness(&["ec2", "s3"]);
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
    let session = &h.state().session;
    assert_eq!(session.view(), View::Checklist);
    let e = session.engagement().expect("engagement created");
    assert_eq!(e.doc.client, "Acme Retail");
    assert!(e.dirty());
    assert!(h.query_by_label("Status of ec2/IAM-01: Open").is_some());
}

#[test]
fn checklist_edits_status_and_note_and_they_are_saved() {
    let mut h = with_engagement(&["ec2", "s3"]);
    h.get_by_label("Status of ec2/IAM-01: Open").click();
    h.run();
    assert_eq!(
        item(&h, "ec2/IAM-01").status,
        demarc::model::engagement::Status::InProgress
    );
    // Keyboard: the first item is selected; Space cycles it, typing writes its note.
    h.key_press(egui::Key::Space);
    h.run();
    assert_eq!(
        item(&h, "ec2/IAM-01").status,
        demarc::model::engagement::Status::Done
    );
    h.get_by_label("Note:").focus();
    h.run();
    h.get_by_label("Note:")
        .type_text("Root MFA on a hardware key");
    h.run();
    assert_eq!(item(&h, "ec2/IAM-01").note, "Root MFA on a hardware key");

    // Save through the real job code, then read the file back.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.demarc.json");
    assert!(
        save_to(&mut h, &path).is_some(),
        "a saved engagement discards its autosave copy"
    );
    h.run();
    assert!(!h.state().session.engagement().expect("open").dirty());
    let opened = demarc::storage::engagement::open(&path).expect("saved file opens");
    let key = demarc::model::engagement::ItemKey::new(
        demarc::model::catalog::ServiceRef::new("ec2", None),
        "IAM-01",
    );
    let saved = opened.engagement.item(&key).expect("item saved");
    assert_eq!(saved.status, demarc::model::engagement::Status::Done);
    assert_eq!(saved.note, "Root MFA on a hardware key");
}

#[test]
fn matrix_detail_panel_edits_the_engagement_item() {
    let mut h = with_engagement(&["ec2", "s3"]);
    h.get_by_label("Matrix").click();
    h.run();
    h.get_by_label("s3 IAM-01: Customer").click();
    h.run();
    h.get_by_label("Risk accepted").click();
    h.run();
    assert_eq!(
        item(&h, "s3/IAM-01").status,
        demarc::model::engagement::Status::RiskAccepted
    );
    assert!(h.state().session.engagement().expect("open").dirty());
}

#[test]
fn autosave_writes_a_copy_that_a_crash_would_leave_behind() {
    let mut h = with_engagement(&["ec2"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.demarc.json");
    save_to(&mut h, &path);
    h.get_by_label("Status of ec2/IAM-01: Open").click();
    h.run();
    let job = h
        .state_mut()
        .session
        .apply(EngagementCommand::Autosave.into())
        .expect("autosave job after a change");
    let done = demarc::app::execute(job, &|_| {}).expect("autosave reports back");
    h.state_mut().session.apply(done);
    let autosave = demarc::storage::engagement::autosave_path(Some(&path)).expect("autosave path");
    let recovery = demarc::storage::engagement::find_recovery(Some(&path), &autosave)
        .expect("readable")
        .expect("offered");
    let key = demarc::model::engagement::ItemKey::new(
        demarc::model::catalog::ServiceRef::new("ec2", None),
        "IAM-01",
    );
    assert_eq!(
        recovery.engagement.status(&key),
        demarc::model::engagement::Status::InProgress
    );
}

#[test]
fn importing_a_snapshot_scopes_the_matrix_and_marks_failing_cells() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples/acme-retail/cli");
    assert!(
        acme.is_dir(),
        "the acme-retail sample is in tests/fixtures: {}",
        acme.display()
    );
    let mut h = harness(&["lambda"]);
    let job = h
        .state_mut()
        .session
        .apply(ImportCommand::Start(vec![acme]).into())
        .expect("an import job");
    assert!(
        h.state().session.import_run().is_some(),
        "progress is shown while it runs"
    );
    // The progress window keeps repainting while the import runs: step, don't settle.
    h.run_steps(2);
    assert!(h.query_by_label("Cancel import").is_some());
    let progress = std::cell::RefCell::new(Vec::new());
    let done = demarc::app::execute(job, &|c| progress.borrow_mut().push(c))
        .expect("the import reports back");
    assert!(!progress.borrow().is_empty(), "the worker reports progress");
    h.state_mut().session.apply(done);
    h.run();
    assert!(h.state().session.import_run().is_none());
    let view = h.state().session.evidence().expect("evidence loaded");
    assert!(view.in_use.contains_key("s3") && view.in_use.contains_key("rds"));
    h.get_by_label("Scope to this account").click();
    h.run();
    let keys = keys(&h);
    assert!(
        keys.contains(&"s3".to_owned()) && keys.contains(&"ec2".to_owned()),
        "{keys:?}"
    );
    assert!(
        !keys.contains(&"lambda/zip-auto-runtime".to_owned())
            || h.state()
                .session
                .evidence()
                .expect("ev")
                .in_use
                .contains_key("lambda")
    );
    // EC2 instances with public IPs fail in the sample: the cell says so to a screen reader too.
    // Many services now: widen the window so the EC2 column is on screen.
    h.set_size(egui::vec2(3000.0, 1400.0));
    h.run();
    h.get_by_label("ec2 NET-03: Customer, evidence: fail")
        .click();
    h.run();
    assert!(
        h.get_all_by_label("FAIL").count() >= 2,
        "the detail panel lists the failing resources"
    );
}

#[test]
fn cancelling_an_import_keeps_the_current_work() {
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/samples/acme-retail/cli");
    let mut h = harness(&["ec2"]);
    let job = h
        .state_mut()
        .session
        .apply(ImportCommand::Start(vec![acme]).into())
        .expect("job");
    h.run_steps(2);
    h.get_by_label("Cancel import").click();
    h.run_steps(2);
    let done = demarc::app::execute(job, &|_| {}).expect("reports back");
    h.state_mut().session.apply(done);
    h.run();
    assert!(
        h.state().session.evidence().is_none(),
        "a cancelled import adds nothing"
    );
    assert_eq!(keys(&h), ["ec2"]);
}

#[test]
fn escape_closes_the_detail_panel() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("ec2 IAM-01: Customer").click();
    h.run();
    assert!(h.state().session.selected().is_some());
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().session.selected().is_none());
}

#[test]
fn opening_an_engagement_is_not_a_change_but_editing_its_scope_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("acme.demarc.json");
    let mut h = with_engagement(&["ec2", "s3"]);
    save_to(&mut h, &path);
    h.state_mut().session.apply(EngagementCommand::Close.into());
    h.state_mut()
        .session
        .apply(ScopeCommand::Set(vec![]).into());
    let job = h
        .state_mut()
        .session
        .apply(EngagementCommand::Open(path).into())
        .expect("open job");
    let opened = demarc::app::execute(job, &|_| {}).expect("opened");
    h.state_mut().session.apply(opened);
    h.run();
    assert_eq!(
        keys(&h),
        ["ec2", "s3"],
        "the matrix shows the engagement's scope"
    );
    assert!(
        !h.state().session.engagement().expect("open").dirty(),
        "just opened: nothing to save"
    );
    h.get_by_label("Matrix").click();
    h.run();
    h.get_by_label("Remove s3").click();
    h.run();
    let e = h.state().session.engagement().expect("open");
    assert!(e.dirty());
    assert_eq!(
        e.doc
            .scope
            .iter()
            .map(demarc::model::catalog::ServiceRef::key)
            .collect::<Vec<_>>(),
        ["ec2"]
    );
}

#[test]
fn shortcuts_come_from_the_action_table() {
    use demarc::ui::actions::Action;
    let mut h = harness(&["ec2"]);
    let export = Action::Export
        .info()
        .shortcut
        .expect("export has a shortcut");
    h.key_press_modifiers(export.modifiers, export.logical_key);
    h.run();
    assert!(
        h.state().ui.export.is_some(),
        "the export shortcut opens the dialog"
    );
    // The toolbar's tooltip reads the same table.
    assert_eq!(
        Action::Export.tooltip(&h.ctx),
        format!(
            "{} ({})",
            Action::Export.info().tooltip,
            h.ctx.format_shortcut(&export)
        )
    );
}

#[test]
fn checklist_arrow_keys_move_and_space_cycles_the_selected_item() {
    let mut h = with_engagement(&["ec2"]);
    let keys = demarc::ui::checklist_view::item_keys(&h.state().session);
    assert!(keys.len() > 2);
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.key_press(egui::Key::ArrowUp);
    h.run();
    assert_eq!(h.state().ui.checklist_selected, 1);
    h.key_press(egui::Key::Space);
    h.run();
    let second = keys[1].to_string();
    assert_eq!(
        item(&h, &second).status,
        demarc::model::engagement::Status::InProgress
    );
    assert_eq!(
        item(&h, &keys[0].to_string()).status,
        demarc::model::engagement::Status::Open
    );
}

#[test]
fn clear_filters_in_an_empty_matrix_also_clears_the_search_text() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Search").focus();
    h.run();
    h.get_by_label("Search").type_text("no control says this");
    h.run();
    assert_eq!(h.state().session.matrix().row_count(), 0);
    assert!(
        h.query_by_label("No control matches the filters.")
            .is_some()
    );
    // Two "Clear filters" buttons: the toolbar's and the empty matrix's; both do the same.
    h.get_all_by_label("Clear filters")
        .last()
        .expect("the empty matrix offers it")
        .click();
    h.run();
    assert!(h.state().ui.search_text.is_empty());
    assert_eq!(h.state().session.filters().query, "");
    assert!(h.state().session.matrix().row_count() > 0);
}

/// The autosave when the window closes fails (its folder cannot be created): the failure is
/// kept in the settings and shown at the next start.
#[test]
fn a_failed_autosave_on_exit_is_reported_at_the_next_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"a file where a folder should be").expect("write");
    let mut h = with_engagement(&["ec2"]);
    save_to(&mut h, &dir.path().join("acme.demarc.json"));
    // Pretend the engagement lives inside a path whose parent is a file: no autosave there.
    let session = &mut h.state_mut().session;
    let stamp = session.engagement().expect("open").stamp.expect("saved");
    let revision = session.engagement().expect("open").revision;
    session.apply(
        EngagementCommand::Saved {
            path: blocker.join("acme.demarc.json"),
            revision,
            result: Ok(stamp),
        }
        .into(),
    );
    let key = demarc::model::engagement::ItemKey::new(
        demarc::model::catalog::ServiceRef::new("ec2", None),
        "IAM-01",
    );
    session.apply(
        EngagementCommand::EditItem {
            key,
            edit: demarc::state::ItemEdit::Note("decided in the meeting".into()),
        }
        .into(),
    );
    let problem = demarc::app::autosave_before_exit(session).expect("the autosave fails");
    assert!(problem.contains("not-a-folder"), "{problem}");
    // What the shell saves, and what the next start shows.
    let settings = Settings {
        unreported: Some(problem.clone()),
        ..session.settings()
    };
    let next = Session::new(Arc::new(Catalog::bundled()), &settings, "2026-11-29");
    let shown = next
        .notifications()
        .iter()
        .find(|n| n.level == demarc::state::Level::Error)
        .expect("an error notification at start");
    assert!(shown.text.contains(&problem), "{}", shown.text);
}
