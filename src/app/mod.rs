//! The eframe shell: owns the session, runs jobs on named threads and polls them, opens native
//! file dialogs off the UI thread, autosaves, persists settings. Views live in `ui/`; the work
//! behind each job is in `jobs`.

pub mod crash;
pub mod jobs;

use crate::model::catalog::Catalog;
use crate::state::{
    Command, EngagementCommand, ImportCommand, Job, JobKind, NoticeCommand, Session, Settings,
    ViewCommand,
};
use crate::storage;
use crate::ui::{self, Request, UiState};
pub use jobs::{autosave_before_exit, execute};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

const SETTINGS_KEY: &str = "demarc-settings";

/// A native dialog that answers faster than this did not really open (no portal): the user
/// could not have chosen anything, so the path field is offered instead.
const DIALOG_MIN_HUMAN_TIME: Duration = Duration::from_millis(300);

/// How long after the last edit the autosave copy is written.
const AUTOSAVE_DELAY: Duration = Duration::from_secs(2);

/// How often, at most, the unsaved document is copied for the panic hook (`crash`): a crash
/// loses at most this much typing, and a long note typed fast is not copied per keystroke.
const CRASH_COPY_EVERY: Duration = Duration::from_millis(250);

/// What a native dialog is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DialogPurpose {
    ExportPath,
    OpenEngagement,
    SaveEngagementAs,
    ImportFile,
    ImportFolder,
}

pub struct DemarcApp {
    session: Session,
    ui_state: UiState,
    commands_tx: Sender<Command>,
    commands_rx: Receiver<Command>,
    dialog: Option<(Receiver<Option<PathBuf>>, Instant)>,
    title: String,
    seen_revision: u64,
    changed_at: Instant,
    autosave_in_flight: bool,
    /// The engagement (path, revision) the panic hook's copy holds (`None`: nothing unsaved
    /// is kept), and when it was taken.
    crash_copy: Option<(Option<PathBuf>, u64)>,
    crash_copied_at: Instant,
    /// The exit autosave failed: saved with the settings, shown at the next start.
    exit_problem: Option<String>,
    egui_ctx: egui::Context,
    frames: u64,
    exit_after_frames: Option<u64>,
}

impl DemarcApp {
    pub fn new(cc: &eframe::CreationContext<'_>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        let session = Session::new(
            Arc::new(Catalog::bundled()),
            &settings,
            &crate::clock::today(),
        );
        cc.egui_ctx.set_zoom_factor(session.zoom());
        let (commands_tx, commands_rx) = channel();
        let mut app = DemarcApp {
            session,
            ui_state: UiState {
                export_folder: storage::documents_dir(),
                ..UiState::default()
            },
            commands_tx,
            commands_rx,
            dialog: None,
            title: String::new(),
            seen_revision: 0,
            changed_at: Instant::now(),
            autosave_in_flight: false,
            crash_copy: None,
            crash_copied_at: Instant::now(),
            exit_problem: None,
            egui_ctx: cc.egui_ctx.clone(),
            frames: 0,
            exit_after_frames: std::env::var("DEMARC_EXIT_AFTER_FRAMES")
                .ok()
                .and_then(|v| v.parse().ok()),
        };
        // Reopen the engagement that was open last time; offer an unsaved untitled one.
        if let Some(path) = settings.last_engagement.map(PathBuf::from) {
            app.run_job(Job::OpenEngagement(path));
        } else if let Some(command) = jobs::untitled_recovery() {
            app.apply(command);
        }
        app
    }

    fn run_job(&mut self, job: Job) {
        let kind = job.kind();
        if kind == JobKind::Autosave {
            self.autosave_in_flight = true;
        }
        let tx = self.commands_tx.clone();
        let repaint = self.egui_ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(kind.thread_name().into())
            .spawn(move || {
                let report = |command: Command| {
                    // The receiver is gone only when the app is closing: nothing to tell.
                    let _closing = tx.send(command);
                    repaint.request_repaint();
                };
                if let Some(command) = jobs::caught(kind, || execute(job, &report)) {
                    report(command);
                }
            });
        if let Err(error) = spawned {
            if kind == JobKind::Autosave {
                self.autosave_in_flight = false;
            }
            self.apply(NoticeCommand::JobNotStarted { kind, error }.into());
        }
    }

    fn open_dialog(&mut self, purpose: DialogPurpose, start: PathBuf) {
        if self.dialog.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("demarc-file-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new();
                if let Some(folder) = jobs::dialog_folder(&start) {
                    dialog = dialog.set_directory(folder);
                }
                let choice = match purpose {
                    DialogPurpose::ImportFile => dialog.pick_file(),
                    DialogPurpose::ImportFolder => dialog.pick_folder(),
                    DialogPurpose::OpenEngagement => dialog
                        .add_filter("demarc engagement", &["json"])
                        .pick_file(),
                    DialogPurpose::ExportPath | DialogPurpose::SaveEngagementAs => {
                        if let Some(name) = start.file_name() {
                            dialog = dialog.set_file_name(name.to_string_lossy());
                        }
                        dialog.save_file()
                    }
                };
                // The receiver is gone only when the app is closing.
                let _closing = tx.send(choice);
            });
        match spawned {
            Ok(_) => self.dialog = Some((rx, Instant::now())),
            Err(_) => self.ui_state.dialog_unavailable = true,
        }
    }

    fn apply(&mut self, command: Command) {
        if matches!(
            command,
            Command::Engagement(EngagementCommand::AutosaveFinished { .. })
                | Command::Notice(NoticeCommand::JobPanicked {
                    kind: JobKind::Autosave,
                    ..
                })
        ) {
            self.autosave_in_flight = false;
        }
        if let Some(job) = self.session.apply(command) {
            self.run_job(job);
        }
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some((rx, started)) = &self.dialog else {
            return;
        };
        let quick = started.elapsed() < DIALOG_MIN_HUMAN_TIME;
        match rx.try_recv() {
            Ok(choice) => {
                self.dialog = None;
                match choice {
                    Some(path) => self.ui_state.dialog_chose(&path),
                    None if quick => self.ui_state.dialog_unavailable = true,
                    None => {}
                }
            }
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                ctx.request_repaint_after(Duration::from_millis(100));
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => self.dialog = None,
        }
    }

    /// Files dropped on the window: an engagement opens, anything else imports as a snapshot.
    fn dropped_files(&mut self, ctx: &egui::Context) {
        let paths: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        self.open_files(paths);
    }

    /// Files from the command line or dropped on the window: an engagement opens, anything
    /// else imports as an account snapshot.
    pub fn open_files(&mut self, paths: Vec<PathBuf>) {
        if paths.is_empty() {
            return;
        }
        let suffix = crate::model::engagement::FILE_SUFFIX;
        let (engagements, snapshots): (Vec<PathBuf>, Vec<PathBuf>) = paths
            .into_iter()
            .partition(|p| p.to_string_lossy().ends_with(suffix));
        if let Some(path) = engagements.into_iter().next() {
            self.apply(EngagementCommand::Open(path).into());
        }
        if !snapshots.is_empty() {
            self.apply(ImportCommand::Start(snapshots).into());
        }
    }

    fn autosave(&mut self, ctx: &egui::Context) {
        let Some(e) = self.session.engagement() else {
            return;
        };
        if e.revision != self.seen_revision {
            self.seen_revision = e.revision;
            self.changed_at = Instant::now();
        }
        if e.needs_autosave() && !self.autosave_in_flight {
            let waited = self.changed_at.elapsed();
            if waited >= AUTOSAVE_DELAY {
                self.apply(EngagementCommand::Autosave.into());
            } else {
                ctx.request_repaint_after(AUTOSAVE_DELAY.saturating_sub(waited));
            }
        }
    }

    /// Keeps the panic hook's copy of the unsaved document current (see `crash`).
    fn keep_crash_copy(&mut self, ctx: &egui::Context) {
        let unsaved = self.session.engagement().filter(|e| e.needs_autosave());
        let Some(e) = unsaved else {
            if self.crash_copy.take().is_some() {
                crash::clear();
            }
            return;
        };
        let held = (e.path.clone(), e.revision);
        if self.crash_copy.as_ref() == Some(&held) {
            return;
        }
        let since = self.crash_copied_at.elapsed();
        if since < CRASH_COPY_EVERY && self.crash_copy.is_some() {
            ctx.request_repaint_after(CRASH_COPY_EVERY.saturating_sub(since));
            return;
        }
        crash::keep(e.path.clone(), e.doc.clone());
        self.crash_copy = Some(held);
        self.crash_copied_at = Instant::now();
    }

    fn request(&mut self, request: Request) {
        match request {
            Request::Command(command) => self.apply(command),
            Request::BrowseSavePath(start) => self.open_dialog(DialogPurpose::ExportPath, start),
            Request::BrowseOpenEngagement(start) => {
                self.open_dialog(DialogPurpose::OpenEngagement, start);
            }
            Request::BrowseSaveEngagement(start) => {
                self.open_dialog(DialogPurpose::SaveEngagementAs, start);
            }
            Request::BrowseImport { start, folder } => {
                let purpose = if folder {
                    DialogPurpose::ImportFolder
                } else {
                    DialogPurpose::ImportFile
                };
                self.open_dialog(purpose, start);
            }
        }
    }
}

impl eframe::App for DemarcApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Ok(command) = self.commands_rx.try_recv() {
            self.apply(command);
        }
        self.poll_dialog(ctx);
        self.dropped_files(ctx);
        self.autosave(ctx);
        self.keep_crash_copy(ctx);
        let zoom = ctx.zoom_factor();
        if (zoom - self.session.zoom()).abs() > f32::EPSILON {
            self.apply(ViewCommand::SetZoom(zoom).into());
        }
        let title = match self.session.engagement() {
            Some(e) => format!("demarc: {}", e.title()),
            None => "demarc: AWS shared responsibility".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if ctx.input(|i| i.viewport().close_requested()) {
            // Before eframe saves the settings (and then calls `on_exit`), so that a failure
            // is saved with them and reported at the next start.
            if let Some(problem) = autosave_before_exit(&mut self.session) {
                self.exit_problem = Some(problem);
            }
        }
        self.frames += 1;
        if self.exit_after_frames.is_some_and(|n| self.frames >= n) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if self.exit_after_frames.is_some() {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        for request in ui::app_ui(ui, &self.session, &mut self.ui_state) {
            self.request(request);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        let settings = Settings {
            unreported: self.exit_problem.clone(),
            ..self.session.settings()
        };
        eframe::set_value(storage, SETTINGS_KEY, &settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Normally done when the close was requested; this catches an exit without that frame.
        // The settings are already saved: the failure can only go to the terminal.
        if let Some(problem) = autosave_before_exit(&mut self.session) {
            eprintln!("demarc: {problem}");
        }
    }
}

/// Opens the window and runs until it is closed.
pub fn run(files: Vec<PathBuf>) -> eframe::Result {
    crash::install();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("demarc: AWS shared responsibility")
            .with_app_id("demarc")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([820.0, 560.0])
            .with_icon(window_icon()),
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "demarc",
        options,
        Box::new(move |cc| {
            let mut app = DemarcApp::new(cc);
            app.open_files(files);
            Ok(Box::new(app))
        }),
    )
}

/// The app icon (`assets/icon-256.png`, embedded). A PNG that fails to decode is a build
/// defect (the test below catches it); the window then opens with the platform's default icon
/// rather than not at all.
fn window_icon() -> egui::IconData {
    eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
        .unwrap_or_default()
}

#[cfg(test)]
mod icon_tests {
    #[test]
    fn the_embedded_icon_decodes_at_256_px() {
        let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png"))
            .expect("assets/icon-256.png is a PNG");
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}
