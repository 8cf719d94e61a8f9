//! The export window: what (checklist, matrix, comparison), which format, and where. The path
//! field always works; "Browse…" asks the shell for a native dialog, and when none can open on
//! this machine the path field is the way. Enter saves (from the path field too), Esc cancels.

use super::{Request, UiState};
use crate::export::Format;
use crate::model::words;
use crate::state::{ExportCommand, ExportKind, Session, View};
use egui::RichText;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq)]
pub struct ExportDialog {
    pub kind: ExportKind,
    pub format: Format,
    pub path: String,
}

impl ExportDialog {
    pub fn new(session: &Session, folder: Option<&Path>) -> Self {
        let kind = if session.view() == View::Compare {
            ExportKind::Comparison
        } else {
            ExportKind::Checklist
        };
        let mut dialog = ExportDialog {
            kind,
            format: Format::Markdown,
            path: String::new(),
        };
        dialog.path = dialog.suggested_path(session, folder).display().to_string();
        dialog
    }

    fn file_name(&self, session: &Session) -> String {
        format!(
            "demarc-{}-{}.{}",
            self.kind.file_stem(),
            session.today(),
            self.format.extension()
        )
    }

    fn suggested_path(&self, session: &Session, folder: Option<&Path>) -> PathBuf {
        folder
            .unwrap_or(Path::new("."))
            .join(self.file_name(session))
    }

    /// Keeps the folder the user chose and renews the file name after a kind or format change.
    fn renew_name(&mut self, session: &Session) {
        let current = PathBuf::from(&self.path);
        let folder = current.parent().map(Path::to_owned);
        self.path = self
            .suggested_path(session, folder.as_deref())
            .display()
            .to_string();
    }
}

pub fn export_window(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let Some(dialog) = state.export.as_mut() else {
        return;
    };
    let mut close = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let mut changed = false;
    let mut submit = false;
    let formats = |kind: ExportKind| kind.formats(session.engagement().is_some());
    egui::Window::new("Export")
        .collapsible(false)
        .resizable(false)
        .default_width(560.0)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                ui.label("What:");
                for kind in ExportKind::ALL {
                    if ui
                        .radio_value(&mut dialog.kind, kind, kind.label())
                        .changed()
                    {
                        if !formats(kind).contains(&dialog.format) {
                            dialog.format = Format::Markdown;
                        }
                        changed = true;
                    }
                }
            });
            ui.horizontal(|ui| {
                ui.label("Format:");
                for format in formats(dialog.kind) {
                    if ui
                        .radio_value(&mut dialog.format, *format, format.label())
                        .changed()
                    {
                        changed = true;
                    }
                }
            });
            let scope_note = match dialog.kind {
                ExportKind::Checklist => format!(
                    "{}; customer and shared controls.",
                    words::count(session.scope().len(), "service", "services")
                ),
                ExportKind::Matrix => format!(
                    "{} x {} as shown (filters apply).",
                    words::count(session.matrix().columns.len(), "service", "services"),
                    words::controls(session.matrix().row_count())
                ),
                ExportKind::Comparison => format!(
                    "{} of the Compare view.",
                    words::count(session.comparison().columns.len(), "column", "columns")
                ),
            };
            ui.label(RichText::new(scope_note).weak());
            ui.horizontal(|ui| {
                let label = ui.label("Save to:");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut dialog.path).desired_width(400.0))
                    .labelled_by(label.id);
                // A single-line field gives up the focus on Enter: that is the submit.
                submit |= field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                if ui.button("Browse…").clicked() {
                    out.push(Request::BrowseSavePath(PathBuf::from(&dialog.path)));
                }
            });
            if state.dialog_unavailable {
                ui.label(
                    RichText::new(
                        "No file dialog is available on this system: type the full path above.",
                    )
                    .weak(),
                );
            }
            // Enter with nothing focused submits too.
            submit |= ui.memory(|m| m.focused().is_none())
                && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let path_ok = !dialog.path.trim().is_empty();
                let save = ui
                    .add_enabled(path_ok, egui::Button::new(RichText::new("Save").strong()))
                    .on_hover_text("Enter");
                if path_ok && (save.clicked() || submit) {
                    out.push(Request::Command(
                        ExportCommand::Write {
                            kind: dialog.kind,
                            format: dialog.format,
                            path: PathBuf::from(dialog.path.trim()),
                        }
                        .into(),
                    ));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
        });
    if changed {
        dialog.renew_name(session);
    }
    if close {
        state.export = None;
    }
}
