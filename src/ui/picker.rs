//! The service picker: search, presets, services grouped by category with their tier, and a
//! checkbox per variant (several variants of one service can be columns side by side). The
//! finder matches services and variants alike ("fargate" lists the three Fargate variants) and
//! says so when nothing matches.

use super::actions::{self, Action};
use super::{Request, UiState, finder};
use crate::model::catalog::{Service, ServiceRef};
use crate::model::owner::Tier;
use crate::model::validate::CATEGORIES;
use crate::state::{PRESETS, ScopeCommand, Session};
use egui::RichText;
use std::collections::BTreeSet;

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
    let query = state.picker_query.trim();
    let found: Option<BTreeSet<ServiceRef>> = (!query.is_empty()).then(|| {
        finder::find_services(session.catalog(), query)
            .into_iter()
            .collect()
    });
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if found.as_ref().is_some_and(BTreeSet::is_empty) {
                ui.label(RichText::new(finder::no_match(query)).italics());
            }
            for category in CATEGORIES {
                let services: Vec<&Service> = session
                    .catalog()
                    .services
                    .iter()
                    .filter(|s| s.category == category)
                    .filter(|s| {
                        found
                            .as_ref()
                            .is_none_or(|f| f.iter().any(|r| r.service == s.id))
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
                    .open(if found.is_none() { None } else { Some(true) })
                    .show(ui, |ui| {
                        for service in services {
                            service_row_ui(ui, session, service, found.as_ref(), out);
                        }
                    });
            }
        });
}

/// One service: a checkbox, or its name and a checkbox per variant (only the variants the
/// finder found, when it is in use).
fn service_row_ui(
    ui: &mut egui::Ui,
    session: &Session,
    service: &Service,
    found: Option<&BTreeSet<ServiceRef>>,
    out: &mut Vec<Request>,
) {
    let tier_tip = format!(
        "Tier {}: {}. {}",
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
            tier_label(ui, service.tier);
            in_use_label(ui, session, &service.id);
        });
        return;
    }
    ui.horizontal(|ui| {
        ui.label(&service.name).on_hover_text(&tier_tip);
        tier_label(ui, service.tier);
        in_use_label(ui, session, &service.id);
    });
    ui.indent(("variants", &service.id), |ui| {
        for variant in &service.variants {
            let r = ServiceRef::new(&service.id, Some(&variant.id));
            if found.is_some_and(|f| !f.contains(&r)) {
                continue;
            }
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

/// The tier in words when it fits beside the name, else its letter (the tooltip says it).
fn tier_label(ui: &mut egui::Ui, tier: Tier) {
    let word = super::matrix_view::paint::tier_word(tier);
    let width = ui
        .painter()
        .layout_no_wrap(
            word.to_owned(),
            egui::TextStyle::Small.resolve(ui.style()),
            egui::Color32::PLACEHOLDER,
        )
        .size()
        .x;
    let text = if width + 8.0 <= ui.available_width() {
        word
    } else {
        tier.as_str()
    };
    ui.label(RichText::new(text).small().weak())
        .on_hover_text(format!("Tier {}: {}", tier.as_str(), tier.label()));
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
