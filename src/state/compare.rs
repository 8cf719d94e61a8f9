//! The columns of the Compare view.

use super::Session;
use super::command::{Outcome, Rebuild};
use crate::model::catalog::ServiceRef;

/// How many columns the Compare view has.
pub const COMPARE_SLOTS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareCommand {
    /// Put a service in a column (or empty it).
    SetSlot {
        slot: usize,
        service: Option<ServiceRef>,
    },
}

impl Session {
    pub(super) fn compare_command(&mut self, command: CompareCommand) -> Outcome {
        match command {
            CompareCommand::SetSlot { slot, service } => {
                if let Some(place) = self.compare.get_mut(slot) {
                    *place = service;
                }
            }
        }
        Outcome::rebuild(Rebuild::COMPARISON)
    }
}
