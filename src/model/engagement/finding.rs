//! Decisions on findings of the findings board: per (check, resource), a status, an assignee
//! and a note, kept in the engagement beside the per-cell items, so they reach its exports.

use super::{Assignee, Engagement, Status};
use crate::model::findings::FindingKey;

/// What was decided about one finding.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FindingDecision {
    pub status: Status,
    pub assignee: Option<Assignee>,
    pub note: String,
}

impl FindingDecision {
    /// Nothing decided: open, unassigned, no note.
    pub fn is_blank(&self) -> bool {
        self.status == Status::Open && self.assignee.is_none() && self.note.is_empty()
    }
}

/// One edit of a finding's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingEdit {
    Status(Status),
    CycleStatus,
    Assignee(Option<Assignee>),
    Note(String),
}

impl FindingEdit {
    pub fn apply_to(self, decision: &mut FindingDecision) {
        match self {
            FindingEdit::Status(status) => decision.status = status,
            FindingEdit::CycleStatus => decision.status = decision.status.next(),
            FindingEdit::Assignee(assignee) => decision.assignee = assignee,
            FindingEdit::Note(note) => decision.note = note,
        }
    }
}

impl Engagement {
    /// Where the decision on a finding is kept: its own key, or, for a finding that is the only
    /// one of its check and resource (`sole`), a decision recorded for the same resource under
    /// another region (before another source named the region).
    pub fn finding_decision_key(&self, key: &FindingKey, sole: bool) -> FindingKey {
        if self.findings.contains_key(key) || !sole {
            return key.clone();
        }
        let start = FindingKey {
            check: key.check.clone(),
            account: key.account.clone(),
            region: String::new(),
            resource_id: String::new(),
        };
        self.findings
            .range(start..)
            .take_while(|(k, _)| k.check == key.check && k.account == key.account)
            .find(|(k, _)| k.same_resource(key))
            .map_or_else(|| key.clone(), |(k, _)| k.clone())
    }

    /// The decision on a finding (see [`Engagement::finding_decision_key`]).
    pub fn finding_decision(&self, key: &FindingKey, sole: bool) -> Option<&FindingDecision> {
        self.findings.get(&self.finding_decision_key(key, sole))
    }

    /// Changes the decision kept under `key`; a blank decision is removed, so the map holds
    /// decisions only.
    pub fn edit_finding(&mut self, key: &FindingKey, edit: FindingEdit) {
        let mut decision = self.findings.get(key).cloned().unwrap_or_default();
        edit.apply_to(&mut decision);
        if decision.is_blank() {
            self.findings.remove(key);
        } else {
            self.findings.insert(key.clone(), decision);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;

    fn key(region: &str, resource: &str) -> FindingKey {
        FindingKey {
            check: "s3_public_access_block_off".into(),
            account: "111122223333".into(),
            region: region.into(),
            resource_id: resource.into(),
        }
    }

    #[test]
    fn decisions_are_kept_per_finding_and_blank_ones_removed() {
        let catalog = Catalog::bundled();
        let mut doc = Engagement::new(&catalog, "Acme", "Review", "2026-12-04", &[]);
        doc.edit_finding(&key("us-east-1", "b1"), FindingEdit::CycleStatus);
        doc.edit_finding(
            &key("us-east-1", "b1"),
            FindingEdit::Assignee(Some(Assignee::ClientPlatform)),
        );
        let d = doc
            .finding_decision(&key("us-east-1", "b1"), false)
            .expect("kept");
        assert_eq!(d.status, Status::InProgress);
        assert_eq!(d.assignee, Some(Assignee::ClientPlatform));
        assert!(
            doc.finding_decision(&key("us-east-1", "b2"), true)
                .is_none()
        );
        doc.edit_finding(&key("us-east-1", "b1"), FindingEdit::Status(Status::Open));
        doc.edit_finding(&key("us-east-1", "b1"), FindingEdit::Assignee(None));
        assert!(doc.findings.is_empty(), "blank again: nothing kept");
    }

    #[test]
    fn a_sole_finding_finds_its_decision_under_another_region() {
        let catalog = Catalog::bundled();
        let mut doc = Engagement::new(&catalog, "Acme", "Review", "2026-12-04", &[]);
        doc.edit_finding(
            &key("global", "b1"),
            FindingEdit::Note("test bucket".into()),
        );
        let now = key("us-east-1", "b1");
        assert_eq!(doc.finding_decision_key(&now, true), key("global", "b1"));
        assert_eq!(
            doc.finding_decision(&now, true).map(|d| d.note.as_str()),
            Some("test bucket")
        );
        assert!(
            doc.finding_decision(&now, false).is_none(),
            "not when the resource has a finding per region"
        );
    }
}
