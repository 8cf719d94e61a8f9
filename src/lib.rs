//! demarc: the AWS shared responsibility model as a service x control matrix.
//!
//! Architecture in five lines:
//! - `model` is the pure domain (catalog, matrix, comparison, checklist); `data/` is embedded.
//! - `export` turns model values into Markdown, CSV and JSON, deterministically.
//! - `import` reads account snapshots (pure over readers) into `model::evidence`.
//! - `storage` is the only code that touches the filesystem; nothing touches the network.
//! - `state` holds the GUI session and the one `Session::apply(Command)` that changes it.
//! - `ui` draws egui views and returns actions; `app` is the eframe shell; `cli` the commands.

pub mod app;
pub mod cli;
pub mod clock;
pub mod export;
pub mod import;
pub mod model;
pub mod state;
pub mod storage;
pub mod ui;
