//! Queries behind the statistics: grouped card counts, the due forecast, and
//! one sequential pass over the review log whose rows are handed to a
//! visitor without being collected (a million rows in a few hundred ms).

use chrono::NaiveDate;
use rusqlite::params;
use rusqlite::types::{Value, ValueRef};

use crate::scheduler::AnswerKind;

use super::Reader;
use crate::Result;

/// What statistics need of one card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardFact<'a> {
    /// Card id.
    pub card_id: &'a str,
    /// Its deck.
    pub deck_id: i64,
    /// Retired.
    pub retired: bool,
    /// Never answered.
    pub new: bool,
    /// Due day of an answered card.
    pub due: Option<NaiveDate>,
    /// Repetitions.
    pub repetitions: i64,
    /// Interval in days.
    pub interval_days: i64,
    /// E-Factor.
    pub ease_factor: f64,
}

/// What statistics need of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReviewFact<'a> {
    /// The card answered.
    pub card_id: &'a str,
    /// The learner's day.
    pub day: NaiveDate,
    /// Grade 0–5.
    pub grade: u8,
    /// Kind of answer.
    pub kind: AnswerKind,
    /// Repetitions before the answer.
    pub repetitions_before: u32,
    /// Interval before the answer.
    pub interval_before: u32,
    /// The card had never been answered.
    pub new_before: bool,
    /// Time taken, when measured.
    pub duration_ms: Option<i64>,
}

/// What a deck's figures need of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeckAnswer<'a> {
    /// The card answered.
    pub card_id: &'a str,
    /// Kind of answer.
    pub kind: AnswerKind,
    /// Repetitions before the answer.
    pub repetitions_before: u32,
    /// Grade 0–5.
    pub grade: u8,
}

/// The card of a row selecting its id (0), then anything (1), then
/// `retired`, `due_day`, `repetitions`, `interval_days` and `ease_factor`
/// (2–6), in deck `deck_id`; `None` for a row without an id.
fn card_fact<'r>(row: &'r rusqlite::Row<'_>, deck_id: i64) -> Result<Option<CardFact<'r>>> {
    let ValueRef::Text(id) = row.get_ref(0)? else {
        return Ok(None);
    };
    let due = match row.get_ref(3)? {
        ValueRef::Text(day) => crate::day::parse_day(day),
        _ => None,
    };
    Ok(Some(CardFact {
        card_id: std::str::from_utf8(id).unwrap_or_default(),
        deck_id,
        retired: row.get(2)?,
        new: due.is_none(),
        due,
        repetitions: row.get(4)?,
        interval_days: row.get(5)?,
        ease_factor: row.get(6)?,
    }))
}

/// Which answers to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answers {
    /// Those written after this one (by `seq`), in the log's order.
    WrittenAfter(i64),
    /// Those given from the first day to the last, both included.
    Between(NaiveDate, NaiveDate),
    /// Those given before this day.
    Before(NaiveDate),
    /// Those given after this day.
    After(NaiveDate),
}

/// The part of a query that limits rows to a deck and its sub-decks; cards
/// are `c`, decks are `d`, and the deck name is parameters `?1`/`?2`.
const DECK_FILTER: &str = "(?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')";

fn deck_params(deck: Option<&str>) -> (Option<String>, Option<String>) {
    (deck.map(str::to_owned), super::subdeck_pattern(deck))
}

impl Reader<'_> {
    /// The largest note id (0 when there is no note).
    pub fn last_note_id(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM notes")?
            .query_row([], |r| r.get(0))?)
    }

    /// Hands every card (optionally of one deck and its sub-decks) of the
    /// notes with `after < id <= upto` to `visit`, with what statistics
    /// need of it.
    pub fn for_each_card_fact(
        &self,
        scope: super::Scope<'_>,
        (after, upto): (i64, i64),
        visit: &mut dyn FnMut(&CardFact<'_>),
    ) -> Result<()> {
        if scope.deck.is_none() && scope.tag.is_none() {
            return self.for_each_card_fact_of_all((after, upto), visit);
        }
        let (name, prefix) = deck_params(scope.deck);
        // Without a tag, every column read is in the card browser's index
        // (in note order), so the cards' rows are not read at all.
        let (cards, tag_filter) = match scope.tag_pattern() {
            None => ("cards c INDEXED BY cards_browse", "?3 IS NULL"),
            Some(_) => (
                "cards c",
                "(' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\'",
            ),
        };
        let sql = format!(
            "SELECT c.id, n.deck_id, c.retired, c.due_day, c.repetitions, c.interval_days,
                    c.ease_factor
             FROM {cards} JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE c.note_id > ?4 AND c.note_id <= ?5 AND {DECK_FILTER} AND {tag_filter}"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![name, prefix, scope.tag_pattern(), after, upto])?;
        while let Some(row) = rows.next()? {
            if let Some(card) = card_fact(row, row.get(1)?)? {
                visit(&card);
            }
        }
        Ok(())
    }

    /// [`Reader::for_each_card_fact`] for every card: each note's deck
    /// read first, then the cards from the card browser's index alone, in
    /// note order, their decks found by walking the notes beside them (a
    /// join looked each card's note and deck up in their tables).
    fn for_each_card_fact_of_all(
        &self,
        (after, upto): (i64, i64),
        visit: &mut dyn FnMut(&CardFact<'_>),
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, deck_id FROM notes WHERE id > ?1 AND id <= ?2 ORDER BY id",
        )?;
        let decks = stmt
            .query_map(params![after, upto], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut decks = decks.into_iter().peekable();
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.note_id, c.retired, c.due_day, c.repetitions, c.interval_days,
                    c.ease_factor
             FROM cards c INDEXED BY cards_browse
             WHERE c.note_id > ?1 AND c.note_id <= ?2 ORDER BY c.note_id",
        )?;
        let mut rows = stmt.query(params![after, upto])?;
        while let Some(row) = rows.next()? {
            let note: i64 = row.get(1)?;
            while decks.next_if(|(n, _)| *n < note).is_some() {}
            let Some(&(_, deck_id)) = decks.peek().filter(|(n, _)| *n == note) else {
                continue;
            };
            if let Some(card) = card_fact(row, deck_id)? {
                visit(&card);
            }
        }
        Ok(())
    }

    /// Every deck's name by id.
    pub fn deck_names(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self.conn.prepare_cached("SELECT id, name FROM decks")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The sequence number of the last answer in the log (0 when empty).
    pub fn last_review_seq(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COALESCE(MAX(seq), 0) FROM review_log")?
            .query_row([], |r| r.get(0))?)
    }

    /// Hands the answers with `after < seq <= upto`, in order, to `visit`.
    pub fn for_each_review_fact(
        &self,
        after: i64,
        upto: i64,
        visit: &mut dyn FnMut(&ReviewFact<'_>),
    ) -> Result<()> {
        self.for_each_review_fact_of(Answers::WrittenAfter(after), upto, false, &mut |fact, _| {
            visit(fact);
            Ok(())
        })
    }

    /// Hands the answers `which` names with `seq <= upto` to `visit`,
    /// read in the log's order or through its index of days; with
    /// `with_deck`, each with its card's deck (`None` when the card no
    /// longer exists), else with `None`.
    pub fn for_each_review_fact_of(
        &self,
        which: Answers,
        upto: i64,
        with_deck: bool,
        visit: &mut dyn FnMut(&ReviewFact<'_>, Option<i64>) -> Result<()>,
    ) -> Result<()> {
        let (answers, [first, last]) = answers_where(which);
        let deck = if with_deck { CARD_DECK } else { "NULL" };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT {FACT_COLUMNS}, {deck} {answers}"))?;
        let rows = stmt.query(params![first, last, upto])?;
        visit_facts(rows, &mut |fact, row| visit(fact, row.get(8)?))
    }

    /// As [`Reader::for_each_review_fact_of`], only what a deck's figures
    /// need of each answer: on days, read from the log's index of days
    /// alone (which holds those columns).
    pub fn for_each_deck_answer_of(
        &self,
        which: Answers,
        upto: i64,
        with_deck: bool,
        visit: &mut dyn FnMut(&DeckAnswer<'_>, Option<i64>) -> Result<()>,
    ) -> Result<()> {
        let (answers, [first, last]) = answers_where(which);
        let deck = if with_deck { CARD_DECK } else { "NULL" };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT card_id, kind, reps_before, grade, {deck} {answers}"
        ))?;
        let mut rows = stmt.query(params![first, last, upto])?;
        while let Some(row) = rows.next()? {
            let ValueRef::Text(card_id) = row.get_ref(0)? else {
                continue;
            };
            let answer = DeckAnswer {
                card_id: std::str::from_utf8(card_id).unwrap_or_default(),
                kind: kind_of(row.get_ref(1)?),
                repetitions_before: row.get(2)?,
                grade: row.get(3)?,
            };
            visit(&answer, row.get(4)?)?;
        }
        Ok(())
    }

    /// The cards tagged leech (of `deck` and its sub-decks, with `tag` or
    /// a tag under it), most lapses first, then in deck and note order; at
    /// most `limit`. Read from the index of leeches, not every card.
    pub fn leech_cards(
        &self,
        deck: Option<&str>,
        tag: Option<&str>,
        limit: i64,
    ) -> Result<Vec<super::CardRow>> {
        let (name, prefix) = deck_params(deck);
        let exact = tag.map(|t| format!("% {} %", super::like_escape(t)));
        let parent = tag.map(|t| format!("% {}/%", super::like_escape(t)));
        let sql = format!(
            "{} FROM cards c INDEXED BY cards_leech
             JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE (' ' || c.user_tags || ' ') LIKE '% {} %'
               AND {DECK_FILTER}
               AND (?3 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\'
                    OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?4 ESCAPE '\\')
             ORDER BY c.lapses DESC, d.name, n.ord, c.ord LIMIT ?5",
            super::cards::CARD_COLUMNS,
            crate::actions::LEECH_TAG,
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![name, prefix, exact, parent, limit],
            super::cards::card_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The cards with the most lapses (then lowest E-Factor), not retired,
    /// read in that order from their index.
    pub fn hardest_cards(&self, deck: super::Scope<'_>, limit: i64) -> Result<Vec<super::CardRow>> {
        self.cards_where(
            deck,
            super::cards::Walk::Index("cards_hardest"),
            "AND c.retired = 0 AND c.lapses > 0",
            "ORDER BY c.lapses DESC, c.ease_factor ASC, c.id LIMIT ?4",
            &[&limit],
        )
    }
}

/// The scope's cards and decks (`?1`/`?2` deck, `?3` tag pattern).
const SCOPED_CARDS: &str = "JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
     WHERE (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')
       AND (?3 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?3 ESCAPE '\\')";

impl Reader<'_> {
    /// The memory states of the scope's active cards that have one, each
    /// with the day of its last answer.
    pub fn memory_states(
        &self,
        scope: super::Scope<'_>,
    ) -> Result<Vec<(crate::scheduler::Memory, Option<NaiveDate>)>> {
        let (name, prefix) = deck_params(scope.deck);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT c.stability, c.difficulty, c.due_day, c.interval_days FROM cards c
             {SCOPED_CARDS} AND c.retired = 0 AND c.stability IS NOT NULL"
        ))?;
        let rows = stmt.query_map(params![name, prefix, scope.tag_pattern()], |r| {
            let due: Option<String> = r.get(2)?;
            let interval: i64 = r.get(3)?;
            let last = due
                .and_then(|d| crate::day::parse_day(d.as_bytes()))
                .and_then(|d| d.checked_sub_days(chrono::Days::new(interval.max(0) as u64)));
            Ok((
                crate::scheduler::Memory {
                    stability: r.get::<_, f64>(0)? as f32,
                    difficulty: r.get::<_, f64>(1)? as f32,
                },
                last,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The scope's first answers of a day from `from` on that FSRS had a
    /// memory state for: (memory before, days since the answer before,
    /// recalled).
    pub fn fsrs_answers_since(
        &self,
        scope: super::Scope<'_>,
        from: NaiveDate,
    ) -> Result<Vec<(crate::scheduler::Memory, i64, bool)>> {
        let (name, prefix) = deck_params(scope.deck);
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT r.stability_before, r.difficulty_before,
                    julianday(r.day) - julianday(r.due_before) + r.interval_before, r.grade
             FROM review_log r JOIN cards c ON c.id = r.card_id {SCOPED_CARDS}
               AND r.day >= ?4 AND r.stability_before IS NOT NULL
               AND r.kind IN ('learn', 'review', 'relearn')"
        ))?;
        let rows = stmt.query_map(
            params![
                name,
                prefix,
                scope.tag_pattern(),
                crate::day::format_day(from)
            ],
            |r| {
                Ok((
                    crate::scheduler::Memory {
                        stability: r.get::<_, f64>(0)? as f32,
                        difficulty: r.get::<_, f64>(1)? as f32,
                    },
                    r.get::<_, f64>(2)?.round() as i64,
                    r.get::<_, i64>(3)? >= 3,
                ))
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The deck of an answer's card (the log is `r`), `NULL` without the card.
const CARD_DECK: &str =
    "(SELECT n.deck_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = r.card_id)";

/// The end of a query reading `which` answers with `seq <= ?3` (the log
/// is `r`), in the log's order when they are picked by `seq`, and its
/// first two parameters.
fn answers_where(which: Answers) -> (&'static str, [Value; 2]) {
    let day = |day: NaiveDate| Value::Text(day.to_string());
    match which {
        Answers::WrittenAfter(seq) => (
            "FROM review_log AS r WHERE seq > ?1 AND ?2 IS NULL AND seq <= ?3 ORDER BY seq",
            [Value::Integer(seq), Value::Null],
        ),
        Answers::Between(first, last) => (
            "FROM review_log AS r INDEXED BY review_log_day
             WHERE day >= ?1 AND day <= ?2 AND seq <= ?3",
            [day(first), day(last)],
        ),
        Answers::Before(first) => (
            "FROM review_log AS r INDEXED BY review_log_day
             WHERE day < ?1 AND ?2 IS NULL AND seq <= ?3",
            [day(first), Value::Null],
        ),
        Answers::After(last) => (
            "FROM review_log AS r INDEXED BY review_log_day
             WHERE day > ?1 AND ?2 IS NULL AND seq <= ?3",
            [day(last), Value::Null],
        ),
    }
}

/// The kind of answer a log row's `kind` names (a same-day repeat when
/// it names none).
fn kind_of(kind: ValueRef<'_>) -> AnswerKind {
    match kind {
        ValueRef::Text(b"learn") => AnswerKind::Learn,
        ValueRef::Text(b"review") => AnswerKind::Review,
        ValueRef::Text(b"relearn") => AnswerKind::Relearn,
        ValueRef::Text(b"cram") => AnswerKind::Cram,
        ValueRef::Text(b"read") => AnswerKind::Read,
        _ => AnswerKind::Repeat,
    }
}

/// The log's columns a [`ReviewFact`] is read from, in [`visit_facts`]'s order.
const FACT_COLUMNS: &str = "card_id, day, grade, kind, reps_before, interval_before,
     due_before IS NULL, duration_ms";

/// Hands each row of `rows` (selecting [`FACT_COLUMNS`]) to `visit` as a
/// [`ReviewFact`] with the row (for the columns after those); a row without a card id or a readable day is skipped.
fn visit_facts(
    mut rows: rusqlite::Rows<'_>,
    visit: &mut dyn FnMut(&ReviewFact<'_>, &rusqlite::Row<'_>) -> Result<()>,
) -> Result<()> {
    let mut last_day: (Vec<u8>, Option<NaiveDate>) = (Vec::new(), None);
    while let Some(row) = rows.next()? {
        let ValueRef::Text(card_id) = row.get_ref(0)? else {
            continue;
        };
        let ValueRef::Text(day) = row.get_ref(1)? else {
            continue;
        };
        if day != last_day.0.as_slice() {
            last_day = (day.to_vec(), crate::day::parse_day(day));
        }
        let Some(day) = last_day.1 else { continue };
        let kind = kind_of(row.get_ref(3)?);
        let fact = ReviewFact {
            card_id: std::str::from_utf8(card_id).unwrap_or_default(),
            day,
            grade: row.get(2)?,
            kind,
            repetitions_before: row.get(4)?,
            interval_before: row.get(5)?,
            new_before: row.get(6)?,
            duration_ms: row.get(7)?,
        };
        visit(&fact, row)?;
    }
    Ok(())
}
