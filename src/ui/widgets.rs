//! Small shared widgets: owner chips, the legend.

use super::theme::Palette;
use crate::model::owner::Owner;
use egui::{Color32, CornerRadius, RichText, Sense, Stroke, StrokeKind, vec2};

/// A toggle chip in an owner's colour, on (ticked, full colour) while the owner's rows are
/// shown; its accessible label is "Show <owner>", selected while on.
pub fn owner_toggle(ui: &mut egui::Ui, palette: Palette, owner: Owner, on: bool) -> egui::Response {
    let text = if on {
        format!("✔ {}", owner.label())
    } else {
        owner.label().to_owned()
    };
    let fill = if on {
        palette.owner_fill(owner)
    } else {
        palette.dimmed(palette.owner_fill(owner))
    };
    let button = egui::Button::new(RichText::new(text).color(palette.owner_text(owner)))
        .fill(fill)
        .stroke(if on { palette.hover() } else { Stroke::NONE })
        .selected(on);
    let response = ui.add(button);
    let label = format!("Show {}", owner.label());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, on, &label));
    response.on_hover_text(if on {
        format!(
            "Click to hide the rows where only {} appears",
            owner.label()
        )
    } else {
        format!(
            "Click to show the rows where {} appears again",
            owner.label()
        )
    })
}

/// A non-interactive owner badge.
pub fn owner_badge(ui: &mut egui::Ui, palette: Palette, owner: Owner) -> egui::Response {
    let galley = ui.painter().layout_no_wrap(
        owner.label().to_owned(),
        egui::TextStyle::Button.resolve(ui.style()),
        palette.owner_text(owner),
    );
    let (rect, response) = ui.allocate_exact_size(galley.size() + vec2(16.0, 6.0), Sense::hover());
    ui.painter()
        .rect_filled(rect, CornerRadius::same(4), palette.owner_fill(owner));
    ui.painter().galley(
        rect.center() - galley.size() / 2.0,
        galley,
        Color32::PLACEHOLDER,
    );
    response
}

/// The colour legend: one swatch per owner, plus the "generic text" mark.
pub fn legend_ui(ui: &mut egui::Ui, palette: Palette) {
    for owner in Owner::ALL {
        let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
        ui.painter()
            .rect_filled(rect, CornerRadius::same(3), palette.owner_fill(owner));
        ui.painter().rect_stroke(
            rect,
            CornerRadius::same(3),
            Stroke::new(1.0, palette.weak_text()),
            StrokeKind::Inside,
        );
        ui.add(egui::Label::new(owner.label()).extend());
    }
    let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
    ui.painter()
        .circle_stroke(rect.center(), 5.0, Stroke::new(1.5, palette.text()));
    ui.add(
        egui::Label::new(
            RichText::new("generic tier text, not yet service-specific").color(palette.weak_text()),
        )
        .extend(),
    );
    let (rect, _) = ui.allocate_exact_size(vec2(14.0, 14.0), Sense::hover());
    let c = rect.left_bottom();
    ui.painter().add(egui::Shape::convex_polygon(
        vec![
            c + vec2(1.0, -1.0),
            c + vec2(12.0, -1.0),
            c + vec2(1.0, -12.0),
        ],
        palette.warning(),
        Stroke::NONE,
    ));
    ui.add(
        egui::Label::new(RichText::new("verified over 12 months ago").color(palette.weak_text()))
            .extend(),
    );
}
