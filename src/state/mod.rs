//! What the GUI holds, and the one place that changes it: `Session::apply(Command)`. Views read
//! the session (`&Session`, read accessors only) and push commands; slow work comes back from
//! `apply` as a `Job` that the app shell runs off the UI thread. No egui here.
//!
//! - `command`: `Command` (one sub-enum per area), `Job`, `Outcome` and `Rebuild`;
//! - one file per area with its sub-enum and its exhaustive handler: `scope`, `filters`,
//!   `view`, `compare`, `engagement_command`, `import`, `export`, `notice`, `findings`,
//!   `checklist`;
//! - `settings`: what is remembered between runs, and the presets;
//! - `engagement`, `evidence`: the open engagement and the imported evidence as held here.

use crate::model::catalog::{Catalog, ServiceRef};
use crate::model::checklist::{Checklist, ChecklistOptions};
use crate::model::engagement::agenda::{self, AgendaFilter, AgendaGroup, AgendaGrouping};
use crate::model::findings::{FindingFilter, FindingsView, Grouping};
use crate::model::matrix::{Comparison, Filters, Matrix};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

pub mod checklist;
pub mod command;
pub mod compare;
pub mod engagement;
pub mod engagement_command;
pub mod evidence;
pub mod export;
pub mod filters;
pub mod findings;
pub mod import;
pub mod layout;
pub mod notice;
pub mod scope;
pub mod settings;
pub mod view;

pub use checklist::ChecklistCommand;
pub use command::{Command, Job, JobKind, Outcome, Rebuild};
pub use compare::{COMPARE_SLOTS, CompareCommand};
pub use engagement::{ItemEdit, OpenEngagement};
pub use engagement_command::{AutosaveError, EngagementCommand, OpenedFile};
pub use evidence::{EvidenceView, ImportRun};
pub use export::{ExportCommand, ExportError, ExportKind};
pub use filters::FilterCommand;
pub use findings::{FindingsCommand, findings_group_key};
pub use import::{ImportCommand, ImportOutcome};
pub use layout::LayoutCommand;
pub use notice::{Level, NoticeCommand, Notification};
pub use scope::ScopeCommand;
pub use settings::{PRESETS, Preset, Settings, ThemeChoice, View};
pub use view::ViewCommand;

/// How often the derived data was rebuilt (a test hook, and a cheap profiling aid).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RebuildCounts {
    pub matrix: u64,
    pub comparison: u64,
    pub findings: u64,
    pub checklist: u64,
}

pub struct Session {
    catalog: Arc<Catalog>,
    scope: Vec<ServiceRef>,
    filters: Filters,
    compare: Vec<Option<ServiceRef>>,
    selected: Option<(ServiceRef, String)>,
    view: View,
    theme: ThemeChoice,
    zoom: f32,
    collapsed: BTreeSet<String>,
    notifications: Vec<Notification>,
    /// The id the next notification gets.
    next_notice: u64,
    /// Presenter mode (never remembered: a new start is not a meeting).
    presenting: bool,
    /// The service sidebar is hidden (remembered).
    sidebar_collapsed: bool,
    engagement: Option<OpenEngagement>,
    /// Imported account evidence, merged over every import.
    evidence: Option<Arc<EvidenceView>>,
    import_run: Option<ImportRun>,
    /// Recent engagement files, newest first.
    recent: Vec<PathBuf>,
    /// Today, `YYYY-MM-DD`, set by the shell: used in export headers and staleness marks.
    today: String,
    matrix: Matrix,
    comparison: Comparison,
    rebuilds: RebuildCounts,
    finding_filter: FindingFilter,
    finding_grouping: Grouping,
    /// The findings board's rows for the filter, rebuilt on `Rebuild::findings`.
    findings_view: FindingsView,
    collapsed_findings: BTreeSet<String>,
    agenda_grouping: AgendaGrouping,
    /// The checklist's own filters (owners and text come from `filters`).
    agenda_filter: AgendaFilter,
    /// The checklist's groups and rows, frozen between rebuilds.
    agenda: Vec<AgendaGroup>,
    /// The engagement revision the agenda's progress bars count.
    agenda_revision: u64,
    collapsed_agenda: BTreeSet<String>,
    /// How many imports have finished, and the paths the last one could not read, with why.
    failed_import: (u64, Vec<(String, String)>),
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
        compare.resize(COMPARE_SLOTS, None);
        compare.truncate(COMPARE_SLOTS);
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
            zoom: settings::clamp_zoom(settings.zoom),
            collapsed: BTreeSet::new(),
            notifications: Vec::new(),
            next_notice: 1,
            presenting: false,
            sidebar_collapsed: settings.sidebar_collapsed,
            engagement: None,
            evidence: None,
            import_run: None,
            recent: settings.recent.iter().map(PathBuf::from).collect(),
            today: today.to_owned(),
            rebuilds: RebuildCounts::default(),
            finding_filter: FindingFilter::default(),
            finding_grouping: Grouping::default(),
            findings_view: FindingsView::default(),
            collapsed_findings: BTreeSet::new(),
            agenda_grouping: AgendaGrouping::default(),
            agenda_filter: AgendaFilter::default(),
            agenda: Vec::new(),
            agenda_revision: 0,
            collapsed_agenda: BTreeSet::new(),
            failed_import: (0, Vec::new()),
        };
        session.rebuild(Rebuild::MATRIX | Rebuild::COMPARISON);
        if let Some(problem) = &settings.unreported {
            session.notify(Level::Error, format!("When demarc last closed: {problem}"));
        }
        session
    }

    /// What to remember for the next run (`unreported` is the shell's to fill).
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
            unreported: None,
            sidebar_collapsed: self.sidebar_collapsed,
        }
    }

    /// The one place that changes the session.
    pub fn apply(&mut self, command: Command) -> Option<Job> {
        let scope_before = self.scope.clone();
        let outcome = match command {
            Command::Scope(c) => self.scope_command(c),
            Command::Filter(c) => self.filter_command(c),
            Command::View(c) => self.view_command(c),
            Command::Compare(c) => self.compare_command(c),
            Command::Engagement(c) => self.engagement_command(c),
            Command::Import(c) => self.import_command(c),
            Command::Export(c) => self.export_command(c),
            Command::Notice(c) => self.notice_command(c),
            Command::Findings(c) => self.findings_command(c),
            Command::Checklist(c) => self.checklist_command(c),
            Command::Layout(c) => self.layout_command(c),
        };
        let scope_changed = self.scope != scope_before;
        debug_assert!(
            !scope_changed || outcome.rebuild.matrix,
            "a handler changed the scope without asking for a matrix rebuild"
        );
        if scope_changed {
            self.mirror_scope_into_engagement(&scope_before);
        }
        self.rebuild(outcome.rebuild);
        self.fix_selection();
        outcome.job
    }

    /// The open engagement follows the columns of the matrix.
    fn mirror_scope_into_engagement(&mut self, scope_before: &[ServiceRef]) {
        let Some(e) = self.engagement.as_mut() else {
            return;
        };
        let doc_scope = e.doc.scope.clone();
        for r in scope_before {
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

    fn rebuild(&mut self, rebuild: Rebuild) {
        if rebuild.matrix {
            self.matrix = Matrix::build(&self.catalog, &self.scope, &self.filters);
            self.rebuilds.matrix += 1;
        }
        if rebuild.comparison {
            self.comparison = Comparison::build(&self.catalog, &self.compare_refs());
            self.rebuilds.comparison += 1;
        }
        // The toolbar's search filters the findings board too.
        if rebuild.findings || rebuild.matrix {
            let filter = FindingFilter {
                query: self.filters.query.clone(),
                ..self.finding_filter.clone()
            };
            self.findings_view = self
                .evidence
                .as_ref()
                .map_or_else(FindingsView::default, |v| {
                    v.findings.filter(&filter, self.finding_grouping)
                });
            self.rebuilds.findings += 1;
        }
        if rebuild.checklist || rebuild.matrix {
            self.rebuild_agenda();
        } else if let Some(e) = &self.engagement
            && e.revision != self.agenda_revision
        {
            // A decision: the bars follow, the rows stay where they are.
            agenda::refresh_progress(
                &self.catalog,
                &e.doc,
                self.agenda_grouping,
                &mut self.agenda,
            );
            self.agenda_revision = e.revision;
        }
    }

    fn rebuild_agenda(&mut self) {
        let Some(e) = &self.engagement else {
            self.agenda.clear();
            return;
        };
        let filter = AgendaFilter {
            owners: self.filters.owners.iter().copied().collect(),
            query: self.filters.query.clone(),
            ..self.agenda_filter.clone()
        };
        let kept = evidence::KeptEvidence::new(&e.doc);
        let cell_status = |service: &str, control: &str| match &self.evidence {
            Some(view) => view.cell_status(service, control),
            None => kept.cell_status(service, control),
        };
        self.agenda = agenda::build(
            &self.catalog,
            &e.doc,
            self.agenda_grouping,
            &filter,
            &cell_status,
        );
        self.agenda_revision = e.revision;
        self.rebuilds.checklist += 1;
    }

    /// A selected cell whose column is gone from both the matrix and Compare is deselected.
    fn fix_selection(&mut self) {
        if let Some((r, _)) = &self.selected
            && !self.scope.contains(r)
            && !self.compare.iter().flatten().any(|c| c == r)
        {
            self.selected = None;
        }
    }

    // ---------------------------------------------------------------- read accessors

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The columns of the matrix.
    pub fn scope(&self) -> &[ServiceRef] {
        &self.scope
    }

    pub fn filters(&self) -> &Filters {
        &self.filters
    }

    /// The Compare columns, `COMPARE_SLOTS` of them, `None` where empty.
    pub fn compare_slots(&self) -> &[Option<ServiceRef>] {
        &self.compare
    }

    /// The filled Compare columns.
    pub fn compare_refs(&self) -> Vec<ServiceRef> {
        self.compare.iter().flatten().cloned().collect()
    }

    /// The cell shown in the detail panel: (column, control id).
    pub fn selected(&self) -> Option<&(ServiceRef, String)> {
        self.selected.as_ref()
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn theme(&self) -> ThemeChoice {
        self.theme
    }

    pub fn zoom(&self) -> f32 {
        self.zoom
    }

    pub fn is_collapsed(&self, domain: &str) -> bool {
        self.collapsed.contains(domain)
    }

    pub fn notifications(&self) -> &[Notification] {
        &self.notifications
    }

    pub fn engagement(&self) -> Option<&OpenEngagement> {
        self.engagement.as_ref()
    }

    /// Imported account evidence, merged over every import.
    pub fn evidence(&self) -> Option<&EvidenceView> {
        self.evidence.as_deref()
    }

    /// The import running on a worker thread, if any.
    pub fn import_run(&self) -> Option<&ImportRun> {
        self.import_run.as_ref()
    }

    /// Recent engagement files, newest first.
    pub fn recent(&self) -> &[PathBuf] {
        &self.recent
    }

    /// Today, `YYYY-MM-DD`.
    pub fn today(&self) -> &str {
        &self.today
    }

    pub fn matrix(&self) -> &Matrix {
        &self.matrix
    }

    pub fn comparison(&self) -> &Comparison {
        &self.comparison
    }

    pub fn rebuild_counts(&self) -> RebuildCounts {
        self.rebuilds
    }

    pub fn finding_filter(&self) -> &FindingFilter {
        &self.finding_filter
    }

    pub fn finding_grouping(&self) -> Grouping {
        self.finding_grouping
    }

    /// The findings board's rows and groups for the current filter.
    pub fn findings_view(&self) -> &FindingsView {
        &self.findings_view
    }

    /// A findings group by [`findings_group_key`].
    pub fn is_findings_group_collapsed(&self, key: &str) -> bool {
        self.collapsed_findings.contains(key)
    }

    pub fn agenda_grouping(&self) -> AgendaGrouping {
        self.agenda_grouping
    }

    /// The checklist's own filters (owners and text: see [`Session::filters`]).
    pub fn agenda_filter(&self) -> &AgendaFilter {
        &self.agenda_filter
    }

    /// The checklist's groups and rows, as frozen at the last rebuild.
    pub fn agenda(&self) -> &[AgendaGroup] {
        &self.agenda
    }

    pub fn is_agenda_collapsed(&self, key: &str) -> bool {
        self.collapsed_agenda.contains(key)
    }

    /// How many imports have finished, and the paths the last one could not read, with why.
    pub fn failed_import(&self) -> (u64, &[(String, String)]) {
        (self.failed_import.0, &self.failed_import.1)
    }

    /// The checklist for the current scope, with the imported evidence attached.
    pub fn checklist(&self) -> Checklist {
        let mut list = Checklist::build(
            &self.catalog,
            &self.scope,
            &ChecklistOptions::new(&self.today),
        );
        if let Some(view) = &self.evidence {
            list.attach_evidence(&self.catalog, &view.evidence);
        }
        list
    }
}

#[cfg(test)]
pub(crate) mod tests;
