//! Progress statistics for the whole collection or one deck (sub-decks
//! included) over a range of days, computed from grouped queries.
//!
//! Definitions:
//! - card states: *new* (never answered), *learning* (answered, not yet
//!   passed twice: `n < 2`), *young* (`n >= 2`, interval < 21 days),
//!   *mature* (`n >= 2`, interval >= 21 days), *retired*;
//! - *retention*: the share of first-of-day answers on learned cards (passed
//!   at least once before, `n >= 1`) graded 3 or more; *young* and *mature*
//!   split those answers by the interval before the answer (< 21, >= 21);
//! - *new cards learned* on a day: cards answered for the first time ever.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};

use crate::review_totals::{self, DayTotal, DeckTotal, Tally, Totals};
use crate::storage::{CardFact, CardRow, Collection, Scope};
use crate::Result;

/// A hash map with FNV-1a hashing: card ids are short, and SipHash would
/// dominate a pass over a million answers.
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The 64-bit FNV-1a hasher.
#[derive(Debug, Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// A card id as a map key: our ids are 12 hex digits, read as a number;
/// anything else is hashed.
fn card_key(id: &str) -> u64 {
    if id.len() == 12 {
        if let Ok(value) = u64::from_str_radix(id, 16) {
            return value;
        }
    }
    let mut hasher = Fnv::default();
    std::hash::Hasher::write(&mut hasher, id.as_bytes());
    std::hash::Hasher::finish(&hasher) | (1 << 63)
}

/// Interval at which a card counts as mature, in days.
pub const MATURE_DAYS: i64 = 21;

/// Card counts by state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateCounts {
    /// Never answered.
    pub new: i64,
    /// Answered, not yet passed twice.
    pub learning: i64,
    /// Passed twice or more, interval < 21 days.
    pub young: i64,
    /// Interval >= 21 days.
    pub mature: i64,
    /// Out of the queue.
    pub retired: i64,
}

impl StateCounts {
    /// Adds `other`'s counts to these.
    fn add(&mut self, other: &StateCounts) {
        self.new += other.new;
        self.learning += other.learning;
        self.young += other.young;
        self.mature += other.mature;
        self.retired += other.retired;
    }

    /// Cards not retired.
    pub fn active(&self) -> i64 {
        self.new + self.learning + self.young + self.mature
    }
}

/// Answers of first-of-day answers on learned cards, and how many passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Retention {
    /// Answers counted.
    pub answers: i64,
    /// Of those, graded 3 or more.
    pub passed: i64,
}

impl Retention {
    /// `passed / answers`, or `None` without answers.
    pub fn rate(&self) -> Option<f64> {
        (self.answers > 0).then(|| self.passed as f64 / self.answers as f64)
    }

    /// Adds `other`'s answers to these.
    pub(crate) fn add(&mut self, other: Retention) {
        self.answers += other.answers;
        self.passed += other.passed;
    }
}

/// One day of the range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayStats {
    /// The day.
    pub day: NaiveDate,
    /// What its answers add up to.
    pub totals: DayTotal,
}

/// Retention over a week or a month.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodRetention {
    /// First day of the period (Monday, or the 1st).
    pub start: NaiveDate,
    /// All learned cards.
    pub all: Retention,
    /// Young cards.
    pub young: Retention,
    /// Mature cards.
    pub mature: Retention,
}

/// A histogram bucket.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucket {
    /// Human label, e.g. `7–13 d`.
    pub label: String,
    /// Cards in the bucket.
    pub count: i64,
}

/// Per-deck summary row.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckSummary {
    /// Deck name.
    pub deck: String,
    /// Card counts.
    pub counts: StateCounts,
    /// Answers in the range.
    pub reviews: i64,
    /// Retention in the range.
    pub retention: Retention,
}

/// Everything the statistics screen and exports show.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// The learner's today.
    pub today: NaiveDate,
    /// First day of the range.
    pub from: NaiveDate,
    /// Deck filter, if any.
    pub deck: Option<String>,
    /// Card counts by state.
    pub counts: StateCounts,
    /// One entry per day of the range, oldest first.
    pub days: Vec<DayStats>,
    /// Retention over the whole range.
    pub retention: PeriodRetention,
    /// Retention per ISO week of the range.
    pub retention_weekly: Vec<PeriodRetention>,
    /// Retention per calendar month of the range.
    pub retention_monthly: Vec<PeriodRetention>,
    /// Cards due on each of the next 30 days (today includes overdue).
    pub forecast_days: Vec<(NaiveDate, i64)>,
    /// Cards due in each following week (starting day 30), up to a year.
    pub forecast_weeks: Vec<(NaiveDate, i64)>,
    /// Answers on each day of the past year that had any.
    pub heatmap: Vec<(NaiveDate, i64)>,
    /// Consecutive days with answers, ending today (or yesterday).
    pub current_streak: i64,
    /// Longest run of consecutive days with answers.
    pub longest_streak: i64,
    /// Intervals of learned cards.
    pub intervals: Vec<Bucket>,
    /// E-Factors of answered cards.
    pub eases: Vec<Bucket>,
    /// Cards with the most lapses, then lowest E-Factor.
    pub hardest: Vec<CardRow>,
    /// One row per deck that has cards.
    pub decks: Vec<DeckSummary>,
}

const INTERVAL_BUCKETS: &[(i64, i64, &str)] = &[
    (1, 1, "1 d"),
    (2, 2, "2 d"),
    (3, 6, "3–6 d"),
    (7, 13, "7–13 d"),
    (14, 20, "14–20 d"),
    (21, 29, "21–29 d"),
    (30, 59, "1–2 mo"),
    (60, 179, "2–6 mo"),
    (180, 364, "6–12 mo"),
    (365, i64::MAX, "1 y+"),
];

fn state_of(
    new: bool,
    retired: bool,
    repetitions: i64,
    interval: i64,
    counts: &mut StateCounts,
    n: i64,
) {
    if retired {
        counts.retired += n;
    } else if new {
        counts.new += n;
    } else if repetitions < 2 {
        counts.learning += n;
    } else if interval < MATURE_DAYS {
        counts.young += n;
    } else {
        counts.mature += n;
    }
}

/// How the statistics count the review log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// From the totals kept in the collection (see `review_totals`) when
    /// every card is counted; a deck or a tag reads its answers again.
    Kept,
    /// Every answer read again.
    EveryAnswer,
}

/// Computes the statistics for `days` days ending `today`: one pass over
/// the cards (`scan_cards`), the log's totals (kept, or one threaded pass
/// over the log for a deck or a tag: `scan_log`), then pure aggregation.
pub fn compute<'a>(
    collection: &Collection,
    scope: impl Into<Scope<'a>>,
    today: NaiveDate,
    days: u32,
) -> Result<Stats> {
    compute_counting(collection, scope.into(), today, days, Counting::Kept)
}

/// [`compute`], counting the log as `counting` says (both give the same
/// statistics; the tests hold them to it).
pub fn compute_counting(
    collection: &Collection,
    scope: Scope<'_>,
    today: NaiveDate,
    days: u32,
    counting: Counting,
) -> Result<Stats> {
    let deck = scope.deck;
    let reader = collection.reader();
    let days = days.max(1);
    let from = today - Days::new(u64::from(days - 1));
    let horizon = today + Days::new(364);
    let kept = counting == Counting::Kept && scope.deck.is_none() && scope.tag.is_none();
    let with_decks = !kept
        || review_totals::known_decks_for(review_totals::answers_to_read(
            collection,
            (from, today),
        )?);
    let cards = scan_cards(collection, scope, today, horizon, with_decks)?;
    let (day_totals, deck_reviews) = if kept {
        let known = |id: &str| cards.deck_of_card(id);
        let known: Option<review_totals::KnownDecks<'_>> = with_decks.then_some(&known);
        let counted = review_totals::current(collection, known)?;
        let decks = review_totals::decks_on_days(collection, known, &counted, (from, today))?;
        (counted.totals.days, decks)
    } else {
        let totals = scan_log(collection, &cards, from, today)?;
        (totals.days, totals.decks)
    };
    let by_day: Vec<DayStats> = (0..days)
        .map(|i| {
            let day = from + Days::new(u64::from(i));
            DayStats {
                day,
                totals: day_totals.get(&day).copied().unwrap_or_default(),
            }
        })
        .collect();
    let (retention, retention_weekly, retention_monthly) = retention_periods(&by_day, from);
    let (forecast_days, forecast_weeks) = forecast(&cards.due, today, horizon);
    let history: Vec<(NaiveDate, i64)> = day_totals
        .iter()
        .filter(|(_, total)| total.reviews > 0)
        .map(|(day, total)| (*day, total.reviews))
        .collect();
    let year_ago = today - Days::new(364);
    let heatmap = history
        .iter()
        .copied()
        .filter(|(d, _)| *d >= year_ago && *d <= today)
        .collect();
    let (current_streak, longest_streak) = streaks(&history, today);
    let names: HashMap<i64, String> = reader.deck_names()?.into_iter().collect();
    Ok(Stats {
        today,
        from,
        deck: deck.map(str::to_owned),
        counts: cards.counts,
        days: by_day,
        retention,
        retention_weekly,
        retention_monthly,
        forecast_days,
        forecast_weeks,
        heatmap,
        current_streak,
        longest_streak,
        intervals: interval_buckets(&cards.intervals),
        eases: ease_buckets(&cards.eases),
        hardest: reader.hardest_cards(scope, 10)?,
        decks: deck_summaries(&cards, &deck_reviews, &names),
    })
}

/// What one pass over the cards counts.
#[derive(Default)]
struct CardTally {
    /// Each deck seen: its id → its index in the per-deck vectors.
    deck_index: HashMap<i64, usize>,
    /// Whether `deck_of` is kept.
    with_decks: bool,
    /// Each card (by [`card_key`]) and its deck's id, in card key order
    /// once merged (pushed as read: cheaper than a map of every card).
    deck_of: Vec<(u64, i64)>,
    /// The deck last asked for and its index (cards come in note order).
    last_deck: Option<(i64, usize)>,
    /// Cards due on each day up to the horizon (overdue ones today).
    due: FastMap<NaiveDate, i64>,
    /// Cards by state, in all and per deck.
    counts: StateCounts,
    deck_counts: Vec<StateCounts>,
    /// Learned cards per [`INTERVAL_BUCKETS`] bucket.
    intervals: Vec<i64>,
    /// Learned cards per E-Factor tenth (13 = 1.3 … 30 = 3.0 and above).
    eases: BTreeMap<u32, i64>,
}

/// The pass over the cards (of `deck`, or all): states, decks, due days
/// and the interval and E-Factor distributions. Read in two halves of the
/// notes at once, on two connections; the halves merge exactly.
fn scan_cards(
    collection: &Collection,
    scope: Scope<'_>,
    today: NaiveDate,
    horizon: NaiveDate,
    with_decks: bool,
) -> Result<CardTally> {
    let last_note = collection.reader().last_note_id()?;
    let (first, second) =
        collection.read_in_two_halves(last_note, "the cards", |reader, notes| {
            let mut tally = CardTally::new(with_decks);
            reader.for_each_card_fact(scope, notes, &mut |card| tally.add(card, today, horizon))?;
            Ok(tally)
        })?;
    Ok(first.merge(second))
}

impl CardTally {
    /// The deck of card `id`, if the pass saw it (after `merge`).
    fn deck_of_card(&self, id: &str) -> Option<i64> {
        let key = card_key(id);
        self.deck_of
            .binary_search_by_key(&key, |(card, _)| *card)
            .ok()
            .map(|i| self.deck_of[i].1)
    }

    /// An empty tally; `with_decks` keeps each card's deck in `deck_of`.
    fn new(with_decks: bool) -> CardTally {
        CardTally {
            intervals: vec![0; INTERVAL_BUCKETS.len()],
            with_decks,
            ..CardTally::default()
        }
    }

    /// Counts one card.
    fn add(&mut self, card: &CardFact<'_>, today: NaiveDate, horizon: NaiveDate) {
        let index = self.deck(card.deck_id);
        if self.with_decks {
            self.deck_of.push((card_key(card.card_id), card.deck_id));
        }
        if let Some(day) = card.due.filter(|d| !card.retired && *d <= horizon) {
            *self.due.entry(day.max(today)).or_default() += 1;
        }
        let (new, retired, n, interval) =
            (card.new, card.retired, card.repetitions, card.interval_days);
        state_of(new, retired, n, interval, &mut self.counts, 1);
        state_of(new, retired, n, interval, &mut self.deck_counts[index], 1);
        if retired || new {
            return;
        }
        if let Some(i) = INTERVAL_BUCKETS
            .iter()
            .position(|(lo, hi, _)| interval >= *lo && interval <= *hi)
        {
            self.intervals[i] += 1;
        }
        let tenth = ((card.ease_factor * 10.0).round() as u32).clamp(13, 30);
        *self.eases.entry(tenth).or_default() += 1;
    }

    /// The index of deck `id` in the per-deck vectors (added when new).
    fn deck(&mut self, id: i64) -> usize {
        if let Some((last, index)) = self.last_deck {
            if last == id {
                return index;
            }
        }
        let next = self.deck_index.len();
        let index = *self.deck_index.entry(id).or_insert(next);
        if index == self.deck_counts.len() {
            self.deck_counts.push(StateCounts::default());
        }
        self.last_deck = Some((id, index));
        index
    }

    /// The tally of these cards and `other`'s (other cards).
    fn merge(mut self, other: CardTally) -> CardTally {
        for (&id, &theirs) in &other.deck_index {
            let mine = self.deck(id);
            self.deck_counts[mine].add(&other.deck_counts[theirs]);
        }
        self.deck_of.extend(other.deck_of);
        self.deck_of.sort_unstable();
        for (day, n) in other.due {
            *self.due.entry(day).or_default() += n;
        }
        self.counts.add(&other.counts);
        for (mine, theirs) in self.intervals.iter_mut().zip(other.intervals) {
            *mine += theirs;
        }
        for (tenth, n) in other.eases {
            *self.eases.entry(tenth).or_default() += n;
        }
        self
    }
}

/// The pass over the review log for the cards `cards` kept: read in two
/// halves at once, on two connections; the totals are sums, so the halves
/// add up exactly. Decks count the answers of `from..=today` only.
fn scan_log(
    collection: &Collection,
    cards: &CardTally,
    from: NaiveDate,
    today: NaiveDate,
) -> Result<Totals> {
    let last_seq = collection.reader().last_review_seq()?;
    let deck_of: FastMap<u64, i64> = cards.deck_of.iter().copied().collect();
    let deck_of = &deck_of;
    let (mut first, second) =
        collection.read_in_two_halves(last_seq, "the review log", |reader, (after, upto)| {
            let mut tally = Tally::new(Some((from, today)));
            reader.for_each_review_fact(after, upto, &mut |fact| {
                if let Some(&deck) = deck_of.get(&card_key(fact.card_id)) {
                    tally.count(fact, deck);
                }
            })?;
            Ok(tally.finish())
        })?;
    first.add(&second);
    Ok(first)
}

/// Retention over the whole range, and per week (from Monday) and month.
fn retention_periods(
    days: &[DayStats],
    from: NaiveDate,
) -> (PeriodRetention, Vec<PeriodRetention>, Vec<PeriodRetention>) {
    let period = |start: NaiveDate, items: &[&DayStats]| {
        let mut p = PeriodRetention {
            start,
            all: Retention::default(),
            young: Retention::default(),
            mature: Retention::default(),
        };
        for d in items {
            p.all.add(d.totals.retention);
            p.young.add(d.totals.retention_young);
            p.mature.add(d.totals.retention_mature);
        }
        p
    };
    let all: Vec<&DayStats> = days.iter().collect();
    let mut weeks: BTreeMap<NaiveDate, Vec<&DayStats>> = BTreeMap::new();
    let mut months: BTreeMap<NaiveDate, Vec<&DayStats>> = BTreeMap::new();
    for d in days {
        let monday = d.day - Days::new(u64::from(d.day.weekday().num_days_from_monday()));
        weeks.entry(monday).or_default().push(d);
        let first = d.day.with_day(1).unwrap_or(d.day);
        months.entry(first).or_default().push(d);
    }
    (
        period(from, &all),
        weeks.iter().map(|(s, items)| period(*s, items)).collect(),
        months.iter().map(|(s, items)| period(*s, items)).collect(),
    )
}

/// Cards due: each of the next 30 days, then each week up to a year.
type Forecast = (Vec<(NaiveDate, i64)>, Vec<(NaiveDate, i64)>);

fn forecast(due: &FastMap<NaiveDate, i64>, today: NaiveDate, horizon: NaiveDate) -> Forecast {
    let days = (0..30u64)
        .map(|i| {
            let d = today + Days::new(i);
            (d, due.get(&d).copied().unwrap_or(0))
        })
        .collect();
    let weeks = (0..48u64)
        .map(|w| {
            let start = today + Days::new(30 + w * 7);
            let count = (0..7u64)
                .filter_map(|i| due.get(&(start + Days::new(i))))
                .sum();
            (start, count)
        })
        .filter(|(start, _)| *start <= horizon)
        .collect();
    (days, weeks)
}

/// The interval distribution with its labels.
fn interval_buckets(counts: &[i64]) -> Vec<Bucket> {
    INTERVAL_BUCKETS
        .iter()
        .zip(counts)
        .map(|((_, _, label), count)| Bucket {
            label: (*label).to_owned(),
            count: *count,
        })
        .collect()
}

/// The E-Factor distribution, one bucket per tenth from 1.3 to 3.0+.
fn ease_buckets(eases: &BTreeMap<u32, i64>) -> Vec<Bucket> {
    (13..=30u32)
        .map(|tenth| Bucket {
            label: if tenth == 30 {
                "3.0+".to_owned()
            } else {
                format!("{:.1}", f64::from(tenth) / 10.0)
            },
            count: eases.get(&tenth).copied().unwrap_or(0),
        })
        .collect()
}

/// One summary per deck seen, by name.
fn deck_summaries(
    cards: &CardTally,
    deck_reviews: &HashMap<i64, DeckTotal>,
    names: &HashMap<i64, String>,
) -> Vec<DeckSummary> {
    let mut decks: Vec<DeckSummary> = cards
        .deck_index
        .iter()
        .map(|(id, &i)| {
            let DeckTotal { reviews, retention } =
                deck_reviews.get(id).copied().unwrap_or_default();
            DeckSummary {
                deck: names.get(id).cloned().unwrap_or_default(),
                counts: cards.deck_counts[i],
                reviews,
                retention,
            }
        })
        .collect();
    decks.sort_by(|a, b| a.deck.cmp(&b.deck));
    decks
}

/// Current streak (ending today, or yesterday when today has no answers
/// yet) and longest streak, from the days with answers in order.
fn streaks(days: &[(NaiveDate, i64)], today: NaiveDate) -> (i64, i64) {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<NaiveDate> = None;
    for (day, _) in days.iter().filter(|(d, _)| *d <= today) {
        run = match previous {
            Some(p) if p.succ_opt() == Some(*day) => run + 1,
            _ => 1,
        };
        longest = longest.max(run);
        previous = Some(*day);
    }
    let current = match previous {
        Some(last) if last == today || last.succ_opt() == Some(today) => run,
        _ => 0,
    };
    (current, longest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn streaks_count_consecutive_days() {
        let days = [
            d("2026-01-01"),
            d("2026-01-02"),
            d("2026-01-03"),
            d("2026-01-05"),
            d("2026-01-06"),
        ]
        .map(|day| (day, 1));
        assert_eq!(streaks(&days, d("2026-01-06")), (2, 3));
        assert_eq!(
            streaks(&days, d("2026-01-07")),
            (2, 3),
            "today not reviewed yet"
        );
        assert_eq!(streaks(&days, d("2026-01-08")), (0, 3));
        assert_eq!(streaks(&[], d("2026-01-08")), (0, 0));
    }
}
