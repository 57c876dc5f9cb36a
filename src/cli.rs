//! Command-line arguments: clap derive types whose doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Index a folder of articles (.txt, .md, .html, .json, .jsonl).
    Index(IndexArgs),
    /// Search the index and print the best passages.
    Search(SearchArgs),
    /// List the people, organizations and places in the index.
    Entities(EntitiesArgs),
}

/// Where the index lives; every command takes it.
#[derive(Debug, Args)]
pub struct IndexLocation {
    /// The index folder.
    #[arg(
        long = "index",
        value_name = "PATH",
        env = "LEDE_INDEX",
        default_value = "index"
    )]
    pub path: PathBuf,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The folder of articles to index.
    #[arg(value_name = "DIR", default_value = "corpus")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub index: IndexLocation,
    /// Follow symbolic links.
    #[arg(long)]
    pub follow: bool,
    /// Hide the progress bar and the summary line.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the summary as one JSON object on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query: words, "phrases", AND/OR/NOT, +/-, field:term (title:, heading:,
    /// person:, organization: or org:, place:).
    #[arg(value_name = "QUERY", required = true)]
    pub query: Vec<String>,
    #[command(flatten)]
    pub index: IndexLocation,
    /// How many passages to print.
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Only passages of articles that mention this person (repeatable).
    #[arg(long, value_name = "NAME")]
    pub person: Vec<String>,
    /// Only passages of articles that mention this organization (repeatable).
    #[arg(long, value_name = "NAME")]
    pub org: Vec<String>,
    /// Only passages of articles that mention this place (repeatable).
    #[arg(long, value_name = "NAME")]
    pub place: Vec<String>,
    /// Print JSON Lines, one hit a line.
    #[arg(long)]
    pub json: bool,
    /// When to colour the output.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Args)]
pub struct EntitiesArgs {
    #[command(flatten)]
    pub index: IndexLocation,
    /// Only this type of entity.
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub kind: Option<KindArg>,
    /// How many entities to list (0 for all).
    #[arg(short = 'n', long = "limit", value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Print JSON Lines, one entity a line.
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Person,
    #[value(alias = "org")]
    Organization,
    Place,
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
        assert_eq!(args.place, ["Kabul", "Moscow"]);
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
        assert_eq!(args.index.path, PathBuf::from("/tmp/x"));
    }

    #[test]
    fn entity_type_accepts_org_alias() {
        let cli = Cli::try_parse_from(["lede", "entities", "--type", "org"]).expect("valid");
        let Command::Entities(args) = cli.command else {
            panic!("expected entities");
        };
        assert_eq!(args.kind, Some(KindArg::Organization));
    }
}
