//! The user's alias file: names to merge, rename or drop, applied to every
//! article's entities as it is indexed.
//!
//! The format, one rule a line (`#` starts a comment line):
//!
//! ```text
//! person: Vladimir Putin = Putin, V. Putin   # merge: these names are one person
//! Kyiv = Kiev                                # rename, for any type
//! drop: Telegram                             # a false positive, any type
//! drop place: Muslims                        # only where it was found as a place
//! ```
//!
//! Names match by their key (case, accents, punctuation and a "Last, First"
//! order ignored), on the entity's canonical name or the text of the mention.
//! A type (`person`, `org`, `place`) limits a rule to entities of that type.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::entities::name_key;
use crate::ner::{Entity, EntityKind, Geo};

/// The largest alias file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// What happens to an entity a rule matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Action {
    /// It takes this canonical name.
    Rename(String),
    /// It is not an entity.
    Drop,
}

/// A bad line of an alias file.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct AliasError {
    pub path: PathBuf,
    pub line: usize,
    pub message: String,
}

/// The rules of an alias file, by type (`None`: any) and name key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases {
    rules: BTreeMap<(Option<EntityKind>, String), Action>,
}

fn kind_of(word: &str) -> Option<EntityKind> {
    match word.trim().to_lowercase().as_str() {
        "person" | "per" | "people" => Some(EntityKind::Person),
        "org" | "organization" | "organisation" => Some(EntityKind::Organization),
        "place" | "loc" | "location" => Some(EntityKind::Place),
        _ => None,
    }
}

/// The key a rule name gets: for a rule of any type, the person form of the
/// key is kept too, so "Smeets, Hubert" matches either way.
fn keys(kind: Option<EntityKind>, name: &str) -> Vec<String> {
    let mut keys = vec![name_key(kind.unwrap_or(EntityKind::Place), name)];
    if kind.is_none() {
        keys.push(name_key(EntityKind::Person, name));
    }
    keys.retain(|k| !k.is_empty());
    keys.dedup();
    keys
}

impl Aliases {
    /// Parses an alias file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Aliases, AliasError> {
        let mut aliases = Aliases::default();
        for (n, raw) in text.lines().enumerate() {
            let err = |message: String| AliasError {
                path: path.to_path_buf(),
                line: n + 1,
                message,
            };
            let line = raw.split(" #").next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            // An optional "drop", then an optional type, then a colon.
            let (head, rest) = match line.split_once(':') {
                Some((head, rest)) if !head.contains('=') && !head.trim().is_empty() => {
                    (head.trim().to_lowercase(), rest.trim())
                }
                _ => (String::new(), line),
            };
            let mut words = head.split_whitespace();
            let (drop, kind_word) = match words.next() {
                Some("drop") => (true, words.next()),
                first => (false, first),
            };
            if words.next().is_some() {
                return Err(err(format!(
                    "unexpected {head:?} before ':'; write 'TYPE: NAME = ALIAS, ...' or 'drop TYPE: NAME'"
                )));
            }
            let kind = match kind_word {
                None => None,
                Some(word) => Some(kind_of(word).ok_or_else(|| {
                    err(format!(
                        "unknown type {word:?}; use person, org or place (or leave it out)"
                    ))
                })?),
            };
            if drop {
                if rest.contains('=') {
                    return Err(err("a drop rule takes names only, without '='".into()));
                }
                for name in rest.split(',') {
                    for key in keys(kind, name) {
                        aliases.rules.insert((kind, key), Action::Drop);
                    }
                }
                continue;
            }
            let Some((name, others)) = rest.split_once('=') else {
                return Err(err(
                    "expected 'NAME = ALIAS, ...' (merge or rename) or 'drop: NAME'".into(),
                ));
            };
            let name = name.trim();
            if name_key(EntityKind::Place, name).is_empty() {
                return Err(err("the name before '=' is empty".into()));
            }
            let mut any = false;
            for alias in others.split(',') {
                for key in keys(kind, alias) {
                    any = true;
                    aliases
                        .rules
                        .insert((kind, key), Action::Rename(name.to_string()));
                }
            }
            if !any {
                return Err(err("no names after '='".into()));
            }
        }
        Ok(aliases)
    }

    /// Reads an alias file.
    pub fn load(path: &Path) -> Result<Aliases, AliasError> {
        use std::io::Read;
        let fail = |message: String| AliasError {
            path: path.to_path_buf(),
            line: 0,
            message,
        };
        let mut text = String::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
            .map_err(|e| fail(format!("cannot read the alias file: {e}")))?;
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(fail(format!(
                "the alias file is larger than {} MB; split off what is not aliases",
                MAX_FILE_BYTES >> 20
            )));
        }
        Aliases::parse(&text, path)
    }

    /// A number that changes whenever the rules do (not with comments or
    /// layout), so the index knows which files were read with other rules.
    pub fn fingerprint(&self) -> u64 {
        if self.rules.is_empty() {
            return 0;
        }
        let mut text = String::new();
        for ((kind, key), action) in &self.rules {
            let kind = kind.map_or("any", EntityKind::as_str);
            match action {
                Action::Rename(name) => text.push_str(&format!("{kind}\t{key}\t={name}\n")),
                Action::Drop => text.push_str(&format!("{kind}\t{key}\tdrop\n")),
            }
        }
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }

    fn action(&self, kind: EntityKind, name: &str) -> Option<&Action> {
        let key = name_key(kind, name);
        self.rules
            .get(&(Some(kind), key.clone()))
            .or_else(|| self.rules.get(&(None, key)))
    }

    /// Applies the rules to the entities found in `text`: a renamed entity
    /// takes the new name (and, for a place, `locate`'s entry for it), a
    /// dropped one is removed.
    pub fn apply(
        &self,
        text: &str,
        entities: &mut Vec<Entity>,
        locate: &dyn Fn(&str) -> Option<Geo>,
    ) {
        if self.rules.is_empty() {
            return;
        }
        entities.retain_mut(|e| {
            let surface = text.get(e.start..e.end).unwrap_or("");
            let action = self
                .action(e.kind, &e.canonical)
                .or_else(|| self.action(e.kind, surface));
            match action {
                Some(Action::Drop) => false,
                Some(Action::Rename(name)) => {
                    e.canonical = name.clone();
                    if e.kind == EntityKind::Place {
                        e.geo = locate(name);
                    }
                    true
                }
                None => true,
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Aliases {
        Aliases::parse(text, Path::new("aliases.txt")).expect("valid alias file")
    }

    fn entity(text: &str, needle: &str, kind: EntityKind, canonical: &str) -> Entity {
        let start = text.find(needle).expect("needle");
        Entity {
            kind,
            start,
            end: start + needle.len(),
            canonical: canonical.into(),
            geo: None,
        }
    }

    fn no_geo(_: &str) -> Option<Geo> {
        None
    }

    #[test]
    fn merge_rename_and_drop_rules_change_the_entities() {
        let aliases = parse(
            "# people\n\
             person: Vladimir Putin = Putin, V. Putin\n\
             Kyiv = Kiev   # the spelling we use\n\
             drop: Telegram\n\
             drop place: Muslims\n",
        );
        let text = "Putin met Kiev officials on Telegram; Muslims and Muslims.";
        let mut found = vec![
            entity(text, "Putin", EntityKind::Person, "Putin"),
            entity(text, "Kiev", EntityKind::Place, "Kiev"),
            entity(text, "Telegram", EntityKind::Organization, "Telegram"),
            entity(text, "Muslims", EntityKind::Place, "Muslims"),
        ];
        found.push(Entity {
            kind: EntityKind::Organization,
            ..entity(text, "Muslims", EntityKind::Place, "Muslims")
        });
        aliases.apply(text, &mut found, &no_geo);
        let names: Vec<(EntityKind, &str)> = found
            .iter()
            .map(|e| (e.kind, e.canonical.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                (EntityKind::Person, "Vladimir Putin"),
                (EntityKind::Place, "Kyiv"),
                // Only the place was dropped.
                (EntityKind::Organization, "Muslims"),
            ]
        );
    }

    #[test]
    fn a_typed_rule_leaves_other_types_alone() {
        let aliases = parse("person: Georgia Smith = Georgia\n");
        let text = "Georgia";
        let mut found = vec![entity(text, "Georgia", EntityKind::Place, "Georgia")];
        aliases.apply(text, &mut found, &no_geo);
        assert_eq!(found[0].canonical, "Georgia");
    }

    #[test]
    fn names_match_by_key_and_by_the_mention_text() {
        let aliases = parse("org: Islamic State Khorasan Province = isis k\n");
        let text = "ISIS-K struck.";
        let mut found = vec![entity(text, "ISIS-K", EntityKind::Organization, "ISKP")];
        aliases.apply(text, &mut found, &no_geo);
        assert_eq!(found[0].canonical, "Islamic State Khorasan Province");
    }

    #[test]
    fn a_renamed_place_is_located_by_its_new_name() {
        let aliases = parse("place: Kyiv = Kiev\n");
        let text = "Kiev";
        let mut found = vec![entity(text, "Kiev", EntityKind::Place, "Kiev")];
        let locate = |name: &str| {
            (name == "Kyiv").then(|| Geo {
                geonames_id: 703448,
                country: "UA".into(),
                lat: 50.45,
                lon: 30.52,
            })
        };
        aliases.apply(text, &mut found, &locate);
        assert_eq!(found[0].geo.as_ref().map(|g| g.geonames_id), Some(703448));
    }

    #[test]
    fn the_fingerprint_follows_the_rules_not_the_layout() {
        let a = parse("drop: Telegram\nKyiv = Kiev\n");
        let b = parse("# comment\nKyiv   =   Kiev\n\ndrop: telegram\n");
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), parse("Kyiv = Kiev\n").fingerprint());
        assert_eq!(Aliases::default().fingerprint(), 0);
    }

    #[test]
    fn bad_lines_name_the_file_and_line() {
        for (text, line) in [
            ("Kyiv = Kiev\nthing: A = B\n", 2),
            ("just a name\n", 1),
            ("drop: A = B\n", 1),
            ("= Kiev\n", 1),
            ("Kyiv =\n", 1),
        ] {
            let err = Aliases::parse(text, Path::new("ix/aliases.txt")).expect_err(text);
            assert_eq!(err.line, line, "{text}");
            assert!(
                err.to_string()
                    .starts_with(&format!("ix/aliases.txt:{line}: "))
            );
        }
    }
}
