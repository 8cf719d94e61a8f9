//! The columns of the Compare view.

use super::Session;
use super::command::{Outcome, Rebuild};
use super::settings::PRESETS;
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
    /// Fill the columns from `PRESETS[index]` (its first `COMPARE_SLOTS` services; the other
    /// columns empty).
    ApplyPreset(usize),
}

impl Session {
    pub(super) fn compare_command(&mut self, command: CompareCommand) -> Outcome {
        match command {
            CompareCommand::SetSlot { slot, service } => {
                if let Some(place) = self.compare.get_mut(slot) {
                    *place = service;
                }
            }
            CompareCommand::ApplyPreset(index) => {
                let Some(preset) = PRESETS.get(index) else {
                    return Outcome::NOTHING;
                };
                let refs = preset
                    .refs
                    .iter()
                    .filter_map(|k| self.catalog.parse_ref(k).ok());
                self.compare = refs.map(Some).take(COMPARE_SLOTS).collect();
                self.compare.resize(COMPARE_SLOTS, None);
            }
        }
        Outcome::rebuild(Rebuild::COMPARISON)
    }
}
