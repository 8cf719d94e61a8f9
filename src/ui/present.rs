//! Presenter mode's one compact toolbar row: the views, "customer and shared only", the domain
//! steps, the theme, and the way out. Nothing internal (file names, engagement notes, import
//! details) is on it.

use super::actions::{self, Action};
use super::{Request, UiState};
use crate::state::{Session, View};
use egui::{Align, Layout, RichText};

pub fn toolbar_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    ui.add_space(2.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("demarc").strong());
        ui.separator();
        for (view, action) in [
            (View::Matrix, Action::ShowMatrix),
            (View::Compare, Action::ShowCompare),
            (View::Checklist, Action::ShowChecklist),
            (View::Findings, Action::ShowFindings),
        ] {
            actions::selectable(ui, action, session.view() == view, session, state, out);
        }
        if session.view() == View::Matrix {
            ui.separator();
            let on = session.filters().customer_and_shared_only();
            actions::selectable(ui, Action::CustomerAndSharedOnly, on, session, state, out);
            // Arrows only, so the row fits at 1280 x 720 and zoom 1.3 with every view on it; the
            // actions' own labels are their accessible names and tooltips.
            glyph_button(ui, Action::PreviousDomain, "⬆", session, state, out);
            glyph_button(ui, Action::NextDomain, "⬇", session, state, out);
        }
        ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
            glyph_button(ui, Action::Present, "Exit", session, state, out);
            for (theme, face) in [(Action::DarkTheme, "Dark"), (Action::LightTheme, "Light")] {
                if theme.enabled(session, state) {
                    glyph_button(ui, theme, face, session, state, out);
                }
            }
        });
    });
    ui.add_space(2.0);
}

/// A button with a short face for the action (its label stays its accessible name).
pub(super) fn glyph_button(
    ui: &mut egui::Ui,
    action: Action,
    face: &str,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let enabled = action.enabled(session, state);
    let response = ui
        .add_enabled(enabled, egui::Button::new(RichText::new(face).strong()))
        .on_hover_text(format!(
            "{}: {}",
            action.info().label,
            action.tooltip(ui.ctx())
        ));
    let label = action.info().label;
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, label));
    if response.clicked() {
        actions::perform(action, session, state, out);
    }
}
