//! `demarc import PATH... [--format text|json]`: what the snapshots say (the JSON shape is
//! documented at `export::json::import`), and `--snapshot` support for the checklist.

use super::{Failure, OutputArgs, write_out};
use crate::export::{self, Document, DocumentKind};
use crate::import::{ImportError, Limits, Progress};
use crate::model::catalog::Catalog;
use crate::model::evidence::{CheckResult, Evidence};
use crate::storage;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Snapshot files or folders: AWS Config snapshot (.json, .json.gz), AWS CLI collection
    /// (folder or .zip with manifest.json), Security Hub get-findings output, Prowler JSON-OCSF.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub out: OutputArgs,
}

/// Imports every path and prints the summary; exit code 1 when a path was not imported.
pub(super) fn run(args: &ImportArgs) -> Result<(), Failure> {
    let format = args.out.format_for(DocumentKind::Import)?;
    let catalog = Catalog::bundled();
    let (evidence, errors) = load(&catalog, &args.paths);
    let messages: Vec<String> = errors.iter().map(ImportError::to_string).collect();
    let document = Document::Import {
        evidence: &evidence,
        errors: &messages,
    };
    if args.out.output.is_some() {
        let mut bytes = Vec::new();
        export::render(&document, format, &mut bytes)?;
        write_out(args.out.output.as_ref(), &bytes)?;
    } else {
        // Streamed: a big account's results need not be held twice in memory. A closed pipe
        // (`demarc import ... | head`) is not an error worth a message.
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let written = match export::render(&document, format, &mut stdout) {
            Ok(()) => stdout.flush(),
            Err(export::ExportError::Io { source, .. }) => Err(source),
            Err(other) => return Err(other.into()),
        };
        match written {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                return Err(Failure::failed_msg(format!(
                    "cannot write to standard output: {e}"
                )));
            }
            Ok(()) => {}
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed_msg(format!(
            "{} of {} not imported",
            errors.len(),
            crate::model::words::count(args.paths.len(), "path", "paths")
        )))
    }
}

/// Imports every path; failures are returned beside the evidence of the others.
pub fn load(catalog: &Catalog, paths: &[PathBuf]) -> (Evidence, Vec<ImportError>) {
    let cancel = AtomicBool::new(false);
    let mut quiet = |_: usize, _: Progress| {};
    let (mut evidence, errors) =
        storage::snapshot::import_paths(catalog, paths, &cancel, &mut quiet, Limits::default());
    sort(&mut evidence);
    (evidence, errors)
}

/// A stable order for output: by service, control, check, account, region, resource, source.
fn sort(evidence: &mut Evidence) {
    evidence.results.sort_by(|a, b| key(a).cmp(&key(b)));
}

fn key(r: &CheckResult) -> (&str, &str, &str, &str, &str, &str, &str) {
    (
        &r.service,
        &r.control,
        &r.check,
        &r.account,
        &r.region,
        &r.resource_id,
        &r.source,
    )
}
