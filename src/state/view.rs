//! Which view, which cell, how it looks: nothing here changes the matrix itself.

use super::Session;
use super::command::{Outcome, Rebuild};
use super::settings::{ThemeChoice, View, clamp_zoom};
use crate::model::catalog::ServiceRef;

#[derive(Debug, Clone, PartialEq)]
pub enum ViewCommand {
    Show(View),
    /// Select a cell (service, control id) for the detail panel, or close it.
    Select(Option<(ServiceRef, String)>),
    ToggleDomainCollapsed(String),
    SetTheme(ThemeChoice),
    SetZoom(f32),
}

impl Session {
    pub(super) fn view_command(&mut self, command: ViewCommand) -> Outcome {
        match command {
            ViewCommand::Show(view) => self.view = view,
            // A selection outside the columns is dropped by `apply` (see `fix_selection`).
            ViewCommand::Select(selection) => self.selected = selection,
            ViewCommand::ToggleDomainCollapsed(domain) => {
                if !self.collapsed.remove(&domain) {
                    self.collapsed.insert(domain);
                }
            }
            ViewCommand::SetTheme(theme) => self.theme = theme,
            ViewCommand::SetZoom(zoom) => self.zoom = clamp_zoom(zoom),
        }
        Outcome::rebuild(Rebuild::NOTHING)
    }
}
