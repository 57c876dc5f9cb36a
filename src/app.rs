//! One function per subcommand: the glue between arguments, the library and the printers.
//!
//! This is where errors get their context; `main` only maps the outcome to an exit code.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{Cli, ColorChoice, Command, EntitiesArgs, IndexArgs, KindArg, SearchArgs};
use crate::error::Error;
use crate::index::writer::{self, Options, Problem};
use crate::index::Store;
use crate::ner::{EntityKind, RuleExtractor};
use crate::search::{self, Filters, Request};
use crate::{printer, progress};

/// How a command ended, for the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A search or listing with results.
    Found,
    /// A search or listing with no results.
    NotFound,
    /// An indexing run in which every file was indexed.
    Indexed,
    /// An indexing run that completed, with some files failed.
    IndexedWithFailures,
}

/// Runs the command.
pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Index(args) => index(&args),
        Command::Search(args) => search(&args),
        Command::Entities(args) => entities(&args),
    }
}

/// True when the error is a closed stdout (`lede search x | head`), which is not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn open(path: &Path) -> Result<Store> {
    Store::open(path).with_context(|| format!("opening the index at {}", path.display()))
}

fn index(args: &IndexArgs) -> Result<Outcome> {
    let options = Options {
        dir: args.dir.clone(),
        follow: args.follow,
    };
    let mut walk_failures = 0;
    let mut report = |problem: Problem| {
        if problem.failed {
            walk_failures += 1;
        }
        eprintln!("{}: {}", problem.path.display(), problem.reason);
    };
    let files = writer::collect_files(&options, &mut report)?;
    let store = Store::open_or_create(&args.index.path)
        .with_context(|| format!("opening the index at {}", args.index.path.display()))?;
    let bar = progress::bar(files.len() as u64, args.quiet);
    let extractor = RuleExtractor::embedded();
    let mut summary = writer::run(&store, &files, &extractor, &bar, &mut |problem| {
        bar.suspend(|| eprintln!("{}: {}", problem.path.display(), problem.reason));
    })
    .with_context(|| format!("writing the index at {}", args.index.path.display()))?;
    bar.finish_and_clear();
    summary.failed += walk_failures;
    let mut out = io::stdout().lock();
    if args.json {
        printer::print_summary_json(&mut out, &summary)?;
    } else if !args.quiet {
        printer::print_summary(&mut out, &summary)?;
    }
    out.flush()?;
    if summary.added == 0 && (summary.failed > 0 || files.is_empty()) {
        let reason = if files.is_empty() {
            "no .txt, .md, .html, .json or .jsonl files found".to_string()
        } else {
            format!("all {} files failed", summary.failed)
        };
        return Err(Error::NothingRead {
            path: args.dir.clone(),
            reason,
        }
        .into());
    }
    Ok(if summary.failed > 0 {
        Outcome::IndexedWithFailures
    } else {
        Outcome::Indexed
    })
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    }
}

fn search(args: &SearchArgs) -> Result<Outcome> {
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let request = Request {
        query: args.query.join(" "),
        limit: args.limit,
        filters: Filters {
            person: args.person.clone(),
            organization: args.org.clone(),
            place: args.place.clone(),
        },
    };
    let outcome = search::run(&store, &searcher, &request)
        .with_context(|| format!("searching {}", args.index.path.display()))?;
    for warning in &outcome.warnings {
        eprintln!("lede: {warning}");
    }
    let mut out = io::stdout().lock();
    if args.json {
        printer::print_hits_json(&mut out, &outcome.hits)?;
    } else {
        printer::print_hits(&mut out, &outcome.hits, use_color(args.color))?;
    }
    out.flush()?;
    Ok(if outcome.hits.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}

fn entities(args: &EntitiesArgs) -> Result<Outcome> {
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let kind = args.kind.map(|k| match k {
        KindArg::Person => EntityKind::Person,
        KindArg::Organization => EntityKind::Organization,
        KindArg::Place => EntityKind::Place,
    });
    let rows = search::entities::list(&store, &reader.searcher(), kind, args.limit)
        .with_context(|| format!("counting entities in {}", args.index.path.display()))?;
    let mut out = io::stdout().lock();
    if args.json {
        printer::print_entities_json(&mut out, &rows)?;
    } else if !rows.is_empty() {
        printer::print_entities(&mut out, &rows)?;
    }
    out.flush()?;
    Ok(if rows.is_empty() {
        Outcome::NotFound
    } else {
        Outcome::Found
    })
}
