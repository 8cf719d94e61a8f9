//! egui views. They read the `Session`, keep only view-local state (`UiState`), and return
//! `Request`s: commands for `Session::apply`, or a file dialog for the app shell. Every user
//! action (label, tooltip, shortcut) is defined once in `actions`.
//! No I/O, no threads, no dialogs here.

pub mod actions;
pub mod checklist_view;
pub mod compare_view;
pub mod detail;
pub mod engagement;
pub mod evidence;
pub mod export_dialog;
pub mod finder;
pub mod findings_view;
pub mod matrix_view;
pub mod palette;
pub mod picker;
pub mod present;
pub mod theme;
pub mod toasts;
pub mod widgets;

use crate::model::catalog::ServiceRef;
use crate::model::engagement::ItemKey;
use crate::model::owner::Owner;
use crate::model::words;
use crate::state::{Command, FilterCommand, Session, ThemeChoice, View};
use actions::Action;
use egui::{Align, Layout, RichText};
use std::path::PathBuf;
use theme::Palette;

/// What a frame asks for.
#[derive(Debug)]
pub enum Request {
    Command(Command),
    /// Open a native save dialog, starting from this path.
    BrowseSavePath(PathBuf),
    /// Native dialogs for engagement files.
    BrowseOpenEngagement(PathBuf),
    BrowseSaveEngagement(PathBuf),
    /// A native dialog to pick a snapshot file, or a collection folder.
    BrowseImport {
        start: PathBuf,
        folder: bool,
    },
}

/// View-local state: what is being typed, which dialog is open.
#[derive(Debug, Default)]
pub struct UiState {
    pub picker_query: String,
    pub search_text: String,
    pub export: Option<export_dialog::ExportDialog>,
    /// Set when the last native dialog could not open (no portal): the path field is the way.
    pub dialog_unavailable: bool,
    /// Where exports go by default (the user's documents folder), set by the shell.
    pub export_folder: Option<PathBuf>,
    pub focus_search: bool,
    pub new_engagement: Option<engagement::NewEngagementForm>,
    pub file_prompt: Option<engagement::FilePrompt>,
    /// A due date being typed (committed when valid and the field loses focus).
    pub due_edit: Option<(ItemKey, String)>,
    /// Give the note field of this item the keyboard focus (typing in the checklist).
    pub focus_note: Option<ItemKey>,
    pub checklist_selected: usize,
    pub scroll_to_selected: bool,
    /// The path last typed into the import prompt: the prompt starts from it next time.
    pub last_import_path: Option<String>,
    /// An import started from the prompt: (imports finished when it started, its path), until
    /// it reports back; a failure reopens the prompt with the path.
    pub pending_import: Option<(u64, String)>,
    /// The findings board's selected finding (an index into `Findings::rows`).
    pub finding_selected: Option<u32>,
    /// The note of this finding takes the keyboard focus (typing on the findings board).
    pub focus_finding_note: bool,
    /// The theme and look (presenter or not) whose visuals and text sizes are applied.
    pub applied_look: Option<(ThemeChoice, bool)>,
    /// The matrix's keyboard focus and scroll requests.
    pub matrix: matrix_view::MatrixState,
    /// Compare's "only changed rows".
    pub compare: compare_view::CompareState,
    /// The command palette, while open.
    pub palette: Option<palette::PaletteState>,
    /// When each notification was first shown (information expires).
    pub toast_clock: toasts::ToastClock,
    /// The cell the detail drawer showed last frame (a new one opens scrolled to the top).
    pub detail_shown: Option<(ServiceRef, String)>,
}

impl UiState {
    /// A native dialog chose a path: it goes into whichever path field asked for it.
    pub fn dialog_chose(&mut self, path: &std::path::Path) {
        if let Some(prompt) = self.file_prompt.as_mut() {
            prompt.path = path.display().to_string();
        } else if let Some(export) = self.export.as_mut() {
            export.path = path.display().to_string();
        }
    }

    /// The import prompt, starting in the export folder.
    pub fn open_import_prompt(&mut self) {
        let start = self
            .export_folder
            .clone()
            .unwrap_or_else(|| PathBuf::from("."));
        let path = self
            .last_import_path
            .clone()
            .unwrap_or_else(|| format!("{}{}", start.display(), std::path::MAIN_SEPARATOR));
        self.file_prompt = Some(engagement::FilePrompt {
            kind: engagement::FilePromptKind::Import,
            path,
            error: None,
            submitted: false,
        });
    }

    /// A window that takes the keyboard is open.
    pub fn modal_open(&self) -> bool {
        self.export.is_some()
            || self.new_engagement.is_some()
            || self.file_prompt.is_some()
            || self.palette.is_some()
    }
}

/// The service sidebar's width.
const SIDEBAR_W: f32 = 260.0;

/// One whole frame of the app.
pub fn app_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Request> {
    let mut out = Vec::new();
    let palette = Palette::new(session.theme());
    let presenting = session.presenting();
    let look = (session.theme(), presenting);
    if state.applied_look != Some(look) {
        theme::apply(ui.ctx(), look.0, look.1);
        state.applied_look = Some(look);
    }
    actions::handle_shortcuts(ui.ctx(), session, state, &mut out);
    egui::Panel::top("toolbar").show(ui, |ui| {
        if presenting {
            present::toolbar_ui(ui, session, state, &mut out);
        } else {
            toolbar_ui(ui, session, state, &mut out);
            engagement::bar_ui(ui, session, palette, state, &mut out);
        }
    });
    if !presenting {
        egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, session, palette));
    }
    // On a narrow window the sidebar steps aside while the detail drawer is open, so that the
    // matrix keeps its columns (it is back when the drawer closes).
    let window_w = ui.ctx().content_rect().width();
    let drawer_squeezes = session.selected().is_some()
        && window_w - SIDEBAR_W - detail::drawer_width(window_w)
            < matrix_view::NORMAL.row_header_w + 3.0 * matrix_view::NORMAL.col_min + 40.0;
    if !presenting && !session.sidebar_collapsed() && !drawer_squeezes {
        egui::Panel::left("picker")
            .default_size(SIDEBAR_W)
            .min_size(200.0)
            .show(ui, |ui| {
                picker::picker_ui(ui, session, state, &mut out);
            });
    }
    let drawer = session
        .selected()
        .map(|_| detail::drawer_width(ui.ctx().content_rect().width()));
    state.matrix.covered = drawer.unwrap_or(0.0);
    let view = egui::CentralPanel::default().show(ui, |ui| match session.view() {
        View::Matrix => matrix_view::matrix_ui(ui, session, palette, state, &mut out),
        View::Compare => compare_view::compare_ui(ui, session, palette, state, &mut out),
        View::Checklist => checklist_view::checklist_ui(ui, session, state, palette, &mut out),
        View::Findings => findings_view::findings_ui(ui, session, state, palette, &mut out),
    });
    if let (Some(selection), Some(width)) = (session.selected(), drawer) {
        detail::drawer_ui(
            ui.ctx(),
            view.response.rect,
            width,
            session,
            selection,
            palette,
            state,
            &mut out,
        );
    }
    toasts::toasts_ui(ui, session, palette, state, &mut out);
    export_dialog::export_window(ui, session, state, &mut out);
    engagement::windows_ui(ui, session, state, &mut out);
    evidence::progress_window(ui, session, state, &mut out);
    palette::palette_ui(ui, session, state, &mut out);
    out
}

fn toolbar_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    ui.add_space(4.0);
    // Row 1: views and actions.
    ui.horizontal(|ui| {
        ui.label(RichText::new("demarc").heading().strong());
        let sidebar = !session.sidebar_collapsed();
        actions::selectable(ui, Action::ToggleSidebar, sidebar, session, state, out);
        ui.separator();
        for (view, action) in [
            (View::Matrix, Action::ShowMatrix),
            (View::Compare, Action::ShowCompare),
            (View::Checklist, Action::ShowChecklist),
            (View::Findings, Action::ShowFindings),
        ] {
            actions::selectable(ui, action, session.view() == view, session, state, out);
        }
        ui.separator();
        engagement::menu_ui(ui, session, state, out);
        actions::button(ui, Action::ImportSnapshot, session, state, out);
        actions::button(ui, Action::Export, session, state, out);
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            present::glyph_button(ui, Action::Present, "Present", session, state, out);
            for (theme, face) in [(Action::DarkTheme, "Dark"), (Action::LightTheme, "Light")] {
                if theme.enabled(session, state) {
                    present::glyph_button(ui, theme, face, session, state, out);
                }
            }
        });
    });
    // Row 2: what the matrix shows.
    ui.horizontal_wrapped(|ui| filters_ui(ui, session, state, out));
    ui.add_space(2.0);
}

fn filters_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let find = Action::FindText;
    let search_label = ui.label(find.info().label);
    let search = ui
        .add(
            egui::TextEdit::singleline(&mut state.search_text)
                .hint_text(find.tooltip(ui.ctx()))
                .desired_width(220.0),
        )
        .labelled_by(search_label.id);
    if state.focus_search {
        search.request_focus();
        state.focus_search = false;
    }
    if state.search_text != session.filters().query {
        out.push(Request::Command(
            FilterCommand::SetQuery(state.search_text.clone()).into(),
        ));
    }
    ui.separator();
    ui.label("Show owners:");
    let palette = Palette::new(session.theme());
    for owner in Owner::ALL {
        let on = session.filters().shows_owner(owner);
        if widgets::owner_toggle(ui, palette, owner, on).clicked() {
            out.push(Request::Command(FilterCommand::ToggleOwner(owner).into()));
        }
    }
    domain_menu(ui, session, out);
    if !session.filters().is_empty() {
        actions::button(ui, Action::ClearFilters, session, state, out);
    }
}

fn domain_menu(ui: &mut egui::Ui, session: &Session, out: &mut Vec<Request>) {
    let chosen = session.filters().domains.len();
    let title = if chosen == 0 {
        "Domains: all".to_owned()
    } else {
        format!("Domains: {chosen} of {}", session.catalog().domains.len())
    };
    ui.menu_button(title, |ui| {
        for domain in &session.catalog().domains {
            let mut on = session.filters().shows_domain(&domain.id);
            if ui
                .checkbox(&mut on, format!("{} {}", domain.id, domain.name))
                .clicked()
            {
                out.push(Request::Command(
                    FilterCommand::ToggleDomain(domain.id.clone()).into(),
                ));
            }
        }
    });
}

/// The status bar: the legend, what is shown, the catalog. The catalog is placed first, at the
/// right; the rest wraps in the room left of it, so no text runs over another.
fn status_ui(ui: &mut egui::Ui, session: &Session, palette: Palette) {
    let info = &session.catalog().info;
    ui.horizontal(|ui| {
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.add(
                egui::Label::new(
                    RichText::new(format!(
                        "Catalog {} ({}) · offline",
                        info.version, info.date
                    ))
                    .color(palette.weak_text()),
                )
                .extend(),
            );
            ui.separator();
            let wrapping = Layout::left_to_right(Align::Center).with_main_wrap(true);
            ui.with_layout(wrapping, |ui| {
                widgets::legend_ui(ui, palette);
                ui.separator();
                let m = session.matrix();
                let controls = session.catalog().controls.len();
                // Whole phrases: one that does not fit goes to the next line.
                ui.add(
                    egui::Label::new(format!(
                        "{} · {} of {controls} shown",
                        words::count(m.columns.len(), "service", "services"),
                        words::controls(m.row_count()),
                    ))
                    .extend(),
                );
                if m.hidden_columns > 0 {
                    ui.add(
                        egui::Label::new(
                            RichText::new(format!(
                                "· search shows {} of {}",
                                m.columns.len(),
                                words::count(
                                    m.columns.len() + m.hidden_columns,
                                    "service",
                                    "services"
                                )
                            ))
                            .color(palette.warning()),
                        )
                        .extend(),
                    );
                }
            });
        });
    });
}
