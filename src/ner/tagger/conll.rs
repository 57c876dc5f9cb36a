//! Readers for labelled data: CoNLL-2003 (4 columns), CoNLL-2002 (3 columns) and
//! UNER's CoNLL-U-like IOB2 files, all into documents of sentences of (token, tag).

use std::fmt;

use super::tag::Tag;

/// One sentence: tokens and their gold tags, of equal length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    pub tags: Vec<Tag>,
}

/// One document: its sentences in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The number of tokens in the document.
    pub fn token_count(&self) -> usize {
        self.sentences.iter().map(|s| s.tokens.len()).sum()
    }
}

/// A malformed line in a labelled file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// 1-based line number.
    pub line: usize,
    pub reason: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ReadError {}

/// Reads any of the three formats. Documents are split at `-DOCSTART-` lines and
/// `# newdoc` comments; sentences at blank lines. UNER lines (tab-separated, numeric
/// first column) take the token from column 2 and the tag from column 3; other lines
/// take the first column as the token and the last as the tag.
pub fn read(text: &str) -> Result<Vec<Document>, ReadError> {
    let mut docs: Vec<Document> = Vec::new();
    let mut doc = Document::default();
    let mut sent = Sentence::default();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush_sentence(&mut doc, &mut sent);
            continue;
        }
        if line.starts_with('#') && is_comment(line) {
            if line.starts_with("# newdoc") {
                flush_sentence(&mut doc, &mut sent);
                flush_document(&mut docs, &mut doc);
            }
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            flush_sentence(&mut doc, &mut sent);
            flush_document(&mut docs, &mut doc);
            continue;
        }
        let (token, tag) = split_line(line).ok_or_else(|| ReadError {
            line: n + 1,
            reason: format!("expected a token and a tag, found {line:?}"),
        })?;
        let tag = Tag::parse(tag).ok_or_else(|| ReadError {
            line: n + 1,
            reason: format!("unknown tag {tag:?}"),
        })?;
        sent.tokens.push(token.to_string());
        sent.tags.push(tag);
    }
    flush_sentence(&mut doc, &mut sent);
    flush_document(&mut docs, &mut doc);
    Ok(docs)
}

/// `#` lines are comments when they look like CoNLL-U metadata (`# key = value`,
/// `# newdoc`), so a `#` token in CoNLL files is still read as a token.
fn is_comment(line: &str) -> bool {
    line.contains(" = ")
        || line.starts_with("# newdoc")
        || line.starts_with("# newpar")
        || line == "#"
}

fn split_line(line: &str) -> Option<(&str, &str)> {
    if line.contains('\t') {
        let cols: Vec<&str> = line.split('\t').collect();
        let numeric = cols
            .first()
            .is_some_and(|c| !c.is_empty() && c.bytes().all(|b| b.is_ascii_digit()));
        if numeric && cols.len() >= 3 {
            return Some((cols[1], cols[2].trim()));
        }
        if cols.len() >= 2 {
            return Some((cols[0], cols[cols.len() - 1].trim()));
        }
    }
    let mut cols = line.split_whitespace();
    let token = cols.next()?;
    let tag = cols.next_back()?;
    Some((token, tag))
}

fn flush_sentence(doc: &mut Document, sent: &mut Sentence) {
    if !sent.tokens.is_empty() {
        doc.sentences.push(std::mem::take(sent));
    }
}

fn flush_document(docs: &mut Vec<Document>, doc: &mut Document) {
    if !doc.sentences.is_empty() {
        docs.push(std::mem::take(doc));
    }
}

/// Converts IOB1 or loose IOB2 tags into strict IOB2 (an `I-X` that does not
/// continue an `X` span becomes `B-X`).
pub fn to_iob2(tags: &mut [Tag]) {
    let mut prev = Tag::O;
    for t in tags.iter_mut() {
        if let Tag::I(k) = *t
            && prev.kind() != Some(k)
        {
            *t = Tag::B(k);
        }
        prev = *t;
    }
}

/// A copy of `doc` with every token lowercased (training data for text without capitals).
pub fn lowercased(doc: &Document) -> Document {
    Document {
        sentences: doc
            .sentences
            .iter()
            .map(|s| Sentence {
                tokens: s.tokens.iter().map(|t| t.to_lowercase()).collect(),
                tags: s.tags.clone(),
            })
            .collect(),
    }
}

/// A copy of `doc` with hyphenated words split into parts and `-` tokens, as
/// Universal Dependencies tokenizes them (`Coca-Cola` -> `Coca - Cola`). Returns
/// `None` when the document has no such word.
pub fn hyphens_split(doc: &Document) -> Option<Document> {
    let mut changed = false;
    let mut out = Document::default();
    for s in &doc.sentences {
        let mut ns = Sentence::default();
        for (t, tag) in s.tokens.iter().zip(&s.tags) {
            let parts: Vec<&str> = t.split('-').collect();
            if parts.len() < 2 || parts.iter().any(|p| p.is_empty()) {
                ns.tokens.push(t.clone());
                ns.tags.push(*tag);
                continue;
            }
            changed = true;
            let inside = match tag {
                Tag::O => Tag::O,
                Tag::B(k) | Tag::I(k) => Tag::I(*k),
            };
            for (j, p) in parts.iter().enumerate() {
                if j > 0 {
                    ns.tokens.push("-".to_string());
                    ns.tags.push(inside);
                }
                ns.tokens.push((*p).to_string());
                ns.tags.push(if j == 0 { *tag } else { inside });
            }
        }
        out.sentences.push(ns);
    }
    changed.then_some(out)
}

/// Tags a file of one token a line (the token is the first column; a blank
/// line ends a sentence; a `-DOCSTART-` line starts a document and is echoed)
/// and returns it as `token<TAB>tag` lines, blank lines kept.
///
/// Each document is tagged as a whole, so the document-level features see it all.
pub fn tag_lines(model: &super::Model, text: &str) -> String {
    enum Line<'a> {
        Echo(&'a str),
        Blank,
        Token(&'a str),
    }
    let lines: Vec<Line<'_>> = text
        .lines()
        .map(|l| match l.split_whitespace().next() {
            None => Line::Blank,
            Some("-DOCSTART-") => Line::Echo(l),
            Some(t) => Line::Token(t),
        })
        .collect();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut start = 0;
    while start < lines.len() {
        // A document runs to the next -DOCSTART- line.
        let end = lines[start + 1..]
            .iter()
            .position(|l| matches!(l, Line::Echo(_)))
            .map_or(lines.len(), |p| start + 1 + p);
        let mut sentences: Vec<Vec<&str>> = vec![Vec::new()];
        for line in &lines[start..end] {
            match line {
                Line::Token(t) => sentences.last_mut().map_or((), |s| s.push(t)),
                _ => {
                    if sentences.last().is_some_and(|s| !s.is_empty()) {
                        sentences.push(Vec::new());
                    }
                }
            }
        }
        sentences.retain(|s| !s.is_empty());
        let tags = model.tag_document(&sentences);
        let mut tags = tags.iter().flatten();
        for line in &lines[start..end] {
            match line {
                Line::Echo(l) => {
                    out.push_str(l);
                    out.push('\n');
                }
                Line::Blank => out.push('\n'),
                Line::Token(t) => {
                    out.push_str(t);
                    out.push('\t');
                    out.push_str(
                        &tags
                            .next()
                            .map_or_else(|| "O".to_string(), |t| t.to_string()),
                    );
                    out.push('\n');
                }
            }
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ner::tagger::tag::Kind;

    #[test]
    fn reads_conll2003() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n# NN B-NP O\n\n-DOCSTART- -X- -X- O\n\nPeter NNP B-NP B-PER\n";
        let docs = read(text).expect("valid");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[1].tokens, vec!["#"]);
        assert_eq!(docs[1].sentences[0].tags, vec![Tag::B(Kind::Per)]);
    }

    #[test]
    fn reads_uner() {
        let text = "# newdoc id = a\n# sent_id = a-1\n# text = What Miramar?\n1\tWhat\tO\t-\t-\n2\tMiramar\tB-LOC\t-\tx\n\n# newdoc id = b\n1\tHi\tO\t-\t-\n";
        let docs = read(text).expect("valid");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences[0].tokens, vec!["What", "Miramar"]);
        assert_eq!(docs[0].sentences[0].tags[1], Tag::B(Kind::Loc));
    }

    #[test]
    fn rejects_bad_tags() {
        assert!(read("x NN B-FOO\n").is_err());
        assert!(read("x\n").is_err());
    }

    #[test]
    fn repairs_iob1() {
        let mut t = vec![
            Tag::I(Kind::Per),
            Tag::I(Kind::Per),
            Tag::O,
            Tag::I(Kind::Loc),
        ];
        to_iob2(&mut t);
        assert_eq!(
            t,
            vec![
                Tag::B(Kind::Per),
                Tag::I(Kind::Per),
                Tag::O,
                Tag::B(Kind::Loc)
            ]
        );
    }
}
