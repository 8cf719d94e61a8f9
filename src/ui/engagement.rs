//! Engagement controls: the menu, the bar under the toolbar (progress, recovery, catalog
//! changes, save conflicts), the new/open/save-as windows, and the item editor used by the
//! detail panel and the checklist view.

use super::theme::Palette;
use super::{Action, UiState};
use crate::model::engagement::{Assignee, ItemKey, Status};
use crate::state::{Command, ItemEdit, Session, View};
use egui::{RichText, Sense, vec2};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewEngagementForm {
    pub client: String,
    pub title: String,
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
}

fn cmd(actions: &mut Vec<Action>, command: Command) {
    actions.push(Action::Command(command));
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
pub fn save(session: &Session, state: &mut UiState, actions: &mut Vec<Action>) {
    let Some(e) = &session.engagement else { return };
    if e.path.is_some() {
        cmd(
            actions,
            Command::SaveEngagement {
                path: None,
                overwrite: false,
            },
        );
    } else {
        save_as(session, state);
    }
}

pub fn save_as(session: &Session, state: &mut UiState) {
    let Some(e) = &session.engagement else { return };
    let path = e
        .path
        .clone()
        .unwrap_or_else(|| default_folder(state).join(suggested_file_name(&e.doc.client)));
    state.file_prompt = Some(FilePrompt {
        kind: FilePromptKind::SaveAs,
        path: path.display().to_string(),
    });
}

pub fn menu_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    actions: &mut Vec<Action>,
) {
    ui.menu_button("Engagement", |ui| {
        if ui.button("New engagement…").clicked() {
            state.new_engagement = Some(NewEngagementForm {
                client: String::new(),
                title: "Shared responsibility review".into(),
            });
        }
        if ui.button("Open…").clicked() {
            let start = session
                .recent
                .first()
                .cloned()
                .unwrap_or_else(|| default_folder(state).join(""));
            state.file_prompt = Some(FilePrompt {
                kind: FilePromptKind::Open,
                path: start.display().to_string(),
            });
        }
        ui.menu_button("Open recent", |ui| {
            if session.recent.is_empty() {
                ui.label("No recent files");
            }
            for path in &session.recent {
                if ui.button(path.display().to_string()).clicked() {
                    cmd(actions, Command::OpenEngagement(path.clone()));
                }
            }
        });
        let open = session.engagement.is_some();
        if ui
            .add_enabled(open, egui::Button::new("Save (Ctrl+S)"))
            .clicked()
        {
            save(session, state, actions);
        }
        if ui
            .add_enabled(open, egui::Button::new("Save as…"))
            .clicked()
        {
            save_as(session, state);
        }
        if ui
            .add_enabled(open, egui::Button::new("Close engagement"))
            .clicked()
        {
            cmd(actions, Command::CloseEngagement);
        }
    });
}

/// The bar under the toolbar while an engagement is open.
pub fn bar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    actions: &mut Vec<Action>,
) {
    let Some(e) = &session.engagement else { return };
    let progress = e.doc.progress(&session.catalog);
    ui.horizontal_wrapped(|ui| {
        let marker = if e.dirty() { " · unsaved changes" } else { "" };
        ui.label(RichText::new(format!("{} · {}", e.doc.client, e.doc.title)).strong());
        ui.label(RichText::new(format!("{}{marker}", e.doc.date)).color(palette.weak_text()));
        ui.separator();
        ui.label(format!("Resolved {}", progress.total));
        ui.add(
            egui::ProgressBar::new(progress.total.percent() as f32 / 100.0).desired_width(180.0),
        );
        if ui.button("Save").clicked() {
            save(session, state, actions);
        }
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
                cmd(actions, Command::RestoreRecovery);
            }
            if ui.button("Discard").clicked() {
                cmd(actions, Command::DismissRecovery);
            }
        });
    }
    if !e.owner_changes.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} decided item(s) changed owner since catalog {} (now {}):",
                    e.owner_changes.len(),
                    e.doc.catalog_version,
                    session.catalog.info.version
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
                        actions,
                        Command::Select(Some((
                            change.key.service.clone(),
                            change.key.control.clone(),
                        ))),
                    );
                }
            }
            if ui.button("Mark reviewed").clicked() {
                cmd(actions, Command::AcceptCatalogChanges);
            }
        });
    }
    if let Some(conflict) = &e.conflict {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(conflict).color(palette.error()));
            if ui.button("Save anyway (keep theirs as .bak)").clicked() {
                cmd(
                    actions,
                    Command::SaveEngagement {
                        path: e.path.clone(),
                        overwrite: true,
                    },
                );
            }
            if ui.button("Cancel").clicked() {
                cmd(actions, Command::DismissConflict);
            }
        });
    }
}

/// New engagement, open and save-as windows.
pub fn windows_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    actions: &mut Vec<Action>,
) {
    if let Some(form) = state.new_engagement.as_mut() {
        let mut close = false;
        egui::Window::new("New engagement")
            .collapsible(false)
            .resizable(false)
            .show(ui.ctx(), |ui| {
                ui.label(format!(
                    "Scope: the {} services in the matrix now ({}).",
                    session.scope.len(),
                    session
                        .scope
                        .iter()
                        .map(crate::model::ServiceRef::key)
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                egui::Grid::new("new-engagement")
                    .num_columns(2)
                    .show(ui, |ui| {
                        let label = ui.label("Client:");
                        ui.add(egui::TextEdit::singleline(&mut form.client).desired_width(320.0))
                            .labelled_by(label.id);
                        ui.end_row();
                        let label = ui.label("Title:");
                        ui.add(egui::TextEdit::singleline(&mut form.title).desired_width(320.0))
                            .labelled_by(label.id);
                        ui.end_row();
                    });
                ui.horizontal(|ui| {
                    let ready = !form.client.trim().is_empty();
                    if ui.add_enabled(ready, egui::Button::new("Create")).clicked() {
                        cmd(
                            actions,
                            Command::NewEngagement {
                                client: form.client.clone(),
                                title: form.title.clone(),
                            },
                        );
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            state.new_engagement = None;
        }
    }
    if let Some(prompt) = state.file_prompt.as_mut() {
        let mut close = false;
        let title = match prompt.kind {
            FilePromptKind::Open => "Open engagement",
            FilePromptKind::SaveAs => "Save engagement as",
            FilePromptKind::Import => "Import account snapshot",
        };
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .show(ui.ctx(), |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("File:");
                    ui.add(egui::TextEdit::singleline(&mut prompt.path).desired_width(420.0))
                        .labelled_by(label.id);
                    if ui.button("Browse…").clicked() {
                        let start = PathBuf::from(&prompt.path);
                        actions.push(match prompt.kind {
                            FilePromptKind::Open => Action::BrowseOpenEngagement(start),
                            FilePromptKind::SaveAs => Action::BrowseSaveEngagement(start),
                            FilePromptKind::Import => Action::BrowseImport {
                                start,
                                folder: false,
                            },
                        });
                    }
                    if prompt.kind == FilePromptKind::Import && ui.button("Folder…").clicked() {
                        actions.push(Action::BrowseImport {
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
                if state.dialog_unavailable {
                    ui.label(
                        RichText::new(
                            "No file dialog is available on this system: type the full path above.",
                        )
                        .weak(),
                    );
                }
                ui.horizontal(|ui| {
                    let path = PathBuf::from(prompt.path.trim());
                    let ready = !prompt.path.trim().is_empty();
                    let verb = match prompt.kind {
                        FilePromptKind::Open => "Open",
                        FilePromptKind::SaveAs => "Save",
                        FilePromptKind::Import => "Import",
                    };
                    if ui.add_enabled(ready, egui::Button::new(verb)).clicked() {
                        cmd(
                            actions,
                            match prompt.kind {
                                FilePromptKind::Open => Command::OpenEngagement(path),
                                FilePromptKind::SaveAs => Command::SaveEngagement {
                                    path: Some(with_suffix(&path)),
                                    overwrite: false,
                                },
                                FilePromptKind::Import => Command::Import(vec![path]),
                            },
                        );
                        close = true;
                    }
                    if ui.button("Cancel").clicked() {
                        close = true;
                    }
                });
            });
        if close {
            state.file_prompt = None;
        }
    }
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
    actions: &mut Vec<Action>,
) -> egui::Response {
    let text = status.label();
    let galley = ui.painter().layout_no_wrap(
        text.to_owned(),
        egui::TextStyle::Button.resolve(ui.style()),
        palette.status_text(status),
    );
    let (rect, response) =
        ui.allocate_exact_size(vec2(118.0, galley.size().y + 6.0), Sense::click());
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
    let label = format!("Status of {key}: {}", status.label());
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    if response.clicked() {
        cmd(
            actions,
            Command::EditItem {
                key: key.clone(),
                edit: ItemEdit::CycleStatus,
            },
        );
    }
    response.on_hover_text("Click (or Space in the checklist) to move to the next status")
}

const ASSIGNEE_CHOICES: [(&str, &str); 6] = [
    ("none", "Unassigned"),
    ("aws", "AWS"),
    ("client_platform", "Client platform team"),
    ("client_application", "Client application team"),
    ("third_party", "Third party (MSP, vendor)…"),
    ("other", "Someone else…"),
];

/// Status, assignee, due date and note of one item.
pub fn item_editor_ui(
    ui: &mut egui::Ui,
    session: &Session,
    key: &ItemKey,
    state: &mut UiState,
    palette: Palette,
    actions: &mut Vec<Action>,
) {
    let Some(e) = &session.engagement else { return };
    let item = e.item(key);
    egui::Grid::new(("item-editor", key.to_string()))
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("Status:");
            ui.horizontal_wrapped(|ui| {
                for status in Status::ALL {
                    let response = ui.selectable_label(item.status == status, status.label());
                    if response.clicked() && item.status != status {
                        cmd(
                            actions,
                            Command::EditItem {
                                key: key.clone(),
                                edit: ItemEdit::Status(status),
                            },
                        );
                    }
                }
            });
            ui.end_row();

            let label = ui.label("Assignee:");
            ui.horizontal(|ui| {
                let current = item.assignee.as_ref().map_or("none", Assignee::kind);
                let shown = ASSIGNEE_CHOICES
                    .iter()
                    .find(|(k, _)| *k == current)
                    .map_or("Unassigned", |(_, l)| l);
                let combo = egui::ComboBox::from_id_salt(("assignee", key.to_string()))
                    .selected_text(shown)
                    .width(210.0)
                    .show_ui(ui, |ui| {
                        for (kind, text) in ASSIGNEE_CHOICES {
                            if ui.selectable_label(current == kind, text).clicked()
                                && current != kind
                            {
                                let keep = match &item.assignee {
                                    Some(Assignee::ThirdParty(t) | Assignee::Other(t)) => t.clone(),
                                    _ => String::new(),
                                };
                                let assignee = match kind {
                                    "aws" => Some(Assignee::Aws),
                                    "client_platform" => Some(Assignee::ClientPlatform),
                                    "client_application" => Some(Assignee::ClientApplication),
                                    "third_party" => Some(Assignee::ThirdParty(keep)),
                                    "other" => Some(Assignee::Other(keep)),
                                    _ => None,
                                };
                                cmd(
                                    actions,
                                    Command::EditItem {
                                        key: key.clone(),
                                        edit: ItemEdit::Assignee(assignee),
                                    },
                                );
                            }
                        }
                    });
                combo.response.labelled_by(label.id);
                if let Some(Assignee::ThirdParty(name) | Assignee::Other(name)) = &item.assignee {
                    let mut text = name.clone();
                    let hint = if matches!(item.assignee, Some(Assignee::ThirdParty(_))) {
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
                        let assignee = if matches!(item.assignee, Some(Assignee::ThirdParty(_))) {
                            Assignee::ThirdParty(text)
                        } else {
                            Assignee::Other(text)
                        };
                        cmd(
                            actions,
                            Command::EditItem {
                                key: key.clone(),
                                edit: ItemEdit::Assignee(Some(assignee)),
                            },
                        );
                    }
                }
            });
            ui.end_row();

            let label = ui.label("Due:");
            ui.horizontal(|ui| {
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
                    .labelled_by(label.id);
                if field.changed() {
                    state.due_edit = Some((key.clone(), text.clone()));
                }
                let valid =
                    text.trim().is_empty() || crate::model::validate::is_iso_date(text.trim());
                if !valid {
                    ui.label(RichText::new("use YYYY-MM-DD").color(palette.error()));
                }
                let commit = field.lost_focus()
                    || (field.has_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)));
                if commit && editing.is_some() {
                    if valid {
                        let due = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                        if due != item.due {
                            cmd(
                                actions,
                                Command::EditItem {
                                    key: key.clone(),
                                    edit: ItemEdit::Due(due),
                                },
                            );
                        }
                    }
                    state.due_edit = None;
                }
            });
            ui.end_row();

            let label = ui.label("Note:");
            let mut note = item.note.clone();
            let field = ui.add(
                egui::TextEdit::multiline(&mut note)
                    .desired_rows(3)
                    .desired_width(f32::INFINITY)
                    .hint_text("What was agreed, evidence, follow-ups"),
            );
            let field = field.labelled_by(label.id);
            if state.focus_note.as_ref() == Some(key) {
                field.request_focus();
                state.focus_note = None;
            }
            if field.changed() {
                cmd(
                    actions,
                    Command::EditItem {
                        key: key.clone(),
                        edit: ItemEdit::Note(note),
                    },
                );
            }
            ui.end_row();
        });
    let _ = View::Checklist;
}
