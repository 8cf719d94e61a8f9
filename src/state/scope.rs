//! The columns of the matrix (the scope): add, remove, move, replace, presets.

use super::Session;
use super::command::{Outcome, Rebuild};
use super::notice::Level;
use super::settings::{PRESETS, View};
use crate::model::catalog::ServiceRef;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeCommand {
    /// Add a column (ignored when unknown to the catalog or already there).
    Add(ServiceRef),
    Remove(ServiceRef),
    Move {
        from: usize,
        to: usize,
    },
    /// Replace the columns (unknown and repeated ones are dropped).
    Set(Vec<ServiceRef>),
    Clear,
    /// Replace the columns with `PRESETS[index]` and show the matrix.
    ApplyPreset(usize),
}

impl Session {
    pub(super) fn scope_command(&mut self, command: ScopeCommand) -> Outcome {
        match command {
            ScopeCommand::Add(r) => {
                if self.catalog.tier_of(&r).is_some() && !self.scope.contains(&r) {
                    self.scope.push(r);
                }
            }
            ScopeCommand::Remove(r) => self.scope.retain(|x| *x != r),
            ScopeCommand::Move { from, to } => {
                if from < self.scope.len() && to < self.scope.len() {
                    let r = self.scope.remove(from);
                    self.scope.insert(to, r);
                }
            }
            ScopeCommand::Set(refs) => {
                self.scope.clear();
                for r in refs {
                    if self.catalog.tier_of(&r).is_some() && !self.scope.contains(&r) {
                        self.scope.push(r);
                    }
                }
            }
            ScopeCommand::Clear => self.scope.clear(),
            ScopeCommand::ApplyPreset(index) => self.apply_preset(index),
        }
        Outcome::rebuild(Rebuild::MATRIX)
    }

    fn apply_preset(&mut self, index: usize) {
        let Some(preset) = PRESETS.get(index) else {
            return;
        };
        let refs: Vec<ServiceRef> = preset
            .refs
            .iter()
            .filter_map(|k| self.catalog.parse_ref(k).ok())
            .collect();
        if refs.len() < preset.refs.len() {
            self.notify(
                Level::Info,
                format!("{}: some services are not in this catalog yet", preset.name),
            );
        }
        self.scope = refs;
        self.view = View::Matrix;
    }

    /// The engagement's scope, without what this catalog does not know.
    pub(super) fn known_refs(&self, refs: &[ServiceRef]) -> Vec<ServiceRef> {
        refs.iter()
            .filter(|r| self.catalog.tier_of(r).is_some())
            .cloned()
            .collect()
    }
}
