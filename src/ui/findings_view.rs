//! The findings board: one row per (check, resource) across every imported source, grouped by
//! service, check or control, filtered by status, severity, service, account and region (and
//! the toolbar's search). Rows are virtualised (only the visible ones are laid out), so a
//! million findings scroll as smoothly as sixty. A row's title opens its matrix cell; its status
//! chip, the number keys and the editor under the list record a decision in the engagement.

use super::engagement::{assignee_ui, chip, note_ui, status_buttons_ui};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::catalog::{Catalog, Severity};
use crate::model::engagement::{FindingEdit, Status as Decision};
use crate::model::evidence::Status;
use crate::model::findings::{Finding, FindingFilter, Findings, FindingsView, Grouping};
use crate::state::{EvidenceView, FindingsCommand, Session, findings_group_key};
use egui::{Align, Layout, RichText, Sense, vec2};

fn cmd(out: &mut Vec<Request>, command: FindingsCommand) {
    out.push(Request::Command(command.into()));
}

/// One line of the list: a group header or a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    Header(usize),
    Row(u32),
}

/// The lines of the list, by prefix sums over the groups (headers plus the rows of expanded
/// groups): a line is found without listing them all.
struct Lines {
    /// For each group, the index of its header line; then the total.
    starts: Vec<usize>,
    expanded: Vec<bool>,
}

impl Lines {
    fn new(session: &Session, view: &FindingsView, findings: &Findings) -> Lines {
        let mut starts = Vec::with_capacity(view.groups.len() + 1);
        let mut expanded = Vec::with_capacity(view.groups.len());
        let mut next = 0;
        for group in &view.groups {
            let open = !session.is_findings_group_collapsed(&findings_group_key(
                view.grouping,
                findings.group_label(view.grouping, group.id),
            ));
            starts.push(next);
            expanded.push(open);
            next += 1 + if open { group.len } else { 0 };
        }
        starts.push(next);
        Lines { starts, expanded }
    }

    fn total(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    fn line(&self, view: &FindingsView, index: usize) -> Line {
        let group = self.starts.partition_point(|&s| s <= index) - 1;
        let offset = index - self.starts[group];
        if offset == 0 {
            Line::Header(group)
        } else {
            let g = &view.groups[group];
            Line::Row(view.rows[g.start + offset - 1])
        }
    }

    /// The line of a finding, if its group is expanded.
    fn line_of(&self, view: &FindingsView, finding: u32) -> Option<usize> {
        let position = view.rows.iter().position(|&r| r == finding)?;
        let group = view.groups.partition_point(|g| g.start + g.len <= position);
        self.expanded
            .get(group)
            .copied()
            .filter(|open| *open)
            .map(|_| self.starts[group] + 1 + position - view.groups[group].start)
    }
}

/// The findings shown, in order (rows of collapsed groups too): for moving the selection.
pub fn visible_rows(session: &Session) -> &[u32] {
    &session.findings_view().rows
}

/// Moves the selected finding by `delta` rows of the filtered list.
pub fn move_selection(session: &Session, state: &mut UiState, delta: isize) {
    let rows = visible_rows(session);
    let Some(last) = rows.len().checked_sub(1) else {
        return;
    };
    let current = state
        .finding_selected
        .and_then(|s| rows.iter().position(|&r| r == s));
    let next = match current {
        Some(i) => i.saturating_add_signed(delta).min(last),
        None => 0,
    };
    state.finding_selected = Some(rows[next]);
    state.scroll_to_selected = true;
}

/// A decision edit of the selected finding, when an engagement is open.
pub fn decide_selected(
    session: &Session,
    state: &UiState,
    edit: FindingEdit,
    out: &mut Vec<Request>,
) {
    let (Some(view), Some(e), Some(index)) = (
        session.evidence(),
        session.engagement(),
        state.finding_selected,
    ) else {
        return;
    };
    let Some(f) = view.findings.rows.get(index as usize) else {
        return;
    };
    let key = view.findings.key(f, &view.evidence);
    let key = e.doc.finding_decision_key(&key, view.findings.sole(f));
    cmd(out, FindingsCommand::Decide { key, edit });
}

pub fn findings_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let Some(ev) = session.evidence() else {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading("No account evidence yet.");
            ui.label(
                "Import an AWS Config snapshot, a CLI collection, Security Hub or Prowler \
                 output (Import snapshot… in the toolbar, or drop the files on the window): \
                 every failing check lands here, once per resource.",
            );
        });
        return;
    };
    header_ui(ui, session, ev, out);
    filters_ui(ui, session, ev, palette, out);
    ui.separator();
    if let Some(index) = state.finding_selected
        && let Some(f) = ev.findings.rows.get(index as usize)
    {
        egui::Panel::bottom("finding-editor")
            .resizable(false)
            .show(ui, |ui| editor_ui(ui, session, ev, f, palette, out));
    }
    list_ui(ui, session, ev, state, palette, out);
}

fn header_ui(ui: &mut egui::Ui, session: &Session, ev: &EvidenceView, out: &mut Vec<Request>) {
    let view = session.findings_view();
    ui.horizontal_wrapped(|ui| {
        ui.heading("Findings");
        let shown = view.rows.len();
        let words: Vec<String> = Status::ALL
            .into_iter()
            .filter(|s| view.counts.get(*s) > 0)
            .map(|s| format!("{} {}", view.counts.get(s), s.label().to_lowercase()))
            .collect();
        ui.label(format!(
            "{shown} of {} shown{}",
            ev.findings.len(),
            if words.is_empty() {
                String::new()
            } else {
                format!(" ({})", words.join(", "))
            }
        ));
        ui.separator();
        ui.label("Group by:");
        for grouping in Grouping::ALL {
            let on = session.finding_grouping() == grouping;
            if ui.selectable_label(on, grouping.label()).clicked() && !on {
                cmd(out, FindingsCommand::SetGrouping(grouping));
            }
        }
    });
}

fn filters_ui(
    ui: &mut egui::Ui,
    session: &Session,
    ev: &EvidenceView,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let filter = session.finding_filter();
    let findings = &ev.findings;
    ui.horizontal_wrapped(|ui| {
        for status in Status::ALL {
            let on = filter.statuses.contains(&status);
            let text = format!("{} {}", status.label(), findings.totals.get(status));
            let label = format!("Show {} findings", status.label().to_lowercase());
            let response = toggle(ui, on, &text, status_color(palette, status), &label);
            if response.clicked() {
                let mut next = filter.clone();
                toggle_in(&mut next.statuses, status, &Status::ALL);
                cmd(out, FindingsCommand::SetFilter(next));
            }
        }
        ui.separator();
        for severity in Severity::ALL {
            let on = filter.severities.contains(&severity);
            let label = format!("Show {} severity", severity.label().to_lowercase());
            let color = severity_color(palette, severity);
            let response = toggle(ui, on, severity.label(), color, &label);
            if response.clicked() {
                let mut next = filter.clone();
                toggle_in(&mut next.severities, severity, &Severity::ALL);
                cmd(out, FindingsCommand::SetFilter(next));
            }
        }
        ui.separator();
        let catalog = session.catalog();
        let service_name = |id: &str| {
            catalog
                .service(id)
                .map_or_else(|| id.to_owned(), |s| s.name.clone())
        };
        pick_ui(
            ui,
            "Service",
            filter.service.as_ref(),
            &findings.services,
            &service_name,
            |v| FindingFilter {
                service: v,
                ..filter.clone()
            },
            out,
        );
        pick_ui(
            ui,
            "Account",
            filter.account.as_ref(),
            &findings.accounts,
            &|a: &str| a.to_owned(),
            |v| FindingFilter {
                account: v,
                ..filter.clone()
            },
            out,
        );
        pick_ui(
            ui,
            "Region",
            filter.region.as_ref(),
            &findings.regions,
            &|r: &str| r.to_owned(),
            |v| FindingFilter {
                region: v,
                ..filter.clone()
            },
            out,
        );
        if *filter != FindingFilter::default()
            && ui
                .button("Reset filters")
                .on_hover_text(
                    "Failing and unknown findings of every severity, service, account and region",
                )
                .clicked()
        {
            cmd(out, FindingsCommand::SetFilter(FindingFilter::default()));
        }
        let query = session.filters().query.trim();
        if !query.is_empty() {
            ui.label(RichText::new(format!("Search: “{query}”")).color(palette.weak_text()));
        }
    });
}

/// Adds or removes `value`, keeping the order of `all`.
fn toggle_in<T: Copy + PartialEq>(set: &mut Vec<T>, value: T, all: &[T]) {
    let on = set.contains(&value);
    *set = all
        .iter()
        .copied()
        .filter(|v| if *v == value { !on } else { set.contains(v) })
        .collect();
}

/// A chip that shows its real state: ticked and selected when on.
fn toggle(
    ui: &mut egui::Ui,
    on: bool,
    text: &str,
    color: egui::Color32,
    label: &str,
) -> egui::Response {
    let text = if on {
        format!("✔ {text}")
    } else {
        text.to_owned()
    };
    let response = ui.add(egui::Button::new(RichText::new(text).color(color)).selected(on));
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, label));
    response
}

/// "Service: All ▾": one value or all.
fn pick_ui(
    ui: &mut egui::Ui,
    what: &str,
    current: Option<&String>,
    values: &[String],
    name: &dyn Fn(&str) -> String,
    with: impl Fn(Option<String>) -> FindingFilter,
    out: &mut Vec<Request>,
) {
    // A label and its combo stay on one line: a new line when both do not fit (a nested
    // horizontal layout would not wrap, and would widen the whole view instead).
    if ui.available_width() < 230.0 {
        ui.end_row();
    }
    let label = ui.label(format!("{what}:"));
    let shown = current.map_or_else(|| "All".to_owned(), |c| name(c));
    let combo = egui::ComboBox::from_id_salt(("findings-pick", what))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if ui.selectable_label(current.is_none(), "All").clicked() && current.is_some() {
                cmd(out, FindingsCommand::SetFilter(with(None)));
            }
            for value in values {
                let on = current == Some(value);
                if ui.selectable_label(on, name(value)).clicked() && !on {
                    cmd(out, FindingsCommand::SetFilter(with(Some(value.clone()))));
                }
            }
        });
    combo.response.labelled_by(label.id);
}

pub fn status_color(palette: Palette, status: Status) -> egui::Color32 {
    match status {
        Status::Fail => palette.error(),
        Status::Unknown => palette.warning(),
        Status::Suppressed | Status::Muted => palette.weak_text(),
        Status::Pass => palette.pass(),
    }
}

fn severity_color(palette: Palette, severity: Severity) -> egui::Color32 {
    match severity {
        Severity::Critical | Severity::High => palette.error(),
        Severity::Medium => palette.warning(),
        Severity::Low => palette.weak_text(),
    }
}

/// The words of a group header.
fn group_title(catalog: &Catalog, findings: &Findings, grouping: Grouping, id: u32) -> String {
    let label = findings.group_label(grouping, id);
    match grouping {
        Grouping::Service => catalog
            .service(label)
            .map_or_else(|| label.to_owned(), |s| s.name.clone()),
        Grouping::Check => label.to_owned(),
        Grouping::Control => catalog
            .control(label)
            .map_or_else(|| label.to_owned(), |c| format!("{label} {}", c.name)),
    }
}

fn list_ui(
    ui: &mut egui::Ui,
    session: &Session,
    ev: &EvidenceView,
    state: &mut UiState,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let view = session.findings_view();
    if view.rows.is_empty() {
        ui.add_space(12.0);
        ui.label("No finding matches these filters.");
        return;
    }
    let lines = Lines::new(session, view, &ev.findings);
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
    let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
    if state.scroll_to_selected {
        state.scroll_to_selected = false;
        if let Some(line) = state.finding_selected.and_then(|f| lines.line_of(view, f)) {
            let spacing = ui.spacing().item_spacing.y;
            let top = line as f32 * (row_height + spacing);
            let visible = ui.available_height();
            scroll = scroll.vertical_scroll_offset((top - visible / 2.0).max(0.0));
        }
    }
    let ctx = Ctx {
        session,
        ev,
        palette,
    };
    scroll.show_rows(ui, row_height, lines.total(), |ui, range| {
        for index in range {
            match lines.line(view, index) {
                Line::Header(g) => header_line(ui, &ctx, g, lines.expanded[g], out),
                Line::Row(f) => row_ui(ui, &ctx, f, row_height, state, out),
            }
        }
    });
}

/// What every line reads.
struct Ctx<'a> {
    session: &'a Session,
    ev: &'a EvidenceView,
    palette: Palette,
}

fn header_line(ui: &mut egui::Ui, ctx: &Ctx<'_>, g: usize, open: bool, out: &mut Vec<Request>) {
    let (ev, palette) = (ctx.ev, ctx.palette);
    let view = ctx.session.findings_view();
    let group = &view.groups[g];
    let title = group_title(ctx.session.catalog(), &ev.findings, view.grouping, group.id);
    let counts: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| group.counts.get(*s) > 0)
        .map(|s| format!("{} {}", group.counts.get(s), s.label().to_lowercase()))
        .collect();
    let arrow = if open { "⏷" } else { "⏵" };
    let text = RichText::new(format!("{arrow} {title}  ·  {}", counts.join(" · ")))
        .strong()
        .color(palette.text());
    let height = ui.text_style_height(&egui::TextStyle::Button) + 8.0;
    let (rect, response) =
        ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    ui.painter().rect_filled(rect, 2.0, palette.domain_fill());
    let inner = rect.shrink2(vec2(6.0, 0.0));
    column(ui, inner, text, Sense::hover());
    let verb = if open { "Collapse" } else { "Expand" };
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, format!("{verb} {title}"))
    });
    if response.clicked() {
        let key = findings_group_key(
            view.grouping,
            ev.findings.group_label(view.grouping, group.id),
        );
        cmd(out, FindingsCommand::ToggleGroup(key));
    }
}

/// A text in a column: placed in its rectangle, cut with "…" when too long.
fn column(ui: &mut egui::Ui, rect: egui::Rect, text: RichText, sense: Sense) -> egui::Response {
    ui.scope_builder(
        egui::UiBuilder::new()
            .max_rect(rect)
            .layout(Layout::left_to_right(Align::Center)),
        |ui| ui.add(egui::Label::new(text).truncate().sense(sense)),
    )
    .inner
}

/// Where each column of a row goes: fixed widths for the chip, status, severity and sources,
/// the rest shared by the title, the resource and (with several accounts or regions) where.
struct Columns {
    chip: Option<egui::Rect>,
    status: egui::Rect,
    severity: egui::Rect,
    title: egui::Rect,
    resource: egui::Rect,
    place: Option<egui::Rect>,
    sources: egui::Rect,
}

impl Columns {
    fn new(row: egui::Rect, with_chip: bool, with_place: bool) -> Columns {
        let gap = 10.0;
        let sources_width = 190.0;
        let chip_width = if with_chip { 118.0 + gap } else { 0.0 };
        // The severity column holds its longest word ("Critical", "Medium") whole.
        let severity_width = 84.0;
        let fixed = 18.0 + chip_width + (64.0 + gap) + (severity_width + gap) + sources_width + gap;
        let rest = (row.width() - fixed).max(240.0);
        let mut x = row.left() + 18.0;
        let mut take = |width: f32| {
            let r = egui::Rect::from_min_max(
                egui::pos2(x, row.top()),
                egui::pos2(x + width, row.bottom()),
            );
            x += width + gap;
            r
        };
        let chip = with_chip.then(|| take(118.0));
        let status = take(64.0);
        let severity = take(severity_width);
        // Where (account and region) only when there is room for it beside the title.
        let with_place = with_place && rest >= 560.0;
        let (title_w, resource_w, place_w) = if with_place {
            (rest * 0.45, rest * 0.30, rest * 0.25 - 2.0 * gap)
        } else {
            (rest * 0.6, rest * 0.4 - gap, 0.0)
        };
        let title = take(title_w);
        let resource = take(resource_w);
        let place = with_place.then(|| take(place_w));
        let sources = take(sources_width);
        Columns {
            chip,
            status,
            severity,
            title,
            resource,
            place,
            sources,
        }
    }
}

fn row_ui(
    ui: &mut egui::Ui,
    ctx: &Ctx<'_>,
    index: u32,
    height: f32,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let (session, ev, palette) = (ctx.session, ctx.ev, ctx.palette);
    let findings = &ev.findings;
    let Some(f) = findings.rows.get(index as usize) else {
        return;
    };
    let check = findings.check(f);
    let resource = findings
        .result(f, &ev.evidence)
        .map_or("", |r| &*r.resource_id);
    let (rect, row) = ui.allocate_exact_size(vec2(ui.available_width(), height), Sense::click());
    if state.finding_selected == Some(index) {
        ui.painter().rect_filled(rect, 4.0, palette.header_fill());
    } else if row.hovered() {
        ui.painter()
            .rect_stroke(rect, 4.0, palette.hover(), egui::StrokeKind::Inside);
    }
    let several_places = findings.accounts.len() > 1 || findings.regions.len() > 1;
    let cols = Columns::new(rect, session.engagement().is_some(), several_places);
    if let Some(chip_rect) = cols.chip {
        let decision = decision_of(session, ev, f);
        let label = format!(
            "Decision on {} of {resource}: {}",
            check.title,
            decision.label()
        );
        let response = ui
            .scope_builder(
                egui::UiBuilder::new()
                    .max_rect(chip_rect)
                    .layout(Layout::left_to_right(Align::Center)),
                |ui| chip(ui, palette, decision, &label),
            )
            .inner;
        if response
            .on_hover_text("Click (or Space) for the next decision; keys 1 to 5 choose one")
            .clicked()
        {
            state.finding_selected = Some(index);
            decide_selected(session, state, FindingEdit::CycleStatus, out);
        }
    }
    let status = RichText::new(f.status.label().to_uppercase())
        .strong()
        .color(status_color(palette, f.status));
    column(ui, cols.status, status, Sense::hover());
    let severity = findings.severity(f).map_or_else(
        || RichText::new("—"),
        |s| RichText::new(s.label()).color(severity_color(palette, s)),
    );
    column(ui, cols.severity, severity, Sense::hover());
    let title = column(
        ui,
        cols.title,
        RichText::new(&check.title).strong(),
        Sense::click(),
    )
    .on_hover_text(format!("{}: open this cell in the matrix", check.title));
    if title.clicked() {
        cmd(
            out,
            FindingsCommand::OpenCell {
                service: findings.service(f).to_owned(),
                control: findings.control(f).to_owned(),
            },
        );
    }
    column(
        ui,
        cols.resource,
        RichText::new(resource).monospace(),
        Sense::hover(),
    )
    .on_hover_text(resource);
    if let Some(place) = cols.place {
        let text = format!("{} · {}", findings.account(f), findings.region(f));
        column(
            ui,
            place,
            RichText::new(text).color(palette.weak_text()),
            Sense::hover(),
        );
    }
    column(
        ui,
        cols.sources,
        RichText::new(f.sources.labels()).color(palette.weak_text()),
        Sense::hover(),
    );
    let words = format!(
        "Finding: {} · {resource} · {} · {}",
        check.title,
        f.status.label(),
        f.sources.labels()
    );
    row.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &words));
    if row.clicked() {
        state.finding_selected = Some(index);
    }
}

fn decision_of(session: &Session, ev: &EvidenceView, f: &Finding) -> Decision {
    session.engagement().map_or(Decision::Open, |e| {
        let key = ev.findings.key(f, &ev.evidence);
        e.doc
            .finding_decision(&key, ev.findings.sole(f))
            .map_or(Decision::Open, |d| d.status)
    })
}

/// The selected finding in full, and its decision's editor.
fn editor_ui(
    ui: &mut egui::Ui,
    session: &Session,
    ev: &EvidenceView,
    f: &Finding,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let findings = &ev.findings;
    let check = findings.check(f);
    let result = findings.result(f, &ev.evidence);
    ui.add_space(4.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&check.title).strong().size(17.0));
        ui.label(RichText::new(result.map_or("", |r| &*r.resource_id)).monospace());
        ui.label(
            RichText::new(format!(
                "account {} · {}",
                findings.account(f),
                findings.region(f)
            ))
            .color(palette.weak_text()),
        );
        if ui.link("Open in the matrix").clicked() {
            cmd(
                out,
                FindingsCommand::OpenCell {
                    service: findings.service(f).to_owned(),
                    control: findings.control(f).to_owned(),
                },
            );
        }
    });
    // The detail names API fields ("IsMultiRegionTrail=false"): not while presenting.
    if let Some(r) = result.filter(|r| !r.detail.is_empty() && !session.presenting()) {
        ui.label(RichText::new(&*r.detail).color(palette.weak_text()));
    }
    ui.label(
        RichText::new(format!(
            "Reported by {} ({} result{})",
            f.sources.labels(),
            f.results,
            if f.results == 1 { "" } else { "s" }
        ))
        .color(palette.weak_text()),
    );
    let Some(e) = session.engagement() else {
        ui.label(RichText::new("Start or open an engagement (Engagement menu) to record a decision on this finding.").color(palette.warning()));
        return;
    };
    let key = e
        .doc
        .finding_decision_key(&findings.key(f, &ev.evidence), findings.sole(f));
    let decision = e.doc.findings.get(&key).cloned().unwrap_or_default();
    let decide = |out: &mut Vec<Request>, edit: FindingEdit| {
        cmd(
            out,
            FindingsCommand::Decide {
                key: key.clone(),
                edit,
            },
        );
    };
    ui.horizontal_wrapped(|ui| {
        if let Some(status) = status_buttons_ui(ui, decision.status) {
            decide(out, FindingEdit::Status(status));
        }
        ui.separator();
        let label = ui.label("Assignee:");
        if let Some(a) = assignee_ui(ui, "finding-assignee", decision.assignee.as_ref(), label.id) {
            decide(out, FindingEdit::Assignee(a));
        }
    });
    // Notes are internal: never on the screen while presenting.
    if !session.presenting() {
        let label = ui.label("Note:");
        if let Some(note) = note_ui(ui, &decision.note, label.id, false) {
            decide(out, FindingEdit::Note(note));
        }
    }
    ui.add_space(4.0);
}
