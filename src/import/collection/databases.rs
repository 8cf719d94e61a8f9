//! RDS and Aurora instances and clusters, `DynamoDB` tables.

use super::manifest::Call;
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{loose_bool, loose_i64, text};
use crate::import::facts::{DbCluster, DbInstance, DynamoTable};
use serde_json::Value;

impl Collector<'_> {
    pub(super) fn rds(&self, sink: &mut Sink, region: &str) {
        self.db_instances(sink, region);
        self.db_clusters(sink, region);
    }

    pub(super) fn db_instances(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("rds", "describe-db-instances", r) {
            for d in list(call.ok(), "DBInstances") {
                let Some(id) = text(d.get("DBInstanceIdentifier")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                let engine = text(d.get("Engine"));
                sink.resource("AWS::RDS::DBInstance", &id, &meta, engine.as_deref());
                sink.facts.db_instances.push(DbInstance {
                    meta,
                    id,
                    engine,
                    cluster: text(d.get("DBClusterIdentifier")),
                    storage_encrypted: loose_bool(d.get("StorageEncrypted")),
                    publicly_accessible: loose_bool(d.get("PubliclyAccessible")),
                    multi_az: loose_bool(d.get("MultiAZ")),
                    backup_retention: loose_i64(d.get("BackupRetentionPeriod")),
                    deletion_protection: loose_bool(d.get("DeletionProtection")),
                    auto_minor_upgrade: loose_bool(d.get("AutoMinorVersionUpgrade")),
                });
            }
        }
    }

    pub(super) fn db_clusters(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("rds", "describe-db-clusters", r) {
            for d in list(call.ok(), "DBClusters") {
                let Some(id) = text(d.get("DBClusterIdentifier")) else {
                    continue;
                };
                let meta = self.meta(sink, region, Some(call));
                let engine = text(d.get("Engine"));
                sink.resource("AWS::RDS::DBCluster", &id, &meta, engine.as_deref());
                sink.facts.db_clusters.push(DbCluster {
                    meta,
                    id,
                    engine,
                    multi_az: loose_bool(d.get("MultiAZ")),
                    members: d
                        .get("DBClusterMembers")
                        .and_then(Value::as_array)
                        .map(Vec::len),
                });
            }
        }
    }

    pub(super) fn dynamodb(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let r = Some(region);
        if let Some(call) = calls.one("dynamodb", "list-tables", r) {
            for t in list(call.ok(), "TableNames") {
                let Some(name) = text(Some(t)) else { continue };
                let backups = calls.with_param(
                    "dynamodb",
                    "describe-continuous-backups",
                    "--table-name",
                    &name,
                    region,
                );
                let meta = self.meta(sink, region, backups.or(Some(call)));
                let pitr = backups.and_then(Call::ok).and_then(|v| {
                    let d = v
                        .get("ContinuousBackupsDescription")?
                        .get("PointInTimeRecoveryDescription")?;
                    text(d.get("PointInTimeRecoveryStatus"))
                        .map(|s| s.eq_ignore_ascii_case("ENABLED"))
                });
                sink.resource("AWS::DynamoDB::Table", &name, &meta, None);
                sink.facts.tables.push(DynamoTable { meta, name, pitr });
            }
        }
    }
}
