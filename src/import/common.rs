//! Small shared pieces: canonical resource ids, resource type -> catalog service, timestamps
//! (CLI v1 epoch numbers and v2 ISO strings), percent-decoding of policy documents.

use crate::model::catalog::Catalog;
use crate::model::date::days_from_date;
use serde_json::Value;

/// The id a resource goes by in results, whatever the source: bucket name, `sg-...`, DB
/// identifier, user name, queue name... An ARN is reduced to that; `AWS::::Account:123` to `123`.
pub fn canonical_id(id: &str) -> String {
    if let Some(account) = id.strip_prefix("AWS::::Account:") {
        return account.to_owned();
    }
    if !id.starts_with("arn:") {
        // An SQS queue URL: the name is the last path segment.
        if id.starts_with("https://sqs.") || id.starts_with("https://queue.amazonaws.com") {
            return id.rsplit('/').next().unwrap_or(id).to_owned();
        }
        return id.to_owned();
    }
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    let (Some(service), Some(account), Some(resource)) = (parts.get(2), parts.get(4), parts.get(5))
    else {
        return id.to_owned();
    };
    if *service == "iam" && *resource == "root" {
        return (*account).to_owned();
    }
    if *service == "s3" {
        return resource.split('/').next().unwrap_or(resource).to_owned();
    }
    // `type/name`, `type/path/name`, `type:name`, `type:name:qualifier`, or just `name`.
    if let Some((_, rest)) = resource.split_once('/') {
        return rest.rsplit('/').next().unwrap_or(rest).to_owned();
    }
    let pieces: Vec<&str> = resource.split(':').collect();
    match pieces.as_slice() {
        [name] | [_, name, ..] => (*name).to_owned(),
        [] => id.to_owned(),
    }
}

/// The ARN's service namespace and resource type (`ec2`, `security-group`).
fn arn_parts(arn: &str) -> Option<(&str, &str)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let namespace = parts.get(2)?;
    let resource = parts.get(5)?;
    let kind = resource.split(['/', ':']).next().unwrap_or("");
    Some((namespace, kind))
}

/// A CloudFormation-style type for an ARN, when it is one we know (`AWS::EC2::Instance`).
pub fn type_for_arn(arn: &str) -> Option<&'static str> {
    let (namespace, kind) = arn_parts(arn)?;
    Some(match (namespace, kind) {
        ("s3", _) => "AWS::S3::Bucket",
        ("ec2", "instance") => "AWS::EC2::Instance",
        ("ec2", "volume") => "AWS::EC2::Volume",
        ("ec2", "snapshot") => "AWS::EC2::Snapshot",
        ("ec2", "security-group") => "AWS::EC2::SecurityGroup",
        ("ec2", "vpc") => "AWS::EC2::VPC",
        ("ec2", "subnet") => "AWS::EC2::Subnet",
        ("ec2", "network-acl") => "AWS::EC2::NetworkAcl",
        ("ec2", "route-table") => "AWS::EC2::RouteTable",
        ("ec2", "internet-gateway") => "AWS::EC2::InternetGateway",
        ("ec2", "natgateway") => "AWS::EC2::NatGateway",
        ("ec2", "network-interface") => "AWS::EC2::NetworkInterface",
        ("ec2", "elastic-ip") => "AWS::EC2::EIP",
        ("ec2", "vpc-flow-log" | "flow-logs") => "AWS::EC2::FlowLog",
        ("ec2", "launch-template") => "AWS::EC2::LaunchTemplate",
        ("ec2", "transit-gateway") => "AWS::EC2::TransitGateway",
        ("ec2", "vpn-connection") => "AWS::EC2::VPNConnection",
        ("rds", "db") => "AWS::RDS::DBInstance",
        ("rds", "cluster") => "AWS::RDS::DBCluster",
        ("iam", "user") => "AWS::IAM::User",
        ("iam", "role") => "AWS::IAM::Role",
        ("iam", "group") => "AWS::IAM::Group",
        ("iam", "policy") => "AWS::IAM::Policy",
        ("lambda", "function") => "AWS::Lambda::Function",
        ("dynamodb", "table") => "AWS::DynamoDB::Table",
        ("sqs", _) => "AWS::SQS::Queue",
        ("sns", _) => "AWS::SNS::Topic",
        ("kms", "key") => "AWS::KMS::Key",
        ("cloudtrail", "trail") => "AWS::CloudTrail::Trail",
        ("guardduty", "detector") => "AWS::GuardDuty::Detector",
        ("elasticloadbalancing", "loadbalancer") => "AWS::ElasticLoadBalancingV2::LoadBalancer",
        ("acm", "certificate") => "AWS::ACM::Certificate",
        ("cloudfront", "distribution") => "AWS::CloudFront::Distribution",
        ("logs", "log-group") => "AWS::Logs::LogGroup",
        ("secretsmanager", "secret") => "AWS::SecretsManager::Secret",
        ("ecs", "cluster") => "AWS::ECS::Cluster",
        ("ecs", "task-definition") => "AWS::ECS::TaskDefinition",
        ("eks", "cluster") => "AWS::EKS::Cluster",
        ("elasticfilesystem", "file-system") => "AWS::EFS::FileSystem",
        ("ecr", "repository") => "AWS::ECR::Repository",
        ("states", "stateMachine") => "AWS::StepFunctions::StateMachine",
        ("kinesis", "stream") => "AWS::Kinesis::Stream",
        ("es", "domain") => "AWS::OpenSearch::Domain",
        ("redshift", "cluster") => "AWS::Redshift::Cluster",
        _ => return None,
    })
}

/// ASFF resource types (`AwsEc2SecurityGroup`) as CloudFormation-style types, when known.
pub fn type_for_asff(asff_type: &str) -> Option<&'static str> {
    Some(match asff_type {
        "AwsS3Bucket" => "AWS::S3::Bucket",
        "AwsEc2Instance" => "AWS::EC2::Instance",
        "AwsEc2Volume" => "AWS::EC2::Volume",
        "AwsEc2SecurityGroup" => "AWS::EC2::SecurityGroup",
        "AwsEc2Vpc" => "AWS::EC2::VPC",
        "AwsEc2Subnet" => "AWS::EC2::Subnet",
        "AwsEc2NetworkAcl" => "AWS::EC2::NetworkAcl",
        "AwsEc2NetworkInterface" => "AWS::EC2::NetworkInterface",
        "AwsEc2Eip" => "AWS::EC2::EIP",
        "AwsEc2LaunchTemplate" => "AWS::EC2::LaunchTemplate",
        "AwsRdsDbInstance" => "AWS::RDS::DBInstance",
        "AwsRdsDbCluster" => "AWS::RDS::DBCluster",
        "AwsIamUser" => "AWS::IAM::User",
        "AwsIamRole" => "AWS::IAM::Role",
        "AwsIamGroup" => "AWS::IAM::Group",
        "AwsIamPolicy" => "AWS::IAM::Policy",
        "AwsIamAccessKey" => "AWS::IAM::AccessKey",
        "AwsLambdaFunction" => "AWS::Lambda::Function",
        "AwsDynamoDbTable" => "AWS::DynamoDB::Table",
        "AwsSqsQueue" => "AWS::SQS::Queue",
        "AwsSnsTopic" => "AWS::SNS::Topic",
        "AwsKmsKey" => "AWS::KMS::Key",
        "AwsCloudTrailTrail" => "AWS::CloudTrail::Trail",
        "AwsElbv2LoadBalancer" => "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AwsCertificateManagerCertificate" => "AWS::ACM::Certificate",
        "AwsCloudFrontDistribution" => "AWS::CloudFront::Distribution",
        "AwsEcsCluster" => "AWS::ECS::Cluster",
        "AwsEcsTaskDefinition" => "AWS::ECS::TaskDefinition",
        "AwsEksCluster" => "AWS::EKS::Cluster",
        "AwsEfsFileSystem" => "AWS::EFS::FileSystem",
        "AwsEcrRepository" => "AWS::ECR::Repository",
        "AwsSecretsManagerSecret" => "AWS::SecretsManager::Secret",
        "AwsRedshiftCluster" => "AWS::Redshift::Cluster",
        "AwsOpenSearchServiceDomain" => "AWS::OpenSearch::Domain",
        "AwsElasticsearchDomain" => "AWS::Elasticsearch::Domain",
        "AwsApiGatewayStage" => "AWS::ApiGateway::Stage",
        "AwsApiGatewayV2Api" => "AWS::ApiGatewayV2::Api",
        "AwsKinesisStream" => "AWS::Kinesis::Stream",
        "AwsStepFunctionStateMachine" => "AWS::StepFunctions::StateMachine",
        "AwsWafv2WebAcl" => "AWS::WAFv2::WebACL",
        "AwsGuardDutyDetector" => "AWS::GuardDuty::Detector",
        _ => return None,
    })
}

/// The catalog service a resource type belongs to. Types several services list are settled
/// here (security groups are the VPC's; RDS types by engine); otherwise the catalog's AWS Config
/// type table, then its `CloudFormation` prefixes (longest prefix wins).
pub fn service_for_type(
    catalog: &Catalog,
    resource_type: &str,
    engine: Option<&str>,
) -> Option<String> {
    let by_engine = |fallback: &'static str| -> &'static str {
        let engine = engine.unwrap_or("").to_ascii_lowercase();
        if engine.starts_with("aurora") {
            "aurora"
        } else if engine.starts_with("docdb") {
            "documentdb"
        } else if engine.starts_with("neptune") {
            "neptune"
        } else if engine.is_empty() {
            fallback
        } else {
            "rds"
        }
    };
    let fixed = match resource_type {
        "AWS::EC2::SecurityGroup" | "AWS::EC2::EIP" => Some("vpc"),
        "AWS::EC2::LaunchTemplate" => Some("ec2"),
        "AWS::EC2::Snapshot" => Some("ebs"),
        "AWS::RDS::DBInstance" => Some(by_engine("rds")),
        "AWS::RDS::DBCluster" => Some(by_engine("aurora")),
        _ => None,
    };
    if let Some(service) = fixed {
        return catalog.service(service).map(|s| s.id.clone());
    }
    if let Some(first) = catalog.services_for_config_type(resource_type).first() {
        return Some((*first).to_owned());
    }
    catalog
        .services
        .iter()
        .flat_map(|s| {
            s.mappings
                .cloudformation_prefixes
                .iter()
                .map(move |p| (p, s))
        })
        .filter(|(p, _)| resource_type.starts_with(p.as_str()))
        .max_by_key(|(p, _)| p.len())
        .map(|(_, s)| s.id.clone())
}

/// The catalog service of an ARN: by its type when known, else by its namespace when only one
/// service uses that namespace.
pub fn service_for_arn(catalog: &Catalog, arn: &str) -> Option<String> {
    if let Some(t) = type_for_arn(arn) {
        return service_for_type(catalog, t, None);
    }
    let (namespace, _) = arn_parts(arn)?;
    match catalog.services_for_arn_namespace(namespace).as_slice() {
        [one] => Some((*one).to_owned()),
        _ => None,
    }
}

/// Seconds since the epoch from a CLI timestamp: a number (CLI v1 prints JSON-protocol times as
/// epoch seconds) or an ISO 8601 string (`2026-11-28T17:48:26.346022+00:00`, `...Z`).
pub fn epoch_seconds(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|f| f.is_finite()).map(|f| {
            // Milliseconds are sometimes used (Config's configurationStateId-style numbers).
            let secs = if f > 1e11 { f / 1000.0 } else { f };
            secs as i64
        }),
        Value::String(s) => parse_iso(s).or_else(|| s.trim().parse::<f64>().ok().map(|f| f as i64)),
        _ => None,
    }
}

/// `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|+HH:MM|-HH:MM]` -> seconds since the epoch.
pub fn parse_iso(text: &str) -> Option<i64> {
    let text = text.trim();
    let date = text.get(..10)?;
    let days = days_from_date(date)?;
    let rest = text.get(10..).unwrap_or("");
    if rest.is_empty() {
        return Some(days * 86_400);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let num = |s: &str| s.parse::<i64>().ok();
    let (h, m, s) = (
        num(rest.get(0..2)?)?,
        num(rest.get(3..5)?)?,
        num(rest.get(6..8)?)?,
    );
    let mut tail = rest.get(8..).unwrap_or("");
    if let Some(frac) = tail.strip_prefix('.') {
        tail = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match tail {
        "" | "Z" | "z" => 0,
        t if t.len() >= 6 && (t.starts_with('+') || t.starts_with('-')) => {
            let sign = if t.starts_with('-') { -1 } else { 1 };
            sign * (num(t.get(1..3)?)? * 3600 + num(t.get(4..6)?)? * 60)
        }
        _ => return None,
    };
    Some(days * 86_400 + h * 3600 + m * 60 + s - offset)
}

/// Percent-decoding (AWS Config stores IAM policy documents URL-encoded). A `+` is a space, as
/// in form encoding; a `%` not followed by two hex digits stays as it is.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// A policy document as found in the wild: a JSON object, a JSON string, or a URL-encoded
/// JSON string.
pub fn policy_document(value: &Value) -> Option<Value> {
    match value {
        Value::Object(_) => Some(value.clone()),
        // A document wrapped in a one-element list (AWS Config rule examples write it so).
        Value::Array(list) if list.len() == 1 && list[0].is_object() => Some(list[0].clone()),
        Value::String(s) => {
            let t = s.trim_start();
            if t.starts_with('{') {
                serde_json::from_str(t).ok()
            } else {
                serde_json::from_str(&percent_decode(t)).ok()
            }
        }
        _ => None,
    }
}

/// A boolean that may be written as a string (`"true"`, as SQS and Config's API shape do).
pub fn loose_bool(value: Option<&Value>) -> Option<bool> {
    match value? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

/// An integer that may be written as a string.
pub fn loose_i64(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A non-empty string field.
pub fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_reduce_to_the_resource_name() {
        assert_eq!(canonical_id("arn:aws:s3:::acme-logs"), "acme-logs");
        assert_eq!(
            canonical_id("arn:aws:ec2:us-east-1:1:security-group/sg-1"),
            "sg-1"
        );
        assert_eq!(
            canonical_id("arn:aws:rds:us-east-1:1:db:reporting"),
            "reporting"
        );
        assert_eq!(canonical_id("arn:aws:iam::1:user/division/bob"), "bob");
        assert_eq!(canonical_id("arn:aws:iam::123:root"), "123");
        assert_eq!(
            canonical_id("arn:aws:lambda:us-east-1:1:function:resize:prod"),
            "resize"
        );
        assert_eq!(canonical_id("arn:aws:sqs:us-east-1:1:outbox"), "outbox");
        assert_eq!(
            canonical_id("https://sqs.us-east-1.amazonaws.com/1/outbox"),
            "outbox"
        );
        assert_eq!(canonical_id("AWS::::Account:314159265358"), "314159265358");
        assert_eq!(canonical_id("i-123"), "i-123");
        assert_eq!(canonical_id("arn:broken"), "arn:broken");
    }

    #[test]
    fn timestamps_in_both_cli_styles() {
        let iso = parse_iso("2026-11-28T17:48:26.346022+00:00").expect("iso");
        assert_eq!(parse_iso("2026-11-28T17:48:26Z"), Some(iso));
        assert_eq!(parse_iso("2026-11-28T19:48:26+02:00"), Some(iso));
        assert_eq!(
            epoch_seconds(&serde_json::json!(1_795_888_106.5)),
            Some(1_795_888_106)
        );
        assert_eq!(
            epoch_seconds(&serde_json::json!("2026-11-28T17:48:26Z")),
            Some(iso)
        );
        assert_eq!(parse_iso("N/A"), None);
        assert_eq!(parse_iso("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn url_encoded_policies_decode() {
        let doc = policy_document(&serde_json::json!("%7B%22Statement%22%3A%20%5B%5D%7D"))
            .expect("decodes");
        assert_eq!(doc, serde_json::json!({"Statement": []}));
        let listed = policy_document(&serde_json::json!([{"Statement": []}])).expect("listed");
        assert_eq!(listed, serde_json::json!({"Statement": []}));
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn percent_decoding_reads_plus_as_space_and_keeps_bad_escapes() {
        assert_eq!(percent_decode("a+b%2Bc%20d"), "a b+c d");
        assert_eq!(percent_decode("%41%4"), "A%4");
        assert_eq!(percent_decode("%e2%82%ac%ff"), "\u{20ac}\u{fffd}");
    }

    #[test]
    fn ambiguous_types_settle_on_one_service() {
        let catalog = Catalog::bundled();
        assert_eq!(
            service_for_type(&catalog, "AWS::EC2::SecurityGroup", None).as_deref(),
            Some("vpc")
        );
        assert_eq!(
            service_for_type(&catalog, "AWS::RDS::DBInstance", Some("aurora-postgresql"))
                .as_deref(),
            Some("aurora")
        );
        assert_eq!(
            service_for_type(&catalog, "AWS::RDS::DBInstance", Some("mysql")).as_deref(),
            Some("rds")
        );
        assert_eq!(
            service_for_type(&catalog, "AWS::EC2::Volume", None).as_deref(),
            Some("ebs")
        );
        assert_eq!(
            service_for_type(&catalog, "AWS::Config::ConfigurationRecorder", None).as_deref(),
            Some("config")
        );
        assert_eq!(service_for_type(&catalog, "AWS::Nope::Thing", None), None);
        assert_eq!(
            service_for_arn(&catalog, "arn:aws:ec2:us-east-1:1:instance/i-1").as_deref(),
            Some("ec2")
        );
    }
}
