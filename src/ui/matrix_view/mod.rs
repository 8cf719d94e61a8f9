//! The matrix: controls (rows, grouped by domain, collapsible) x chosen services (columns).
//! Painted by hand inside one scroll area with a sticky header row and a sticky first column;
//! only the visible cells are laid out, so it stays fast with every service selected.

use super::Action;
use super::theme::Palette;
use crate::model::catalog::ServiceRef;
use crate::model::date::older_than_months;
use crate::model::engagement::{ItemKey, Status};
use crate::model::owner::Owner;
use crate::state::{Command, PRESETS, Session};
use egui::{Align2, CornerRadius, FontId, Rect, RichText, Sense, StrokeKind, pos2, vec2};

pub const ROW_HEADER_W: f32 = 310.0;
pub const COL_W: f32 = 124.0;
pub const HEADER_H: f32 = 74.0;
pub const ROW_H: f32 = 34.0;
pub const DOMAIN_H: f32 = 30.0;

enum Line {
    Domain { group: usize },
    Control { group: usize, row: usize },
}

/// The accessible label of a cell: "ec2 IAM-01: Customer".
pub fn cell_label(service_ref: &ServiceRef, control_id: &str, owner: Owner) -> String {
    format!("{} {control_id}: {}", service_ref.key(), owner.label())
}

pub fn matrix_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    actions: &mut Vec<Action>,
) {
    let matrix = session.matrix();
    if matrix.columns.is_empty() {
        empty_scope_ui(ui, actions);
        return;
    }
    if matrix.groups.is_empty() {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading("No control matches the filters.");
            if ui.button("Clear filters").clicked() {
                actions.push(Action::Command(Command::ClearFilters));
            }
        });
        return;
    }
    let catalog = &session.catalog;
    let mut lines = Vec::new();
    let mut height = HEADER_H;
    for (g, group) in matrix.groups.iter().enumerate() {
        lines.push((Line::Domain { group: g }, height));
        height += DOMAIN_H;
        if !session.collapsed.contains(&group.domain) {
            for r in 0..group.rows.len() {
                lines.push((Line::Control { group: g, row: r }, height));
                height += ROW_H;
            }
        }
    }
    let ncols = matrix.columns.len();
    // Few columns widen to use the screen (projectors); many keep a compact fixed width.
    let col_w =
        ((ui.available_width() - ROW_HEADER_W - 16.0) / ncols as f32).clamp(COL_W, 2.0 * COL_W);
    let width = ROW_HEADER_W + ncols as f32 * col_w;
    let body_font = FontId::proportional(14.5);
    let small_font = FontId::proportional(12.0);
    let bold_font = FontId::new(14.5, egui::FontFamily::Proportional);
    let counts = matrix.owner_counts();

    egui::ScrollArea::both()
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let (content, _) = ui.allocate_exact_size(vec2(width, height), Sense::hover());
            let origin = content.min;
            let visible = viewport.translate(origin.to_vec2());
            let painter = ui.painter().clone();
            let sticky_x = visible.min.x;
            let sticky_y = visible.min.y;
            let body = Rect::from_min_max(
                pos2(sticky_x + ROW_HEADER_W, sticky_y + HEADER_H),
                visible.max,
            );
            let first_col = (((viewport.min.x - ROW_HEADER_W) / col_w).floor().max(0.0)) as usize;
            let last_col =
                ((((viewport.max.x - ROW_HEADER_W) / col_w).ceil()).max(0.0) as usize).min(ncols);
            let col_x = |c: usize| origin.x + ROW_HEADER_W + c as f32 * col_w;

            // Body: domain bands and cells.
            for (line, top) in &lines {
                let line_h = if matches!(line, Line::Domain { .. }) {
                    DOMAIN_H
                } else {
                    ROW_H
                };
                if top + line_h < viewport.min.y + HEADER_H || *top > viewport.max.y {
                    continue;
                }
                let y = origin.y + top;
                match line {
                    Line::Domain { group } => {
                        let group = &matrix.groups[*group];
                        let rect =
                            Rect::from_min_size(pos2(sticky_x, y), vec2(visible.width(), DOMAIN_H));
                        painter.rect_filled(rect, CornerRadius::ZERO, palette.domain_fill());
                        let collapsed = session.collapsed.contains(&group.domain);
                        let name = catalog.domain_name(&group.domain);
                        disclosure_triangle(
                            &painter,
                            pos2(sticky_x + 16.0, y + DOMAIN_H / 2.0),
                            collapsed,
                            palette.text(),
                        );
                        painter.text(
                            pos2(sticky_x + 30.0, y + DOMAIN_H / 2.0),
                            Align2::LEFT_CENTER,
                            format!("{name}  ·  {} controls", group.rows.len()),
                            bold_font.clone(),
                            palette.text(),
                        );
                        let hit = rect.intersect(Rect::from_min_max(
                            pos2(sticky_x, sticky_y + HEADER_H),
                            visible.max,
                        ));
                        if hit.is_positive() {
                            let response = ui.interact(
                                hit,
                                ui.scope_id().with(("domain", &group.domain)),
                                Sense::click(),
                            );
                            let label =
                                format!("{} {name}", if collapsed { "Expand" } else { "Collapse" });
                            response.widget_info(|| {
                                egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                            });
                            if response.clicked() {
                                actions.push(Action::Command(Command::ToggleDomainCollapsed(
                                    group.domain.clone(),
                                )));
                            }
                        }
                    }
                    Line::Control { group, row } => {
                        let row = &matrix.groups[*group].rows[*row];
                        let control = &catalog.controls[row.control];
                        for c in first_col..last_col {
                            let column = &matrix.columns[c];
                            let owner = row.owners[c];
                            let rect = Rect::from_min_size(pos2(col_x(c), y), vec2(col_w, ROW_H))
                                .shrink(1.0);
                            let hit = rect.intersect(body);
                            if !hit.is_positive() {
                                continue;
                            }
                            let selected = session
                                .selected
                                .as_ref()
                                .is_some_and(|(r, id)| r == column && *id == control.id);
                            let active = session.filters.owners.is_empty()
                                || session.filters.owners.contains(&owner);
                            let fill = if active {
                                palette.owner_fill(owner)
                            } else {
                                palette.dimmed(palette.owner_fill(owner))
                            };
                            painter.rect_filled(rect, CornerRadius::same(3), fill);
                            let text_color = if active {
                                palette.owner_text(owner)
                            } else {
                                palette.dimmed(palette.owner_text(owner))
                            };
                            let status = session
                                .engagement
                                .as_ref()
                                .filter(|e| {
                                    owner.customer_involved() && e.doc.scope.contains(column)
                                })
                                .map(|e| e.doc.status(&ItemKey::new(column.clone(), &control.id)))
                                .filter(|s| *s != Status::Open);
                            if let Some(status) = status {
                                // Owner on the left, the engagement status as a pill on the right.
                                painter.text(
                                    rect.left_center() + vec2(8.0, 0.0),
                                    Align2::LEFT_CENTER,
                                    owner.label(),
                                    body_font.clone(),
                                    text_color,
                                );
                                let galley = painter.layout_no_wrap(
                                    status_short(status).to_owned(),
                                    small_font.clone(),
                                    palette.text(),
                                );
                                let pill = Rect::from_min_size(
                                    pos2(
                                        rect.right() - galley.size().x - 14.0,
                                        rect.center().y - galley.size().y / 2.0 - 2.0,
                                    ),
                                    vec2(galley.size().x + 10.0, galley.size().y + 4.0),
                                );
                                painter.rect_filled(
                                    pill,
                                    CornerRadius::same(6),
                                    palette.status_fill(status),
                                );
                                painter.galley(
                                    pill.center() - galley.size() / 2.0,
                                    galley,
                                    palette.text(),
                                );
                            } else {
                                painter.text(
                                    rect.center(),
                                    Align2::CENTER_CENTER,
                                    owner.label(),
                                    body_font.clone(),
                                    text_color,
                                );
                            }
                            let stale = catalog
                                .cell(column, &control.id)
                                .and_then(|cell| cell.data.last_verified.as_deref())
                                .is_some_and(|d| older_than_months(d, &session.today, 12));
                            if stale {
                                let corner = rect.left_bottom();
                                painter.add(egui::Shape::convex_polygon(
                                    vec![
                                        corner + vec2(2.0, -2.0),
                                        corner + vec2(12.0, -2.0),
                                        corner + vec2(2.0, -12.0),
                                    ],
                                    palette.warning(),
                                    egui::Stroke::NONE,
                                ));
                            }
                            let evidence = session
                                .evidence
                                .as_ref()
                                .filter(|_| owner.customer_involved())
                                .and_then(|v| v.cell_status(&column.service, &control.id));
                            if let Some(status) = evidence {
                                super::evidence::paint_marker(&painter, rect, palette, status);
                            }
                            if row.inherited[c] {
                                painter.circle_stroke(
                                    rect.right_top() + vec2(-7.0, 7.0),
                                    3.0,
                                    egui::Stroke::new(1.2, text_color),
                                );
                            }
                            let response = ui.interact(
                                hit,
                                ui.scope_id().with(("cell", c, row.control)),
                                Sense::click(),
                            );
                            let mut label = cell_label(column, &control.id, owner);
                            if let Some(status) = evidence {
                                label.push_str(", evidence: ");
                                label.push_str(status.label());
                            }
                            response.widget_info(|| {
                                egui::WidgetInfo::selected(
                                    egui::Role::Button,
                                    true,
                                    selected,
                                    &label,
                                )
                            });
                            if selected {
                                painter.rect_stroke(
                                    rect,
                                    CornerRadius::same(3),
                                    palette.selection(),
                                    StrokeKind::Inside,
                                );
                            } else if response.hovered() {
                                painter.rect_stroke(
                                    rect,
                                    CornerRadius::same(3),
                                    palette.hover(),
                                    StrokeKind::Inside,
                                );
                            }
                            if response.clicked() {
                                let next = if selected {
                                    None
                                } else {
                                    Some((column.clone(), control.id.clone()))
                                };
                                actions.push(Action::Command(Command::Select(next)));
                            }
                            response.on_hover_ui(|ui| {
                                cell_tooltip_ui(ui, session, column, &control.id, palette);
                            });
                        }
                        // Sticky row header, painted over the cells that scroll beneath it.
                        let header =
                            Rect::from_min_size(pos2(sticky_x, y), vec2(ROW_HEADER_W, ROW_H));
                        if header.bottom() > sticky_y + HEADER_H {
                            painter.rect_filled(header, CornerRadius::ZERO, palette.header_fill());
                            painter.text(
                                pos2(sticky_x + 10.0, y + ROW_H / 2.0),
                                Align2::LEFT_CENTER,
                                &control.id,
                                bold_font.clone(),
                                palette.weak_text(),
                            );
                            let name = painter.layout(
                                control.name.clone(),
                                body_font.clone(),
                                palette.text(),
                                ROW_HEADER_W - 84.0,
                            );
                            let name_pos =
                                pos2(sticky_x + 74.0, y + (ROW_H - name.size().y).max(0.0) / 2.0);
                            painter
                                .with_clip_rect(header)
                                .galley(name_pos, name, palette.text());
                            let hit = header.intersect(Rect::from_min_max(
                                pos2(sticky_x, sticky_y + HEADER_H),
                                visible.max,
                            ));
                            let response = ui.interact(
                                hit,
                                ui.scope_id().with(("row", row.control)),
                                Sense::hover(),
                            );
                            response.on_hover_ui(|ui| {
                                ui.set_max_width(420.0);
                                ui.label(
                                    RichText::new(format!("{} {}", control.id, control.name))
                                        .strong(),
                                );
                                ui.label(&control.description);
                            });
                        }
                    }
                }
            }

            // Sticky column header.
            let header_band =
                Rect::from_min_size(pos2(sticky_x, sticky_y), vec2(visible.width(), HEADER_H));
            painter.rect_filled(header_band, CornerRadius::ZERO, palette.header_fill());
            let header_clip = Rect::from_min_max(
                pos2(sticky_x + ROW_HEADER_W, sticky_y),
                pos2(visible.max.x, sticky_y + HEADER_H),
            );
            let header_painter = painter.with_clip_rect(header_clip.intersect(painter.clip_rect()));
            for (c, column) in matrix
                .columns
                .iter()
                .enumerate()
                .take(last_col)
                .skip(first_col)
            {
                let rect = Rect::from_min_size(pos2(col_x(c), sticky_y), vec2(col_w, HEADER_H))
                    .shrink2(vec2(4.0, 4.0));
                let tier = catalog.tier_of(column).map_or("", |t| t.as_str());
                let name = header_painter.layout(
                    catalog.short_name(column),
                    bold_font.clone(),
                    palette.text(),
                    col_w - 26.0,
                );
                header_painter.galley(rect.left_top(), name, palette.text());
                let tier_rect = header_painter.text(
                    rect.left_bottom(),
                    Align2::LEFT_BOTTOM,
                    format!("Tier {tier}"),
                    small_font.clone(),
                    palette.weak_text(),
                );
                let mut chip_x = tier_rect.right() + 6.0;
                for owner in [Owner::Customer, Owner::Shared] {
                    let n = counts[c].get(&owner).copied().unwrap_or(0);
                    let galley = header_painter.layout_no_wrap(
                        n.to_string(),
                        small_font.clone(),
                        palette.owner_text(owner),
                    );
                    let chip = Rect::from_min_size(
                        pos2(chip_x, rect.bottom() - galley.size().y - 2.0),
                        vec2(galley.size().x + 10.0, galley.size().y + 2.0),
                    );
                    header_painter.rect_filled(
                        chip,
                        CornerRadius::same(3),
                        palette.owner_fill(owner),
                    );
                    header_painter.galley(
                        chip.center() - galley.size() / 2.0,
                        galley,
                        palette.text(),
                    );
                    chip_x = chip.right() + 4.0;
                }
                let close =
                    Rect::from_center_size(rect.right_top() + vec2(-8.0, 9.0), vec2(18.0, 18.0));
                let hit = close.intersect(header_clip);
                if hit.is_positive() {
                    let response =
                        ui.interact(hit, ui.scope_id().with(("remove", c)), Sense::click());
                    let label = format!("Remove {}", column.key());
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::Role::Button, true, &label)
                    });
                    let color = if response.hovered() {
                        palette.error()
                    } else {
                        palette.weak_text()
                    };
                    let arm = 4.5;
                    let stroke = egui::Stroke::new(1.6, color);
                    header_painter.line_segment(
                        [
                            close.center() + vec2(-arm, -arm),
                            close.center() + vec2(arm, arm),
                        ],
                        stroke,
                    );
                    header_painter.line_segment(
                        [
                            close.center() + vec2(-arm, arm),
                            close.center() + vec2(arm, -arm),
                        ],
                        stroke,
                    );
                    if response.clicked() {
                        actions.push(Action::Command(Command::RemoveColumn(column.clone())));
                    }
                    response.on_hover_text(format!(
                        "Remove {} from the matrix",
                        catalog.display_name(column)
                    ));
                }
                let name_hit = rect.intersect(header_clip);
                if name_hit.is_positive() {
                    let response =
                        ui.interact(name_hit, ui.scope_id().with(("colhead", c)), Sense::hover());
                    response.on_hover_ui(|ui| column_tooltip_ui(ui, session, column));
                }
            }
            // Corner.
            let corner =
                Rect::from_min_size(pos2(sticky_x, sticky_y), vec2(ROW_HEADER_W, HEADER_H));
            painter.rect_filled(corner, CornerRadius::ZERO, palette.header_fill());
            painter.text(
                corner.left_bottom() + vec2(10.0, -8.0),
                Align2::LEFT_BOTTOM,
                "Control",
                bold_font.clone(),
                palette.weak_text(),
            );
            painter.text(
                corner.right_top() + vec2(-10.0, 8.0),
                Align2::RIGHT_TOP,
                "Services",
                small_font.clone(),
                palette.weak_text(),
            );
            painter.text(
                corner.right_bottom() + vec2(-10.0, -8.0),
                Align2::RIGHT_BOTTOM,
                "customer / shared count",
                small_font.clone(),
                palette.weak_text(),
            );
            painter.line_segment(
                [corner.left_bottom(), pos2(visible.max.x, corner.bottom())],
                egui::Stroke::new(1.0, palette.weak_text()),
            );
        });
}

/// The status as a few letters for a matrix cell.
fn status_short(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::InProgress => "doing",
        Status::Done => "done",
        Status::NotApplicable => "n/a",
        Status::RiskAccepted => "risk",
    }
}

/// A small filled triangle pointing right (collapsed) or down (open).
fn disclosure_triangle(
    painter: &egui::Painter,
    center: egui::Pos2,
    collapsed: bool,
    color: egui::Color32,
) {
    let r = 5.0;
    let points = if collapsed {
        vec![
            center + vec2(-r * 0.6, -r),
            center + vec2(r * 0.9, 0.0),
            center + vec2(-r * 0.6, r),
        ]
    } else {
        vec![
            center + vec2(-r, -r * 0.6),
            center + vec2(r, -r * 0.6),
            center + vec2(0.0, r * 0.9),
        ]
    };
    painter.add(egui::Shape::convex_polygon(
        points,
        color,
        egui::Stroke::NONE,
    ));
}

fn empty_scope_ui(ui: &mut egui::Ui, actions: &mut Vec<Action>) {
    ui.add_space(32.0);
    ui.vertical_centered(|ui| {
        ui.heading("Pick the client's services on the left, or start from a preset:");
        ui.add_space(12.0);
        for (index, preset) in PRESETS.iter().enumerate() {
            if ui.button(preset.name).clicked() {
                actions.push(Action::Command(Command::ApplyPreset(index)));
            }
        }
    });
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    }
}

fn cell_tooltip_ui(
    ui: &mut egui::Ui,
    session: &Session,
    column: &ServiceRef,
    control_id: &str,
    palette: Palette,
) {
    let catalog = &session.catalog;
    let Some(cell) = catalog.cell(column, control_id) else {
        return;
    };
    let control_name = catalog.control(control_id).map_or("", |c| c.name.as_str());
    ui.set_max_width(460.0);
    ui.label(
        RichText::new(format!(
            "{} · {control_id} {control_name}",
            catalog.display_name(column)
        ))
        .strong(),
    );
    super::widgets::owner_badge(ui, palette, cell.owner());
    ui.label(RichText::new("AWS does").strong());
    ui.label(truncate(&cell.data.aws_does, 320));
    ui.label(RichText::new("Customer does").strong());
    ui.label(truncate(&cell.data.customer_does, 320));
    if let Some(date) = &cell.data.last_verified {
        ui.label(RichText::new(format!("Last verified {date}")).small());
    }
    let origin = if cell.inherited() {
        "Generic tier text (not yet service-specific)."
    } else {
        "Service-specific text."
    };
    ui.label(
        RichText::new(format!("{origin} Click for sources and framework ids."))
            .color(palette.weak_text())
            .small(),
    );
}

fn column_tooltip_ui(ui: &mut egui::Ui, session: &Session, column: &ServiceRef) {
    let catalog = &session.catalog;
    let Some(service) = catalog.service(&column.service) else {
        return;
    };
    ui.set_max_width(440.0);
    ui.label(RichText::new(catalog.display_name(column)).strong());
    if let Some(tier) = catalog.tier_of(column) {
        ui.label(format!("Tier {} ({})", tier.as_str(), tier.label()));
    }
    ui.label(&service.summary);
    if let Some(variant) = column.variant.as_deref().and_then(|v| service.variant(v)) {
        ui.label(RichText::new(&variant.summary).italics());
    }
}
