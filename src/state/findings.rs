//! The findings board: its filter and grouping, collapsed groups, decisions on findings (kept
//! in the open engagement), and opening a finding's cell in the matrix.

use super::Session;
use super::command::{Outcome, Rebuild};
use super::notice::Level;
use super::settings::View;
use crate::model::catalog::ServiceRef;
use crate::model::engagement::FindingEdit;
use crate::model::findings::{FindingFilter, FindingKey, Grouping};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingsCommand {
    SetFilter(FindingFilter),
    SetGrouping(Grouping),
    /// Collapse or expand a group (by [`findings_group_key`]).
    ToggleGroup(String),
    /// Record a decision on a finding in the open engagement.
    Decide {
        key: FindingKey,
        edit: FindingEdit,
    },
    /// Show the finding's cell in the matrix (its service joins the columns if needed).
    OpenCell {
        service: String,
        control: String,
    },
}

/// The key a group is collapsed under: the grouping and the group's words.
pub fn findings_group_key(grouping: Grouping, label: &str) -> String {
    format!("{}:{label}", grouping.label())
}

impl Session {
    pub(super) fn findings_command(&mut self, command: FindingsCommand) -> Outcome {
        match command {
            FindingsCommand::SetFilter(filter) => {
                self.finding_filter = filter;
                Outcome::rebuild(Rebuild::FINDINGS)
            }
            FindingsCommand::SetGrouping(grouping) => {
                self.finding_grouping = grouping;
                Outcome::rebuild(Rebuild::FINDINGS)
            }
            FindingsCommand::ToggleGroup(key) => {
                if !self.collapsed_findings.remove(&key) {
                    self.collapsed_findings.insert(key);
                }
                Outcome::NOTHING
            }
            FindingsCommand::Decide { key, edit } => {
                match self.engagement.as_mut() {
                    Some(e) => {
                        let before = e.doc.findings.get(&key).cloned();
                        e.doc.edit_finding(&key, edit);
                        if e.doc.findings.get(&key) != before.as_ref() {
                            e.touch();
                        }
                    }
                    None => self.notify(
                        Level::Error,
                        "Start or open an engagement to record decisions on findings",
                    ),
                }
                Outcome::NOTHING
            }
            FindingsCommand::OpenCell { service, control } => self.open_cell(&service, &control),
        }
    }

    fn open_cell(&mut self, service: &str, control: &str) -> Outcome {
        let in_scope = self.scope.iter().find(|r| r.service == service).cloned();
        let (column, rebuild) = if let Some(r) = in_scope {
            (r, Rebuild::NOTHING)
        } else {
            let Some(s) = self.catalog.service(service) else {
                self.notify(
                    Level::Error,
                    format!("'{service}' is not a service of this catalog"),
                );
                return Outcome::NOTHING;
            };
            let r: ServiceRef = self.catalog.default_ref(s);
            self.scope.push(r.clone());
            (r, Rebuild::MATRIX)
        };
        self.selected = Some((column, control.to_owned()));
        self.view = View::Matrix;
        Outcome::rebuild(rebuild)
    }
}
