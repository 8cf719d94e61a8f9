//! demarc: with no subcommand (or `gui`) opens the window; with a subcommand runs headless.
//!
//! On Windows the executable is a GUI program (no console window opens with the app); a
//! subcommand run from a terminal attaches to that terminal's console so that it prints there.
#![cfg_attr(windows, windows_subsystem = "windows")]

use clap::Parser;
use demarc::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    #[cfg(windows)]
    attach_parent_console();
    let cli = Cli::parse();
    match cli.command {
        None | Some(Command::Gui { .. }) => match demarc::app::run(match cli.command {
            Some(Command::Gui { files }) => files,
            _ => Vec::new(),
        }) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("demarc: cannot open the window: {e}");
                ExitCode::from(1)
            }
        },
        Some(command) => demarc::cli::run(command),
    }
}

/// A GUI-subsystem program starts without a console. When it was started from a terminal, use
/// that terminal's console for `--help`, data and messages; started from Explorer there is none
/// and nothing happens. Redirected output (`demarc matrix ... > m.md`) works either way: the
/// handles are inherited.
#[cfg(windows)]
#[allow(unsafe_code)]
fn attach_parent_console() {
    use windows_sys::Win32::System::Console::{ATTACH_PARENT_PROCESS, AttachConsole};
    // SAFETY: AttachConsole takes a process id and has no memory preconditions; it fails
    // harmlessly (returns 0) when there is no parent console or one is already attached.
    unsafe {
        AttachConsole(ATTACH_PARENT_PROCESS);
    }
}
