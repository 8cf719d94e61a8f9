//! The command line: the same library as the GUI, no window. Data goes to stdout (or `-o`),
//! messages to stderr. Exit codes: 0 success, 1 a check failed or a file could not be
//! written, 2 bad usage (unknown service, bad arguments).

mod catalog_cmd;
mod engagement_cmd;
pub mod import_cmd;

pub use engagement_cmd::EngagementCommand;

use crate::export::{self, Format};
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::checklist::{Checklist, ChecklistOptions};
use crate::model::matrix::{Comparison, Filters, Matrix};
use crate::model::owner::Owner;
use crate::storage;
use clap::{Args, Parser, Subcommand};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "demarc",
    version,
    about = "AWS shared responsibility, service by service: who owns each security control, and is the customer's side done."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the window (the default with no subcommand). Files given open with it: an
    /// engagement (`*.demarc.json`) opens, anything else imports as an account snapshot.
    Gui { files: Vec<std::path::PathBuf> },
    /// List the catalog's services with tier and variants.
    Services {
        #[arg(long)]
        json: bool,
    },
    /// List the catalog's controls (the matrix rows).
    Controls {
        #[arg(long)]
        json: bool,
    },
    /// Print the responsibility matrix for some services.
    Matrix(MatrixArgs),
    /// Print the customer's checklist for some services.
    Checklist(ChecklistArgs),
    /// Compare 2 to 4 services or variants side by side: what moves between them.
    Compare(CompareArgs),
    /// Read account snapshots offline: formats, services in use, failing checks.
    Import(import_cmd::ImportArgs),
    /// Engagements: a client's decisions on who does what, kept in a `*.demarc.json` file.
    Engagement {
        #[command(subcommand)]
        command: EngagementCommand,
    },
    /// Work on the catalog itself.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Validate a catalog folder (default: the bundled catalog).
    Check {
        /// A catalog folder laid out like `data/`.
        dir: Option<PathBuf>,
    },
    /// Count services, variants, cells, specific and cited cells, tiers, owners and stale cells.
    Stats {
        /// A catalog folder laid out like `data/` (default: the bundled catalog).
        dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
        /// Count cells last verified more than 12 months before this date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
    },
    /// List what changed between two catalog folders: services, variants and controls added or
    /// removed, and every cell whose owner or text changed.
    Diff {
        /// The earlier catalog folder.
        old_dir: PathBuf,
        /// The later catalog folder (default: the bundled catalog).
        new_dir: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    /// Comma-separated services: `ec2,s3,rds/custom` (a bare id means its default variant).
    #[arg(long, value_name = "LIST")]
    pub services: String,
    /// Keep only rows where some service has one of these owners: `aws`, `shared`, `customer`, `not_applicable`.
    #[arg(long, value_name = "LIST")]
    pub owner: Option<String>,
    /// Keep only these domains (INF, GOV, IAM, NET, DAT, CRY, CVM, APP, LOG, IRR).
    #[arg(long, value_name = "LIST")]
    pub domain: Option<String>,
    /// Text search over controls, cell text and service names.
    #[arg(long)]
    pub search: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct ChecklistArgs {
    /// Comma-separated services: `ec2,s3,rds/custom` (optional with --snapshot).
    #[arg(long, value_name = "LIST", required_unless_present_any = ["engagement", "snapshot"])]
    pub services: Option<String>,
    /// Account snapshots: scope to the services in use and put their evidence under each item.
    #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with = "engagement")]
    pub snapshot: Vec<PathBuf>,
    /// Export an engagement's checklist (statuses, assignees, notes, evidence) instead.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["services", "owner", "title", "date"])]
    pub engagement: Option<PathBuf>,
    /// Owners whose cells become items.
    #[arg(long, value_name = "LIST", default_value = "customer,shared")]
    pub owner: String,
    /// Title printed at the top.
    #[arg(long)]
    pub title: Option<String>,
    /// Date printed in the header, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub date: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// 2 to 4 services or variants, e.g. `ec2 ecs/fargate lambda`.
    #[arg(required = true, num_args = 2..=4)]
    pub services: Vec<String>,
    /// md or json.
    #[arg(long, value_enum, default_value = "md")]
    pub format: Format,
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

/// A failure with its exit code; the message goes to stderr once, here.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// Runs a subcommand. `gui` never reaches here (main opens the window).
pub fn run(command: Command) -> ExitCode {
    match dispatch(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("demarc: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub use crate::clock::today;

fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Gui { .. } => Ok(()),
        Command::Services { json } => services(json),
        Command::Controls { json } => controls(json),
        Command::Matrix(args) => matrix(&args),
        Command::Checklist(args) => checklist(&args),
        Command::Compare(args) => compare(&args),
        Command::Import(args) => import(&args),
        Command::Engagement { command } => engagement_cmd::run(&command),
        Command::Catalog { command } => match command {
            CatalogCommand::Check { dir } => catalog_check(dir.as_ref()),
            CatalogCommand::Stats { dir, json, today } => {
                catalog_cmd::stats(dir.as_ref(), json, today.as_deref())
            }
            CatalogCommand::Diff {
                old_dir,
                new_dir,
                json,
            } => catalog_cmd::diff(&old_dir, new_dir.as_ref(), json),
        },
    }
}

fn emit(
    output: Option<&PathBuf>,
    write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>,
) -> Result<(), Failure> {
    let mut bytes = Vec::new();
    write(&mut bytes).map_err(|e| Failure::failed(format!("cannot render output: {e}")))?;
    if let Some(path) = output {
        storage::write_atomic(path, &bytes).map_err(|e| Failure::failed(e.to_string()))?;
        eprintln!("demarc: wrote {}", path.display());
    } else {
        let mut stdout = std::io::stdout().lock();
        // A closed pipe (`demarc ... | head`) is not an error worth a message.
        let _ = stdout.write_all(&bytes).and_then(|()| stdout.flush());
    }
    Ok(())
}

fn refs(catalog: &Catalog, list: &str) -> Result<Vec<ServiceRef>, Failure> {
    let refs = catalog
        .parse_refs(list)
        .map_err(|e| Failure::usage(e.to_string()))?;
    if refs.is_empty() {
        return Err(Failure::usage(
            "no services given (e.g. --services ec2,s3,rds)",
        ));
    }
    Ok(refs)
}

fn owners(list: &str) -> Result<BTreeSet<Owner>, Failure> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            Owner::parse(s).ok_or_else(|| {
                Failure::usage(format!(
                    "unknown owner '{s}' (use aws, shared, customer, not_applicable)"
                ))
            })
        })
        .collect()
}

fn services(json: bool) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    emit(None, |out| {
        if json {
            return export::json::services(out, &catalog);
        }
        for s in &catalog.services {
            let variants: Vec<String> = s
                .variants
                .iter()
                .map(|v| {
                    if v.default {
                        format!("{}*", v.id)
                    } else {
                        v.id.clone()
                    }
                })
                .collect();
            writeln!(
                out,
                "{:<20} {}  {:<34} {}",
                s.id,
                s.tier,
                s.name,
                variants.join(", ")
            )?;
        }
        Ok(())
    })
}

fn controls(json: bool) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    emit(None, |out| {
        if json {
            return export::json::controls(out, &catalog);
        }
        for c in &catalog.controls {
            writeln!(
                out,
                "{}  {:<48} {}",
                c.id,
                c.name,
                catalog.domain_name(&c.domain)
            )?;
        }
        Ok(())
    })
}

fn matrix(args: &MatrixArgs) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    let scope = refs(&catalog, &args.services)?;
    let mut filters = Filters {
        query: args.search.clone().unwrap_or_default(),
        ..Filters::default()
    };
    if let Some(list) = &args.owner {
        filters.owners = owners(list)?;
    }
    if let Some(list) = &args.domain {
        for d in list.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            let d = d.to_uppercase();
            if !catalog.domains.iter().any(|x| x.id == d) {
                let known: Vec<&str> = catalog.domains.iter().map(|x| x.id.as_str()).collect();
                return Err(Failure::usage(format!(
                    "unknown domain '{d}' (use {})",
                    known.join(", ")
                )));
            }
            filters.domains.insert(d);
        }
    }
    no_html(args.out.format)?;
    let m = Matrix::build(&catalog, &scope, &filters);
    emit(args.out.output.as_ref(), |out| match args.out.format {
        Format::Markdown => export::markdown::matrix(out, &catalog, &m),
        Format::Csv => export::csv::matrix(out, &catalog, &m),
        Format::Json => export::json::matrix(out, &catalog, &m),
        Format::Html => Err(std::io::Error::other("checked above")),
    })
}

fn import(args: &import_cmd::ImportArgs) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    let (evidence, errors) = import_cmd::load(&catalog, &args.paths);
    let write = |out: &mut dyn Write| {
        if args.json {
            import_cmd::write_json(out, &evidence, &errors)
        } else {
            import_cmd::write_text(out, &evidence, &errors)
        }
    };
    if args.output.is_some() {
        emit(args.output.as_ref(), |out| write(out))?;
    } else {
        // Streamed: a big account's results need not be held twice in memory.
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let _ = write(&mut stdout).and_then(|()| stdout.flush());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Failure::failed(format!(
            "{} of {} path(s) not imported",
            errors.len(),
            args.paths.len()
        )))
    }
}

/// HTML is written for engagements only.
fn no_html(format: Format) -> Result<(), Failure> {
    if format == Format::Html {
        return Err(Failure::usage(
            "HTML is available for engagement checklists (checklist --engagement FILE)",
        ));
    }
    Ok(())
}

fn checklist(args: &ChecklistArgs) -> Result<(), Failure> {
    if let Some(file) = &args.engagement {
        return engagement_cmd::checklist(file, &args.out);
    }
    no_html(args.out.format)?;
    let catalog = Catalog::bundled();
    let evidence = if args.snapshot.is_empty() {
        None
    } else {
        let (evidence, errors) = import_cmd::load(&catalog, &args.snapshot);
        if !errors.is_empty() {
            return Err(Failure::failed(errors.join("\n")));
        }
        Some(evidence)
    };
    let mut scope = match args.services.as_deref() {
        None => Vec::new(),
        Some(list) => refs(&catalog, list)?,
    };
    if let Some(ev) = &evidence {
        for (service_id, _) in ev.services_in_use() {
            if let Some(service) = catalog.service(&service_id) {
                let r = catalog.default_ref(service);
                if !scope.iter().any(|s| s.service == r.service) {
                    scope.push(r);
                }
            }
        }
        if scope.is_empty() {
            return Err(Failure::failed(
                "the snapshots show no service of the catalog in use",
            ));
        }
    }
    let date = args.date.clone().unwrap_or_else(today);
    if !crate::model::validate::is_iso_date(&date) {
        return Err(Failure::usage(format!("--date '{date}' is not YYYY-MM-DD")));
    }
    let mut options = ChecklistOptions::new(&date);
    options.owners = owners(&args.owner)?;
    if let Some(title) = &args.title {
        options.title.clone_from(title);
    }
    let mut list = Checklist::build(&catalog, &scope, &options);
    if let Some(ev) = &evidence {
        list.attach_evidence(&catalog, ev);
    }
    emit(args.out.output.as_ref(), |out| match args.out.format {
        Format::Markdown => export::markdown::checklist(out, &list),
        Format::Csv => export::csv::checklist(out, &list),
        Format::Json => export::json::checklist(out, &list),
        Format::Html => Err(std::io::Error::other("checked above")),
    })
}

fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    let mut scope = Vec::new();
    for s in &args.services {
        let r = catalog
            .parse_ref(s)
            .map_err(|e| Failure::usage(e.to_string()))?;
        if scope.contains(&r) {
            return Err(Failure::usage(format!("'{s}' is given twice")));
        }
        scope.push(r);
    }
    let cmp = Comparison::build(&catalog, &scope);
    emit(args.output.as_ref(), |out| match args.format {
        Format::Markdown => export::markdown::comparison(out, &catalog, &cmp),
        Format::Json => export::json::comparison(out, &catalog, &cmp),
        Format::Csv | Format::Html => Err(std::io::Error::other("compare writes md or json")),
    })
}

fn catalog_check(dir: Option<&PathBuf>) -> Result<(), Failure> {
    let (label, files) = match dir {
        Some(dir) => {
            let files =
                storage::read_catalog_dir(dir).map_err(|e| Failure::failed(e.to_string()))?;
            (dir.display().to_string(), files)
        }
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
            Err(Failure::failed(format!(
                "{label}: {} problem(s)",
                err.problems.len()
            )))
        }
    }
}
