//! Small paint helpers of the matrix: one per part (domain band, cell, row header, column
//! header, corner). They draw; they do not interact and do not decide what is shown.

use super::layout::{DOMAIN_H, ROW_HEADER_W};
use crate::model::catalog::Control;
use crate::model::engagement::Status;
use crate::model::evidence::CellStatus;
use crate::model::owner::{Owner, Tier};
use crate::ui::theme::Palette;
use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Painter, Pos2, Rect, Stroke, StrokeKind,
    pos2, vec2,
};

/// The fonts of the matrix.
pub struct Fonts {
    pub body: FontId,
    pub small: FontId,
    pub bold: FontId,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            body: FontId::proportional(14.5),
            small: FontId::proportional(12.0),
            bold: FontId::new(14.5, FontFamily::Proportional),
        }
    }
}

/// A domain's band: disclosure triangle, name, control count.
pub fn domain_band(
    painter: &Painter,
    band: Rect,
    label: String,
    collapsed: bool,
    palette: Palette,
    fonts: &Fonts,
) {
    painter.rect_filled(band, CornerRadius::ZERO, palette.domain_fill());
    let middle = band.top() + DOMAIN_H / 2.0;
    disclosure_triangle(
        painter,
        pos2(band.left() + 16.0, middle),
        collapsed,
        palette.text(),
    );
    painter.text(
        pos2(band.left() + 30.0, middle),
        Align2::LEFT_CENTER,
        label,
        fonts.bold.clone(),
        palette.text(),
    );
}

/// What a cell shows.
pub struct CellLook {
    pub owner: Owner,
    /// False when the owner filter leaves this owner out: the cell is dimmed.
    pub active: bool,
    /// The engagement's status, when decided (not open).
    pub status: Option<Status>,
    /// Verified more than 12 months ago.
    pub stale: bool,
    pub evidence: Option<CellStatus>,
    /// Generic tier text, not yet service-specific.
    pub inherited: bool,
}

/// A cell: owner colour and label, status pill, stale corner, evidence marker, generic mark.
pub fn cell(painter: &Painter, rect: Rect, look: &CellLook, palette: Palette, fonts: &Fonts) {
    let owner = look.owner;
    let (fill, text_color) = if look.active {
        (palette.owner_fill(owner), palette.owner_text(owner))
    } else {
        (
            palette.dimmed(palette.owner_fill(owner)),
            palette.dimmed(palette.owner_text(owner)),
        )
    };
    painter.rect_filled(rect, CornerRadius::same(3), fill);
    if let Some(status) = look.status {
        // Owner on the left, the engagement status as a pill on the right.
        painter.text(
            rect.left_center() + vec2(8.0, 0.0),
            Align2::LEFT_CENTER,
            owner.label(),
            fonts.body.clone(),
            text_color,
        );
        status_pill(painter, rect, status, palette, fonts);
    } else {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            owner.label(),
            fonts.body.clone(),
            text_color,
        );
    }
    if look.stale {
        corner_triangle(painter, rect.left_bottom(), palette.warning());
    }
    if let Some(status) = look.evidence {
        crate::ui::evidence::paint_marker(painter, rect, palette, status);
    }
    if look.inherited {
        painter.circle_stroke(
            rect.right_top() + vec2(-7.0, 7.0),
            3.0,
            Stroke::new(1.2, text_color),
        );
    }
}

/// The outline of the selected cell, or of the one under the pointer.
pub fn cell_outline(
    painter: &Painter,
    rect: Rect,
    selected: bool,
    hovered: bool,
    palette: Palette,
) {
    let stroke = if selected {
        palette.selection()
    } else if hovered {
        palette.hover()
    } else {
        return;
    };
    painter.rect_stroke(rect, CornerRadius::same(3), stroke, StrokeKind::Inside);
}

fn status_pill(painter: &Painter, cell: Rect, status: Status, palette: Palette, fonts: &Fonts) {
    let galley = painter.layout_no_wrap(
        status_short(status).to_owned(),
        fonts.small.clone(),
        palette.text(),
    );
    let pill = Rect::from_min_size(
        pos2(
            cell.right() - galley.size().x - 14.0,
            cell.center().y - galley.size().y / 2.0 - 2.0,
        ),
        vec2(galley.size().x + 10.0, galley.size().y + 4.0),
    );
    painter.rect_filled(pill, CornerRadius::same(6), palette.status_fill(status));
    painter.galley(pill.center() - galley.size() / 2.0, galley, palette.text());
}

/// A small triangle in a cell's bottom-left corner.
fn corner_triangle(painter: &Painter, corner: Pos2, color: Color32) {
    painter.add(egui::Shape::convex_polygon(
        vec![
            corner + vec2(2.0, -2.0),
            corner + vec2(12.0, -2.0),
            corner + vec2(2.0, -12.0),
        ],
        color,
        Stroke::NONE,
    ));
}

/// The status as a few letters for a matrix cell.
pub fn status_short(status: Status) -> &'static str {
    match status {
        Status::Open => "open",
        Status::InProgress => "in progress",
        Status::Done => "done",
        Status::NotApplicable => "n/a",
        Status::RiskAccepted => "risk",
    }
}

/// A control's sticky row header: id and name, clipped to the header.
pub fn row_header(
    painter: &Painter,
    header: Rect,
    control: &Control,
    palette: Palette,
    fonts: &Fonts,
) {
    painter.rect_filled(header, CornerRadius::ZERO, palette.header_fill());
    painter.text(
        pos2(header.left() + 10.0, header.center().y),
        Align2::LEFT_CENTER,
        &control.id,
        fonts.bold.clone(),
        palette.weak_text(),
    );
    let name = painter.layout(
        control.name.clone(),
        fonts.body.clone(),
        palette.text(),
        ROW_HEADER_W - 84.0,
    );
    let name_pos = pos2(
        header.left() + 74.0,
        header.top() + (header.height() - name.size().y).max(0.0) / 2.0,
    );
    painter
        .with_clip_rect(header)
        .galley(name_pos, name, palette.text());
}

/// What a column header shows.
pub struct ColumnLook<'a> {
    pub name: String,
    pub tier: Option<Tier>,
    /// How many rows are Customer, and Shared.
    pub customer: usize,
    pub shared: usize,
    pub palette: Palette,
    pub fonts: &'a Fonts,
}

/// A column header: service name, tier, customer and shared counts as chips.
pub fn column_header(painter: &Painter, rect: Rect, width: f32, look: &ColumnLook<'_>) {
    let (palette, fonts) = (look.palette, look.fonts);
    let name = painter.layout(
        look.name.clone(),
        fonts.bold.clone(),
        palette.text(),
        width - 26.0,
    );
    painter.galley(rect.left_top(), name, palette.text());
    let tier = look.tier.map_or("", |t| t.as_str());
    let tier_rect = painter.text(
        rect.left_bottom(),
        Align2::LEFT_BOTTOM,
        format!("Tier {tier}"),
        fonts.small.clone(),
        palette.weak_text(),
    );
    let mut chip_x = tier_rect.right() + 6.0;
    for (owner, n) in [
        (Owner::Customer, look.customer),
        (Owner::Shared, look.shared),
    ] {
        let galley = painter.layout_no_wrap(
            n.to_string(),
            fonts.small.clone(),
            palette.owner_text(owner),
        );
        let chip = Rect::from_min_size(
            pos2(chip_x, rect.bottom() - galley.size().y - 2.0),
            vec2(galley.size().x + 10.0, galley.size().y + 2.0),
        );
        painter.rect_filled(chip, CornerRadius::same(3), palette.owner_fill(owner));
        painter.galley(chip.center() - galley.size() / 2.0, galley, palette.text());
        chip_x = chip.right() + 4.0;
    }
}

/// The "remove column" cross.
pub fn remove_cross(painter: &Painter, button: Rect, color: Color32) {
    let arm = 4.5;
    let stroke = Stroke::new(1.6, color);
    let c = button.center();
    painter.line_segment([c + vec2(-arm, -arm), c + vec2(arm, arm)], stroke);
    painter.line_segment([c + vec2(-arm, arm), c + vec2(arm, -arm)], stroke);
}

/// The top-left corner: "Control", "Services", what the counts mean, and the line under the
/// header row.
pub fn corner(painter: &Painter, corner: Rect, right_edge: f32, palette: Palette, fonts: &Fonts) {
    painter.rect_filled(corner, CornerRadius::ZERO, palette.header_fill());
    painter.text(
        corner.left_bottom() + vec2(10.0, -8.0),
        Align2::LEFT_BOTTOM,
        "Control",
        fonts.bold.clone(),
        palette.weak_text(),
    );
    painter.text(
        corner.right_top() + vec2(-10.0, 8.0),
        Align2::RIGHT_TOP,
        "Services",
        fonts.small.clone(),
        palette.weak_text(),
    );
    painter.text(
        corner.right_bottom() + vec2(-10.0, -8.0),
        Align2::RIGHT_BOTTOM,
        "customer / shared count",
        fonts.small.clone(),
        palette.weak_text(),
    );
    painter.line_segment(
        [corner.left_bottom(), pos2(right_edge, corner.bottom())],
        Stroke::new(1.0, palette.weak_text()),
    );
}

/// A small filled triangle pointing right (collapsed) or down (open).
fn disclosure_triangle(painter: &Painter, center: Pos2, collapsed: bool, color: Color32) {
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
    painter.add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
}
