//! The eframe shell: owns the session, runs jobs on named threads and polls them, opens native
//! file dialogs off the UI thread, persists settings. Views live in `ui/`.

use crate::model::catalog::Catalog;
use crate::state::{Command, Job, Session, Settings, ThemeChoice};
use crate::storage;
use crate::ui::{self, Action, UiState};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

const SETTINGS_KEY: &str = "demarc-settings";

/// A native dialog that answers faster than this did not really open (no portal): the user
/// could not have chosen anything, so the path field is offered instead.
const DIALOG_MIN_HUMAN_TIME: Duration = Duration::from_millis(300);

pub struct DemarcApp {
    session: Session,
    ui_state: UiState,
    commands_tx: Sender<Command>,
    commands_rx: Receiver<Command>,
    browse: Option<(Receiver<Option<PathBuf>>, Instant)>,
    applied_theme: Option<ThemeChoice>,
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
            &crate::cli::today(),
        );
        cc.egui_ctx.set_zoom_factor(session.zoom);
        let (commands_tx, commands_rx) = channel();
        DemarcApp {
            session,
            ui_state: UiState {
                export_folder: storage::documents_dir(),
                ..UiState::default()
            },
            commands_tx,
            commands_rx,
            browse: None,
            applied_theme: None,
            frames: 0,
            exit_after_frames: std::env::var("DEMARC_EXIT_AFTER_FRAMES")
                .ok()
                .and_then(|v| v.parse().ok()),
        }
    }

    fn run_job(&self, job: Job) {
        let tx = self.commands_tx.clone();
        let spawned = match job {
            Job::WriteFile { path, bytes } => std::thread::Builder::new()
                .name("demarc-write-export".into())
                .spawn(move || {
                    let result = storage::write_atomic(&path, &bytes)
                        .map(|()| format!("Saved {}", path.display()))
                        .map_err(|e| e.to_string());
                    let _ = tx.send(Command::JobFinished(result));
                }),
        };
        if let Err(e) = spawned {
            let _ = self.commands_tx.send(Command::JobFinished(Err(format!(
                "Could not start a background task: {e}"
            ))));
        }
    }

    fn browse(&mut self, start: PathBuf) {
        if self.browse.is_some() {
            return;
        }
        let (tx, rx) = channel();
        let spawned = std::thread::Builder::new()
            .name("demarc-save-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new();
                if let Some(folder) = start.parent().filter(|p| p.is_dir()) {
                    dialog = dialog.set_directory(folder);
                }
                if let Some(name) = start.file_name() {
                    dialog = dialog.set_file_name(name.to_string_lossy());
                }
                let _ = tx.send(dialog.save_file());
            });
        match spawned {
            Ok(_) => self.browse = Some((rx, Instant::now())),
            Err(_) => self.ui_state.dialog_unavailable = true,
        }
    }

    fn apply(&mut self, command: Command) {
        if let Some(job) = self.session.apply(command) {
            self.run_job(job);
        }
    }
}

impl eframe::App for DemarcApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        while let Ok(command) = self.commands_rx.try_recv() {
            self.apply(command);
        }
        if let Some((rx, started)) = &self.browse {
            match rx.try_recv() {
                Ok(choice) => {
                    let quick = started.elapsed() < DIALOG_MIN_HUMAN_TIME;
                    match choice {
                        Some(path) => {
                            if let Some(dialog) = self.ui_state.export.as_mut() {
                                dialog.path = path.display().to_string();
                            }
                        }
                        None if quick => self.ui_state.dialog_unavailable = true,
                        None => {}
                    }
                    self.browse = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(100));
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => self.browse = None,
            }
        }
        if self.applied_theme != Some(self.session.theme) {
            ui::theme::apply(ctx, self.session.theme);
            self.applied_theme = Some(self.session.theme);
        }
        let zoom = ctx.zoom_factor();
        if (zoom - self.session.zoom).abs() > f32::EPSILON {
            self.apply(Command::SetZoom(zoom));
        }
        self.frames += 1;
        if self.exit_after_frames.is_some_and(|n| self.frames >= n) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        } else if self.exit_after_frames.is_some() {
            ctx.request_repaint();
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let actions = ui::app_ui(ui, &self.session, &mut self.ui_state);
        for action in actions {
            match action {
                Action::Command(command) => self.apply(command),
                Action::BrowseSavePath(start) => self.browse(start),
            }
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.session.settings());
    }
}

/// Opens the window and runs until it is closed.
pub fn run() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("demarc: AWS shared responsibility")
            .with_app_id("demarc")
            .with_inner_size([1440.0, 900.0])
            .with_min_inner_size([820.0, 560.0]),
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "demarc",
        options,
        Box::new(|cc| Ok(Box::new(DemarcApp::new(cc)))),
    )
}
