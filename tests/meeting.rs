//! `egui_kittest` tests of the meeting room: presenter mode at a projector's size, the drawer at
//! 1366 x 768, the matrix from the keyboard, the command palette, the finders, Compare's story,
//! notifications that go by themselves. Widgets are found by accessible label, as a screen
//! reader finds them; sizes are read from the accessibility tree.

use demarc::model::catalog::{Catalog, ServiceRef};
use demarc::state::{JobKind, LayoutCommand, NoticeCommand, Session, Settings, View, ViewCommand};
use demarc::ui::{self, Request, UiState};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use std::sync::Arc;

struct TestApp {
    session: Session,
    ui: UiState,
}

/// The app at `width` x `height` screen pixels and `zoom` (points are pixels / zoom).
fn harness_at(scope: &[&str], width: f32, height: f32, zoom: f32) -> Harness<'static, TestApp> {
    let settings = Settings {
        scope: scope.iter().map(|s| (*s).to_owned()).collect(),
        ..Settings::default()
    };
    let session = Session::new(Arc::new(Catalog::bundled()), &settings, "2026-12-04");
    let app = TestApp {
        session,
        ui: UiState::default(),
    };
    let mut harness = Harness::builder()
        .with_size(egui::vec2(width / zoom, height / zoom))
        .with_pixels_per_point(zoom)
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

fn harness(scope: &[&str]) -> Harness<'static, TestApp> {
    harness_at(scope, 1600.0, 1000.0, 1.0)
}

fn key(h: &mut Harness<'_, TestApp>, key: Key) {
    h.key_press(key);
    h.run();
}

fn focus(h: &Harness<'_, TestApp>) -> Option<(String, String)> {
    h.state()
        .ui
        .matrix
        .focus
        .as_ref()
        .map(|(r, c)| (r.key(), c.clone()))
}

/// The focus `focus` reports: on this column and control.
fn on(service: &str, control: &str) -> (String, String) {
    (service.to_owned(), control.to_owned())
}

/// The column headers on screen, as (label, rectangle in points).
fn column_headers(h: &Harness<'_, TestApp>) -> Vec<(String, egui::Rect)> {
    h.query_all_by_role(Role::ColumnHeader)
        .filter_map(|node| {
            let label = node.accesskit_node().label()?;
            label.starts_with("Column ").then(|| (label, node.rect()))
        })
        .collect()
}

/// The headers drawn at full width and inside `right` (the screen's or a drawer's edge).
fn whole_columns(h: &Harness<'_, TestApp>, right: f32) -> Vec<String> {
    let headers = column_headers(h);
    let full = headers
        .iter()
        .map(|(_, r)| r.width())
        .fold(0.0_f32, f32::max);
    headers
        .into_iter()
        .filter(|(_, r)| r.width() >= full - 0.5 && r.max.x <= right + 0.5)
        .map(|(label, _)| label)
        .collect()
}

use egui_kittest::kittest::NodeT;

#[test]
fn presenter_mode_shows_four_whole_columns_at_1280_by_720_and_zoom_1_3() {
    let scope = ["ec2", "s3", "rds", "lambda", "dynamodb", "ecs/fargate"];
    let mut h = harness_at(&scope, 1280.0, 720.0, 1.3);
    let screen = h.ctx.content_rect();
    // Everyday layout at this size: the sidebar takes its share.
    let everyday = whole_columns(&h, screen.max.x).len();
    assert!(h.query_by_label("Find:").is_some(), "the sidebar shows");
    key(&mut h, Key::F5);
    assert!(h.state().session.presenting());
    let whole = whole_columns(&h, screen.max.x);
    assert!(whole.len() >= 4, "{whole:?} (everyday: {everyday})");
    assert!(whole.len() > everyday, "presenting shows more: {whole:?}");
    assert_eq!(
        whole[..4],
        [
            "Column EC2",
            "Column S3",
            "Column RDS",
            "Column Lambda zip, auto updates"
        ]
    );
    // Body text of 18 px or more, the sidebar and the status bar gone.
    let body = h.ctx.global_style().text_styles[&egui::TextStyle::Body].size;
    assert!(body >= 18.0, "{body}");
    assert!(h.query_by_label("Find:").is_none());
    // The status bar names the catalog's version; presenting, it is gone.
    let status = format!("Catalog {}", h.state().session.catalog().info.version);
    assert!(h.query_by_label_contains(&status).is_none());
    // F5 again: back to everyday.
    key(&mut h, Key::F5);
    assert!(!h.state().session.presenting());
    assert!(h.query_by_label("Find:").is_some());
    assert!(h.query_by_label_contains(&status).is_some());
}

#[test]
fn presenter_mode_keeps_notifications_and_internal_details_off_the_screen() {
    let mut h = harness(&["ec2", "s3"]);
    h.state_mut().session.apply(
        NoticeCommand::JobNotStarted {
            kind: JobKind::WriteFile,
            error: std::io::Error::other("disk on fire"),
        }
        .into(),
    );
    h.run();
    assert!(h.query_by_label_contains("disk on fire").is_some());
    h.state_mut()
        .session
        .apply(LayoutCommand::SetPresenting(true).into());
    h.run();
    assert!(h.query_by_label_contains("disk on fire").is_none());
    // The errors wait for the end of the meeting.
    h.state_mut()
        .session
        .apply(LayoutCommand::SetPresenting(false).into());
    h.run();
    assert!(h.query_by_label_contains("disk on fire").is_some());
    // Customer and shared only, from the presenter toolbar.
    h.state_mut()
        .session
        .apply(LayoutCommand::SetPresenting(true).into());
    h.run();
    assert!(h.query_by_label("ec2 INF-01: AWS").is_some());
    h.get_by_label("Customer and shared only").click();
    h.run();
    assert!(h.state().session.filters().customer_and_shared_only());
    assert!(h.query_by_label("ec2 INF-01: AWS").is_none());
}

#[test]
fn the_detail_drawer_leaves_ec2_s3_and_rds_whole_at_1366_by_768() {
    let mut h = harness_at(&["ec2", "s3", "rds"], 1366.0, 768.0, 1.0);
    h.get_by_label("rds/standard IAM-02: Customer").click();
    h.run();
    let drawer = h.get_by_label("Detail panel").rect();
    let whole = whole_columns(&h, drawer.min.x);
    assert_eq!(
        whole,
        ["Column EC2", "Column S3", "Column RDS"],
        "{:?} {drawer:?}",
        column_headers(&h)
    );
    assert!(
        h.query_by_label("Find:").is_some(),
        "the sidebar stays at 1366"
    );
    let cell = h.get_by_label("rds/standard IAM-02: Customer").rect();
    assert!(cell.max.x <= drawer.min.x, "{cell:?} left of {drawer:?}");
    // The width does not follow the selection; a new cell opens at the top.
    h.get_by_label("ec2 IAM-01: Customer").click();
    h.run();
    let again = h.get_by_label("Detail panel").rect();
    assert!((again.width() - drawer.width()).abs() < 0.5);
    let what = h.get_by_label("What AWS does").rect();
    assert!(what.min.y < again.min.y + 320.0, "{what:?} in {again:?}");
}

#[test]
fn arrow_keys_move_the_focus_ring_and_enter_and_escape_open_and_close() {
    let mut h = harness(&["ec2", "s3", "rds"]);
    assert_eq!(focus(&h), None);
    key(&mut h, Key::ArrowDown);
    assert_eq!(
        focus(&h),
        Some(on("ec2", "INF-01")),
        "the first row showing"
    );
    key(&mut h, Key::ArrowRight);
    key(&mut h, Key::ArrowDown);
    key(&mut h, Key::ArrowDown);
    assert_eq!(focus(&h), Some(on("s3", "INF-03")));
    // Past the edges it stays.
    for _ in 0..4 {
        key(&mut h, Key::ArrowRight);
    }
    assert_eq!(focus(&h), Some(on("rds/standard", "INF-03")));
    key(&mut h, Key::Enter);
    let selected = h.state().session.selected().cloned();
    assert_eq!(
        selected.map(|(r, c)| (r.key(), c)),
        Some(on("rds/standard", "INF-03"))
    );
    assert!(h.query_by_label("Detail panel").is_some());
    key(&mut h, Key::Escape);
    assert!(h.state().session.selected().is_none());
    // Page Down: the next domain to the top, the focus onto its first row.
    key(&mut h, Key::PageDown);
    assert_eq!(focus(&h), Some(on("rds/standard", "GOV-01")));
    key(&mut h, Key::PageDown);
    let top = h.state().ui.matrix.viewport.expect("shown").min.y;
    assert!(top > 0.0, "scrolled down to the third domain: {top}");
    assert_eq!(focus(&h).map(|f| f.1), Some("IAM-01".to_owned()));
    key(&mut h, Key::PageUp);
    assert_eq!(focus(&h).map(|f| f.1), Some("GOV-01".to_owned()));
    // A click moves the focus too.
    h.get_by_label("ec2 IAM-02: Customer").click();
    h.run();
    assert_eq!(focus(&h), Some(on("ec2", "IAM-02")));
}

#[test]
fn the_focus_ring_scrolls_into_view_from_the_keyboard() {
    let mut h = harness_at(&["ec2", "s3", "rds"], 1280.0, 720.0, 1.3);
    for _ in 0..30 {
        h.key_press(Key::ArrowDown);
    }
    h.run();
    let (_, control) = focus(&h).expect("focused");
    let label = format!("ec2 {control}: ");
    let cell = h.get_by_label_contains(&label).rect();
    let screen = h.ctx.content_rect();
    assert!(
        cell.max.y <= screen.max.y && cell.min.y >= screen.min.y,
        "{control} at {cell:?}"
    );
}

#[test]
fn the_command_palette_runs_actions_and_finds_services_and_controls() {
    let mut h = harness(&["ec2"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    assert!(h.state().ui.palette.is_some());
    h.get_by_label("Command palette").type_text("fargate");
    h.run();
    for name in [
        "AWS Batch · AWS Batch on Fargate",
        "Amazon ECS · ECS on AWS Fargate",
        "Amazon EKS · EKS on AWS Fargate",
    ] {
        // In the palette (the sidebar has a checkbox of the same name).
        let in_palette = h
            .query_all_by_label(name)
            .any(|n| n.accesskit_node().role() != Role::CheckBox);
        assert!(in_palette, "{name}");
    }
    // Down, then Enter: the second match becomes a column, with the focus on it.
    key(&mut h, Key::ArrowDown);
    key(&mut h, Key::Enter);
    assert!(h.state().ui.palette.is_none());
    let scope: Vec<String> = h
        .state()
        .session
        .scope()
        .iter()
        .map(ServiceRef::key)
        .collect();
    assert_eq!(scope, ["ec2", "ecs/fargate"]);
    assert_eq!(focus(&h).map(|f| f.0), Some("ecs/fargate".to_owned()));
    // An action by name.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label("Command palette").type_text("present");
    h.run();
    key(&mut h, Key::Enter);
    assert!(h.state().session.presenting());
    // A control: its row is focused, even when a filter hid it.
    h.state_mut()
        .session
        .apply(LayoutCommand::SetPresenting(false).into());
    h.state_mut()
        .session
        .apply(LayoutCommand::SetCustomerAndSharedOnly(true).into());
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label("Command palette").type_text("INF-01");
    h.run();
    key(&mut h, Key::Enter);
    assert!(
        h.state().session.filters().is_empty(),
        "the filter that hid it is gone"
    );
    assert_eq!(focus(&h).map(|f| f.1), Some("INF-01".to_owned()));
    // Esc closes; nothing matching says so.
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label("Command palette").type_text("qqqzzz");
    h.run();
    assert!(h.query_by_label("Nothing matches").is_some());
    key(&mut h, Key::Escape);
    assert!(h.state().ui.palette.is_none());
}

#[test]
fn the_service_finder_lists_the_fargate_variants_or_says_nothing_matches() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Find:").focus();
    h.run();
    h.get_by_label("Find:").type_text("fargate");
    h.run();
    for name in [
        "AWS Batch · AWS Batch on Fargate",
        "Amazon ECS · ECS on AWS Fargate",
        "Amazon EKS · EKS on AWS Fargate",
    ] {
        assert!(h.query_by_label(name).is_some(), "{name}");
    }
    assert!(
        h.query_by_label("Amazon ECS · ECS on EC2 container instances")
            .is_none()
    );
    assert!(h.query_by_label("Amazon EC2").is_none());
    h.get_by_label("Find:").type_text("zzq");
    h.run();
    assert!(
        h.query_by_label("No service matches “fargatezzq”")
            .is_some()
    );
}

#[test]
fn compare_pickers_are_searchable_combos() {
    let mut h = harness(&["ec2"]);
    h.get_by_label("Compare").click();
    h.run();
    h.get_by_label("Compare column 1").click();
    h.run();
    h.get_by_label("Find a service").type_text("fargate");
    h.run();
    // The combo's entries are buttons (the sidebar has checkboxes of the same names).
    assert!(
        h.query_by_role_and_label(Role::Button, "Amazon ECS · ECS on AWS Fargate")
            .is_some()
    );
    assert!(
        h.query_by_role_and_label(Role::Button, "Amazon EC2")
            .is_none()
    );
    h.get_by_role_and_label(Role::Button, "Amazon EKS · EKS on AWS Fargate")
        .click();
    h.run();
    let first = h.state().session.compare_slots()[0]
        .as_ref()
        .map(ServiceRef::key);
    assert_eq!(first.as_deref(), Some("eks/fargate"));
    assert!(
        h.query_by_label("Find a service").is_none(),
        "the combo closed"
    );
}

#[test]
fn compare_tells_the_story_and_can_show_only_changed_rows() {
    let mut h = harness(&["ec2"]);
    h.state_mut()
        .session
        .apply(ViewCommand::Show(View::Compare).into());
    h.run();
    h.get_by_label("Compare presets…").click();
    h.run();
    h.get_by_label("Containers: ECS on EC2 vs Fargate vs EKS")
        .click();
    h.run();
    let slots: Vec<Option<String>> = h
        .state()
        .session
        .compare_slots()
        .iter()
        .map(|s| s.as_ref().map(ServiceRef::key))
        .collect();
    assert_eq!(
        slots[..2],
        [Some("ecs/ec2".into()), Some("ecs/fargate".into())]
    );
    let headline = "Moving from ECS on EC2 to ECS on Fargate takes";
    assert_eq!(h.query_all_by_label_contains(headline).count(), 1);
    assert!(h.query_all_by_label_contains("off your plate").count() >= 1);
    assert!(
        h.query_by_label_contains("ECS on EC2: Customer ").is_some(),
        "a stacked bar"
    );
    assert!(
        h.query_by_label("ecs/fargate CVM-01: AWS, changed from Customer")
            .is_some(),
        "OS patching leaves the customer: its cell carries the arrow"
    );
    assert!(
        h.query_by_label("ecs/fargate INF-01: AWS").is_some(),
        "no change, no arrow"
    );
    assert!(h.query_by_label("INF-01 same").is_some());
    let changed = h.state().session.comparison().differing_rows();
    h.get_by_label("Only changed rows").click();
    h.run();
    assert!(h.query_by_label("INF-01 same").is_none());
    let shown = h.query_all_by_label_contains(" differs").count();
    assert_eq!(shown, changed);
    assert_eq!(h.query_all_by_label_contains(" same").count(), 0);
}

#[test]
fn information_goes_by_itself_and_errors_stay() {
    let mut h = harness(&["ec2"]);
    h.state_mut().session.apply(
        demarc::state::ExportCommand::Written {
            path: "/tmp/x.md".into(),
            result: Ok(()),
        }
        .into(),
    );
    h.state_mut().session.apply(
        NoticeCommand::JobNotStarted {
            kind: JobKind::WriteFile,
            error: std::io::Error::other("no threads left"),
        }
        .into(),
    );
    h.run();
    assert!(h.query_by_label_contains("Saved /tmp/x.md").is_some());
    // Eight seconds of frames (a quarter of a second each).
    h.run_steps(32);
    h.run();
    assert!(h.query_by_label_contains("Saved /tmp/x.md").is_none());
    assert!(h.query_by_label_contains("no threads left").is_some());
    assert_eq!(h.state().session.notifications().len(), 1);
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().session.notifications().is_empty());
}

#[test]
fn owner_chips_and_the_domain_menu_show_what_is_shown() {
    use egui::accesskit::Toggled;
    let mut h = harness(&["ec2", "s3"]);
    let on = |h: &Harness<'_, TestApp>, label: &str| {
        h.get_by_label(label).accesskit_node().toggled() == Some(Toggled::True)
    };
    assert!(
        [
            "Show AWS",
            "Show Shared",
            "Show Customer",
            "Show Not applicable"
        ]
        .iter()
        .all(|l| on(&h, l))
    );
    h.get_by_label("Domains: all").click();
    h.run();
    let boxes = h.query_all_by_role(Role::CheckBox).count();
    let domains = h.state().session.catalog().domains.len();
    let checked = h
        .query_all_by_role(Role::CheckBox)
        .filter(|n| n.accesskit_node().toggled() == Some(Toggled::True))
        .count();
    assert!(boxes >= domains);
    assert!(
        checked >= domains,
        "every domain box is checked: {checked} of {boxes}"
    );
}

#[test]
fn the_sidebar_collapses_from_the_keyboard_and_is_remembered() {
    let mut h = harness(&["ec2"]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::B);
    h.run();
    assert!(h.query_by_label("Find:").is_none());
    assert!(h.state().session.settings().sidebar_collapsed);
    h.get_by_label("Services").click();
    h.run();
    assert!(h.query_by_label("Find:").is_some());
}

/// A quick Ctrl+K (xdotool, a fast hand): Ctrl goes down and up around K within one frame, so
/// at the end of the frame no modifier is held. The shortcut counts the modifiers K came with.
#[test]
fn a_shortcut_pressed_and_released_within_one_frame_still_counts() {
    let mut h = harness(&["ec2"]);
    let key_event = |key, pressed, modifiers| egui::Event::Key {
        key,
        physical_key: Some(key),
        pressed,
        repeat: false,
        modifiers,
    };
    let ctrl = Modifiers::COMMAND;
    h.input_mut().events.extend([
        key_event(Key::K, true, ctrl),
        key_event(Key::K, false, Modifiers::NONE),
    ]);
    h.run();
    assert!(h.state().ui.palette.is_some());
}
