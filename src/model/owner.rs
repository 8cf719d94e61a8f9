//! Who owns a control, and the service tiers that set default owners.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who is responsible for a control on a service.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// AWS does it; nothing for the customer to do.
    Aws,
    /// Both sides have a part.
    Shared,
    /// The customer does it.
    Customer,
    /// The control does not apply to this service.
    NotApplicable,
}

impl Owner {
    pub const ALL: [Owner; 4] = [
        Owner::Aws,
        Owner::Shared,
        Owner::Customer,
        Owner::NotApplicable,
    ];

    /// The value used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Aws => "aws",
            Owner::Shared => "shared",
            Owner::Customer => "customer",
            Owner::NotApplicable => "not_applicable",
        }
    }

    /// The words shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Owner::Aws => "AWS",
            Owner::Shared => "Shared",
            Owner::Customer => "Customer",
            Owner::NotApplicable => "Not applicable",
        }
    }

    /// Does the customer have work to do on a cell with this owner?
    pub fn customer_involved(self) -> bool {
        matches!(self, Owner::Customer | Owner::Shared)
    }

    pub fn parse(text: &str) -> Option<Owner> {
        Owner::ALL
            .into_iter()
            .find(|o| {
                o.as_str().eq_ignore_ascii_case(text.trim())
                    || o.label().eq_ignore_ascii_case(text.trim())
            })
            .or(match text.trim() {
                "n/a" | "na" => Some(Owner::NotApplicable),
                _ => None,
            })
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Service tier: infrastructure, container/managed, abstracted. It sets the default owner of
/// every control the service's file does not write.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Tier {
    /// Infrastructure: the customer runs the guest OS and up (EC2).
    I,
    /// Container / managed: AWS runs the platform, the customer configures it (RDS).
    C,
    /// Abstracted: AWS runs nearly everything behind an API (S3, Lambda).
    A,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::I, Tier::C, Tier::A];

    pub fn as_str(self) -> &'static str {
        match self {
            Tier::I => "I",
            Tier::C => "C",
            Tier::A => "A",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tier::I => "Infrastructure",
            Tier::C => "Container / managed",
            Tier::A => "Abstracted",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_round_trips_through_text() {
        for owner in Owner::ALL {
            assert_eq!(Owner::parse(owner.as_str()), Some(owner));
            assert_eq!(Owner::parse(owner.label()), Some(owner));
        }
        assert_eq!(Owner::parse("n/a"), Some(Owner::NotApplicable));
        assert_eq!(Owner::parse("nobody"), None);
    }

    #[test]
    fn only_customer_and_shared_involve_the_customer() {
        assert!(Owner::Customer.customer_involved());
        assert!(Owner::Shared.customer_involved());
        assert!(!Owner::Aws.customer_involved());
        assert!(!Owner::NotApplicable.customer_involved());
    }
}
