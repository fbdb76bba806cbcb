//! What one note may expand into, so import time and collection growth
//! stay linear in the notes' size (SECURITY.md, "Nothing blocks or grows
//! without bound").
//!
//! A note's own text becomes cards about once. What can make more of it
//! is repetition: a paragraph of N clozes makes N cards that each hold the
//! paragraph, a footnote is shown under every section citing it, an embed
//! or a Logseq block reference copies another note's text. Each note gets
//! an allowance for such copies ([`Budget::for_note`]); what does not fit
//! is left out and reported with its line, never silently dropped.

/// At most this many cards from one note; the rest are left out and
/// reported (a note that long is split in Obsidian too).
pub const MAX_CARDS_PER_NOTE: usize = 100_000;

/// At most this many cloze numbers (`c1`, `c2`, …) make cards in one
/// paragraph; clozes of higher numbers show their answers.
pub const MAX_CLOZES_PER_PARAGRAPH: usize = 100;

/// A card's own Markdown (front and back, with its footnotes) is cut at
/// this size, at a line's end, with a note saying so.
pub const MAX_CARD_BYTES: usize = 1 << 20;

/// At most this many tags on a card (the note's and the section's);
/// `#nocard` and `#cloze` count whatever comes before them.
pub const MAX_TAGS: usize = 256;

/// A heading or term is cut at this many characters where it names a card
/// (its path of headings is repeated on every card below it).
pub const MAX_NAME_CHARS: usize = 500;

/// `name` cut at [`MAX_NAME_CHARS`] characters, with `…`.
pub fn cut_name(name: String) -> String {
    match name.char_indices().nth(MAX_NAME_CHARS) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name,
    }
}

/// The text copied into a note's cards (cloze cards, footnotes under each
/// citing section, embeds, block references) may be this many times the
/// note's own size …
pub const EXPANSION_FACTOR: usize = 16;

/// … plus this much, so a short note may embed a few long ones.
pub const EXPANSION_ALLOWANCE: usize = 1 << 20;

/// The notes a note embeds may be read up to this many times the note's
/// own size …
pub const EMBED_READ_FACTOR: usize = 32;

/// … plus this much (two embeds of the largest note there can be).
pub const EMBED_READ_ALLOWANCE: usize = 32 << 20;

/// The bytes a note may still copy into its cards, and the cards it may
/// still make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    left: usize,
    cards_left: usize,
    /// Cards refused for [`MAX_CARDS_PER_NOTE`], and the line of the first.
    cards_refused: Option<(usize, usize)>,
}

impl Budget {
    /// The allowance of a note of `note_bytes` bytes:
    /// [`EXPANSION_FACTOR`] × its size + [`EXPANSION_ALLOWANCE`].
    pub fn for_note(note_bytes: usize) -> Budget {
        Budget {
            left: note_bytes
                .saturating_mul(EXPANSION_FACTOR)
                .saturating_add(EXPANSION_ALLOWANCE),
            cards_left: MAX_CARDS_PER_NOTE,
            cards_refused: None,
        }
    }

    /// A budget that never runs out (tests, and text that is no note).
    pub fn unlimited() -> Budget {
        Budget {
            left: usize::MAX,
            cards_left: usize::MAX,
            cards_refused: None,
        }
    }

    /// Counts one more card of the note, from `line`; false when the note
    /// already has [`MAX_CARDS_PER_NOTE`] (the card is then left out, and
    /// counted for [`Budget::cards_refused`]).
    pub fn take_card(&mut self, line: usize) -> bool {
        if let Some(left) = self.cards_left.checked_sub(1) {
            self.cards_left = left;
            return true;
        }
        let (first, count) = self.cards_refused.unwrap_or((line, 0));
        self.cards_refused = Some((first, count + 1));
        false
    }

    /// The report of cards left out for [`MAX_CARDS_PER_NOTE`], if any:
    /// the line of the first, and what happened.
    pub fn cards_refused(&self) -> Option<(usize, String)> {
        self.cards_refused.map(|(line, count)| {
            (
                line,
                format!(
                    "{count} card(s) from here on left out: at most {MAX_CARDS_PER_NOTE} cards come from one note; split it into several notes"
                ),
            )
        })
    }

    /// Takes `bytes` from the budget if they fit; false (and nothing taken)
    /// when they do not.
    pub fn take(&mut self, bytes: usize) -> bool {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    /// What is left, in bytes.
    pub fn left(&self) -> usize {
        self.left
    }
}

/// `text` cut at [`MAX_CARD_BYTES`] (at the end of a line before the limit
/// where there is one), or `None` when it fits.
pub fn cut_card_text(text: &str) -> Option<String> {
    if text.len() <= MAX_CARD_BYTES {
        return None;
    }
    let mut end = MAX_CARD_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let end = text[..end].rfind('\n').filter(|&at| at > 0).unwrap_or(end);
    let mut cut = text[..end].to_owned();
    cut.push_str(&format!(
        "\n\n*(The rest of this section, {} KB, is too long for one card: see the note.)*\n",
        (text.len() - end).div_ceil(1024)
    ));
    Some(cut)
}

/// The size in words a person reads in a report (`1.2 MB`, `340 KB`).
pub fn size_in_words(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / f64::from(1u32 << 20))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_takes_what_fits_and_refuses_the_rest() {
        let mut budget = Budget::for_note(10);
        assert_eq!(budget.left(), 160 + EXPANSION_ALLOWANCE);
        assert!(budget.take(EXPANSION_ALLOWANCE));
        assert!(!budget.take(161), "more than is left is refused whole");
        assert!(budget.take(160));
        assert!(!budget.take(1));
        assert!(Budget::unlimited().take(usize::MAX));
        assert_eq!(Budget::for_note(usize::MAX).left(), usize::MAX);
    }

    #[test]
    fn long_card_text_is_cut_at_a_line_end() {
        assert_eq!(cut_card_text("short"), None);
        let line = "é".repeat(99) + "\n";
        let text = line.repeat(MAX_CARD_BYTES / line.len() + 10);
        let cut = cut_card_text(&text).expect("cut");
        assert!(cut.len() < MAX_CARD_BYTES + 200);
        let kept = cut.split("\n\n*(").next().expect("kept");
        assert!(kept.ends_with('é'), "cut at a line's end");
        assert!(cut.contains("too long for one card"));
    }
}
