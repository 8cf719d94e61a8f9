//! Notifications as toasts in the bottom-right corner, over the views (they take no room from
//! the matrix). Information goes by itself after `INFO_SECONDS`; errors stay until dismissed.
//! In presenter mode nothing shows (errors wait for the end of the meeting; information still
//! expires).

use super::theme::Palette;
use super::{Request, UiState};
use crate::state::{Level, NoticeCommand, Session};
use egui::{Align2, RichText};
use std::collections::HashMap;

/// How long an information notification stays.
pub const INFO_SECONDS: f64 = 6.0;

/// When each notification was first shown (egui's clock, seconds).
#[derive(Debug, Default)]
pub struct ToastClock {
    first_seen: HashMap<u64, f64>,
}

/// Dismisses information that has been up for `INFO_SECONDS`, and shows the rest.
pub fn toasts_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let now = ui.input(|i| i.time);
    let clock = &mut state.toast_clock;
    clock
        .first_seen
        .retain(|id, _| session.notifications().iter().any(|n| n.id == *id));
    let mut next_expiry: Option<f64> = None;
    for note in session.notifications() {
        let seen = *clock.first_seen.entry(note.id).or_insert(now);
        if note.level == Level::Info {
            let left = seen + INFO_SECONDS - now;
            if left <= 0.0 {
                out.push(Request::Command(NoticeCommand::Dismiss(note.id).into()));
                // The dismissal lands after this frame is drawn: draw one more, or an idle
                // window keeps showing the toast until the next input.
                ui.ctx().request_repaint();
            } else {
                next_expiry = Some(next_expiry.map_or(left, |n: f64| n.min(left)));
            }
        }
    }
    if let Some(left) = next_expiry {
        ui.ctx()
            .request_repaint_after(std::time::Duration::from_secs_f64(left));
    }
    if session.presenting() || session.notifications().is_empty() {
        return;
    }
    egui::Area::new(egui::Id::unique("toasts"))
        .anchor(Align2::RIGHT_BOTTOM, [-12.0, -40.0])
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            ui.set_max_width(460.0);
            for note in session.notifications() {
                toast_ui(ui, note, palette, out);
            }
        });
}

fn toast_ui(
    ui: &mut egui::Ui,
    note: &crate::state::Notification,
    palette: Palette,
    out: &mut Vec<Request>,
) {
    let (prefix, color) = match note.level {
        Level::Info => ("✔ ", palette.text()),
        Level::Error => ("⚠ ", palette.error()),
    };
    egui::Frame::popup(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.add(
                egui::Label::new(RichText::new(format!("{prefix}{}", note.text)).color(color))
                    .wrap(),
            );
            if ui.small_button("Dismiss").clicked() {
                out.push(Request::Command(NoticeCommand::Dismiss(note.id).into()));
            }
        });
    });
}
