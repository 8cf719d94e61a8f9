//! Compare 2 to 4 services or variants side by side, told as a story: one headline per step
//! ("Moving from ECS on EC2 to ECS on Fargate takes 3 controls off your plate"), a stacked
//! Customer / Shared / AWS bar per column, an arrow on every cell whose owner changes from the
//! column before, "only changed rows", and a header that stays while the rows scroll.

use super::finder;
use super::theme::{Palette, text_sizes};
use super::{Request, UiState};
use crate::model::catalog::ServiceRef;
use crate::model::matrix::{CompareRow, Comparison};
use crate::model::owner::Owner;
use crate::model::words;
use crate::state::{CompareCommand, PRESETS, Session, ViewCommand};
use egui::{Align2, CornerRadius, FontId, Rect, RichText, Sense, Stroke, pos2, vec2};

/// Compare's view-local state.
#[derive(Debug, Default)]
pub struct CompareState {
    /// Show only the rows whose owner differs between the columns.
    pub only_changed: bool,
}

/// The order of the bar's segments: the customer's load first.
const BAR_OWNERS: [Owner; 4] = [
    Owner::Customer,
    Owner::Shared,
    Owner::Aws,
    Owner::NotApplicable,
];

pub fn compare_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    ui.add_space(4.0);
    slots_ui(ui, session, state, out);
    let cmp = session.comparison();
    if cmp.columns.len() < 2 {
        ui.add_space(20.0);
        ui.label("Choose at least two services or variants to compare.");
        return;
    }
    headlines_ui(ui, session, cmp, palette);
    ui.add_space(4.0);
    let geometry = Geometry::new(
        ui.available_width(),
        cmp.columns.len(),
        session.presenting(),
    );
    header_ui(ui, session, cmp, palette, &geometry);
    let rows: Vec<&CompareRow> = cmp
        .rows
        .iter()
        .filter(|r| r.differs || !state.compare.only_changed)
        .collect();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for row in rows {
                row_ui(ui, session, cmp, row, palette, &geometry, out);
            }
        });
}

/// Column choosers (searchable), presets, "only changed rows".
fn slots_ui(ui: &mut egui::Ui, session: &Session, state: &mut UiState, out: &mut Vec<Request>) {
    let catalog = session.catalog();
    let slots = session.compare_slots();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Compare").heading());
        for (slot, current) in slots.iter().enumerate() {
            let label = format!("Compare column {}", slot + 1);
            let chosen = finder::service_combo(
                ui,
                catalog,
                ("compare-slot", slot),
                &label,
                current.as_ref(),
                180.0,
            );
            if let Some(pick) = chosen {
                let service = match pick {
                    finder::Pick::Nothing => None,
                    finder::Pick::Service(r) => Some(r),
                };
                out.push(Request::Command(
                    CompareCommand::SetSlot { slot, service }.into(),
                ));
            }
            if slot + 1 < slots.len() {
                ui.label("then");
            }
        }
        ui.menu_button("Compare presets…", |ui| {
            for (index, preset) in PRESETS.iter().enumerate() {
                if ui.button(preset.name).clicked() {
                    out.push(Request::Command(CompareCommand::ApplyPreset(index).into()));
                }
            }
        });
        ui.checkbox(&mut state.compare.only_changed, "Only changed rows")
            .on_hover_text("Hide the controls whose owner is the same in every column");
    });
}

/// One sentence per step, large enough for the back of the room.
fn headlines_ui(ui: &mut egui::Ui, session: &Session, cmp: &Comparison, palette: Palette) {
    let catalog = session.catalog();
    let size = text_sizes(session.presenting()).heading - 2.0;
    for shift in &cmp.shifts {
        let sentence = words::shift_headline(
            shift,
            &catalog.short_name(&shift.from),
            &catalog.short_name(&shift.to),
        );
        ui.label(
            RichText::new(sentence)
                .size(size)
                .strong()
                .color(palette.text()),
        );
    }
    ui.label(
        RichText::new(format!(
            "{} of {} change owner across these columns (marked with an arrow).",
            words::controls(cmp.differing_rows()),
            cmp.rows.len()
        ))
        .color(palette.weak_text()),
    );
}

/// Where things go across the width.
struct Geometry {
    row_header_w: f32,
    col_w: f32,
    row_h: f32,
    font: FontId,
    small: FontId,
}

impl Geometry {
    fn new(width: f32, columns: usize, presenting: bool) -> Self {
        let sizes = text_sizes(presenting);
        let row_header_w = (width * 0.34).clamp(220.0, 380.0);
        let col_w = ((width - row_header_w - 20.0) / columns as f32).clamp(110.0, 300.0);
        Geometry {
            row_header_w,
            col_w,
            row_h: if presenting { 44.0 } else { 32.0 },
            font: FontId::proportional(sizes.body),
            small: FontId::proportional(sizes.small),
        }
    }
}

/// The sticky header: per column its name and the stacked owner bar with counts.
fn header_ui(
    ui: &mut egui::Ui,
    session: &Session,
    cmp: &Comparison,
    palette: Palette,
    g: &Geometry,
) {
    let catalog = session.catalog();
    let line = g.font.size * 1.3;
    let bar_h = g.small.size + 10.0;
    let height = 2.0 * line + bar_h + 16.0;
    let width = g.row_header_w + g.col_w * cmp.columns.len() as f32;
    let (band, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
    let painter = ui.painter_at(band);
    painter.rect_filled(band, CornerRadius::ZERO, palette.header_fill());
    legend(&painter, band.left_top() + vec2(8.0, 8.0), palette, g);
    painter.text(
        band.left_bottom() + vec2(8.0, -6.0),
        Align2::LEFT_BOTTOM,
        "Control",
        g.font.clone(),
        palette.weak_text(),
    );
    for (c, column) in cmp.columns.iter().enumerate() {
        let left = band.left() + g.row_header_w + g.col_w * c as f32;
        let cell = Rect::from_min_size(pos2(left, band.top()), vec2(g.col_w, height)).shrink(4.0);
        // The name on up to two lines; the bar below it, numbers inside.
        let name = painter.layout(
            catalog.short_name(column),
            g.font.clone(),
            palette.text(),
            cell.width(),
        );
        let name_rect = Rect::from_min_size(cell.min, vec2(cell.width(), 2.0 * line));
        painter
            .with_clip_rect(name_rect.intersect(painter.clip_rect()))
            .galley(cell.left_top(), name, palette.text());
        let bar = Rect::from_min_max(pos2(cell.left(), cell.bottom() - bar_h), cell.max);
        let totals = &cmp.totals[c];
        let count = |o: Owner| totals.get(&o).copied().unwrap_or(0);
        stacked_bar(
            &painter,
            bar,
            &BAR_OWNERS.map(|o| (o, count(o))),
            palette,
            g,
        );
        let label = format!(
            "{}: Customer {}, Shared {}, AWS {}, Not applicable {}",
            catalog.short_name(column),
            count(Owner::Customer),
            count(Owner::Shared),
            count(Owner::Aws),
            count(Owner::NotApplicable)
        );
        let response = ui.interact(bar, ui.scope_id().with(("bar", c)), Sense::hover());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, &label));
        response.on_hover_text(label);
    }
}

/// What the bars' colours mean: a chip per owner, in the bars' order.
fn legend(painter: &egui::Painter, at: egui::Pos2, palette: Palette, g: &Geometry) {
    let mut x = at.x;
    for owner in [Owner::Customer, Owner::Shared, Owner::Aws] {
        let text = painter.layout_no_wrap(
            owner.label().to_owned(),
            g.small.clone(),
            palette.owner_text(owner),
        );
        let chip = Rect::from_min_size(pos2(x, at.y), text.size() + vec2(10.0, 4.0));
        painter.rect_filled(chip, CornerRadius::same(3), palette.owner_fill(owner));
        painter.galley(
            chip.center() - text.size() / 2.0,
            text,
            palette.owner_text(owner),
        );
        x = chip.right() + 4.0;
    }
}

/// A bar split by owner in proportion to the counts, each segment labelled when it has room.
fn stacked_bar(
    painter: &egui::Painter,
    bar: Rect,
    counts: &[(Owner, usize)],
    palette: Palette,
    g: &Geometry,
) {
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return;
    }
    let mut x = bar.left();
    for &(owner, n) in counts {
        if n == 0 {
            continue;
        }
        let w = bar.width() * n as f32 / total as f32;
        let segment = Rect::from_min_max(pos2(x, bar.top()), pos2(x + w, bar.bottom()));
        painter.rect_filled(segment, CornerRadius::ZERO, palette.owner_fill(owner));
        if let Some(stroke) = palette.owner_outline(owner) {
            painter.rect_stroke(
                segment,
                CornerRadius::ZERO,
                stroke,
                egui::StrokeKind::Inside,
            );
        }
        let text =
            painter.layout_no_wrap(n.to_string(), g.small.clone(), palette.owner_text(owner));
        if text.size().x + 4.0 <= w {
            painter.galley(
                segment.center() - text.size() / 2.0,
                text,
                palette.owner_text(owner),
            );
        }
        x += w;
    }
}

/// One control: its mark and name, then a cell per column.
fn row_ui(
    ui: &mut egui::Ui,
    session: &Session,
    cmp: &Comparison,
    row: &CompareRow,
    palette: Palette,
    g: &Geometry,
    out: &mut Vec<Request>,
) {
    let catalog = session.catalog();
    let control = &catalog.controls[row.control];
    let width = g.row_header_w + g.col_w * cmp.columns.len() as f32;
    // Every row is laid out (42 at most): all of them are in the accessibility tree.
    let (rect, _) = ui.allocate_exact_size(vec2(width, g.row_h), Sense::hover());
    let header = Rect::from_min_size(rect.min, vec2(g.row_header_w, g.row_h));
    if row.differs {
        ui.painter().rect_filled(
            header.shrink(1.0),
            CornerRadius::same(3),
            palette.differs_fill(),
        );
    }
    let mark = ui.interact(
        header,
        ui.scope_id().with(("row", &control.id)),
        Sense::hover(),
    );
    let row_label = format!(
        "{} {}",
        control.id,
        if row.differs { "differs" } else { "same" }
    );
    mark.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, &row_label));
    let name = ui.painter().layout(
        format!("{}  {}", control.id, control.name),
        g.font.clone(),
        palette.text(),
        g.row_header_w - 12.0,
    );
    let name_pos = pos2(header.left() + 6.0, header.center().y - name.size().y / 2.0);
    ui.painter()
        .with_clip_rect(header)
        .galley(name_pos, name, palette.text());
    mark.on_hover_text(&control.description);
    for (c, owner) in row.owners.iter().enumerate() {
        let cell = Rect::from_min_size(
            pos2(header.right() + g.col_w * c as f32, rect.top()),
            vec2(g.col_w, g.row_h),
        )
        .shrink(1.5);
        let before = c
            .checked_sub(1)
            .map(|p| row.owners[p])
            .filter(|b| b != owner);
        cell_ui(
            ui,
            session,
            &cmp.columns[c],
            &control.id,
            *owner,
            before,
            cell,
            palette,
            g,
            out,
        );
    }
}

/// One compare cell: owner fill and label, an arrow when the owner changed from the column
/// before (`before`); click for the detail.
#[allow(clippy::too_many_arguments)]
fn cell_ui(
    ui: &mut egui::Ui,
    session: &Session,
    column: &ServiceRef,
    control_id: &str,
    owner: Owner,
    before: Option<Owner>,
    rect: Rect,
    palette: Palette,
    g: &Geometry,
    out: &mut Vec<Request>,
) {
    let id = ui.scope_id().with(("cmp-cell", column.key(), control_id));
    let response = ui.interact(rect, id, Sense::click());
    let selected = session
        .selected()
        .is_some_and(|(r, c)| r == column && c == control_id);
    let painter = ui.painter();
    painter.rect_filled(rect, CornerRadius::same(3), palette.owner_fill(owner));
    if let Some(stroke) = palette.owner_outline(owner) {
        painter.rect_stroke(
            rect,
            CornerRadius::same(3),
            stroke,
            egui::StrokeKind::Inside,
        );
    }
    let text = palette.owner_text(owner);
    let mut label_center = rect.center();
    if before.is_some() {
        change_arrow(painter, pos2(rect.left() + 14.0, rect.center().y), text);
        label_center.x += 10.0;
    }
    painter.text(
        label_center,
        Align2::CENTER_CENTER,
        owner.label(),
        g.font.clone(),
        text,
    );
    let outline = if selected {
        Some(palette.selection())
    } else if response.hovered() {
        Some(palette.hover())
    } else {
        None
    };
    if let Some(stroke) = outline {
        painter.rect_stroke(
            rect,
            CornerRadius::same(3),
            stroke,
            egui::StrokeKind::Inside,
        );
    }
    let mut label = super::matrix_view::cell_label(column, control_id, owner);
    if let Some(b) = before {
        label.push_str(", changed from ");
        label.push_str(b.label());
    }
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
    let response = match before {
        Some(b) => response.on_hover_text(format!("{} in the column before", b.label())),
        None => response,
    };
    if response.clicked() {
        let next = (!selected).then(|| (column.clone(), control_id.to_owned()));
        out.push(Request::Command(ViewCommand::Select(next).into()));
    }
}

/// A right-pointing arrow (shaft and head) centred on `at`: "changed from the column before".
/// Painted, not a font glyph (the fonts have no arrow).
fn change_arrow(painter: &egui::Painter, at: egui::Pos2, color: egui::Color32) {
    let stroke = Stroke::new(2.0, color);
    painter.line_segment([at + vec2(-7.0, 0.0), at + vec2(3.0, 0.0)], stroke);
    painter.add(egui::Shape::convex_polygon(
        vec![
            at + vec2(1.0, -5.0),
            at + vec2(8.0, 0.0),
            at + vec2(1.0, 5.0),
        ],
        color,
        Stroke::NONE,
    ));
}
