//! One function per subcommand: the glue between arguments, the library and the printers.
//!
//! This is where errors get their context; `main` only maps the outcome to an exit code.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};

use indicatif::ProgressBar;

use crate::aliases::Aliases;
use crate::article::Format;
use chrono::{DateTime, Utc};

use crate::cli::{
    AddArgs, Cli, ColorChoice, Command, Engine, EntitiesArgs, ExportArgs, ExtractorArg, FilterArgs,
    IndexArgs, LangArg, NerCommand, NerEvalArgs, NerTagArgs, Output, RemoveArgs, SearchArgs,
    ServeArgs, StatsArgs, TagFormat, WatchArgs, WriteArgs,
};
use crate::error::Error;
use crate::index::Store;
use crate::index::stats::EntityTotals;
use crate::index::writer::{self, Indexer, Options, Overrides, Problem, Summary};
use crate::ner::{EntityExtractor, HybridExtractor, LazyExtractor, RuleExtractor, tagger};
use crate::search::entities::Scope;
use crate::search::filters::parse_period;
use crate::search::{self, Filters, Request};
use crate::watch::{Batch, Changes};
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
    quiet_index_panics();
    match cli.command {
        Command::Index(args) => reading(&args.write.index.path, || index(&args)),
        Command::Watch(args) => reading(&args.index.write.index.path, || watch(&args)),
        Command::Add(args) => reading(&args.write.index.path, || add(&args)),
        Command::Remove(args) => reading(&args.write.index.path, || remove(&args)),
        Command::Search(args) => reading(&args.index.path, || search(&args)),
        Command::Entities(args) => reading(&args.index.path, || entities(&args)),
        Command::Stats(args) => reading(&args.index.path, || stats(&args)),
        Command::Export(args) => reading(&args.index.path, || export(&args)),
        Command::Serve(args) => reading(&args.index.path, || serve(&args)),
        Command::Ner(NerCommand::Eval(args)) => ner_eval(&args),
        Command::Ner(NerCommand::Tag(args)) => ner_tag(&args),
    }
}

/// Set when a panic was raised inside tantivy: what damaged index files cause.
static INDEX_PANICKED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The crates that read index files: tantivy's own and what it reads with.
const INDEX_CRATES: [&str; 3] = ["tantivy", "ownedbytes", "zstd"];

/// Panics inside tantivy are reported by [`reading`] as a damaged index, so
/// they print no backtrace; every other panic prints as usual.
fn quiet_index_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_tantivy = info.location().is_some_and(|l| {
            INDEX_CRATES
                .iter()
                .any(|name| l.file().contains(&format!("/{name}")))
        });
        if in_tantivy {
            INDEX_PANICKED.store(true, std::sync::atomic::Ordering::SeqCst);
        } else {
            default(info);
        }
    }));
}

/// Runs a command that reads the index at `path`, reporting a panic inside
/// tantivy (which damaged segment files can cause) as a damaged index.
fn reading(path: &Path, command: impl FnOnce() -> Result<Outcome>) -> Result<Outcome> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(command)) {
        Ok(outcome) => outcome,
        Err(panic) if INDEX_PANICKED.load(std::sync::atomic::Ordering::SeqCst) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a read failed");
            let mut reason = reason.lines().next().unwrap_or_default().to_string();
            if let Some((cut, _)) = reason.char_indices().nth(200) {
                reason.truncate(cut);
            }
            Err(Error::Damaged {
                path: path.to_path_buf(),
                reason,
            }
            .into())
        }
        Err(panic) => std::panic::resume_unwind(panic),
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

/// Prints a problem with a file as `path: reason` on stderr, above the progress bar.
fn reporter(bar: &ProgressBar) -> impl FnMut(Problem) + '_ {
    move |problem: Problem| {
        bar.suspend(|| eprintln!("{problem}"));
    }
}

fn open_for_writing(args: &WriteArgs) -> Result<Store> {
    Store::open_or_create(&args.index.path)
        .with_context(|| format!("opening the index at {}", args.index.path.display()))
}

/// The alias file's name in the index folder.
const ALIAS_FILE: &str = "aliases.txt";

fn start<'a>(
    store: &'a Store,
    write: &WriteArgs,
    options: Options,
    extractor: &'a LazyExtractor,
    report: &'a mut dyn FnMut(Problem),
) -> Result<Indexer<'a>> {
    // An empty path (`LEDE_ALIASES=`) is no alias file given.
    let given = write.aliases.as_ref().filter(|p| !p.as_os_str().is_empty());
    let aliases = match given {
        Some(path) => Aliases::load(path)?,
        None => {
            let path = store.path.join(ALIAS_FILE);
            if path.is_file() {
                Aliases::load(&path)?
            } else {
                Aliases::default()
            }
        }
    };
    let options = Options {
        wait: write.wait || options.wait,
        aliases,
        ..options
    };
    Indexer::new(store, options, extractor, report)
        .with_context(|| format!("writing to the index at {}", store.path.display()))
}

fn print_summary(write: &WriteArgs, summary: &Summary) -> Result<()> {
    let mut out = io::stdout().lock();
    if write.json {
        printer::print_summary_json(&mut out, summary)?;
    } else if !write.quiet {
        printer::print_summary(&mut out, summary)?;
    }
    out.flush()?;
    Ok(())
}

fn write_outcome(summary: &Summary) -> Outcome {
    if summary.failed > 0 {
        Outcome::IndexedWithFailures
    } else {
        Outcome::Indexed
    }
}

fn index(args: &IndexArgs) -> Result<Outcome> {
    // The model lives until the process ends: freeing its tables would only cost time.
    let extractor: &'static LazyExtractor = Box::leak(Box::default());
    let Some(summary) = index_pass(args, extractor, args.write.quiet, args.write.wait)? else {
        if !args.write.quiet {
            eprintln!(
                "lede: {}: no .txt, .md, .html, .json or .jsonl files; nothing to index",
                args.dir.display()
            );
        }
        return Ok(Outcome::Indexed);
    };
    print_summary(&args.write, &summary)?;
    let read_any = summary.added + summary.updated + summary.unchanged + summary.duplicates > 0;
    if !read_any && summary.removed == 0 && summary.failed > 0 {
        return Err(Error::NothingRead {
            path: args.dir.clone(),
            reason: format!("all {} files failed", summary.failed),
        }
        .into());
    }
    Ok(write_outcome(&summary))
}

/// One pass of `lede index` over the folder: its summary, or `None` when the
/// folder holds no articles and there is no index yet (none is made).
fn index_pass(
    args: &IndexArgs,
    extractor: &LazyExtractor,
    quiet: bool,
    wait: bool,
) -> Result<Option<Summary>> {
    let quiet_bar = ProgressBar::hidden();
    let mut walk_report = reporter(&quiet_bar);
    // An index kept inside the folder is not part of the collection.
    let walk = writer::walk(
        &args.dir,
        args.follow,
        Some(&args.write.index.path),
        &mut walk_report,
    )?;
    let walk_failures = walk.unreadable.len() as u64;
    if walk.files.is_empty()
        && walk_failures == 0
        && !args.write.index.path.join("meta.json").exists()
    {
        return Ok(None);
    }
    let store = open_for_writing(&args.write)?;
    let bar = progress::bar(walk.files.len() as u64, quiet);
    let mut report = reporter(&bar);
    let options = Options {
        max_size: args.read.max_size,
        batch_files: usize::try_from(args.batch_size).unwrap_or(usize::MAX),
        writer_memory: usize::try_from(args.writer_memory << 20).unwrap_or(usize::MAX),
        threads: args
            .threads
            .map_or(Options::default().threads, |n| n as usize),
        wait,
        ..Options::default()
    };
    let mut indexer = start(&store, &args.write, options, extractor, &mut report)?;
    let mut advance = |done: writer::Progress<'_>| progress::advance(&bar, done);
    writer::index_folder(&mut indexer, &walk, &args.dir, !args.no_purge, &mut advance)
        .with_context(|| format!("writing the index at {}", store.path.display()))?;
    let mut summary = indexer
        .finish()
        .with_context(|| format!("writing the index at {}", store.path.display()))?;
    bar.finish_and_clear();
    summary.failed += walk_failures;
    Ok(Some(summary))
}

/// `lede index`, then a pass after every batch of changes, for as long as the
/// process runs. Each pass takes the index's lock only while it writes, and
/// waits for another writer to finish.
fn watch(args: &WatchArgs) -> Result<Outcome> {
    let index = &args.index;
    let extractor: &'static LazyExtractor = Box::leak(Box::default());
    let write = &index.write;
    if !index.dir.is_dir() {
        // Says what the folder is instead.
        index_pass(index, extractor, true, true)?;
    }
    // Watched before the first pass, so nothing changed during it is missed.
    let rescan = Duration::from_secs(args.rescan);
    let (mut changes, error) = if args.poll {
        (
            Changes::poll(&index.dir, Some(&write.index.path), rescan),
            None,
        )
    } else {
        Changes::watch(
            &index.dir,
            Some(&write.index.path),
            Duration::from_millis(args.debounce),
            rescan,
        )
    };
    match error {
        Some(err) => eprintln!(
            "lede: cannot watch {} ({err}); looking at it again every {} s instead \
             (raise the limit with `sysctl fs.inotify.max_user_watches=524288`)",
            index.dir.display(),
            args.rescan
        ),
        None if write.quiet || write.json => {}
        None if args.poll => eprintln!(
            "lede: looking at {} every {} s (Ctrl-C to stop)",
            index.dir.display(),
            args.rescan
        ),
        None => eprintln!(
            "lede: watching {} for changes (Ctrl-C to stop)",
            index.dir.display()
        ),
    }
    if let Some(summary) = index_pass(index, extractor, write.quiet, true)? {
        print_summary(write, &summary)?;
    }
    while let Some(batch) = changes.next_batch() {
        if let Batch::Rescan(why) = &batch {
            eprintln!(
                "lede: {}: {why}; reading the whole folder again, and from now on every {} s as well",
                index.dir.display(),
                args.rescan
            );
        }
        // A folder that was moved away or deleted is reported, and watched for
        // its return; the index keeps what it holds until then.
        match index_pass(index, extractor, true, true) {
            Ok(Some(summary)) if summary.changed() || summary.failed > 0 => {
                print_summary(write, &summary)?;
            }
            Ok(_) => {}
            Err(err) if is_broken_pipe(&err) => return Err(err),
            Err(err) => eprintln!("lede: {err:#}"),
        }
    }
    Ok(Outcome::Indexed)
}

fn add(args: &AddArgs) -> Result<Outcome> {
    let store = open_for_writing(&args.write)?;
    let bar = ProgressBar::hidden();
    // The model lives until the process ends: freeing its tables would only cost time.
    let extractor: &'static LazyExtractor = Box::leak(Box::default());
    let mut report = reporter(&bar);
    let options = Options {
        max_size: args.read.max_size,
        // A few files: look them up rather than read the whole manifest.
        whole_manifest: false,
        ..Options::default()
    };
    let mut indexer = start(&store, &args.write, options, extractor, &mut report)?;
    let overrides = Overrides {
        title: args.title.clone(),
        source: args.source.clone(),
        date: args.date.clone(),
        url: args.url.clone(),
    };
    for file in &args.files {
        if file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .take(args.read.max_size.saturating_add(1))
                .read_to_end(&mut bytes)
                .context("reading the article from stdin")?;
            if bytes.len() as u64 > args.read.max_size {
                anyhow::bail!(
                    "-: larger than the {} byte limit; raise it with --max-size",
                    args.read.max_size
                );
            }
            indexer.index_stdin(&bytes, args.format, &overrides)?;
        } else {
            indexer.index_file(file)?;
        }
    }
    let summary = indexer
        .finish()
        .with_context(|| format!("writing the index at {}", store.path.display()))?;
    print_summary(&args.write, &summary)?;
    if summary.failed > 0
        && summary.added + summary.updated + summary.unchanged + summary.duplicates == 0
    {
        anyhow::bail!("no article could be added");
    }
    Ok(write_outcome(&summary))
}

fn remove(args: &RemoveArgs) -> Result<Outcome> {
    let store = open(&args.write.index.path)?;
    let bar = ProgressBar::hidden();
    // Removing reads no article: the model is never loaded.
    let extractor = LazyExtractor::default();
    let mut report = reporter(&bar);
    let mut indexer = start(
        &store,
        &args.write,
        Options::default(),
        &extractor,
        &mut report,
    )?;
    let mut missing = 0;
    for target in &args.targets {
        if indexer.remove(target)? == 0 {
            missing += 1;
            eprintln!(
                "{}: not in the index (give a path that was indexed, or an article id)",
                Path::new(target).display()
            );
        }
    }
    let mut summary = indexer
        .finish()
        .with_context(|| format!("writing the index at {}", store.path.display()))?;
    summary.failed += missing;
    print_summary(&args.write, &summary)?;
    Ok(write_outcome(&summary))
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

/// The filters of the flags, with dates checked.
fn filters(args: &FilterArgs, now: DateTime<Utc>) -> Result<Filters> {
    let f = Filters {
        person: args.person.clone(),
        organization: args.org.clone(),
        place: args.place.clone(),
        same_passage: args.same_passage,
        source: args.source.clone(),
        lang: args.lang.iter().map(|l| l.to_ascii_lowercase()).collect(),
        path: args.path.clone(),
        ..Filters::default()
    };
    f.dated(args.since.as_deref(), args.until.as_deref(), now)
        .map_err(|(flag, e)| anyhow::anyhow!("--{flag}: {e}"))
}

fn search(args: &SearchArgs) -> Result<Outcome> {
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let now = Utc::now();
    let queries: Vec<(Option<String>, String)> = match &args.queries {
        Some(file) => read_queries(file)?
            .into_iter()
            .map(|l| (Some(l.clone()), l))
            .collect(),
        None => vec![(None, args.query.join(" "))],
    };
    // 0 is no limit, as for `--per-article` and `lede entities -n`.
    let limit = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let mut request = Request {
        limit,
        offset: args.offset,
        filters: filters(&args.filters, now)?,
        exact: args.exact,
        expand: args.expand,
        per_article: args.per_article,
        context: args.context,
        ..Request::new("", limit)
    };
    request.now = now;
    let mut answers: Vec<(Option<String>, Vec<search::Hit>)> = Vec::new();
    for (label, query) in queries {
        request.query = query;
        let outcome = search::run(&store, &searcher, &request)
            .with_context(|| format!("searching {}", args.index.path.display()))?;
        for warning in &outcome.warnings {
            eprintln!("lede: {warning}");
        }
        let hits = outcome
            .hits
            .into_iter()
            .map(|mut h| {
                h.query = label.clone();
                h
            })
            .collect();
        answers.push((label, hits));
    }
    let found = answers.iter().any(|(_, hits)| !hits.is_empty());
    let answers: Vec<printer::Answer> = answers
        .iter()
        .map(|(query, hits)| printer::Answer {
            query: query.as_deref(),
            hits,
        })
        .collect();
    let mut out = io::stdout().lock();
    match args.output() {
        Output::Json => printer::print_hits_json(&mut out, &answers)?,
        Output::Csv => printer::print_hits_csv(&mut out, &answers)?,
        Output::Text => printer::print_hits(&mut out, &answers, use_color(args.color), args.group)?,
    }
    out.flush()?;
    // The process ends here: unmapping every segment file would only cost time.
    std::mem::forget(searcher);
    std::mem::forget(reader);
    std::mem::forget(store);
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

fn serve(args: &ServeArgs) -> Result<Outcome> {
    let addr = args.addr;
    if !addr.ip().is_loopback() {
        let guard = if args.token.is_some() {
            "every API request needs the token"
        } else {
            "the API has no authentication: give --token"
        };
        eprintln!("lede: warning: listening on {addr}, which other machines can reach; {guard}");
    }
    let failed: Arc<Mutex<Option<anyhow::Error>>> = Arc::default();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    if let Some(dir) = &args.watch {
        let watching = watch_args(dir, &args.index.path, args.poll)?;
        let failed = failed.clone();
        std::thread::Builder::new()
            .name("watch".into())
            .spawn(move || {
                let path = watching.index.write.index.path.clone();
                if let Err(err) = reading(&path, || watch(&watching))
                    && let Ok(mut failed) = failed.lock()
                {
                    *failed = Some(err);
                }
                let _ = stop.send(());
            })
            .context("cannot start watching")?;
    }
    let config = crate::serve::Config {
        index: args.index.path.clone(),
        addr,
        token: args.token.clone(),
        timeout: Duration::from_secs(args.timeout),
    };
    let index = args.index.path.clone();
    crate::serve::run(
        config,
        |bound| {
            eprintln!(
                "lede: serving {} at http://{bound}/ (Ctrl-C to stop)",
                index.display()
            );
        },
        async move {
            // Only a watch that ended stops the server; without one, Ctrl-C does.
            if stopped.await.is_err() {
                std::future::pending::<()>().await;
            }
        },
    )?;
    if let Some(err) = failed.lock().ok().and_then(|mut f| f.take()) {
        return Err(err);
    }
    Ok(Outcome::Found)
}

/// The arguments of `lede watch DIR --index INDEX`, with its defaults for the rest.
fn watch_args(dir: &Path, index: &Path, poll: bool) -> Result<WatchArgs> {
    use clap::{Args, FromArgMatches};
    let mut argv: Vec<std::ffi::OsString> = vec!["watch".into(), "--index".into()];
    argv.push(index.as_os_str().to_owned());
    if poll {
        argv.push("--poll".into());
    }
    argv.push("--".into());
    argv.push(dir.as_os_str().to_owned());
    let matches =
        WatchArgs::augment_args(clap::Command::new("watch")).try_get_matches_from(argv)?;
    Ok(WatchArgs::from_arg_matches(&matches)?)
}

/// Where `lede export` writes: stdout for `-`, else the file (created or truncated).
fn output(path: &Path) -> Result<Box<dyn Write>> {
    Ok(if path.as_os_str() == "-" {
        Box::new(io::BufWriter::new(io::stdout().lock()))
    } else {
        let file = std::fs::File::create(path)
            .with_context(|| format!("{}: cannot create it", path.display()))?;
        Box::new(io::BufWriter::with_capacity(1 << 16, file))
    })
}

fn export(args: &ExportArgs) -> Result<Outcome> {
    let writing = || format!("writing {}", args.out.display());
    if let Some(engine) = args.mapping {
        let mapping = match engine {
            Engine::Quickwit => printer::QUICKWIT_MAPPING,
            Engine::Elasticsearch => printer::ELASTICSEARCH_MAPPING,
        };
        let mut out = output(&args.out)?;
        out.write_all(mapping.as_bytes()).with_context(writing)?;
        out.flush().with_context(writing)?;
        return Ok(Outcome::Found);
    }
    let Some(engine) = args.format else {
        anyhow::bail!("give --format quickwit|elasticsearch, or --mapping to print a mapping");
    };
    let since_ms = match &args.since {
        Some(since) => {
            let p = parse_period(since, Utc::now()).map_err(|e| anyhow::anyhow!("--since: {e}"))?;
            Some(p.start.saturating_mul(1000))
        }
        None => None,
    };
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let export = crate::index::export::Export::open(&store, &searcher, since_ms)
        .with_context(|| format!("reading the index at {}", args.index.path.display()))?;
    // The file is created only once the index has opened.
    let mut out = output(&args.out)?;
    let exported = export.for_each_article(|passages| -> Result<()> {
        for passage in passages {
            match engine {
                Engine::Quickwit => printer::write_quickwit(&mut out, passage),
                Engine::Elasticsearch => printer::write_elasticsearch(&mut out, passage),
            }
            .with_context(writing)?;
        }
        Ok(())
    })?;
    out.flush().with_context(writing)?;
    Ok(if exported > 0 {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

/// The most of a `--queries` file read: the rest is left with a warning.
const MAX_QUERIES_BYTES: u64 = 64 << 20;

/// Reads a `--queries` file: one query a line, a line longer than a query may
/// be skipped, and at most [`MAX_QUERIES_BYTES`] read, each with a warning, so
/// a huge file or a device such as `/dev/zero` cannot exhaust memory.
fn read_queries(file: &Path) -> Result<Vec<String>> {
    use std::io::BufRead;
    let context = || format!("{}: cannot read the queries", file.display());
    let input: Box<dyn Read> = if file.as_os_str() == "-" {
        Box::new(io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(file).with_context(context)?)
    };
    let mut reader = io::BufReader::new(input.take(MAX_QUERIES_BYTES));
    let max_line = search::query::MAX_QUERY_BYTES as u64;
    let mut queries = Vec::new();
    let mut line = Vec::new();
    for number in 1.. {
        line.clear();
        let read = (&mut reader)
            .take(max_line + 1)
            .read_until(b'\n', &mut line)
            .with_context(context)?;
        if read == 0 {
            break;
        }
        if line.len() as u64 > max_line && line.last() != Some(&b'\n') {
            reader.skip_until(b'\n').with_context(context)?;
            eprintln!(
                "lede: {}: line {number} is longer than {max_line} bytes; skipped it",
                file.display()
            );
            continue;
        }
        let text = std::str::from_utf8(&line).map_err(|_| {
            anyhow::anyhow!(
                "{}: line {number} is not UTF-8 text; give one query a line",
                file.display()
            )
        })?;
        let text = text.trim();
        if text.contains('\0') {
            eprintln!(
                "lede: {}: line {number} holds NUL bytes; searched it with spaces in their place",
                file.display()
            );
        }
        let text = text.replace('\0', " ");
        let text = text.trim();
        if !text.is_empty() {
            queries.push(text.to_string());
        }
    }
    if reader.into_inner().limit() == 0 {
        eprintln!(
            "lede: {}: longer than {} MB; read the queries of its first {} MB",
            file.display(),
            MAX_QUERIES_BYTES >> 20,
            MAX_QUERIES_BYTES >> 20
        );
    }
    Ok(queries)
}

fn entities(args: &EntitiesArgs) -> Result<Outcome> {
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let now = Utc::now();
    let kind = args.kind;
    let filters = filters(&args.filters, now)?;
    let mention = args.with.as_deref().or(args.timeline.as_deref());
    let (scope, warnings) = search::scope(
        &store,
        &searcher,
        &args.query.join(" "),
        &filters,
        mention,
        now,
    )
    .with_context(|| format!("counting entities in {}", args.index.path.display()))?;
    for warning in &warnings {
        eprintln!("lede: {warning}");
    }
    let context = || format!("counting entities in {}", args.index.path.display());
    let mut out = io::stdout().lock();
    let found = if let (Some(name), Some(query)) = (&args.timeline, &scope) {
        let months =
            search::entities::timeline(&store, &searcher, &**query, name).with_context(context)?;
        if args.json {
            printer::print_json(&mut out, &months)?;
        } else if !months.is_empty() {
            printer::print_timeline(&mut out, &months)?;
        }
        !months.is_empty()
    } else {
        let rows = search::entities::list(
            &store,
            &searcher,
            &Scope {
                query: scope.as_deref(),
                kind,
                except: args.with.clone(),
            },
            args.limit,
        )
        .with_context(context)?;
        if args.json {
            printer::print_entities_json(&mut out, &rows)?;
        } else if !rows.is_empty() {
            printer::print_entities(&mut out, &rows)?;
        }
        let found = !rows.is_empty();
        // The process ends soon: freeing every row would only cost time.
        std::mem::forget(rows);
        found
    };
    out.flush()?;
    if let Some(name) = mention
        && !found
        && !search::entities::is_mentioned(&store, &searcher, name).with_context(context)?
    {
        eprintln!("lede: no article mentions {name:?}; `lede entities` lists the names");
    }
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}

fn stats(args: &StatsArgs) -> Result<Outcome> {
    let store = open(&args.index.path)?;
    let reader = store.reader()?;
    let searcher = reader.searcher();
    let context = || format!("reading {}", args.index.path.display());
    let everything = Scope {
        query: None,
        kind: None,
        except: None,
    };
    let listed = search::entities::list(&store, &searcher, &everything, 0).with_context(context)?;
    let entities = EntityTotals::of(listed.iter().map(|row| row.kind));
    let stats = crate::index::stats::read(&store, &searcher, entities).with_context(context)?;
    let mut out = io::stdout().lock();
    if args.json {
        printer::print_json(&mut out, &[&stats])?;
    } else {
        printer::print_stats(&mut out, &stats)?;
    }
    out.flush()?;
    Ok(Outcome::Found)
}

/// The tagger model at `path`, or the embedded one for `language`.
fn tagger_model(path: Option<&std::path::Path>, language: &str) -> Result<tagger::Model> {
    match path {
        None => Ok(tagger::embedded_for(language)),
        Some(path) => {
            let bytes = std::fs::read(path)
                .with_context(|| format!("{}: cannot read the model", path.display()))?;
            tagger::Model::from_bytes(&bytes)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
        }
    }
}

/// Reads the input of `lede ner tag`, at most the default file size limit.
fn read_input(file: Option<&std::path::Path>) -> Result<Vec<u8>> {
    let limit = writer::DEFAULT_MAX_SIZE;
    let mut bytes = Vec::new();
    let name = match file {
        Some(path) if path.as_os_str() != "-" => {
            std::fs::File::open(path)
                .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
                .with_context(|| format!("{}: cannot read it", path.display()))?;
            path.display().to_string()
        }
        _ => {
            io::stdin()
                .lock()
                .take(limit + 1)
                .read_to_end(&mut bytes)
                .context("reading stdin")?;
            "-".to_string()
        }
    };
    if bytes.len() as u64 > limit {
        anyhow::bail!("{name}: larger than {} MB; tag it in parts", limit >> 20);
    }
    Ok(bytes)
}

/// What `lede ner eval` scores: the tagger on the given tokens, or an
/// extractor on the tokens joined into text.
enum Scored {
    Tokens(Box<tagger::Model>),
    Text(Box<dyn EntityExtractor>),
}

fn ner_eval(args: &NerEvalArgs) -> Result<Outcome> {
    // Only the extractor being scored is loaded.
    let scored = match args.extractor {
        ExtractorArg::Tagger => Scored::Tokens(Box::new(tagger_model(
            args.model.as_deref(),
            args.lang.code(),
        )?)),
        choice => Scored::Text(extractor(choice, args.model.as_deref(), args.lang.code())?),
    };
    let (mut gold, mut pred) = (Vec::new(), Vec::new());
    for file in &args.files {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("{}: cannot read it as UTF-8 text", file.display()))?;
        let docs =
            tagger::conll::read(&text).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        for doc in &docs {
            let tokens: Vec<Vec<&str>> = doc
                .sentences
                .iter()
                .map(|s| s.tokens.iter().map(String::as_str).collect())
                .collect();
            match &scored {
                Scored::Tokens(model) => pred.extend(model.tag_document(&tokens)),
                Scored::Text(extractor) => pred.extend(tagger::extract::extractor_tags(
                    &**extractor,
                    doc,
                    args.lang.code(),
                )),
            }
            gold.extend(doc.sentences.iter().map(|s| s.tags.clone()));
        }
    }
    if !args.misc {
        for tags in gold.iter_mut().chain(pred.iter_mut()) {
            for tag in tags.iter_mut() {
                if tag.kind() == Some(tagger::Kind::Misc) {
                    *tag = tagger::Tag::O;
                }
            }
        }
    }
    let mut out = io::stdout().lock();
    writeln!(out, "{}", tagger::evaluate(&gold, &pred))?;
    out.flush()?;
    Ok(Outcome::Found)
}

#[derive(serde::Serialize)]
struct TaggedEntity<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
    text: &'a str,
    /// The canonical name.
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<&'a crate::ner::Geo>,
}

/// The extractor `lede ner tag` and `lede ner eval` load for text in
/// `language`, and nothing more.
fn extractor(
    choice: ExtractorArg,
    model: Option<&Path>,
    language: &str,
) -> Result<Box<dyn EntityExtractor>> {
    Ok(match choice {
        ExtractorArg::Tagger => Box::new(tagger_model(model, language)?),
        ExtractorArg::Rules => Box::new(RuleExtractor::embedded()),
        ExtractorArg::Hybrid => Box::new(HybridExtractor::new(
            tagger_model(model, language)?,
            RuleExtractor::embedded(),
        )),
    })
}

fn ner_tag(args: &NerTagArgs) -> Result<Outcome> {
    let bytes = read_input(args.file.as_deref())?;
    let mut out = io::stdout().lock();
    if args.format == TagFormat::Conll {
        let model = tagger_model(args.model.as_deref(), args.lang.map_or("en", LangArg::code))?;
        let text = String::from_utf8_lossy(&bytes);
        out.write_all(tagger::conll::tag_lines(&model, &text).as_bytes())?;
        out.flush()?;
        return Ok(Outcome::Found);
    }
    // Plain UTF-8 text is tagged as it is, so offsets count from its first
    // byte; an article in another format is read first.
    let format = args
        .file
        .as_deref()
        .and_then(Format::from_path)
        .unwrap_or(Format::Text);
    let texts: Vec<(String, String)> = match std::str::from_utf8(&bytes) {
        Ok(text) if format == Format::Text => {
            vec![(text.to_string(), crate::article::detect_language(text))]
        }
        _ => {
            let path = args.file.clone().unwrap_or_else(|| "-".into());
            crate::article::read_bytes(&bytes, format, &path, None)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?
                .articles
                .iter()
                .map(|article| {
                    (
                        crate::passage::split(article).text,
                        article.language.clone(),
                    )
                })
                .collect()
        }
    };
    // `--lang` settles the model; otherwise each text's detected language does.
    let mut extractors: Vec<(String, Box<dyn EntityExtractor>)> = Vec::new();
    let mut found = false;
    for (text, detected) in &texts {
        let dutch = match args.lang {
            Some(lang) => lang == LangArg::Nl,
            None => detected == "nl",
        };
        let language = if dutch { "nl" } else { "en" };
        if !extractors.iter().any(|(l, _)| l == language) {
            let e = extractor(args.extractor, args.model.as_deref(), language)?;
            extractors.push((language.to_string(), e));
        }
        let Some((_, extractor)) = extractors.iter().find(|(l, _)| l == language) else {
            continue;
        };
        for e in extractor.extract_in(text, language) {
            found = true;
            let entity = TaggedEntity {
                kind: e.kind.as_str(),
                start: e.start,
                end: e.end,
                text: text.get(e.start..e.end).unwrap_or(""),
                name: &e.canonical,
                geo: e.geo.as_ref(),
            };
            if args.json {
                printer::print_json(&mut out, &[&entity])?;
            } else {
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    entity.start, entity.end, entity.kind, entity.text, entity.name
                )?;
            }
        }
    }
    out.flush()?;
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::NotFound
    })
}
