//! CSV output of hits, one row a hit, for spreadsheets.

use std::io::{self, Write};

use super::Answer;
use crate::search::Hit;

const HEADER: [&str; 16] = [
    "query",
    "rank",
    "score",
    "article_id",
    "path",
    "title",
    "source",
    "author",
    "published",
    "language",
    "passage",
    "heading",
    "text",
    "person",
    "organization",
    "place",
];

/// Prints a header line and one row per hit; names of several entities are
/// joined by "; ". In a batch, a query with no hits gets a row with its query,
/// rank 0 and the other fields empty.
pub fn print_hits_csv(out: &mut dyn Write, answers: &[Answer<'_>]) -> io::Result<()> {
    write_rows(out, answers).map_err(|err| match err.into_kind() {
        // A closed pipe stays an I/O error, so it can be told from a failure.
        csv::ErrorKind::Io(err) => err,
        other => io::Error::other(format!("{other:?}")),
    })
}

fn write_rows(out: &mut dyn Write, answers: &[Answer<'_>]) -> csv::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(HEADER)?;
    for answer in answers {
        if let Some(query) = answer.query.filter(|_| answer.hits.is_empty()) {
            let mut row = vec![""; HEADER.len()];
            row[0] = query;
            row[1] = "0";
            writer.write_record(row)?;
        }
        write_hits(&mut writer, answer.hits)?;
    }
    writer.flush()?;
    Ok(())
}

fn write_hits(writer: &mut csv::Writer<&mut dyn Write>, hits: &[Hit]) -> csv::Result<()> {
    for hit in hits {
        let a = &hit.article;
        writer.write_record([
            hit.query.as_deref().unwrap_or(""),
            &hit.rank.to_string(),
            &format!("{:.4}", hit.score),
            &a.id,
            &a.path,
            &a.title,
            a.source.as_deref().unwrap_or(""),
            a.author.as_deref().unwrap_or(""),
            a.published.as_deref().unwrap_or(""),
            &a.language,
            &hit.passage.index.to_string(),
            hit.passage.heading.as_deref().unwrap_or(""),
            &hit.passage.text,
            &hit.entities.person.join("; "),
            &hit.entities.organization.join("; "),
            &hit.entities.place.join("; "),
        ])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{ArticleInfo, EntityLists, PassageInfo};

    #[test]
    fn quotes_fields_with_commas_and_newlines() {
        let hit = Hit {
            rank: 1,
            score: 1.5,
            article: ArticleInfo {
                id: "ab".into(),
                path: "a.txt".into(),
                title: "Strike, again".into(),
                source: None,
                published: None,
                date_text: None,
                url: None,
                author: None,
                language: "en".into(),
            },
            passage: PassageInfo {
                index: 0,
                heading: None,
                text: "One.\n\nTwo \"quoted\".".into(),
                highlights: Vec::new(),
            },
            entities: EntityLists {
                person: vec!["A B".into(), "C D".into()],
                ..EntityLists::default()
            },
            context: Vec::new(),
            query: Some("strike".into()),
        };
        let mut out = Vec::new();
        print_hits_csv(
            &mut out,
            &[Answer {
                query: Some("strike"),
                hits: &[hit],
            }],
        )
        .expect("write to a Vec");
        let text = String::from_utf8(out).expect("utf-8");
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let row = rows.records().next().expect("a row").expect("valid CSV");
        assert_eq!(&row[0], "strike");
        assert_eq!(&row[5], "Strike, again");
        assert_eq!(&row[12], "One.\n\nTwo \"quoted\".");
        assert_eq!(&row[13], "A B; C D");
    }
}
