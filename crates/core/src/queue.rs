//! Today's review queue.
//!
//! In order: review cards due today or earlier (most overdue first, then in
//! the order they were made), then
//! new cards in note order up to the daily new-card limit, all capped by the
//! daily review limit; then the same-day repeats (cards whose last answer
//! today was below 4), oldest answer first. Retired, suspended and buried
//! cards never appear.

use chrono::NaiveDate;

use crate::storage::{CardRow, Collection};
use crate::Result;

/// Daily limits, stored in the collection's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// New cards introduced per day.
    pub new_per_day: i64,
    /// First-of-day answers per day, new cards included.
    pub reviews_per_day: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            new_per_day: 20,
            reviews_per_day: 200,
        }
    }
}

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueReason {
    /// A learned card due today or earlier.
    Due,
    /// A card never answered.
    New,
    /// Answered below 4 earlier today: comes back until answered 4 or 5.
    Repeat,
}

impl QueueReason {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueReason::Due => "due",
            QueueReason::New => "new",
            QueueReason::Repeat => "repeat",
        }
    }
}

/// Builds today's queue, optionally for one deck and its sub-decks.
pub fn today(
    collection: &Collection,
    today: NaiveDate,
    deck: Option<&str>,
    limits: Limits,
) -> Result<Vec<(CardRow, QueueReason)>> {
    let reader = collection.reader();
    let day = crate::day::format_day(today);
    let (new_done, answers_done) = reader.answered_today(today)?;
    let room = (limits.reviews_per_day - answers_done).max(0);
    let new_room = (limits.new_per_day - new_done).max(0).min(room);

    let mut queue: Vec<(CardRow, QueueReason)> = Vec::new();
    // Most overdue first, then in the order the cards were made. The
    // `cards_due` index gives that order directly, so a pile of overdue
    // cards is not sorted to take the first 200; a small deck is read
    // from its notes instead of picked out of the whole pile.
    let deck_first = match deck {
        Some(deck) => {
            let (in_deck, all) = reader.deck_note_share(deck)?;
            in_deck * 4 < all
        }
        None => false,
    };
    let due = reader.due_cards(deck, &day, room, deck_first)?;
    queue.extend(due.into_iter().map(|c| (c, QueueReason::Due)));
    let new_room = new_room.min(room - queue.len() as i64).max(0);
    let new = reader.new_cards(deck, &day, new_room)?;
    queue.extend(new.into_iter().map(|c| (c, QueueReason::New)));
    let repeats = reader.repeat_cards(deck, &day)?;
    queue.extend(repeats.into_iter().map(|c| (c, QueueReason::Repeat)));
    Ok(queue)
}
