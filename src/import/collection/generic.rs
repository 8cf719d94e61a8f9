//! Resources of every other service the collection lists, recorded for scoping: no check reads
//! them, but they show which services the account uses.

use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{canonical_id, service_for_arn, text, type_for_arn};
use serde_json::Value;

/// (service, operation, path to the list, id field ("" = the element is the id), type)
const LISTS: &[(&str, &str, &[&str], &str, &str)] = &[
    (
        "ec2",
        "describe-subnets",
        &["Subnets"],
        "SubnetId",
        "AWS::EC2::Subnet",
    ),
    (
        "ec2",
        "describe-route-tables",
        &["RouteTables"],
        "RouteTableId",
        "AWS::EC2::RouteTable",
    ),
    (
        "ec2",
        "describe-internet-gateways",
        &["InternetGateways"],
        "InternetGatewayId",
        "AWS::EC2::InternetGateway",
    ),
    (
        "ec2",
        "describe-nat-gateways",
        &["NatGateways"],
        "NatGatewayId",
        "AWS::EC2::NatGateway",
    ),
    (
        "ec2",
        "describe-snapshots",
        &["Snapshots"],
        "SnapshotId",
        "AWS::EC2::Snapshot",
    ),
    (
        "elbv2",
        "describe-load-balancers",
        &["LoadBalancers"],
        "LoadBalancerArn",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
    ),
    (
        "elb",
        "describe-load-balancers",
        &["LoadBalancerDescriptions"],
        "LoadBalancerName",
        "AWS::ElasticLoadBalancing::LoadBalancer",
    ),
    (
        "acm",
        "list-certificates",
        &["CertificateSummaryList"],
        "CertificateArn",
        "AWS::ACM::Certificate",
    ),
    (
        "cloudfront",
        "list-distributions",
        &["DistributionList", "Items"],
        "Id",
        "AWS::CloudFront::Distribution",
    ),
    (
        "route53",
        "list-hosted-zones",
        &["HostedZones"],
        "Id",
        "AWS::Route53::HostedZone",
    ),
    (
        "logs",
        "describe-log-groups",
        &["logGroups"],
        "logGroupName",
        "AWS::Logs::LogGroup",
    ),
    (
        "iam",
        "list-roles",
        &["Roles"],
        "RoleName",
        "AWS::IAM::Role",
    ),
    (
        "iam",
        "list-groups",
        &["Groups"],
        "GroupName",
        "AWS::IAM::Group",
    ),
    (
        "iam",
        "list-policies",
        &["Policies"],
        "PolicyName",
        "AWS::IAM::Policy",
    ),
    (
        "ecs",
        "list-clusters",
        &["clusterArns"],
        "",
        "AWS::ECS::Cluster",
    ),
    (
        "ecs",
        "list-task-definitions",
        &["taskDefinitionArns"],
        "",
        "AWS::ECS::TaskDefinition",
    ),
    (
        "eks",
        "list-clusters",
        &["clusters"],
        "",
        "AWS::EKS::Cluster",
    ),
    (
        "elasticache",
        "describe-cache-clusters",
        &["CacheClusters"],
        "CacheClusterId",
        "AWS::ElastiCache::CacheCluster",
    ),
    (
        "elasticache",
        "describe-replication-groups",
        &["ReplicationGroups"],
        "ReplicationGroupId",
        "AWS::ElastiCache::ReplicationGroup",
    ),
    (
        "redshift",
        "describe-clusters",
        &["Clusters"],
        "ClusterIdentifier",
        "AWS::Redshift::Cluster",
    ),
    (
        "efs",
        "describe-file-systems",
        &["FileSystems"],
        "FileSystemId",
        "AWS::EFS::FileSystem",
    ),
    (
        "secretsmanager",
        "list-secrets",
        &["SecretList"],
        "Name",
        "AWS::SecretsManager::Secret",
    ),
    (
        "apigateway",
        "get-rest-apis",
        &["items"],
        "id",
        "AWS::ApiGateway::RestApi",
    ),
    (
        "apigatewayv2",
        "get-apis",
        &["Items"],
        "ApiId",
        "AWS::ApiGatewayV2::Api",
    ),
    (
        "ecr",
        "describe-repositories",
        &["repositories"],
        "repositoryName",
        "AWS::ECR::Repository",
    ),
    (
        "stepfunctions",
        "list-state-machines",
        &["stateMachines"],
        "stateMachineArn",
        "AWS::StepFunctions::StateMachine",
    ),
    (
        "kinesis",
        "list-streams",
        &["StreamNames"],
        "",
        "AWS::Kinesis::Stream",
    ),
    (
        "cognito-idp",
        "list-user-pools",
        &["UserPools"],
        "Id",
        "AWS::Cognito::UserPool",
    ),
    (
        "wafv2",
        "list-web-acls",
        &["WebACLs"],
        "Id",
        "AWS::WAFv2::WebACL",
    ),
    (
        "backup",
        "list-backup-plans",
        &["BackupPlansList"],
        "BackupPlanId",
        "AWS::Backup::BackupPlan",
    ),
    (
        "ssm",
        "describe-parameters",
        &["Parameters"],
        "Name",
        "AWS::SSM::Parameter",
    ),
    (
        "opensearch",
        "list-domain-names",
        &["DomainNames"],
        "DomainName",
        "AWS::OpenSearch::Domain",
    ),
];

impl Collector<'_> {
    pub(super) fn generic(&self, sink: &mut Sink) {
        for &(service, operation, path, id_key, resource_type) in LISTS {
            for call in self.calls.find(service, operation) {
                let mut value = call.ok();
                for key in path {
                    value = value.and_then(|v| v.get(*key));
                }
                for element in value.and_then(Value::as_array).into_iter().flatten() {
                    let id = if id_key.is_empty() {
                        text(Some(element))
                    } else {
                        text(element.get(id_key))
                    };
                    let Some(id) = id else { continue };
                    let meta = self.meta(sink, &call.region, Some(call));
                    sink.resource(resource_type, &canonical_id(&id), &meta, None);
                }
            }
        }
        // One-object outputs: the organisation, the hub.
        for (service, operation, field, id_key, resource_type) in [
            (
                "organizations",
                "describe-organization",
                "Organization",
                "Id",
                "AWS::Organizations::Organization",
            ),
            (
                "securityhub",
                "describe-hub",
                "",
                "HubArn",
                "AWS::SecurityHub::Hub",
            ),
        ] {
            for call in self.calls.find(service, operation) {
                let value = call.ok().and_then(|v| {
                    if field.is_empty() {
                        Some(v)
                    } else {
                        v.get(field)
                    }
                });
                if let Some(id) = value.and_then(|v| text(v.get(id_key))) {
                    let meta = self.meta(sink, &call.region, Some(call));
                    sink.resource(resource_type, &canonical_id(&id), &meta, None);
                }
            }
        }
        // The tagging API lists tagged resources of every service by ARN.
        for call in self.calls.find("resourcegroupstaggingapi", "get-resources") {
            for element in list(call.ok(), "ResourceTagMappingList") {
                let Some(arn) = text(element.get("ResourceARN")) else {
                    continue;
                };
                let meta = self.meta(sink, &call.region, Some(call));
                let resource_type = type_for_arn(&arn).map_or_else(
                    || format!("arn:{}", arn.split(':').nth(2).unwrap_or("?")),
                    str::to_owned,
                );
                let service = service_for_arn(sink.catalog, &arn);
                sink.resource_with_service(&resource_type, &canonical_id(&arn), &meta, service);
            }
        }
    }
}
