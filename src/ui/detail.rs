//! The detail panel of one cell: full text, where it comes from, sources, framework ids. It is
//! a drawer of fixed width over the right edge of the view (the matrix fits its columns left of
//! it), and it opens scrolled to the top for each new cell. In presenter mode it shows nothing
//! internal: no engagement note or editor, no check keys or file paths of imported evidence.

use super::actions::{self, Action};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::catalog::{Control, Origin, Service, ServiceRef};
use crate::model::date::older_than_months;
use crate::model::engagement::ItemKey;
use crate::model::evidence::Status as Result;
use crate::state::Session;
use egui::{Rect, RichText, pos2};

/// The drawer's width in a window this wide: fixed for a window size, whatever is selected.
pub fn drawer_width(window_width: f32) -> f32 {
    (0.26 * window_width)
        .clamp(340.0, 420.0)
        .min(0.6 * window_width)
}

/// The drawer over the right edge of `area` (the view's rectangle), `width` wide.
#[allow(clippy::too_many_arguments)]
pub fn drawer_ui(
    ctx: &egui::Context,
    area: Rect,
    width: f32,
    session: &Session,
    selection: &(ServiceRef, String),
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let rect = Rect::from_min_max(pos2(area.right() - width, area.top()), area.max);
    egui::Area::new(egui::Id::unique("detail-drawer"))
        .fixed_pos(rect.min)
        .constrain(false)
        .order(egui::Order::Middle)
        .show(ctx, |ui| {
            let frame = egui::Frame::window(ui.style())
                .corner_radius(0)
                .inner_margin(egui::Margin::symmetric(12, 8));
            frame.show(ui, |ui| {
                let inner = rect.size() - egui::vec2(24.0 + 2.0, 16.0 + 2.0);
                ui.set_min_size(inner);
                ui.set_max_size(inner);
                // Nothing inside (a long id, a wide table) may widen the drawer or spill out.
                ui.set_clip_rect(rect.intersect(ui.clip_rect()));
                let id = ui.scope_id().with("drawer");
                let whole = ui.interact(ui.max_rect(), id, egui::Sense::hover());
                whole.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::Pane, true, "Detail panel")
                });
                detail_ui(ui, session, &selection.0, &selection.1, palette, state, out);
            });
        });
}

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
    ui.horizontal(|ui| {
        actions::button(ui, Action::CloseDetail, session, state, out);
    });
    ui.heading(format!("{} {}", control.id, control.name));
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
                RichText::new(format!("Tier {}: {}", tier.as_str(), tier.label()))
                    .color(palette.weak_text()),
            );
        }
    });
    owner_rule_ui(ui);
    ui.separator();
    let selection = (service_ref.clone(), control_id.to_owned());
    let mut scroll = egui::ScrollArea::vertical()
        .id_salt("detail-scroll")
        .auto_shrink([false, false]);
    if state.detail_shown.as_ref() != Some(&selection) {
        // A new cell opens at the top ("What AWS does"), not at the last one's offset.
        scroll = scroll.vertical_scroll_offset(0.0);
        state.detail_shown = Some(selection);
    }
    scroll.show(ui, |ui| {
        let presenting = session.presenting();
        if let Some(e) = session.engagement()
            && cell.owner().customer_involved()
            && e.doc.scope.contains(service_ref)
        {
            let key = ItemKey::new(service_ref.clone(), control_id);
            ui.label(RichText::new(format!("Engagement: {}", e.doc.client)).strong());
            if presenting {
                ui.label(format!("Status: {}", e.doc.status(&key).label()));
            } else {
                super::engagement::item_editor_ui(ui, session, &key, state, palette, out);
            }
            ui.separator();
        }
        if session.evidence().is_some() && cell.owner().customer_involved() {
            if presenting {
                evidence_summary_ui(ui, session, &service_ref.service, control_id, palette);
            } else {
                super::evidence::detail_ui(ui, session, &service_ref.service, control_id, palette);
            }
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

/// The owner rule, one line per owner: who must act.
fn owner_rule_ui(ui: &mut egui::Ui) {
    egui::CollapsingHeader::new("Who must act? (the owner rule)")
        .id_salt("owner-rule")
        .show(ui, |ui| {
            for (owner, rule) in [
                ("Customer", "the customer must decide or act."),
                (
                    "AWS",
                    "AWS performs it, and the customer cannot switch it off.",
                ),
                (
                    "Shared",
                    "both sides carry a real duty, and both are stated.",
                ),
                ("Not applicable", "the service has no such object."),
            ] {
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(owner).strong());
                    ui.label(rule);
                });
            }
        });
}

/// Presenter mode's evidence: the roll-up and its counts, no check keys or file paths.
fn evidence_summary_ui(
    ui: &mut egui::Ui,
    session: &Session,
    service: &str,
    control_id: &str,
    palette: Palette,
) {
    let Some(view) = session.evidence() else {
        return;
    };
    let Some(status) = view.cell_status(service, control_id) else {
        return;
    };
    let cell = view.evidence.cell(session.catalog(), service, control_id);
    let count = |wanted| cell.results.iter().filter(|r| r.status == wanted).count();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Evidence:").strong());
        ui.label(
            RichText::new(status.label())
                .color(super::evidence::status_color(palette, status))
                .strong(),
        );
        ui.label(format!(
            "{} failing · {} passing · {} unknown",
            count(Result::Fail),
            count(Result::Pass),
            count(Result::Unknown)
        ));
    });
}

/// The control's framework ids; Security Hub ids of this service first.
fn frameworks_ui(
    ui: &mut egui::Ui,
    control: &Control,
    service: Option<&Service>,
    palette: Palette,
) {
    // One wrapping line per framework (a grid's second column would run off the drawer).
    let mut line = |name: &str, ids: &str| {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(format!("{name}:")).color(palette.weak_text()));
            ui.label(ids);
        });
    };
    for (name, ids) in control.frameworks.labelled() {
        if name != "Security Hub" {
            line(name, &ids.join(", "));
            continue;
        }
        // Security Hub ids are per service: show this service's first.
        let (own, other): (Vec<&str>, Vec<&str>) = ids.iter().map(String::as_str).partition(|id| {
            let prefix = id.split('.').next().unwrap_or("");
            service.is_some_and(|s| {
                s.mappings
                    .security_hub_prefixes
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(prefix))
            })
        });
        if !own.is_empty() {
            line("Security Hub", &own.join(", "));
        }
        if !other.is_empty() {
            line("Security Hub, other services", &other.join(", "));
        }
    }
}
