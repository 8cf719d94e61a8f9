//! demarc: with no subcommand (or `gui`) opens the window; with a subcommand runs headless.

use clap::Parser;
use demarc::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
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
