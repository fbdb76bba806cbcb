//! Domain values shared by every part of the core.

use std::fmt;

pub use notedeck_markdown::card::{CardKind, ContentHash};

/// A card's stable identifier: 12 hex digits, kept for the card's lifetime.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CardId(pub String);

impl CardId {
    /// The id as text (as stored and shown).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for CardId {
    fn from(id: &str) -> CardId {
        CardId(id.to_owned())
    }
}

impl fmt::Display for CardId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a card stands in its learning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardState {
    /// Never answered.
    New,
    /// Answered, but not yet passed twice in a row.
    Learning,
    /// Passed at least twice: on the long intervals.
    Review,
    /// Its section left the note: out of the queue, history kept.
    Retired,
}

impl CardState {
    /// The name used in JSON and the collection.
    pub fn as_str(self) -> &'static str {
        match self {
            CardState::New => "new",
            CardState::Learning => "learning",
            CardState::Review => "review",
            CardState::Retired => "retired",
        }
    }
}

/// The separator between deck levels: `Parent::Child`.
pub const DECK_SEPARATOR: &str = "::";
