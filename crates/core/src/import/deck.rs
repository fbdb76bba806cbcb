//! Which deck a note goes to: the rule, decided from how it was imported,
//! and the deck name it gives for the note's title.

use std::fmt;
use std::path::Path;

use super::files::NoteFile;
use crate::markdown;
use crate::model::DECK_SEPARATOR;

/// How a note's deck is named. It is stored with the note (as
/// `exact:NAME`, `title:` or `under:PREFIX`), so that a changed rule makes
/// the next import parse the note again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckRule {
    /// A file imported with `--deck NAME`: that deck.
    Exact(String),
    /// A file imported on its own: a deck named after the note's title.
    Title,
    /// A note in an imported folder: a deck named after its title, under
    /// the folder's deck and its sub-folders' (`PREFIX`).
    Under(String),
}

impl DeckRule {
    /// The rule for `file`, imported from the path `root` (a folder when
    /// `is_dir`) with the `--deck` option `deck`.
    pub fn of(is_dir: bool, root: &Path, deck: Option<&str>, file: &NoteFile) -> DeckRule {
        if !is_dir {
            return match deck {
                Some(deck) => DeckRule::Exact(clean_deck_name(deck)),
                None => DeckRule::Title,
            };
        }
        let root_name = deck.map(str::to_owned).unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Notes".to_owned())
        });
        let mut parts = vec![clean_deck_name(&root_name)];
        // Folders that are a tool's structure, not the author's topics, are
        // no deck level: Jekyll's `_posts`/`_drafts`, Logseq's `pages`.
        parts.extend(
            file.folders
                .iter()
                .filter(|f| !matches!(f.as_str(), "_posts" | "_drafts" | "pages"))
                .map(|f| clean_deck_name(f)),
        );
        DeckRule::Under(parts.join(DECK_SEPARATOR))
    }

    /// The deck a note with `title` goes to (at most [`MAX_DECK_DEPTH`]
    /// levels deep).
    pub fn deck_for(&self, title: &str) -> String {
        let name = match self {
            DeckRule::Exact(deck) => deck.clone(),
            DeckRule::Title => clean_deck_name(title),
            DeckRule::Under(prefix) => {
                format!("{prefix}{DECK_SEPARATOR}{}", clean_deck_name(title))
            }
        };
        bounded_deck_name(name)
    }
}

/// The stored form: `exact:NAME`, `title:` or `under:PREFIX`.
impl fmt::Display for DeckRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeckRule::Exact(deck) => write!(f, "exact:{deck}"),
            DeckRule::Title => f.write_str("title:"),
            DeckRule::Under(prefix) => write!(f, "under:{prefix}"),
        }
    }
}

/// The deepest a deck may be: a deeper name (a title of a hundred `::`,
/// folders nested without end) keeps its first levels, and the rest
/// become the last level's name, joined by ` / `. Every walk of the deck
/// tree is then short, whatever the notes say.
pub const MAX_DECK_DEPTH: usize = 16;

/// The longest a level of a deck name may be, in characters (the rest is
/// cut, with `…`).
pub const MAX_DECK_PART_CHARS: usize = 200;

/// `name` with at most [`MAX_DECK_DEPTH`] levels of at most
/// [`MAX_DECK_PART_CHARS`] characters each.
pub fn bounded_deck_name(name: String) -> String {
    let parts: Vec<&str> = name.split(DECK_SEPARATOR).collect();
    let long_part = parts
        .iter()
        .any(|p| p.chars().nth(MAX_DECK_PART_CHARS).is_some());
    if parts.len() <= MAX_DECK_DEPTH && !long_part {
        return name;
    }
    let mut kept: Vec<String> = parts[..parts.len().min(MAX_DECK_DEPTH - 1)]
        .iter()
        .map(|p| (*p).to_owned())
        .collect();
    if parts.len() >= MAX_DECK_DEPTH {
        kept.push(parts[MAX_DECK_DEPTH - 1..].join(" / "));
    }
    kept.iter()
        .map(|part| match part.char_indices().nth(MAX_DECK_PART_CHARS) {
            Some((cut, _)) => format!("{}…", &part[..cut]),
            None => part.clone(),
        })
        .collect::<Vec<_>>()
        .join(DECK_SEPARATOR)
}

/// A deck name part without `::` (it separates levels) or stray spaces.
pub fn clean_deck_name(name: &str) -> String {
    let parts: Vec<String> = name
        .split(DECK_SEPARATOR)
        .map(markdown::fold_whitespace)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        "Untitled".to_owned()
    } else {
        parts.join(DECK_SEPARATOR)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_forms_and_decks() {
        assert_eq!(DeckRule::Title.to_string(), "title:");
        assert_eq!(DeckRule::Title.deck_for(" My  note "), "My note");
        let exact = DeckRule::Exact("Exam".into());
        assert_eq!(exact.to_string(), "exact:Exam");
        assert_eq!(exact.deck_for("Anything"), "Exam");
        let under = DeckRule::Under("Vault::Bio".into());
        assert_eq!(under.to_string(), "under:Vault::Bio");
        assert_eq!(under.deck_for("Cells"), "Vault::Bio::Cells");
        assert_eq!(clean_deck_name(" :: "), "Untitled");
    }

    #[test]
    fn deck_names_are_bounded_in_depth_and_length() {
        // A title of 20,000 levels once made a deck tree whose walks
        // overflowed the stack.
        let deep = DeckRule::Under("Vault".into()).deck_for(&"a::".repeat(20_000));
        let parts: Vec<&str> = deep.split(DECK_SEPARATOR).collect();
        assert_eq!(parts.len(), MAX_DECK_DEPTH);
        assert!(parts[MAX_DECK_DEPTH - 1].starts_with("a / a / a"));
        assert!(parts[MAX_DECK_DEPTH - 1].chars().count() <= MAX_DECK_PART_CHARS + 1);
        let long = DeckRule::Title.deck_for(&"x".repeat(1000));
        assert_eq!(long.chars().count(), MAX_DECK_PART_CHARS + 1);
        let ordinary = DeckRule::Under("Vault::Bio".into()).deck_for("Cells");
        assert_eq!(ordinary, "Vault::Bio::Cells");
    }
}
