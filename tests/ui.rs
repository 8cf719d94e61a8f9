//! `egui_kittest` tests: drive the real views by accessible label and assert on state.

use demarc::model::catalog::Catalog;
use demarc::model::owner::Owner;
use demarc::state::{Command, Session, Settings, View};
use demarc::ui::{self, Action, UiState};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
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
                for action in ui::app_ui(ui, &app.session, &mut app.ui) {
                    if let Action::Command(command) = action {
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
        .scope
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
        .selected
        .clone()
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
    assert!(h.state().session.selected.is_none());
}

#[test]
fn owner_filter_removes_rows_nobody_but_aws_owns() {
    let mut h = harness(&["ec2", "s3"]);
    assert!(h.query_by_label("ec2 INF-01: AWS").is_some());
    let before = h.state().session.matrix().row_count();
    h.get_by_label("Show Customer").click();
    h.run();
    assert!(h.state().session.filters.owners.contains(&Owner::Customer));
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
    assert_eq!(h.state().session.filters.query, "hypervisor");
    assert!(h.query_by_label("ec2 INF-04: AWS").is_some());
    assert!(h.query_by_label("ec2 IAM-01: Customer").is_none());
}

#[test]
fn compare_marks_rows_whose_owner_differs() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Compare").click();
    h.run();
    assert_eq!(h.state().session.view, View::Compare);
    // Default comparison: EC2 -> ECS on Fargate -> Lambda. OS patching moves to AWS.
    assert!(h.query_by_label("CVM-01 differs").is_some());
    assert!(h.query_by_label("INF-01 same").is_some());
    assert!(h.query_by_label("ec2 CVM-01: Customer").is_some());
}

#[test]
fn collapsing_a_domain_hides_its_rows() {
    let mut h = harness(&["ec2"]);
    assert!(h.query_by_label("ec2 NET-02: Customer").is_some());
    h.get_by_label("Collapse Network security").click();
    h.run();
    assert!(h.query_by_label("ec2 NET-02: Customer").is_none());
    assert!(h.query_by_label("Expand Network security").is_some());
}

#[test]
fn presets_replace_the_columns() {
    let mut h = harness(&["s3"]);
    h.state_mut().session.apply(Command::ApplyPreset(1));
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
    let job = h.state_mut().session.apply(Command::Export {
        kind: demarc::state::ExportKind::Checklist,
        format: demarc::export::Format::Markdown,
        path: "/tmp/x.md".into(),
    });
    assert!(job.is_some());
    h.get_by_label("Save").click();
    h.run();
    assert!(
        h.state().ui.export.is_none(),
        "the dialog closes after Save"
    );
}
