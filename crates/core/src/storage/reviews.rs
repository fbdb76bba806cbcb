//! The review log and the schedule columns it drives.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::{CardRow, Reader, Tx};
use crate::model::CardId;
use crate::scheduler::{AnswerKind, Ease, Memory, Schedule};
use crate::Result;

/// What [`Reader::for_each_card_history`] calls with each card's answers
/// and actions.
pub type CardHistoryVisitor<'a> =
    dyn FnMut(&CardId, Vec<ReviewRow>, Vec<super::ActionRow>) -> Result<()> + 'a;

/// One answer as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// Order of the answer in this collection.
    pub seq: i64,
    /// Globally unique id (UUIDv7).
    pub id: String,
    /// The card answered.
    pub card_id: CardId,
    /// UTC time, RFC 3339 with milliseconds.
    pub answered_at: String,
    /// The learner's day, `YYYY-MM-DD`.
    pub day: NaiveDate,
    /// Grade 0–5.
    pub grade: u8,
    /// Learn, review, relearn or repeat.
    pub kind: AnswerKind,
    /// State before the answer.
    pub before: Schedule,
    /// State after the answer.
    pub after: Schedule,
    /// Time taken to answer, when known.
    pub duration_ms: Option<i64>,
    /// The custom study session it was given in (none: the daily queue).
    pub session: Option<crate::queue::Session>,
    /// The longest interval in force (a deck option), if any.
    pub max_interval: Option<u32>,
    /// The scheduler setting it was computed under (`None`: SM-2, before
    /// any setting was recorded).
    pub epoch: Option<i64>,
    /// The learning steps it was given under, as written (`1m 10m`);
    /// `None` when it took none.
    pub steps: Option<String>,
    /// Brought in from Anki: its state after is Anki's, and a replay takes
    /// it as it is.
    pub imported: bool,
}

pub(super) const REVIEW_COLUMNS: &str = "seq, id, card_id, answered_at, day, grade, kind,
    reps_before, ease_before, interval_before, due_before, lapses_before,
    reps_after, ease_after, interval_after, due_after, lapses_after, duration_ms, session,
    max_interval, epoch, stability_before, difficulty_before, stability_after, difficulty_after,
    learning_before, learning_after, steps, imported";

fn parse_day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| crate::day::parse_day(t.as_bytes()))
}

pub(super) fn review_row(r: &Row<'_>) -> rusqlite::Result<ReviewRow> {
    let schedule =
        |at: usize, memory_at: usize, learning_at: usize| -> rusqlite::Result<Schedule> {
            Ok(Schedule {
                repetitions: r.get(at)?,
                ease: Ease(r.get(at + 1)?),
                interval_days: r.get(at + 2)?,
                due: parse_day(r.get(at + 3)?),
                lapses: r.get(at + 4)?,
                memory: Memory::from_columns(r.get(memory_at)?, r.get(memory_at + 1)?),
                learning: learning_of(r.get(learning_at)?),
            })
        };
    let kind: String = r.get(6)?;
    Ok(ReviewRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        card_id: r.get(2)?,
        answered_at: r.get(3)?,
        day: parse_day(r.get(4)?).unwrap_or_default(),
        grade: r.get(5)?,
        kind: AnswerKind::parse(&kind).unwrap_or(AnswerKind::Repeat),
        before: schedule(7, 21, 25)?,
        after: schedule(12, 23, 26)?,
        duration_ms: r.get(17)?,
        session: r
            .get::<_, Option<String>>(18)?
            .and_then(|s| crate::queue::Session::parse(&s)),
        max_interval: r.get(19)?,
        epoch: r.get(20)?,
        steps: r.get(27)?,
        imported: r.get(28)?,
    })
}

/// A `learning` column's value.
pub(super) fn learning_of(text: Option<String>) -> Option<crate::scheduler::Learning> {
    text.as_deref().and_then(crate::scheduler::Learning::parse)
}

fn day_text(day: Option<NaiveDate>) -> Option<String> {
    day.map(crate::day::format_day)
}

/// The log's columns of the state before an answer or action, in the
/// order [`logged_state`] gives their values.
pub(super) const BEFORE_COLUMNS: &str = "reps_before, ease_before, interval_before, due_before,
    lapses_before, stability_before, difficulty_before, learning_before";

/// [`BEFORE_COLUMNS`] but the first, the repetitions.
const BEFORE_BUT_REPETITIONS: &str = "ease_before, interval_before, due_before,
    lapses_before, stability_before, difficulty_before, learning_before";

/// The log's columns of the state after an answer.
const AFTER_COLUMNS: &str = "reps_after, ease_after, interval_after, due_after, lapses_after,
    stability_after, difficulty_after, learning_after";

/// A logged state's values: repetitions, E-Factor in hundredths, interval,
/// due day, lapses, stability, difficulty, place in the learning steps.
pub(super) fn logged_state(schedule: &Schedule) -> [Value; 8] {
    [
        i64::from(schedule.repetitions).into(),
        i64::from(schedule.ease.0).into(),
        i64::from(schedule.interval_days).into(),
        day_text(schedule.due).into(),
        i64::from(schedule.lapses).into(),
        stability(schedule).into(),
        difficulty(schedule).into(),
        schedule.learning.map(|l| l.text()).into(),
    ]
}

/// A schedule's stability column (null without a memory state).
pub(super) fn stability(schedule: &Schedule) -> Option<f64> {
    schedule.memory.map(|m| f64::from(m.stability))
}

/// A schedule's difficulty column (null without a memory state).
pub(super) fn difficulty(schedule: &Schedule) -> Option<f64> {
    schedule.memory.map(|m| f64::from(m.difficulty))
}

/// Reads a card's cached schedule from a row of `cards`.
pub fn schedule_of(card: &CardRow) -> Schedule {
    Schedule {
        repetitions: card.repetitions as u32,
        ease: Ease::from_f64(card.ease_factor),
        interval_days: card.interval_days as u32,
        due: card.due,
        lapses: card.lapses as u32,
        memory: card.memory,
        learning: card.learning,
    }
}

/// How many values [`INSERT_REVIEW`] binds.
const INSERT_REVIEW_VALUES: usize = 28;

/// An answer's insert, made once (an import of another program's log runs
/// it a million times).
static INSERT_REVIEW: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO review_log (id, card_id, answered_at, day, grade, kind,
             {BEFORE_COLUMNS}, {AFTER_COLUMNS}, duration_ms, session, max_interval, epoch,
             steps, imported)
         VALUES ({})",
        vec!["?"; INSERT_REVIEW_VALUES].join(", ")
    )
});

/// The most values a rewrite of an answer's states binds.
const REWRITE_VALUES: usize = 18;

/// A rewrite of an answer's states, every column.
static REWRITE_ALL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "UPDATE review_log SET ({BEFORE_COLUMNS}, {AFTER_COLUMNS}, epoch) = ({}) WHERE seq = ?",
        vec!["?"; REWRITE_VALUES - 1].join(", ")
    )
});

/// A rewrite of an answer's states whose repetitions before stay (the
/// column the log's index of days holds is left out).
static REWRITE_BUT_REPETITIONS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "UPDATE review_log SET ({BEFORE_BUT_REPETITIONS}, {AFTER_COLUMNS}, epoch) = ({})
         WHERE seq = ?",
        vec!["?"; REWRITE_VALUES - 2].join(", ")
    )
});

impl Tx<'_> {
    /// Appends an answer to the log; returns its `seq`.
    pub fn insert_review(&self, review: &ReviewRow) -> Result<i64> {
        let mut values: Vec<Value> = Vec::with_capacity(INSERT_REVIEW_VALUES);
        values.extend([
            review.id.clone().into(),
            review.card_id.as_str().to_owned().into(),
            review.answered_at.clone().into(),
            crate::day::format_day(review.day).into(),
            i64::from(review.grade).into(),
            review.kind.as_str().to_owned().into(),
        ]);
        values.extend(logged_state(&review.before));
        values.extend(logged_state(&review.after));
        values.extend([
            review.duration_ms.into(),
            review.session.map(|s| s.as_str().to_owned()).into(),
            review.max_interval.map(i64::from).into(),
            review.epoch.into(),
            review.steps.clone().into(),
            review.imported.into(),
        ]);
        debug_assert_eq!(values.len(), INSERT_REVIEW_VALUES);
        self.tx
            .prepare_cached(&INSERT_REVIEW)?
            .execute(params_from_iter(values))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Writes a card's cached schedule (the answer, the actions and a
    /// switch of scheduler only: see the tidy test).
    pub(crate) fn set_schedule(
        &self,
        card_id: &CardId,
        schedule: &Schedule,
        now: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE cards SET repetitions = ?2, ease_factor = ?3, interval_days = ?4,
                     due_day = ?5, lapses = ?6, updated_at = ?7, stability = ?8, difficulty = ?9,
                     learning = ?10
                 WHERE id = ?1",
            )?
            .execute(params![
                card_id,
                schedule.repetitions,
                schedule.ease.as_f64(),
                schedule.interval_days,
                day_text(schedule.due),
                schedule.lapses,
                now,
                stability(schedule),
                difficulty(schedule),
                schedule.learning.map(|l| l.text())
            ])?;
        Ok(())
    }

    /// Rewrites an answer's states and scheduler setting (a switch of
    /// scheduler re-derives them; the answer itself is untouched).
    /// `stored_before` is the state before it as the log has it now: when
    /// its repetitions stay (as they do across schedulers), that column is
    /// left out of the update, so the log's index of days, which holds it,
    /// is not touched.
    pub fn set_review_states(
        &self,
        seq: i64,
        stored_before: &Schedule,
        (before, after): (&Schedule, &Schedule),
        epoch: Option<i64>,
    ) -> Result<()> {
        let repetitions_stay = stored_before.repetitions == before.repetitions;
        let mut values: Vec<Value> = Vec::with_capacity(REWRITE_VALUES);
        let [reps, rest @ ..] = logged_state(before);
        if !repetitions_stay {
            values.push(reps);
        }
        values.extend(rest);
        values.extend(logged_state(after));
        values.extend([epoch.into(), seq.into()]);
        let sql: &str = if repetitions_stay {
            &REWRITE_BUT_REPETITIONS
        } else {
            &REWRITE_ALL
        };
        self.tx
            .prepare_cached(sql)?
            .execute(params_from_iter(values))?;
        Ok(())
    }

    /// Rewrites an answer's kind and logged states after a replay in a new
    /// order (another device's answer merged before it).
    pub(crate) fn set_review_replayed(
        &self,
        seq: i64,
        kind: AnswerKind,
        before: &Schedule,
        after: &Schedule,
    ) -> Result<()> {
        let mut values: Vec<Value> = Vec::with_capacity(16);
        values.extend(logged_state(before));
        values.extend(logged_state(after));
        values.extend([kind.as_str().to_owned().into(), seq.into()]);
        self.tx
            .prepare_cached(&format!(
                "UPDATE review_log SET ({BEFORE_COLUMNS}, {AFTER_COLUMNS}, kind) = ({})
                 WHERE seq = ?",
                vec!["?"; values.len() - 1].join(", ")
            ))?
            .execute(params_from_iter(values))?;
        Ok(())
    }

    /// Removes one answer from the log (undo).
    pub fn delete_review(&self, seq: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM review_log WHERE seq = ?1")?
            .execute([seq])?;
        // SQLite gives the next answer the newest free position, which may
        // be this one: sync's mark of what was written goes back below it,
        // so that answer is written too.
        self.tx
            .prepare_cached(
                "UPDATE settings SET value = CAST(min(CAST(value AS INTEGER), ?1) AS TEXT)
                 WHERE key = ?2",
            )?
            .execute(params![seq - 1, super::SYNC_WRITTEN_SETTING])?;
        Ok(())
    }
}

/// [`Reader::answered_on`]'s query.
pub(super) const ANSWERED_ON_SQL: &str = "SELECT 1 FROM review_log INDEXED BY review_log_card
     WHERE card_id = ?1 AND day = ?2 AND kind != 'cram'";

impl Reader<'_> {
    /// True when the card already has an answer on `day`. Read from the
    /// card's own answers: planned without its values, the day's index
    /// looked as good, and every answer it is asked on walked all of the
    /// day's answers (a third of an answer's work after a few hundred).
    pub fn answered_on(&self, card_id: &CardId, day: NaiveDate) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(ANSWERED_ON_SQL)?
            .exists(params![card_id, crate::day::format_day(day)])?)
    }

    /// The answer with log id `id`, when the log holds it.
    pub fn review_by_id(&self, id: &str) -> Result<Option<ReviewRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review_log WHERE id = ?1"
            ))?
            .query_row([id], review_row)
            .optional()?)
    }

    /// The newest answer given here (an answer merged from another device
    /// is that device's to undo).
    pub fn last_review(&self) -> Result<Option<ReviewRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review_log r
                 WHERE NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = r.id AND m.kind = 'answer')
                   AND imported = 0
                 ORDER BY seq DESC LIMIT 1"
            ))?
            .query_row([], review_row)
            .optional()?)
    }

    /// Calls `visit` with every answer in log order, without loading them all.
    pub fn for_each_review(&self, visit: &mut dyn FnMut(ReviewRow) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log ORDER BY seq"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            visit(review_row(row)?)?;
        }
        Ok(())
    }

    /// Calls `visit` with each card's answers and actions (cards by id),
    /// each list in the order it happened: answers by time, then log
    /// order; actions likewise. A card with actions and no answers comes
    /// with an empty list of answers, and the other way round.
    pub fn for_each_card_history(&self, visit: &mut CardHistoryVisitor<'_>) -> Result<()> {
        let mut reviews = self.conn.prepare(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log ORDER BY card_id, answered_at, seq"
        ))?;
        let mut actions = self.conn.prepare(&format!(
            "SELECT {} FROM card_actions ORDER BY card_id, acted_at, seq",
            super::actions::ACTION_COLUMNS
        ))?;
        let mut reviews = reviews.query_map([], review_row)?;
        let mut actions = actions.query_map([], super::actions::action_row)?;
        let mut review = reviews.next().transpose()?;
        let mut action = actions.next().transpose()?;
        loop {
            // Both lists are sorted by card id: the smaller next id goes first.
            let card = match (&review, &action) {
                (None, None) => return Ok(()),
                (Some(r), Some(a)) if a.card_id.as_str() < r.card_id.as_str() => a.card_id.clone(),
                (Some(r), _) => r.card_id.clone(),
                (None, Some(a)) => a.card_id.clone(),
            };
            let mut own_reviews = Vec::new();
            while let Some(row) = review.take_if(|r| r.card_id == card) {
                own_reviews.push(row);
                review = reviews.next().transpose()?;
            }
            let mut own_actions = Vec::new();
            while let Some(row) = action.take_if(|a| a.card_id == card) {
                own_actions.push(row);
                action = actions.next().transpose()?;
            }
            visit(&card, own_reviews, own_actions)?;
        }
    }

    /// One card's answers and actions, each in the order it happened.
    pub fn card_history(
        &self,
        card_id: &CardId,
    ) -> Result<(Vec<ReviewRow>, Vec<super::ActionRow>)> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log WHERE card_id = ?1 ORDER BY answered_at, seq"
        ))?;
        let reviews = stmt
            .query_map([card_id], review_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {} FROM card_actions WHERE card_id = ?1 ORDER BY acted_at, seq",
            super::actions::ACTION_COLUMNS
        ))?;
        let actions = stmt
            .query_map([card_id], super::actions::action_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok((reviews, actions))
    }

    /// One card's answers, oldest first.
    pub fn reviews_of_card(&self, card_id: &CardId) -> Result<Vec<ReviewRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log WHERE card_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([card_id], review_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// How many answers the log holds.
    pub fn review_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM review_log", [], |r| r.get(0))?)
    }

    /// Every card's cached schedule, by id.
    pub fn schedules(&self) -> Result<Vec<(CardId, Schedule)>> {
        self.schedules_where("1")
    }

    /// The schedules of the cards that can be reviewed (not retired, not
    /// suspended), by id.
    pub fn active_schedules(&self) -> Result<Vec<(CardId, Schedule)>> {
        self.schedules_where("retired = 0 AND suspended = 0")
    }

    fn schedules_where(&self, condition: &str) -> Result<Vec<(CardId, Schedule)>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, repetitions, ease_factor, interval_days, due_day, lapses, stability,
                 difficulty, learning
             FROM cards WHERE {condition} ORDER BY id"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, CardId>(0)?,
                Schedule {
                    repetitions: r.get(1)?,
                    ease: Ease::from_f64(r.get(2)?),
                    interval_days: r.get(3)?,
                    due: parse_day(r.get(4)?),
                    lapses: r.get(5)?,
                    memory: Memory::from_columns(r.get(6)?, r.get(7)?),
                    learning: learning_of(r.get(8)?),
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Today's counts that the daily limits apply to: new cards introduced
    /// (first answer ever) and first-of-day answers of any flashcard
    /// (readings count apart: [`Reader::read_today`]).
    pub fn answered_today(&self, day: NaiveDate) -> Result<(i64, i64)> {
        let day = crate::day::format_day(day);
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(CASE WHEN kind != 'repeat' AND due_before IS NULL THEN 1 END),
                    count(CASE WHEN kind != 'repeat' THEN 1 END)
             FROM review_log WHERE day = ?1 AND kind NOT IN ('cram', 'read') AND session IS NULL",
            )?
            .query_row([day], |r| Ok((r.get(0)?, r.get(1)?)))?)
    }

    /// The note lines (path, line) of sibling cards (a `:::` pair, a cloze
    /// paragraph) answered on `day`, YYYY-MM-DD: their siblings wait for
    /// another day.
    pub fn sibling_lines_answered_on(
        &self,
        day: &str,
    ) -> Result<std::collections::HashSet<(String, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT n.path, c.line FROM review_log r
             JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id
             WHERE r.day = ?1 AND r.kind NOT IN ('cram', 'read')
               AND c.kind IN ('reversed', 'cloze')",
        )?;
        let rows = stmt.query_map([day], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Reading cards read on `day` (the daily reading limit counts them).
    pub fn read_today(&self, day: NaiveDate) -> Result<i64> {
        let day = crate::day::format_day(day);
        Ok(self
            .conn
            .prepare_cached(
                "SELECT count(DISTINCT card_id) FROM review_log WHERE day = ?1 AND kind = 'read'",
            )?
            .query_row([day], |r| r.get(0))?)
    }

    /// Answers given on `day` (to cards of `deck` and its sub-decks, or to
    /// any card), in order (for the end-of-day summary).
    pub fn reviews_on(&self, day: NaiveDate, deck: Option<&str>) -> Result<Vec<ReviewRow>> {
        let day = crate::day::format_day(day);
        let Some(deck) = deck else {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review_log WHERE day = ?1 ORDER BY seq"
            ))?;
            let rows = stmt.query_map([day], review_row)?;
            return Ok(rows.collect::<rusqlite::Result<_>>()?);
        };
        let columns: String = REVIEW_COLUMNS
            .split(',')
            .map(|c| format!("r.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {columns} FROM review_log r
             JOIN cards c ON c.id = r.card_id
             JOIN notes n ON n.id = c.note_id
             JOIN decks d ON d.id = n.deck_id
             WHERE r.day = ?1 AND (d.name = ?2 OR d.name LIKE ?3 ESCAPE '\\')
             ORDER BY r.seq"
        ))?;
        let rows = stmt.query_map(
            params![day, deck, super::subdeck_pattern(Some(deck))],
            review_row,
        )?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards (not retired or suspended) due on `day` or before.
    pub fn due_count_on(&self, day: NaiveDate) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached(
                // The browser's covering index holds the three columns:
                // no card row (with its HTML) is read.
                "SELECT count(*) FROM cards INDEXED BY cards_browse
                 WHERE retired = 0 AND suspended = 0 AND due_day <= ?1",
            )?
            .query_row([crate::day::format_day(day)], |r| r.get(0))?)
    }

    /// Runs SQLite's integrity and foreign key checks; returns problems.
    pub fn integrity_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                problems.push(format!("integrity check: {line}"));
            }
        }
        let mut stmt = self.conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (table, rowid) = row?;
            problems.push(format!(
                "foreign key check: row {rowid} of {table} points nowhere"
            ));
        }
        Ok(problems)
    }
}

/// An answer with the card's deck, note and heading, for exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewExportRow {
    /// The answer.
    pub review: ReviewRow,
    /// Deck of the card now.
    pub deck: String,
    /// Source note path.
    pub note: String,
    /// Heading path.
    pub heading_path: Vec<String>,
}

impl Reader<'_> {
    /// Streams every answer (optionally of one deck and its sub-decks) in
    /// log order with its card's deck, note and heading.
    pub fn for_each_review_export(
        &self,
        deck: Option<&str>,
        visit: &mut dyn FnMut(ReviewExportRow) -> Result<()>,
    ) -> Result<()> {
        let columns: String = REVIEW_COLUMNS
            .split(',')
            .map(|c| format!("r.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, d.name, n.path, c.heading_path
             FROM review_log r JOIN cards c ON c.id = r.card_id
             JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')
             ORDER BY r.seq"
        );
        let prefix = super::subdeck_pattern(deck);
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query(params![deck, prefix])?;
        while let Some(row) = rows.next()? {
            // The card's deck, note and headings follow the log's columns.
            let after = REVIEW_COLUMNS.split(',').count();
            let heading: String = row.get(after + 2)?;
            visit(ReviewExportRow {
                review: review_row(row)?,
                deck: row.get(after)?,
                note: row.get(after + 1)?,
                heading_path: super::split_path(&heading),
            })?;
        }
        Ok(())
    }
}

/// One answer's stored columns as an export writes them, borrowed from
/// the row (no parsing): what `export reviews` needs, in its order.
#[derive(Debug, Clone, Copy)]
pub struct RawReview<'r> {
    /// The answer's id.
    pub id: &'r str,
    /// When (RFC 3339).
    pub answered_at: &'r str,
    /// The learner's day, as stored (`YYYY-MM-DD`).
    pub day: &'r str,
    /// The card.
    pub card_id: &'r str,
    /// Grade 0–5.
    pub grade: i64,
    /// Its kind, as stored.
    pub kind: &'r str,
    /// Repetitions, ease (×100), interval, due day and lapses before.
    pub before: (i64, i64, i64, Option<&'r str>, i64),
    /// The same after.
    pub after: (i64, i64, i64, Option<&'r str>, i64),
    /// Time taken.
    pub duration_ms: Option<i64>,
    /// Custom study session.
    pub session: Option<&'r str>,
    /// FSRS memory after.
    pub stability_after: Option<f64>,
    /// FSRS difficulty after.
    pub difficulty_after: Option<f64>,
}

/// Where a card sits, as [`Reader::for_each_card_place`] reads it.
pub struct CardPlace<'a> {
    /// Its note's id.
    pub note_id: i64,
    /// The card's id.
    pub card_id: &'a str,
    /// Its deck's full name.
    pub deck: &'a str,
    /// Its note's path.
    pub note: &'a str,
    /// Its headings as stored, joined with U+001F.
    pub heading_path: &'a str,
}

impl Reader<'_> {
    /// Calls `visit` with each card's place — its note's id, its id, its
    /// deck, its note's path and its heading path as stored (headings
    /// joined with U+001F) — for the cards of the notes with
    /// `after < id <= upto`, of one deck and its sub-decks or all, in note
    /// order: read once from the card browser's index (not the cards'
    /// rows), for an export that then reads the log alone.
    pub fn for_each_card_place(
        &self,
        deck: Option<&str>,
        (after, upto): (i64, i64),
        visit: &mut dyn FnMut(&CardPlace<'_>),
    ) -> Result<()> {
        let prefix = super::subdeck_pattern(deck);
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.note_id, c.id, d.name, n.path, c.heading_path
             FROM cards c INDEXED BY cards_browse
             JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE c.note_id > ?3 AND c.note_id <= ?4
               AND (?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')",
        )?;
        let mut rows = stmt.query(params![deck, prefix, after, upto])?;
        while let Some(r) = rows.next()? {
            let text =
                |i: usize| -> rusqlite::Result<&str> { r.get_ref(i)?.as_str().map_err(Into::into) };
            visit(&CardPlace {
                note_id: r.get(0)?,
                card_id: text(1)?,
                deck: text(2)?,
                note: text(3)?,
                heading_path: text(4)?,
            });
        }
        Ok(())
    }

    /// Calls `visit` with the stored columns of every answer with
    /// `after < seq <= upto`, in log order, without parsing or joining
    /// anything (see [`RawReview`]).
    pub fn for_each_raw_review(
        &self,
        (after, upto): (i64, i64),
        visit: &mut dyn FnMut(&RawReview<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, answered_at, day, card_id, grade, kind,
                 reps_before, ease_before, interval_before, due_before, lapses_before,
                 reps_after, ease_after, interval_after, due_after, lapses_after,
                 duration_ms, session, stability_after, difficulty_after
             FROM review_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![after, upto])?;
        while let Some(r) = rows.next()? {
            let text =
                |i: usize| -> rusqlite::Result<&str> { r.get_ref(i)?.as_str().map_err(Into::into) };
            let maybe = |i: usize| -> rusqlite::Result<Option<&str>> {
                r.get_ref(i)?.as_str_or_null().map_err(Into::into)
            };
            let int = |i: usize| -> rusqlite::Result<i64> { r.get(i) };
            visit(&RawReview {
                id: text(0)?,
                answered_at: text(1)?,
                day: text(2)?,
                card_id: text(3)?,
                grade: int(4)?,
                kind: text(5)?,
                before: (int(6)?, int(7)?, int(8)?, maybe(9)?, int(10)?),
                after: (int(11)?, int(12)?, int(13)?, maybe(14)?, int(15)?),
                duration_ms: r.get(16)?,
                session: maybe(17)?,
                stability_after: r.get(18)?,
                difficulty_after: r.get(19)?,
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_but_the_repetitions_are_the_state_columns_after_them() {
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(BEFORE_COLUMNS),
            words(&format!("reps_before, {BEFORE_BUT_REPETITIONS}"))
        );
    }
}
