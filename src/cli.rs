//! Command-line arguments: clap derive types whose doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::article::Format;
use crate::ner::EntityKind;

/// Search a folder of news articles: ranked passages with the people,
/// organizations and places in them.
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Index a folder of articles (.txt, .md, .html, .json, .jsonl): new and
    /// changed files are indexed, deleted ones removed, the rest left alone.
    Index(IndexArgs),
    /// Index a folder as `lede index` does, then keep indexing it as files are
    /// added, changed, moved or deleted, until stopped (Ctrl-C).
    Watch(WatchArgs),
    /// Add or replace single articles: files, or one article from stdin with `-`.
    Add(AddArgs),
    /// Remove articles from the index, by file path, folder or article id.
    Remove(RemoveArgs),
    /// Search the index and print the best passages.
    Search(SearchArgs),
    /// List the people, organizations and places in the index, with counts that
    /// follow a query and filters.
    Entities(EntitiesArgs),
    /// Show what the index holds: articles, passages, entities, sources, languages, dates, size.
    Stats(StatsArgs),
    /// Serve a search page and a JSON API over HTTP (127.0.0.1:7700 unless
    /// --addr says otherwise), reading the index as new commits land.
    Serve(ServeArgs),
    /// Write every passage as NDJSON for Quickwit or Elasticsearch/OpenSearch
    /// (`--format`), or print the index mapping to create there first (`--mapping`).
    Export(ExportArgs),
    /// Score or run the statistical entity tagger.
    #[command(subcommand)]
    Ner(NerCommand),
}

/// Where the index lives; every command takes it.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// The index folder.
    #[arg(
        id = "index_path",
        long = "index",
        value_name = "PATH",
        env = "LEDE_INDEX",
        default_value = DEFAULT_INDEX,
        value_parser = index_path
    )]
    pub path: PathBuf,
}

/// The index folder when none is given.
pub const DEFAULT_INDEX: &str = "index";

/// An index path; an empty one (`LEDE_INDEX=`) is the default, as if unset.
fn index_path(text: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(if text.is_empty() {
        DEFAULT_INDEX
    } else {
        text
    }))
}

/// A file path that may be empty (`LEDE_ALIASES=`): the empty path stands for none.
fn optional_path(text: &str) -> Result<PathBuf, String> {
    Ok(PathBuf::from(text))
}

/// How a command that writes to the index behaves.
#[derive(Debug, Args)]
pub struct WriteArgs {
    #[command(flatten)]
    pub index: IndexLocation,
    /// Wait for another lede process writing to the index, instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Hide the progress bar and the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
    /// The alias file: names to merge, rename or drop (default: aliases.txt in
    /// the index folder, when there is one). Files read with other rules are
    /// read again.
    #[arg(long, value_name = "FILE", env = "LEDE_ALIASES", value_parser = optional_path)]
    pub aliases: Option<PathBuf>,
}

/// Limits on reading files.
#[derive(Debug, Args)]
pub struct ReadArgs {
    /// Files larger than this fail (bytes, or with a K, M or G suffix).
    #[arg(long, value_name = "SIZE", default_value = "20M", value_parser = parse_size)]
    pub max_size: u64,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The folder of articles to index.
    #[arg(value_name = "DIR", default_value = "corpus")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub write: WriteArgs,
    #[command(flatten)]
    pub read: ReadArgs,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow: bool,
    /// Keep the articles of deleted files.
    #[arg(long)]
    pub no_purge: bool,
    /// Commit after this many changed files (a crash loses at most one batch).
    #[arg(long, value_name = "N", default_value_t = crate::index::writer::DEFAULT_BATCH_FILES as u64, value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: u64,
    /// Memory for the index writer, in MB (15 to 4095).
    #[arg(long, value_name = "MB", default_value_t = (crate::index::writer::DEFAULT_WRITER_MEMORY >> 20) as u64, value_parser = clap::value_parser!(u64).range(15..=4095))]
    pub writer_memory: u64,
    /// Threads reading articles and finding their entities (default: one per core).
    #[arg(short = 'j', long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=256))]
    pub threads: Option<u64>,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub index: IndexArgs,
    /// Index a batch of changes once the folder has been quiet this long (milliseconds).
    #[arg(long, value_name = "MS", default_value_t = 500, value_parser = clap::value_parser!(u64).range(10..=60_000))]
    pub debounce: u64,
    /// Where the folder cannot be watched (the system's limit of watches is
    /// reached, or its file system sends no events), look at it again this
    /// often (seconds).
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub rescan: u64,
    /// Do not wait for file system events: look at the folder every
    /// `--rescan` seconds (for network shares, whose changes send none).
    #[arg(long)]
    pub poll: bool,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Article files, or `-` for one article on stdin.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub write: WriteArgs,
    #[command(flatten)]
    pub read: ReadArgs,
    /// The format of the article on stdin.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Format::Text)]
    pub format: Format,
    /// The title of the article on stdin (replaces the one it gives).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,
    /// The source of the article on stdin.
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// The date of the article on stdin (2024-03-23, "23 March 2024 18:54", ...).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// The URL of the article on stdin.
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
}

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// Paths of article files or folders, or article ids (as `lede search --json` prints them).
    #[arg(value_name = "PATH|ID", required = true)]
    pub targets: Vec<std::ffi::OsString>,
    #[command(flatten)]
    pub write: WriteArgs,
}

/// Parses a size such as `20M`, `512K`, `1G` or `1000`.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size; use e.g. 20M, 512K or 1000000"))?;
    let factor: u64 = match unit.to_ascii_uppercase().trim_end_matches('B') {
        "" => 1,
        "K" => 1 << 10,
        "M" => 1 << 20,
        "G" => 1 << 30,
        _ => return Err(format!("unknown size unit in {text:?}; use K, M or G")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// Filters shared by `search` and `entities`.
#[derive(Debug, Args, Default)]
pub struct FilterArgs {
    /// Only articles that mention this person, by name or alias (repeatable; all must hold).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only articles that mention this organization (repeatable).
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only articles that mention this place (repeatable).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// The person, organization and place filters must hold in the passage itself.
    #[arg(long)]
    pub same_passage: bool,
    /// Only articles published on or after this date: 2024-03-23, 2024-03, 2024, or 7d, 2w, 3m, 1y ago.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only articles published before the end of this date (same forms as --since).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only articles from this source (repeatable: any of them).
    #[arg(long, value_name = "NAME")]
    pub source: Vec<String>,
    /// Only articles in this language, e.g. en or nl (repeatable: any of them).
    #[arg(long, value_name = "CODE")]
    pub lang: Vec<String>,
    /// Only articles whose path matches this glob, e.g. 'bbc/politics/*' (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub path: Vec<String>,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, +/-, "a b"~3, prefix*, word^2,
    /// field:term (title:, heading:, person:, org:, place:) and inline filters
    /// (date:>=2024-01-01, source:NAME, lang:nl, path:GLOB). Without one, the
    /// filters alone choose: `--org ISKP` gives the passages that mention ISKP
    /// (by any of its names); `'*' --org ISKP` every passage of their articles.
    #[arg(value_name = "QUERY", required_unless_present_any = ["queries", "FilterArgs"])]
    pub query: Vec<String>,
    /// Run one query per line of this file (`-` for stdin), labelling each hit
    /// with its query; a query with no hits still gets a line.
    #[arg(long, value_name = "FILE", conflicts_with = "query")]
    pub queries: Option<PathBuf>,
    #[command(flatten)]
    pub index: IndexLocation,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// How many passages to print (0 for all).
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = crate::search::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Skip this many passages first (for the next page).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub offset: usize,
    /// At most this many passages from one article (0: no limit).
    #[arg(long, value_name = "N", default_value_t = crate::search::DEFAULT_PER_ARTICLE)]
    pub per_article: usize,
    /// Print one block per article with its best passages.
    #[arg(long)]
    pub group: bool,
    /// Also show the K passages before and after each hit.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub context: usize,
    /// No typo tolerance: words must match as written (after stemming).
    #[arg(long)]
    pub exact: bool,
    /// Expand the query with the words that weigh most in its best passages
    /// (pseudo-relevance feedback): reorders the hits, costs a second search.
    #[arg(long)]
    pub expand: bool,
    /// How to print the hits: text to read, JSON Lines (one hit a line) or
    /// CSV with a header line.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = Output::Text)]
    pub format: Output,
    /// Short for `--format json`.
    #[arg(long, conflicts_with_all = ["csv", "format"])]
    pub json: bool,
    /// Short for `--format csv`.
    #[arg(long, conflicts_with = "format")]
    pub csv: bool,
    /// When to colour the output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

impl SearchArgs {
    /// The output chosen, by `--format` or its short forms.
    pub fn output(&self) -> Output {
        if self.json {
            Output::Json
        } else if self.csv {
            Output::Csv
        } else {
            self.format
        }
    }
}

/// How search results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// For reading: highlighted passages grouped under their articles.
    Text,
    /// JSON Lines, one hit a line.
    Json,
    /// CSV with a header line.
    Csv,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    /// Count only over the articles that match this query (same syntax as search).
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexLocation,
    #[command(flatten)]
    pub filters: FilterArgs,
    /// List the entities that appear in the same articles as this one.
    #[arg(long, value_name = "NAME", conflicts_with = "timeline")]
    pub with: Option<String>,
    /// Count the articles and passages that mention this entity, per month.
    #[arg(long, value_name = "NAME")]
    pub timeline: Option<String>,
    /// Only this type of entity.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<EntityKind>,
    /// How many entities to list (0 for all).
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Print JSON Lines, one entity a line.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum NerCommand {
    /// Print precision, recall and F1 per type (PER, ORG, LOC) and overall for
    /// CoNLL or UNER files (gold tag in the last column, or the third for UNER).
    Eval(NerEvalArgs),
    /// Tag a file of one token a line (`--format conll`), or find the entities
    /// of an article file or of text on stdin.
    Tag(NerTagArgs),
}

#[derive(Debug, Args)]
pub struct NerEvalArgs {
    /// Labelled files in CoNLL or UNER IOB2 format.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// A model file instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Also score MISC (by default MISC predictions count as O).
    #[arg(long)]
    pub misc: bool,
    /// Which extractor to score: the statistical tagger on the given tokens, or
    /// the rules on the tokens joined into text.
    #[arg(long, value_enum, default_value_t = ExtractorArg::Tagger)]
    pub extractor: ExtractorArg,
    /// The language of the files, which picks the built-in model.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

/// The language whose tagger model is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English (`models/ner-en.bin`).
    En,
    /// Dutch (`models/ner-nl.bin`).
    Nl,
}

impl LangArg {
    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            LangArg::En => "en",
            LangArg::Nl => "nl",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractorArg {
    Tagger,
    Rules,
    /// The tagger's spans named by the rules: what `lede index` uses.
    Hybrid,
}

#[derive(Debug, Args)]
pub struct NerTagArgs {
    /// The input file; stdin when absent or `-`.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// `conll`: one token a line in, `token<TAB>tag` out (the statistical tagger).
    /// `text`: an article or plain text in; out, each entity with its byte
    /// offsets, type, text and canonical name. Offsets count from the start of
    /// a plain-text (UTF-8) input, or of the text read from an HTML, Markdown
    /// or JSON article.
    #[arg(long, value_enum, default_value_t = TagFormat::Text)]
    pub format: TagFormat,
    /// Print the entities as JSON Lines.
    #[arg(long)]
    pub json: bool,
    /// A model file instead of the built-in one.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// Which extractor finds and names the entities (`--format text` only).
    #[arg(long, value_enum, default_value_t = ExtractorArg::Hybrid)]
    pub extractor: ExtractorArg,
    /// The language of the text, which picks the built-in model; by default the
    /// language detected in the text (English for `--format conll`).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TagFormat {
    Conll,
    Text,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["format", "mapping"])))]
pub struct ExportArgs {
    #[command(flatten)]
    pub index: IndexLocation,
    /// Write the passages as NDJSON: one document a line for `quickwit index
    /// ingest`, or action and document lines for Elasticsearch's `_bulk`.
    #[arg(long, value_enum, value_name = "ENGINE", conflicts_with = "mapping")]
    pub format: Option<Engine>,
    /// Print the engine's index mapping (the file in docs/scale-out/) instead.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub mapping: Option<Engine>,
    /// Where to write: a file, or `-` for stdout.
    #[arg(long, value_name = "FILE", default_value = "-")]
    pub out: PathBuf,
    /// Only the articles whose file changed on or after this date (the file's
    /// modification time when it was indexed): 2024-03-23, 2024-03, 2024, or
    /// 7d, 2w, 3m, 1y ago.
    #[arg(long, value_name = "DATE", conflicts_with = "mapping")]
    pub since: Option<String>,
}

/// The search engine an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Engine {
    /// Quickwit (NDJSON documents; an index config in YAML).
    Quickwit,
    /// Elasticsearch or OpenSearch (`_bulk` lines; index settings and mapping in JSON).
    #[value(alias = "opensearch")]
    Elasticsearch,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub index: IndexLocation,
    /// The address to listen on. Anything but a loopback address lets other
    /// machines in: give --token then.
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:7700")]
    pub addr: std::net::SocketAddr,
    /// Require `Authorization: Bearer TOKEN` on every API request (the page asks for it).
    #[arg(long, value_name = "TOKEN", env = "LEDE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Also index this folder and keep indexing it as it changes, as `lede watch` does.
    #[arg(long, value_name = "DIR")]
    pub watch: Option<PathBuf>,
    /// With --watch: look at the folder every 30 s instead of waiting for file system events.
    #[arg(long, requires = "watch")]
    pub poll: bool,
    /// The longest a request may take (seconds) before it is answered with 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[command(flatten)]
    pub index: IndexLocation,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn search_takes_repeated_filters() {
        let cli = Cli::try_parse_from([
            "lede", "search", "embassy", "--place", "Kabul", "--place", "Moscow", "-n", "3",
        ])
        .expect("valid arguments");
        let Command::Search(args) = cli.command else {
            panic!("expected search");
        };
        assert_eq!(args.filters.place, ["Kabul", "Moscow"]);
        assert_eq!(args.limit, 3);
        assert_eq!(args.color, ColorChoice::Auto);
    }

    #[test]
    fn index_defaults_to_corpus_folder() {
        let cli = Cli::try_parse_from(["lede", "index", "--index", "/tmp/x"]).expect("valid");
        let Command::Index(args) = cli.command else {
            panic!("expected index");
        };
        assert_eq!(args.dir, PathBuf::from("corpus"));
        assert_eq!(args.write.index.path, PathBuf::from("/tmp/x"));
        assert_eq!(args.read.max_size, 20 << 20);
        assert!(!args.no_purge);
    }

    #[test]
    fn an_empty_index_path_is_the_default() {
        let cli = Cli::try_parse_from(["lede", "stats", "--index", ""]).expect("valid");
        let Command::Stats(args) = cli.command else {
            panic!("expected stats");
        };
        assert_eq!(args.index.path, PathBuf::from(DEFAULT_INDEX));
    }

    #[test]
    fn sizes_take_k_m_and_g_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("512K"), Ok(512 << 10));
        assert_eq!(parse_size("20MB"), Ok(20 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("12 parsecs").is_err());
        assert!(parse_size("").is_err());
    }

    #[test]
    fn add_reads_stdin_with_overrides() {
        let cli = Cli::try_parse_from([
            "lede",
            "add",
            "-",
            "--format",
            "md",
            "--title",
            "T",
            "--date",
            "2024-03-23",
        ])
        .expect("valid");
        let Command::Add(args) = cli.command else {
            panic!("expected add");
        };
        assert_eq!(args.files, [PathBuf::from("-")]);
        assert_eq!(args.format, Format::Markdown);
        assert_eq!(args.title.as_deref(), Some("T"));
    }

    #[test]
    fn remove_takes_paths_and_ids() {
        let cli = Cli::try_parse_from(["lede", "remove", "a.txt", "c9701fc781a9cf9c", "--wait"])
            .expect("valid");
        let Command::Remove(args) = cli.command else {
            panic!("expected remove");
        };
        assert_eq!(args.targets, ["a.txt", "c9701fc781a9cf9c"]);
        assert!(args.write.wait);
    }

    #[test]
    fn search_output_is_one_choice_with_short_forms() {
        let output = |argv: &[&str]| {
            let cli = Cli::try_parse_from(argv)?;
            let Command::Search(args) = cli.command else {
                panic!("expected search");
            };
            Ok::<Output, clap::Error>(args.output())
        };
        assert_eq!(output(&["lede", "search", "q"]).ok(), Some(Output::Text));
        assert_eq!(
            output(&["lede", "search", "q", "--format", "csv"]).ok(),
            Some(Output::Csv)
        );
        assert_eq!(
            output(&["lede", "search", "q", "--json"]).ok(),
            Some(Output::Json)
        );
        assert_eq!(
            output(&["lede", "search", "q", "--csv"]).ok(),
            Some(Output::Csv)
        );
        assert!(output(&["lede", "search", "q", "--json", "--format", "csv"]).is_err());
        assert!(output(&["lede", "search", "q", "--json", "--csv"]).is_err());
    }

    #[test]
    fn export_takes_a_format_or_a_mapping() {
        let export = |argv: &[&str]| {
            let cli = Cli::try_parse_from(argv)?;
            let Command::Export(args) = cli.command else {
                panic!("expected export");
            };
            Ok::<ExportArgs, clap::Error>(args)
        };
        let args =
            export(&["lede", "export", "--format", "quickwit", "--since", "7d"]).expect("valid");
        assert_eq!(args.format, Some(Engine::Quickwit));
        assert_eq!(args.since.as_deref(), Some("7d"));
        assert_eq!(args.out, PathBuf::from("-"));
        let args = export(&[
            "lede",
            "export",
            "--mapping",
            "opensearch",
            "--out",
            "m.json",
        ])
        .expect("valid");
        assert_eq!(args.mapping, Some(Engine::Elasticsearch));
        assert!(export(&["lede", "export"]).is_err());
        assert!(
            export(&[
                "lede",
                "export",
                "--format",
                "quickwit",
                "--mapping",
                "quickwit"
            ])
            .is_err()
        );
        assert!(export(&["lede", "export", "--mapping", "quickwit", "--since", "2024"]).is_err());
    }

    #[test]
    fn entity_type_accepts_org_alias() {
        let cli = Cli::try_parse_from(["lede", "entities", "--type", "org"]).expect("valid");
        let Command::Entities(args) = cli.command else {
            panic!("expected entities");
        };
        assert_eq!(args.kind, Some(EntityKind::Organization));
    }
}
