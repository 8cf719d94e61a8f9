//! The engagement checklist as a meeting runs it: grouping, filters, collapsed groups. Its
//! order is rebuilt when these, the scope, the toolbar's filters, the engagement or the
//! evidence change, never when an item is edited, so rows stay where they are while people
//! talk; `Refresh` applies the filters to the edits made since.

use super::Session;
use super::command::{Outcome, Rebuild};
use crate::model::engagement::Status;
use crate::model::engagement::agenda::{AgendaGrouping, AssigneeFilter, EvidenceFilter};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChecklistCommand {
    SetGrouping(AgendaGrouping),
    /// Show items with these statuses.
    SetStatuses(Vec<Status>),
    SetAssignee(AssigneeFilter),
    SetEvidence(EvidenceFilter),
    /// Collapse or expand a group (by its key: domain id or service ref key).
    ToggleGroup(String),
    /// Sort and filter again, with the edits made since.
    Refresh,
}

impl Session {
    pub(super) fn checklist_command(&mut self, command: ChecklistCommand) -> Outcome {
        match command {
            ChecklistCommand::SetGrouping(grouping) => self.agenda_grouping = grouping,
            ChecklistCommand::SetStatuses(statuses) => self.agenda_filter.statuses = statuses,
            ChecklistCommand::SetAssignee(assignee) => self.agenda_filter.assignee = assignee,
            ChecklistCommand::SetEvidence(evidence) => self.agenda_filter.evidence = evidence,
            ChecklistCommand::ToggleGroup(key) => {
                if !self.collapsed_agenda.remove(&key) {
                    self.collapsed_agenda.insert(key);
                }
                return Outcome::NOTHING;
            }
            ChecklistCommand::Refresh => {}
        }
        Outcome::rebuild(Rebuild::CHECKLIST)
    }
}
