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
        ContentHash(hex_prefix(&blake3::hash(text.as_bytes()), 16))
    }
}

/// The first `digits` lower-case hex digits of `hash` (what
/// `hash.to_hex()[..digits]` gives), written without the other digits.
pub fn hex_prefix(hash: &blake3::Hash, digits: usize) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(digits + 1);
    for &byte in &hash.as_bytes()[..digits.div_ceil(2)] {
        out.push(HEX[usize::from(byte >> 4)]);
        out.push(HEX[usize::from(byte & 0xf)]);
    }
    out.truncate(digits);
    // Hex digits are ASCII: always text.
    String::from_utf8(out).unwrap_or_default()
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The digits written are the first digits of the full hex.
        #[test]
        fn hex_prefix_is_the_start_of_the_hex(text in ".{0,40}", digits in 0usize..=64) {
            let hash = blake3::hash(text.as_bytes());
            prop_assert_eq!(super::hex_prefix(&hash, digits), &hash.to_hex()[..digits]);
        }
    }
}
