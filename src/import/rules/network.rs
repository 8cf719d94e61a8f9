//! Network: security groups open to the internet, the default security group, NACLs, VPC flow
//! logs.

use super::Out;
use crate::import::facts::{Facts, FlowLog, NetworkAcl, SecurityGroup, SgRule, Vpc};
use crate::model::evidence::Status;
use std::collections::{HashMap, HashSet};

const WORLD: [&str; 2] = ["0.0.0.0/0", "::/0"];

fn rule_opens(rule: &SgRule, port: u16) -> Option<&str> {
    let world = rule.cidrs.iter().find(|c| WORLD.contains(&c.as_str()))?;
    let protocol = rule.protocol.to_ascii_lowercase();
    let all = protocol == "-1" || protocol == "all";
    if !(all || protocol == "tcp" || protocol == "6") {
        return None;
    }
    if !all {
        let from = rule.from_port.unwrap_or(-1);
        let to = rule.to_port.unwrap_or(-1);
        let p = i64::from(port);
        // -1 / missing ports mean every port.
        if from >= 0 && to >= 0 && !(from <= p && p <= to) {
            return None;
        }
    }
    Some(world.as_str())
}

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    for sg in &facts.security_groups {
        if out.cancelled() {
            return;
        }
        open_ports(out, sg);
        if sg.name.as_deref() == Some("default") {
            default_group(out, sg);
        }
    }
    for acl in &facts.network_acls {
        network_acl(out, acl);
    }
    // Each VPC looks its flow log up by (account, VPC id): one pass over each list.
    let mut covering: HashMap<(&str, &str), &FlowLog> = HashMap::new();
    for f in &facts.flow_logs {
        covering
            .entry((&*f.meta.account, &*f.resource_id))
            .or_insert(f);
    }
    let listed: HashSet<(&str, &str)> = facts
        .flow_logs_listed
        .iter()
        .map(|(a, r)| (a.as_str(), r.as_str()))
        .collect();
    for vpc in &facts.vpcs {
        if out.cancelled() {
            return;
        }
        let covered = covering
            .get(&(&*vpc.meta.account, vpc.id.as_str()))
            .copied();
        let listed = listed.contains(&(&*vpc.meta.account, &*vpc.meta.region));
        flow_logs(out, vpc, covered, listed);
    }
}

/// SSH, RDP and database ports open to the internet.
fn open_ports(out: &mut Out, sg: &SecurityGroup) {
    let groups = [
        ("sg_open_ssh_world", "SSH"),
        ("sg_open_rdp_world", "RDP"),
        ("sg_open_db_world", "database"),
    ];
    for (key, what) in groups {
        let ports = out
            .check(key)
            .map(|c| c.params.ports.clone())
            .unwrap_or_default();
        let (status, detail) = match &sg.ingress {
            None => (
                Status::Unknown,
                "inbound rules not in this snapshot".to_owned(),
            ),
            Some(rules) => {
                let open: Vec<String> = ports
                    .iter()
                    .filter_map(|&p| {
                        rules
                            .iter()
                            .find_map(|r| rule_opens(r, p))
                            .map(|cidr| format!("tcp/{p} from {cidr}"))
                    })
                    .collect();
                if open.is_empty() {
                    (
                        Status::Pass,
                        format!("no inbound {what} port open to the internet"),
                    )
                } else {
                    (Status::Fail, open.join(", "))
                }
            }
        };
        out.push(key, &sg.meta, &sg.id, status, detail);
    }
}

fn default_group(out: &mut Out, sg: &SecurityGroup) {
    let (status, detail) = match (&sg.ingress, &sg.egress) {
        (Some(i), Some(e)) if i.is_empty() && e.is_empty() => (
            Status::Pass,
            "default security group has no rules".to_owned(),
        ),
        (Some(i), Some(e)) => (
            Status::Fail,
            format!(
                "default security group has {} inbound and {} outbound rule(s)",
                i.len(),
                e.len()
            ),
        ),
        (Some(i), None) if !i.is_empty() => (
            Status::Fail,
            format!("default security group has {} inbound rule(s)", i.len()),
        ),
        (None, Some(e)) if !e.is_empty() => (
            Status::Fail,
            format!("default security group has {} outbound rule(s)", e.len()),
        ),
        _ => (
            Status::Unknown,
            "rules of the default security group not in this snapshot".to_owned(),
        ),
    };
    out.push(
        "default_sg_not_restricted",
        &sg.meta,
        &sg.id,
        status,
        detail,
    );
}

fn network_acl(out: &mut Out, acl: &NetworkAcl) {
    let (status, detail) = match &acl.entries {
        None => (
            Status::Unknown,
            "NACL entries not in this snapshot".to_owned(),
        ),
        Some(entries) => {
            let mut inbound: Vec<_> = entries.iter().filter(|e| !e.egress).collect();
            inbound.sort_by_key(|e| e.rule_number);
            let decisive = inbound.into_iter().find(|e| {
                e.cidr.as_deref().is_some_and(|c| WORLD.contains(&c))
                    && (e.protocol == "-1" || e.protocol.eq_ignore_ascii_case("all"))
            });
            match decisive {
                Some(e) if e.allow => (
                    Status::Fail,
                    format!(
                        "rule {} allows all protocols and ports from {}",
                        e.rule_number,
                        e.cidr.as_deref().unwrap_or("")
                    ),
                ),
                Some(e) => (
                    Status::Pass,
                    format!(
                        "rule {} denies all traffic from the internet first",
                        e.rule_number
                    ),
                ),
                None => (
                    Status::Pass,
                    "no rule allows all traffic from the internet".to_owned(),
                ),
            }
        }
    };
    out.push(
        "nacl_allows_all_ingress_world",
        &acl.meta,
        &acl.id,
        status,
        detail,
    );
}

fn flow_logs(out: &mut Out, vpc: &Vpc, covered: Option<&FlowLog>, listed: bool) {
    let default = if vpc.is_default == Some(true) {
        "default VPC"
    } else {
        "VPC"
    };
    let (status, detail) = match (covered, listed) {
        (Some(f), _) => (Status::Pass, format!("flow log {}", f.id)),
        (None, true) => (Status::Fail, format!("{default} has no flow log")),
        (None, false) => (Status::Unknown, "flow logs not in this snapshot".to_owned()),
    };
    out.push("vpc_flow_logs_off", &vpc.meta, &vpc.id, status, detail);
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use super::rule_opens;
    use crate::import::facts::{AclEntry, Facts, FlowLog, NetworkAcl, SecurityGroup, SgRule, Vpc};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    fn rule(protocol: &str, from: i64, to: i64, cidr: &str) -> SgRule {
        SgRule {
            protocol: protocol.to_owned(),
            from_port: Some(from),
            to_port: Some(to),
            cidrs: vec![cidr.to_owned()],
            other_sources: 0,
        }
    }

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-open".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![
                rule("tcp", 22, 22, "0.0.0.0/0"),
                rule("tcp", 3389, 3389, "::/0"),
                rule("6", 3300, 3310, "0.0.0.0/0"),
            ]),
            egress: Some(vec![]),
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-closed".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![
                rule("tcp", 443, 443, "0.0.0.0/0"),
                rule("-1", -1, -1, "10.0.0.0/8"),
            ]),
            egress: Some(vec![]),
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-unknown".to_owned(),
            name: Some("default".to_owned()),
            ..SecurityGroup::default()
        });
        f.security_groups.push(SecurityGroup {
            meta: meta("1"),
            id: "sg-empty".to_owned(),
            name: Some("default".to_owned()),
            vpc: None,
            ingress: Some(vec![]),
            egress: Some(vec![]),
        });
        let entry = |n: i64, allow: bool, cidr: &str| AclEntry {
            rule_number: n,
            egress: false,
            protocol: "-1".to_owned(),
            allow,
            cidr: Some(cidr.to_owned()),
            port_from: None,
            port_to: None,
        };
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-open".to_owned(),
            is_default: Some(true),
            entries: Some(vec![
                entry(32767, false, "0.0.0.0/0"),
                entry(100, true, "0.0.0.0/0"),
            ]),
        });
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-shut".to_owned(),
            is_default: Some(false),
            entries: Some(vec![
                entry(50, false, "0.0.0.0/0"),
                entry(100, true, "0.0.0.0/0"),
            ]),
        });
        f.network_acls.push(NetworkAcl {
            meta: meta("1"),
            id: "acl-unknown".to_owned(),
            ..NetworkAcl::default()
        });
        f.vpcs.push(Vpc {
            meta: meta("1"),
            id: "vpc-logged".to_owned(),
            is_default: Some(false),
        });
        f.vpcs.push(Vpc {
            meta: meta("1"),
            id: "vpc-dark".to_owned(),
            is_default: Some(true),
        });
        f.vpcs.push(Vpc {
            meta: meta("9"),
            id: "vpc-unlisted".to_owned(),
            is_default: None,
        });
        f.flow_logs.push(FlowLog {
            meta: meta("1"),
            id: "fl-1".to_owned(),
            resource_id: "vpc-logged".to_owned(),
        });
        f.flow_logs_listed
            .push(("1".to_owned(), "us-east-1".to_owned()));
        f
    }

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        (
            "sg_open_ssh_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
        ),
        (
            "sg_open_rdp_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
        ),
        (
            "sg_open_db_world",
            &[
                ("sg-open", Fail),
                ("sg-closed", Pass),
                ("sg-unknown", Unknown),
            ],
        ),
        (
            "default_sg_not_restricted",
            &[
                ("sg-open", Fail),
                ("sg-closed", Fail),
                ("sg-empty", Pass),
                ("sg-unknown", Unknown),
            ],
        ),
        (
            "nacl_allows_all_ingress_world",
            &[
                ("acl-open", Fail),
                ("acl-shut", Pass),
                ("acl-unknown", Unknown),
            ],
        ),
        (
            "vpc_flow_logs_off",
            &[
                ("vpc-dark", Fail),
                ("vpc-logged", Pass),
                ("vpc-unlisted", Unknown),
            ],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        expect(&run(&facts(), super::evaluate), CASES);
    }

    #[test]
    fn security_group_port_ranges_and_protocols() {
        assert!(rule_opens(&rule("tcp", 0, 65535, "0.0.0.0/0"), 22).is_some());
        assert!(rule_opens(&rule("-1", -1, -1, "::/0"), 3389).is_some());
        assert!(rule_opens(&rule("udp", 0, 65535, "0.0.0.0/0"), 22).is_none());
        assert!(rule_opens(&rule("tcp", 23, 100, "0.0.0.0/0"), 22).is_none());
        assert!(rule_opens(&rule("tcp", 22, 22, "10.0.0.0/8"), 22).is_none());
    }
}
