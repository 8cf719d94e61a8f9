//! `demarc catalog check|stats|diff`: is a catalog folder valid, figures about a catalog, and
//! what changed between two. The model computes ([`CatalogStats`], [`CatalogDiff`]); the
//! exporters render.

use super::{Failure, OutputArgs, emit, today};
use crate::export::Document;
use crate::model::catalog::Catalog;
use crate::model::diff::CatalogDiff;
use crate::model::stats::CatalogStats;
use crate::model::validate::is_iso_date;
use crate::storage;
use std::path::{Path, PathBuf};

pub(super) fn check(dir: Option<&PathBuf>) -> Result<(), Failure> {
    let (label, files) = match dir {
        Some(dir) => (dir.display().to_string(), storage::read_catalog_dir(dir)?),
        None => (
            "bundled catalog".to_owned(),
            Catalog::bundled_files()
                .iter()
                .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
                .collect(),
        ),
    };
    match Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))) {
        Ok(catalog) => {
            let cells = catalog.all_refs().len() * catalog.controls.len();
            eprintln!(
                "demarc: {label}: OK, catalog {} ({}), {} controls, {} services, {} columns, {cells} cells",
                catalog.info.version,
                catalog.info.date,
                catalog.controls.len(),
                catalog.services.len(),
                catalog.all_refs().len()
            );
            Ok(())
        }
        Err(err) => {
            for p in &err.problems {
                eprintln!("{label}/{p}");
            }
            Err(Failure::failed_msg(format!(
                "{label}: {} problem(s)",
                err.problems.len()
            )))
        }
    }
}

pub(super) fn stats(
    dir: Option<&PathBuf>,
    today_arg: Option<&str>,
    out: &OutputArgs,
) -> Result<(), Failure> {
    let today = match today_arg {
        Some(date) if is_iso_date(date) => date.to_owned(),
        Some(date) => {
            return Err(Failure::usage_msg(format!(
                "--today '{date}' is not YYYY-MM-DD"
            )));
        }
        None => today(),
    };
    let catalog = match dir {
        Some(dir) => load_dir(dir)?,
        None => Catalog::bundled(),
    };
    let stats = CatalogStats::compute(&catalog, &today);
    emit(out, &Document::CatalogStats(&stats))
}

pub(super) fn diff(
    old_dir: &Path,
    new_dir: Option<&PathBuf>,
    out: &OutputArgs,
) -> Result<(), Failure> {
    let old = load_dir(old_dir)?;
    let new = match new_dir {
        Some(dir) => load_dir(dir)?,
        None => Catalog::bundled(),
    };
    let diff = CatalogDiff::between(&old, &new);
    emit(out, &Document::CatalogDiff(&diff))
}

/// Loads and validates a catalog folder; on problems, lists each on stderr, like `catalog check`.
fn load_dir(dir: &Path) -> Result<Catalog, Failure> {
    let files = storage::read_catalog_dir(dir)?;
    Catalog::from_files(files.iter().map(|(p, t)| (p.as_str(), t.as_str()))).map_err(|err| {
        let label = dir.display();
        for problem in &err.problems {
            eprintln!("{label}/{problem}");
        }
        Failure::failed_msg(format!(
            "{label}: not a valid catalog, {} problem(s)",
            err.problems.len()
        ))
    })
}
