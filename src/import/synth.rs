//! A deterministic generator of large AWS Config snapshots, for benchmarks and scale tests:
//! the same `items` and `seed` give the same bytes. Items cycle through the resource types the
//! checks read (with realistic configuration sizes), plus types no check reads and one type no
//! catalog service maps.

use std::fmt::Write as _;
use std::io::{self, Write};

/// A small, fast, deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            let _ = write!(s, "{:08x}", self.next());
        }
        s.truncate(len);
        s
    }
}

const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "ap-southeast-2"];
const ACCOUNT: &str = "123456789012";

fn header(out: &mut String, kind: &str, id: &str, name: &str, region: &str, arn: &str) {
    let _ = write!(
        out,
        r#""relatedEvents":[],"relationships":[{{"resourceId":"vpc-0a1b2c3d","resourceType":"AWS::EC2::VPC","name":"Is contained in Vpc"}}],"tags":{{"env":"prod","team":"platform"}},"configurationItemVersion":"1.3","configurationItemCaptureTime":"2026-11-28T17:48:59.007Z","configurationStateId":1795888139008,"awsAccountId":"{ACCOUNT}","configurationItemStatus":"OK","resourceType":"{kind}","resourceId":"{id}","resourceName":"{name}","ARN":"{arn}","awsRegion":"{region}","availabilityZone":"Not Applicable","configurationStateMd5Hash":"""#
    );
}

fn item(rng: &mut Lcg, i: usize, out: &mut String) {
    let region = REGIONS[i % REGIONS.len()];
    out.push('{');
    match i % 16 {
        0 | 1 => s3_bucket(rng, i, region, out),
        2..=4 => ec2_instance(rng, i, region, out),
        5 | 6 => security_group(rng, i, region, out),
        7 | 8 => ebs_volume(rng, i, region, out),
        9 => subnet(rng, i, region, out),
        10 => rds_instance(rng, i, region, out),
        11 => iam_role(rng, i, region, out),
        12 => lambda_function(rng, i, region, out),
        13 => sqs_queue(rng, i, region, out),
        14 => kms_key(rng, i, region, out),
        _ => unmapped_thing(rng, i, region, out),
    }
    out.push('}');
}

fn s3_bucket(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let name = format!("bucket-{i}-{}", rng.hex(6));
    let bpa = if rng.chance(80) {
        r#""PublicAccessBlockConfiguration":{"blockPublicAcls":true,"ignorePublicAcls":true,"blockPublicPolicy":true,"restrictPublicBuckets":true},"#
    } else {
        ""
    };
    let enc = if rng.chance(90) {
        r#""ServerSideEncryptionConfiguration":{"rules":[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256","kmsMasterKeyID":null},"bucketKeyEnabled":false}]},"#
    } else {
        ""
    };
    let versioning = if rng.chance(50) { "Enabled" } else { "Off" };
    let policy = if rng.chance(50) {
        format!(
            r#""{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::{name}\",\"arn:aws:s3:::{name}/*\"],\"Condition\":{{\"Bool\":{{\"aws:SecureTransport\":\"false\"}}}}}}]}}""#
        )
    } else {
        "null".to_owned()
    };
    let _ = write!(
        out,
        r#""configuration":{{"name":"{name}","owner":{{"displayName":null,"id":"{}"}},"creationDate":"2026-11-28T17:48:26.481Z"}},"supplementaryConfiguration":{{"AccessControlList":"{{\"grantSet\":null,\"grantList\":[{{\"grantee\":{{\"id\":\"{}\",\"displayName\":null}},\"permission\":\"FullControl\"}}],\"owner\":{{\"displayName\":null,\"id\":\"{}\"}},\"isRequesterCharged\":false}}","BucketAccelerateConfiguration":{{"status":null}},"BucketLoggingConfiguration":{{"destinationBucketName":null,"logFilePrefix":null}},"BucketNotificationConfiguration":{{"configurations":{{}}}},"BucketPolicy":{{"policyText":{policy}}},"BucketVersioningConfiguration":{{"status":"{versioning}","isMfaDeleteEnabled":null}},{bpa}{enc}"IsRequesterPaysEnabled":false}},"#,
        rng.hex(64),
        rng.hex(64),
        rng.hex(64)
    );
    header(
        out,
        "AWS::S3::Bucket",
        &name,
        &name,
        region,
        &format!("arn:aws:s3:::{name}"),
    );
}

fn ec2_instance(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let id = format!("i-{}", rng.hex(17));
    let tokens = if rng.chance(70) {
        "required"
    } else {
        "optional"
    };
    let ip = if rng.chance(30) {
        format!(
            r#""publicIpAddress":"54.{}.{}.{}","#,
            rng.next() % 255,
            rng.next() % 255,
            rng.next() % 255
        )
    } else {
        String::new()
    };
    let _ = write!(
        out,
        r#""configuration":{{"amiLaunchIndex":0,"imageId":"ami-{}","instanceId":"{id}","instanceType":"t3.medium","kernelId":null,"keyName":"ops","launchTime":"2026-11-28T17:48:27.000Z","monitoring":{{"state":"disabled"}},"placement":{{"availabilityZone":"{region}a","groupName":"","tenancy":"default"}},"platform":null,"privateDnsName":"ip-10-0-{}-{}.ec2.internal","privateIpAddress":"10.0.{}.{}",{ip}"productCodes":[],"publicDnsName":"","state":{{"code":16,"name":"running"}},"subnetId":"subnet-{}","vpcId":"vpc-{}","architecture":"x86_64","blockDeviceMappings":[{{"deviceName":"/dev/xvda","ebs":{{"attachTime":"2026-11-28T17:48:27.000Z","deleteOnTermination":true,"status":"attached","volumeId":"vol-{}"}}}}],"ebsOptimized":false,"enaSupport":true,"hypervisor":"xen","iamInstanceProfile":{{"arn":"arn:aws:iam::{ACCOUNT}:instance-profile/web","id":"AIPA{}"}},"networkInterfaces":[{{"attachment":{{"attachTime":"2026-11-28T17:48:27.000Z","attachmentId":"eni-attach-{}","deleteOnTermination":true,"deviceIndex":0,"status":"attached"}},"description":"","groups":[{{"groupName":"web","groupId":"sg-{}"}}],"ipv6Addresses":[],"macAddress":"0e:{}","networkInterfaceId":"eni-{}","ownerId":"{ACCOUNT}","privateIpAddress":"10.0.1.10","sourceDestCheck":true,"status":"in-use","subnetId":"subnet-{}","vpcId":"vpc-{}"}}],"rootDeviceName":"/dev/xvda","rootDeviceType":"ebs","securityGroups":[{{"groupName":"web","groupId":"sg-{}"}}],"sourceDestCheck":true,"tags":[{{"key":"Name","value":"web-{i}"}}],"virtualizationType":"hvm","cpuOptions":{{"coreCount":1,"threadsPerCore":2}},"metadataOptions":{{"state":"applied","httpTokens":"{tokens}","httpPutResponseHopLimit":1,"httpEndpoint":"enabled"}}}},"supplementaryConfiguration":{{}},"#,
        rng.hex(17),
        rng.next() % 255,
        rng.next() % 255,
        rng.next() % 255,
        rng.next() % 255,
        rng.hex(17),
        rng.hex(17),
        rng.hex(17),
        rng.hex(17),
        rng.hex(17),
        rng.hex(17),
        rng.hex(10),
        rng.hex(17),
        rng.hex(17),
        rng.hex(17),
        rng.hex(17)
    );
    header(
        out,
        "AWS::EC2::Instance",
        &id,
        &id,
        region,
        &format!("arn:aws:ec2:{region}:{ACCOUNT}:instance/{id}"),
    );
}

fn security_group(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let id = format!("sg-{}", rng.hex(17));
    let port = [22, 443, 3306, 8080][(rng.next() % 4) as usize];
    let cidr = if rng.chance(20) {
        "0.0.0.0/0"
    } else {
        "10.0.0.0/8"
    };
    let _ = write!(
        out,
        r#""configuration":{{"description":"app tier","groupName":"app-{i}","ipPermissions":[{{"fromPort":{port},"ipProtocol":"tcp","ipv6Ranges":[],"prefixListIds":[],"toPort":{port},"userIdGroupPairs":[],"ipv4Ranges":[{{"cidrIp":"{cidr}"}}],"ipRanges":["{cidr}"]}}],"ownerId":"{ACCOUNT}","groupId":"{id}","ipPermissionsEgress":[{{"ipProtocol":"-1","ipv6Ranges":[],"prefixListIds":[],"userIdGroupPairs":[],"ipv4Ranges":[{{"cidrIp":"0.0.0.0/0"}}],"ipRanges":["0.0.0.0/0"]}}],"tags":[],"vpcId":"vpc-{}"}},"supplementaryConfiguration":{{}},"#,
        rng.hex(17)
    );
    header(
        out,
        "AWS::EC2::SecurityGroup",
        &id,
        &format!("app-{i}"),
        region,
        &format!("arn:aws:ec2:{region}:{ACCOUNT}:security-group/{id}"),
    );
}

fn ebs_volume(rng: &mut Lcg, _i: usize, region: &str, out: &mut String) {
    let id = format!("vol-{}", rng.hex(17));
    let enc = rng.chance(85);
    let _ = write!(
        out,
        r#""configuration":{{"attachments":[{{"attachTime":"2026-11-28T17:48:27.000Z","device":"/dev/xvda","instanceId":"i-{}","state":"attached","volumeId":"{id}","deleteOnTermination":true}}],"availabilityZone":"{region}a","createTime":"2026-11-28T17:48:27.000Z","encrypted":{enc},"size":8,"snapshotId":"","state":"in-use","volumeId":"{id}","iops":100,"tags":[],"volumeType":"gp3","multiAttachEnabled":false}},"supplementaryConfiguration":{{}},"#,
        rng.hex(17)
    );
    header(
        out,
        "AWS::EC2::Volume",
        &id,
        &id,
        region,
        &format!("arn:aws:ec2:{region}:{ACCOUNT}:volume/{id}"),
    );
}

fn subnet(rng: &mut Lcg, _i: usize, region: &str, out: &mut String) {
    let id = format!("subnet-{}", rng.hex(17));
    let _ = write!(
        out,
        r#""configuration":{{"availabilityZone":"{region}b","availableIpAddressCount":250,"cidrBlock":"10.0.{}.0/24","defaultForAz":false,"mapPublicIpOnLaunch":false,"state":"available","subnetId":"{id}","vpcId":"vpc-{}","ownerId":"{ACCOUNT}","assignIpv6AddressOnCreation":false,"ipv6CidrBlockAssociationSet":[],"tags":[]}},"supplementaryConfiguration":{{}},"#,
        rng.next() % 255,
        rng.hex(17)
    );
    header(
        out,
        "AWS::EC2::Subnet",
        &id,
        &id,
        region,
        &format!("arn:aws:ec2:{region}:{ACCOUNT}:subnet/{id}"),
    );
}

fn rds_instance(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let name = format!("db-{i}");
    let _ = write!(
        out,
        r#""configuration":{{"dBInstanceIdentifier":"{name}","dBInstanceClass":"db.t3.medium","engine":"postgres","dBInstanceStatus":"available","masterUsername":"app","endpoint":{{"address":"{name}.{}.{region}.rds.amazonaws.com","port":5432}},"allocatedStorage":100,"preferredBackupWindow":"03:00-04:00","backupRetentionPeriod":{},"multiAZ":{},"engineVersion":"15.4","autoMinorVersionUpgrade":true,"publiclyAccessible":{},"storageType":"gp3","storageEncrypted":{},"dbiResourceId":"db-{}","deletionProtection":{}}},"supplementaryConfiguration":{{}},"#,
        rng.hex(12),
        if rng.chance(90) { 7 } else { 0 },
        rng.chance(60),
        rng.chance(5),
        rng.chance(90),
        rng.hex(26),
        rng.chance(50)
    );
    header(
        out,
        "AWS::RDS::DBInstance",
        &format!("db-{}", rng.hex(26)),
        &name,
        region,
        &format!("arn:aws:rds:{region}:{ACCOUNT}:db:{name}"),
    );
}

fn iam_role(rng: &mut Lcg, i: usize, _region: &str, out: &mut String) {
    let name = format!("role-{i}");
    let _ = write!(
        out,
        r#""configuration":{{"path":"/","roleName":"{name}","roleId":"AROA{}","arn":"arn:aws:iam::{ACCOUNT}:role/{name}","assumeRolePolicyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22lambda.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D","instanceProfileList":[],"rolePolicyList":[{{"policyName":"inline","policyDocument":"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22{}%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D"}}],"createDate":"2026-11-28T17:48:26.382Z","attachedManagedPolicies":[],"permissionsBoundary":null,"tags":[],"roleLastUsed":null}},"supplementaryConfiguration":{{}},"#,
        rng.hex(17),
        if rng.chance(10) {
            "s3%3A%2A"
        } else {
            "s3%3AGetObject"
        }
    );
    header(
        out,
        "AWS::IAM::Role",
        &format!("AROA{}", rng.hex(17)),
        &name,
        "global",
        &format!("arn:aws:iam::{ACCOUNT}:role/{name}"),
    );
}

fn lambda_function(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let name = format!("fn-{i}");
    let runtime = if rng.chance(15) {
        "python3.8"
    } else {
        "python3.12"
    };
    let _ = write!(
        out,
        r#""configuration":{{"functionName":"{name}","functionArn":"arn:aws:lambda:{region}:{ACCOUNT}:function:{name}","runtime":"{runtime}","role":"arn:aws:iam::{ACCOUNT}:role/role-{i}","handler":"app.handler","codeSize":4096,"description":"","timeout":30,"memorySize":256,"lastModified":"2026-11-28T17:48:27.000+0000","codeSha256":"{}","version":"$LATEST","tracingConfig":{{"mode":"PassThrough"}},"packageType":"Zip","architectures":["x86_64"]}},"supplementaryConfiguration":{{"Concurrency":{{"reservedConcurrentExecutions":null}},"Tags":{{}}}},"#,
        rng.hex(44)
    );
    header(
        out,
        "AWS::Lambda::Function",
        &name,
        &name,
        region,
        &format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}"),
    );
}

fn sqs_queue(rng: &mut Lcg, i: usize, region: &str, out: &mut String) {
    let name = format!("queue-{i}");
    let sse = rng.chance(80);
    let _ = write!(
        out,
        r#""configuration":{{"QueueArn":"arn:aws:sqs:{region}:{ACCOUNT}:{name}","QueueName":"{name}","QueueUrl":"https://sqs.{region}.amazonaws.com/{ACCOUNT}/{name}","DelaySeconds":0,"MaximumMessageSize":262144,"MessageRetentionPeriod":345600,"ReceiveMessageWaitTimeSeconds":0,"VisibilityTimeout":30,"SqsManagedSseEnabled":{sse}}},"supplementaryConfiguration":{{}},"#
    );
    header(
        out,
        "AWS::SQS::Queue",
        &format!("https://sqs.{region}.amazonaws.com/{ACCOUNT}/{name}"),
        &name,
        region,
        &format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}"),
    );
}

fn kms_key(rng: &mut Lcg, _i: usize, region: &str, out: &mut String) {
    let id = format!(
        "{}-{}-{}-{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(4),
        rng.hex(4),
        rng.hex(12)
    );
    let _ = write!(
        out,
        r#""configuration":{{"keyId":"{id}","arn":"arn:aws:kms:{region}:{ACCOUNT}:key/{id}","creationDate":"2026-11-28T17:48:26.086Z","enabled":true,"description":"data key","keyUsage":"ENCRYPT_DECRYPT","keyState":"Enabled","origin":"AWS_KMS","keyManager":"CUSTOMER","customerMasterKeySpec":"SYMMETRIC_DEFAULT","keySpec":"SYMMETRIC_DEFAULT","encryptionAlgorithms":["SYMMETRIC_DEFAULT"]}},"supplementaryConfiguration":{{"KeyRotationStatus":{}}},"#,
        rng.chance(70)
    );
    header(
        out,
        "AWS::KMS::Key",
        &id,
        &id,
        region,
        &format!("arn:aws:kms:{region}:{ACCOUNT}:key/{id}"),
    );
}

fn unmapped_thing(rng: &mut Lcg, _i: usize, region: &str, out: &mut String) {
    // A type the catalog does not map: counted and listed, never dropped.
    let id = format!("thing-{}", rng.hex(12));
    let _ = write!(
        out,
        r#""configuration":{{"name":"{id}","size":{}}},"supplementaryConfiguration":{{}},"#,
        rng.next() % 1000
    );
    header(
        out,
        "AWS::Example::Thing",
        &id,
        &id,
        region,
        &format!("arn:aws:example:{region}:{ACCOUNT}:thing/{id}"),
    );
}

/// Writes a snapshot of `items` configuration items.
pub fn write_config_snapshot(out: &mut impl Write, items: usize, seed: u64) -> io::Result<()> {
    let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
    out.write_all(br#"{"fileVersion":"1.0","configSnapshotId":"00000000-0000-4000-8000-000000000000","configurationItems":["#)?;
    let mut buf = String::with_capacity(4096);
    for i in 0..items {
        buf.clear();
        if i > 0 {
            buf.push(',');
        }
        item(&mut rng, i, &mut buf);
        out.write_all(buf.as_bytes())?;
    }
    out.write_all(b"]}\n")
}

/// The same, in memory.
pub fn config_snapshot(items: usize, seed: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(items * 1500);
    // Writing to a Vec cannot fail.
    let _ = write_config_snapshot(&mut out, items, seed);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_is_deterministic_and_valid_json() {
        let a = config_snapshot(64, 7);
        assert_eq!(a, config_snapshot(64, 7));
        assert_ne!(a, config_snapshot(64, 8));
        let v: serde_json::Value = serde_json::from_slice(&a).expect("valid JSON");
        assert_eq!(v["configurationItems"].as_array().map(Vec::len), Some(64));
    }
}
