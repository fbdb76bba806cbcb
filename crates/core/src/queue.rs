//! Today's review queue.
//!
//! In order: review cards due today or earlier (most overdue first, then in
//! the order they were made), then
//! new cards in note order up to the daily new-card limit, all capped by the
//! daily review limit; then the same-day repeats (cards whose last answer
//! today was below 4), oldest answer first. Siblings (a note's written
//! cards on one line: a `:::` pair, a cloze paragraph) are shown one a day
//! where the deck keeps them apart (see [`SiblingRule`]). Reading cards
//! come after all flashcards, due ones first then new ones in note order,
//! up to the daily reading limit (counted apart from the flashcard
//! limits). With learning steps, [`today_at`] puts the cards in their steps
//! that are due first, and those due within 20 minutes last. Retired,
//! suspended and buried cards never appear.

use chrono::{Datelike, NaiveDate};

use crate::search::{Filter, Query, StateFilter, Term};
use crate::storage::{CardRow, Collection, Pick, Scope, SortKey};
use crate::Result;

/// Daily limits, stored in the collection's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// New cards introduced per day.
    pub new_per_day: i64,
    /// First-of-day answers per day, new cards included.
    pub reviews_per_day: i64,
    /// The own limits (options) of the reviewed deck and of its parents,
    /// each counted on that deck's answers today; all of them and the
    /// collection's hold.
    pub decks: Vec<(String, DeckLimits)>,
    /// New cards in a random order (fixed for the day) instead of note order.
    pub random_new: bool,
    /// Reading cards read per day (0: none are offered).
    pub reading_per_day: i64,
    /// Which decks keep siblings apart.
    pub siblings: SiblingRule,
}

/// Which decks keep siblings apart: the cards of one `:::` pair or one
/// cloze paragraph (a note's written cards on the same line) are not shown
/// on the same day, as Anki's sibling burying does. On unless a deck (or
/// a parent) sets it off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiblingRule {
    /// Decks that set it, by full name.
    pub set: std::collections::HashMap<String, bool>,
}

impl SiblingRule {
    /// True when cards of `deck` keep their siblings apart.
    pub fn buries(&self, deck: &str) -> bool {
        let mut name = Some(deck);
        while let Some(current) = name {
            if let Some(on) = self.set.get(current) {
                return *on;
            }
            name = current
                .rsplit_once(crate::model::DECK_SEPARATOR)
                .map(|(parent, _)| parent);
        }
        true
    }
}

/// True for the kinds whose cards come in sibling groups (one line of a
/// note, several cards).
pub fn has_siblings(kind: crate::model::CardKind) -> bool {
    matches!(
        kind,
        crate::model::CardKind::Reversed | crate::model::CardKind::Cloze
    )
}

/// Extra due and new cards read, so that siblings left out still leave a
/// full queue.
const SIBLING_SLACK: i64 = 200;

/// Today's sibling rule as the queue fills: one card of a group a day, none
/// when one was answered.
struct Apart<'a> {
    /// Note paths and lines of the groups already answered or queued today.
    seen: std::collections::HashSet<(String, i64)>,
    rule: &'a SiblingRule,
}

impl Apart<'_> {
    /// True when `card` may join the queue (and, if it has siblings, keeps
    /// them out from now on).
    fn admits(&mut self, card: &CardRow) -> bool {
        !has_siblings(card.kind)
            || !self.rule.buries(&card.deck)
            || self.seen.insert((card.note.clone(), card.line))
    }

    /// At most `room` cards that `read` (given a limit) returns in order,
    /// siblings kept apart. Reads `room` cards, and `SIBLING_SLACK` more
    /// only when siblings were left out of a full read: the cards are whole
    /// rows, their HTML included.
    fn take(
        &mut self,
        room: i64,
        read: impl Fn(i64) -> Result<Vec<CardRow>>,
    ) -> Result<Vec<CardRow>> {
        if room <= 0 {
            return Ok(Vec::new());
        }
        let seen_before = self.seen.clone();
        let cards = read(room)?;
        let full = cards.len() as i64 >= room;
        let read_count = cards.len();
        let kept: Vec<CardRow> = cards.into_iter().filter(|c| self.admits(c)).collect();
        if kept.len() == read_count || !full {
            return Ok(kept);
        }
        self.seen = seen_before;
        Ok(read(room + SIBLING_SLACK)?
            .into_iter()
            .filter(|c| self.admits(c))
            .take(room as usize)
            .collect())
    }
}

/// Reading cards offered per day unless the settings say otherwise.
pub const DEFAULT_READING_PER_DAY: i64 = 5;

/// New cards per day unless the settings say otherwise.
pub const DEFAULT_NEW_PER_DAY: i64 = 20;

/// First-of-day answers per day unless the settings say otherwise.
pub const DEFAULT_REVIEWS_PER_DAY: i64 = 200;

/// A deck's own daily limits (`i64::MAX`: none of that kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeckLimits {
    /// New cards introduced per day in the deck (with its sub-decks).
    pub new_per_day: i64,
    /// First-of-day answers per day in the deck.
    pub reviews_per_day: i64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            new_per_day: DEFAULT_NEW_PER_DAY,
            reviews_per_day: DEFAULT_REVIEWS_PER_DAY,
            decks: Vec::new(),
            random_new: false,
            reading_per_day: DEFAULT_READING_PER_DAY,
            siblings: SiblingRule::default(),
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
    /// In its learning steps (an option): shown again at a time of day.
    Learning,
    /// Custom study: due in the coming days, reviewed ahead.
    Ahead,
    /// Custom study: crammed (its answers change nothing).
    Cram,
    /// Custom study: failed today, studied again.
    Failed,
}

impl QueueReason {
    /// The name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            QueueReason::Due => "due",
            QueueReason::New => "new",
            QueueReason::Repeat => "repeat",
            QueueReason::Learning => "learning",
            QueueReason::Ahead => "ahead",
            QueueReason::Cram => "cram",
            QueueReason::Failed => "failed",
        }
    }
}

/// A custom study session: cards beyond today's queue. Its answers do not
/// count against the daily limits, so the daily queue stays as it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Session {
    /// Cards due in the coming days, answered (and scheduled) now.
    Ahead,
    /// New cards beyond today's new-card limit.
    ExtraNew,
    /// Cards failed today, again.
    FailedToday,
    /// Cards studied without changing their schedules (answers logged as
    /// kind `cram`, counted in no retention figure).
    Cram,
}

impl Session {
    /// The name stored in the log and used in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            Session::Ahead => "ahead",
            Session::ExtraNew => "extra_new",
            Session::FailedToday => "failed_today",
            Session::Cram => "cram",
        }
    }

    /// Parses a stored or requested name.
    pub fn parse(name: &str) -> Option<Session> {
        Some(match name {
            "ahead" => Session::Ahead,
            "extra_new" => Session::ExtraNew,
            "failed_today" => Session::FailedToday,
            "cram" => Session::Cram,
            _ => return None,
        })
    }
}

/// What a custom session studies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Study {
    /// Cards due within this many days (not yet due today).
    Ahead(u32),
    /// Every card of the selection, in note order, schedules untouched.
    Cram,
    /// This many new cards beyond today's queue.
    ExtraNew(u32),
    /// The cards answered Again (below 3) today.
    FailedToday,
}

impl Study {
    /// The session its answers belong to.
    pub fn session(self) -> Session {
        match self {
            Study::Ahead(_) => Session::Ahead,
            Study::Cram => Session::Cram,
            Study::ExtraNew(_) => Session::ExtraNew,
            Study::FailedToday => Session::FailedToday,
        }
    }
}

/// The most cards one custom session holds.
pub const MAX_STUDY_CARDS: i64 = 2000;

/// The cards of a custom session over the cards `selection` finds (within
/// `deck`, if given): never suspended, buried or retired ones.
pub fn study(
    collection: &Collection,
    today: NaiveDate,
    deck: Option<&str>,
    selection: &Query,
    study: Study,
    limits: Limits,
) -> Result<Vec<(CardRow, QueueReason)>> {
    let mut query = selection.clone();
    for state in [
        StateFilter::Suspended,
        StateFilter::Buried,
        StateFilter::Retired,
    ] {
        query.terms.push(Term {
            negated: true,
            filter: Filter::State(state),
        });
    }
    let (sort, limit, reason) = match study {
        Study::Ahead(days) => {
            query.terms.push(Term {
                negated: false,
                filter: Filter::DueWithin(i64::from(days)),
            });
            query.terms.push(Term {
                negated: true,
                filter: Filter::DueWithin(0),
            });
            (SortKey::Due, MAX_STUDY_CARDS, QueueReason::Ahead)
        }
        Study::Cram => (SortKey::NoteOrder, MAX_STUDY_CARDS, QueueReason::Cram),
        Study::ExtraNew(count) => {
            query.terms.push(Term {
                negated: false,
                filter: Filter::State(StateFilter::New),
            });
            // Past the new cards today's queue gives, then `count` more.
            let daily = today_queue_new(collection, today, deck, limits)?;
            let wanted = i64::from(count).min(MAX_STUDY_CARDS) + daily.len() as i64;
            let (_, cards) = collection.reader().search_cards(
                &query,
                deck,
                today,
                (SortKey::NoteOrder, false),
                wanted,
                0,
            )?;
            return Ok(cards
                .into_iter()
                .filter(|c| !daily.contains(&c.id))
                .take(count as usize)
                .map(|c| (c, QueueReason::New))
                .collect());
        }
        Study::FailedToday => {
            query.terms.push(Term {
                negated: false,
                filter: Filter::FailedOn(today),
            });
            (SortKey::NoteOrder, MAX_STUDY_CARDS, QueueReason::Failed)
        }
    };
    let (_, cards) =
        collection
            .reader()
            .search_cards(&query, deck, today, (sort, false), limit, 0)?;
    Ok(cards.into_iter().map(|c| (c, reason)).collect())
}

/// Cards in their learning steps shown before their time when nothing
/// else is left (Anki's "learn ahead"), in seconds.
pub const LEARN_AHEAD_SECONDS: i64 = 20 * 60;

/// Today's queue at `now` (UTC seconds): cards in their learning steps due
/// by now first, then [`today`]'s, then those due within
/// [`LEARN_AHEAD_SECONDS`].
pub fn today_at<'a>(
    collection: &Collection,
    now: i64,
    day: NaiveDate,
    scope: impl Into<Scope<'a>> + Copy,
    limits: Limits,
) -> Result<Vec<(CardRow, QueueReason)>> {
    let mut learning = collection
        .reader()
        .learning_cards(scope.into(), &crate::day::format_day(day))?;
    learning.retain(|c| {
        c.learning
            .is_some_and(|l| l.due <= now + LEARN_AHEAD_SECONDS)
    });
    learning.sort_by_key(|c| c.learning.map_or(0, |l| l.due));
    let (now_due, ahead): (Vec<CardRow>, Vec<CardRow>) = learning
        .into_iter()
        .partition(|c| c.learning.is_some_and(|l| l.due <= now));
    let mut queue: Vec<(CardRow, QueueReason)> = now_due
        .into_iter()
        .map(|c| (c, QueueReason::Learning))
        .collect();
    queue.extend(today(collection, day, scope, limits)?);
    queue.extend(ahead.into_iter().map(|c| (c, QueueReason::Learning)));
    Ok(queue)
}

/// Today's answers in `deck` and its sub-decks (new cards introduced,
/// first-of-day answers), from the counts per deck
/// ([`crate::storage::Reader::answered_today_by_deck`]).
pub fn answered_in_subtree(
    by_deck: &std::collections::HashMap<String, (i64, i64)>,
    deck: &str,
) -> (i64, i64) {
    let sub = format!("{deck}{}", crate::model::DECK_SEPARATOR);
    by_deck
        .iter()
        .filter(|(name, _)| *name == deck || name.starts_with(&sub))
        .fold((0, 0), |(n, a), (_, (dn, da))| (n + dn, a + da))
}

/// The ids of the new cards today's queue gives.
fn today_queue_new(
    collection: &Collection,
    day: NaiveDate,
    deck: Option<&str>,
    limits: Limits,
) -> Result<Vec<crate::model::CardId>> {
    Ok(today(collection, day, deck, limits)?
        .into_iter()
        .filter(|(_, reason)| *reason == QueueReason::New)
        .map(|(card, _)| card.id)
        .collect())
}

/// Builds today's queue, optionally for one deck and its sub-decks and/or
/// the cards with a tag (`scope`).
pub fn today<'a>(
    collection: &Collection,
    today: NaiveDate,
    scope: impl Into<Scope<'a>>,
    limits: Limits,
) -> Result<Vec<(CardRow, QueueReason)>> {
    let scope = scope.into();
    let deck = scope.deck;
    let reader = collection.reader();
    let day = crate::day::format_day(today);
    let (new_done, answers_done) = reader.answered_today(today)?;
    let mut room = (limits.reviews_per_day - answers_done).max(0);
    let mut new_room = (limits.new_per_day - new_done).max(0);
    let by_deck = if limits.decks.is_empty() {
        Default::default()
    } else {
        reader.answered_today_by_deck(&day)?
    };
    for (name, own) in &limits.decks {
        let (deck_new, deck_answers) = answered_in_subtree(&by_deck, name);
        room = room.min((own.reviews_per_day - deck_answers).max(0));
        new_room = new_room.min((own.new_per_day - deck_new).max(0));
    }
    let new_room = new_room.min(room);

    let mut queue: Vec<(CardRow, QueueReason)> = Vec::new();
    // Most overdue first (under FSRS: least likely recalled first), then
    // in the order the cards were made. Under SM-2 the
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
    let lowest_recall_first = matches!(
        reader.current_scheduler()?.1,
        crate::scheduler::Scheduler::Fsrs(_)
    );
    let order = (deck_first, lowest_recall_first);
    // Siblings: one card of a group a day (none when one was answered).
    let mut apart = Apart {
        seen: reader.sibling_lines_answered_on(&day)?,
        rule: &limits.siblings,
    };
    let due = apart.take(room, |limit| {
        reader.due_cards(scope, &day, limit, order, Pick::Flashcards)
    })?;
    queue.extend(due.into_iter().map(|c| (c, QueueReason::Due)));
    let new_room = new_room.min(room - queue.len() as i64).max(0);
    let seed = limits.random_new.then(|| today.num_days_from_ce().into());
    let new = apart.take(new_room, |limit| {
        reader.new_cards(scope, &day, limit, seed, Pick::Flashcards)
    })?;
    queue.extend(new.into_iter().map(|c| (c, QueueReason::New)));
    let repeats = reader.repeat_cards(scope, &day)?;
    queue.extend(repeats.into_iter().map(|c| (c, QueueReason::Repeat)));
    // Reading after every flashcard, within its own daily limit.
    let reading_room = (limits.reading_per_day - reader.read_today(today)?).max(0);
    if reading_room > 0 {
        let due = reader.due_cards(scope, &day, reading_room, order, Pick::Reading)?;
        let new_room = reading_room - due.len() as i64;
        queue.extend(due.into_iter().map(|c| (c, QueueReason::Due)));
        if new_room > 0 {
            let new = reader.new_cards(scope, &day, new_room, None, Pick::Reading)?;
            queue.extend(new.into_iter().map(|c| (c, QueueReason::New)));
        }
    }
    Ok(queue)
}
