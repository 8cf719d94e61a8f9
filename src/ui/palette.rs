//! The command palette (Ctrl/Cmd+K): every action of the action table, every service and
//! variant, every control, filtered as you type (see `finder`: words as written first, else
//! their letters in order). Up/Down choose, Enter runs, Esc closes, a click runs.

use super::actions::{self, Action};
use super::finder;
use super::matrix_view::focus;
use super::{Request, UiState};
use crate::model::catalog::ServiceRef;
use crate::state::{FilterCommand, ScopeCommand, Session, View, ViewCommand};
use egui::{Key, Modifiers, RichText};

/// How many entries show at once.
const SHOWN: usize = 14;

/// The palette while it is open.
#[derive(Debug, Default)]
pub struct PaletteState {
    pub query: String,
    /// The highlighted entry among the matches.
    pub chosen: usize,
}

/// Opens the palette, or closes it when open.
pub fn toggle(state: &mut UiState) {
    state.palette = match state.palette {
        Some(_) => None,
        None => Some(PaletteState::default()),
    };
}

/// One thing the palette can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Action(Action),
    /// Add the column to the matrix (or go to it) and put the focus on it.
    Service(ServiceRef),
    /// Go to the control's row in the matrix.
    Control(String),
}

/// Every entry with the text it is found by.
fn entries(session: &Session) -> Vec<(Entry, String)> {
    let catalog = session.catalog();
    let actions = Action::ALL
        .iter()
        .filter(|a| **a != Action::CommandPalette)
        .map(|a| (Entry::Action(*a), a.info().label.to_owned()));
    let services = catalog.all_refs().into_iter().map(|r| {
        let text = finder::service_text(catalog, &r);
        (Entry::Service(r), text)
    });
    let controls = catalog
        .controls
        .iter()
        .map(|c| (Entry::Control(c.id.clone()), format!("{} {}", c.id, c.name)));
    actions.chain(services).chain(controls).collect()
}

/// The entries matching `query`, best first.
pub fn matches(session: &Session, query: &str) -> Vec<Entry> {
    finder::rank(query, entries(session))
        .into_iter()
        .map(|(entry, _)| entry)
        .collect()
}

/// What an entry shows: its kind, its title, and a note on the right.
fn describe(
    entry: &Entry,
    session: &Session,
    ctx: &egui::Context,
) -> (&'static str, String, String) {
    let catalog = session.catalog();
    match entry {
        Entry::Action(action) => (
            "Action",
            action.info().label.to_owned(),
            action.shortcut_text(ctx).unwrap_or_default(),
        ),
        Entry::Service(r) => {
            let note = if session.scope().contains(r) {
                "in the matrix"
            } else {
                "add to the matrix"
            };
            ("Service", catalog.display_name(r), note.to_owned())
        }
        Entry::Control(id) => {
            let name = catalog.control(id).map_or("", |c| c.name.as_str());
            ("Control", format!("{id} {name}"), String::new())
        }
    }
}

/// Runs an entry (the palette closes first).
pub fn run(entry: &Entry, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    state.palette = None;
    let mut cmd = |command: crate::state::Command| out.push(Request::Command(command));
    match entry {
        Entry::Action(action) => {
            if action.enabled(session, state) {
                actions::perform(*action, session, state, out);
            }
        }
        Entry::Service(r) => {
            if !session.scope().contains(r) {
                cmd(ScopeCommand::Add(r.clone()).into());
            }
            if session.view() != View::Matrix {
                cmd(ViewCommand::Show(View::Matrix).into());
            }
            focus::focus_column(session, &mut state.matrix, r);
        }
        Entry::Control(id) => {
            if session.view() != View::Matrix {
                cmd(ViewCommand::Show(View::Matrix).into());
            }
            go_to_control(session, state, id, out);
        }
    }
}

/// Shows the control's row (expanding its domain, clearing filters that hide it) and focuses it.
fn go_to_control(session: &Session, state: &mut UiState, id: &str, out: &mut Vec<Request>) {
    let catalog = session.catalog();
    let Some(control) = catalog.control(id) else {
        return;
    };
    if session.is_collapsed(&control.domain) {
        out.push(Request::Command(
            ViewCommand::ToggleDomainCollapsed(control.domain.clone()).into(),
        ));
    }
    let shown = session
        .matrix()
        .groups
        .iter()
        .flat_map(|g| &g.rows)
        .any(|row| catalog.controls[row.control].id == id);
    if !shown {
        state.search_text.clear();
        out.push(Request::Command(FilterCommand::Clear.into()));
    }
    let column = state
        .matrix
        .focus
        .as_ref()
        .map(|(r, _)| r.clone())
        .filter(|r| session.scope().contains(r))
        .or_else(|| session.scope().first().cloned());
    if let Some(column) = column {
        state.matrix.focus = Some((column, id.to_owned()));
        state.matrix.reveal_focus = true;
    }
}

/// The palette window, when open.
pub fn palette_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    // Taken out while shown (the rows ask the actions whether they can run, which reads the
    // rest of `state`); put back unless the palette closes.
    let Some(mut palette) = state.palette.take() else {
        return;
    };
    let (up, down, escape) = ui.input_mut(|i| {
        (
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::Escape),
        )
    });
    if escape {
        return;
    }
    let found = matches(session, &palette.query);
    if down {
        palette.chosen = (palette.chosen + 1).min(found.len().saturating_sub(1));
    }
    if up {
        palette.chosen = palette.chosen.saturating_sub(1);
    }
    let mut run_entry: Option<Entry> = None;
    let mut close = false;
    let width = (ui.ctx().content_rect().width() - 40.0).clamp(320.0, 640.0);
    egui::Window::new("Command palette")
        .collapsible(false)
        .resizable(false)
        .title_bar(false)
        .fixed_size([width, 0.0])
        .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
        .show(ui.ctx(), |ui| {
            let field = ui.add(
                egui::TextEdit::singleline(&mut palette.query)
                    .hint_text("Type an action, a service or a control")
                    .desired_width(f32::INFINITY),
            );
            let query_now = palette.query.clone();
            field.widget_info(|| {
                egui::WidgetInfo::text_edit(true, String::new(), &query_now, "Command palette")
            });
            if !field.has_focus() && !field.lost_focus() {
                field.request_focus();
            }
            if field.changed() {
                palette.chosen = 0;
            }
            let found = matches(session, &palette.query);
            let chosen = palette.chosen.min(found.len().saturating_sub(1));
            if field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                run_entry = found.get(chosen).cloned();
                close = run_entry.is_none();
            }
            ui.separator();
            if found.is_empty() {
                ui.label(RichText::new("Nothing matches").italics());
            }
            let first = chosen.saturating_sub(SHOWN - 1);
            for (index, entry) in found.iter().enumerate().skip(first).take(SHOWN) {
                let enabled = match entry {
                    Entry::Action(a) => a.enabled(session, state),
                    Entry::Service(_) | Entry::Control(_) => true,
                };
                if entry_ui(ui, session, entry, enabled, index == chosen) {
                    run_entry = Some(entry.clone());
                }
            }
            if found.len() > SHOWN {
                ui.label(
                    RichText::new(format!("{} more: type to narrow", found.len() - SHOWN)).small(),
                );
            }
        });
    if let Some(entry) = run_entry {
        run(&entry, session, state, out);
    } else if !close {
        state.palette = Some(palette);
    }
}

/// One entry's row; returns whether it was clicked.
fn entry_ui(
    ui: &mut egui::Ui,
    session: &Session,
    entry: &Entry,
    enabled: bool,
    chosen: bool,
) -> bool {
    let (kind, title, note) = describe(entry, session, ui.ctx());
    let weak = ui.visuals().weak_text_color();
    let mut clicked = false;
    ui.horizontal(|ui| {
        ui.label(RichText::new(kind).small().color(weak));
        let text = if enabled {
            RichText::new(&title)
        } else {
            RichText::new(&title).color(weak)
        };
        let response = ui.selectable_label(chosen, text);
        if chosen {
            response.scroll_to_me(None);
        }
        clicked = response.clicked();
        if !note.is_empty() {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.label(RichText::new(note).small().color(weak));
            });
        }
    });
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;
    use crate::state::Settings;
    use std::sync::Arc;

    fn session() -> Session {
        Session::new(
            Arc::new(Catalog::bundled()),
            &Settings::default(),
            "2026-12-04",
        )
    }

    #[test]
    fn the_palette_offers_every_action_service_variant_and_control() {
        let s = session();
        let all = matches(&s, "");
        let catalog = s.catalog();
        let actions = all.iter().filter(|e| matches!(e, Entry::Action(_))).count();
        let services = all
            .iter()
            .filter(|e| matches!(e, Entry::Service(_)))
            .count();
        let controls = all
            .iter()
            .filter(|e| matches!(e, Entry::Control(_)))
            .count();
        assert_eq!(actions, Action::ALL.len() - 1, "all but the palette itself");
        assert_eq!(services, catalog.all_refs().len());
        assert_eq!(controls, catalog.controls.len());
    }

    #[test]
    fn typing_narrows_to_the_best_match_first() {
        let s = session();
        assert_eq!(
            matches(&s, "present").first(),
            Some(&Entry::Action(Action::Present))
        );
        assert_eq!(
            matches(&s, "IAM-01").first(),
            Some(&Entry::Control("IAM-01".into()))
        );
        let fargate = matches(&s, "fargate");
        assert_eq!(fargate.len(), 3, "{fargate:?}");
        assert!(matches(&s, "qqqzzz").is_empty());
    }
}
