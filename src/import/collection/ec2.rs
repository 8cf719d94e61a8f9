//! EC2 and VPC: security groups, network ACLs, VPCs and their flow logs, instances, volumes,
//! EBS encryption by default.

use super::{Collector, list, tag_name};
use crate::import::Sink;
use crate::import::common::{loose_bool, loose_i64, text};
use crate::import::facts::{
    EbsDefault, FlowLog, Instance, Known, NetworkAcl, SecurityGroup, SgRule, Volume, Vpc,
};
use serde_json::Value;

impl Collector<'_> {
    pub(super) fn ec2(&self, sink: &mut Sink, region: &str) {
        self.security_groups(sink, region);
        self.network_acls(sink, region);
        self.vpcs(sink, region);
        self.flow_logs(sink, region);
        self.instances(sink, region);
        self.volumes(sink, region);
        self.ebs_default(sink, region);
    }

    pub(super) fn security_groups(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-security-groups", r) {
            for g in list(call.ok(), "SecurityGroups") {
                let Some(id) = text(g.get("GroupId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::SecurityGroup", &id, &meta, None);
                sink.facts.security_groups.push(SecurityGroup {
                    meta,
                    id,
                    name: text(g.get("GroupName")),
                    vpc: text(g.get("VpcId")),
                    ingress: g.get("IpPermissions").map(cli_rules),
                    egress: g.get("IpPermissionsEgress").map(cli_rules),
                });
            }
        }
    }

    pub(super) fn network_acls(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-network-acls", r) {
            for n in list(call.ok(), "NetworkAcls") {
                let Some(id) = text(n.get("NetworkAclId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::NetworkAcl", &id, &meta, None);
                sink.facts.network_acls.push(NetworkAcl {
                    meta,
                    id,
                    is_default: loose_bool(n.get("IsDefault")),
                    entries: n
                        .get("Entries")
                        .and_then(Value::as_array)
                        .map(|e| crate::import::config::acl_entries(e)),
                });
            }
        }
    }

    pub(super) fn vpcs(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-vpcs", r) {
            for v in list(call.ok(), "Vpcs") {
                let Some(id) = text(v.get("VpcId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::VPC", &id, &meta, None);
                sink.facts.vpcs.push(Vpc {
                    meta,
                    id,
                    is_default: loose_bool(v.get("IsDefault")),
                });
            }
        }
    }

    pub(super) fn flow_logs(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-flow-logs", r) {
            if call.ok().is_some() {
                sink.facts
                    .flow_logs_listed
                    .push((self.account.to_owned(), region.to_owned()));
            }
            for f in list(call.ok(), "FlowLogs") {
                let (Some(id), Some(target)) =
                    (text(f.get("FlowLogId")), text(f.get("ResourceId")))
                else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::FlowLog", &id, &meta, None);
                sink.facts.flow_logs.push(FlowLog {
                    meta,
                    id,
                    resource_id: target,
                });
            }
        }
    }

    pub(super) fn instances(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-instances", r) {
            for res in list(call.ok(), "Reservations") {
                for i in list(Some(res), "Instances") {
                    let Some(id) = text(i.get("InstanceId")) else {
                        continue;
                    };
                    let meta = self.meta(sink, region, Some(call));
                    let md = i.get("MetadataOptions");
                    sink.resource("AWS::EC2::Instance", &id, &meta, None);
                    sink.facts.instances.push(Instance {
                        meta,
                        id,
                        name: tag_name(i),
                        state: i.get("State").and_then(|s| text(s.get("Name"))),
                        public_ip: text(i.get("PublicIpAddress"))
                            .map_or(Known::Absent, Known::Present),
                        http_tokens: md.and_then(|m| text(m.get("HttpTokens"))),
                        http_endpoint: md.and_then(|m| text(m.get("HttpEndpoint"))),
                    });
                }
            }
        }
    }

    pub(super) fn volumes(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "describe-volumes", r) {
            for v in list(call.ok(), "Volumes") {
                let Some(id) = text(v.get("VolumeId")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                sink.resource("AWS::EC2::Volume", &id, &meta, None);
                sink.facts.volumes.push(Volume {
                    meta,
                    id,
                    encrypted: loose_bool(v.get("Encrypted")),
                });
            }
        }
    }

    pub(super) fn ebs_default(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("ec2", "get-ebs-encryption-by-default", r) {
            let meta = self.meta(sink, region, Some(call));
            sink.facts.ebs_defaults.push(EbsDefault {
                meta,
                enabled: call
                    .ok()
                    .and_then(|v| loose_bool(v.get("EbsEncryptionByDefault"))),
            });
        }
    }
}

fn cli_rules(value: &Value) -> Vec<SgRule> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .map(|p| SgRule {
                    protocol: p.get("IpProtocol").map_or_else(
                        || "-1".to_owned(),
                        |v| v.as_str().map_or_else(|| v.to_string(), str::to_owned),
                    ),
                    from_port: loose_i64(p.get("FromPort")),
                    to_port: loose_i64(p.get("ToPort")),
                    cidrs: self::list(Some(p), "IpRanges")
                        .iter()
                        .filter_map(|r| text(r.get("CidrIp")))
                        .chain(
                            self::list(Some(p), "Ipv6Ranges")
                                .iter()
                                .filter_map(|r| text(r.get("CidrIpv6"))),
                        )
                        .collect(),
                    other_sources: self::list(Some(p), "UserIdGroupPairs").len()
                        + self::list(Some(p), "PrefixListIds").len(),
                })
                .collect()
        })
        .unwrap_or_default()
}
