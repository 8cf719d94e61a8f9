//! The matrix filters: owners, domains, search text.

use super::Session;
use super::command::{Outcome, Rebuild};
use crate::model::matrix::Filters;
use crate::model::owner::Owner;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterCommand {
    /// Show or hide an owner's rows (see `Filters::toggle_owner`).
    ToggleOwner(Owner),
    /// Show or hide a domain's rows.
    ToggleDomain(String),
    SetQuery(String),
    Clear,
}

impl Session {
    pub(super) fn filter_command(&mut self, command: FilterCommand) -> Outcome {
        match command {
            FilterCommand::ToggleOwner(owner) => self.filters.toggle_owner(owner),
            FilterCommand::ToggleDomain(domain) => {
                let all = self.catalog.domains.iter().map(|d| d.id.clone()).collect();
                self.filters.toggle_domain(&domain, &all);
            }
            FilterCommand::SetQuery(query) => self.filters.query = query,
            FilterCommand::Clear => self.filters = Filters::default(),
        }
        Outcome::rebuild(Rebuild::MATRIX)
    }
}
