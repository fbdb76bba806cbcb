//! Matching a note's freshly parsed cards to the cards stored for it.
//!
//! The rule, in order (each stored card is matched at most once):
//! 1. **Same place**: same kind and same heading path (the n-th section with
//!    a repeated path matches the n-th). Content may have changed: the card
//!    is *updated* and keeps its id and schedule.
//! 2. **Same content**: same kind and identical folded Markdown. The heading
//!    was renamed or the section moved: the card is *moved*.
//! 3. **Similar content**: same kind and word-pair similarity (Dice
//!    coefficient over word bigrams; over single words for texts of at
//!    most [`SHORT_TEXT_WORDS`] words) of at least [`SIMILARITY_THRESHOLD`],
//!    best pairs first: renamed or moved *and* lightly edited: *moved*.
//!
//! Parsed cards are matched under their own kind (a passage read as a
//! reading card is still a section or a definition), and a stored reading
//! card as a section (see [`CardKind::identity`]): a section that grows
//! past the reading length keeps its id and history.
//!
//! Stored cards left over are *retired*; parsed cards left over are *added*.
//! A retired card that matches again is *restored* with its progress.

use std::collections::{HashMap, HashSet};

use crate::markdown::ParsedCard;
use crate::model::CardKind;
use crate::storage::StoredCard;

/// The least similarity for rule 3 (0.0–1.0).
pub const SIMILARITY_THRESHOLD: f64 = 0.6;

/// Rule 3 compares at most this many pairs of cards in one note. Within
/// it, every new card is compared with every stored card left over (any
/// real edit of a note fits); past it, each new card is compared with the
/// stored cards nearest its place in the note, so matching stays linear
/// in the note's size.
pub const MAX_SIMILARITY_PAIRS: usize = 2_000_000;

/// What happened to one parsed card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No stored card matched: a new card.
    Added,
    /// Matched by place; content is identical.
    Unchanged(usize),
    /// Matched by place; content changed.
    Updated(usize),
    /// Matched by content after its heading or place changed.
    Moved(usize),
    /// Matched a retired card, which comes back with its progress.
    Restored(usize),
}

impl Outcome {
    /// Index of the matched stored card.
    pub fn stored(self) -> Option<usize> {
        match self {
            Outcome::Added => None,
            Outcome::Unchanged(i)
            | Outcome::Updated(i)
            | Outcome::Moved(i)
            | Outcome::Restored(i) => Some(i),
        }
    }
}

/// The matching key of each parsed card: kind and heading path, with `#n`
/// for the n-th repeat of the same path in one note.
pub fn match_keys(cards: &[ParsedCard]) -> Vec<String> {
    let mut keys: Vec<String> = cards
        .iter()
        .map(|card| {
            let kind = card.kind.identity().as_str();
            let headings = crate::storage::join_path(&card.heading_path);
            // Room for a repeat's `#n` too.
            let mut key = String::with_capacity(kind.len() + 1 + headings.len() + 4);
            key.push_str(kind);
            key.push(':');
            key.push_str(&headings);
            key
        })
        .collect();
    // How many times each key has come so far (counted before any `#n`
    // is added).
    let repeats: Vec<usize> = {
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(keys.len());
        keys.iter()
            .map(|key| {
                let count = seen.entry(key.as_str()).or_insert(0);
                *count += 1;
                *count
            })
            .collect()
    };
    for (key, repeat) in keys.iter_mut().zip(repeats) {
        if repeat > 1 {
            key.push('#');
            key.push_str(&repeat.to_string());
        }
    }
    keys
}

/// Matches parsed cards (with their keys) against stored cards.
///
/// Returns one outcome per parsed card, and the indices of stored cards that
/// were not matched and are not retired yet (to retire).
pub fn match_cards(
    stored: &[StoredCard],
    parsed: &[ParsedCard],
    keys: &[String],
) -> (Vec<Outcome>, Vec<usize>) {
    let mut outcomes = vec![Outcome::Added; parsed.len()];
    let mut used: HashSet<usize> = HashSet::new();

    // Two stored cards at one place (a retired one, or a stand-in another
    // device's decision made, beside the card in use): the card in use
    // holds it, else the last.
    let mut by_key: HashMap<&str, usize> = HashMap::with_capacity(stored.len());
    for (i, s) in stored.iter().enumerate() {
        let held = by_key.entry(s.match_key.as_str()).or_insert(i);
        if stored[*held].retired || !s.retired {
            *held = i;
        }
    }
    for (p, key) in keys.iter().enumerate() {
        if let Some(&s) = by_key.get(key.as_str()) {
            used.insert(s);
            outcomes[p] = place_outcome(&stored[s], &parsed[p], s);
        }
    }

    // Stored cards by content, in order, each list with a cursor to its
    // first card not taken yet (cards are only ever taken, so the cursor
    // only moves on: no rescans, however many cards share a content).
    let mut by_hash: HashMap<(CardKind, &str), (Vec<usize>, usize)> = HashMap::new();
    for (i, s) in stored.iter().enumerate() {
        if !used.contains(&i) {
            by_hash
                .entry((s.kind.identity(), s.content_hash.as_str()))
                .or_default()
                .0
                .push(i);
        }
    }
    for (p, card) in parsed.iter().enumerate() {
        if outcomes[p] != Outcome::Added {
            continue;
        }
        if let Some((candidates, next)) =
            by_hash.get_mut(&(card.kind.identity(), card.content_hash.0.as_str()))
        {
            if let Some(&s) = candidates.get(*next) {
                *next += 1;
                used.insert(s);
                outcomes[p] = moved_outcome(&stored[s], s);
            }
        }
    }

    // Rule 3 only runs when stored cards are left over; a first import has
    // none, so it computes no word pairs at all.
    let mut pairs: Vec<(f64, usize, usize)> = Vec::new();
    let leftover: Vec<(usize, Bigrams)> = (0..stored.len())
        .filter(|i| !used.contains(i))
        .map(|i| (i, Bigrams::of(&stored[i].source)))
        .collect();
    let unmatched = outcomes.iter().filter(|o| **o == Outcome::Added).count();
    // How many stored cards each new card is compared with.
    let window = if unmatched.saturating_mul(leftover.len()) <= MAX_SIMILARITY_PAIRS {
        leftover.len()
    } else {
        (MAX_SIMILARITY_PAIRS / unmatched.max(1)).max(1)
    };
    let kinds: HashSet<CardKind> = leftover
        .iter()
        .map(|(s, _)| stored[*s].kind.identity())
        .collect();
    for (p, card) in parsed.iter().enumerate() {
        if outcomes[p] != Outcome::Added || !kinds.contains(&card.kind.identity()) {
            continue;
        }
        let mine = Bigrams::of(&card.source);
        // The stored cards nearest this card's place in the note.
        let center = p * leftover.len() / parsed.len().max(1);
        let start = center
            .saturating_sub(window / 2)
            .min(leftover.len().saturating_sub(window));
        for (s, theirs) in &leftover[start..(start + window).min(leftover.len())] {
            if stored[*s].kind.identity() != card.kind.identity() {
                continue;
            }
            let score = mine.dice(theirs);
            if score >= SIMILARITY_THRESHOLD {
                pairs.push((score, p, *s));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, p, s) in pairs {
        if outcomes[p] == Outcome::Added && !used.contains(&s) {
            used.insert(s);
            outcomes[p] = moved_outcome(&stored[s], s);
        }
    }

    let to_retire = (0..stored.len())
        .filter(|i| !used.contains(i) && !stored[*i].retired)
        .collect();
    (outcomes, to_retire)
}

fn place_outcome(stored: &StoredCard, parsed: &ParsedCard, index: usize) -> Outcome {
    if stored.retired {
        Outcome::Restored(index)
    } else if stored.content_hash == parsed.content_hash.0 {
        Outcome::Unchanged(index)
    } else {
        Outcome::Updated(index)
    }
}

fn moved_outcome(stored: &StoredCard, index: usize) -> Outcome {
    if stored.retired {
        Outcome::Restored(index)
    } else {
        Outcome::Moved(index)
    }
}

/// Texts of at most this many words are compared word by word: a short
/// card (`Italy::Rome`) has too few word pairs to tell a light edit from
/// another card.
pub const SHORT_TEXT_WORDS: usize = 4;

/// The set of lower-cased word bigrams of a text (its single words for a
/// text of at most [`SHORT_TEXT_WORDS`] words), each kept as a 64-bit hash,
/// sorted.
struct Bigrams(Vec<u64>);

impl Bigrams {
    fn of(text: &str) -> Bigrams {
        let words: Vec<u64> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(word_hash)
            .collect();
        let mut pairs: Vec<u64> = if words.len() <= SHORT_TEXT_WORDS {
            words.iter().map(|&w| pair_hash(w, 0)).collect()
        } else {
            words.windows(2).map(|w| pair_hash(w[0], w[1])).collect()
        };
        pairs.sort_unstable();
        pairs.dedup();
        Bigrams(pairs)
    }

    /// Dice coefficient of two sets: 2|A∩B| / (|A|+|B|).
    fn dice(&self, other: &Bigrams) -> f64 {
        let (a, b) = (&self.0, &other.0);
        if a.is_empty() && b.is_empty() {
            return 1.0;
        }
        let (mut i, mut j, mut common) = (0, 0, 0usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    common += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        2.0 * common as f64 / (a.len() + b.len()) as f64
    }
}

/// FNV-1a over the lower-cased characters of a word (no allocation).
fn word_hash(word: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for c in word.chars().flat_map(char::to_lowercase) {
        let mut buf = [0u8; 4];
        for byte in c.encode_utf8(&mut buf).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // Never 0, which stands for "no second word".
    hash | 1
}

/// One hash for an ordered pair of word hashes.
fn pair_hash(first: u64, second: u64) -> u64 {
    (first.rotate_left(29) ^ second).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ContentHash;

    /// [`match_keys`] as it was first written: one `format!` a card.
    fn match_keys_by_format(cards: &[ParsedCard]) -> Vec<String> {
        let mut seen: HashMap<String, usize> = HashMap::new();
        cards
            .iter()
            .map(|card| {
                let base = format!(
                    "{}:{}",
                    card.kind.identity().as_str(),
                    card.heading_path.join("\u{1f}")
                );
                let count = seen.entry(base.clone()).or_insert(0);
                *count += 1;
                if *count == 1 {
                    base
                } else {
                    format!("{base}#{count}")
                }
            })
            .collect()
    }

    proptest::proptest! {
        /// The keys are those the `format!` gave, repeats (and headings
        /// that look like a repeat's key) included.
        #[test]
        fn match_keys_are_as_before(
            cards in proptest::collection::vec(
                (proptest::collection::vec("[ab#2]{0,2}", 0..3), 0..3usize), 0..12)
        ) {
            let kinds = [CardKind::Section, CardKind::Reading, CardKind::Cloze];
            let cards: Vec<ParsedCard> = cards
                .iter()
                .map(|(path, kind)| {
                    let path: Vec<&str> = path.iter().map(String::as_str).collect();
                    ParsedCard { kind: kinds[*kind], ..parsed(&path, "") }
                })
                .collect();
            proptest::prop_assert_eq!(match_keys(&cards), match_keys_by_format(&cards));
        }
    }

    fn parsed(path: &[&str], source: &str) -> ParsedCard {
        ParsedCard {
            kind: CardKind::Section,
            heading_path: path.iter().map(|s| s.to_string()).collect(),
            front_html: String::new(),
            back_html: String::new(),
            source: source.into(),
            content_hash: ContentHash::of(source),
            tags: vec![],
            line: 1,
            reading: false,
        }
    }

    fn stored(key: &str, source: &str, retired: bool) -> StoredCard {
        StoredCard {
            id: key.into(),
            kind: CardKind::Section,
            match_key: format!("section:{key}"),
            source: source.into(),
            content_hash: ContentHash::of(source).0,
            retired,
        }
    }

    #[test]
    fn each_rule() {
        let stored = vec![
            stored("A", "alpha text stays", false),
            stored("B", "bravo text is edited", false),
            stored("C", "charlie is renamed but identical", false),
            stored(
                "D",
                "delta is renamed and then edited a little bit here",
                false,
            ),
            stored("E", "echo goes away", false),
            stored("F", "foxtrot came back", true),
        ];
        let parsed = vec![
            parsed(&["A"], "alpha text stays"),
            parsed(&["B"], "bravo text is edited now"),
            parsed(&["C2"], "charlie is renamed but identical"),
            parsed(
                &["D2"],
                "delta is renamed and then edited a little bit there",
            ),
            parsed(&["F"], "foxtrot came back"),
            parsed(&["G"], "golf is new"),
        ];
        let keys = match_keys(&parsed);
        let (outcomes, retire) = match_cards(&stored, &parsed, &keys);
        assert_eq!(
            outcomes,
            vec![
                Outcome::Unchanged(0),
                Outcome::Updated(1),
                Outcome::Moved(2),
                Outcome::Moved(3),
                Outcome::Restored(5),
                Outcome::Added
            ]
        );
        assert_eq!(retire, vec![4]);
    }

    #[test]
    fn the_card_in_use_holds_its_place_against_a_retired_one_there() {
        // Either order: a stand-in another device's decision made at the
        // place, and the card in use there, whose text was rewritten.
        let mut in_use = stored("A", "the old text", false);
        in_use.id = "live".into();
        let mut stand_in = stored("A", "on another computer", true);
        stand_in.id = "stand-in".into();
        let parsed = vec![parsed(&["A"], "the rewritten text")];
        let keys = match_keys(&parsed);
        for stored in [
            vec![in_use.clone(), stand_in.clone()],
            vec![stand_in.clone(), in_use.clone()],
        ] {
            let (outcomes, retire) = match_cards(&stored, &parsed, &keys);
            let held = outcomes[0].stored().expect("matched");
            assert_eq!(stored[held].id.as_str(), "live");
            assert_eq!(outcomes[0], Outcome::Updated(held));
            assert!(retire.is_empty(), "{retire:?}");
        }
    }

    #[test]
    fn repeated_headings_get_numbered_keys() {
        let cards = vec![
            parsed(&["X", "Example"], "a"),
            parsed(&["X", "Example"], "b"),
        ];
        assert_eq!(
            match_keys(&cards),
            ["section:X\u{1f}Example", "section:X\u{1f}Example#2"]
        );
    }

    #[test]
    fn many_renamed_and_edited_cards_are_matched_near_their_place() {
        // 3,000 headings renamed and every text lightly edited: 9,000,000
        // pairs, past the cap, so each new card meets only its neighbours,
        // and still finds itself. Many identical texts are matched in order.
        let n = 3_000;
        let text = |i: usize| format!("fact {i} about the topic number {i} and more {i}");
        let old: Vec<StoredCard> = (0..n)
            .map(|i| stored(&format!("old {i}"), &text(i), false))
            .collect();
        let new: Vec<ParsedCard> = (0..n)
            .map(|i| parsed(&[&format!("new {i}")], &format!("{} today", text(i))))
            .collect();
        let keys = match_keys(&new);
        let (outcomes, retire) = match_cards(&old, &new, &keys);
        assert!(retire.is_empty());
        for (p, outcome) in outcomes.iter().enumerate() {
            assert_eq!(*outcome, Outcome::Moved(p));
        }

        let same: Vec<StoredCard> = (0..n)
            .map(|i| stored(&format!("s {i}"), "same", false))
            .collect();
        let again: Vec<ParsedCard> = (0..n)
            .map(|i| parsed(&[&format!("t {i}")], "same"))
            .collect();
        let (outcomes, _) = match_cards(&same, &again, &match_keys(&again));
        assert_eq!(outcomes[n - 1], Outcome::Moved(n - 1));
    }
}
