//! The statistical sequence tagger: an averaged structured perceptron over IOB2 tags
//! with word-type features, gazetteers, word clusters and a document-level second pass.
//!
//! Modules: [`conll`] reads labelled data, [`text`] tokenizes raw text, [`clusters`]
//! learns word clusters from unlabelled text, [`gazetteer`] holds name lists,
//! [`features`] turns tokens into feature ids, [`perceptron`] trains and decodes,
//! [`eval`] scores spans, and [`model`] is the saved model and its public API.

pub mod clusters;
pub mod codec;
pub mod conll;
pub mod eval;
pub(crate) mod extract;
pub(crate) mod features;
pub mod gazetteer;
pub(crate) mod hash;
pub mod model;
pub(crate) mod perceptron;
pub mod tag;
pub mod text;

pub use conll::{Document, ReadError, Sentence};
pub use eval::{Scores, evaluate};
pub use model::{Mention, Model, ModelError};
#[cfg(feature = "train")]
pub use model::{TrainConfig, train};
pub use tag::{Kind, Tag};

/// The English model shipped in `models/ner-en.bin`, compiled into the binary.
pub fn embedded() -> Model {
    Model::from_bytes(crate::ner::MODEL_EN).expect("the embedded tagger model is valid")
}

/// The Dutch model shipped in `models/ner-nl.bin`, compiled into the binary.
pub fn embedded_dutch() -> Model {
    Model::from_bytes(crate::ner::MODEL_NL).expect("the embedded Dutch tagger model is valid")
}

/// The embedded model for a language (ISO 639-1): Dutch for `nl`, English otherwise.
pub fn embedded_for(language: &str) -> Model {
    if language == "nl" {
        embedded_dutch()
    } else {
        embedded()
    }
}
