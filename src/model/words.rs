//! Words for people: counts with the right plural, and the one-sentence story of what moves
//! between two columns of a comparison ("Moving from EC2 to ECS on Fargate takes 3 controls off
//! your plate").

use super::matrix::Shift;
use super::owner::Owner;

/// "1 control", "3 controls", "0 controls".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

/// "1 control", "3 controls".
pub fn controls(n: usize) -> String {
    count(n, "control", "controls")
}

/// What one step of a comparison means for the customer, counted from the shift's moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Burden {
    /// Customer or shared before, AWS or not applicable after: off the customer's plate.
    pub relieved: usize,
    /// Customer before, shared after: AWS now carries part of it.
    pub lighter: usize,
    /// Shared before, customer after: the customer now carries all of it.
    pub heavier: usize,
    /// AWS or not applicable before, customer or shared after: new on the customer's plate.
    pub taken_on: usize,
    /// Changes the customer does not feel (AWS to not applicable and back).
    pub other: usize,
}

impl Burden {
    pub fn of(shift: &Shift) -> Burden {
        let mut burden = Burden::default();
        for (&(before, after), &n) in &shift.moves {
            let slot = match (before, after) {
                (Owner::Customer, Owner::Shared) => &mut burden.lighter,
                (Owner::Shared, Owner::Customer) => &mut burden.heavier,
                (b, a) if b.customer_involved() && !a.customer_involved() => &mut burden.relieved,
                (b, a) if !b.customer_involved() && a.customer_involved() => &mut burden.taken_on,
                _ => &mut burden.other,
            };
            *slot += n;
        }
        burden
    }
}

/// The headline of one step: "Moving from ECS on EC2 to ECS on Fargate takes 3 controls off
/// your plate and shares 1 control with AWS."
pub fn shift_headline(shift: &Shift, from: &str, to: &str) -> String {
    let b = Burden::of(shift);
    let mut parts = Vec::new();
    if b.relieved > 0 {
        parts.push(format!("takes {} off your plate", controls(b.relieved)));
    }
    if b.lighter > 0 {
        parts.push(format!("shares {} with AWS", controls(b.lighter)));
    }
    if b.heavier > 0 {
        parts.push(format!("leaves {} to you alone", controls(b.heavier)));
    }
    if b.taken_on > 0 {
        parts.push(format!("adds {} to your plate", controls(b.taken_on)));
    }
    let what = match parts.len() {
        0 if b.other > 0 => format!(
            "changes the owner of {}, none of them yours",
            controls(b.other)
        ),
        0 => "changes no owner".to_owned(),
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last}", parts.join(", "))
        }
    };
    format!("Moving from {from} to {to} {what}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::catalog::{Catalog, ServiceRef};
    use crate::model::matrix::Comparison;
    use std::collections::BTreeMap;

    fn shift(moves: &[((Owner, Owner), usize)]) -> Shift {
        Shift {
            from: ServiceRef::new("a", None),
            to: ServiceRef::new("b", None),
            moves: moves.iter().copied().collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn counts_take_the_right_plural() {
        assert_eq!(controls(0), "0 controls");
        assert_eq!(controls(1), "1 control");
        assert_eq!(controls(2), "2 controls");
        assert_eq!(count(1, "service", "services"), "1 service");
    }

    #[test]
    fn the_headline_names_what_leaves_and_what_arrives() {
        use Owner::{Aws, Customer, NotApplicable, Shared};
        let one = shift(&[((Customer, Aws), 1)]);
        assert_eq!(
            shift_headline(&one, "EC2", "Lambda"),
            "Moving from EC2 to Lambda takes 1 control off your plate."
        );
        let mixed = shift(&[
            ((Customer, Aws), 2),
            ((Shared, NotApplicable), 1),
            ((Customer, Shared), 1),
            ((Aws, Customer), 2),
        ]);
        assert_eq!(
            shift_headline(&mixed, "A", "B"),
            "Moving from A to B takes 3 controls off your plate, shares 1 control with AWS \
             and adds 2 controls to your plate."
        );
        let aws_only = shift(&[((Aws, NotApplicable), 2)]);
        assert_eq!(
            shift_headline(&aws_only, "A", "B"),
            "Moving from A to B changes the owner of 2 controls, none of them yours."
        );
        assert_eq!(
            shift_headline(&shift(&[]), "A", "B"),
            "Moving from A to B changes no owner."
        );
    }

    #[test]
    fn ecs_on_ec2_to_fargate_relieves_the_customer_in_the_bundled_catalog() {
        let catalog = Catalog::bundled();
        let refs = catalog.parse_refs("ecs/ec2,ecs/fargate").expect("known");
        let cmp = Comparison::build(&catalog, &refs);
        let burden = Burden::of(&cmp.shifts[0]);
        assert_eq!(burden.relieved, cmp.shifts[0].relieved());
        assert_eq!(burden.taken_on, cmp.shifts[0].taken_on());
        let total: usize = cmp.shifts[0].moves.values().sum();
        assert_eq!(
            burden.relieved + burden.lighter + burden.heavier + burden.taken_on + burden.other,
            total
        );
        assert!(burden.relieved > 0);
        let headline = shift_headline(&cmp.shifts[0], "ECS on EC2", "ECS on Fargate");
        assert!(
            headline.starts_with("Moving from ECS on EC2 to ECS on Fargate takes "),
            "{headline}"
        );
    }
}
