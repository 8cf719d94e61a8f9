//! Notifications for the user, and background work that could not start.

use super::Session;
use super::command::{JobKind, Outcome};

/// How many notifications are kept (the oldest goes first).
const NOTIFICATION_LIMIT: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Unique within a run: what `Dismiss` names (an index would shift as others go).
    pub id: u64,
    pub level: Level,
    pub text: String,
}

#[derive(Debug)]
pub enum NoticeCommand {
    /// Remove the notification with this id (the user dismissed it, or an info expired).
    Dismiss(u64),
    /// The shell could not start a thread for a job.
    JobNotStarted {
        kind: JobKind,
        error: std::io::Error,
    },
    /// A job panicked (a bug): its thread ended without reporting; `message` is the panic's.
    JobPanicked { kind: JobKind, message: String },
}

impl Session {
    pub(super) fn notice_command(&mut self, command: NoticeCommand) -> Outcome {
        match command {
            NoticeCommand::Dismiss(id) => self.notifications.retain(|n| n.id != id),
            NoticeCommand::JobNotStarted { kind, error } => {
                if kind == JobKind::Import {
                    // Nothing will report back: no progress window waiting forever.
                    self.import_run = None;
                }
                self.notify(
                    Level::Error,
                    format!("Could not start a background task: {error}"),
                );
            }
            NoticeCommand::JobPanicked { kind, message } => {
                if kind == JobKind::Import {
                    self.import_run = None;
                }
                self.notify(
                    Level::Error,
                    format!(
                        "A background task ({}) failed unexpectedly and was stopped: {message}. \
                         Your open document is unchanged; save it, and please report this.",
                        kind.thread_name()
                    ),
                );
            }
        }
        Outcome::NOTHING
    }

    pub(super) fn notify(&mut self, level: Level, text: impl Into<String>) {
        self.notifications.push(Notification {
            id: self.next_notice,
            level,
            text: text.into(),
        });
        self.next_notice += 1;
        if self.notifications.len() > NOTIFICATION_LIMIT {
            self.notifications.remove(0);
        }
    }
}
