//! The command line: the same library as the GUI, no window. Data goes to stdout (or `-o`),
//! messages to stderr. Exit codes: 0 success, 1 a check failed or a file could not be
//! written, 2 bad usage (unknown service, bad arguments, a format the document has not).
//!
//! Every command that prints data takes `--format` (its formats are `export::formats_for` of
//! its document; the first is the default), `--json` (the same as `--format json`, kept for
//! scripts) and `-o FILE`. Errors are typed in the library; here, at the edge, they become
//! `anyhow` errors with an exit code.

mod catalog_cmd;
mod engagement_cmd;
pub mod import_cmd;

pub use engagement_cmd::EngagementCommand;

use crate::export::{self, Document, DocumentKind, Format};
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::checklist::{Checklist, ChecklistOptions};
use crate::model::matrix::{Comparison, Filters, Matrix};
use crate::model::owner::Owner;
use crate::storage;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
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
    /// List the catalog's services with tier and variants. Formats: text or json.
    Services {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// List the catalog's controls (the matrix rows). Formats: text or json.
    Controls {
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Print the responsibility matrix for some services. Formats: md, csv, json, xlsx or svg.
    Matrix(MatrixArgs),
    /// Print the customer's checklist for some services. Formats: md, csv, json or xlsx; with
    /// --engagement: md, csv, html, json or xlsx.
    Checklist(ChecklistArgs),
    /// Compare 2 to 4 services or variants side by side: what moves between them. Formats: md,
    /// json, xlsx or svg.
    Compare(CompareArgs),
    /// Read account snapshots offline: formats, services in use, failing checks. Formats: text
    /// or json.
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
    /// Formats: text or json.
    Stats {
        /// A catalog folder laid out like `data/` (default: the bundled catalog).
        dir: Option<PathBuf>,
        /// Count cells last verified more than 12 months before this date, YYYY-MM-DD (default: today).
        #[arg(long, value_name = "DATE")]
        today: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// List what changed between two catalog folders: services, variants and controls added or
    /// removed, and every cell whose owner or text changed. Formats: text or json.
    Diff {
        /// The earlier catalog folder.
        old_dir: PathBuf,
        /// The later catalog folder (default: the bundled catalog).
        new_dir: Option<PathBuf>,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// The `--format` values. The CLI's own names for `export::Format`, so that `export` needs no
/// command-line parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    #[value(name = "md", alias = "markdown")]
    Markdown,
    Csv,
    Html,
    Json,
    #[value(alias = "txt")]
    Text,
    #[value(alias = "excel")]
    Xlsx,
    Svg,
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Csv => Format::Csv,
            FormatArg::Html => Format::Html,
            FormatArg::Json => Format::Json,
            FormatArg::Text => Format::Text,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Svg => Format::Svg,
        }
    }
}

/// Output flags shared by every command that prints data.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format (default: the first this command lists in its description).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// The same as `--format json` (kept for scripts).
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
}

impl OutputArgs {
    /// The format asked for, checked against what the document is written as.
    fn format_for(&self, kind: DocumentKind) -> Result<Format, Failure> {
        let format = match (self.json, self.format) {
            (true, _) => Format::Json,
            (false, Some(arg)) => arg.into(),
            (false, None) => kind.default_format(),
        };
        if export::formats_for(kind).contains(&format) {
            return Ok(format);
        }
        let mut message = format!(
            "{} is written as {}, not {}",
            kind.label(),
            export::format_list(kind),
            format.name()
        );
        if format == Format::Html {
            message.push_str("; HTML is for engagement checklists (checklist --engagement FILE)");
        }
        Err(Failure::usage(anyhow::Error::msg(message)))
    }
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
    #[command(flatten)]
    pub out: OutputArgs,
}

/// A failure with its exit code (2 bad usage, 1 anything else); the message goes to stderr
/// once, in [`run`]. Any library error converts with `?` as exit code 1.
struct Failure {
    code: u8,
    error: anyhow::Error,
}

impl Failure {
    fn usage(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 2,
            error: error.into(),
        }
    }
    fn failed(error: impl Into<anyhow::Error>) -> Self {
        Failure {
            code: 1,
            error: error.into(),
        }
    }
    fn usage_msg(message: impl Into<String>) -> Self {
        Failure::usage(anyhow::Error::msg(message.into()))
    }
    fn failed_msg(message: impl Into<String>) -> Self {
        Failure::failed(anyhow::Error::msg(message.into()))
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::failed(error)
    }
}

/// Runs a subcommand. `gui` never reaches here (main opens the window).
pub fn run(command: Command) -> ExitCode {
    match dispatch(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            // Library errors carry their cause in their own message: print it once.
            // It may quote a client file: no escape sequence reaches the terminal.
            eprintln!(
                "demarc: {}",
                export::text::terminal_lines(&failure.error.to_string())
            );
            ExitCode::from(failure.code)
        }
    }
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub use crate::clock::today;

fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Gui { .. } => Ok(()),
        Command::Services { out } => {
            let catalog = Catalog::bundled();
            emit(&out, &Document::Services(&catalog))
        }
        Command::Controls { out } => {
            let catalog = Catalog::bundled();
            emit(&out, &Document::Controls(&catalog))
        }
        Command::Matrix(args) => matrix(&args),
        Command::Checklist(args) => checklist(&args),
        Command::Compare(args) => compare(&args),
        Command::Import(args) => import_cmd::run(&args),
        Command::Engagement { command } => engagement_cmd::run(&command),
        Command::Catalog { command } => match command {
            CatalogCommand::Check { dir } => catalog_cmd::check(dir.as_ref()),
            CatalogCommand::Stats { dir, today, out } => {
                catalog_cmd::stats(dir.as_ref(), today.as_deref(), &out)
            }
            CatalogCommand::Diff {
                old_dir,
                new_dir,
                out,
            } => catalog_cmd::diff(&old_dir, new_dir.as_ref(), &out),
        },
    }
}

/// Renders a document in the format asked for, to `-o FILE` or standard output.
fn emit(out: &OutputArgs, document: &Document<'_>) -> Result<(), Failure> {
    let format = out.format_for(document.kind())?;
    if format == Format::Xlsx && out.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Failure::usage_msg(
            "an Excel workbook is binary: write it to a file with -o FILE.xlsx (or redirect the output)",
        ));
    }
    let mut bytes = Vec::new();
    export::render(document, format, &mut bytes)?;
    write_out(out.output.as_ref(), &bytes)
}

fn write_out(output: Option<&PathBuf>, bytes: &[u8]) -> Result<(), Failure> {
    if let Some(path) = output {
        storage::write_atomic(path, bytes)?;
        eprintln!("demarc: wrote {}", path.display());
    } else {
        let mut stdout = std::io::stdout().lock();
        // On a terminal, control characters from client files are shown, not obeyed.
        let shown;
        let bytes = if std::io::IsTerminal::is_terminal(&stdout) {
            shown = export::text::terminal_lines(&String::from_utf8_lossy(bytes)).into_bytes();
            &shown
        } else {
            bytes
        };
        match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
            // A closed pipe (`demarc ... | head`) is not an error worth a message.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                return Err(Failure::failed_msg(format!(
                    "cannot write to standard output: {e}"
                )));
            }
            Ok(()) => {}
        }
    }
    Ok(())
}

fn refs(catalog: &Catalog, list: &str) -> Result<Vec<ServiceRef>, Failure> {
    let refs = catalog.parse_refs(list).map_err(Failure::usage)?;
    if refs.is_empty() {
        return Err(Failure::usage_msg(
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
                Failure::usage_msg(format!(
                    "unknown owner '{s}' (use aws, shared, customer, not_applicable)"
                ))
            })
        })
        .collect()
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
                return Err(Failure::usage_msg(format!(
                    "unknown domain '{d}' (use {})",
                    known.join(", ")
                )));
            }
            filters.domains.insert(d);
        }
    }
    args.out.format_for(DocumentKind::Matrix)?;
    let m = Matrix::build(&catalog, &scope, &filters);
    emit(
        &args.out,
        &Document::Matrix {
            catalog: &catalog,
            matrix: &m,
        },
    )
}

fn checklist(args: &ChecklistArgs) -> Result<(), Failure> {
    if let Some(file) = &args.engagement {
        return engagement_cmd::checklist(file, &args.out);
    }
    args.out.format_for(DocumentKind::Checklist)?;
    let catalog = Catalog::bundled();
    let evidence = if args.snapshot.is_empty() {
        None
    } else {
        let (evidence, errors) = import_cmd::load(&catalog, &args.snapshot);
        if !errors.is_empty() {
            let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
            return Err(Failure::failed_msg(messages.join("\n")));
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
            return Err(Failure::failed_msg(
                "the snapshots show no service of the catalog in use",
            ));
        }
    }
    let date = args.date.clone().unwrap_or_else(today);
    if !crate::model::validate::is_iso_date(&date) {
        return Err(Failure::usage_msg(format!(
            "--date '{date}' is not YYYY-MM-DD"
        )));
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
    emit(&args.out, &Document::Checklist(&list))
}

fn compare(args: &CompareArgs) -> Result<(), Failure> {
    let catalog = Catalog::bundled();
    let mut scope = Vec::new();
    for s in &args.services {
        let r = catalog.parse_ref(s).map_err(Failure::usage)?;
        if scope.contains(&r) {
            return Err(Failure::usage_msg(format!("'{s}' is given twice")));
        }
        scope.push(r);
    }
    let cmp = Comparison::build(&catalog, &scope);
    emit(
        &args.out,
        &Document::Comparison {
            catalog: &catalog,
            comparison: &cmp,
        },
    )
}
