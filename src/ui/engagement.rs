//! Engagement controls: the menu, the bar under the toolbar (progress, recovery, catalog
//! changes, save conflicts), the new/open/save-as windows, and the item editor used by the
//! detail panel and the checklist view.

use super::actions::{self, Action};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::engagement::{Assignee, Item, ItemKey, Status};
use crate::state::{Command, EngagementCommand, ImportCommand, ItemEdit, Session, ViewCommand};
use egui::{RichText, Sense, vec2};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewEngagementForm {
    pub client: String,
    pub title: String,
}

impl NewEngagementForm {
    pub fn new() -> Self {
        NewEngagementForm {
            client: String::new(),
            title: "Shared responsibility review".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePromptKind {
    Open,
    SaveAs,
    /// An account snapshot: a file, a folder or a zip.
    Import,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePrompt {
    pub kind: FilePromptKind,
    pub path: String,
    /// Why the path did not work last time (a failed import), shown in the prompt.
    pub error: Option<String>,
    /// The verb was clicked (not Cancel).
    pub submitted: bool,
}

fn cmd(out: &mut Vec<Request>, command: impl Into<Command>) {
    out.push(Request::Command(command.into()));
}

fn edit(out: &mut Vec<Request>, key: &ItemKey, edit: ItemEdit) {
    cmd(
        out,
        EngagementCommand::EditItem {
            key: key.clone(),
            edit,
        },
    );
}

fn default_folder(state: &UiState) -> PathBuf {
    state
        .export_folder
        .clone()
        .unwrap_or_else(|| PathBuf::from("."))
}

/// A file name from the client's name: "Acme Retail" -> `acme-retail.demarc.json`.
pub fn suggested_file_name(client: &str) -> String {
    let slug: String = client
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "engagement".to_owned()
    } else {
        slug
    };
    format!("{slug}{}", crate::model::engagement::FILE_SUFFIX)
}

/// Opens the save-as prompt, or saves in place when the engagement has a file.
pub fn save(session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let Some(e) = session.engagement() else {
        return;
    };
    if e.path.is_some() {
        cmd(
            out,
            EngagementCommand::Save {
                path: None,
                overwrite: false,
            },
        );
    } else {
        save_as(session, state);
    }
}

pub fn save_as(session: &Session, state: &mut UiState) {
    let Some(e) = session.engagement() else {
        return;
    };
    let path = e
        .path
        .clone()
        .unwrap_or_else(|| default_folder(state).join(suggested_file_name(&e.doc.client)));
    state.file_prompt = Some(FilePrompt {
        kind: FilePromptKind::SaveAs,
        path: path.display().to_string(),
        error: None,
        submitted: false,
    });
}

/// The open prompt, starting at the most recent file (or the export folder).
pub fn open_prompt(session: &Session, state: &mut UiState) {
    let start = session
        .recent()
        .first()
        .cloned()
        .unwrap_or_else(|| default_folder(state).join(""));
    state.file_prompt = Some(FilePrompt {
        kind: FilePromptKind::Open,
        path: start.display().to_string(),
        error: None,
        submitted: false,
    });
}

pub fn menu_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    ui.menu_button("Engagement", |ui| {
        actions::menu_item(ui, Action::NewEngagement, session, state, out);
        actions::menu_item(ui, Action::OpenEngagement, session, state, out);
        ui.menu_button("Open recent", |ui| {
            if session.recent().is_empty() {
                ui.label("No recent files");
            }
            for path in session.recent() {
                if ui.button(path.display().to_string()).clicked() {
                    cmd(out, EngagementCommand::Open(path.clone()));
                }
            }
        });
        actions::menu_item(ui, Action::SaveEngagement, session, state, out);
        actions::menu_item(ui, Action::SaveEngagementAs, session, state, out);
        actions::menu_item(ui, Action::CloseEngagement, session, state, out);
    });
}

/// The bar under the toolbar while an engagement is open.
pub fn bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let Some(e) = session.engagement() else {
        return;
    };
    let progress = e.doc.progress(session.catalog());
    ui.horizontal_wrapped(|ui| {
        let marker = if e.dirty() { " · unsaved changes" } else { "" };
        ui.label(RichText::new(format!("{} · {}", e.doc.client, e.doc.title)).strong());
        ui.label(RichText::new(format!("{}{marker}", e.doc.date)).color(palette.weak_text()));
        ui.separator();
        ui.label(format!("Resolved {}", progress.total));
        ui.add(
            egui::ProgressBar::new(progress.total.percent() as f32 / 100.0).desired_width(180.0),
        );
        actions::button(ui, Action::SaveEngagement, session, state, out);
    });
    if let Some(recovery) = &e.recovery {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "Unsaved changes from an earlier session were found ({}).",
                    recovery.autosave.display()
                ))
                .color(palette.warning()),
            );
            if ui.button("Restore them").clicked() {
                cmd(out, EngagementCommand::RestoreRecovery);
            }
            if ui.button("Discard").clicked() {
                cmd(out, EngagementCommand::DismissRecovery);
            }
        });
    }
    if !e.owner_changes.is_empty() {
        owner_changes_ui(ui, session, palette, out);
    }
    if let Some(conflict) = &e.conflict {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(conflict).color(palette.error()));
            if ui.button("Save anyway (keep theirs as .bak)").clicked() {
                cmd(
                    out,
                    EngagementCommand::Save {
                        path: e.path.clone(),
                        overwrite: true,
                    },
                );
            }
            if ui.button("Cancel").clicked() {
                cmd(out, EngagementCommand::DismissConflict);
            }
        });
    }
}

/// Decided items whose owner changed with the catalog, each a link to its cell.
fn owner_changes_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let Some(e) = session.engagement() else {
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(
            RichText::new(format!(
                "{} changed owner since catalog {} (now {}):",
                crate::model::words::count(e.owner_changes.len(), "decided item", "decided items"),
                e.doc.catalog_version,
                session.catalog().info.version
            ))
            .color(palette.warning()),
        );
        for change in e.owner_changes.iter().take(6) {
            let after = change.after.map_or("removed", |o| o.label());
            if ui
                .link(format!(
                    "{}: {} to {after}",
                    change.key,
                    change.before.label()
                ))
                .clicked()
            {
                cmd(
                    out,
                    ViewCommand::Select(Some((
                        change.key.service.clone(),
                        change.key.control.clone(),
                    ))),
                );
            }
        }
        if ui.button("Mark reviewed").clicked() {
            cmd(out, EngagementCommand::AcceptCatalogChanges);
        }
    });
}

/// New engagement, open and save-as windows.
pub fn windows_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    if let Some(form) = state.new_engagement.as_mut()
        && new_engagement_window(ui, session, form, out)
    {
        state.new_engagement = None;
    }
    let dialog_unavailable = state.dialog_unavailable;
    if let Some(prompt) = state.file_prompt.as_mut()
        && file_prompt_window(ui, prompt, dialog_unavailable, out)
    {
        if prompt.kind == FilePromptKind::Import && prompt.submitted {
            // Remembered until the import reports back: a path that failed comes back.
            state.pending_import = Some((session.failed_import().0, prompt.path.trim().to_owned()));
            state.last_import_path = Some(prompt.path.clone());
        }
        state.file_prompt = None;
    }
    reopen_failed_import(session, state);
}

/// When the import typed in the prompt could not read its path, the prompt opens again with
/// the path as typed and the reason, so nothing has to be typed twice.
fn reopen_failed_import(session: &Session, state: &mut UiState) {
    let Some((asked_at, path)) = &state.pending_import else {
        return;
    };
    let (finished, failures) = session.failed_import();
    if finished <= *asked_at {
        return;
    }
    let failure = failures
        .iter()
        .find(|(p, _)| Path::new(p) == Path::new(path))
        .map(|(_, why)| why.clone());
    if let Some(why) = failure
        && state.file_prompt.is_none()
    {
        state.file_prompt = Some(FilePrompt {
            kind: FilePromptKind::Import,
            path: path.clone(),
            error: Some(why),
            submitted: false,
        });
    }
    state.pending_import = None;
}

/// The new engagement window; true when it should close.
fn new_engagement_window(
    ui: &mut egui::Ui,
    session: &Session,
    form: &mut NewEngagementForm,
    out: &mut Vec<Request>,
) -> bool {
    let mut close = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let mut submit = false;
    egui::Window::new("New engagement")
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.label(format!(
                "Scope: the {} in the matrix now ({}).",
                crate::model::words::count(session.scope().len(), "service", "services"),
                session
                    .scope()
                    .iter()
                    .map(crate::model::ServiceRef::key)
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            egui::Grid::new("new-engagement")
                .num_columns(2)
                .show(ui, |ui| {
                    let label = ui.label("Client:");
                    let client = ui
                        .add(egui::TextEdit::singleline(&mut form.client).desired_width(320.0))
                        .labelled_by(label.id);
                    // The client is typed first: the field has the keyboard when the window opens.
                    if form.client.is_empty() && ui.memory(|m| m.focused().is_none()) {
                        client.request_focus();
                    }
                    ui.end_row();
                    let label = ui.label("Title:");
                    let title = ui
                        .add(egui::TextEdit::singleline(&mut form.title).desired_width(320.0))
                        .labelled_by(label.id);
                    ui.end_row();
                    submit = enter_submits(ui, &[&client, &title]);
                });
            ui.horizontal(|ui| {
                let ready = !form.client.trim().is_empty();
                let create = ui
                    .add_enabled(ready, egui::Button::new(RichText::new("Create").strong()))
                    .on_hover_text("Enter");
                if ready && (create.clicked() || submit) {
                    cmd(
                        out,
                        EngagementCommand::New {
                            client: form.client.clone(),
                            title: form.title.clone(),
                        },
                    );
                    close = true;
                }
                if ui.button("Cancel").on_hover_text("Esc").clicked() {
                    close = true;
                }
            });
        });
    close
}

/// Enter confirms a dialog: pressed in one of its single-line `fields` (which gives up the
/// focus on Enter) or with nothing focused.
fn enter_submits(ui: &egui::Ui, fields: &[&egui::Response]) -> bool {
    let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
    enter && (fields.iter().any(|f| f.lost_focus()) || ui.memory(|m| m.focused().is_none()))
}

/// The open / save as / import prompt with its path field; true when it should close.
fn file_prompt_window(
    ui: &mut egui::Ui,
    prompt: &mut FilePrompt,
    dialog_unavailable: bool,
    out: &mut Vec<Request>,
) -> bool {
    let mut close = ui.input(|i| i.key_pressed(egui::Key::Escape));
    let mut submit = false;
    let (title, verb) = match prompt.kind {
        FilePromptKind::Open => ("Open engagement", "Open"),
        FilePromptKind::SaveAs => ("Save engagement as", "Save"),
        FilePromptKind::Import => ("Import account snapshot", "Import"),
    };
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            ui.horizontal(|ui| {
                let label = ui.label("File:");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut prompt.path).desired_width(420.0))
                    .labelled_by(label.id);
                submit = enter_submits(ui, &[&field]);
                if ui.button("Browse…").clicked() {
                    let start = PathBuf::from(&prompt.path);
                    out.push(match prompt.kind {
                        FilePromptKind::Open => Request::BrowseOpenEngagement(start),
                        FilePromptKind::SaveAs => Request::BrowseSaveEngagement(start),
                        FilePromptKind::Import => Request::BrowseImport {
                            start,
                            folder: false,
                        },
                    });
                }
                if prompt.kind == FilePromptKind::Import && ui.button("Folder…").clicked() {
                    out.push(Request::BrowseImport {
                        start: PathBuf::from(&prompt.path),
                        folder: true,
                    });
                }
            });
            if prompt.kind == FilePromptKind::Import {
                ui.label(
                    RichText::new(
                        "An AWS Config snapshot (.json or .json.gz), a folder or .zip made by \
                         scripts/collect-aws-snapshot.sh, Security Hub get-findings output, or \
                         a Prowler JSON-OCSF file. Several can be imported one after another; \
                         you can also drop files on the window.",
                    )
                    .weak(),
                );
            }
            if dialog_unavailable {
                ui.label(
                    RichText::new(
                        "No file dialog is available on this system: type the full path above.",
                    )
                    .weak(),
                );
            }
            if let Some(error) = &prompt.error {
                ui.label(
                    RichText::new(format!("Could not import it: {error}"))
                        .color(ui.visuals().error_fg_color),
                );
            }
            ui.horizontal(|ui| {
                let path = PathBuf::from(prompt.path.trim());
                let ready = !prompt.path.trim().is_empty();
                let confirm = ui
                    .add_enabled(ready, egui::Button::new(RichText::new(verb).strong()))
                    .on_hover_text("Enter");
                if ready && (confirm.clicked() || submit) {
                    out.push(Request::Command(match prompt.kind {
                        FilePromptKind::Open => EngagementCommand::Open(path).into(),
                        FilePromptKind::SaveAs => EngagementCommand::Save {
                            path: Some(with_suffix(&path)),
                            overwrite: false,
                        }
                        .into(),
                        FilePromptKind::Import => ImportCommand::Start(vec![path]).into(),
                    }));
                    prompt.submitted = true;
                    close = true;
                }
                if ui.button("Cancel").on_hover_text("Esc").clicked() {
                    close = true;
                }
            });
        });
    close
}

/// `acme` -> `acme.demarc.json`; a path that already ends in `.json` is kept.
fn with_suffix(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let json = Path::new(&name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if json || name.is_empty() {
        path.to_owned()
    } else {
        path.with_file_name(format!("{name}{}", crate::model::engagement::FILE_SUFFIX))
    }
}

/// A clickable status chip; clicking cycles the status. Accessible label: "Status of KEY: Open".
pub fn status_chip(
    ui: &mut egui::Ui,
    palette: Palette,
    key: &ItemKey,
    status: Status,
    out: &mut Vec<Request>,
) -> egui::Response {
    let response = chip(
        ui,
        palette,
        status,
        &format!("Status of {key}: {}", status.label()),
    );
    if response.clicked() {
        edit(out, key, ItemEdit::CycleStatus);
    }
    response.on_hover_text("Click (or Space) to move to the next status; keys 1 to 5 choose one")
}

/// A status chip of a fixed width in the status's colour, with an accessible label.
pub fn chip(ui: &mut egui::Ui, palette: Palette, status: Status, label: &str) -> egui::Response {
    let text = status.label();
    let galley = ui.painter().layout_no_wrap(
        text.to_owned(),
        egui::TextStyle::Button.resolve(ui.style()),
        palette.status_text(status),
    );
    // As wide as the widest status at this text size, so the columns after it line up.
    let font = egui::TextStyle::Button.resolve(ui.style());
    let widest = Status::ALL
        .iter()
        .map(|s| {
            ui.painter()
                .layout_no_wrap(s.label().to_owned(), font.clone(), palette.text())
                .size()
                .x
        })
        .fold(galley.size().x, f32::max);
    let width = (widest + 16.0).max(118.0);
    let (rect, response) =
        ui.allocate_exact_size(vec2(width, galley.size().y + 6.0), Sense::click());
    ui.painter().rect_filled(
        rect,
        egui::CornerRadius::same(4),
        palette.status_fill(status),
    );
    if response.hovered() {
        ui.painter().rect_stroke(
            rect,
            egui::CornerRadius::same(4),
            palette.hover(),
            egui::StrokeKind::Inside,
        );
    }
    ui.painter()
        .galley(rect.center() - galley.size() / 2.0, galley, palette.text());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, label));
    response
}

const ASSIGNEE_CHOICES: [(&str, &str); 6] = [
    ("none", "Unassigned"),
    ("aws", "AWS"),
    ("client_platform", "Client platform team"),
    ("client_application", "Client application team"),
    ("third_party", "Third party (MSP, vendor)…"),
    ("other", "Someone else…"),
];

/// Status, assignee, due date and note of one item. One row each, label first: the status
/// buttons wrap within the panel and never slide under the assignee box; the note wraps at
/// the panel's edge.
pub fn item_editor_ui(
    ui: &mut egui::Ui,
    session: &Session,
    key: &ItemKey,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let Some(e) = session.engagement() else {
        return;
    };
    let item = e.item(key);
    ui.push_id(("item-editor", key.to_string()), |ui| {
        // One wrapped line for status, assignee and due date: the list above keeps its rows.
        ui.horizontal_wrapped(|ui| {
            if let Some(status) = status_buttons_ui(ui, item.status) {
                edit(out, key, ItemEdit::Status(status));
            }
            ui.separator();
            let label = ui.label("Assignee:");
            let salt = format!("assignee {key}");
            if let Some(assignee) = assignee_ui(ui, &salt, item.assignee.as_ref(), label.id) {
                edit(out, key, ItemEdit::Assignee(assignee));
            }
            ui.separator();
            let label = ui.label("Due:");
            due_ui(ui, key, &item, label.id, state, palette, out);
        });
        // Notes are internal: never on the screen while presenting.
        if session.presenting() {
            return;
        }
        let label = ui.label("Note:");
        let focus = state.focus_note.as_ref() == Some(key);
        if focus {
            state.focus_note = None;
        }
        if let Some(note) = note_ui(ui, &item.note, label.id, focus) {
            edit(out, key, ItemEdit::Note(note));
        }
    });
}

/// "Status:" and the five statuses as buttons, with their number keys, in the caller's
/// (wrapping) line; the status chosen, if one was clicked.
pub fn status_buttons_ui(ui: &mut egui::Ui, current: Status) -> Option<Status> {
    let mut chosen = None;
    ui.label("Status:");
    for (n, status) in Status::ALL.into_iter().enumerate() {
        let response = ui
            .selectable_label(current == status, status.label())
            .on_hover_text(format!("Key {}", n + 1));
        if response.clicked() && current != status {
            chosen = Some(status);
        }
    }
    chosen
}

/// The assignee choice, and the name of a third party or someone else. The new assignee, if
/// it changed.
pub fn assignee_ui(
    ui: &mut egui::Ui,
    id_salt: &str,
    assignee: Option<&Assignee>,
    label: egui::Id,
) -> Option<Option<Assignee>> {
    let mut changed = None;
    let current = assignee.map_or("none", Assignee::kind);
    let shown = ASSIGNEE_CHOICES
        .iter()
        .find(|(k, _)| *k == current)
        .map_or("Unassigned", |(_, l)| l);
    let combo = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(shown)
        .width(210.0)
        .show_ui(ui, |ui| {
            for (kind, text) in ASSIGNEE_CHOICES {
                if ui.selectable_label(current == kind, text).clicked() && current != kind {
                    let keep = match assignee {
                        Some(Assignee::ThirdParty(t) | Assignee::Other(t)) => t.clone(),
                        _ => String::new(),
                    };
                    changed = Some(match kind {
                        "aws" => Some(Assignee::Aws),
                        "client_platform" => Some(Assignee::ClientPlatform),
                        "client_application" => Some(Assignee::ClientApplication),
                        "third_party" => Some(Assignee::ThirdParty(keep)),
                        "other" => Some(Assignee::Other(keep)),
                        _ => None,
                    });
                }
            }
        });
    combo.response.labelled_by(label);
    if let Some(Assignee::ThirdParty(name) | Assignee::Other(name)) = assignee {
        let third_party = matches!(assignee, Some(Assignee::ThirdParty(_)));
        let mut text = name.clone();
        let hint = if third_party {
            "MSP or vendor name"
        } else {
            "who"
        };
        let field = ui.add(
            egui::TextEdit::singleline(&mut text)
                .hint_text(hint)
                .desired_width(180.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Assignee name")
        });
        if field.changed() {
            changed = Some(Some(if third_party {
                Assignee::ThirdParty(text)
            } else {
                Assignee::Other(text)
            }));
        }
    }
    changed
}

/// The due date: typed freely, committed when valid and the field loses focus (or Enter).
fn due_ui(
    ui: &mut egui::Ui,
    key: &ItemKey,
    item: &Item,
    label: egui::Id,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let editing = state
        .due_edit
        .as_ref()
        .filter(|(k, _)| k == key)
        .map(|(_, t)| t.clone());
    let mut text = editing
        .clone()
        .unwrap_or_else(|| item.due.clone().unwrap_or_default());
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut text)
                .hint_text("YYYY-MM-DD")
                .desired_width(120.0),
        )
        .labelled_by(label);
    if field.changed() {
        state.due_edit = Some((key.clone(), text.clone()));
    }
    let valid = text.trim().is_empty() || crate::model::validate::is_iso_date(text.trim());
    if !valid {
        ui.label(RichText::new("use YYYY-MM-DD").color(palette.error()));
    }
    // Esc leaves the field and forgets what was typed.
    if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        state.due_edit = None;
        return;
    }
    let commit =
        field.lost_focus() || (field.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
    if commit && editing.is_some() {
        if valid {
            let due = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
            if due != item.due {
                edit(out, key, ItemEdit::Due(due));
            }
        }
        state.due_edit = None;
    }
}

/// The note, wrapping at the panel's edge; it takes the focus when typing started in the
/// checklist. Every keystroke is kept; Esc leaves the field and puts back the note it had when
/// the field took the focus. The new text, if it changed.
pub fn note_ui(ui: &mut egui::Ui, note: &str, label: egui::Id, focus: bool) -> Option<String> {
    let mut text = note.to_owned();
    let field = ui
        .add(
            egui::TextEdit::multiline(&mut text)
                .desired_rows(2)
                .desired_width(ui.available_width())
                .hint_text("What was agreed, evidence, follow-ups"),
        )
        .labelled_by(label);
    if focus {
        field.request_focus();
    }
    if field.gained_focus() {
        ui.data_mut(|d| d.insert_temp(field.id, note.to_owned()));
    }
    if field.lost_focus() {
        let before: Option<String> = ui.data_mut(|d| d.remove_temp(field.id));
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            return before.filter(|b| b != note);
        }
    }
    field.changed().then_some(text)
}
