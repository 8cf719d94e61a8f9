//! The engagement checklist, made for speed while people talk: every customer or shared item
//! of the scope, grouped by domain, with progress per domain and per service. Keyboard: Up/Down
//! move, Space cycles the status, typing goes to the note.

use super::engagement::{item_editor_ui, status_chip};
use super::theme::Palette;
use super::{Action, UiState};
use crate::model::engagement::ItemKey;
use crate::state::{Command, ItemEdit, Session};
use egui::RichText;

pub fn checklist_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    palette: Palette,
    actions: &mut Vec<Action>,
) {
    let Some(e) = &session.engagement else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading("No engagement is open.");
            ui.label("Use Engagement > New engagement… to start one for the services in the matrix, or open a .demarc.json file.");
        });
        return;
    };
    let catalog = &session.catalog;
    let cells = e.doc.customer_cells(catalog);
    if cells.is_empty() {
        ui.label("The scope has no customer or shared controls: add services in the picker.");
        return;
    }
    let count = cells.len();
    let selected = state.checklist_selected.min(count - 1);
    keyboard(
        ui,
        session,
        state,
        &cells.iter().map(|c| c.key.clone()).collect::<Vec<_>>(),
        selected,
        actions,
    );
    let selected = state.checklist_selected.min(count - 1);

    let progress = e.doc.progress(catalog);
    egui::CollapsingHeader::new(
        RichText::new(format!("Progress: {} resolved", progress.total)).strong(),
    )
    .id_salt("checklist-progress")
    .default_open(true)
    .show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            for (service, p) in &progress.by_service {
                ui.label(RichText::new(catalog.short_name(service)).strong());
                ui.label(format!("{p}"));
                ui.add_space(10.0);
            }
        });
        ui.horizontal_wrapped(|ui| {
            for (domain, p) in &progress.by_domain {
                if p.total > 0 {
                    ui.label(
                        RichText::new(format!("{} {}/{}", domain, p.resolved, p.total))
                            .color(palette.weak_text()),
                    );
                }
            }
        });
    });
    ui.label(RichText::new("Up/Down: move · Space: next status · type to write a note · click a status to cycle it").small().color(palette.weak_text()));
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            let mut current_domain = "";
            for (index, cell) in cells.iter().enumerate() {
                if cell.domain != current_domain {
                    current_domain = &cell.domain;
                    ui.add_space(6.0);
                    ui.label(
                        RichText::new(catalog.domain_name(current_domain))
                            .heading()
                            .size(17.0),
                    );
                }
                let key = &cell.key;
                let item = e.item(key);
                let is_selected = index == selected;
                let frame = egui::Frame::new()
                    .fill(if is_selected {
                        palette.header_fill()
                    } else {
                        palette.background()
                    })
                    .inner_margin(egui::Margin::symmetric(6, 3))
                    .corner_radius(4.0);
                let inner = frame.show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if status_chip(ui, palette, key, item.status, actions).clicked() {
                            state.checklist_selected = index;
                        }
                        let control_name = catalog
                            .control(&key.control)
                            .map_or("", |c| c.name.as_str());
                        let title = ui.add(
                            egui::Label::new(
                                RichText::new(format!("{} {control_name}", key.control)).strong(),
                            )
                            .sense(egui::Sense::click()),
                        );
                        if title.clicked() {
                            state.checklist_selected = index;
                        }
                        ui.label(
                            RichText::new(catalog.short_name(&key.service))
                                .color(palette.weak_text()),
                        );
                        super::widgets::owner_badge(ui, palette, cell.owner);
                        if let Some(status) = session
                            .evidence
                            .as_ref()
                            .and_then(|v| v.cell_status(&key.service.service, &key.control))
                        {
                            ui.label(
                                RichText::new(
                                    if status == crate::model::evidence::CellStatus::NoEvidence {
                                        "no evidence".to_owned()
                                    } else {
                                        format!("evidence: {}", status.label())
                                    },
                                )
                                .color(super::evidence::status_color(palette, status)),
                            );
                        }
                        if let Some(assignee) = &item.assignee {
                            ui.label(format!("for {}", assignee.label()));
                        }
                        if let Some(due) = &item.due {
                            ui.label(
                                RichText::new(format!("due {due}")).color(palette.weak_text()),
                            );
                        }
                        if !is_selected && !item.note.is_empty() {
                            let first = item.note.lines().next().unwrap_or("");
                            ui.label(RichText::new(first).italics().color(palette.weak_text()));
                        }
                    });
                    if is_selected {
                        if let Some(text) = catalog.cell(&key.service, &key.control) {
                            ui.label(
                                RichText::new(&text.data.customer_does).color(palette.weak_text()),
                            );
                        }
                        item_editor_ui(ui, session, key, state, palette, actions);
                    }
                });
                let response = inner.response;
                if is_selected && state.scroll_to_selected {
                    response.scroll_to_me(Some(egui::Align::Center));
                    state.scroll_to_selected = false;
                }
            }
        });
}

fn keyboard(
    ui: &egui::Ui,
    session: &Session,
    state: &mut UiState,
    keys: &[ItemKey],
    selected: usize,
    actions: &mut Vec<Action>,
) {
    let typing_elsewhere = ui.ctx().memory(|m| m.focused().is_some());
    if typing_elsewhere || state.modal_open() {
        return;
    }
    let (down, up, space, text) = ui.input(|i| {
        let text: String = i
            .events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(t) if t != " " => Some(t.as_str()),
                _ => None,
            })
            .collect();
        (
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::Space),
            text,
        )
    });
    if down && selected + 1 < keys.len() {
        state.checklist_selected = selected + 1;
        state.scroll_to_selected = true;
    }
    if up && selected > 0 {
        state.checklist_selected = selected - 1;
        state.scroll_to_selected = true;
    }
    let key = &keys[state.checklist_selected.min(keys.len() - 1)];
    if space {
        actions.push(Action::Command(Command::EditItem {
            key: key.clone(),
            edit: ItemEdit::CycleStatus,
        }));
    }
    if !text.is_empty() {
        let note = session
            .engagement
            .as_ref()
            .map(|e| e.item(key).note)
            .unwrap_or_default();
        actions.push(Action::Command(Command::EditItem {
            key: key.clone(),
            edit: ItemEdit::Note(note + &text),
        }));
        state.focus_note = Some(key.clone());
    }
}
