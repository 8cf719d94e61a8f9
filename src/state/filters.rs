//! The matrix filters: owners, domains, search text.

use super::Session;
use super::command::{Outcome, Rebuild};
use crate::model::matrix::Filters;
use crate::model::owner::Owner;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterCommand {
    ToggleOwner(Owner),
    ToggleDomain(String),
    SetQuery(String),
    Clear,
}

impl Session {
    pub(super) fn filter_command(&mut self, command: FilterCommand) -> Outcome {
        match command {
            FilterCommand::ToggleOwner(owner) => {
                if !self.filters.owners.remove(&owner) {
                    self.filters.owners.insert(owner);
                }
            }
            FilterCommand::ToggleDomain(domain) => {
                if !self.filters.domains.remove(&domain) {
                    self.filters.domains.insert(domain);
                }
            }
            FilterCommand::SetQuery(query) => self.filters.query = query,
            FilterCommand::Clear => self.filters = Filters::default(),
        }
        Outcome::rebuild(Rebuild::MATRIX)
    }
}
