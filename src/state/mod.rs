//! What the GUI holds, and the one place that changes it: `Session::apply(Command)`. Views read
//! the session and push commands; slow work comes back from `apply` as a `Job` that the app
//! shell runs off the UI thread. No egui here.

use crate::export::{self, Format};
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::checklist::{Checklist, ChecklistOptions};
use crate::model::engagement::{Engagement, ItemKey};
use crate::model::matrix::{Comparison, Filters, Matrix};
use crate::model::owner::Owner;
use crate::storage::engagement::{DiskStamp, Opened, Recovery, SaveMode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

pub mod engagement;
pub mod evidence;
pub use engagement::{ItemEdit, OpenEngagement};
pub use evidence::{EvidenceView, ImportRun};

/// How many recent engagement files are remembered.
const RECENT_LIMIT: usize = 8;

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Matrix,
    Compare,
    /// The engagement's checklist, made for speed in a meeting.
    Checklist,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ThemeChoice {
    #[default]
    Light,
    Dark,
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    Checklist,
    Matrix,
    Comparison,
}

impl ExportKind {
    pub fn label(self) -> &'static str {
        match self {
            ExportKind::Checklist => "Checklist",
            ExportKind::Matrix => "Matrix",
            ExportKind::Comparison => "Comparison",
        }
    }
    /// The document this export writes: with an engagement open, the checklist is the
    /// engagement's. Its formats are `export::formats_for(kind.document(..))`.
    pub fn document(self, engagement_open: bool) -> export::DocumentKind {
        match self {
            ExportKind::Checklist if engagement_open => export::DocumentKind::EngagementChecklist,
            ExportKind::Checklist => export::DocumentKind::Checklist,
            ExportKind::Matrix => export::DocumentKind::Matrix,
            ExportKind::Comparison => export::DocumentKind::Comparison,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub level: Level,
    pub text: String,
}

/// Settings remembered between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub scope: Vec<String>,
    pub compare: Vec<String>,
    pub theme: ThemeChoice,
    pub zoom: f32,
    /// Recently opened or saved engagement files, newest first.
    pub recent: Vec<String>,
    /// The engagement open when the app was last closed: reopened at start.
    pub last_engagement: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scope: vec!["ec2".into(), "s3".into(), "rds".into()],
            compare: vec!["ec2".into(), "ecs/fargate".into(), "lambda".into()],
            theme: ThemeChoice::Light,
            zoom: 1.0,
            recent: Vec::new(),
            last_engagement: None,
        }
    }
}

/// A named set of columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preset {
    pub name: &'static str,
    pub refs: &'static [&'static str],
}

pub const PRESETS: &[Preset] = &[
    Preset {
        name: "Classic: EC2 vs RDS vs S3",
        refs: &["ec2", "rds/standard", "s3"],
    },
    Preset {
        name: "Containers: ECS on EC2 vs Fargate vs EKS",
        refs: &[
            "ecs/ec2",
            "ecs/fargate",
            "eks/managed-node-groups",
            "eks/fargate",
        ],
    },
    Preset {
        name: "Compute journey: EC2 → Fargate → Lambda",
        refs: &["ec2", "ecs/fargate", "lambda/zip-auto-runtime"],
    },
    Preset {
        name: "Databases: RDS vs RDS Custom vs Aurora vs DynamoDB",
        refs: &[
            "rds/standard",
            "rds/custom",
            "aurora/provisioned",
            "dynamodb",
        ],
    },
    Preset {
        name: "Serverless web app",
        refs: &[
            "cloudfront",
            "api-gateway",
            "lambda/zip-auto-runtime",
            "dynamodb",
            "s3",
            "cognito",
        ],
    },
    Preset {
        name: "Landing zone: identity, logging, detection",
        refs: &[
            "organizations",
            "iam",
            "identity-center",
            "cloudtrail",
            "config",
            "guardduty",
            "security-hub",
            "kms",
        ],
    },
];

/// Everything that changes the session.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    AddColumn(ServiceRef),
    RemoveColumn(ServiceRef),
    MoveColumn {
        from: usize,
        to: usize,
    },
    SetScope(Vec<ServiceRef>),
    ClearScope,
    ApplyPreset(usize),
    ToggleOwnerFilter(Owner),
    ToggleDomainFilter(String),
    SetQuery(String),
    ClearFilters,
    Select(Option<(ServiceRef, String)>),
    SetView(View),
    SetCompareSlot {
        slot: usize,
        service: Option<ServiceRef>,
    },
    ToggleDomainCollapsed(String),
    SetTheme(ThemeChoice),
    SetZoom(f32),
    /// Render an export and write it to `path`.
    Export {
        kind: ExportKind,
        format: Format,
        path: PathBuf,
    },
    /// A job ended: a message for the user.
    JobFinished(Result<String, String>),
    Dismiss(usize),
    /// Start an engagement for the current scope.
    NewEngagement {
        client: String,
        title: String,
    },
    /// Ask the shell to open a file (it answers with `EngagementOpened`).
    OpenEngagement(PathBuf),
    EngagementOpened {
        path: PathBuf,
        result: Result<Box<(Opened, Option<Recovery>)>, String>,
    },
    /// Save to the current path, or to `path` (save as). `overwrite` answers a conflict.
    SaveEngagement {
        path: Option<PathBuf>,
        overwrite: bool,
    },
    EngagementSaved {
        path: PathBuf,
        revision: u64,
        result: Result<DiskStamp, (String, bool)>,
    },
    /// The shell should write the autosave copy now (a few seconds after a change).
    AutosaveEngagement,
    AutosaveFinished {
        revision: u64,
        result: Result<(), String>,
    },
    EditItem {
        key: ItemKey,
        edit: ItemEdit,
    },
    EditEngagementInfo {
        client: String,
        title: String,
        date: String,
    },
    /// Replace the document with the autosaved copy offered after a crash.
    RestoreRecovery,
    DismissRecovery,
    /// The owner changes since the engagement's catalog version were reviewed.
    AcceptCatalogChanges,
    DismissConflict,
    CloseEngagement,
    /// An untitled engagement's autosave survived a crash: reopen it, unsaved.
    RecoverUntitled(Box<Engagement>),
    /// Import account snapshots (files, folders, zips) on a worker thread.
    Import(Vec<PathBuf>),
    ImportProgress {
        index: usize,
        bytes_read: u64,
        total: Option<u64>,
    },
    ImportFinished {
        evidence: Box<crate::model::evidence::Evidence>,
        errors: Vec<String>,
    },
    CancelImport,
    /// Replace the columns with the services the imported account uses.
    ScopeToEvidence,
    ClearEvidence,
}

/// Slow work for the app shell to run off the UI thread.
#[derive(Debug, Clone)]
pub enum Job {
    WriteFile {
        path: PathBuf,
        bytes: Vec<u8>,
    },
    OpenEngagement(PathBuf),
    SaveEngagement {
        path: PathBuf,
        doc: Box<Engagement>,
        stamp: Option<DiskStamp>,
        mode: SaveMode,
        revision: u64,
    },
    /// Write the autosave copy for `path` (or the untitled one).
    Autosave {
        path: Option<PathBuf>,
        doc: Box<Engagement>,
        revision: u64,
    },
    /// Remove an autosave copy that is no longer wanted.
    DiscardAutosave {
        path: Option<PathBuf>,
    },
    /// Import snapshots; progress and the result come back as commands.
    Import {
        catalog: Arc<Catalog>,
        paths: Vec<PathBuf>,
        cancel: Arc<std::sync::atomic::AtomicBool>,
    },
}

pub struct Session {
    pub catalog: Arc<Catalog>,
    pub scope: Vec<ServiceRef>,
    pub filters: Filters,
    pub compare: Vec<Option<ServiceRef>>,
    pub selected: Option<(ServiceRef, String)>,
    pub view: View,
    pub theme: ThemeChoice,
    pub zoom: f32,
    pub collapsed: BTreeSet<String>,
    pub notifications: Vec<Notification>,
    pub engagement: Option<OpenEngagement>,
    /// Imported account evidence, merged over every import.
    pub evidence: Option<EvidenceView>,
    pub import_run: Option<ImportRun>,
    /// Recent engagement files, newest first.
    pub recent: Vec<PathBuf>,
    /// Today, `YYYY-MM-DD`, set by the shell: used in export headers and staleness marks.
    pub today: String,
    matrix: Matrix,
    comparison: Comparison,
}

impl Session {
    pub fn new(catalog: Arc<Catalog>, settings: &Settings, today: &str) -> Session {
        let parse_all = |list: &[String]| -> Vec<ServiceRef> {
            let mut out: Vec<ServiceRef> = Vec::new();
            for key in list {
                if let Ok(r) = catalog.parse_ref(key)
                    && !out.contains(&r)
                {
                    out.push(r);
                }
            }
            out
        };
        let scope = parse_all(&settings.scope);
        let mut compare: Vec<Option<ServiceRef>> =
            parse_all(&settings.compare).into_iter().map(Some).collect();
        compare.resize(4, None);
        compare.truncate(4);
        let mut session = Session {
            matrix: Matrix::build(&catalog, &[], &Filters::default()),
            comparison: Comparison::build(&catalog, &[]),
            catalog,
            scope,
            filters: Filters::default(),
            compare,
            selected: None,
            view: View::Matrix,
            theme: settings.theme,
            zoom: if settings.zoom.is_finite() {
                settings.zoom.clamp(0.5, 3.0)
            } else {
                1.0
            },
            collapsed: BTreeSet::new(),
            notifications: Vec::new(),
            engagement: None,
            evidence: None,
            import_run: None,
            recent: settings.recent.iter().map(PathBuf::from).collect(),
            today: today.to_owned(),
        };
        session.rebuild();
        session
    }

    pub fn settings(&self) -> Settings {
        Settings {
            scope: self.scope.iter().map(ServiceRef::key).collect(),
            compare: self.compare.iter().flatten().map(ServiceRef::key).collect(),
            theme: self.theme,
            zoom: self.zoom,
            recent: self
                .recent
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            last_engagement: self
                .engagement
                .as_ref()
                .and_then(|e| e.path.as_ref())
                .map(|p| p.display().to_string()),
        }
    }

    fn evidence_errors(&self) -> Vec<String> {
        self.evidence
            .as_ref()
            .map(|v| v.errors.clone())
            .unwrap_or_default()
    }

    fn remember_recent(&mut self, path: &std::path::Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT_LIMIT);
    }

    /// Work that must happen before the app exits: the autosave of unsaved changes.
    pub fn exit_job(&self) -> Option<Job> {
        let e = self.engagement.as_ref()?;
        e.needs_autosave().then(|| Job::Autosave {
            path: e.path.clone(),
            doc: Box::new(e.doc.clone()),
            revision: e.revision,
        })
    }

    fn engagement_command(&mut self, command: Command) -> Option<Job> {
        match command {
            Command::NewEngagement { client, title } => {
                let doc = Engagement::new(
                    &self.catalog,
                    client.trim(),
                    title.trim(),
                    &self.today,
                    &self.scope,
                );
                let mut open = OpenEngagement::new(doc, None, None, &self.catalog);
                open.touch();
                self.engagement = Some(open);
                self.view = View::Checklist;
                None
            }
            Command::OpenEngagement(path) => Some(Job::OpenEngagement(path)),
            Command::EngagementOpened { path, result } => {
                match result {
                    Ok(boxed) => {
                        let (opened, recovery) = *boxed;
                        let mut open = OpenEngagement::new(
                            opened.engagement,
                            Some(path.clone()),
                            Some(opened.stamp),
                            &self.catalog,
                        );
                        open.migrated_from = opened.migrated_from;
                        open.recovery = recovery;
                        let unknown: Vec<String> = open
                            .doc
                            .scope
                            .iter()
                            .filter(|r| self.catalog.tier_of(r).is_none())
                            .map(ServiceRef::key)
                            .collect();
                        if !unknown.is_empty() {
                            self.notify(
                                Level::Error,
                                format!(
                                    "Not in this catalog, kept in the file but not shown: {}",
                                    unknown.join(", ")
                                ),
                            );
                        }
                        self.scope = open
                            .doc
                            .scope
                            .iter()
                            .filter(|r| self.catalog.tier_of(r).is_some())
                            .cloned()
                            .collect();
                        if let Some(v) = open.migrated_from {
                            self.notify(Level::Info, format!("Opened {} (upgraded from format {v}; saving writes the new format)", path.display()));
                        } else {
                            self.notify(Level::Info, format!("Opened {}", path.display()));
                        }
                        self.engagement = Some(open);
                        self.remember_recent(&path);
                        self.view = View::Checklist;
                    }
                    Err(message) => self.notify(Level::Error, message),
                }
                None
            }
            Command::SaveEngagement { path, overwrite } => {
                let e = self.engagement.as_mut()?;
                let Some(target) = path.clone().or_else(|| e.path.clone()) else {
                    self.notify(
                        Level::Error,
                        "Choose where to save the engagement (Save as…)",
                    );
                    return None;
                };
                // A different path (save as) starts fresh: no stamp to compare with.
                let stamp = if Some(&target) == e.path.as_ref() {
                    e.stamp
                } else {
                    None
                };
                let mode = if overwrite {
                    SaveMode::Overwrite
                } else {
                    SaveMode::Safe
                };
                e.conflict = None;
                Some(Job::SaveEngagement {
                    path: target,
                    doc: Box::new(e.doc.clone()),
                    stamp,
                    mode,
                    revision: e.revision,
                })
            }
            Command::EngagementSaved {
                path,
                revision,
                result,
            } => {
                let e = self.engagement.as_mut()?;
                match result {
                    Ok(stamp) => {
                        let old_path = e.path.replace(path.clone());
                        e.stamp = Some(stamp);
                        e.saved_revision = revision;
                        e.autosaved_revision = e.autosaved_revision.max(revision);
                        self.remember_recent(&path);
                        self.notify(Level::Info, format!("Saved {}", path.display()));
                        // The autosave copy of the saved revision is no longer needed.
                        let discard = if old_path.is_none() { None } else { Some(path) };
                        return Some(Job::DiscardAutosave { path: discard });
                    }
                    Err((message, overridable)) => {
                        if overridable {
                            e.conflict = Some(message);
                        } else {
                            self.notify(Level::Error, message);
                        }
                    }
                }
                None
            }
            Command::AutosaveEngagement => {
                let e = self.engagement.as_ref()?;
                e.needs_autosave().then(|| Job::Autosave {
                    path: e.path.clone(),
                    doc: Box::new(e.doc.clone()),
                    revision: e.revision,
                })
            }
            Command::AutosaveFinished { revision, result } => {
                match result {
                    Ok(()) => {
                        if let Some(e) = self.engagement.as_mut() {
                            e.autosaved_revision = e.autosaved_revision.max(revision);
                        }
                    }
                    Err(message) => {
                        self.notify(Level::Error, format!("Autosave failed: {message}"));
                    }
                }
                None
            }
            Command::EditItem { key, edit } => {
                let catalog = Arc::clone(&self.catalog);
                let e = self.engagement.as_mut()?;
                match e.doc.edit_item(&catalog, &key, |item| edit.apply_to(item)) {
                    Ok(()) => e.touch(),
                    Err(err) => self.notify(Level::Error, err.to_string()),
                }
                None
            }
            Command::EditEngagementInfo {
                client,
                title,
                date,
            } => {
                let e = self.engagement.as_mut()?;
                if !crate::model::validate::is_iso_date(&date) {
                    self.notify(Level::Error, format!("'{date}' is not a date (YYYY-MM-DD)"));
                    return None;
                }
                e.doc.client = client;
                e.doc.title = title;
                e.doc.date = date;
                e.touch();
                None
            }
            Command::RestoreRecovery => {
                let catalog = Arc::clone(&self.catalog);
                let e = self.engagement.as_mut()?;
                let recovery = e.recovery.take()?;
                e.doc = recovery.engagement;
                e.owner_changes = e.doc.owner_changes(&catalog);
                e.touch();
                self.scope = e
                    .doc
                    .scope
                    .iter()
                    .filter(|r| catalog.tier_of(r).is_some())
                    .cloned()
                    .collect();
                self.notify(
                    Level::Info,
                    "Restored the autosaved changes: save to keep them",
                );
                None
            }
            Command::DismissRecovery => {
                let e = self.engagement.as_mut()?;
                e.recovery.take()?;
                Some(Job::DiscardAutosave {
                    path: e.path.clone(),
                })
            }
            Command::AcceptCatalogChanges => {
                let catalog = Arc::clone(&self.catalog);
                let e = self.engagement.as_mut()?;
                e.doc.accept_catalog(&catalog);
                e.owner_changes.clear();
                e.touch();
                None
            }
            Command::DismissConflict => {
                if let Some(e) = self.engagement.as_mut() {
                    e.conflict = None;
                }
                None
            }
            Command::Import(paths) => {
                if self.import_run.is_some() {
                    self.notify(Level::Error, "An import is already running");
                    return None;
                }
                if paths.is_empty() {
                    return None;
                }
                let cancel = Arc::new(std::sync::atomic::AtomicBool::new(false));
                self.import_run = Some(ImportRun {
                    paths: paths.clone(),
                    cancel: Arc::clone(&cancel),
                    current: 0,
                    bytes_read: 0,
                    total: None,
                });
                Some(Job::Import {
                    catalog: Arc::clone(&self.catalog),
                    paths,
                    cancel,
                })
            }
            Command::ImportProgress {
                index,
                bytes_read,
                total,
            } => {
                if let Some(run) = self.import_run.as_mut() {
                    run.current = index;
                    run.bytes_read = bytes_read;
                    run.total = total;
                }
                None
            }
            Command::CancelImport => {
                if let Some(run) = &self.import_run {
                    run.cancel();
                }
                None
            }
            Command::ImportFinished { evidence, errors } => {
                let cancelled = self.import_run.take().is_some_and(|r| r.cancelling());
                for e in &errors {
                    self.notify(Level::Error, e.clone());
                }
                if cancelled {
                    self.notify(Level::Info, "Import cancelled: nothing from it was kept");
                    return None;
                }
                let mut merged = self.evidence.take().map(|v| v.evidence).unwrap_or_default();
                let mut all_errors = self.evidence_errors();
                all_errors.extend(errors);
                let new_sources = evidence.sources.len();
                merged.merge(*evidence);
                let view = EvidenceView::new(&self.catalog, merged, all_errors);
                if new_sources > 0 {
                    self.notify(
                        Level::Info,
                        format!(
                            "Imported {new_sources} source(s): {} services in use, {} failing results",
                            view.in_use.len(),
                            view.failing()
                        ),
                    );
                }
                if let Some(e) = self.engagement.as_mut() {
                    e.doc.evidence = view.summary(&self.today);
                    e.touch();
                }
                self.evidence = Some(view);
                None
            }
            Command::ScopeToEvidence => {
                let Some(view) = &self.evidence else {
                    return None;
                };
                let refs: Vec<ServiceRef> = self
                    .catalog
                    .services
                    .iter()
                    .filter(|s| view.in_use.contains_key(&s.id))
                    .map(|s| self.catalog.default_ref(s))
                    .collect();
                // `apply` mirrors the new scope into the open engagement.
                self.scope = refs;
                self.view = View::Matrix;
                None
            }
            Command::ClearEvidence => {
                self.evidence = None;
                None
            }
            Command::RecoverUntitled(doc) => {
                let mut open = OpenEngagement::new(*doc, None, None, &self.catalog);
                open.touch();
                self.scope = open
                    .doc
                    .scope
                    .iter()
                    .filter(|r| self.catalog.tier_of(r).is_some())
                    .cloned()
                    .collect();
                self.engagement = Some(open);
                self.view = View::Checklist;
                self.notify(
                    Level::Info,
                    "Recovered an unsaved engagement from the last session: save it to keep it",
                );
                None
            }
            Command::CloseEngagement => {
                let e = self.engagement.take()?;
                if self.view == View::Checklist {
                    self.view = View::Matrix;
                }
                // Unsaved changes stay in the autosave copy, offered when the file is opened again.
                e.needs_autosave().then(|| Job::Autosave {
                    path: e.path.clone(),
                    doc: Box::new(e.doc),
                    revision: e.revision,
                })
            }
            _ => None,
        }
    }

    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }

    pub fn compare_refs(&self) -> Vec<ServiceRef> {
        self.compare.iter().flatten().cloned().collect()
    }

    fn rebuild(&mut self) {
        self.matrix = Matrix::build(&self.catalog, &self.scope, &self.filters);
        self.comparison = Comparison::build(&self.catalog, &self.compare_refs());
        if let Some((r, _)) = &self.selected
            && !self.scope.contains(r)
            && !self.compare_refs().contains(r)
        {
            self.selected = None;
        }
    }

    pub fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notifications.push(Notification {
            level,
            text: text.into(),
        });
        if self.notifications.len() > 5 {
            self.notifications.remove(0);
        }
    }

    /// The checklist for the current scope.
    pub fn checklist(&self) -> Checklist {
        let mut list = self.plain_checklist();
        if let Some(view) = &self.evidence {
            list.attach_evidence(&self.catalog, &view.evidence);
        }
        list
    }

    fn plain_checklist(&self) -> Checklist {
        Checklist::build(
            &self.catalog,
            &self.scope,
            &ChecklistOptions::new(&self.today),
        )
    }

    /// Renders an export into bytes (pure), through the one export dispatch.
    pub fn render(&self, kind: ExportKind, format: Format) -> Result<Vec<u8>, String> {
        let catalog = &self.catalog;
        let (report, checklist);
        let document = match (kind, &self.engagement) {
            (ExportKind::Checklist, Some(e)) => {
                report = crate::model::engagement::report::Report::build(catalog, &e.doc);
                export::Document::EngagementChecklist(&report)
            }
            (ExportKind::Checklist, None) => {
                checklist = self.checklist();
                export::Document::Checklist(&checklist)
            }
            (ExportKind::Matrix, _) => export::Document::Matrix {
                catalog,
                matrix: &self.matrix,
            },
            (ExportKind::Comparison, _) => export::Document::Comparison {
                catalog,
                comparison: &self.comparison,
            },
        };
        let mut out = Vec::new();
        export::render(&document, format, &mut out)
            .map(|()| out)
            .map_err(|e| e.to_string())
    }

    /// The one place that changes the session.
    pub fn apply(&mut self, command: Command) -> Option<Job> {
        let scope_before = self.scope.clone();
        let job = self.apply_inner(command);
        if self.scope != scope_before
            && let Some(e) = self.engagement.as_mut()
        {
            let doc_scope = e.doc.scope.clone();
            for r in &scope_before {
                if !self.scope.contains(r) {
                    e.doc.remove_from_scope(r);
                }
            }
            for r in &self.scope {
                e.doc.add_to_scope(r.clone());
            }
            // Opening a document sets the scope from it: that is not a change.
            if e.doc.scope != doc_scope {
                e.touch();
            }
        }
        job
    }

    fn apply_inner(&mut self, command: Command) -> Option<Job> {
        match command {
            Command::AddColumn(r) => {
                if self.catalog.tier_of(&r).is_some() && !self.scope.contains(&r) {
                    self.scope.push(r);
                }
            }
            Command::RemoveColumn(r) => self.scope.retain(|x| *x != r),
            Command::MoveColumn { from, to } => {
                if from < self.scope.len() && to < self.scope.len() {
                    let r = self.scope.remove(from);
                    self.scope.insert(to, r);
                }
            }
            Command::SetScope(refs) => {
                self.scope.clear();
                for r in refs {
                    if self.catalog.tier_of(&r).is_some() && !self.scope.contains(&r) {
                        self.scope.push(r);
                    }
                }
            }
            Command::ClearScope => self.scope.clear(),
            Command::ApplyPreset(index) => {
                if let Some(preset) = PRESETS.get(index) {
                    let refs: Vec<ServiceRef> = preset
                        .refs
                        .iter()
                        .filter_map(|k| self.catalog.parse_ref(k).ok())
                        .collect();
                    if refs.len() < preset.refs.len() {
                        self.notify(
                            Level::Info,
                            format!("{}: some services are not in this catalog yet", preset.name),
                        );
                    }
                    self.scope = refs;
                    self.view = View::Matrix;
                }
            }
            Command::ToggleOwnerFilter(owner) => {
                if !self.filters.owners.remove(&owner) {
                    self.filters.owners.insert(owner);
                }
            }
            Command::ToggleDomainFilter(domain) => {
                if !self.filters.domains.remove(&domain) {
                    self.filters.domains.insert(domain);
                }
            }
            Command::SetQuery(query) => self.filters.query = query,
            Command::ClearFilters => self.filters = Filters::default(),
            Command::Select(selection) => self.selected = selection,
            Command::SetView(view) => self.view = view,
            Command::SetCompareSlot { slot, service } => {
                if slot < self.compare.len() {
                    self.compare[slot] = service;
                }
            }
            Command::ToggleDomainCollapsed(domain) => {
                if !self.collapsed.remove(&domain) {
                    self.collapsed.insert(domain);
                }
                return None;
            }
            Command::SetTheme(theme) => {
                self.theme = theme;
                return None;
            }
            Command::SetZoom(zoom) => {
                self.zoom = zoom.clamp(0.5, 3.0);
                return None;
            }
            Command::Export { kind, format, path } => {
                return match self.render(kind, format) {
                    Ok(bytes) => Some(Job::WriteFile { path, bytes }),
                    Err(e) => {
                        self.notify(Level::Error, format!("Export failed: {e}"));
                        None
                    }
                };
            }
            Command::JobFinished(result) => {
                match result {
                    Ok(text) => self.notify(Level::Info, text),
                    Err(text) => self.notify(Level::Error, text),
                }
                return None;
            }
            Command::Dismiss(index) => {
                if index < self.notifications.len() {
                    self.notifications.remove(index);
                }
                return None;
            }
            other => {
                let job = self.engagement_command(other);
                self.rebuild();
                return job;
            }
        }
        self.rebuild();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session::new(
            Arc::new(Catalog::bundled()),
            &Settings::default(),
            "2026-11-28",
        )
    }

    #[test]
    fn default_scope_is_ec2_s3_rds() {
        let s = session();
        let keys: Vec<String> = s.scope.iter().map(ServiceRef::key).collect();
        assert_eq!(keys, ["ec2", "s3", "rds/standard"]);
        assert_eq!(s.matrix().columns.len(), 3);
    }

    #[test]
    fn filters_rebuild_the_matrix() {
        let mut s = session();
        let before = s.matrix().row_count();
        s.apply(Command::ToggleOwnerFilter(Owner::Customer));
        assert!(s.matrix().row_count() < before);
        s.apply(Command::ClearFilters);
        assert_eq!(s.matrix().row_count(), before);
    }

    #[test]
    fn export_command_yields_a_write_job() {
        let mut s = session();
        let job = s.apply(Command::Export {
            kind: ExportKind::Checklist,
            format: Format::Markdown,
            path: "x.md".into(),
        });
        let Some(Job::WriteFile { path, bytes }) = job else {
            panic!("expected a write job")
        };
        assert_eq!(path, PathBuf::from("x.md"));
        assert!(
            String::from_utf8(bytes)
                .expect("utf8")
                .starts_with("# AWS shared responsibility checklist")
        );
    }

    #[test]
    fn settings_round_trip() {
        let mut s = session();
        s.apply(Command::AddColumn(
            s.catalog.parse_ref("lambda").expect("lambda"),
        ));
        s.apply(Command::SetTheme(ThemeChoice::Dark));
        let settings = s.settings();
        let again = Session::new(Arc::clone(&s.catalog), &settings, "2026-11-28");
        assert_eq!(again.scope, s.scope);
        assert_eq!(again.theme, ThemeChoice::Dark);
    }

    #[test]
    fn removing_a_column_clears_its_selection() {
        let mut s = session();
        // s3 is in the matrix but not among the default comparison columns.
        let s3 = s.scope[1].clone();
        assert!(!s.compare_refs().contains(&s3));
        s.apply(Command::Select(Some((s3.clone(), "IAM-01".into()))));
        s.apply(Command::RemoveColumn(s3));
        assert!(s.selected.is_none());
    }
}
