//! KMS keys with their aliases and rotation status (AWS managed keys are AWS's and skipped).

use super::manifest::Call;
use super::{Collector, list};
use crate::import::Sink;
use crate::import::common::{loose_bool, text};
use crate::import::facts::KmsKey;
use serde_json::Value;
use std::collections::HashMap;

impl Collector<'_> {
    pub(super) fn kms(&self, sink: &mut Sink, region: &str) {
        let calls = self.calls;
        let aliases = calls
            .one("kms", "list-aliases", Some(region))
            .and_then(Call::ok);
        // Each key's alias (the first listed), looked up once per key.
        let mut aliases_by_key: HashMap<&str, &Value> = HashMap::new();
        for a in list(aliases, "Aliases") {
            if let Some(key) = a.get("TargetKeyId").and_then(Value::as_str) {
                aliases_by_key.entry(key).or_insert(a);
            }
        }
        let alias_of = |key: &str| {
            aliases_by_key
                .get(key)
                .and_then(|a| text(a.get("AliasName")))
        };
        for call in calls
            .find("kms", "describe-key")
            .filter(|c| c.region == region)
        {
            let Some(md) = call.ok().and_then(|v| v.get("KeyMetadata")) else {
                continue;
            };
            let Some(id) = text(md.get("KeyId")) else {
                continue;
            };
            let rotation =
                calls.with_param("kms", "get-key-rotation-status", "--key-id", &id, region);
            let meta = self.meta(sink, region, Some(call));
            let manager = text(md.get("KeyManager"));
            if manager.as_deref() == Some("AWS") {
                continue;
            }
            sink.resource("AWS::KMS::Key", &id, &meta, None);
            sink.facts.kms_keys.push(KmsKey {
                meta,
                alias: alias_of(&id),
                manager,
                spec: text(md.get("KeySpec")).or_else(|| text(md.get("CustomerMasterKeySpec"))),
                origin: text(md.get("Origin")),
                state: text(md.get("KeyState")),
                rotation: rotation
                    .and_then(Call::ok)
                    .and_then(|v| loose_bool(v.get("KeyRotationEnabled"))),
                id,
            });
        }
    }
}
