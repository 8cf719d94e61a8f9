//! egui views. They read the `Session`, keep only view-local state (`UiState`), and return
//! `Action`s: commands for `Session::apply`, or requests (a file dialog) for the app shell.
//! No I/O, no threads, no dialogs here.

pub mod checklist_view;
pub mod compare_view;
pub mod detail;
pub mod engagement;
pub mod evidence;
pub mod export_dialog;
pub mod matrix_view;
pub mod picker;
pub mod theme;
pub mod widgets;

use crate::model::engagement::ItemKey;
use crate::model::owner::Owner;
use crate::state::{Command, Level, Session, ThemeChoice, View};
use egui::{Align, Layout, RichText};
use std::path::PathBuf;
use theme::Palette;

/// What a frame asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
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
        self.file_prompt = Some(engagement::FilePrompt {
            kind: engagement::FilePromptKind::Import,
            path: format!("{}{}", start.display(), std::path::MAIN_SEPARATOR),
        });
    }

    /// A window that takes the keyboard is open.
    pub fn modal_open(&self) -> bool {
        self.export.is_some() || self.new_engagement.is_some() || self.file_prompt.is_some()
    }
}

/// One whole frame of the app.
pub fn app_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState) -> Vec<Action> {
    let mut actions = Vec::new();
    let palette = Palette::new(session.theme);
    shortcuts(ui, session, state, &mut actions);
    egui::Panel::top("toolbar").show(ui, |ui| {
        toolbar_ui(ui, session, state, &mut actions);
        engagement::bar_ui(ui, session, palette, state, &mut actions);
    });
    egui::Panel::bottom("status").show(ui, |ui| status_ui(ui, session, palette, &mut actions));
    egui::Panel::left("picker")
        .default_size(270.0)
        .min_size(200.0)
        .show(ui, |ui| {
            picker::picker_ui(ui, session, state, &mut actions);
        });
    if let Some((service_ref, control_id)) = &session.selected {
        egui::Panel::right("detail")
            .default_size(400.0)
            .min_size(280.0)
            .show(ui, |ui| {
                detail::detail_ui(
                    ui,
                    session,
                    service_ref,
                    control_id,
                    palette,
                    state,
                    &mut actions,
                );
            });
    }
    egui::CentralPanel::default().show(ui, |ui| match session.view {
        View::Matrix => matrix_view::matrix_ui(ui, session, palette, &mut actions),
        View::Compare => compare_view::compare_ui(ui, session, palette, &mut actions),
        View::Checklist => checklist_view::checklist_ui(ui, session, state, palette, &mut actions),
    });
    export_dialog::export_window(ui, session, state, &mut actions);
    engagement::windows_ui(ui, session, state, &mut actions);
    evidence::progress_window(ui, session, &mut actions);
    actions
}

fn shortcuts(ui: &egui::Ui, session: &Session, state: &mut UiState, actions: &mut Vec<Action>) {
    let (find, escape, export, save) = ui.input(|i| {
        (
            i.modifiers.command && i.key_pressed(egui::Key::F),
            i.key_pressed(egui::Key::Escape),
            i.modifiers.command && i.key_pressed(egui::Key::E),
            i.modifiers.command && i.key_pressed(egui::Key::S),
        )
    });
    if save && session.engagement.is_some() && !state.modal_open() {
        engagement::save(session, state, actions);
    }
    if find {
        state.focus_search = true;
    }
    if escape && session.selected.is_some() && state.export.is_none() {
        actions.push(Action::Command(Command::Select(None)));
    }
    if export && state.export.is_none() {
        state.export = Some(export_dialog::ExportDialog::new(
            session,
            state.export_folder.as_deref(),
        ));
    }
}

fn toolbar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    actions: &mut Vec<Action>,
) {
    ui.add_space(4.0);
    // Row 1: views and actions.
    ui.horizontal(|ui| {
        ui.label(RichText::new("demarc").heading().strong());
        ui.separator();
        for (view, label) in [
            (View::Matrix, "Matrix"),
            (View::Compare, "Compare"),
            (View::Checklist, "Checklist"),
        ] {
            if ui.selectable_label(session.view == view, label).clicked() && session.view != view {
                actions.push(Action::Command(Command::SetView(view)));
            }
        }
        ui.separator();
        engagement::menu_ui(ui, session, state, actions);
        let import_tip = "AWS Config snapshot, CLI collection, Security Hub or Prowler output \
                          (or drop files on the window)";
        if ui
            .button("Import snapshot…")
            .on_hover_text(import_tip)
            .clicked()
        {
            state.open_import_prompt();
        }
        let export_tip = "Checklist, matrix or comparison (Ctrl+E)";
        if ui.button("Export…").on_hover_text(export_tip).clicked() {
            state.export = Some(export_dialog::ExportDialog::new(
                session,
                state.export_folder.as_deref(),
            ));
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            let dark = session.theme == ThemeChoice::Dark;
            let theme_label = if dark { "Light theme" } else { "Dark theme" };
            if ui
                .button(theme_label)
                .on_hover_text("Switch light / dark theme")
                .clicked()
            {
                let next = if dark {
                    ThemeChoice::Light
                } else {
                    ThemeChoice::Dark
                };
                actions.push(Action::Command(Command::SetTheme(next)));
            }
        });
    });
    // Row 2: what the matrix shows.
    ui.horizontal_wrapped(|ui| {
        let search_label = ui.label("Search");
        let search = ui
            .add(
                egui::TextEdit::singleline(&mut state.search_text)
                    .hint_text("Search controls, text, services (Ctrl+F)")
                    .desired_width(280.0),
            )
            .labelled_by(search_label.id);
        if state.focus_search {
            search.request_focus();
            state.focus_search = false;
        }
        if state.search_text != session.filters.query {
            actions.push(Action::Command(Command::SetQuery(
                state.search_text.clone(),
            )));
        }
        ui.separator();
        ui.label("Show owners:");
        let palette = Palette::new(session.theme);
        for owner in Owner::ALL {
            let on = session.filters.owners.contains(&owner);
            if widgets::owner_toggle(ui, palette, owner, on).clicked() {
                actions.push(Action::Command(Command::ToggleOwnerFilter(owner)));
            }
        }
        domain_menu(ui, session, actions);
        if !session.filters.is_empty() && ui.button("Clear filters").clicked() {
            state.search_text.clear();
            actions.push(Action::Command(Command::ClearFilters));
        }
    });
    ui.add_space(2.0);
}

fn domain_menu(ui: &mut egui::Ui, session: &Session, actions: &mut Vec<Action>) {
    let chosen = session.filters.domains.len();
    let title = if chosen == 0 {
        "Domains: all".to_owned()
    } else {
        format!("Domains: {chosen}")
    };
    ui.menu_button(title, |ui| {
        for domain in &session.catalog.domains {
            let mut on = session.filters.domains.contains(&domain.id);
            if ui
                .checkbox(&mut on, format!("{} {}", domain.id, domain.name))
                .clicked()
            {
                actions.push(Action::Command(Command::ToggleDomainFilter(
                    domain.id.clone(),
                )));
            }
        }
    });
}

fn status_ui(ui: &mut egui::Ui, session: &Session, palette: Palette, actions: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        widgets::legend_ui(ui, palette);
        ui.separator();
        let m = session.matrix();
        ui.label(format!(
            "{} services · {} of {} controls shown",
            m.columns.len(),
            m.row_count(),
            session.catalog.controls.len()
        ));
        if m.hidden_columns > 0 {
            ui.label(
                RichText::new(format!(
                    "· search shows {} of {} services",
                    m.columns.len(),
                    m.columns.len() + m.hidden_columns
                ))
                .color(palette.warning()),
            );
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            ui.label(
                RichText::new(format!(
                    "Catalog {} ({}) · offline",
                    session.catalog.info.version, session.catalog.info.date
                ))
                .color(palette.weak_text()),
            );
        });
    });
    for (index, note) in session.notifications.iter().enumerate() {
        ui.horizontal(|ui| {
            let color = match note.level {
                Level::Info => palette.text(),
                Level::Error => palette.error(),
            };
            let prefix = if note.level == Level::Error {
                "⚠ "
            } else {
                "✔ "
            };
            ui.label(RichText::new(format!("{prefix}{}", note.text)).color(color));
            if ui.small_button("Dismiss").clicked() {
                actions.push(Action::Command(Command::Dismiss(index)));
            }
        });
    }
}
