//! What the parser says about a card that the collection keeps: its kind
//! and the hash of its source.

use std::fmt;

/// What a card was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardKind {
    /// A heading section (or the note's title section).
    Section,
    /// A `**Term**: definition` line.
    Definition,
    /// A card written in a note: `Front::Back`, or front, `?`, back.
    Basic,
    /// A card written to be asked both ways (`:::`, `??`): one of the two.
    Reversed,
    /// One number of an Anki cloze paragraph (`{{c1::answer}}`).
    Cloze,
    /// A section too long to answer (over the doctor's `too_long` limit),
    /// shown in full and scheduled for re-reading (see the scheduler's
    /// `reading` module), counted apart from flashcards.
    Reading,
}

impl CardKind {
    /// The name stored in the collection.
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::Section => "section",
            CardKind::Definition => "definition",
            CardKind::Basic => "basic",
            CardKind::Reversed => "reversed",
            CardKind::Cloze => "cloze",
            CardKind::Reading => "reading",
        }
    }

    /// The kind a card's identity is matched under: a reading card is a
    /// section read instead of recalled, so a section that grows into a
    /// reading card (or back) keeps its id and history.
    pub fn identity(self) -> CardKind {
        match self {
            CardKind::Reading => CardKind::Section,
            other => other,
        }
    }

    /// True for a card that is read, not recalled.
    pub fn is_reading(self) -> bool {
        self == CardKind::Reading
    }

    /// Parses a stored name; unknown names read as sections.
    pub fn parse(text: &str) -> CardKind {
        match text {
            "definition" => CardKind::Definition,
            "basic" => CardKind::Basic,
            "reversed" => CardKind::Reversed,
            "cloze" => CardKind::Cloze,
            "reading" => CardKind::Reading,
            _ => CardKind::Section,
        }
    }
}

/// A short hash of a card's folded Markdown source.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ContentHash(pub String);

impl ContentHash {
    /// Hashes `text` (BLAKE3, first 16 hex digits).
    pub fn of(text: &str) -> ContentHash {
        ContentHash(blake3::hash(text.as_bytes()).to_hex()[..16].to_owned())
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
