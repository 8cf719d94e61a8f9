//! Compare 2 to 4 services or variants side by side: rows whose owner differs are marked,
//! and the header says what moves between neighbours (EC2 -> Fargate -> Lambda).

use super::Request;
use super::theme::Palette;
use crate::model::catalog::ServiceRef;
use crate::model::matrix::Comparison;
use crate::model::owner::Owner;
use crate::state::{CompareCommand, Session, ViewCommand};
use egui::{Align2, CornerRadius, FontId, RichText, Sense, vec2};

fn set_slot(out: &mut Vec<Request>, slot: usize, service: Option<ServiceRef>) {
    out.push(Request::Command(
        CompareCommand::SetSlot { slot, service }.into(),
    ));
}

pub fn compare_ui(ui: &mut egui::Ui, session: &Session, palette: Palette, out: &mut Vec<Request>) {
    ui.add_space(6.0);
    slots_ui(ui, session, out);
    let cmp = session.comparison();
    if cmp.columns.len() < 2 {
        ui.add_space(20.0);
        ui.label("Choose at least two services or variants to compare.");
        return;
    }
    ui.add_space(4.0);
    shifts_ui(ui, session, cmp);
    ui.separator();
    grid_ui(ui, session, cmp, palette, out);
}

/// The column choosers: "Compare [EC2] then [ECS on Fargate] then …".
fn slots_ui(ui: &mut egui::Ui, session: &Session, out: &mut Vec<Request>) {
    let catalog = session.catalog();
    let slots = session.compare_slots();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Compare").heading());
        for (slot, current) in slots.iter().enumerate() {
            let text = current
                .as_ref()
                .map_or_else(|| "—".to_owned(), |r| catalog.short_name(r));
            let combo = egui::ComboBox::from_id_salt(("compare-slot", slot))
                .selected_text(text)
                .width(190.0)
                .show_ui(ui, |ui| {
                    if ui.selectable_label(current.is_none(), "— (none)").clicked() {
                        set_slot(out, slot, None);
                    }
                    for r in catalog.all_refs() {
                        let selected = current.as_ref() == Some(&r);
                        if ui
                            .selectable_label(selected, catalog.display_name(&r))
                            .clicked()
                        {
                            set_slot(out, slot, Some(r));
                        }
                    }
                });
            let label = format!("Compare column {}", slot + 1);
            combo
                .response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, &label));
            if slot + 1 < slots.len() {
                ui.label("then");
            }
        }
    });
}

/// How many rows differ, and what moves between neighbouring columns.
fn shifts_ui(ui: &mut egui::Ui, session: &Session, cmp: &Comparison) {
    let catalog = session.catalog();
    ui.label(
        RichText::new(format!(
            "{} of {} controls change owner across these columns (marked with a diamond).",
            cmp.differing_rows(),
            cmp.rows.len()
        ))
        .strong(),
    );
    for shift in &cmp.shifts {
        let moves: Vec<String> = shift
            .moves
            .iter()
            .map(|((a, b), n)| format!("{n} {} to {}", a.label(), b.label()))
            .collect();
        ui.label(format!(
            "{} to {}: {} leave the customer's plate, {} taken on{}",
            catalog.short_name(&shift.from),
            catalog.short_name(&shift.to),
            shift.relieved(),
            shift.taken_on(),
            if moves.is_empty() {
                String::new()
            } else {
                format!("  ({})", moves.join(", "))
            }
        ));
    }
}

fn grid_ui(
    ui: &mut egui::Ui,
    session: &Session,
    cmp: &Comparison,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let catalog = session.catalog();
    let col_w = ((ui.available_width() - 440.0) / cmp.columns.len() as f32).clamp(96.0, 200.0);
    let font = FontId::proportional(14.5);
    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("compare-grid")
                .num_columns(cmp.columns.len() + 2)
                .spacing([4.0, 3.0])
                .show(ui, |ui| {
                    ui.label("");
                    ui.label(RichText::new("Control").strong());
                    for (c, column) in cmp.columns.iter().enumerate() {
                        let totals = &cmp.totals[c];
                        ui.vertical(|ui| {
                            ui.set_width(col_w);
                            ui.label(RichText::new(catalog.short_name(column)).strong());
                            ui.label(
                                RichText::new(format!(
                                    "Customer {} · Shared {} · AWS {}",
                                    totals.get(&Owner::Customer).copied().unwrap_or(0),
                                    totals.get(&Owner::Shared).copied().unwrap_or(0),
                                    totals.get(&Owner::Aws).copied().unwrap_or(0)
                                ))
                                .small()
                                .color(palette.weak_text()),
                            );
                        });
                    }
                    ui.end_row();
                    for row in &cmp.rows {
                        let control = &catalog.controls[row.control];
                        let (mark_rect, mark_response) =
                            ui.allocate_exact_size(vec2(16.0, 16.0), Sense::hover());
                        if row.differs {
                            let c = mark_rect.center();
                            let r = 6.0;
                            ui.painter().add(egui::Shape::convex_polygon(
                                vec![
                                    c + vec2(0.0, -r),
                                    c + vec2(r, 0.0),
                                    c + vec2(0.0, r),
                                    c + vec2(-r, 0.0),
                                ],
                                palette.differs_mark(),
                                egui::Stroke::NONE,
                            ));
                        }
                        let row_label = if row.differs {
                            format!("{} differs", control.id)
                        } else {
                            format!("{} same", control.id)
                        };
                        mark_response.widget_info(|| {
                            egui::WidgetInfo::labeled(egui::Role::Label, true, &row_label)
                        });
                        let name = RichText::new(format!("{}  {}", control.id, control.name));
                        let name = if row.differs {
                            name.strong().background_color(palette.differs_fill())
                        } else {
                            name
                        };
                        ui.label(name).on_hover_text(&control.description);
                        for (c, owner) in row.owners.iter().enumerate() {
                            compare_cell_ui(
                                ui,
                                session,
                                &cmp.columns[c],
                                &control.id,
                                *owner,
                                palette,
                                &font,
                                col_w,
                                out,
                            );
                        }
                        ui.end_row();
                    }
                });
        });
}

#[allow(clippy::too_many_arguments)]
fn compare_cell_ui(
    ui: &mut egui::Ui,
    session: &Session,
    column: &ServiceRef,
    control_id: &str,
    owner: Owner,
    palette: Palette,
    font: &FontId,
    width: f32,
    out: &mut Vec<Request>,
) {
    let (rect, response) = ui.allocate_exact_size(vec2(width, 28.0), Sense::click());
    let selected = session
        .selected()
        .is_some_and(|(r, id)| r == column && id == control_id);
    ui.painter()
        .rect_filled(rect, CornerRadius::same(3), palette.owner_fill(owner));
    ui.painter().text(
        rect.center(),
        Align2::CENTER_CENTER,
        owner.label(),
        font.clone(),
        palette.owner_text(owner),
    );
    if selected {
        ui.painter().rect_stroke(
            rect,
            CornerRadius::same(3),
            palette.selection(),
            egui::StrokeKind::Inside,
        );
    } else if response.hovered() {
        ui.painter().rect_stroke(
            rect,
            CornerRadius::same(3),
            palette.hover(),
            egui::StrokeKind::Inside,
        );
    }
    let label = super::matrix_view::cell_label(column, control_id, owner);
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
    if response.clicked() {
        let next = if selected {
            None
        } else {
            Some((column.clone(), control_id.to_owned()))
        };
        out.push(Request::Command(ViewCommand::Select(next).into()));
    }
}
