//! The content pipeline: an article → its passages → their entity spans → the
//! user's alias rules → named entities per passage and article. Knows nothing of
//! the index; the writer runs it on its reader threads.

use crate::aliases::Aliases;
use crate::article::Article;
use crate::entities::{self, ArticleEntities};
use crate::ner::EntityExtractor;
use crate::passage::{self, Layout};

/// An article as the index receives it.
pub struct Analysis {
    /// The analysed text and its passages.
    pub layout: Layout,
    pub entities: ArticleEntities,
}

/// Splits an article into passages and finds its entities, with the alias
/// rules applied.
pub fn analyse(article: &Article, extractor: &dyn EntityExtractor, aliases: &Aliases) -> Analysis {
    let layout = passage::split(article);
    let mut spans = entities::extract(extractor, &layout, &article.language);
    aliases.apply(&layout.text, &mut spans, &|name| extractor.locate(name));
    let entities = entities::group(&layout, &spans);
    Analysis { layout, entities }
}
