//! The service picker: search, presets, services grouped by category with tier badges, and a
//! checkbox per variant (several variants of one service can be columns side by side).

use super::actions::{self, Action};
use super::{Request, UiState};
use crate::model::catalog::{Service, ServiceRef};
use crate::model::validate::CATEGORIES;
use crate::state::{PRESETS, ScopeCommand, Session};
use egui::RichText;

pub fn picker_ui(
    ui: &mut egui::Ui,
    session: &Session,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    ui.add_space(6.0);
    let palette = super::theme::Palette::new(session.theme());
    super::evidence::summary_ui(ui, session, palette, state, out);
    ui.heading("Services");
    ui.horizontal(|ui| {
        let label = ui.label("Find:");
        ui.add(
            egui::TextEdit::singleline(&mut state.picker_query)
                .hint_text("name or id")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        ui.menu_button("Presets…", |ui| {
            for (index, preset) in PRESETS.iter().enumerate() {
                if ui.button(preset.name).clicked() {
                    out.push(Request::Command(ScopeCommand::ApplyPreset(index).into()));
                }
            }
        });
        actions::button(ui, Action::ClearColumns, session, state, out);
    });
    ui.label(
        RichText::new(format!(
            "{} chosen of {} services",
            session.scope().len(),
            session.catalog().services.len()
        ))
        .small(),
    );
    ui.separator();
    let query = state.picker_query.trim().to_lowercase();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for category in CATEGORIES {
                let services: Vec<&Service> = session
                    .catalog()
                    .services
                    .iter()
                    .filter(|s| s.category == category)
                    .filter(|s| {
                        query.is_empty()
                            || s.id.contains(&query)
                            || s.name.to_lowercase().contains(&query)
                    })
                    .collect();
                if services.is_empty() {
                    continue;
                }
                let chosen = services
                    .iter()
                    .filter(|s| session.scope().iter().any(|r| r.service == s.id))
                    .count();
                let title = if chosen > 0 {
                    format!("{category} ({chosen})")
                } else {
                    category.to_owned()
                };
                egui::CollapsingHeader::new(RichText::new(title).strong())
                    .id_salt(category)
                    .default_open(true)
                    .open(if query.is_empty() { None } else { Some(true) })
                    .show(ui, |ui| {
                        for service in services {
                            service_row_ui(ui, session, service, out);
                        }
                    });
            }
        });
}

fn service_row_ui(ui: &mut egui::Ui, session: &Session, service: &Service, out: &mut Vec<Request>) {
    let tier_tip = format!(
        "Tier {} ({}): {}",
        service.tier.as_str(),
        service.tier.label(),
        service.summary
    );
    if service.variants.is_empty() {
        let r = ServiceRef::new(&service.id, None);
        let mut on = session.scope().contains(&r);
        ui.horizontal(|ui| {
            if ui
                .checkbox(&mut on, &service.name)
                .on_hover_text(&tier_tip)
                .clicked()
            {
                toggle(out, r.clone(), on);
            }
            ui.label(RichText::new(service.tier.as_str()).small().weak());
            in_use_label(ui, session, &service.id);
        });
        return;
    }
    ui.horizontal(|ui| {
        ui.label(&service.name).on_hover_text(&tier_tip);
        ui.label(RichText::new(service.tier.as_str()).small().weak());
        in_use_label(ui, session, &service.id);
    });
    ui.indent(("variants", &service.id), |ui| {
        for variant in &service.variants {
            let r = ServiceRef::new(&service.id, Some(&variant.id));
            let mut on = session.scope().contains(&r);
            let text = if variant.default {
                format!("{} (default)", variant.name)
            } else {
                variant.name.clone()
            };
            let label = format!("{} · {}", service.name, variant.name);
            let response = ui.checkbox(&mut on, text).on_hover_text(&variant.summary);
            response
                .widget_info(|| egui::WidgetInfo::selected(egui::Role::CheckBox, true, on, &label));
            if response.clicked() {
                toggle(out, r, on);
            }
        }
    });
}

fn toggle(out: &mut Vec<Request>, r: ServiceRef, now_on: bool) {
    let command = if now_on {
        ScopeCommand::Add(r)
    } else {
        ScopeCommand::Remove(r)
    };
    out.push(Request::Command(command.into()));
}

/// "12 in account" next to a service the imported account uses.
fn in_use_label(ui: &mut egui::Ui, session: &Session, service_id: &str) {
    if let Some(n) = session.evidence().and_then(|v| v.in_use.get(service_id)) {
        ui.label(RichText::new(format!("{n} in account")).small().strong())
            .on_hover_text("Resources of this service in the imported snapshots");
    }
}
