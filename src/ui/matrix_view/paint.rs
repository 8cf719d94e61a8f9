//! Small paint helpers of the matrix: one per part (domain band, cell, row header, column
//! header, corner). They draw; they do not interact and do not decide what is shown.

use super::layout::Metrics;
use crate::model::catalog::Control;
use crate::model::engagement::Status;
use crate::model::evidence::CellStatus;
use crate::model::owner::{Owner, Tier};
use crate::ui::theme::{Palette, TextSizes};
use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Painter, Pos2, Rect, Stroke, StrokeKind,
    pos2, vec2,
};

/// The fonts of the matrix, and the sizes of its parts.
pub struct Fonts {
    pub body: FontId,
    pub small: FontId,
    pub bold: FontId,
    pub metrics: Metrics,
}

impl Fonts {
    pub fn new(sizes: TextSizes, metrics: Metrics) -> Self {
        Fonts {
            body: FontId::proportional(sizes.body),
            small: FontId::proportional(sizes.small),
            bold: FontId::new(sizes.body, FontFamily::Proportional),
            metrics,
        }
    }
}

/// A tier in words where there is room: "Infrastructure", "Managed", "Abstracted".
pub fn tier_word(tier: Tier) -> &'static str {
    match tier {
        Tier::I => "Infrastructure",
        Tier::C => "Managed",
        Tier::A => "Abstracted",
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
    let middle = band.center().y;
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

/// A cell: owner colour and label; the evidence marker in its own slot on the left, the
/// generic-text ring and the stale corner on the right, the engagement status as a pill; the
/// owner label never runs under a marker (it shortens to "n/a" when the cell is narrow).
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
    if let Some(stroke) = palette.owner_outline(owner) {
        painter.rect_stroke(rect, CornerRadius::same(3), stroke, StrokeKind::Inside);
    }
    let painter = painter.with_clip_rect(rect.intersect(painter.clip_rect()));
    let mut text_area = rect.shrink2(vec2(6.0, 0.0));
    if let Some(status) = look.evidence {
        let slot = Rect::from_center_size(
            pos2(rect.left() + MARKER_SLOT / 2.0 + 2.0, rect.center().y),
            vec2(MARKER_SLOT, MARKER_SLOT),
        );
        // On a disc of the background colour: the marker reads the same on every owner fill.
        painter.circle_filled(slot.center(), MARKER_SLOT / 2.0 - 1.0, palette.background());
        crate::ui::evidence::paint_marker(&painter, slot, palette, status);
        text_area.min.x = slot.right() + 2.0;
    }
    if look.inherited || look.stale {
        text_area.max.x = rect.right() - MARKER_SLOT;
    }
    if look.inherited {
        painter.circle_stroke(
            rect.right_top() + vec2(-9.0, 9.0),
            5.0,
            Stroke::new(1.5, text_color),
        );
    }
    if look.stale {
        corner_triangle(&painter, rect.right_bottom(), palette.warning());
    }
    if let Some(status) = look.status {
        let pill = status_pill(&painter, text_area, status, palette, fonts);
        text_area.max.x = pill.left() - 4.0;
        let label = owner_label_fitting(&painter, owner, text_area.width(), fonts);
        painter.text(
            text_area.left_center(),
            Align2::LEFT_CENTER,
            label,
            fonts.body.clone(),
            text_color,
        );
    } else {
        let label = owner_label_fitting(&painter, owner, text_area.width(), fonts);
        painter.text(
            text_area.center(),
            Align2::CENTER_CENTER,
            label,
            fonts.body.clone(),
            text_color,
        );
    }
}

/// The width of a marker's slot: a 10 px marker and its margin.
const MARKER_SLOT: f32 = 18.0;

/// The owner's label, or its short form when the full one does not fit.
fn owner_label_fitting(painter: &Painter, owner: Owner, width: f32, fonts: &Fonts) -> &'static str {
    let full = owner.label();
    let galley = painter.layout_no_wrap(full.to_owned(), fonts.body.clone(), Color32::PLACEHOLDER);
    if galley.size().x <= width || owner != Owner::NotApplicable {
        full
    } else {
        "n/a"
    }
}

/// The focus ring of the keyboard: outside the cell, in the selection colour, so that it shows
/// on every fill and beside the selection outline.
pub fn focus_ring(painter: &Painter, rect: Rect, palette: Palette) {
    painter.rect_stroke(
        rect.expand(1.0),
        CornerRadius::same(4),
        palette.focus(),
        StrokeKind::Outside,
    );
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

/// The status pill at the right of `area`; returns where it went.
fn status_pill(
    painter: &Painter,
    area: Rect,
    status: Status,
    palette: Palette,
    fonts: &Fonts,
) -> Rect {
    let galley = painter.layout_no_wrap(
        status_short(status).to_owned(),
        fonts.small.clone(),
        palette.status_text(status),
    );
    let pill = Rect::from_min_size(
        pos2(
            area.right() - galley.size().x - 10.0,
            area.center().y - galley.size().y / 2.0 - 2.0,
        ),
        vec2(galley.size().x + 10.0, galley.size().y + 4.0),
    );
    painter.rect_filled(pill, CornerRadius::same(6), palette.status_fill(status));
    painter.galley(
        pill.center() - galley.size() / 2.0,
        galley,
        palette.status_text(status),
    );
    pill
}

/// A 10 px triangle in a cell's bottom-right corner.
fn corner_triangle(painter: &Painter, corner: Pos2, color: Color32) {
    painter.add(egui::Shape::convex_polygon(
        vec![
            corner + vec2(-2.0, -2.0),
            corner + vec2(-2.0, -12.0),
            corner + vec2(-12.0, -2.0),
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
    let id = painter.text(
        pos2(header.left() + 10.0, header.center().y),
        Align2::LEFT_CENTER,
        &control.id,
        fonts.small.clone(),
        palette.weak_text(),
    );
    let name_left = id
        .right()
        .max(header.left() + 10.0 + fonts.small.size * 4.2)
        + 8.0;
    // As many lines as the row holds; a longer name ends in "…" (the tooltip has it whole).
    let line_height = painter
        .layout_no_wrap("Ag".to_owned(), fonts.body.clone(), Color32::PLACEHOLDER)
        .size()
        .y;
    let mut job = egui::text::LayoutJob::simple(
        control.name.clone(),
        fonts.body.clone(),
        palette.text(),
        header.right() - name_left - 8.0,
    );
    job.wrap.max_rows = ((header.height() / line_height).floor() as usize).max(1);
    job.wrap.overflow_character = Some('…');
    let name = painter.layout_job(job);
    let name_pos = pos2(
        name_left,
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
    /// Spell the tier out (decided once for all columns, see `tier_words_fit`).
    pub tier_words: bool,
    pub palette: Palette,
    pub fonts: &'a Fonts,
}

/// A column header: service name, tier (in words where there is room), customer and shared
/// counts as chips in their owners' colours.
pub fn column_header(painter: &Painter, rect: Rect, width: f32, look: &ColumnLook<'_>) {
    let (palette, fonts) = (look.palette, look.fonts);
    let name = painter.layout(
        look.name.clone(),
        fonts.bold.clone(),
        palette.text(),
        width - 26.0,
    );
    painter.galley(rect.left_top(), name, palette.text());
    let chips: Vec<_> = [
        (Owner::Customer, look.customer),
        (Owner::Shared, look.shared),
    ]
    .into_iter()
    .map(|(owner, n)| {
        let galley = painter.layout_no_wrap(
            n.to_string(),
            fonts.small.clone(),
            palette.owner_text(owner),
        );
        (owner, galley)
    })
    .collect();
    let tier_text = look.tier.map_or(String::new(), |t| {
        if look.tier_words {
            tier_word(t).to_owned()
        } else {
            format!("Tier {}", t.as_str())
        }
    });
    let tier_rect = painter.text(
        rect.left_bottom(),
        Align2::LEFT_BOTTOM,
        tier_text,
        fonts.small.clone(),
        palette.weak_text(),
    );
    let mut chip_x = tier_rect.right() + 6.0;
    for (owner, galley) in chips {
        let chip = Rect::from_min_size(
            pos2(chip_x, rect.bottom() - galley.size().y - 2.0),
            vec2(galley.size().x + 10.0, galley.size().y + 2.0),
        );
        painter.rect_filled(chip, CornerRadius::same(3), palette.owner_fill(owner));
        let text = palette.owner_text(owner);
        painter.galley(chip.center() - galley.size() / 2.0, galley, text);
        chip_x = chip.right() + 4.0;
    }
}

/// Whether the longest tier word and two two-digit count chips fit in a header this wide.
pub fn tier_words_fit(painter: &Painter, width: f32, fonts: &Fonts) -> bool {
    let measure = |text: &str| {
        painter
            .layout_no_wrap(text.to_owned(), fonts.small.clone(), Color32::PLACEHOLDER)
            .size()
            .x
    };
    measure(tier_word(Tier::I)) + 6.0 + 2.0 * (measure("99") + 14.0) <= width
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
