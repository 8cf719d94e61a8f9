//! RDS, Aurora and `DynamoDB`: encryption, public access, Multi-AZ, backups, deletion protection,
//! minor version upgrades, point-in-time recovery.

use super::{Out, flag};
use crate::import::facts::Facts;
use crate::model::evidence::Status;

pub(super) fn evaluate(out: &mut Out, facts: &Facts) {
    for db in &facts.db_instances {
        let id = db.id.as_str();
        flag(
            out,
            "rds_unencrypted",
            &db.meta,
            id,
            db.storage_encrypted,
            "StorageEncrypted",
            false,
        );
        flag(
            out,
            "rds_public",
            &db.meta,
            id,
            db.publicly_accessible,
            "PubliclyAccessible",
            true,
        );
        flag(
            out,
            "rds_auto_minor_upgrade_off",
            &db.meta,
            id,
            db.auto_minor_upgrade,
            "AutoMinorVersionUpgrade",
            false,
        );
        // For cluster members, availability, backups and deletion protection are cluster settings.
        if db.cluster.is_none() {
            flag(
                out,
                "rds_no_multi_az",
                &db.meta,
                id,
                db.multi_az,
                "MultiAZ",
                false,
            );
            flag(
                out,
                "rds_deletion_protection_off",
                &db.meta,
                id,
                db.deletion_protection,
                "DeletionProtection",
                false,
            );
            let (status, detail) = match db.backup_retention {
                Some(0) => (Status::Fail, "BackupRetentionPeriod=0".to_owned()),
                Some(n) => (Status::Pass, format!("BackupRetentionPeriod={n}")),
                None => (
                    Status::Unknown,
                    "BackupRetentionPeriod not in this snapshot".to_owned(),
                ),
            };
            out.push("rds_backups_disabled", &db.meta, id, status, detail);
        }
    }
    for c in &facts.db_clusters {
        let members = c
            .members
            .map_or_else(String::new, |n| format!(", {n} instance(s)"));
        let (status, detail) = match c.multi_az {
            Some(true) => (Status::Pass, format!("MultiAZ=true{members}")),
            Some(false) => (Status::Fail, format!("MultiAZ=false{members}")),
            None => (Status::Unknown, "MultiAZ not in this snapshot".to_owned()),
        };
        out.push("rds_cluster_no_multi_az", &c.meta, &c.id, status, detail);
    }
    for t in &facts.tables {
        let (status, detail) = match t.pitr {
            Some(true) => (Status::Pass, "PointInTimeRecoveryStatus=ENABLED"),
            Some(false) => (Status::Fail, "PointInTimeRecoveryStatus=DISABLED"),
            None => (
                Status::Unknown,
                "point-in-time recovery not in this snapshot",
            ),
        };
        out.push("dynamodb_pitr_off", &t.meta, &t.name, status, detail);
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::testkit::{Cases, expect, meta, run};
    use crate::import::facts::{DbCluster, DbInstance, DynamoTable, Facts};
    use crate::model::evidence::Status::{Fail, Pass, Unknown};

    pub(in crate::import::rules) fn facts() -> Facts {
        let mut f = Facts::default();
        let db = |id: &str, bad: Option<bool>| DbInstance {
            meta: meta("1"),
            id: id.to_owned(),
            engine: Some("mysql".to_owned()),
            cluster: None,
            storage_encrypted: bad.map(|b| !b),
            publicly_accessible: bad,
            multi_az: bad.map(|b| !b),
            backup_retention: bad.map(|b| if b { 0 } else { 7 }),
            deletion_protection: bad.map(|b| !b),
            auto_minor_upgrade: bad.map(|b| !b),
        };
        f.db_instances.push(db("db-bad", Some(true)));
        f.db_instances.push(db("db-good", Some(false)));
        f.db_instances.push(db("db-unknown", None));
        // A cluster member is judged on the cluster for availability and protection.
        f.db_instances.push(DbInstance {
            cluster: Some("c".to_owned()),
            ..db("db-member", Some(true))
        });
        for (id, multi) in [
            ("cl-bad", Some(false)),
            ("cl-good", Some(true)),
            ("cl-unknown", None),
        ] {
            f.db_clusters.push(DbCluster {
                meta: meta("1"),
                id: id.to_owned(),
                engine: None,
                multi_az: multi,
                members: Some(1),
            });
        }
        for (name, pitr) in [
            ("t-bad", Some(false)),
            ("t-good", Some(true)),
            ("t-unknown", None),
        ] {
            f.tables.push(DynamoTable {
                meta: meta("1"),
                name: name.to_owned(),
                pitr,
            });
        }
        f
    }

    const DB: &[(&str, crate::model::evidence::Status)] =
        &[("db-bad", Fail), ("db-good", Pass), ("db-unknown", Unknown)];

    pub(in crate::import::rules) const CASES: &[Cases] = &[
        ("rds_unencrypted", DB),
        ("rds_public", DB),
        ("rds_no_multi_az", DB),
        ("rds_backups_disabled", DB),
        ("rds_deletion_protection_off", DB),
        ("rds_auto_minor_upgrade_off", DB),
        (
            "rds_cluster_no_multi_az",
            &[("cl-bad", Fail), ("cl-good", Pass), ("cl-unknown", Unknown)],
        ),
        (
            "dynamodb_pitr_off",
            &[("t-bad", Fail), ("t-good", Pass), ("t-unknown", Unknown)],
        ),
    ];

    #[test]
    fn pass_fail_and_unknown() {
        let r = run(&facts(), super::evaluate);
        expect(&r, CASES);
        assert_eq!(
            r.get(&("rds_public".to_owned(), "db-member".to_owned())),
            Some(&Fail)
        );
        assert!(
            !r.contains_key(&("rds_no_multi_az".to_owned(), "db-member".to_owned())),
            "cluster members: cluster decides"
        );
        assert!(!r.contains_key(&(
            "rds_deletion_protection_off".to_owned(),
            "db-member".to_owned()
        )));
    }
}
