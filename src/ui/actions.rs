//! Every user action, defined once: its label, tooltip and keyboard shortcut (`Action::info`),
//! when it can run (`Action::enabled`), and what it does (`perform`). Toolbar buttons, menus,
//! tooltips and key handling all read this table; the command palette lists it.
//!
//! To add an action: a variant, its row in `info`, its place in `ALL`, when it is enabled,
//! what it does in `perform`; then put a `button` or `menu_item` for it where it belongs.

use super::{
    Request, UiState, checklist_view, engagement, export_dialog, findings_view, matrix_view,
    palette,
};
use crate::model::engagement::{FindingEdit, ItemKey, Status};
use crate::state::{
    Command, EngagementCommand, FilterCommand, ImportCommand, ItemEdit, LayoutCommand,
    ScopeCommand, Session, ThemeChoice, View, ViewCommand,
};
use egui::{Key, KeyboardShortcut, Modifiers};

/// Declares `Action` and `Action::ALL` from one list, so `ALL` cannot miss a variant.
macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        /// A user action: a button, a menu item, a key, an entry of the command palette.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $($(#[$doc])* $name,)*
        }

        impl Action {
            /// Every action, in the order a palette lists them.
            pub const ALL: &'static [Action] = &[$(Action::$name,)*];
        }
    };
}

actions! {
    ShowMatrix,
    ShowCompare,
    ShowChecklist,
    NewEngagement,
    OpenEngagement,
    SaveEngagement,
    SaveEngagementAs,
    CloseEngagement,
    ImportSnapshot,
    Export,
    FindText,
    ClearFilters,
    CloseDetail,
    DarkTheme,
    LightTheme,
    ClearColumns,
    ScopeToAccount,
    ClearEvidence,
    CancelImport,
    /// Checklist: move to the next item; matrix: move the focus ring down.
    NextItem,
    /// Checklist: move to the previous item; matrix: move the focus ring up.
    PreviousItem,
    /// Checklist: the selected item's next status.
    CycleStatus,
    ShowFindings,
    /// Checklist and findings board: the selected item's or finding's status, by number key.
    StatusOpen,
    StatusInProgress,
    StatusDone,
    StatusNotApplicable,
    StatusRiskAccepted,
    /// Presenter mode on or off.
    Present,
    /// Hide or show the service sidebar.
    ToggleSidebar,
    /// The command palette.
    CommandPalette,
    /// Presenter mode: only the rows where the customer has a part.
    CustomerAndSharedOnly,
    /// Matrix: the next domain to the top.
    NextDomain,
    /// Matrix: the previous domain to the top.
    PreviousDomain,
    /// Matrix: move the focus ring left.
    FocusLeft,
    /// Matrix: move the focus ring right.
    FocusRight,
    /// Matrix: open the focused cell's detail.
    OpenFocused,
}

/// What people see of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    pub label: &'static str,
    /// Without the shortcut: `tooltip` adds it in the platform's words.
    pub tooltip: &'static str,
    pub shortcut: Option<KeyboardShortcut>,
}

const fn info(
    label: &'static str,
    tooltip: &'static str,
    shortcut: Option<KeyboardShortcut>,
) -> ActionInfo {
    ActionInfo {
        label,
        tooltip,
        shortcut,
    }
}

/// Ctrl+key, Cmd+key on macOS.
const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

/// The key alone.
const fn plain(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::NONE, key)
}

impl Action {
    /// The table: label, tooltip, shortcut.
    pub const fn info(self) -> ActionInfo {
        match self {
            Action::ShowFindings
            | Action::StatusOpen
            | Action::StatusInProgress
            | Action::StatusDone
            | Action::StatusNotApplicable
            | Action::StatusRiskAccepted => self.meeting_info(),
            Action::ShowMatrix => info("Matrix", "Controls x services: who owns what", None),
            Action::ShowCompare => info(
                "Compare",
                "Two to four services or variants side by side",
                None,
            ),
            Action::ShowChecklist => info(
                "Checklist",
                "The engagement's checklist, item by item",
                None,
            ),
            Action::NewEngagement => info(
                "New engagement…",
                "Start an engagement for the services in the matrix",
                None,
            ),
            Action::OpenEngagement => info("Open…", "Open a .demarc.json engagement file", None),
            Action::SaveEngagement => info("Save", "Save the engagement", Some(command(Key::S))),
            Action::SaveEngagementAs => {
                info("Save as…", "Save the engagement to another file", None)
            }
            Action::CloseEngagement => info(
                "Close engagement",
                "Close the engagement (unsaved changes stay in its autosave copy)",
                None,
            ),
            Action::ImportSnapshot => info(
                "Import snapshot…",
                "AWS Config snapshot, CLI collection, Security Hub or Prowler output \
                 (or drop files on the window)",
                None,
            ),
            Action::Export => info(
                "Export…",
                "Checklist, matrix or comparison",
                Some(command(Key::E)),
            ),
            Action::FindText => info(
                "Search",
                "Search controls, text, services",
                Some(command(Key::F)),
            ),
            Action::ClearFilters => info(
                "Clear filters",
                "Show every control again: no owner, domain or search filter",
                None,
            ),
            Action::CloseDetail => {
                info("Close", "Close the detail panel", Some(plain(Key::Escape)))
            }
            Action::DarkTheme => info("Dark theme", "Switch light / dark theme", None),
            Action::LightTheme => info("Light theme", "Switch light / dark theme", None),
            Action::ClearColumns => info("Clear", "Remove every column", None),
            Action::ScopeToAccount => info(
                "Scope to this account",
                "Show exactly the services the account uses",
                None,
            ),
            Action::ClearEvidence => info("Clear", "Forget the imported evidence", None),
            Action::CancelImport => info(
                "Cancel import",
                "Stop the import: nothing from it is kept",
                None,
            ),
            Action::NextItem => info(
                "Move down",
                "Matrix: the focus ring down a row; Checklist: the next item",
                Some(plain(Key::ArrowDown)),
            ),
            Action::PreviousItem => info(
                "Move up",
                "Matrix: the focus ring up a row; Checklist: the previous item",
                Some(plain(Key::ArrowUp)),
            ),
            Action::CycleStatus => info(
                "Next status",
                "Checklist and findings: the selected item's next status",
                Some(plain(Key::Space)),
            ),
            Action::Present => info(
                "Present",
                "Presenter mode: large text, columns fitted to the screen, no sidebar, status \
                 bar or notifications, nothing internal shown (again to leave)",
                Some(plain(Key::F5)),
            ),
            Action::ToggleSidebar => info(
                "Services",
                "Show or hide the service sidebar",
                Some(command(Key::B)),
            ),
            Action::CommandPalette => info(
                "Command palette…",
                "Every action, service, variant and control by name",
                Some(command(Key::K)),
            ),
            Action::CustomerAndSharedOnly => info(
                "Customer and shared only",
                "Only the rows where the customer has a part",
                None,
            ),
            Action::NextDomain => info(
                "Next domain",
                "Matrix: the next domain to the top",
                Some(plain(Key::PageDown)),
            ),
            Action::PreviousDomain => info(
                "Previous domain",
                "Matrix: the previous domain to the top",
                Some(plain(Key::PageUp)),
            ),
            Action::FocusLeft => info(
                "Move left",
                "Matrix: the focus ring one column left",
                Some(plain(Key::ArrowLeft)),
            ),
            Action::FocusRight => info(
                "Move right",
                "Matrix: the focus ring one column right",
                Some(plain(Key::ArrowRight)),
            ),
            Action::OpenFocused => info(
                "Open detail",
                "Matrix: the focused cell's detail",
                Some(plain(Key::Enter)),
            ),
        }
    }

    /// The findings board and the number keys of the checklist and the board.
    const fn meeting_info(self) -> ActionInfo {
        match self {
            Action::ShowFindings => info(
                "Findings",
                "Every imported finding, once per check and resource, with its sources",
                None,
            ),
            Action::StatusOpen => info(
                "Open",
                "Set the selected item's status: Open",
                Some(plain(Key::Num1)),
            ),
            Action::StatusInProgress => info(
                "In progress",
                "Set the selected item's status: In progress",
                Some(plain(Key::Num2)),
            ),
            Action::StatusDone => info(
                "Done",
                "Set the selected item's status: Done",
                Some(plain(Key::Num3)),
            ),
            Action::StatusNotApplicable => info(
                "Not applicable",
                "Set the selected item's status: Not applicable",
                Some(plain(Key::Num4)),
            ),
            Action::StatusRiskAccepted => info(
                "Risk accepted",
                "Set the selected item's status: Risk accepted",
                Some(plain(Key::Num5)),
            ),
            // Only the actions above are sent here (see `info`).
            _ => info("", "", None),
        }
    }

    /// The status a number-key action sets.
    fn status(self) -> Option<Status> {
        match self {
            Action::StatusOpen => Some(Status::Open),
            Action::StatusInProgress => Some(Status::InProgress),
            Action::StatusDone => Some(Status::Done),
            Action::StatusNotApplicable => Some(Status::NotApplicable),
            Action::StatusRiskAccepted => Some(Status::RiskAccepted),
            _ => None,
        }
    }

    /// Whether the action can run now (a disabled button, a key that does nothing).
    pub fn enabled(self, session: &Session, state: &UiState) -> bool {
        match self {
            Action::ShowMatrix
            | Action::ShowCompare
            | Action::ShowChecklist
            | Action::ShowFindings
            | Action::NewEngagement
            | Action::OpenEngagement
            | Action::ImportSnapshot
            | Action::Export
            | Action::FindText
            | Action::Present
            | Action::CommandPalette => true,
            Action::ToggleSidebar => !session.presenting(),
            Action::CustomerAndSharedOnly => session.view() == View::Matrix,
            Action::NextDomain | Action::PreviousDomain => {
                session.view() == View::Matrix && !session.matrix().groups.is_empty()
            }
            Action::FocusLeft | Action::FocusRight => matrix_navigable(session),
            Action::OpenFocused => {
                matrix_navigable(session) && matrix_view::focus::has_focus(session, &state.matrix)
            }
            Action::SaveEngagement | Action::SaveEngagementAs | Action::CloseEngagement => {
                session.engagement().is_some()
            }
            Action::ClearFilters => !session.filters().is_empty() || !state.search_text.is_empty(),
            Action::CloseDetail => session.selected().is_some(),
            Action::DarkTheme => session.theme() == ThemeChoice::Light,
            Action::LightTheme => session.theme() == ThemeChoice::Dark,
            Action::ClearColumns => !session.scope().is_empty(),
            Action::ScopeToAccount => session.evidence().is_some(),
            // A running import merges over the evidence it started from.
            Action::ClearEvidence => session.evidence().is_some() && session.import_run().is_none(),
            Action::CancelImport => session.import_run().is_some_and(|r| !r.cancelling()),
            Action::NextItem | Action::PreviousItem => match session.view() {
                View::Checklist => !checklist_view::item_keys(session).is_empty(),
                View::Findings => !findings_view::visible_rows(session).is_empty(),
                View::Matrix => matrix_navigable(session),
                View::Compare => false,
            },
            Action::CycleStatus
            | Action::StatusOpen
            | Action::StatusInProgress
            | Action::StatusDone
            | Action::StatusNotApplicable
            | Action::StatusRiskAccepted => match session.view() {
                View::Checklist => !checklist_view::item_keys(session).is_empty(),
                View::Findings => {
                    session.engagement().is_some() && state.finding_selected.is_some()
                }
                View::Matrix | View::Compare => false,
            },
        }
    }

    /// Whether its key works while the keyboard is elsewhere (`typing`: a text field has the
    /// focus) or a window is open.
    fn key_allowed(self, state: &UiState, typing: bool) -> bool {
        match self {
            Action::SaveEngagement | Action::CloseDetail => !state.modal_open(),
            Action::Export => state.export.is_none() && state.palette.is_none(),
            Action::NextItem
            | Action::PreviousItem
            | Action::CycleStatus
            | Action::StatusOpen
            | Action::StatusInProgress
            | Action::StatusDone
            | Action::StatusNotApplicable
            | Action::StatusRiskAccepted
            | Action::NextDomain
            | Action::PreviousDomain
            | Action::FocusLeft
            | Action::FocusRight
            | Action::OpenFocused => !typing && !state.modal_open(),
            Action::Present | Action::ToggleSidebar | Action::CommandPalette => {
                !state.modal_open() || state.palette.is_some()
            }
            Action::CustomerAndSharedOnly
            | Action::FindText
            | Action::ShowMatrix
            | Action::ShowCompare
            | Action::ShowChecklist
            | Action::ShowFindings
            | Action::NewEngagement
            | Action::OpenEngagement
            | Action::SaveEngagementAs
            | Action::CloseEngagement
            | Action::ImportSnapshot
            | Action::ClearFilters
            | Action::DarkTheme
            | Action::LightTheme
            | Action::ClearColumns
            | Action::ScopeToAccount
            | Action::ClearEvidence
            | Action::CancelImport => true,
        }
    }

    /// The shortcut in the platform's words ("Ctrl+E", "⌘E" on macOS), if the action has one.
    pub fn shortcut_text(self, ctx: &egui::Context) -> Option<String> {
        self.info().shortcut.map(|s| shortcut_text(ctx, &s))
    }

    /// The tooltip, with the shortcut: "Checklist, matrix or comparison (Ctrl+E)".
    pub fn tooltip(self, ctx: &egui::Context) -> String {
        let info = self.info();
        match self.shortcut_text(ctx) {
            Some(keys) => format!("{} ({keys})", info.tooltip),
            None => info.tooltip.to_owned(),
        }
    }
}

/// egui's own formatting for shortcuts with modifiers (Cmd on macOS, Ctrl elsewhere); a plain
/// key by its name ("Up", "Space"), not by a symbol the font may lack.
pub fn shortcut_text(ctx: &egui::Context, shortcut: &KeyboardShortcut) -> String {
    if shortcut.modifiers.is_none() {
        shortcut.logical_key.name().to_owned()
    } else {
        ctx.format_shortcut(shortcut)
    }
}

/// Does what the action does. Callers check `enabled` first.
pub fn perform(action: Action, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let mut cmd = |command: Command| out.push(Request::Command(command));
    match action {
        Action::ShowMatrix => show(session, View::Matrix, out),
        Action::ShowCompare => show(session, View::Compare, out),
        Action::ShowChecklist => show(session, View::Checklist, out),
        Action::NewEngagement => state.new_engagement = Some(engagement::NewEngagementForm::new()),
        Action::OpenEngagement => engagement::open_prompt(session, state),
        Action::SaveEngagement => engagement::save(session, state, out),
        Action::SaveEngagementAs => engagement::save_as(session, state),
        Action::CloseEngagement => cmd(EngagementCommand::Close.into()),
        Action::ImportSnapshot => state.open_import_prompt(),
        Action::Export => {
            state.export = Some(export_dialog::ExportDialog::new(
                session,
                state.export_folder.as_deref(),
            ));
        }
        Action::FindText => state.focus_search = true,
        Action::ClearFilters => {
            state.search_text.clear();
            cmd(FilterCommand::Clear.into());
        }
        Action::CloseDetail => cmd(ViewCommand::Select(None).into()),
        Action::DarkTheme => cmd(ViewCommand::SetTheme(ThemeChoice::Dark).into()),
        Action::LightTheme => cmd(ViewCommand::SetTheme(ThemeChoice::Light).into()),
        Action::ClearColumns => cmd(ScopeCommand::Clear.into()),
        Action::ScopeToAccount => cmd(ImportCommand::ScopeToAccount.into()),
        Action::ClearEvidence => cmd(ImportCommand::Clear.into()),
        Action::CancelImport => cmd(ImportCommand::Cancel.into()),
        Action::NextItem | Action::PreviousItem => {
            let delta = if action == Action::NextItem { 1 } else { -1 };
            match session.view() {
                View::Matrix => {
                    matrix_view::focus::move_focus(session, &mut state.matrix, 0, delta);
                }
                View::Findings => findings_view::move_selection(session, state, delta),
                View::Checklist | View::Compare => {
                    checklist_view::move_selection(session, state, delta);
                }
            }
        }
        Action::CycleStatus => set_status(session, state, None, out),
        Action::ShowFindings => show(session, View::Findings, out),
        Action::StatusOpen
        | Action::StatusInProgress
        | Action::StatusDone
        | Action::StatusNotApplicable
        | Action::StatusRiskAccepted => set_status(session, state, action.status(), out),
        Action::Present => cmd(LayoutCommand::SetPresenting(!session.presenting()).into()),
        Action::ToggleSidebar => {
            cmd(LayoutCommand::SetSidebarCollapsed(!session.sidebar_collapsed()).into());
        }
        Action::CommandPalette => palette::toggle(state),
        Action::CustomerAndSharedOnly => {
            let on = !session.filters().customer_and_shared_only();
            cmd(LayoutCommand::SetCustomerAndSharedOnly(on).into());
        }
        Action::NextDomain => matrix_view::focus::page(session, &mut state.matrix, 1),
        Action::PreviousDomain => matrix_view::focus::page(session, &mut state.matrix, -1),
        Action::FocusLeft => matrix_view::focus::move_focus(session, &mut state.matrix, -1, 0),
        Action::FocusRight => matrix_view::focus::move_focus(session, &mut state.matrix, 1, 0),
        Action::OpenFocused => {
            if let Some(command) = matrix_view::focus::open_focused(session, &state.matrix) {
                cmd(command);
            }
        }
    }
}

/// The selected checklist item's or finding's status: `status`, or the next one.
fn set_status(
    session: &Session,
    state: &mut UiState,
    status: Option<Status>,
    out: &mut Vec<Request>,
) {
    if session.view() == View::Findings {
        let edit = status.map_or(FindingEdit::CycleStatus, FindingEdit::Status);
        findings_view::decide_selected(session, state, edit, out);
    } else if let Some(key) = checklist_view::selected_key(session, state) {
        let edit = status.map_or(ItemEdit::CycleStatus, ItemEdit::Status);
        item_edit(key, edit, out);
    }
}

/// The matrix view shows cells the focus ring can move over.
fn matrix_navigable(session: &Session) -> bool {
    session.view() == View::Matrix
        && !session.matrix().columns.is_empty()
        && !session.matrix().groups.is_empty()
}

fn show(session: &Session, view: View, out: &mut Vec<Request>) {
    if session.view() != view {
        out.push(Request::Command(ViewCommand::Show(view).into()));
    }
}

fn item_edit(key: ItemKey, edit: ItemEdit, out: &mut Vec<Request>) {
    out.push(Request::Command(
        EngagementCommand::EditItem { key, edit }.into(),
    ));
}

/// Runs the actions whose shortcut was pressed this frame (and that can run now).
pub fn handle_shortcuts(
    ctx: &egui::Context,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let typing = ctx.memory(|m| m.focused().is_some());

    for &action in Action::ALL {
        let Some(shortcut) = action.info().shortcut else {
            continue;
        };
        // The modifiers the key was pressed with, not those at the end of the frame: a quick
        // Ctrl+K (press and release within one frame) still counts.
        let pressed = ctx.input(|i| {
            i.events.iter().any(|event| {
                matches!(event, egui::Event::Key { key, pressed: true, modifiers, .. }
                    if *key == shortcut.logical_key && modifiers.matches_logically(shortcut.modifiers))
            })
        });
        if pressed && action.key_allowed(state, typing) && action.enabled(session, state) {
            perform(action, session, state, out);
        }
    }
}

/// A button for the action: its label, its tooltip with the shortcut, disabled when it cannot
/// run; clicking performs it.
pub fn button(
    ui: &mut egui::Ui,
    action: Action,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) -> egui::Response {
    let enabled = action.enabled(session, state);
    let response = ui
        .add_enabled(enabled, egui::Button::new(action.info().label))
        .on_hover_text(action.tooltip(ui.ctx()));
    if response.clicked() {
        perform(action, session, state, out);
    }
    response
}

/// A menu entry for the action, with its shortcut on the right.
pub fn menu_item(
    ui: &mut egui::Ui,
    action: Action,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) -> egui::Response {
    let enabled = action.enabled(session, state);
    let mut item = egui::Button::new(action.info().label);
    if let Some(keys) = action.shortcut_text(ui.ctx()) {
        item = item.shortcut_text(keys);
    }
    let response = ui.add_enabled(enabled, item);
    if response.clicked() {
        perform(action, session, state, out);
    }
    response
}

/// A selectable entry (the view switcher): selected while `on`.
pub fn selectable(
    ui: &mut egui::Ui,
    action: Action,
    on: bool,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) -> egui::Response {
    let response = ui
        .selectable_label(on, action.info().label)
        .on_hover_text(action.tooltip(ui.ctx()));
    if response.clicked() && action.enabled(session, state) {
        perform(action, session, state, out);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn all_lists_every_action_once() {
        let unique: HashSet<Action> = Action::ALL.iter().copied().collect();
        assert_eq!(unique.len(), Action::ALL.len());
        assert!(unique.contains(&Action::CycleStatus) && unique.contains(&Action::ShowMatrix));
    }

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen = HashSet::new();
        for &action in Action::ALL {
            if let Some(s) = action.info().shortcut {
                assert!(
                    seen.insert((s.modifiers.command, s.modifiers.shift, s.logical_key)),
                    "{action:?} reuses a shortcut"
                );
            }
        }
    }

    #[test]
    fn every_action_has_words() {
        for &action in Action::ALL {
            let info = action.info();
            assert!(!info.label.trim().is_empty(), "{action:?}");
            assert!(!info.tooltip.trim().is_empty(), "{action:?}");
        }
    }

    #[test]
    fn shortcuts_read_ctrl_here_and_cmd_on_macos() {
        let ctx = egui::Context::default();
        // Fonts exist after the first frame (egui checks the font for the macOS symbols).
        let mut output = ctx.run_ui(egui::RawInput::default(), |_| {});
        output.textures_delta.clear();
        ctx.set_os(egui::os::OperatingSystem::Nix);
        assert_eq!(
            Action::Export.shortcut_text(&ctx).as_deref(),
            Some("Ctrl+E")
        );
        assert_eq!(
            Action::Export.tooltip(&ctx),
            "Checklist, matrix or comparison (Ctrl+E)"
        );
        assert_eq!(
            Action::NextItem.shortcut_text(&ctx).as_deref(),
            Some("Down")
        );
        ctx.set_os(egui::os::OperatingSystem::Mac);
        let mac = Action::SaveEngagement
            .shortcut_text(&ctx)
            .expect("save has a shortcut");
        assert!(
            mac.contains('⌘') || mac.contains("Cmd"),
            "macOS shows Command: {mac}"
        );
        assert_eq!(Action::ImportSnapshot.shortcut_text(&ctx), None);
    }
}
