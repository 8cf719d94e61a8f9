//! The matrix: controls (rows, grouped by domain, collapsible) x chosen services (columns).
//! Painted by hand inside one scroll area with a sticky header row and a sticky first column;
//! only the visible cells are laid out, so it stays fast with every service selected.
//!
//! - `layout`: the geometry, pure and unit-tested (offsets, visible range, hit testing);
//! - `paint`: one small paint helper per part;
//! - `focus`: the keyboard (focus ring, Enter, Page Up/Down);
//! - here: what each part shows, its interaction (click, hover, accessible label), tooltips.

pub mod focus;
pub mod layout;
pub mod paint;

use super::actions::{self, Action};
use super::theme::Palette;
use super::{Request, UiState};
use crate::model::catalog::{Catalog, Control, ServiceRef};
use crate::model::date::older_than_months;
use crate::model::engagement::{ItemKey, Status};
use crate::model::matrix::Matrix;
use crate::model::owner::Owner;
use crate::state::{PRESETS, ScopeCommand, Session, ViewCommand};
use egui::{Rect, RichText, Sense, Vec2};
pub use focus::MatrixState;
pub use layout::{Line, LineSlot, MatrixLayout, Metrics, NORMAL, PRESENTER};
use paint::{CellLook, ColumnLook, Fonts};

/// The accessible label of a cell: "ec2 IAM-01: Customer".
pub fn cell_label(service_ref: &ServiceRef, control_id: &str, owner: Owner) -> String {
    format!("{} {control_id}: {}", service_ref.key(), owner.label())
}

/// The sizes of the matrix's parts: presenter mode's, or everyday ones.
pub fn metrics(session: &Session) -> Metrics {
    if session.presenting() {
        PRESENTER
    } else {
        NORMAL
    }
}

/// The layout of the session's matrix, its columns fitted to `fit_width`.
pub fn layout_for(session: &Session, fit_width: f32) -> MatrixLayout {
    let matrix = session.matrix();
    MatrixLayout::new(
        matrix
            .groups
            .iter()
            .map(|g| (g.rows.len(), session.is_collapsed(&g.domain))),
        matrix.columns.len(),
        fit_width,
        metrics(session),
    )
}

/// The scroll area, told where to scroll when the keyboard asked (a domain to the top, the
/// focused cell into view beside the sticky headers and left of the drawer).
fn scroll_area(
    session: &Session,
    layout: &MatrixLayout,
    state: &mut MatrixState,
) -> egui::ScrollArea {
    let area = egui::ScrollArea::both().auto_shrink([false, false]);
    if let Some(group) = state.goto_group.take()
        && let Some(y) = layout.domain_offset(group)
    {
        return area.vertical_scroll_offset(y);
    }
    if !state.reveal_focus {
        return area;
    }
    let (Some(viewport), Some(cell)) =
        (state.viewport, focus::focused_rect(session, layout, state))
    else {
        // Not on the matrix yet (a column being added): try again next frame.
        return area;
    };
    state.reveal_focus = false;
    area.scroll_offset(layout.reveal(viewport, state.covered, cell))
}

pub fn matrix_ui(
    ui: &mut egui::Ui,
    session: &Session,
    palette: Palette,
    state: &mut UiState,
    out: &mut Vec<Request>,
) {
    let matrix = session.matrix();
    if matrix.columns.is_empty() {
        empty_scope_ui(ui, out);
        return;
    }
    if matrix.groups.is_empty() {
        ui.add_space(24.0);
        ui.vertical_centered(|ui| {
            ui.heading("No control matches the filters.");
            actions::button(ui, Action::ClearFilters, session, state, out);
        });
        return;
    }
    let layout = layout_for(session, ui.available_width() - state.matrix.covered);
    let fonts = Fonts::new(
        crate::ui::theme::text_sizes(session.presenting()),
        layout.metrics(),
    );
    scroll_area(session, &layout, &mut state.matrix).show_viewport(ui, |ui, viewport| {
        state.matrix.viewport = Some(viewport);
        let (content, _) = ui.allocate_exact_size(layout.content_size(), Sense::hover());
        let frame = Frame {
            session,
            matrix,
            layout: &layout,
            palette,
            fonts: &fonts,
            viewport,
            origin: content.min.to_vec2(),
            painter: ui.painter().clone(),
        };
        for slot in layout.visible_lines(viewport) {
            match slot.line {
                Line::Domain { group } => frame.domain_ui(ui, slot, group, out),
                Line::Control { group, row } => {
                    let row = &matrix.groups[group].rows[row];
                    for col in layout.visible_columns(viewport) {
                        if let Some(clicked) = frame.cell_ui(ui, slot, row, col, out) {
                            state.matrix.focus = Some(clicked);
                        }
                    }
                    frame.row_header_ui(ui, slot, &session.catalog().controls[row.control]);
                }
            }
        }
        frame.focus_ring_ui(&state.matrix);
        frame.column_headers_ui(ui, out);
        paint::corner(
            &frame.painter,
            frame.screen(layout.corner(viewport)),
            frame.screen(viewport).max.x,
            palette,
            &fonts,
        );
    });
}

/// One frame of the matrix: what it shows and where (the viewport, and the screen position of
/// the content's top-left corner).
struct Frame<'a> {
    session: &'a Session,
    matrix: &'a Matrix,
    layout: &'a MatrixLayout,
    palette: Palette,
    fonts: &'a Fonts,
    viewport: Rect,
    origin: Vec2,
    painter: egui::Painter,
}

impl Frame<'_> {
    /// Content coordinates to the screen.
    fn screen(&self, rect: Rect) -> Rect {
        rect.translate(self.origin)
    }

    fn catalog(&self) -> &Catalog {
        self.session.catalog()
    }

    fn domain_ui(&self, ui: &egui::Ui, slot: &LineSlot, group: usize, out: &mut Vec<Request>) {
        let group = &self.matrix.groups[group];
        let band = MatrixLayout::domain_band(self.viewport, slot);
        let collapsed = self.session.is_collapsed(&group.domain);
        let name = self.catalog().domain_name(&group.domain);
        paint::domain_band(
            &self.painter,
            self.screen(band),
            format!(
                "{name}  ·  {}",
                crate::model::words::controls(group.rows.len())
            ),
            collapsed,
            self.palette,
            self.fonts,
        );
        let hit = band.intersect(self.layout.below_header(self.viewport));
        if !hit.is_positive() {
            return;
        }
        let response = ui.interact(
            self.screen(hit),
            ui.scope_id().with(("domain", &group.domain)),
            Sense::click(),
        );
        let label = format!("{} {name}", if collapsed { "Expand" } else { "Collapse" });
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        if response.clicked() {
            out.push(Request::Command(
                ViewCommand::ToggleDomainCollapsed(group.domain.clone()).into(),
            ));
        }
    }

    /// One cell; returns the cell when it was clicked (the keyboard focus follows clicks).
    fn cell_ui(
        &self,
        ui: &egui::Ui,
        slot: &LineSlot,
        row: &crate::model::matrix::MatrixRow,
        col: usize,
        out: &mut Vec<Request>,
    ) -> Option<(ServiceRef, String)> {
        let rect = self.layout.cell_rect(slot, col);
        let hit = rect.intersect(self.layout.body(self.viewport));
        if !hit.is_positive() {
            return None;
        }
        let session = self.session;
        let catalog = self.catalog();
        let column = &self.matrix.columns[col];
        let control = &catalog.controls[row.control];
        let owner = row.owners[col];
        let look = self.cell_look(column, control, owner, row.inherited[col]);
        let rect = self.screen(rect);
        paint::cell(&self.painter, rect, &look, self.palette, self.fonts);
        let response = ui.interact(
            self.screen(hit),
            ui.scope_id().with(("cell", col, row.control)),
            Sense::click(),
        );
        let selected = session
            .selected()
            .is_some_and(|(r, id)| r == column && *id == control.id);
        let mut label = cell_label(column, &control.id, owner);
        if let Some(status) = look.evidence {
            label.push_str(", evidence: ");
            label.push_str(status.label());
        }
        response
            .widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, true, selected, &label));
        paint::cell_outline(
            &self.painter,
            rect,
            selected,
            response.hovered(),
            self.palette,
        );
        let clicked = response.clicked();
        if clicked {
            let next = (!selected).then(|| (column.clone(), control.id.clone()));
            out.push(Request::Command(ViewCommand::Select(next).into()));
        }
        response.on_hover_ui(|ui| {
            cell_tooltip_ui(ui, session, column, &control.id, self.palette);
        });
        clicked.then(|| (column.clone(), control.id.clone()))
    }

    /// The keyboard's focus ring, over the cells and under the sticky headers.
    fn focus_ring_ui(&self, state: &MatrixState) {
        let Some(cell) = focus::focused_rect(self.session, self.layout, state) else {
            return;
        };
        let body = self.screen(self.layout.body(self.viewport));
        let painter = self
            .painter
            .with_clip_rect(body.intersect(self.painter.clip_rect()));
        paint::focus_ring(&painter, self.screen(cell), self.palette);
    }

    fn cell_look(
        &self,
        column: &ServiceRef,
        control: &Control,
        owner: Owner,
        inherited: bool,
    ) -> CellLook {
        let session = self.session;
        let filters = session.filters();
        let status = session
            .engagement()
            .filter(|e| owner.customer_involved() && e.doc.scope.contains(column))
            .map(|e| e.doc.status(&ItemKey::new(column.clone(), &control.id)))
            .filter(|s| *s != Status::Open);
        let stale = self
            .catalog()
            .cell(column, &control.id)
            .and_then(|cell| cell.data.last_verified.as_deref())
            .is_some_and(|d| older_than_months(d, session.today(), 12));
        let evidence = session
            .evidence()
            .filter(|_| owner.customer_involved())
            .and_then(|v| v.cell_status(&column.service, &control.id));
        // Presenting, the catalog's own caveats (generic text, old verification) stay off the
        // cells: they are for the consultant, and the detail still says them.
        let presenting = session.presenting();
        CellLook {
            owner,
            active: filters.shows_owner(owner),
            status,
            stale: stale && !presenting,
            evidence,
            inherited: inherited && !presenting,
        }
    }

    /// The sticky row header, painted over the cells that scroll beneath it.
    fn row_header_ui(&self, ui: &egui::Ui, slot: &LineSlot, control: &Control) {
        let header = self.layout.row_header(self.viewport, slot);
        if header.bottom() <= self.viewport.min.y + self.layout.metrics().header_h {
            return;
        }
        paint::row_header(
            &self.painter,
            self.screen(header),
            control,
            self.palette,
            self.fonts,
        );
        let hit = header.intersect(self.layout.below_header(self.viewport));
        let response = ui.interact(
            self.screen(hit),
            ui.scope_id().with(("row", &control.id)),
            Sense::hover(),
        );
        response.on_hover_ui(|ui| {
            ui.set_max_width(420.0);
            ui.label(RichText::new(format!("{} {}", control.id, control.name)).strong());
            ui.label(&control.description);
        });
    }

    /// The sticky header row: band, then one header per visible column.
    fn column_headers_ui(&self, ui: &egui::Ui, out: &mut Vec<Request>) {
        let band = self.screen(self.layout.header_band(self.viewport));
        self.painter
            .rect_filled(band, egui::CornerRadius::ZERO, self.palette.header_fill());
        let clip = self.layout.header_clip(self.viewport);
        let header_painter = self
            .painter
            .with_clip_rect(self.screen(clip).intersect(self.painter.clip_rect()));
        let counts = self.matrix.owner_counts();
        // One form for every column: tier words when the longest fits, letters otherwise.
        let tier_words =
            paint::tier_words_fit(&header_painter, self.layout.col_w() - 8.0, self.fonts);
        for col in self.layout.visible_columns(self.viewport) {
            let column = &self.matrix.columns[col];
            let rect = self.layout.column_header(self.viewport, col);
            let catalog = self.catalog();
            let count = |owner| counts[col].get(&owner).copied().unwrap_or(0);
            let look = ColumnLook {
                name: catalog.short_name(column),
                tier: catalog.tier_of(column),
                customer: count(Owner::Customer),
                shared: count(Owner::Shared),
                tier_words,
                palette: self.palette,
                fonts: self.fonts,
            };
            paint::column_header(
                &header_painter,
                self.screen(rect),
                self.layout.col_w(),
                &look,
            );
            if !self.session.presenting() {
                self.remove_button_ui(ui, &header_painter, rect, clip, column, out);
            }
            let name_hit = rect.intersect(clip);
            if name_hit.is_positive() {
                let id = ui.scope_id().with(("colhead", col));
                let response = ui.interact(self.screen(name_hit), id, Sense::hover());
                // "Column EC2": its rectangle is the part of the header on screen, which is how
                // a test (or a screen reader) tells a whole column from a cut one.
                let label = format!("Column {}", catalog.short_name(column));
                response.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::ColumnHeader, true, &label)
                });
                response.on_hover_ui(|ui| column_tooltip_ui(ui, self.session, column));
            }
        }
    }

    fn remove_button_ui(
        &self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        header: Rect,
        clip: Rect,
        column: &ServiceRef,
        out: &mut Vec<Request>,
    ) {
        let button = MatrixLayout::remove_button(header);
        let hit = button.intersect(clip);
        if !hit.is_positive() {
            return;
        }
        let response = ui.interact(
            self.screen(hit),
            ui.scope_id().with(("remove", column.key())),
            Sense::click(),
        );
        let label = format!("Remove {}", column.key());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let color = if response.hovered() {
            self.palette.error()
        } else {
            self.palette.weak_text()
        };
        paint::remove_cross(painter, self.screen(button), color);
        if response.clicked() {
            out.push(Request::Command(
                ScopeCommand::Remove(column.clone()).into(),
            ));
        }
        response.on_hover_text(format!(
            "Remove {} from the matrix",
            self.catalog().display_name(column)
        ));
    }
}

fn empty_scope_ui(ui: &mut egui::Ui, out: &mut Vec<Request>) {
    ui.add_space(32.0);
    ui.vertical_centered(|ui| {
        ui.heading("Pick the client's services on the left, or start from a preset:");
        ui.add_space(12.0);
        for (index, preset) in PRESETS.iter().enumerate() {
            if ui.button(preset.name).clicked() {
                out.push(Request::Command(ScopeCommand::ApplyPreset(index).into()));
            }
        }
    });
}

fn truncate(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max_chars).collect();
        format!("{}…", cut.trim_end())
    }
}

fn cell_tooltip_ui(
    ui: &mut egui::Ui,
    session: &Session,
    column: &ServiceRef,
    control_id: &str,
    palette: Palette,
) {
    let catalog = session.catalog();
    let Some(cell) = catalog.cell(column, control_id) else {
        return;
    };
    let control_name = catalog.control(control_id).map_or("", |c| c.name.as_str());
    ui.set_max_width(460.0);
    ui.label(
        RichText::new(format!(
            "{} · {control_id} {control_name}",
            catalog.display_name(column)
        ))
        .strong(),
    );
    super::widgets::owner_badge(ui, palette, cell.owner());
    ui.label(RichText::new("AWS does").strong());
    ui.label(truncate(&cell.data.aws_does, 320));
    ui.label(RichText::new("Customer does").strong());
    ui.label(truncate(&cell.data.customer_does, 320));
    if let Some(date) = &cell.data.last_verified {
        ui.label(RichText::new(format!("Last verified {date}")).small());
    }
    let origin = if cell.inherited() {
        "Generic tier text (not yet service-specific)."
    } else {
        "Service-specific text."
    };
    ui.label(
        RichText::new(format!("{origin} Click for sources and framework ids."))
            .color(palette.weak_text())
            .small(),
    );
}

fn column_tooltip_ui(ui: &mut egui::Ui, session: &Session, column: &ServiceRef) {
    let catalog = session.catalog();
    let Some(service) = catalog.service(&column.service) else {
        return;
    };
    ui.set_max_width(440.0);
    ui.label(RichText::new(catalog.display_name(column)).strong());
    if let Some(tier) = catalog.tier_of(column) {
        ui.label(format!("Tier {}: {}", tier.as_str(), tier.label()));
    }
    ui.label(&service.summary);
    if let Some(variant) = column.variant.as_deref().and_then(|v| service.variant(v)) {
        ui.label(RichText::new(&variant.summary).italics());
    }
}
