//! How the window is laid out for the room: presenter mode, the service sidebar, and presenter
//! mode's "customer and shared only" switch.

use super::Session;
use super::command::{Outcome, Rebuild};
use crate::model::owner::Owner;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutCommand {
    /// Presenter mode on or off: no sidebar, status bar or notifications, one compact toolbar
    /// row, large text, columns fitted to the window, nothing internal shown.
    SetPresenting(bool),
    /// Hide or show the service sidebar (remembered between runs).
    SetSidebarCollapsed(bool),
    /// Show only the rows where the customer has a part (the owner filter keeps exactly
    /// Customer and Shared), or every owner again.
    SetCustomerAndSharedOnly(bool),
}

impl Session {
    pub(super) fn layout_command(&mut self, command: LayoutCommand) -> Outcome {
        match command {
            LayoutCommand::SetPresenting(on) => self.presenting = on,
            LayoutCommand::SetSidebarCollapsed(collapsed) => self.sidebar_collapsed = collapsed,
            LayoutCommand::SetCustomerAndSharedOnly(on) => {
                self.filters.owners = if on {
                    [Owner::Customer, Owner::Shared].into()
                } else {
                    std::collections::BTreeSet::new()
                };
                return Outcome::rebuild(Rebuild::MATRIX);
            }
        }
        Outcome::NOTHING
    }

    /// Presenter mode is on.
    pub fn presenting(&self) -> bool {
        self.presenting
    }

    /// The service sidebar is hidden.
    pub fn sidebar_collapsed(&self) -> bool {
        self.sidebar_collapsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::tests::session;

    #[test]
    fn customer_and_shared_only_filters_the_matrix_and_turns_off_again() {
        let mut s = session();
        let all = s.matrix().row_count();
        s.apply(LayoutCommand::SetCustomerAndSharedOnly(true).into());
        assert!(s.filters().customer_and_shared_only());
        assert!(s.matrix().row_count() < all);
        for row in s.matrix().groups.iter().flat_map(|g| &g.rows) {
            assert!(row.owners.iter().any(|o| o.customer_involved()));
        }
        s.apply(LayoutCommand::SetCustomerAndSharedOnly(false).into());
        assert_eq!(s.matrix().row_count(), all);
    }

    #[test]
    fn presenting_is_not_remembered_but_the_sidebar_is() {
        let mut s = session();
        s.apply(LayoutCommand::SetPresenting(true).into());
        s.apply(LayoutCommand::SetSidebarCollapsed(true).into());
        assert!(s.presenting() && s.sidebar_collapsed());
        let settings = s.settings();
        assert!(settings.sidebar_collapsed);
        let again = Session::new(std::sync::Arc::clone(s.catalog()), &settings, "2026-12-04");
        assert!(again.sidebar_collapsed());
        assert!(
            !again.presenting(),
            "a new start is never in presenter mode"
        );
    }
}
