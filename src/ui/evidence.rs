//! Imported account evidence in the views: the import progress window, the evidence summary in
//! the side panel, the per-cell marker and the results list of the detail panel.

use super::actions::{self, Action};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::evidence::{CellStatus, Status};
use crate::model::words;
use crate::state::Session;
use egui::{Color32, CornerRadius, Painter, Rect, RichText, Stroke, StrokeKind, vec2};

/// The progress window of a running import, with Cancel.
pub fn progress_window(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let Some(run) = session.import_run() else {
        return;
    };
    egui::Window::new("Importing")
        .collapsible(false)
        .resizable(false)
        .show(ui.ctx(), |ui| {
            // While presenting, the file's name only: its folder may name the client's machine.
            let path = run
                .paths
                .get(run.current)
                .map(|p| {
                    if session.presenting() {
                        p.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    } else {
                        p.display().to_string()
                    }
                })
                .unwrap_or_default();
            ui.label(format!(
                "File {} of {}: {path}",
                run.current + 1,
                run.paths.len()
            ));
            let mb = |b: u64| b as f64 / 1_048_576.0;
            if let Some(f) = run.fraction() {
                {
                    ui.add(
                        egui::ProgressBar::new(f)
                            .desired_width(420.0)
                            .show_percentage(),
                    );
                    ui.label(format!(
                        "{:.1} of {:.1} MB",
                        mb(run.bytes_read),
                        mb(run.total.unwrap_or(0))
                    ));
                }
            } else {
                {
                    ui.add(
                        egui::ProgressBar::new(0.0)
                            .desired_width(420.0)
                            .animate(true),
                    );
                    ui.label(format!("{:.1} MB read", mb(run.bytes_read)));
                }
            }
            ui.label(
                RichText::new(
                    "The matrix and the engagement stay as they are until the import finishes.",
                )
                .weak(),
            );
            if run.cancelling() {
                ui.label("Cancelling…");
            } else {
                actions::button(ui, Action::CancelImport, session, state, out);
            }
        });
    ui.ctx()
        .request_repaint_after(std::time::Duration::from_millis(100));
}

/// The evidence summary at the top of the side panel.
pub fn summary_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let Some(view) = session.evidence() else {
        return;
    };
    let ev = &view.evidence;
    egui::CollapsingHeader::new(
        RichText::new(format!(
            "Account evidence ({})",
            words::count(ev.sources.len(), "source", "sources")
        ))
        .strong(),
    )
    .id_salt("evidence-summary")
    .default_open(true)
    .show(ui, |ui| {
        ui.label(format!("Accounts: {}", ev.accounts().join(", ")));
        ui.label(format!("Regions: {}", ev.regions().join(", ")));
        ui.label(format!(
            "{} in use · {}",
            words::count(view.in_use.len(), "service", "services"),
            words::count(view.failing(), "failing result", "failing results")
        ));
        ui.horizontal(|ui| {
            actions::button(ui, Action::ScopeToAccount, session, state, out);
            actions::button(ui, Action::ClearEvidence, session, state, out);
        });
        ui.horizontal_wrapped(|ui| {
            for status in [
                CellStatus::Fail,
                CellStatus::Pass,
                CellStatus::Unknown,
                CellStatus::NoEvidence,
            ] {
                let (rect, _) = ui.allocate_exact_size(vec2(18.0, 18.0), egui::Sense::hover());
                paint_marker(ui.painter(), rect, palette, status);
                ui.label(RichText::new(status.label()).small());
            }
        });
        egui::CollapsingHeader::new("Sources")
            .id_salt("evidence-sources")
            .show(ui, |ui| {
                for s in &ev.sources {
                    ui.label(format!("{} ({})", s.path, s.format.label()));
                }
            });
        let unmapped = ev.unmapped_resource_types();
        if !unmapped.is_empty() {
            egui::CollapsingHeader::new(format!(
                "{} not in the catalog",
                words::count(unmapped.len(), "resource type", "resource types")
            ))
            .id_salt("evidence-unmapped")
            .show(ui, |ui| {
                for (t, n) in unmapped {
                    ui.label(format!("{t}: {n}"));
                }
            });
        }
        let problems = ev.warnings.len() + view.errors.len();
        if problems > 0 {
            egui::CollapsingHeader::new(
                RichText::new(format!(
                    "{} while importing",
                    words::count(problems, "problem", "problems")
                ))
                .color(palette.warning()),
            )
            .id_salt("evidence-problems")
            .show(ui, |ui| {
                for e in &view.errors {
                    ui.label(RichText::new(e.to_string()).color(palette.error()));
                }
                for w in ev.warnings.iter().take(200) {
                    ui.label(w.to_string());
                }
                if ev.warnings.len() > 200 {
                    ui.label(format!("… and {} more", ev.warnings.len() - 200));
                }
            });
        }
    });
    ui.separator();
}

/// The colour of an evidence roll-up.
pub fn status_color(palette: Palette, status: CellStatus) -> Color32 {
    match status {
        CellStatus::Fail => palette.error(),
        CellStatus::Pass => palette.pass(),
        CellStatus::Unknown => palette.warning(),
        CellStatus::NoEvidence => palette.weak_text(),
    }
}

/// A 10 px marker centred in an 18 x 18 `rect` (a cell's marker slot, a legend swatch): filled
/// red (fail), filled green (pass), amber ring (unknown), grey square (no evidence).
pub fn paint_marker(painter: &Painter, rect: Rect, palette: Palette, status: CellStatus) {
    let center = rect.left_top() + vec2(9.0, 9.0);
    let color = status_color(palette, status);
    match status {
        CellStatus::Fail | CellStatus::Pass => {
            painter.circle_filled(center, 5.0, color);
            painter.circle_stroke(center, 5.0, Stroke::new(1.0, palette.background()));
        }
        CellStatus::Unknown => {
            painter.circle_stroke(center, 4.5, Stroke::new(2.0, color));
        }
        CellStatus::NoEvidence => {
            let r = Rect::from_center_size(center, vec2(10.0, 10.0));
            painter.rect_stroke(
                r,
                CornerRadius::same(1),
                Stroke::new(1.3, color),
                StrokeKind::Inside,
            );
        }
    }
}

/// The evidence under a cell in the detail panel: every result, failing first.
pub fn detail_ui(
    ui: &mut egui::Ui,
    session: &Session,
    service: &str,
    control: &str,
    palette: Palette,
) {
    let Some(view) = session.evidence() else {
        return;
    };
    let Some(status) = view.cell_status(service, control) else {
        ui.label(
            RichText::new("The imported account does not use this service.")
                .color(palette.weak_text()),
        );
        return;
    };
    let cell = view.evidence.cell(session.catalog(), service, control);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Evidence:").strong());
        ui.label(
            RichText::new(status.label())
                .color(status_color(palette, status))
                .strong(),
        );
    });
    if cell.disagreement {
        ui.label(
            RichText::new(format!(
                "Sources disagree on: {}",
                cell.disputed
                    .iter()
                    .map(|key| session.catalog().check_title(key))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .color(palette.warning()),
        );
    }
    if cell.results.is_empty() {
        ui.label(
            RichText::new(
                "No check in the imported data covers this control: nobody has shown it is done.",
            )
            .color(palette.weak_text()),
        );
    }
    for r in cell.results.iter().take(100) {
        let (mark, color) = match r.status {
            Status::Fail => ("FAIL", palette.error()),
            Status::Unknown => ("unknown", palette.warning()),
            Status::Pass => ("pass", palette.pass()),
            Status::Suppressed => ("suppressed", palette.weak_text()),
            Status::Muted => ("muted", palette.weak_text()),
        };
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(mark).color(color).strong());
            ui.label(RichText::new(&*r.resource_id).monospace());
            // The check by its title, never its key.
            ui.label(
                RichText::new(format!(
                    "{} · {} · {}",
                    session.catalog().check_title(&r.check),
                    r.account,
                    r.region
                ))
                .color(palette.weak_text()),
            );
        });
        if !r.detail.is_empty() {
            ui.label(RichText::new(&*r.detail).small());
        }
        // The file's name; the whole path (a local folder) only on hover.
        let file = std::path::Path::new(&*r.source).file_name().map_or_else(
            || r.source.to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.label(
            RichText::new(format!("from {file}"))
                .small()
                .color(palette.weak_text()),
        )
        .on_hover_text(&*r.source);
    }
    if cell.results.len() > 100 {
        ui.label(format!("… and {} more results", cell.results.len() - 100));
    }
}
