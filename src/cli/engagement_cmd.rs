//! `demarc engagement new|set|show` and `demarc checklist --engagement FILE`.

use super::{Failure, OutputArgs, emit, refs, today};
use crate::export::text::terminal;
use crate::export::{Document, DocumentKind, Format};
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::engagement::report::Report;
use crate::model::engagement::{Assignee, Engagement, Item, ItemKey, Status};
use crate::model::validate::is_iso_date;
use crate::storage::engagement::{self as files, EngagementFileError, Opened, SaveMode};
use clap::{Args, Subcommand};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The default title of a new engagement.
pub const DEFAULT_TITLE: &str = "AWS shared responsibility review";

#[derive(Debug, Subcommand)]
pub enum EngagementCommand {
    /// Create an engagement file (`*.demarc.json`) for a client and a set of services.
    New(NewArgs),
    /// Record a decision on one item: status, assignee, due date, note.
    Set(SetArgs),
    /// Print an engagement's progress, decisions and owner changes. Formats: text or json (the
    /// full report, the same as `checklist --engagement FILE --format json`).
    Show(ShowArgs),
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The file to create, e.g. `acme.demarc.json`.
    pub file: PathBuf,
    /// The client's name.
    #[arg(long)]
    pub client: String,
    /// Comma-separated services: `ec2,s3,rds/custom` (a bare id means its default variant).
    #[arg(long, value_name = "LIST")]
    pub services: String,
    /// The engagement's title.
    #[arg(long)]
    pub title: Option<String>,
    /// The engagement's date, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Replace the file if it exists (its content is kept as FILE.bak).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The engagement file.
    pub file: PathBuf,
    /// The item: SERVICE/CONTROL, e.g. `ec2/IAM-01` or `rds/custom/CVM-01`.
    #[arg(long, value_name = "SERVICE/CONTROL")]
    pub item: String,
    /// The status.
    #[arg(
        long,
        help = "open, in_progress, done, not_applicable or risk_accepted"
    )]
    pub status: Option<String>,
    /// Who does it.
    #[arg(
        long,
        help = "aws, client_platform, client_application, third_party:NAME, other:TEXT, or none"
    )]
    pub assignee: Option<String>,
    /// Due date YYYY-MM-DD, or none.
    #[arg(long)]
    pub due: Option<String>,
    /// The note (replaces the previous one; an empty note clears it).
    #[arg(long)]
    pub note: Option<String>,
    /// Save even if the file changed on disk since it was read.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The engagement file.
    pub file: PathBuf,
    #[command(flatten)]
    pub out: OutputArgs,
}

pub(super) fn run(command: &EngagementCommand) -> Result<(), Failure> {
    match command {
        EngagementCommand::New(args) => new(args),
        EngagementCommand::Set(args) => set(args),
        EngagementCommand::Show(args) => show(args),
    }
}

/// `demarc checklist --engagement FILE`.
pub(super) fn checklist(file: &Path, out: &OutputArgs) -> Result<(), Failure> {
    out.format_for(DocumentKind::EngagementChecklist)?;
    let catalog = Catalog::bundled();
    let opened = open(file)?;
    let report = Report::build(&catalog, &opened.engagement);
    warn_owner_changes(&report);
    emit(out, &Document::EngagementChecklist(&report))
}

fn open(file: &Path) -> Result<Opened, Failure> {
    let opened = files::open(file)?;
    if let Some(version) = opened.migrated_from {
        eprintln!(
            "demarc: read format {version}; saving writes format {} and keeps the old file as .bak: {}",
            crate::model::engagement::FORMAT_VERSION,
            file.display()
        );
    }
    Ok(opened)
}

fn checked_date(flag: &str, date: &str) -> Result<String, Failure> {
    if is_iso_date(date) {
        Ok(date.to_owned())
    } else {
        Err(Failure::usage_msg(format!(
            "{flag} '{date}' is not YYYY-MM-DD"
        )))
    }
}

fn new(args: &NewArgs) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    let scope = refs(&catalog, &args.services)?;
    let date = checked_date("--date", &args.date.clone().unwrap_or_else(today))?;
    if args.client.trim().is_empty() {
        return Err(Failure::usage_msg("--client is empty"));
    }
    let title = args.title.as_deref().unwrap_or(DEFAULT_TITLE);
    let doc = Engagement::new(&catalog, args.client.trim(), title, &date, &scope);
    let mode = if args.force {
        SaveMode::Overwrite
    } else {
        SaveMode::Safe
    };
    files::save(&args.file, &doc, None, mode).map_err(|e| match e {
        EngagementFileError::AlreadyExists { path } => Failure::failed_msg(format!(
            "not created: the file exists (use --force to replace it): {}",
            path.display()
        )),
        e => Failure::failed(e),
    })?;
    let items = doc.customer_cells(&catalog).len();
    eprintln!(
        "demarc: created {} for {}: {} services, {items} customer items",
        args.file.display(),
        doc.client,
        doc.scope.len()
    );
    Ok(())
}

/// Resolves `SERVICE/CONTROL` against the catalog and the engagement's scope. A bare service id
/// names the one variant of that service in scope, when there is exactly one.
fn item_key(catalog: &Catalog, doc: &Engagement, text: &str) -> Result<ItemKey, Failure> {
    let Some((service, control)) = text.trim().rsplit_once('/') else {
        return Err(Failure::usage_msg(format!(
            "--item '{text}' is not SERVICE/CONTROL (e.g. ec2/IAM-01)"
        )));
    };
    let control = control.trim().to_uppercase();
    if catalog.control(&control).is_none() {
        return Err(Failure::usage_msg(format!(
            "unknown control '{control}' (see `demarc controls`)"
        )));
    }
    let service = service.trim();
    let in_scope: Vec<&ServiceRef> = doc.scope.iter().filter(|r| r.service == service).collect();
    let service_ref = match in_scope.as_slice() {
        [only] if !service.contains('/') => (*only).clone(),
        _ => catalog.parse_ref(service).map_err(Failure::usage)?,
    };
    if !doc.scope.contains(&service_ref) {
        let scope: Vec<String> = doc.scope.iter().map(ServiceRef::key).collect();
        return Err(Failure::usage_msg(format!(
            "'{}' is not in the engagement's scope ({})",
            service_ref.key(),
            scope.join(", ")
        )));
    }
    Ok(ItemKey::new(service_ref, &control))
}

fn set(args: &SetArgs) -> Result<(), Failure> {
    if args.status.is_none() && args.assignee.is_none() && args.due.is_none() && args.note.is_none()
    {
        return Err(Failure::usage_msg(
            "nothing to set: give --status, --assignee, --due or --note",
        ));
    }
    let status = args
        .status
        .as_deref()
        .map(|s| {
            Status::parse(s).ok_or_else(|| {
                Failure::usage_msg(format!(
                    "unknown status '{s}' (use open, in_progress, done, not_applicable, risk_accepted)"
                ))
            })
        })
        .transpose()?;
    let assignee: Option<Option<Assignee>> = args
        .assignee
        .as_deref()
        .map(|a| {
            if a.trim().eq_ignore_ascii_case("none") {
                Ok(None)
            } else {
                Assignee::parse(a).map(Some).map_err(Failure::usage)
            }
        })
        .transpose()?;
    let due: Option<Option<String>> = args
        .due
        .as_deref()
        .map(|d| {
            if d.trim().eq_ignore_ascii_case("none") {
                Ok(None)
            } else {
                checked_date("--due", d.trim()).map(Some)
            }
        })
        .transpose()?;

    let catalog = Catalog::bundled();
    // Held from reading to saving: a second `set` on the file waits, then sees this one's edit.
    let lock = files::lock(&args.file)?;
    let opened = open(&args.file)?;
    let mut doc = opened.engagement;
    let key = item_key(&catalog, &doc, &args.item)?;
    doc.edit_item(&catalog, &key, |item: &mut Item| {
        if let Some(status) = status {
            item.status = status;
        }
        if let Some(assignee) = assignee {
            item.assignee = assignee;
        }
        if let Some(due) = due {
            item.due = due;
        }
        if let Some(note) = &args.note {
            note.clone_into(&mut item.note);
        }
    })
    .map_err(Failure::usage)?;
    let mode = if args.force {
        SaveMode::Overwrite
    } else {
        SaveMode::Safe
    };
    files::save_holding(&lock, &args.file, &doc, Some(&opened.stamp), mode)?;
    drop(lock);

    let item = doc.item(&key).cloned().unwrap_or_default();
    let mut summary = format!("{key}: {}", item.status.label().to_lowercase());
    if let Some(a) = &item.assignee {
        let _ = write!(summary, ", {}", terminal(&a.label()));
    }
    if let Some(d) = &item.due {
        let _ = write!(summary, ", due {d}");
    }
    eprintln!("demarc: {summary} (saved {})", args.file.display());
    if let Some(cell) = catalog.cell(&key.service, &key.control)
        && !cell.owner().customer_involved()
    {
        eprintln!(
            "demarc: note: the catalog gives {key} to {}; it is not on the customer's checklist",
            cell.owner().label()
        );
    }
    Ok(())
}

fn warn_owner_changes(report: &Report) {
    if !report.owner_changes.is_empty() {
        eprintln!(
            "demarc: {} item(s) were decided when catalog {} gave the cell another owner; see \"Owner changes\"",
            report.owner_changes.len(),
            report.catalog_version
        );
    }
}

fn show(args: &ShowArgs) -> Result<(), Failure> {
    let format = args.out.format_for(DocumentKind::EngagementSummary)?;
    let catalog = Catalog::bundled();
    let opened = open(&args.file)?;
    let report = Report::build(&catalog, &opened.engagement);
    if format != Format::Json {
        warn_owner_changes(&report);
    }
    emit(
        &args.out,
        &Document::EngagementSummary {
            engagement: &opened.engagement,
            report: &report,
        },
    )
}
