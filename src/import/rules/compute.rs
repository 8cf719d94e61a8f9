//! EC2 and EBS: public addresses, `IMDSv1`, unencrypted volumes, EBS encryption by default.

use super::Out;
use crate::import::facts::{Facts, Known};
use crate::model::evidence::Status;

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    for i in &facts.instances {
        if matches!(i.state.as_deref(), Some("terminated" | "shutting-down")) {
            continue;
        }
        let (status, detail) = match &i.public_ip {
            Known::Present(ip) => (
                Status::Fail,
                format!("instance has a public IPv4 address ({ip})"),
            ),
            Known::Absent => (Status::Pass, "no public IPv4 address".to_owned()),
            Known::Unknown => (
                Status::Unknown,
                "public address not in this snapshot".to_owned(),
            ),
        };
        out.push("ec2_public_ip", &i.meta, &i.id, status, detail);
        let (status, detail) = match (i.http_endpoint.as_deref(), i.http_tokens.as_deref()) {
            (Some(e), _) if e.eq_ignore_ascii_case("disabled") => (
                Status::Pass,
                "instance metadata service disabled".to_owned(),
            ),
            (_, Some(t)) if t.eq_ignore_ascii_case("required") => (
                Status::Pass,
                "MetadataOptions.HttpTokens=required".to_owned(),
            ),
            (_, Some(t)) => (Status::Fail, format!("MetadataOptions.HttpTokens={t}")),
            (_, None) => (
                Status::Unknown,
                "metadata options not in this snapshot".to_owned(),
            ),
        };
        out.push("imdsv1_allowed", &i.meta, &i.id, status, detail);
    }
    for v in &facts.volumes {
        let (status, detail) = match v.encrypted {
            Some(true) => (Status::Pass, "Encrypted=true"),
            Some(false) => (Status::Fail, "Encrypted=false"),
            None => (Status::Unknown, "encryption not in this snapshot"),
        };
        out.push("ebs_unencrypted", &v.meta, &v.id, status, detail);
    }
    for d in &facts.ebs_defaults {
        let (status, detail) = match d.enabled {
            Some(true) => (
                Status::Pass,
                format!("EBS encryption by default on in {}", d.meta.region),
            ),
            Some(false) => (
                Status::Fail,
                format!("EbsEncryptionByDefault=false in {}", d.meta.region),
            ),
            None => (
                Status::Unknown,
                "EBS encryption by default not in this snapshot".to_owned(),
            ),
        };
        out.push(
            "ebs_default_encryption_off",
            &d.meta,
            &d.meta.account,
            status,
            detail,
        );
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{EbsDefault, Facts, Instance, Known, Volume};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        let instance = |id: &str, ip: Known<String>, tokens: Option<&str>| Instance {
            meta: meta("1"),
            id: id.to_owned(),
            public_ip: ip,
            http_tokens: tokens.map(str::to_owned),
            ..Instance::default()
        };
        f.instances.push(instance(
            "i-bad",
            Known::Present("54.1.2.3".to_owned()),
            Some("optional"),
        ));
        f.instances
            .push(instance("i-good", Known::Absent, Some("required")));
        f.instances
            .push(instance("i-unknown", Known::Unknown, None));
        f.instances.push(Instance {
            state: Some("terminated".to_owned()),
            ..instance(
                "i-gone",
                Known::Present("1.1.1.1".to_owned()),
                Some("optional"),
            )
        });
        for (id, enc) in [
            ("vol-bad", Some(false)),
            ("vol-good", Some(true)),
            ("vol-unknown", None),
        ] {
            f.volumes.push(Volume {
                meta: meta("1"),
                id: id.to_owned(),
                encrypted: enc,
            });
        }
        for (account, on) in [("1", Some(false)), ("2", Some(true)), ("3", None)] {
            f.ebs_defaults.push(EbsDefault {
                meta: meta(account),
                enabled: on,
            });
        }
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        (
            "ec2_public_ip",
            &[("i-bad", Fail), ("i-good", Pass), ("i-unknown", Unknown)],
        ),
        (
            "imdsv1_allowed",
            &[("i-bad", Fail), ("i-good", Pass), ("i-unknown", Unknown)],
        ),
        (
            "ebs_unencrypted",
            &[
                ("vol-bad", Fail),
                ("vol-good", Pass),
                ("vol-unknown", Unknown),
            ],
        ),
        (
            "ebs_default_encryption_off",
            &[("1", Fail), ("2", Pass), ("3", Unknown)],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        let r = run(&facts(), super::evaluate);
        expect(&r, CASES);
        assert!(
            !r.contains_key(&("ec2_public_ip".to_owned(), "i-gone".to_owned())),
            "terminated instances are skipped"
        );
    }
}
