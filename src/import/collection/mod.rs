//! AWS CLI collections: a folder (or zip) of `aws ... --output json` outputs plus a
//! `manifest.json` listing every call (service, operation, region, params, status, file), as
//! written by `scripts/collect-aws-snapshot.sh`. The manifest, not the file names, says what each
//! file is. Failed calls are evidence too (`NoSuchPublicAccessBlockConfiguration`, ...).
//! Timestamps may be CLI v2 ISO strings or CLI v1 epoch numbers.
//!
//! `manifest` reads the calls; one file per family of services turns their outputs into facts
//! (`iam`, `s3`, `ec2`, `databases`, `logging`, `kms`, `serverless`); `generic` records every
//! other listed resource for scoping.

mod databases;
mod ec2;
mod generic;
mod iam;
mod kms;
mod logging;
mod manifest;
mod s3;
mod serverless;

use super::common::text;
use super::facts::Meta;
use super::{ImportCtx, ImportError, Sink};
use crate::model::catalog::Catalog;
use crate::model::evidence::{Evidence, SourceFormat, Text, Warning};
use manifest::{Call, Calls};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};

/// Access to a collection's files by their path relative to the collection root.
pub trait CollectionFiles {
    /// The entry's bytes, `Ok(None)` when it does not exist, `Err` with a reason when it cannot
    /// be read (too large, unsafe path, I/O error).
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String>;
}

/// An in-memory collection (tests, or archives already unpacked).
impl CollectionFiles for BTreeMap<String, Vec<u8>> {
    fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, String> {
        Ok(self.get(name).cloned())
    }
}

fn path_in(root: &str, file: &str) -> String {
    format!("{}/{}", root.trim_end_matches('/'), file)
}

/// Imports a collection whose files `files` serves. `total` is the collection's size in bytes,
/// when known, for progress.
pub fn import(
    catalog: &Catalog,
    root: &str,
    files: &mut dyn CollectionFiles,
    total: Option<u64>,
    ctx: &mut ImportCtx,
) -> Result<Evidence, ImportError> {
    // The budget grows with the bytes of the manifest and the outputs read (`manifest::read`).
    let budget = super::Budget::new(ctx.limits, std::rc::Rc::default());
    let mut sink = Sink::new(catalog, root, ctx.cancel, &budget);
    let manifest = manifest::read(root, files, total, ctx, &mut sink)?;
    sink.facts.taken_at = manifest.taken_at;
    let observed = manifest.observed.as_deref().map(|t| sink.intern(t));
    let c = Collector {
        root,
        observed,
        account: &manifest.account,
        home: &manifest.home,
        calls: &manifest.calls,
        trail_arns: RefCell::default(),
    };
    c.iam(&mut sink);
    c.s3(&mut sink);
    for region in &manifest.regions {
        c.regional(&mut sink, region);
    }
    c.generic(&mut sink);
    let mut evidence = sink.finish(SourceFormat::AwsCliCollection)?;
    // Security Hub findings collected alongside are their own source.
    for (file, bytes) in manifest.findings {
        let path = path_in(root, &file);
        match super::import_reader(
            catalog,
            &path,
            bytes.as_slice(),
            Some(bytes.len() as u64),
            ctx,
        ) {
            Ok(found) => evidence.merge(found),
            Err(ImportError::Cancelled { .. }) => {
                return Err(ImportError::Cancelled {
                    path: root.to_owned(),
                });
            }
            Err(e) => {
                evidence
                    .warnings
                    .push(Warning::new(path, "", format!("not imported: {e}")));
            }
        }
    }
    Ok(evidence)
}

/// Turns the calls of one collection into facts and resources.
struct Collector<'a> {
    root: &'a str,
    /// When the collection was taken (`collected_at`), for every result it gives.
    observed: Option<Text>,
    account: &'a str,
    home: &'a str,
    calls: &'a Calls,
    /// ARNs of the trails recorded so far (a multi-region trail shows in every region).
    trail_arns: RefCell<HashSet<String>>,
}

/// Records whose field holds a list, in a CLI output.
fn list<'v>(value: Option<&'v Value>, key: &str) -> &'v [Value] {
    value
        .and_then(|v| v.get(key))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn tag_name(v: &Value) -> Option<String> {
    list(Some(v), "Tags")
        .iter()
        .find(|t| t.get("Key").and_then(Value::as_str) == Some("Name"))
        .and_then(|t| text(t.get("Value")))
}

impl Collector<'_> {
    fn meta(&self, sink: &mut Sink, region: &str, call: Option<&Call>) -> Meta {
        let source = call.map_or_else(|| self.root.to_owned(), |c| path_in(self.root, &c.file));
        let mut meta = sink.meta(self.account, region, &source);
        meta.observed.clone_from(&self.observed);
        meta
    }

    /// Everything collected per region, in this order.
    fn regional(&self, sink: &mut Sink, region: &str) {
        self.ec2(sink, region);
        self.rds(sink, region);
        self.cloudtrail(sink, region);
        self.kms(sink, region);
        self.guardduty(sink, region);
        self.config_recorders(sink, region);
        self.lambda(sink, region);
        self.dynamodb(sink, region);
        self.sqs(sink, region);
        self.sns(sink, region);
    }
}
