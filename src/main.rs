//! The `lede` binary: parse arguments, run the command, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;
use lede::app::{self, Outcome};
use lede::cli::Cli;

fn main() -> ExitCode {
    match app::run(Cli::parse()) {
        Ok(Outcome::Found) | Ok(Outcome::Indexed) => ExitCode::from(0),
        Ok(Outcome::NotFound) => ExitCode::from(1),
        Ok(Outcome::IndexedWithFailures) => ExitCode::from(3),
        Err(err) if app::is_broken_pipe(&err) => ExitCode::from(0),
        Err(err) => {
            eprintln!("lede: {err:#}");
            ExitCode::from(2)
        }
    }
}
