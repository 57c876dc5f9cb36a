//! Human output: hits with highlighted passages, entity tables and the run summary line.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::Answer;
use crate::index::stats::Stats;
use crate::index::writer::Summary;
use crate::search::Hit;
use crate::search::entities::{EntityCount, MonthCount};

const TITLE: Style = Style::new().bold();
const META: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const HEADING: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const MATCH: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const DIM: Style = Style::new().dimmed();

struct Paint(bool);

impl Paint {
    fn write(&self, out: &mut dyn Write, style: Style, text: &str) -> io::Result<()> {
        if self.0 {
            write!(out, "{style}{text}{style:#}")
        } else {
            out.write_all(text.as_bytes())
        }
    }
}

/// Prints hits as blocks: rank and title; source · date · path; heading; passage; entities.
///
/// With `group`, the hits of one article are printed together under one title,
/// in the order of the article's best hit. In a batch, a `== query ==` line
/// opens the hits of each query, and a query with no hits says so.
pub fn print_hits(
    out: &mut dyn Write,
    answers: &[Answer<'_>],
    color: bool,
    group: bool,
) -> io::Result<()> {
    let paint = Paint(color);
    // Blocks and query lines are parted by a blank line; a block follows its
    // query line directly.
    let mut written = false;
    for answer in answers {
        let mut after_query = false;
        if let Some(query) = answer.query {
            if written {
                writeln!(out)?;
            }
            writeln!(out, "== {query} ==")?;
            if answer.hits.is_empty() {
                paint.write(out, DIM, "no hits")?;
                writeln!(out)?;
            }
            (written, after_query) = (true, true);
        }
        for block in blocks(answer.hits, group) {
            if written && !after_query {
                writeln!(out)?;
            }
            (written, after_query) = (true, false);
            print_block(out, &paint, &block)?;
        }
    }
    Ok(())
}

/// The hits one block each, or with `group` the hits of each article together.
fn blocks(hits: &[Hit], group: bool) -> Vec<Vec<&Hit>> {
    if !group {
        return hits.iter().map(|h| vec![h]).collect();
    }
    let mut order: Vec<Vec<&Hit>> = Vec::new();
    for hit in hits {
        match order.iter_mut().find(|b| b[0].article.id == hit.article.id) {
            Some(block) => block.push(hit),
            None => order.push(vec![hit]),
        }
    }
    order
}

/// One article's block: rank and title, the meta line, then each hit's passages.
fn print_block(out: &mut dyn Write, paint: &Paint, block: &[&Hit]) -> io::Result<()> {
    let first = block[0];
    write!(out, "{}. ", first.rank)?;
    paint.write(out, TITLE, &first.article.title)?;
    writeln!(out)?;
    let date = first
        .article
        .published
        .as_deref()
        .map(|d| d.get(..10).unwrap_or(d))
        .or(first.article.date_text.as_deref());
    let byline = first.article.author.as_deref().map(|a| format!("by {a}"));
    let meta: Vec<&str> = [
        first.article.source.as_deref(),
        date,
        byline.as_deref(),
        Some(&first.article.path),
    ]
    .into_iter()
    .flatten()
    .collect();
    write!(out, "   ")?;
    paint.write(out, META, &meta.join(" · "))?;
    writeln!(out)?;
    for (j, hit) in block.iter().enumerate() {
        if j > 0 {
            write!(out, "   ")?;
            paint.write(out, DIM, &format!("── {}.", hit.rank))?;
            writeln!(out)?;
        }
        print_passages(out, paint, hit)?;
    }
    Ok(())
}

/// A hit's heading and passage, with its neighbours when context was asked for, and its entities.
fn print_passages(out: &mut dyn Write, paint: &Paint, hit: &Hit) -> io::Result<()> {
    let mut heading = None;
    let mut show_heading = |out: &mut dyn Write, h: &Option<String>| -> io::Result<()> {
        if h.is_some() && *h != heading {
            heading = h.clone();
            write!(out, "   ")?;
            paint.write(out, HEADING, &format!("§ {}", h.as_deref().unwrap_or("")))?;
            writeln!(out)?;
        }
        Ok(())
    };
    for n in hit.context.iter().filter(|n| n.index < hit.passage.index) {
        show_heading(out, &n.heading)?;
        write_dim(out, paint, &n.text)?;
    }
    show_heading(out, &hit.passage.heading)?;
    write_passage(out, paint, &hit.passage.text, &hit.passage.highlights)?;
    for n in hit.context.iter().filter(|n| n.index > hit.passage.index) {
        show_heading(out, &n.heading)?;
        write_dim(out, paint, &n.text)?;
    }
    let e = &hit.entities;
    let groups: Vec<String> = [
        ("person", &e.person),
        ("organization", &e.organization),
        ("place", &e.place),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(label, names)| format!("{label}: {}", names.join(", ")))
    .collect();
    if !groups.is_empty() {
        write!(out, "   ")?;
        paint.write(out, DIM, &groups.join(" · "))?;
        writeln!(out)?;
    }
    Ok(())
}

fn write_dim(out: &mut dyn Write, paint: &Paint, text: &str) -> io::Result<()> {
    for line in text.split('\n') {
        if line.is_empty() {
            writeln!(out)?;
        } else {
            write!(out, "   ")?;
            paint.write(out, DIM, line)?;
            writeln!(out)?;
        }
    }
    Ok(())
}

fn write_passage(
    out: &mut dyn Write,
    paint: &Paint,
    text: &str,
    highlights: &[[usize; 2]],
) -> io::Result<()> {
    let mut line_start = true;
    let mut at = 0;
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    for &[start, end] in highlights {
        if let (Some(before), Some(matched)) = (text.get(at..start), text.get(start..end)) {
            pieces.push((before, false));
            pieces.push((matched, true));
            at = end;
        }
    }
    pieces.push((text.get(at..).unwrap_or(""), false));
    for (piece, matched) in pieces {
        for (i, part) in piece.split('\n').enumerate() {
            if i > 0 {
                writeln!(out)?;
                line_start = true;
            }
            if part.is_empty() {
                continue;
            }
            if line_start {
                write!(out, "   ")?;
                line_start = false;
            }
            if matched {
                paint.write(out, MATCH, part)?;
            } else {
                out.write_all(part.as_bytes())?;
            }
        }
    }
    writeln!(out)
}

/// Prints entities as a table: type, articles, passages, name and aliases.
pub fn print_entities(out: &mut dyn Write, entities: &[EntityCount]) -> io::Result<()> {
    writeln!(
        out,
        "{:<13}{:>9}{:>9}  NAME",
        "TYPE", "ARTICLES", "PASSAGES"
    )?;
    for e in entities {
        write!(
            out,
            "{:<13}{:>9}{:>9}  {}",
            e.kind.as_str(),
            e.articles,
            e.passages,
            e.name
        )?;
        if !e.aliases.is_empty() {
            write!(out, " (also: {})", e.aliases.join(", "))?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// Prints mentions per month as a table.
pub fn print_timeline(out: &mut dyn Write, months: &[MonthCount]) -> io::Result<()> {
    writeln!(out, "{:<9}{:>9}{:>9}", "MONTH", "ARTICLES", "PASSAGES")?;
    for m in months {
        writeln!(out, "{:<9}{:>9}{:>9}", m.month, m.articles, m.passages)?;
    }
    Ok(())
}

/// Prints the stats of an index, one fact a line.
pub fn print_stats(out: &mut dyn Write, s: &Stats) -> io::Result<()> {
    let list = |items: &[crate::index::stats::Count]| {
        items
            .iter()
            .map(|c| format!("{} ({})", c.name.as_deref().unwrap_or("(none)"), c.articles))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let day = |d: &Option<String>| d.as_deref().map(|d| d.get(..10).unwrap_or(d).to_string());
    writeln!(out, "articles      {}", s.articles)?;
    writeln!(out, "passages      {}", s.passages)?;
    writeln!(
        out,
        "entities      {} people, {} organizations, {} places",
        s.entities.person, s.entities.organization, s.entities.place
    )?;
    writeln!(out, "sources       {}", list(&s.sources))?;
    writeln!(out, "languages     {}", list(&s.languages))?;
    match (day(&s.first_published), day(&s.last_published)) {
        (Some(first), Some(last)) => writeln!(
            out,
            "dates         {first} to {last} ({} undated)",
            s.undated
        )?,
        _ => writeln!(out, "dates         none ({} undated)", s.undated)?,
    }
    writeln!(out, "size on disk  {:.1} MB", s.bytes as f64 / 1_048_576.0)?;
    writeln!(
        out,
        "last update   {}",
        s.updated.as_deref().unwrap_or("unknown")
    )?;
    writeln!(
        out,
        "entity model  {}",
        s.model.as_deref().unwrap_or("unknown")
    )
}

/// One line closing an indexing run.
pub fn print_summary(out: &mut dyn Write, s: &Summary) -> io::Result<()> {
    let entities = match s.entities {
        Some(n) => format!(", {n} entit{}", if n == 1 { "y" } else { "ies" }),
        None => String::new(),
    };
    let totals = format!(
        "index holds {} article{}, {} passage{}{entities}",
        s.articles,
        plural(s.articles),
        s.passages,
        plural(s.passages),
    );
    if !s.changed() && s.failed == 0 {
        let dups = if s.duplicates > 0 {
            format!(" ({} duplicate{})", s.duplicates, plural(s.duplicates))
        } else {
            String::new()
        };
        return writeln!(
            out,
            "nothing to do: {} file{} unchanged{dups}; {totals}",
            s.unchanged,
            plural(s.unchanged)
        );
    }
    writeln!(
        out,
        "{} added, {} updated, {} removed, {} unchanged, {} duplicate{}, {} failed in {:.2}s; {totals}",
        s.added,
        s.updated,
        s.removed,
        s.unchanged,
        s.duplicates,
        plural(s.duplicates),
        s.failed,
        s.seconds
    )
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::EntityKind;
    use crate::search::{ArticleInfo, EntityLists, PassageInfo};

    fn hit() -> Hit {
        Hit {
            rank: 1,
            score: 2.5,
            article: ArticleInfo {
                id: "abc".into(),
                path: "corpus/a.txt".into(),
                title: "A title".into(),
                source: Some("NOS News".into()),
                published: Some("2024-03-22T18:54:00+00:00".into()),
                date_text: Some("Yesterday, 6:54 PM".into()),
                url: None,
                author: None,
                language: "en".into(),
            },
            passage: PassageInfo {
                index: 3,
                heading: Some("What is ISIS-K?".into()),
                text: "ISIS-K is a branch.\n\nIt is active in Kabul.".into(),
                highlights: vec![[0, 4], [37, 42]],
            },
            entities: EntityLists {
                person: vec![],
                organization: vec!["ISIS-K".into()],
                place: vec!["Kabul".into()],
            },
            context: Vec::new(),
            query: None,
        }
    }

    fn single(hits: &[Hit]) -> [Answer<'_>; 1] {
        [Answer { query: None, hits }]
    }

    #[test]
    fn plain_hit_block_shows_meta_heading_passage_and_entities() {
        let mut out = Vec::new();
        print_hits(&mut out, &single(&[hit()]), false, false).expect("write to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "1. A title\n   NOS News · 2024-03-22 · corpus/a.txt\n   § What is ISIS-K?\n   ISIS-K is a branch.\n\n   It is active in Kabul.\n   organization: ISIS-K · place: Kabul\n"
        );
    }

    #[test]
    fn grouped_hits_share_one_title_block() {
        let mut second = hit();
        second.rank = 2;
        second.passage.heading = None;
        second.passage.text = "Another passage.".into();
        second.passage.highlights.clear();
        second.entities = EntityLists::default();
        let mut out = Vec::new();
        print_hits(&mut out, &single(&[hit(), second]), false, true).expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert_eq!(text.matches("A title").count(), 1, "{text}");
        assert!(text.contains("   ── 2.\n   Another passage.\n"), "{text}");
    }

    #[test]
    fn batch_hits_are_labelled_with_their_query() {
        let mut a = hit();
        a.query = Some("isis".into());
        let mut b = hit();
        b.query = Some("kabul".into());
        let (a, b) = ([a], [b]);
        let answers = [
            Answer {
                query: Some("isis"),
                hits: &a,
            },
            Answer {
                query: Some("nothing"),
                hits: &[],
            },
            Answer {
                query: Some("kabul"),
                hits: &b,
            },
        ];
        let mut out = Vec::new();
        print_hits(&mut out, &answers, false, false).expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("== isis ==\n1. A title"), "{text}");
        assert!(
            text.contains("\n\n== nothing ==\nno hits\n\n== kabul ==\n1. A title"),
            "{text}"
        );
    }

    #[test]
    fn context_passages_surround_the_hit() {
        let mut h = hit();
        h.context = vec![
            crate::search::Neighbour {
                index: 2,
                heading: None,
                text: "Before.".into(),
            },
            crate::search::Neighbour {
                index: 4,
                heading: Some("What is ISIS-K?".into()),
                text: "After.".into(),
            },
        ];
        let mut out = Vec::new();
        print_hits(&mut out, &single(&[h]), false, false).expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        let (before, hit_at, after) = (
            text.find("Before.").expect("before"),
            text.find("ISIS-K is a branch").expect("hit"),
            text.find("After.").expect("after"),
        );
        assert!(before < hit_at && hit_at < after, "{text}");
        assert_eq!(text.matches("§ What is ISIS-K?").count(), 1, "{text}");
    }

    #[test]
    fn colored_hit_marks_the_highlights() {
        let mut out = Vec::new();
        print_hits(&mut out, &single(&[hit()]), true, false).expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(&format!("{MATCH}ISIS{MATCH:#}")));
        assert!(text.contains(&format!("{MATCH}Kabul{MATCH:#}")));
    }

    #[test]
    fn summary_says_when_nothing_changed() {
        let mut out = Vec::new();
        let s = Summary {
            unchanged: 3,
            articles: 3,
            passages: 9,
            entities: Some(1),
            ..Summary::default()
        };
        print_summary(&mut out, &s).expect("write to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "nothing to do: 3 files unchanged; index holds 3 articles, 9 passages, 1 entity\n"
        );
    }

    #[test]
    fn summary_counts_every_kind_of_change() {
        let mut out = Vec::new();
        let s = Summary {
            added: 2,
            updated: 1,
            removed: 1,
            unchanged: 5,
            duplicates: 1,
            failed: 1,
            articles: 8,
            passages: 20,
            entities: Some(4),
            seconds: 0.5,
        };
        print_summary(&mut out, &s).expect("write to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "2 added, 1 updated, 1 removed, 5 unchanged, 1 duplicate, 1 failed in 0.50s; index holds 8 articles, 20 passages, 4 entities\n"
        );
    }

    #[test]
    fn entity_table_lists_aliases() {
        let mut out = Vec::new();
        let rows = [EntityCount {
            kind: EntityKind::Organization,
            name: "ISIS-K".into(),
            aliases: vec!["ISKP".into()],
            geo: None,
            articles: 1,
            passages: 4,
        }];
        print_entities(&mut out, &rows).expect("write to a Vec");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "TYPE          ARTICLES PASSAGES  NAME\norganization         1        4  ISIS-K (also: ISKP)\n"
        );
    }
}
