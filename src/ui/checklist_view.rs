//! The engagement checklist, made to run a meeting from: the customer's items grouped by domain
//! or by service (collapsible, the title once per group, a compact progress bar each), failing
//! items first, filtered by status, assignee, evidence and the toolbar's owner chips and search.
//! Rows have one height and never move while they are edited (the order is the session's,
//! frozen until the filters change or Refresh); the selected item's text and editor sit under
//! the list. Keyboard (see `actions`): Up/Down move, Space cycles the status, 1 to 5 set it;
//! typing goes to the note.

use super::actions::{Action, shortcut_text};
use super::engagement::{item_editor_ui, status_chip};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::engagement::agenda::{
    AgendaFilter, AgendaGroup, AgendaGrouping, AgendaRow, AssigneeFilter, EvidenceFilter,
};
use crate::model::engagement::{Item, ItemKey, Status};
use crate::model::evidence::CellStatus;
use crate::state::{ChecklistCommand, EngagementCommand, ItemEdit, OpenEngagement, Session};
use egui::{Align, Layout, RichText, Sense, vec2};

fn cmd(out: &mut Vec<Request>, command: ChecklistCommand) {
    out.push(Request::Command(command.into()));
}

/// The rows shown, in order: the rows of expanded groups.
fn visible(session: &Session) -> impl Iterator<Item = &AgendaRow> {
    session
        .agenda()
        .iter()
        .filter(|g| !session.is_agenda_collapsed(&g.key))
        .flat_map(|g| &g.rows)
}

/// The keys of the checklist's visible items, in order (empty without an engagement).
pub fn item_keys(session: &Session) -> Vec<ItemKey> {
    visible(session).map(|r| r.key.clone()).collect()
}

/// The selected item (the selection index is kept within the list).
pub fn selected_key(session: &Session, state: &UiState) -> Option<ItemKey> {
    let count = visible(session).count();
    let last = count.checked_sub(1)?;
    visible(session)
        .nth(state.checklist_selected.min(last))
        .map(|r| r.key.clone())
}

/// Moves the selection by `delta` items, staying inside the list, and scrolls to it.
pub fn move_selection(session: &Session, state: &mut UiState, delta: isize) {
    let count = visible(session).count();
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
    if e.doc.customer_cells(session.catalog()).is_empty() {
        ui.label("The scope has no customer or shared controls: add services in the picker.");
        return;
    }
    typed_note(ui, session, state, out);
    header_ui(ui, session, e, palette, out);
    filters_ui(ui, session, e, palette, out);
    if !session.presenting() {
        ui.label(
            RichText::new(keys_hint(ui.ctx()))
                .small()
                .color(palette.weak_text()),
        );
    }
    ui.separator();
    if let Some(key) = selected_key(session, state) {
        egui::Panel::bottom("checklist-editor")
            .resizable(false)
            .show(ui, |ui| editor_ui(ui, session, &key, state, palette, out));
    }
    list_ui(ui, session, e, state, palette, out);
}

/// "Up/Down: move · Space: next status · 1-5: set it · …", from the action table.
fn keys_hint(ctx: &egui::Context) -> String {
    let key = |action: Action| {
        action
            .info()
            .shortcut
            .map(|s| shortcut_text(ctx, &s))
            .unwrap_or_default()
    };
    format!(
        "{}/{}: move · {}: next status · {}–{}: Open, In progress, Done, Not applicable, Risk accepted · type to write a note",
        key(Action::PreviousItem),
        key(Action::NextItem),
        key(Action::CycleStatus),
        key(Action::StatusOpen),
        key(Action::StatusRiskAccepted),
    )
}

/// Text typed while no field has the keyboard goes to the selected item's note (a lone 1 to 5
/// is the status key, not text).
fn typed_note(ui: &egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let typing_elsewhere = ui.ctx().memory(|m| m.focused().is_some());
    // Presenting: notes are internal, so typing writes none.
    if typing_elsewhere || state.modal_open() || session.presenting() {
        return;
    }
    let text: String = ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(t)
                    if t != " " && !matches!(t.as_str(), "1" | "2" | "3" | "4" | "5") =>
                {
                    Some(t.as_str())
                }
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

fn header_ui(
    ui: &mut egui::Ui,
    session: &Session,
    e: &OpenEngagement,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let progress = e.doc.progress(session.catalog());
    ui.horizontal_wrapped(|ui| {
        ui.heading("Checklist");
        ui.label(RichText::new(format!("{} resolved", progress.total)).color(palette.weak_text()));
        ui.separator();
        ui.label("Group by:");
        for grouping in AgendaGrouping::ALL {
            let on = session.agenda_grouping() == grouping;
            if ui.selectable_label(on, grouping.label()).clicked() && !on {
                cmd(out, ChecklistCommand::SetGrouping(grouping));
            }
        }
        let groups = session.agenda();
        let all_collapsed = groups.iter().all(|g| session.is_agenda_collapsed(&g.key));
        let (verb, collapse) = if all_collapsed {
            ("Expand all", false)
        } else {
            ("Collapse all", true)
        };
        if ui.button(verb).clicked() {
            for g in groups {
                if session.is_agenda_collapsed(&g.key) != collapse {
                    cmd(out, ChecklistCommand::ToggleGroup(g.key.clone()));
                }
            }
        }
    });
}

/// The filter as the session applies it: its own, plus the toolbar's owner chips and search.
fn full_filter(session: &Session) -> AgendaFilter {
    AgendaFilter {
        owners: session.filters().owners.iter().copied().collect(),
        query: session.filters().query.clone(),
        ..session.agenda_filter().clone()
    }
}

fn filters_ui(
    ui: &mut egui::Ui,
    session: &Session,
    e: &OpenEngagement,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let filter = session.agenda_filter();
    ui.horizontal_wrapped(|ui| {
        ui.label("Show:");
        for status in Status::ALL {
            let on = filter.statuses.contains(&status);
            let text = if on {
                format!("✔ {}", status.label())
            } else {
                status.label().to_owned()
            };
            let response = ui.add(
                egui::Button::new(text)
                    .fill(palette.status_fill(status))
                    .selected(on),
            );
            let label = format!("Show {}", status.label());
            response
                .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &label));
            if response.clicked() {
                let statuses = Status::ALL
                    .into_iter()
                    .filter(|s| {
                        if *s == status {
                            !on
                        } else {
                            filter.statuses.contains(s)
                        }
                    })
                    .collect();
                cmd(out, ChecklistCommand::SetStatuses(statuses));
            }
        }
        ui.separator();
        assignee_filter_ui(ui, &filter.assignee, out);
        let label = ui.label("Evidence:");
        egui::ComboBox::from_id_salt("checklist-evidence")
            .selected_text(filter.evidence.label())
            .show_ui(ui, |ui| {
                for choice in EvidenceFilter::ALL {
                    if ui
                        .selectable_label(filter.evidence == choice, choice.label())
                        .clicked()
                        && filter.evidence != choice
                    {
                        cmd(out, ChecklistCommand::SetEvidence(choice));
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let stale = stale_rows(session, e);
        if stale > 0 {
            let text = format!(
                "{stale} edited item{} no longer match",
                if stale == 1 { "" } else { "s" }
            );
            ui.label(RichText::new(text).color(palette.warning()));
            if ui
                .button("Refresh")
                .on_hover_text("Sort and filter again with the edits made since")
                .clicked()
            {
                cmd(out, ChecklistCommand::Refresh);
            }
        }
    });
}

/// Rows shown that the filter would hide now (edited since the list was built).
fn stale_rows(session: &Session, e: &OpenEngagement) -> usize {
    let filter = full_filter(session);
    let query = filter.query.trim().to_lowercase();
    session
        .agenda()
        .iter()
        .flat_map(|g| &g.rows)
        .filter(|r| !filter.keeps(session.catalog(), &e.doc, r, &query))
        .count()
}

const ASSIGNEE_FILTERS: [(&str, &str); 7] = [
    ("", "Anyone"),
    ("unassigned", "Unassigned"),
    ("aws", "AWS"),
    ("client_platform", "Client platform team"),
    ("client_application", "Client application team"),
    ("third_party", "Third party"),
    ("other", "Someone else"),
];

fn assignee_filter_ui(ui: &mut egui::Ui, current: &AssigneeFilter, out: &mut Vec<Request>) {
    let code = match current {
        AssigneeFilter::Anyone => "",
        AssigneeFilter::Unassigned => "unassigned",
        AssigneeFilter::Kind(kind) => kind.as_str(),
    };
    let shown = ASSIGNEE_FILTERS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("Anyone", |(_, l)| l);
    let label = ui.label("Assignee:");
    egui::ComboBox::from_id_salt("checklist-assignee")
        .selected_text(shown)
        .show_ui(ui, |ui| {
            for (c, text) in ASSIGNEE_FILTERS {
                if ui.selectable_label(c == code, text).clicked() && c != code {
                    let choice = match c {
                        "" => AssigneeFilter::Anyone,
                        "unassigned" => AssigneeFilter::Unassigned,
                        kind => AssigneeFilter::Kind(kind.to_owned()),
                    };
                    cmd(out, ChecklistCommand::SetAssignee(choice));
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// One line of the list. A row's flag says it continues the control of the row above (in
/// domain grouping): its title is not repeated, only its service is named.
enum Line<'a> {
    Header(&'a AgendaGroup),
    Row(usize, &'a AgendaRow, bool),
}

fn lines(session: &Session) -> Vec<Line<'_>> {
    let by_domain = session.agenda_grouping() == AgendaGrouping::Domain;
    let mut lines = Vec::new();
    let mut index = 0;
    for group in session.agenda() {
        lines.push(Line::Header(group));
        if !session.is_agenda_collapsed(&group.key) {
            let mut previous: Option<&str> = None;
            for row in &group.rows {
                let continues = by_domain && previous == Some(row.key.control.as_str());
                lines.push(Line::Row(index, row, continues));
                previous = Some(row.key.control.as_str());
                index += 1;
            }
        }
    }
    lines
}

fn list_ui(
    ui: &mut egui::Ui,
    session: &Session,
    e: &OpenEngagement,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let lines = lines(session);
    if session.agenda().iter().all(|g| g.rows.is_empty()) {
        ui.add_space(12.0);
        ui.label("No item matches these filters.");
    }
    let selected = state
        .checklist_selected
        .min(item_keys(session).len().saturating_sub(1));
    let height = ui.text_style_height(&egui::TextStyle::Button) + 10.0;
    let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if state.scroll_to_selected {
        state.scroll_to_selected = false;
        if let Some(line) = lines
            .iter()
            .position(|l| matches!(l, Line::Row(i, _, _) if *i == selected))
        {
            let spacing = ui.spacing().item_spacing.y;
            let top = line as f32 * (height + spacing);
            let visible = ui.available_height();
            let offset = scroll_offset(ui, top, height, visible);
            if let Some(offset) = offset {
                scroll = scroll.vertical_scroll_offset(offset);
            }
        }
    }
    scroll
        .id_salt("checklist-rows")
        .show_rows(ui, height, lines.len(), |ui, range| {
            for line in &lines[range] {
                match line {
                    Line::Header(group) => {
                        group_header_ui(ui, session, group, height, palette, out);
                    }
                    Line::Row(index, row, continues) => {
                        let look = RowLook {
                            selected: *index == selected,
                            continues: *continues,
                            height,
                        };
                        if row_ui(ui, session, e, row, look, palette, out) {
                            state.checklist_selected = *index;
                        }
                    }
                }
            }
        });
}

/// A new scroll offset that brings a line at `top` into view, or none when it is in view.
fn scroll_offset(ui: &egui::Ui, top: f32, height: f32, visible: f32) -> Option<f32> {
    let id = ui.make_persistent_id("checklist-rows");
    let current =
        egui::scroll_area::State::load(ui.ctx(), id).map_or(0.0, |s| s.clamped_offset().y);
    if top < current || top + height > current + visible {
        Some((top - visible / 2.0).max(0.0))
    } else {
        None
    }
}

/// "⏷ Identity and access management  ███░░ 3/12": click to collapse.
fn group_header_ui(
    ui: &mut egui::Ui,
    session: &Session,
    group: &AgendaGroup,
    height: f32,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let open = !session.is_agenda_collapsed(&group.key);
    ui.horizontal(|ui| {
        ui.set_height(height);
        let arrow = if open { "⏷" } else { "⏵" };
        let response = ui.add(
            egui::Label::new(
                RichText::new(format!("{arrow} {}", group.title))
                    .strong()
                    .size(17.0),
            )
            .sense(Sense::click()),
        );
        let verb = if open { "Collapse" } else { "Expand" };
        let label = format!("{verb} {}", group.title);
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.clicked() {
            cmd(out, ChecklistCommand::ToggleGroup(group.key.clone()));
        }
        let p = group.progress;
        ui.add(
            egui::ProgressBar::new(p.percent() as f32 / 100.0)
                .desired_width(90.0)
                .desired_height(8.0),
        )
        .on_hover_text(format!("{p} resolved"));
        ui.label(RichText::new(format!("{}/{}", p.resolved, p.total)).color(palette.weak_text()));
        if group.hidden > 0 {
            ui.label(
                RichText::new(format!("· {} hidden by the filters", group.hidden))
                    .color(palette.weak_text()),
            );
        }
    });
}

/// How a row is drawn: selected, continuing the control of the row above, its height.
#[derive(Clone, Copy)]
struct RowLook {
    selected: bool,
    continues: bool,
    height: f32,
}

/// One item on one line: status chip, control, service, owner, evidence, assignee, due date,
/// the note's first line. True when it was clicked (selected).
fn row_ui(
    ui: &mut egui::Ui,
    session: &Session,
    e: &OpenEngagement,
    row: &AgendaRow,
    look: RowLook,
    palette: Palette,
    out: &mut Vec<Request>,
) -> bool {
    let RowLook {
        selected,
        continues,
        height,
    } = look;
    let catalog = session.catalog();
    let key = &row.key;
    let item = e.item(key);
    let rect = ui.available_rect_before_wrap();
    let rect = egui::Rect::from_min_size(rect.min, vec2(rect.width(), height));
    if selected {
        ui.painter().rect_filled(rect, 4.0, palette.header_fill());
    }
    let background = ui.interact(
        rect,
        ui.scope_id().with(("checklist-row", key.to_string())),
        Sense::click(),
    );
    let mut clicked = background.clicked();
    ui.horizontal(|ui| {
        ui.set_height(height);
        ui.add_space(18.0);
        clicked |= status_chip(ui, palette, key, item.status, out).clicked();
        let control_name = catalog
            .control(&key.control)
            .map_or("", |c| c.name.as_str());
        let service = catalog.short_name(&key.service);
        let full = format!("{} {control_name} · {service}", key.control);
        let title = if session.agenda_grouping() == AgendaGrouping::Service {
            format!("{} {control_name}", key.control)
        } else if continues {
            // The control's title is on the row above: only the service, indented under it.
            format!("        · {service}")
        } else {
            full.clone()
        };
        let wide = (ui.available_width() - 420.0).max(240.0);
        let response = ui.allocate_ui_with_layout(
            vec2(wide, height),
            Layout::left_to_right(Align::Center),
            |ui| {
                ui.set_min_width(wide);
                let text = if continues {
                    RichText::new(title)
                } else {
                    RichText::new(title).strong()
                };
                let label = ui.add(egui::Label::new(text).truncate().sense(Sense::click()));
                // Screen readers and tests hear the whole item, repeated title or not.
                label.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &full));
                label
            },
        );
        clicked |= response.inner.clicked();
        super::widgets::owner_badge(ui, palette, row.owner);
        facts_ui(ui, row, &item, session.presenting(), palette);
    });
    clicked
}

/// Evidence, assignee, due date and the note's first line (not while presenting: notes are
/// internal), in the space left.
fn facts_ui(ui: &mut egui::Ui, row: &AgendaRow, item: &Item, presenting: bool, palette: Palette) {
    if let Some(status) = row.evidence {
        let text = match status {
            CellStatus::NoEvidence => "no evidence".to_owned(),
            CellStatus::Fail => "failing".to_owned(),
            other => format!("evidence: {}", other.label()),
        };
        ui.label(RichText::new(text).color(super::evidence::status_color(palette, status)));
    }
    if let Some(assignee) = &item.assignee {
        ui.label(format!("for {}", assignee.label()));
    }
    if let Some(due) = &item.due {
        ui.label(RichText::new(format!("due {due}")).color(palette.weak_text()));
    }
    if let Some(first) = item
        .note
        .lines()
        .next()
        .filter(|l| !l.is_empty() && !presenting)
    {
        ui.add(
            egui::Label::new(RichText::new(first).italics().color(palette.weak_text())).truncate(),
        );
    }
}

/// The selected item: what the customer does, and its editor.
fn editor_ui(
    ui: &mut egui::Ui,
    session: &Session,
    key: &ItemKey,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let catalog = session.catalog();
    ui.add_space(4.0);
    let control = catalog
        .control(&key.control)
        .map_or("", |c| c.name.as_str());
    ui.label(
        RichText::new(format!(
            "{} {control} · {}",
            key.control,
            catalog.display_name(&key.service)
        ))
        .strong()
        .size(17.0),
    );
    if let Some(cell) = catalog.cell(&key.service, &key.control) {
        egui::ScrollArea::vertical()
            .id_salt("checklist-customer-does")
            .max_height(54.0)
            .show(ui, |ui| {
                ui.label(RichText::new(&cell.data.customer_does).color(palette.weak_text()));
            });
    }
    item_editor_ui(ui, session, key, state, palette, out);
    ui.add_space(4.0);
}
