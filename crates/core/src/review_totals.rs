//! The review log counted per day (the whole collection) and per deck
//! (all time), kept in the collection: statistics over a year read a few
//! hundred day totals and one total per deck instead of every answer.
//!
//! The stored totals count the answers up to a mark (`counted_upto`, a
//! `seq`); [`current`] counts the answers written since, adds them and
//! moves the mark, in one write transaction. An answer costs nothing more
//! (it lands above the mark). A change to a counted answer (an undo, a
//! scheduler switch rewriting states, a sync replaying answers in a new
//! order) or to which deck an answered card belongs makes the schema's
//! triggers forget the totals, and the next statistics count the whole
//! log again. `check` compares the stored totals with a count of the log.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::scheduler::AnswerKind;
use crate::stats::{Retention, MATURE_DAYS};
use crate::storage::{Answers, Collection, Reader, ReviewFact};
use crate::Result;

/// What the answers of one day add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayTotal {
    /// Every answer, repeats included.
    pub reviews: i64,
    /// Answers by grade 0–5.
    pub by_grade: [i64; 6],
    /// Answers by kind: learn, review, relearn, repeat, cram, read.
    pub by_kind: [i64; 6],
    /// Milliseconds spent, where measured.
    pub time_ms: i64,
    /// Retention on all learned cards.
    pub retention: Retention,
    /// Retention on young cards.
    pub retention_young: Retention,
    /// Retention on mature cards.
    pub retention_mature: Retention,
    /// Cards answered for the first time.
    pub new_learned: i64,
}

impl DayTotal {
    /// Counts one answer; returns what it adds to its deck's retention.
    pub fn count(&mut self, fact: &ReviewFact<'_>) -> Retention {
        self.reviews += 1;
        self.by_grade[usize::from(fact.grade.min(5))] += 1;
        self.by_kind[kind_index(fact.kind)] += 1;
        self.time_ms += fact.duration_ms.unwrap_or(0);
        if first_of_day(fact.kind) && fact.new_before {
            self.new_learned += 1;
        }
        let r = retention_of(fact.kind, fact.repetitions_before, fact.grade);
        if r.answers == 0 {
            return r;
        }
        self.retention.add(r);
        if i64::from(fact.interval_before) >= MATURE_DAYS {
            self.retention_mature.add(r);
        } else {
            self.retention_young.add(r);
        }
        r
    }

    /// Adds `other`'s answers to these.
    pub fn add(&mut self, other: &DayTotal) {
        self.reviews += other.reviews;
        for (a, b) in self.by_grade.iter_mut().zip(other.by_grade) {
            *a += b;
        }
        for (a, b) in self.by_kind.iter_mut().zip(other.by_kind) {
            *a += b;
        }
        self.time_ms += other.time_ms;
        self.retention.add(other.retention);
        self.retention_young.add(other.retention_young);
        self.retention_mature.add(other.retention_mature);
        self.new_learned += other.new_learned;
    }
}

/// Whether an answer of `kind` is a card's first of its day: same-day
/// repeats and cram answers change no schedule, and a reading is not
/// recall (they count as answers, in no retention).
fn first_of_day(kind: AnswerKind) -> bool {
    !matches!(
        kind,
        AnswerKind::Repeat | AnswerKind::Cram | AnswerKind::Read
    )
}

/// What an answer adds to retention: one answer (passed at grade 3 or
/// more) when it is the first of the day of a card passed before.
fn retention_of(kind: AnswerKind, repetitions_before: u32, grade: u8) -> Retention {
    if first_of_day(kind) && repetitions_before >= 1 {
        Retention {
            answers: 1,
            passed: i64::from(grade >= 3),
        }
    } else {
        Retention::default()
    }
}

/// The index of `kind` in [`DayTotal::by_kind`].
fn kind_index(kind: AnswerKind) -> usize {
    match kind {
        AnswerKind::Learn => 0,
        AnswerKind::Review => 1,
        AnswerKind::Relearn => 2,
        AnswerKind::Repeat => 3,
        AnswerKind::Cram => 4,
        AnswerKind::Read => 5,
    }
}

/// What the answers of one deck's cards add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeckTotal {
    /// Every answer.
    pub reviews: i64,
    /// Retention on learned cards.
    pub retention: Retention,
}

impl DeckTotal {
    fn add(&mut self, other: &DeckTotal) {
        self.reviews += other.reviews;
        self.retention.add(other.retention);
    }

    /// Takes `other`'s answers (counted in these) out again.
    fn remove(&mut self, other: &DeckTotal) {
        self.reviews -= other.reviews;
        self.retention.answers -= other.retention.answers;
        self.retention.passed -= other.retention.passed;
    }
}

/// Totals of a set of answers: per day, and per deck (by deck id).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals {
    /// Per day of the answers.
    pub days: BTreeMap<NaiveDate, DayTotal>,
    /// Per deck of the answered cards.
    pub decks: HashMap<i64, DeckTotal>,
}

impl Totals {
    /// Adds `other`'s answers to these.
    pub fn add(&mut self, other: &Totals) {
        for (day, total) in &other.days {
            self.days.entry(*day).or_default().add(total);
        }
        for (deck, total) in &other.decks {
            self.decks.entry(*deck).or_default().add(total);
        }
    }
}

/// Counts answers in log order into [`Totals`]: a day's run of answers is
/// counted apart and joins the map when the day changes.
pub struct Tally {
    totals: Totals,
    run: Option<(NaiveDate, DayTotal)>,
    /// Decks count only the answers of these days, when given.
    deck_days: Option<(NaiveDate, NaiveDate)>,
}

impl Tally {
    /// An empty tally; with `deck_days`, decks count only the answers
    /// given on those days (`first..=last`), days count every answer.
    pub fn new(deck_days: Option<(NaiveDate, NaiveDate)>) -> Tally {
        Tally {
            totals: Totals::default(),
            run: None,
            deck_days,
        }
    }

    /// Counts one answer of a card of `deck`.
    pub fn count(&mut self, fact: &ReviewFact<'_>, deck: i64) {
        let run = match &mut self.run {
            Some((day, total)) if *day == fact.day => total,
            run => {
                if let Some((day, total)) = run.replace((fact.day, DayTotal::default())) {
                    self.totals.days.entry(day).or_default().add(&total);
                }
                &mut run.as_mut().expect("just set").1
            }
        };
        let retention = run.count(fact);
        if self
            .deck_days
            .is_none_or(|(first, last)| fact.day >= first && fact.day <= last)
        {
            self.totals.decks.entry(deck).or_default().add(&DeckTotal {
                reviews: 1,
                retention,
            });
        }
    }

    /// The totals counted.
    pub fn finish(mut self) -> Totals {
        if let Some((day, total)) = self.run.take() {
            self.totals.days.entry(day).or_default().add(&total);
        }
        self.totals
    }
}

/// The stored totals brought up to the log's last answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counted {
    /// Every answer up to `upto`.
    pub totals: Totals,
    /// The last answer counted.
    pub upto: i64,
}

/// From this many answers to count on, statistics give each card's deck
/// from their pass over the cards ([`KnownDecks`]); below it, counting
/// looks each answer's card up (a map of every card costs more than a
/// few thousand lookups).
pub const KNOWN_DECKS_FROM: i64 = 3_000;

#[cfg(test)]
thread_local! {
    /// The tests' own [`KNOWN_DECKS_FROM`], to count both ways on a small
    /// collection.
    pub(crate) static TEST_KNOWN_DECKS_FROM: std::cell::Cell<Option<i64>> =
        const { std::cell::Cell::new(None) };
}

/// Whether counting `answers` answers gives each card's deck from the
/// pass over the cards.
pub fn known_decks_for(answers: i64) -> bool {
    #[cfg(test)]
    if let Some(from) = TEST_KNOWN_DECKS_FROM.with(std::cell::Cell::get) {
        return answers >= from;
    }
    answers >= KNOWN_DECKS_FROM
}

/// How many answers [`current`] and [`decks_on_days`] will read for the
/// days `first..=last`, as the stored totals stand: those written since
/// the mark, and those of the days in or out of the range, whichever
/// fewer.
pub fn answers_to_read(
    collection: &Collection,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<i64> {
    let reader = collection.reader();
    let mark = reader.review_totals_counted_upto()?;
    let since = (reader.last_review_seq()? - mark).max(0);
    let (inside, outside) = answers_in_and_out(&reader.review_day_totals()?, (first, last));
    Ok(since + inside.min(outside))
}

/// The answers `days` count on the days `first..=last` and on the others.
fn answers_in_and_out(
    days: &BTreeMap<NaiveDate, DayTotal>,
    (first, last): (NaiveDate, NaiveDate),
) -> (i64, i64) {
    days.iter().fold((0, 0), |(inside, outside), (day, total)| {
        if *day >= first && *day <= last {
            (inside + total.reviews, outside)
        } else {
            (inside, outside + total.reviews)
        }
    })
}

/// Each card's deck, as a pass over the cards found it (by card id);
/// `None` for a card that pass did not see.
pub type KnownDecks<'a> = &'a (dyn Fn(&str) -> Option<i64> + Sync);

/// From this many answers to count on, they are read in two halves at
/// once, on two connections.
const TWO_READERS_FROM: i64 = 50_000;

/// The deck of card `id`: as the log's row gave it (`read`), else as
/// `known` has it, else read from the collection (`None`: no such card).
fn deck_of(
    reader: &Reader<'_>,
    known: Option<KnownDecks<'_>>,
    read: Option<i64>,
    id: &str,
) -> Result<Option<i64>> {
    match (read, known) {
        (Some(deck), _) => Ok(Some(deck)),
        (None, Some(known)) => match known(id) {
            Some(deck) => Ok(Some(deck)),
            None => reader.deck_of_card(id),
        },
        (None, None) => Ok(None),
    }
}

/// Counts the answers `which` names with `seq <= upto`, each card's deck
/// taken from `known` (or, for a card it does not know, or without it,
/// from the collection); an answer of a card that no longer exists is not
/// counted (as a full pass over the log leaves it out).
fn count_answers(
    reader: &Reader<'_>,
    known: Option<KnownDecks<'_>>,
    which: Answers,
    upto: i64,
) -> Result<Totals> {
    let mut tally = Tally::new(None);
    reader.for_each_review_fact_of(which, upto, known.is_none(), &mut |fact, deck| {
        if let Some(deck) = deck_of(reader, known, deck, fact.card_id)? {
            tally.count(fact, deck);
        }
        Ok(())
    })?;
    Ok(tally.finish())
}

/// Each deck's answers among those `which` names with `seq <= upto`
/// (given on some days: read from the log's index of days alone), each
/// card's deck found as [`count_answers`] finds it.
fn count_deck_answers(
    reader: &Reader<'_>,
    known: Option<KnownDecks<'_>>,
    which: Answers,
    upto: i64,
) -> Result<HashMap<i64, DeckTotal>> {
    let mut decks: HashMap<i64, DeckTotal> = HashMap::new();
    reader.for_each_deck_answer_of(which, upto, known.is_none(), &mut |answer, deck| {
        if let Some(deck) = deck_of(reader, known, deck, answer.card_id)? {
            decks.entry(deck).or_default().add(&DeckTotal {
                reviews: 1,
                retention: retention_of(answer.kind, answer.repetitions_before, answer.grade),
            });
        }
        Ok(())
    })?;
    Ok(decks)
}

/// The totals of every answer in the log: the stored ones, with the
/// answers written since counted and (when the collection can be written
/// now) stored with them.
pub fn current(collection: &Collection, known: Option<KnownDecks<'_>>) -> Result<Counted> {
    if collection.try_begin_write() {
        let stored = count_since_mark(collection, known).and_then(|(counted, since, afresh)| {
            collection.store_review_totals(&counted.totals, &since, counted.upto, afresh)?;
            Ok(counted)
        });
        if collection.end_write(stored.is_ok()).is_err() {
            // Not kept (a full disk, say): the count itself is right.
            let _ = collection.end_write(false);
        }
        if let Ok(counted) = stored {
            return Ok(counted);
        }
    }
    // Read-only, busy, or the write failed: count without storing.
    collection.in_one_read(|| count_since_mark(collection, known).map(|(counted, ..)| counted))
}

/// The stored totals plus the answers after their mark; also the totals
/// of those answers alone, and whether the stored ones were dropped.
fn count_since_mark(
    collection: &Collection,
    known: Option<KnownDecks<'_>>,
) -> Result<(Counted, Totals, bool)> {
    let reader = collection.reader();
    let mark = reader.review_totals_counted_upto()?;
    let last = reader.last_review_seq()?;
    // No mark (nothing counted, or totals another program left without
    // one) or a mark past the log's end (answers removed without the
    // triggers): count the whole log afresh.
    let afresh = mark <= 0 || mark > last;
    let (mut totals, mark) = if afresh {
        (Totals::default(), 0)
    } else {
        (reader.review_totals()?, mark)
    };
    let since = if last - mark < TWO_READERS_FROM {
        count_answers(&reader, known, Answers::WrittenAfter(mark), last)?
    } else {
        let middle = mark + (last - mark) / 2;
        let (mut first, second) = collection.read_split_at(
            (mark, last),
            middle,
            "the review log",
            |reader, (after, upto)| {
                count_answers(reader, known, Answers::WrittenAfter(after), upto)
            },
        )?;
        first.add(&second);
        first
    };
    totals.add(&since);
    Ok((Counted { totals, upto: last }, since, afresh))
}

/// Each deck's answers given on the days `first..=last` (of those
/// `counted` counts): its all-time totals less the answers of other
/// days, or those days' answers counted, whichever reads fewer answers.
pub fn decks_on_days(
    collection: &Collection,
    known: Option<KnownDecks<'_>>,
    counted: &Counted,
    (first, last): (NaiveDate, NaiveDate),
) -> Result<HashMap<i64, DeckTotal>> {
    let (inside, outside) = answers_in_and_out(&counted.totals.days, (first, last));
    if outside == 0 {
        return Ok(counted.totals.decks.clone());
    }
    let reader = collection.reader();
    let upto = counted.upto;
    if inside < outside {
        return count_deck_answers(&reader, known, Answers::Between(first, last), upto);
    }
    let mut other_days = count_deck_answers(&reader, known, Answers::Before(first), upto)?;
    for (deck, total) in count_deck_answers(&reader, known, Answers::After(last), upto)? {
        other_days.entry(deck).or_default().add(&total);
    }
    let mut on_days = counted.totals.decks.clone();
    for (deck, other) in other_days {
        on_days.entry(deck).or_default().remove(&other);
    }
    Ok(on_days)
}

/// What `check` finds wrong with the stored totals: each day or deck
/// whose stored total differs from a count of the log up to the mark.
pub fn problems(collection: &Collection) -> Result<Vec<String>> {
    collection.in_one_read(|| {
        let reader = collection.reader();
        let mark = reader.review_totals_counted_upto()?;
        let stored = reader.review_totals()?;
        let counted = count_answers(&reader, None, Answers::WrittenAfter(0), mark)?;
        let mut problems = Vec::new();
        differences("", &stored.days, &counted.days, &mut problems);
        // Decks are kept unordered; sorted here so the lines come in order.
        let in_order = |decks: &HashMap<i64, DeckTotal>| -> BTreeMap<i64, DeckTotal> {
            decks.iter().map(|(d, t)| (*d, *t)).collect()
        };
        differences(
            "deck ",
            &in_order(&stored.decks),
            &in_order(&counted.decks),
            &mut problems,
        );
        Ok(problems)
    })
}

/// A line in `problems` for each key whose stored total differs from the
/// counted one (a missing total is zero), in key order.
fn differences<K, T>(
    what: &str,
    stored: &BTreeMap<K, T>,
    counted: &BTreeMap<K, T>,
    problems: &mut Vec<String>,
) where
    K: Ord + std::fmt::Display,
    T: Copy + Default + PartialEq + std::fmt::Debug,
{
    let keys: std::collections::BTreeSet<&K> = stored.keys().chain(counted.keys()).collect();
    for key in keys {
        let (s, c) = (stored.get(key), counted.get(key));
        if s.copied().unwrap_or_default() != c.copied().unwrap_or_default() {
            problems.push(format!(
                "statistics' totals of {what}{key}: stored {s:?} but the log gives {c:?}"
            ));
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
