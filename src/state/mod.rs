//! What the GUI holds, and the one place that changes it: `Session::apply(Command)`. Views read
//! the session and push commands; slow work comes back from `apply` as a `Job` that the app
//! shell runs off the UI thread. No egui here.

use crate::export::{self, Format};
use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::checklist::{Checklist, ChecklistOptions};
use crate::model::matrix::{Comparison, Filters, Matrix};
use crate::model::owner::Owner;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

/// The main views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum View {
    #[default]
    Matrix,
    Compare,
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
    pub fn formats(self) -> &'static [Format] {
        match self {
            ExportKind::Checklist | ExportKind::Matrix => {
                &[Format::Markdown, Format::Csv, Format::Json]
            }
            ExportKind::Comparison => &[Format::Markdown, Format::Json],
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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            scope: vec!["ec2".into(), "s3".into(), "rds".into()],
            compare: vec!["ec2".into(), "ecs/fargate".into(), "lambda".into()],
            theme: ThemeChoice::Light,
            zoom: 1.0,
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
}

/// Slow work for the app shell to run off the UI thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    WriteFile { path: PathBuf, bytes: Vec<u8> },
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
        Checklist::build(
            &self.catalog,
            &self.scope,
            &ChecklistOptions::new(&self.today),
        )
    }

    /// Renders an export into bytes (pure).
    pub fn render(&self, kind: ExportKind, format: Format) -> Result<Vec<u8>, String> {
        let mut out = Vec::new();
        let catalog = &self.catalog;
        let result = match (kind, format) {
            (ExportKind::Checklist, Format::Markdown) => {
                export::markdown::checklist(&mut out, &self.checklist())
            }
            (ExportKind::Checklist, Format::Csv) => {
                export::csv::checklist(&mut out, &self.checklist())
            }
            (ExportKind::Checklist, Format::Json) => {
                export::json::checklist(&mut out, &self.checklist())
            }
            (ExportKind::Matrix, Format::Markdown) => {
                export::markdown::matrix(&mut out, catalog, &self.matrix)
            }
            (ExportKind::Matrix, Format::Csv) => {
                export::csv::matrix(&mut out, catalog, &self.matrix)
            }
            (ExportKind::Matrix, Format::Json) => {
                export::json::matrix(&mut out, catalog, &self.matrix)
            }
            (ExportKind::Comparison, Format::Markdown) => {
                export::markdown::comparison(&mut out, catalog, &self.comparison)
            }
            (ExportKind::Comparison, Format::Json) => {
                export::json::comparison(&mut out, catalog, &self.comparison)
            }
            (ExportKind::Comparison, Format::Csv) => {
                return Err("the comparison exports as Markdown or JSON".into());
            }
            (_, Format::Html) => return Err("HTML is available for engagement checklists".into()),
        };
        result.map(|()| out).map_err(|e| e.to_string())
    }

    /// The one place that changes the session.
    pub fn apply(&mut self, command: Command) -> Option<Job> {
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
