//! HTML articles: metadata from meta tags, the main text without page boilerplate, headings.
//!
//! The main text is the largest `<article>`, else `<main>`, else
//! `[role=main]`, else `<body>`; its `<h1>` is the title. Navigation, page
//! headers, footers, scripts, forms, figures and their captions, text for
//! screen readers only, lists of links, bylines, date lines and elements whose
//! class or id marks them as boilerplate are dropped; a byline gives the
//! author when the meta tags name none. Metadata missing from meta tags is
//! looked up in JSON-LD.

use scraper::{ElementRef, Html, Node};
use serde_json::Value;

use super::{Block, Draft, collapse_whitespace, non_empty};

/// Elements whose whole subtree is dropped.
const DROPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "svg",
    "button",
    "template",
    "select",
    "textarea",
    "input",
    "img",
    "picture",
    "video",
    "audio",
    "canvas",
    "object",
    "embed",
    "math",
    "dialog",
    "head",
    "figure",
    "figcaption",
];

/// Elements that end the text before them and start a new block.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "figure",
    "figcaption",
    "address",
    "center",
    "details",
    "summary",
    "fieldset",
    "hr",
    "body",
    "html",
];

const HEADING_TAGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Class or id words that mark boilerplate ("main-nav", "cookieBanner", "share-tools").
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "cookie",
    "cookies",
    "consent",
    "share",
    "sharing",
    "social",
    "related",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "sponsored",
    "promo",
    "sidebar",
    "comment",
    "comments",
    "newsletter",
    "subscribe",
    "breadcrumb",
    "breadcrumbs",
    "popup",
    "modal",
    "recommended",
    "recirculation",
    "links",
    "caption",
    "credit",
    "credits",
    "copyright",
    "topics",
    "tags",
    "outbrain",
    "taboola",
];

/// Class or id words of an element that holds the byline.
const BYLINE_WORDS: &[&str] = &["byline", "author", "authors", "contributor", "contributors"];

/// Classes of text shown to screen readers only ("list 1 of 4", "Image source, ").
const SCREEN_READER_CLASSES: &[&str] = &[
    "screen-reader-text",
    "screen-reader-only",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "a11y-only",
    "offscreen",
];

/// Headings of boxes of links to other articles; the heading and its box are dropped.
const RELATED_HEADINGS: &[&str] = &[
    "recommended stories",
    "recommended",
    "related",
    "related stories",
    "related articles",
    "related topics",
    "read more",
    "more on this story",
    "more from",
    "more stories",
    "you may also like",
    "you might also like",
    "most read",
    "most popular",
    "top stories",
    "share this article",
];

/// Words that stand alone as page furniture, not text.
const FURNITURE: &[&str] = &[
    "share",
    "save",
    "advertisement",
    "published",
    "updated",
    "posted",
    "listen",
    "print",
    "comments",
];

/// Words that open a date line ("Published 14 January 2025", "Updated on 2 May").
const DATE_LINE_OPENERS: &[&str] = &[
    "published on",
    "published",
    "updated on",
    "updated",
    "last updated",
    "posted on",
    "posted",
    "first published",
];

/// ARIA roles of boilerplate regions.
const BOILERPLATE_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
];

/// Separators between a page title and the site name.
const TITLE_SEPARATORS: &[&str] = &[" - ", " | ", " – ", " — ", " · ", " :: "];

/// Meta keys (property, name or itemprop, lower case) for each field, in order of preference.
const TITLE_KEYS: &[&str] = &["og:title"];
const DATE_KEYS: &[&str] = &[
    "article:published_time",
    "date",
    "pubdate",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
];
const SITE_KEYS: &[&str] = &["og:site_name"];
const SOURCE_KEYS: &[&str] = &["og:site_name", "publisher", "application-name"];
const URL_KEYS: &[&str] = &["og:url"];
const AUTHOR_KEYS: &[&str] = &["author", "article:author"];
const LANGUAGE_KEYS: &[&str] = &["content-language", "og:locale"];

/// Reads an HTML article. Never fails: broken markup parses leniently.
/// Elements nested deeper than this fail the page: the parser's work per
/// element grows with the depth.
pub const MAX_DEPTH: usize = 256;
/// A tag with more attributes fails the page: the parser compares each
/// attribute with the ones before it.
pub const MAX_ATTRIBUTES: usize = 100;

/// Elements with no content or end tag.
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose end tag may be left out: the next one closes them.
const OPTIONAL_END_TAGS: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "tbody",
    "thead", "tfoot", "colgroup", "caption", "html", "head", "body",
];
/// Elements whose content is text up to their end tag.
const RAW_TEXT_TAGS: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Checks, in one linear pass before parsing, that no elements are nested
/// more than [`MAX_DEPTH`] deep and no tag has more than [`MAX_ATTRIBUTES`]
/// attributes; either makes the parser's work grow faster than the page.
/// The depth counted is an upper bound of the parser's: end tags that may be
/// left out are not counted, and every end tag closes one element.
pub(crate) fn check_shape(text: &str) -> Result<(), String> {
    let bytes = text.as_bytes();
    let find = |from: usize, needle: &[u8]| -> usize {
        bytes
            .get(from..)
            .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle))
            .map_or(bytes.len(), |at| from + at)
    };
    let mut depth = 0usize;
    let mut at = 0;
    while let Some(offset) = bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'<'))
    {
        at += offset + 1;
        match bytes.get(at) {
            Some(b'!') if bytes[at..].starts_with(b"!--") => at = find(at + 3, b"-->"),
            Some(b'!' | b'?') => at = find(at, b">"),
            Some(b'/') => {
                depth = depth.saturating_sub(1);
                at = find(at, b">");
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let end = bytes[at..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
                    .map_or(bytes.len(), |n| at + n);
                let name = text[at..end].to_ascii_lowercase();
                let (attributes, close, self_closing) = scan_tag(bytes, end);
                if attributes > MAX_ATTRIBUTES {
                    return Err(format!(
                        "a <{name}> tag has more than {MAX_ATTRIBUTES} attributes, more than lede reads"
                    ));
                }
                at = close;
                if RAW_TEXT_TAGS.contains(&name.as_str()) {
                    // Its text is not markup: skip to its end tag.
                    let mut from = at;
                    loop {
                        let next = find(from, b"</");
                        let tail = bytes.get(next + 2..next + 2 + name.len());
                        if next >= bytes.len()
                            || tail.is_some_and(|t| t.eq_ignore_ascii_case(name.as_bytes()))
                        {
                            at = next;
                            break;
                        }
                        from = next + 2;
                    }
                    continue;
                }
                let void = self_closing || VOID_TAGS.contains(&name.as_str());
                if !void && !OPTIONAL_END_TAGS.contains(&name.as_str()) {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(format!(
                            "elements nested more than {MAX_DEPTH} deep, deeper than lede reads"
                        ));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The attributes of a start tag whose name ends at `from`, where the tag
/// ends (after its `>`), and whether it closes itself (`/>`).
fn scan_tag(bytes: &[u8], from: usize) -> (usize, usize, bool) {
    let (mut attributes, mut in_word, mut quote) = (0, false, None);
    let mut at = from;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'>' => return (attributes, at, bytes.get(at - 2) == Some(&b'/')),
                b'"' | b'\'' => quote = Some(b),
                b'=' => in_word = true,
                b if b.is_ascii_whitespace() || b == b'/' => in_word = false,
                _ if !in_word => {
                    in_word = true;
                    attributes += 1;
                }
                _ => {}
            },
        }
    }
    (attributes, at, false)
}

pub(crate) fn read(text: &str) -> Draft {
    let document = Html::parse_document(text);
    let meta = Meta::collect(&document);
    let linked = LinkedData::collect(&document);
    let site = meta.first(SITE_KEYS);

    let root = main_root(&document);
    let page = meta
        .first(TITLE_KEYS)
        .or_else(|| page_title(&document))
        .or_else(|| linked.headline.clone())
        .map(|title| strip_site(&title, site.as_deref()));
    // The article's own heading: the `<h1>` of its main element, or of the
    // page when the page's title starts with it. Page titles carry a site
    // or section name ("… | Conflict News").
    let h1 = first_text_in(root, "h1").filter(|h1| {
        root.value().name() != "body"
            || page
                .as_deref()
                .is_some_and(|p| p.to_lowercase().starts_with(&h1.to_lowercase()))
    });
    let title = h1.or(page).or_else(|| first_text(&document, "h1"));

    let mut draft = Draft {
        source: meta.first(SOURCE_KEYS).or(linked.publisher),
        date_text: meta
            .first(DATE_KEYS)
            .or_else(|| first_time(&document))
            .or(linked.published),
        url: meta.first(URL_KEYS).or_else(|| canonical(&document)),
        author: meta.first(AUTHOR_KEYS).or(linked.author),
        language: document
            .root_element()
            .attr("lang")
            .and_then(non_empty)
            .or_else(|| meta.first(LANGUAGE_KEYS)),
        ..Draft::default()
    };

    let mut walker = Walker::new(title.as_deref(), text_len(root));
    walker.walk(root);
    draft.headings = walker.headings;
    draft.blocks = walker.blocks;
    draft.title = title;
    if draft.author.is_none() {
        draft.author = walker.byline;
    }
    draft
}

/// The text of the first element with this name under `root`.
fn first_text_in(root: ElementRef<'_>, name: &str) -> Option<String> {
    root.descendent_elements()
        .filter(|element| element.value().name() == name)
        .find_map(|element| non_empty(&element.text().collect::<String>()))
}

/// Whether a class attribute marks text for screen readers only.
fn is_screen_reader_only(class: &str) -> bool {
    class
        .split_whitespace()
        .any(|c| SCREEN_READER_CLASSES.contains(&c.to_ascii_lowercase().as_str()))
}

/// Whether a class, id or component name has one of these words, split at
/// punctuation and camelCase humps.
fn has_word(value: &str, words: &[&str]) -> bool {
    split_words(value).any(|word| words.contains(&word.as_str()))
}

/// The name of a byline: the text of its first element without child
/// elements that is not a date or a lone "By", else its whole text; a
/// leading "By" is taken off.
fn byline_name(element: ElementRef<'_>) -> Option<String> {
    let leaf = element
        .descendent_elements()
        .filter(|e| e.value().name() != "time" && e.child_elements().next().is_none())
        .filter_map(|e| non_empty(&e.text().collect::<String>()))
        .find(|text| !is_furniture(text) && !super::date::is_date(text) && !is_date_line(text));
    let text = leaf.or_else(|| non_empty(&element.text().collect::<String>()))?;
    let name = strip_by(&text);
    let words = name.split_whitespace().count();
    (1..=8).contains(&words).then(|| name.to_string())
}

/// "By Mara Velde" → "Mara Velde"; other text as it is.
fn strip_by(text: &str) -> &str {
    let trimmed = text.trim();
    for by in ["By ", "by ", "BY ", "Door ", "door "] {
        if let Some(rest) = trimmed.strip_prefix(by) {
            return rest.trim();
        }
    }
    trimmed
}

/// A word or two of page furniture ("Share", "Published").
fn is_furniture(text: &str) -> bool {
    let key = text.trim().trim_end_matches(':').to_lowercase();
    FURNITURE.contains(&key.as_str())
}

/// A line that is only a date, perhaps after "Published" or "Updated".
fn is_date_line(text: &str) -> bool {
    let text = text.trim();
    if super::date::is_date(text) {
        return true;
    }
    let lower = text.to_lowercase();
    DATE_LINE_OPENERS.iter().any(|opener| {
        lower.strip_prefix(opener).is_some_and(|rest| {
            let cut = text.len() - rest.len();
            text.get(cut..)
                .map(|rest| rest.trim_start_matches([':', ' ', ',']))
                .is_some_and(|rest| rest.is_empty() || super::date::is_date(rest))
        })
    })
}

/// Whether a list is a list of links: two or more items, and most of its
/// text inside links.
fn is_link_list(element: ElementRef<'_>) -> bool {
    let items = element
        .child_elements()
        .filter(|e| e.value().name() == "li")
        .count();
    if items < 2 {
        return false;
    }
    let all = text_len(element);
    let linked: usize = element
        .descendent_elements()
        .filter(|e| e.value().name() == "a")
        .map(text_len)
        .sum();
    all > 0 && linked * 10 >= all * 8
}

/// The `content` of meta tags, keyed by their property, name, itemprop or
/// http-equiv (lower case); the first tag for a key wins.
struct Meta(Vec<(String, String)>);

impl Meta {
    fn collect(document: &Html) -> Meta {
        let mut pairs = Vec::new();
        for element in document.root_element().descendent_elements() {
            if element.value().name() != "meta" {
                continue;
            }
            let Some(content) = element.attr("content").and_then(non_empty) else {
                continue;
            };
            for attr in ["property", "name", "itemprop", "http-equiv"] {
                if let Some(key) = element.attr(attr) {
                    pairs.push((key.trim().to_lowercase(), content.clone()));
                }
            }
        }
        Meta(pairs)
    }

    /// The value of the first key (in `keys` order) that is present.
    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|key| {
            self.0
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, content)| content.clone())
        })
    }
}

/// Article metadata from `<script type="application/ld+json">`.
#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    published: Option<String>,
    author: Option<String>,
    publisher: Option<String>,
}

impl LinkedData {
    fn collect(document: &Html) -> LinkedData {
        let mut found = LinkedData::default();
        for element in document.root_element().descendent_elements() {
            let is_ld = element.value().name() == "script"
                && element
                    .attr("type")
                    .is_some_and(|kind| kind.trim().eq_ignore_ascii_case("application/ld+json"));
            if !is_ld {
                continue;
            }
            let json: String = element.text().collect();
            let Ok(value) = serde_json::from_str::<Value>(&json) else {
                continue;
            };
            if let Some(object) = article_object(&value) {
                found.headline = found.headline.or_else(|| json_text(object.get("headline")));
                found.published = found
                    .published
                    .or_else(|| json_text(object.get("datePublished")));
                found.author = found.author.or_else(|| json_text(object.get("author")));
                found.publisher = found
                    .publisher
                    .or_else(|| json_text(object.get("publisher")));
            }
        }
        found
    }
}

/// The first object with a headline or a publication date, searching arrays
/// and `@graph` lists breadth-first.
fn article_object(value: &Value) -> Option<&serde_json::Map<String, Value>> {
    let mut queue = std::collections::VecDeque::from([value]);
    let mut visited = 0;
    while let Some(value) = queue.pop_front() {
        visited += 1;
        if visited > 1000 {
            break;
        }
        match value {
            Value::Array(items) => queue.extend(items),
            Value::Object(object) => {
                if object.contains_key("headline") || object.contains_key("datePublished") {
                    return Some(object);
                }
                if let Some(graph) = object.get("@graph") {
                    queue.push_back(graph);
                }
            }
            _ => {}
        }
    }
    None
}

/// A JSON-LD value as text: a string, the "name" of an object, or a list of those joined by ", ".
fn json_text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => non_empty(text),
        Value::Object(object) => object.get("name").and_then(|name| json_text(Some(name))),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(|v| json_text(Some(v))).collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        }
        _ => None,
    }
}

/// The text of the page's `<title>` (not an SVG title).
fn page_title(document: &Html) -> Option<String> {
    document
        .root_element()
        .descendent_elements()
        .filter(|element| element.value().name() == "title")
        .find(|element| {
            !element
                .ancestors()
                .filter_map(ElementRef::wrap)
                .any(|ancestor| ancestor.value().name() == "svg")
        })
        .and_then(|element| non_empty(&element.text().collect::<String>()))
}

/// The text of the first element with this name.
fn first_text(document: &Html, name: &str) -> Option<String> {
    document
        .root_element()
        .descendent_elements()
        .filter(|element| element.value().name() == name)
        .find_map(|element| non_empty(&element.text().collect::<String>()))
}

/// The `datetime` of the first `<time>` that has one.
fn first_time(document: &Html) -> Option<String> {
    document
        .root_element()
        .descendent_elements()
        .filter(|element| element.value().name() == "time")
        .find_map(|element| element.attr("datetime").and_then(non_empty))
}

/// The `href` of `<link rel="canonical">`.
fn canonical(document: &Html) -> Option<String> {
    document
        .root_element()
        .descendent_elements()
        .filter(|element| element.value().name() == "link")
        .filter(|element| {
            element.attr("rel").is_some_and(|rel| {
                rel.split_whitespace()
                    .any(|word| word.eq_ignore_ascii_case("canonical"))
            })
        })
        .find_map(|element| element.attr("href").and_then(non_empty))
}

/// Removes a trailing " - Site" or " | Site" when `site` is the site's name.
fn strip_site(title: &str, site: Option<&str>) -> String {
    let title = collapse_whitespace(title);
    let Some(site) = site.map(collapse_whitespace).filter(|s| !s.is_empty()) else {
        return title;
    };
    let site = site.to_lowercase();
    for separator in TITLE_SEPARATORS {
        let suffix = format!("{separator}{site}");
        let Some(cut) = title.len().checked_sub(suffix.len()) else {
            continue;
        };
        let (Some(head), Some(tail)) = (title.get(..cut), title.get(cut..)) else {
            continue;
        };
        if tail.to_lowercase() == suffix && !head.trim().is_empty() {
            return head.trim().to_string();
        }
    }
    title
}

/// The element holding the article text: the largest `<article>`, else
/// `<main>`, else `[role=main]`, else `<body>`, else the whole document.
fn main_root(document: &Html) -> ElementRef<'_> {
    let elements = || document.root_element().descendent_elements();
    elements()
        .filter(|element| element.value().name() == "article")
        .max_by_key(|element| text_len(*element))
        .or_else(|| elements().find(|element| element.value().name() == "main"))
        .or_else(|| {
            elements().find(|element| {
                element
                    .attr("role")
                    .is_some_and(|role| role.trim().eq_ignore_ascii_case("main"))
            })
        })
        .or_else(|| elements().find(|element| element.value().name() == "body"))
        .unwrap_or_else(|| document.root_element())
}

/// Bytes of text under an element.
fn text_len(element: ElementRef<'_>) -> usize {
    element.text().map(str::len).sum()
}

/// Whether a class or id value names boilerplate: one of its words, split at
/// punctuation and camelCase humps, is in [`BOILERPLATE_WORDS`].
fn names_boilerplate(value: &str) -> bool {
    has_word(value, BOILERPLATE_WORDS)
}

/// The words of a class or id value, lower case, split at punctuation and
/// camelCase humps ("cookieBanner" → "cookie", "banner").
fn split_words(value: &str) -> impl Iterator<Item = String> + '_ {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in value.chars() {
        if !c.is_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word).to_lowercase());
            }
            previous_lower = false;
            continue;
        }
        if c.is_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word).to_lowercase());
        }
        previous_lower = c.is_lowercase() || c.is_ascii_digit();
        word.push(c);
    }
    if !word.is_empty() {
        words.push(word.to_lowercase());
    }
    words.into_iter()
}

/// Collects headings and blocks under the main element.
struct Walker {
    /// The title in lower case. The first `<h1>` is the title's (not a section
    /// heading) when it has this text or comes before any other text.
    title_key: Option<String>,
    title_h1_seen: bool,
    /// Text bytes under the main element; a boilerplate-named element holding
    /// more than half of them is kept.
    root_len: usize,
    buffer: String,
    /// The open heading: its depth in the walk, tag name and text so far.
    open_heading: Option<(usize, String, String)>,
    heading: Option<String>,
    headings: Vec<String>,
    blocks: Vec<Block>,
    /// The name in the first byline element.
    byline: Option<String>,
}

impl Walker {
    fn new(title: Option<&str>, root_len: usize) -> Walker {
        Walker {
            title_key: title.map(|t| collapse_whitespace(t).to_lowercase()),
            title_h1_seen: false,
            root_len,
            buffer: String::new(),
            open_heading: None,
            heading: None,
            headings: Vec::new(),
            blocks: Vec::new(),
            byline: None,
        }
    }

    /// Walks the subtree without recursion, so deep nesting cannot overflow the stack.
    fn walk(&mut self, root: ElementRef<'_>) {
        let mut stack = vec![(root, root.children())];
        while let Some((_, children)) = stack.last_mut() {
            let next = children.next();
            let Some(node) = next else {
                if let Some((element, _)) = stack.pop() {
                    self.close(element, stack.len());
                }
                continue;
            };
            match node.value() {
                Node::Text(text) => self.push_text(text),
                Node::Element(_) => {
                    if let Some(element) = ElementRef::wrap(node)
                        && self.open(element, stack.len())
                    {
                        stack.push((element, element.children()));
                    }
                }
                _ => {}
            }
        }
        self.flush();
    }

    fn push_text(&mut self, text: &str) {
        match &mut self.open_heading {
            Some((_, _, heading)) => heading.push_str(text),
            None => self.buffer.push_str(text),
        }
    }

    /// Handles an element's start; `false` skips its subtree.
    fn open(&mut self, element: ElementRef<'_>, depth: usize) -> bool {
        if self.is_dropped(element) {
            return false;
        }
        let name = element.value().name();
        if HEADING_TAGS.contains(&name) && self.open_heading.is_none() {
            self.flush();
            self.open_heading = Some((depth, name.to_string(), String::new()));
        } else if matches!(name, "br" | "td" | "th") {
            self.push_text(" ");
        } else if BLOCK_TAGS.contains(&name) {
            self.flush();
        }
        true
    }

    /// Handles an element's end; `depth` is the walk depth it was opened at.
    fn close(&mut self, element: ElementRef<'_>, depth: usize) {
        if self
            .open_heading
            .as_ref()
            .is_some_and(|(open_depth, _, _)| *open_depth == depth)
        {
            if let Some((_, name, text)) = self.open_heading.take() {
                self.end_heading(&name, &text);
            }
            return;
        }
        let name = element.value().name();
        if matches!(name, "td" | "th") {
            self.push_text(" ");
        } else if BLOCK_TAGS.contains(&name) {
            self.flush();
        }
    }

    fn end_heading(&mut self, name: &str, text: &str) {
        let Some(text) = non_empty(text) else {
            return;
        };
        if is_related_heading(&text) {
            // A box of links to other articles: what follows belongs to the
            // heading before it.
            return;
        }
        let at_top = self.blocks.is_empty() && self.headings.is_empty();
        let is_title = self.title_key == Some(text.to_lowercase());
        if name == "h1" && !self.title_h1_seen && (is_title || at_top) {
            self.title_h1_seen = true;
            return;
        }
        self.headings.push(text.clone());
        self.heading = Some(text);
    }

    fn flush(&mut self) {
        if self.open_heading.is_some() {
            return;
        }
        let text = collapse_whitespace(&self.buffer);
        self.buffer.clear();
        if is_furniture(&text) || is_date_line(&text) {
            return;
        }
        if text.chars().any(char::is_alphanumeric) {
            self.blocks.push(Block {
                heading: self.heading.clone(),
                text,
            });
        }
    }

    fn is_dropped(&mut self, element: ElementRef<'_>) -> bool {
        let value = element.value();
        let name = value.name();
        // The article's own header holds its title, subhead, byline and date;
        // the page's header holds none of that.
        let article_header = name == "header"
            && element
                .descendent_elements()
                .any(|e| e.value().name() == "h1");
        if (DROPPED_TAGS.contains(&name) && !article_header) || value.attr("hidden").is_some() {
            return true;
        }
        if value
            .attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
        {
            return true;
        }
        if value.attr("class").is_some_and(is_screen_reader_only) {
            return true;
        }
        let names = || {
            ["class", "id", "data-component", "data-testid"]
                .into_iter()
                .filter_map(|attr| value.attr(attr))
        };
        let small = text_len(element) * 2 <= self.root_len;
        let byline = value
            .attr("rel")
            .is_some_and(|r| r.eq_ignore_ascii_case("author"))
            || names().any(|v| has_word(v, BYLINE_WORDS));
        if byline && small && !has_heading(element) {
            if self.byline.is_none() {
                self.byline = byline_name(element);
            }
            return true;
        }
        if matches!(name, "ul" | "ol") && is_link_list(element) {
            return true;
        }
        let marked = value.attr("role").is_some_and(|role| {
            BOILERPLATE_ROLES.contains(&role.trim().to_ascii_lowercase().as_str())
        }) || names().any(names_boilerplate);
        marked && small
    }
}

/// Whether an element holds a heading (so it is a section, not a byline).
fn has_heading(element: ElementRef<'_>) -> bool {
    element
        .descendent_elements()
        .any(|e| HEADING_TAGS.contains(&e.value().name()))
}

/// Whether a heading opens a box of links to other articles.
fn is_related_heading(text: &str) -> bool {
    let key = text.trim().trim_end_matches(':').to_lowercase();
    RELATED_HEADINGS.contains(&key.as_str())
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::{Format, ReadError};
    use super::*;

    #[test]
    fn pages_nested_too_deep_or_with_too_many_attributes_fail_before_parsing() {
        let deep = format!(
            "<body>{}x{}</body>",
            "<div>".repeat(300),
            "</div>".repeat(300)
        );
        assert!(check_shape(&deep).unwrap_err().contains("nested more than"));
        let attributes: Vec<String> = (0..200).map(|i| format!("a{i}=\"1 2\"")).collect();
        let wide = format!("<p {}>x</p>", attributes.join(" "));
        assert!(check_shape(&wide).unwrap_err().contains("attributes"));
    }

    #[test]
    fn ordinary_pages_pass_the_shape_check() {
        let closed = format!(
            "<body>{}x{}</body>",
            "<div>".repeat(200),
            "</div>".repeat(200)
        );
        let unclosed_paragraphs = format!("<body>{}</body>", "<p>text<li>item<br>".repeat(2000));
        let siblings = "<div><span class=a id=b data-x='>'>x</span></div>".repeat(5000);
        let script = format!(
            "<script>{}</script><style>a<b{{}}</style><!-- <div><div> -->",
            "for(i=0;i<n;i++){if(a<b)x()}".repeat(1000)
        );
        for page in [closed, unclosed_paragraphs, siblings, script] {
            assert_eq!(check_shape(&page), Ok(()));
        }
    }

    const FIXTURE: &str = include_str!("../../tests/fixtures/article.html");

    #[test]
    fn fixture_meta_tags_give_title_source_date_url_author_language() {
        let article = read_one(FIXTURE, Format::Html);
        assert_eq!(
            article.title,
            "Flood barrier in Hamburg passes first storm test"
        );
        assert_eq!(article.source.as_deref(), Some("Harbour Herald"));
        assert_eq!(
            article.date_text.as_deref(),
            Some("2024-01-15T08:30:00+01:00")
        );
        assert_eq!(
            article.published.map(|d| d.to_rfc3339()),
            Some("2024-01-15T08:30:00+01:00".to_string())
        );
        assert_eq!(
            article.url.as_deref(),
            Some("https://herald.example.com/2024/01/hamburg-barrier")
        );
        assert_eq!(article.author.as_deref(), Some("Jonas Keller"));
        assert_eq!(article.language, "en");
    }

    #[test]
    fn fixture_h2_sections_are_headings_and_title_h1_is_not() {
        let article = read_one(FIXTURE, Format::Html);
        assert_eq!(
            article.headings,
            ["How the barrier works", "Criticism from fishermen"]
        );
        let tjarks = article
            .blocks
            .iter()
            .find(|b| b.text.contains("Anjes Tjarks"))
            .unwrap();
        assert_eq!(tjarks.heading.as_deref(), Some("How the barrier works"));
        assert!(tjarks.text.contains("had already paid for itself."));
        let quote = article.blocks.last().unwrap();
        assert_eq!(
            quote.text,
            "We support the barrier, but we need to plan our trips."
        );
        assert_eq!(quote.heading.as_deref(), Some("Criticism from fishermen"));
    }

    #[test]
    fn fixture_boilerplate_is_dropped() {
        let article = read_one(FIXTURE, Format::Html);
        let all = texts(&article).join("\n");
        for noise in [
            "Sport",
            "cookies",
            "Share on social",
            "Storm Zoltan",
            "All rights reserved",
            "console.log",
            "tracker",
            "font-family",
        ] {
            assert!(!all.contains(noise), "{noise} in {all}");
        }
        assert!(all.contains("Cuxhaven"));
    }

    #[test]
    fn title_tag_site_suffix_is_stripped_only_when_site_is_known() {
        let known = read_one(
            "<html><head><title>Dam breaks | The Post</title>\
             <meta property=\"og:site_name\" content=\"The Post\"></head>\
             <body><p>Text.</p></body></html>",
            Format::Html,
        );
        assert_eq!(known.title, "Dam breaks");
        assert_eq!(known.source.as_deref(), Some("The Post"));
        let unknown = read_one(
            "<html><head><title>Dam breaks | The Post</title></head><body><p>Text.</p></body></html>",
            Format::Html,
        );
        assert_eq!(unknown.title, "Dam breaks | The Post");
        assert_eq!(
            strip_site("Dam breaks - the post", Some("The Post")),
            "Dam breaks"
        );
    }

    #[test]
    fn first_h1_is_title_when_no_meta_or_title_tag() {
        let article = read_one(
            "<body><h1>Heading one</h1><p>Body text.</p><h1>Second h1</h1><p>More.</p></body>",
            Format::Html,
        );
        assert_eq!(article.title, "Heading one");
        assert_eq!(article.headings, ["Second h1"]);
    }

    #[test]
    fn main_then_role_main_then_body_are_text_roots() {
        let main = read_one(
            "<title>T</title><body><div>Outside text.</div><main><p>Inside main.</p></main></body>",
            Format::Html,
        );
        assert_eq!(texts(&main), ["Inside main."]);
        let role = read_one(
            "<title>T</title><body><div>Outside.</div><div role=\"main\"><p>Inside role.</p></div></body>",
            Format::Html,
        );
        assert_eq!(texts(&role), ["Inside role."]);
    }

    #[test]
    fn largest_article_element_wins() {
        let article = read_one(
            "<title>T</title><body><article><p>Teaser.</p></article>\
             <article><p>The real story has much more text in it.</p></article></body>",
            Format::Html,
        );
        assert_eq!(
            texts(&article),
            ["The real story has much more text in it."]
        );
    }

    #[test]
    fn text_bearing_divs_and_loose_text_become_blocks() {
        let article = read_one(
            "<title>T</title><body><div>Loose <b>bold</b> text<div>Inner div.</div>tail</div>\
             <ul><li>One</li><li>Two <a href=\"x\">link</a></li></ul><pre>  a   b </pre></body>",
            Format::Html,
        );
        assert_eq!(
            texts(&article),
            [
                "Loose bold text",
                "Inner div.",
                "tail",
                "One",
                "Two link",
                "a b"
            ]
        );
    }

    #[test]
    fn boilerplate_class_and_id_words_are_matched_as_tokens() {
        assert!(names_boilerplate("main-nav"));
        assert!(names_boilerplate("siteMenu"));
        assert!(names_boilerplate("cookie_banner"));
        assert!(names_boilerplate("share-tools social"));
        assert!(names_boilerplate("related-articles"));
        assert!(names_boilerplate("advert"));
        assert!(names_boilerplate("sidebar"));
        assert!(names_boilerplate("comments"));
        assert!(!names_boilerplate("headline"));
        assert!(!names_boilerplate("canvas-navigator"));
        assert!(!names_boilerplate("article-body"));
        assert!(!names_boilerplate("shared-content-loader"));
    }

    #[test]
    fn boilerplate_named_element_holding_most_text_is_kept() {
        let article = read_one(
            "<title>T</title><body><div class=\"has-comments\"><p>The whole story lives inside this wrapper.</p></div>\
             <div class=\"comments\">Nice.</div></body>",
            Format::Html,
        );
        assert_eq!(
            texts(&article),
            ["The whole story lives inside this wrapper."]
        );
    }

    #[test]
    fn meta_fallbacks_name_date_publisher_canonical() {
        let article = read_one(
            "<html lang=\"nl\"><head><meta name=\"date\" content=\"2024-03-23\">\
             <meta name=\"publisher\" content=\"De Krant\">\
             <link rel=\"canonical\" href=\"https://example.nl/a\"></head>\
             <body><h1>Titel</h1><p>Tekst.</p></body></html>",
            Format::Html,
        );
        assert_eq!(article.date_text.as_deref(), Some("2024-03-23"));
        assert_eq!(article.source.as_deref(), Some("De Krant"));
        assert_eq!(article.url.as_deref(), Some("https://example.nl/a"));
        assert_eq!(article.language, "nl");
    }

    #[test]
    fn first_time_datetime_and_json_ld_are_fallbacks() {
        let article = read_one(
            "<head><script type=\"application/ld+json\">{\"@graph\": [{\"@type\": \"NewsArticle\", \
             \"headline\": \"LD headline\", \"datePublished\": \"2020-01-01\", \
             \"author\": [{\"name\": \"A\"}, {\"name\": \"B\"}], \"publisher\": {\"name\": \"LD Site\"}}]}</script></head>\
             <body><p><time datetime=\"2024-03-23T10:00:00Z\">Saturday</time> text.</p></body>",
            Format::Html,
        );
        assert_eq!(article.title, "LD headline");
        assert_eq!(article.date_text.as_deref(), Some("2024-03-23T10:00:00Z"));
        assert_eq!(article.author.as_deref(), Some("A, B"));
        assert_eq!(article.source.as_deref(), Some("LD Site"));
    }

    #[test]
    fn broken_html_still_reads() {
        let article = read_one(
            "<html><body><p>Unclosed paragraph <b>bold<p>Second <i>one</div></span>",
            Format::Html,
        );
        assert_eq!(article.title, "Unclosed paragraph bold");
        assert_eq!(texts(&article), ["Second one"]);
    }

    #[test]
    fn article_h1_is_the_title_not_the_page_title_with_its_section() {
        let article = read_one(
            include_str!("../../tests/fixtures/layout/wire_conflict.html"),
            Format::Html,
        );
        assert_eq!(
            article.title,
            "Talks on river port reopen as shelling eases"
        );
        // The subhead in the article's header is its first paragraph.
        assert_eq!(
            texts(&article)[0],
            "Negotiators from both sides meet in Velsen for the first time since the autumn blockade."
        );
        assert_eq!(article.author.as_deref(), Some("Mara Velde"));
    }

    #[test]
    fn recommended_boxes_captions_screen_reader_text_and_share_bars_are_dropped() {
        let article = read_one(
            include_str!("../../tests/fixtures/layout/wire_conflict.html"),
            Format::Html,
        );
        let all = texts(&article).join("\n");
        for junk in [
            "list 1 of 4",
            "end of list",
            "Grain prices climb",
            "Recommended Stories",
            "Cranes stand idle",
            "Published On",
            "14 Jan 2025",
            "Facebook",
            "By Mara Velde",
        ] {
            assert!(!all.contains(junk), "{junk:?} in {all}");
        }
        assert_eq!(article.headings, ["What is at stake?"]);
        assert!(all.contains("Council chair Ilse Brand said"), "{all}");
    }

    #[test]
    fn image_credits_date_lines_and_link_boxes_are_dropped_and_the_byline_names_the_author() {
        let article = read_one(
            include_str!("../../tests/fixtures/layout/broadcaster.html"),
            Format::Html,
        );
        assert_eq!(
            article.title,
            "Village flood defences to be rebuilt after storm"
        );
        assert_eq!(article.author.as_deref(), Some("Tomas Reyes"));
        let all = texts(&article).join("\n");
        for junk in [
            "Image source",
            "Getty Images",
            "Image caption",
            "Published",
            "14 January 2025",
            "Environment reporter",
            "Storm brings floods",
            "More on this story",
        ] {
            assert!(!all.contains(junk), "{junk:?} in {all}");
        }
        assert!(texts(&article)[0].starts_with("Flood walls in the village of Ashby Fen"));
        assert_eq!(article.headings, ["'We lost everything downstairs'"]);
        assert!(all.ends_with("60cm higher than the old ones."), "{all}");
    }

    #[test]
    fn date_lines_and_furniture_are_recognised() {
        for line in [
            "Published 14 January 2025",
            "Published On 14 Jan 2025",
            "Updated: 3 March 2024",
            "14 January 2025",
            "Published",
        ] {
            assert!(is_date_line(line) || is_furniture(line), "{line}");
        }
        for line in [
            "Published reports say the port is closed.",
            "Updated rules for dockworkers",
        ] {
            assert!(!is_date_line(line) && !is_furniture(line), "{line}");
        }
    }

    #[test]
    fn html_without_text_has_no_article_text() {
        let err = read_str(
            "<html><head><script>x()</script></head><body><nav>Home</nav> </body></html>",
            Format::Html,
        )
        .unwrap_err();
        assert!(matches!(err, ReadError::NoText), "{err:?}");
        assert_eq!(err.to_string(), "no article text");
    }
}
