//! The engagement checklist, made for speed while people talk: every customer or shared item
//! of the scope, grouped by domain, with progress per domain and per service. Keyboard (see
//! `actions`): Up/Down move, Space cycles the status; typing goes to the note.

use super::actions::{Action, shortcut_text};
use super::engagement::{item_editor_ui, status_chip};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::catalog::Catalog;
use crate::model::engagement::{CustomerCell, Item, ItemKey};
use crate::state::{EngagementCommand, ItemEdit, OpenEngagement, Session};
use egui::RichText;

/// The keys of the checklist's items, in order (empty without an engagement).
pub fn item_keys(session: &Session) -> Vec<ItemKey> {
    session.engagement().map_or_else(Vec::new, |e| {
        e.doc
            .customer_cells(session.catalog())
            .into_iter()
            .map(|c| c.key)
            .collect()
    })
}

/// The selected item (the selection index is kept within the list).
pub fn selected_key(session: &Session, state: &UiState) -> Option<ItemKey> {
    let keys = item_keys(session);
    let last = keys.len().checked_sub(1)?;
    keys.into_iter().nth(state.checklist_selected.min(last))
}

/// Moves the selection by `delta` items, staying inside the list, and scrolls to it.
pub fn move_selection(session: &Session, state: &mut UiState, delta: isize) {
    let count = item_keys(session).len();
    let Some(last) = count.checked_sub(1) else {
        return;
    };
    let current = state.checklist_selected.min(last);
    let next = current.saturating_add_signed(delta).min(last);
    if next != current {
        state.checklist_selected = next;
        state.scroll_to_selected = true;
    }
}

pub fn checklist_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let Some(e) = session.engagement() else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading("No engagement is open.");
            ui.label("Use Engagement > New engagement… to start one for the services in the matrix, or open a .demarc.json file.");
        });
        return;
    };
    let catalog = session.catalog();
    let cells = e.doc.customer_cells(catalog);
    if cells.is_empty() {
        ui.label("The scope has no customer or shared controls: add services in the picker.");
        return;
    }
    typed_note(ui, session, state, out);
    let selected = state.checklist_selected.min(cells.len() - 1);
    progress_ui(ui, catalog, e, palette);
    ui.label(
        RichText::new(keys_hint(ui.ctx()))
            .small()
            .color(palette.weak_text()),
    );
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
                let row = Row {
                    index,
                    cell,
                    selected: index == selected,
                };
                row_ui(ui, session, e, &row, state, palette, out);
            }
        });
}

/// "Up/Down: move · Space: next status · …", from the action table.
fn keys_hint(ctx: &egui::Context) -> String {
    let key = |action: Action| {
        action
            .info()
            .shortcut
            .map(|s| shortcut_text(ctx, &s))
            .unwrap_or_default()
    };
    format!(
        "{}/{}: move · {}: next status · type to write a note · click a status to cycle it",
        key(Action::PreviousItem),
        key(Action::NextItem),
        key(Action::CycleStatus)
    )
}

/// Text typed while no field has the keyboard goes to the selected item's note.
fn typed_note(ui: &egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let typing_elsewhere = ui.ctx().memory(|m| m.focused().is_some());
    if typing_elsewhere || state.modal_open() {
        return;
    }
    let text: String = ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(t) if t != " " => Some(t.as_str()),
                _ => None,
            })
            .collect()
    });
    if text.is_empty() {
        return;
    }
    let Some(key) = selected_key(session, state) else {
        return;
    };
    let note = session
        .engagement()
        .map(|e| e.item(&key).note)
        .unwrap_or_default();
    out.push(Request::Command(
        EngagementCommand::EditItem {
            key: key.clone(),
            edit: ItemEdit::Note(note + &text),
        }
        .into(),
    ));
    state.focus_note = Some(key);
}

fn progress_ui(ui: &mut egui::Ui, catalog: &Catalog, e: &OpenEngagement, palette: Palette) {
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
}

struct Row<'a> {
    index: usize,
    cell: &'a CustomerCell,
    selected: bool,
}

/// One item: status chip, title, service, owner, evidence, assignee, due date, first note
/// line; the selected one also shows what the customer does and the item editor.
fn row_ui(
    ui: &mut egui::Ui,
    session: &Session,
    e: &OpenEngagement,
    row: &Row<'_>,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let catalog = session.catalog();
    let key = &row.cell.key;
    let item = e.item(key);
    let frame = egui::Frame::new()
        .fill(if row.selected {
            palette.header_fill()
        } else {
            palette.background()
        })
        .inner_margin(egui::Margin::symmetric(6, 3))
        .corner_radius(4.0);
    let inner = frame.show(ui, |ui| {
        ui.horizontal(|ui| {
            if status_chip(ui, palette, key, item.status, out).clicked() {
                state.checklist_selected = row.index;
            }
            let control_name = catalog
                .control(&key.control)
                .map_or("", |c| c.name.as_str());
            let title = ui.add(
                egui::Label::new(RichText::new(format!("{} {control_name}", key.control)).strong())
                    .sense(egui::Sense::click()),
            );
            if title.clicked() {
                state.checklist_selected = row.index;
            }
            ui.label(RichText::new(catalog.short_name(&key.service)).color(palette.weak_text()));
            super::widgets::owner_badge(ui, palette, row.cell.owner);
            item_facts_ui(ui, session, key, &item, row.selected, palette);
        });
        if row.selected {
            if let Some(text) = catalog.cell(&key.service, &key.control) {
                ui.label(RichText::new(&text.data.customer_does).color(palette.weak_text()));
            }
            item_editor_ui(ui, session, key, state, palette, out);
        }
    });
    if row.selected && state.scroll_to_selected {
        inner.response.scroll_to_me(Some(egui::Align::Center));
        state.scroll_to_selected = false;
    }
}

/// Evidence, assignee, due date and (unselected) the note's first line.
fn item_facts_ui(
    ui: &mut egui::Ui,
    session: &Session,
    key: &ItemKey,
    item: &Item,
    selected: bool,
    palette: Palette,
) {
    if let Some(status) = session
        .evidence()
        .and_then(|v| v.cell_status(&key.service.service, &key.control))
    {
        let text = if status == crate::model::evidence::CellStatus::NoEvidence {
            "no evidence".to_owned()
        } else {
            format!("evidence: {}", status.label())
        };
        ui.label(RichText::new(text).color(super::evidence::status_color(palette, status)));
    }
    if let Some(assignee) = &item.assignee {
        ui.label(format!("for {}", assignee.label()));
    }
    if let Some(due) = &item.due {
        ui.label(RichText::new(format!("due {due}")).color(palette.weak_text()));
    }
    if !selected && !item.note.is_empty() {
        let first = item.note.lines().next().unwrap_or("");
        ui.label(RichText::new(first).italics().color(palette.weak_text()));
    }
}
