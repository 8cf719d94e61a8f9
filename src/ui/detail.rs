//! The detail panel of one cell: full text, where it comes from, sources, framework ids.

use super::actions::{self, Action};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::catalog::{Control, Origin, Service, ServiceRef};
use crate::model::date::older_than_months;
use crate::state::Session;
use egui::RichText;

pub fn detail_ui(
    ui: &mut egui::Ui,
    session: &Session,
    service_ref: &ServiceRef,
    control_id: &str,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let catalog = session.catalog();
    let (Some(cell), Some(control)) = (
        catalog.cell(service_ref, control_id),
        catalog.control(control_id),
    ) else {
        return;
    };
    ui.add_space(6.0);
    ui.horizontal(|ui| {
        ui.heading(format!("{} {}", control.id, control.name));
    });
    ui.horizontal(|ui| {
        actions::button(ui, Action::CloseDetail, session, state, out);
    });
    ui.label(
        RichText::new(catalog.display_name(service_ref))
            .strong()
            .size(17.0),
    );
    ui.horizontal(|ui| {
        ui.label("Owner:");
        super::widgets::owner_badge(ui, palette, cell.owner());
        if let Some(tier) = catalog.tier_of(service_ref) {
            ui.label(
                RichText::new(format!("Tier {} ({})", tier.as_str(), tier.label()))
                    .color(palette.weak_text()),
            );
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        if let Some(e) = session.engagement()
            && cell.owner().customer_involved()
            && e.doc.scope.contains(service_ref)
        {
            let key = crate::model::engagement::ItemKey::new(service_ref.clone(), control_id);
            ui.label(RichText::new(format!("Engagement: {}", e.doc.client)).strong());
            super::engagement::item_editor_ui(ui, session, &key, state, palette, out);
            ui.separator();
        }
        if session.evidence().is_some() && cell.owner().customer_involved() {
            super::evidence::detail_ui(ui, session, &service_ref.service, control_id, palette);
            ui.separator();
        }
        ui.label(RichText::new("What AWS does").strong());
        ui.label(&cell.data.aws_does);
        ui.add_space(6.0);
        ui.label(RichText::new("What the customer does").strong());
        ui.label(&cell.data.customer_does);
        ui.add_space(8.0);
        let origin = match cell.origin {
            Origin::Variant => "Specific to this variant.",
            Origin::Service => "Specific to this service.",
            Origin::TierDefault => "Generic text for the service's tier: not yet written for this service.",
        };
        ui.label(RichText::new(origin).color(if cell.inherited() { palette.warning() } else { palette.weak_text() }));
        match &cell.data.last_verified {
            Some(date) if older_than_months(date, session.today(), 12) => {
                ui.label(RichText::new(format!("⚠ Last verified {date}: more than 12 months ago, re-check before relying on it.")).color(palette.warning()));
            }
            Some(date) => {
                ui.label(RichText::new(format!("Last verified {date}")).color(palette.weak_text()));
            }
            None => {}
        }
        if let Some(evidence) = &cell.data.evidence {
            ui.add_space(8.0);
            ui.label(RichText::new("Evidence").strong());
            ui.label(&evidence.statement);
            ui.hyperlink_to(format!("Section: {}", evidence.section), &evidence.url).on_hover_text(&evidence.url);
        }
        ui.add_space(8.0);
        ui.label(RichText::new("Sources").strong());
        if cell.data.sources.is_empty() {
            ui.label(RichText::new("none").color(palette.weak_text()));
        }
        for url in &cell.data.sources {
            ui.hyperlink_to(crate::model::catalog::url_label(url), url).on_hover_text(url);
        }
        ui.add_space(8.0);
        ui.label(RichText::new("Framework ids (for this control)").strong());
        let service = catalog.service(&service_ref.service);
        frameworks_ui(ui, control, service, palette);
        ui.add_space(8.0);
        ui.label(RichText::new("About the control").strong());
        ui.label(&control.description);
        if let Some(service) = service {
            ui.add_space(8.0);
            ui.label(RichText::new(format!("About {}", service.name)).strong());
            ui.label(&service.summary);
            ui.hyperlink_to("Security chapter of the AWS documentation", &service.docs_url).on_hover_text(&service.docs_url);
        }
    });
}

/// The control's framework ids; Security Hub ids of this service first.
fn frameworks_ui(
    ui: &mut egui::Ui,
    control: &Control,
    service: Option<&Service>,
    palette: Palette,
) {
    egui::Grid::new("frameworks")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            for (name, ids) in control.frameworks.labelled() {
                if name == "Security Hub" {
                    // Security Hub ids are per service: show this service's first.
                    let own: Vec<&str> = ids
                        .iter()
                        .map(String::as_str)
                        .filter(|id| {
                            let prefix = id.split('.').next().unwrap_or("");
                            service.is_some_and(|s| {
                                s.mappings
                                    .security_hub_prefixes
                                    .iter()
                                    .any(|p| p.eq_ignore_ascii_case(prefix))
                            })
                        })
                        .collect();
                    let other: Vec<&str> = ids
                        .iter()
                        .map(String::as_str)
                        .filter(|id| !own.contains(id))
                        .collect();
                    if !own.is_empty() {
                        ui.label(RichText::new("Security Hub").color(palette.weak_text()));
                        ui.label(own.join(", "));
                        ui.end_row();
                    }
                    if !other.is_empty() {
                        ui.label(
                            RichText::new("Security Hub, other services")
                                .color(palette.weak_text()),
                        );
                        ui.label(other.join(", "));
                        ui.end_row();
                    }
                    continue;
                }
                ui.label(RichText::new(name).color(palette.weak_text()));
                ui.label(ids.join(", "));
                ui.end_row();
            }
        });
}
