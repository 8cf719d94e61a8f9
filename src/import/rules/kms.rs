//! KMS: rotation of customer managed keys.

use super::Out;
use crate::import::facts::{Facts, KmsKey};
use crate::model::evidence::Status;

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    for k in &facts.kms_keys {
        key(out, k);
    }
}

fn key(out: &mut Out, k: &KmsKey) {
    // Only enabled, customer-managed, symmetric keys with AWS-generated material can rotate.
    if k.manager
        .as_deref()
        .is_some_and(|m| !m.eq_ignore_ascii_case("CUSTOMER"))
        || k.spec.as_deref().is_some_and(|s| s != "SYMMETRIC_DEFAULT")
        || k.origin.as_deref().is_some_and(|o| o != "AWS_KMS")
        || k.state.as_deref().is_some_and(|s| s.starts_with("Pending"))
    {
        return;
    }
    let name = k
        .alias
        .as_deref()
        .map_or_else(String::new, |a| format!("{a}, "));
    let (status, detail) = match (k.manager.as_deref(), k.rotation) {
        (None, _) => (
            Status::Unknown,
            "key manager not in this snapshot".to_owned(),
        ),
        (_, Some(true)) => (
            Status::Pass,
            format!("customer managed key {name}KeyRotationEnabled=true"),
        ),
        (_, Some(false)) => (
            Status::Fail,
            format!("customer managed key {name}KeyRotationEnabled=false"),
        ),
        (_, None) => (
            Status::Unknown,
            "rotation status not in this snapshot".to_owned(),
        ),
    };
    out.push("kms_rotation_off", &k.meta, &k.id, status, detail);
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{Facts, KmsKey};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        let key = |id: &str, rotation: Option<bool>, manager: &str| KmsKey {
            meta: meta("1"),
            id: id.to_owned(),
            alias: None,
            manager: Some(manager.to_owned()),
            spec: Some("SYMMETRIC_DEFAULT".to_owned()),
            origin: Some("AWS_KMS".to_owned()),
            state: Some("Enabled".to_owned()),
            rotation,
        };
        f.kms_keys.push(key("k-bad", Some(false), "CUSTOMER"));
        f.kms_keys.push(key("k-good", Some(true), "CUSTOMER"));
        f.kms_keys.push(key("k-unknown", None, "CUSTOMER"));
        f.kms_keys.push(key("k-aws", Some(false), "AWS"));
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[(
        "kms_rotation_off",
        &[("k-bad", Fail), ("k-good", Pass), ("k-unknown", Unknown)],
    )];

    #[test]
    fn pass_fail_and_unknown() {
        let r = run(&facts(), super::evaluate);
        expect(&r, CASES);
        assert!(
            !r.contains_key(&("kms_rotation_off".to_owned(), "k-aws".to_owned())),
            "AWS managed keys are AWS's"
        );
    }
}
