//! The stored review totals (schema 29): the mark of the answers they
//! count, their rows per day and per deck, and each card's deck for
//! counting answers into them. What they mean is `review_totals.rs`'s.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::params;

use crate::review_totals::{DayTotal, DeckTotal, Totals};
use crate::stats::Retention;

use super::{Collection, Reader};
use crate::Result;

/// The day table's counting columns, in [`day_values`]'s order.
const DAY_COLUMNS: &str = "reviews, grade_0, grade_1, grade_2, grade_3, grade_4, grade_5,
     learn, review, relearn, repeat, cram, read, time_ms, answers, passed,
     young_answers, young_passed, mature_answers, mature_passed, new_learned";

/// How many counting columns a day has.
const DAY_VALUES: usize = 21;

/// A day's totals as the table's columns.
fn day_values(total: &DayTotal) -> [i64; DAY_VALUES] {
    let g = total.by_grade;
    let k = total.by_kind;
    [
        total.reviews,
        g[0],
        g[1],
        g[2],
        g[3],
        g[4],
        g[5],
        k[0],
        k[1],
        k[2],
        k[3],
        k[4],
        k[5],
        total.time_ms,
        total.retention.answers,
        total.retention.passed,
        total.retention_young.answers,
        total.retention_young.passed,
        total.retention_mature.answers,
        total.retention_mature.passed,
        total.new_learned,
    ]
}

/// The totals [`day_values`] gave.
fn day_total(v: &[i64; DAY_VALUES]) -> DayTotal {
    let retention = |answers, passed| Retention { answers, passed };
    DayTotal {
        reviews: v[0],
        by_grade: [v[1], v[2], v[3], v[4], v[5], v[6]],
        by_kind: [v[7], v[8], v[9], v[10], v[11], v[12]],
        time_ms: v[13],
        retention: retention(v[14], v[15]),
        retention_young: retention(v[16], v[17]),
        retention_mature: retention(v[18], v[19]),
        new_learned: v[20],
    }
}

impl Reader<'_> {
    /// The last answer (by `seq`) the stored totals count; 0 when they
    /// count nothing (or another program removed the mark).
    pub fn review_totals_counted_upto(&self) -> Result<i64> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT counted_upto FROM review_totals_state WHERE id = 1")?
            .query_row([], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// The stored totals (days whose text is not a day are left out).
    pub fn review_totals(&self) -> Result<Totals> {
        let mut totals = Totals {
            days: self.review_day_totals()?,
            ..Totals::default()
        };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT deck_id, reviews, answers, passed FROM review_deck_totals")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            totals.decks.insert(
                row.get(0)?,
                DeckTotal {
                    reviews: row.get(1)?,
                    retention: Retention {
                        answers: row.get(2)?,
                        passed: row.get(3)?,
                    },
                },
            );
        }
        Ok(totals)
    }

    /// The stored totals of each day (days whose text is not a day are
    /// left out), without the decks'.
    pub fn review_day_totals(&self) -> Result<BTreeMap<NaiveDate, DayTotal>> {
        let mut days = BTreeMap::new();
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT day, {DAY_COLUMNS} FROM review_day_totals"))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let rusqlite::types::ValueRef::Text(day) = row.get_ref(0)? else {
                continue;
            };
            let Some(day) = crate::day::parse_day(day) else {
                continue;
            };
            let mut values = [0; DAY_VALUES];
            for (i, value) in values.iter_mut().enumerate() {
                *value = row.get(i + 1)?;
            }
            days.insert(day, day_total(&values));
        }
        Ok(days)
    }

    /// The deck of card `id` (its note's), if the card exists.
    pub fn deck_of_card(&self, id: &str) -> Result<Option<i64>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT n.deck_id FROM cards c JOIN notes n ON n.id = c.note_id WHERE c.id = ?1",
            )?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }
}

impl Collection {
    /// Writes the totals of the days and decks `changed` names, as `all`
    /// has them, and marks them as counting the answers up to
    /// `counted_upto`; with `afresh`, every stored total is dropped first.
    /// Runs inside the caller's write transaction.
    pub(crate) fn store_review_totals(
        &self,
        all: &Totals,
        changed: &Totals,
        counted_upto: i64,
        afresh: bool,
    ) -> Result<()> {
        if afresh {
            self.conn
                .execute_batch("DELETE FROM review_day_totals; DELETE FROM review_deck_totals;")?;
        }
        let placeholders = vec!["?"; DAY_VALUES + 1].join(", ");
        let mut day_stmt = self.conn.prepare_cached(&format!(
            "INSERT OR REPLACE INTO review_day_totals (day, {DAY_COLUMNS}) VALUES ({placeholders})"
        ))?;
        for day in changed.days.keys() {
            let Some(total) = all.days.get(day) else {
                continue;
            };
            let values = day_values(total);
            let mut bound: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(DAY_VALUES + 1);
            let text = day.to_string();
            bound.push(&text);
            bound.extend(values.iter().map(|v| v as &dyn rusqlite::ToSql));
            day_stmt.execute(bound.as_slice())?;
        }
        let mut deck_stmt = self.conn.prepare_cached(
            "INSERT OR REPLACE INTO review_deck_totals (deck_id, reviews, answers, passed)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for deck in changed.decks.keys() {
            if let Some(total) = all.decks.get(deck) {
                deck_stmt.execute(params![
                    deck,
                    total.reviews,
                    total.retention.answers,
                    total.retention.passed
                ])?;
            }
        }
        self.conn
            .prepare_cached(
                "INSERT OR REPLACE INTO review_totals_state (id, counted_upto) VALUES (1, ?1)",
            )?
            .execute([counted_upto])?;
        Ok(())
    }

    /// Starts a write transaction on this connection when it can have one
    /// now (not read-only, not inside a transaction already, the write
    /// lock free at once: a reader never waits for an import); false
    /// otherwise.
    pub(crate) fn try_begin_write(&self) -> bool {
        if !self.conn.is_autocommit() || self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            return false;
        }
        if self.conn.busy_timeout(std::time::Duration::ZERO).is_err() {
            return false;
        }
        let begun = self.conn.execute_batch("BEGIN IMMEDIATE").is_ok();
        let _ = self.conn.busy_timeout(super::BUSY_TIMEOUT);
        begun
    }

    /// Ends the write transaction [`Collection::try_begin_write`] began:
    /// committed when `keep`, rolled back otherwise.
    pub(crate) fn end_write(&self, keep: bool) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn
            .execute_batch(if keep { "COMMIT" } else { "ROLLBACK" })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn totals_left_without_their_mark_are_counted_again() {
        let dir = tempfile::tempdir().expect("dir");
        let collection = crate::review_totals::tests::collection(dir.path());
        crate::review_totals::tests::assert_counted_alike(&collection, "first statistics");
        // Another SQLite program removes the mark, or sets it to nonsense.
        let other = rusqlite::Connection::open(collection.path()).expect("open");
        for tamper in [
            "DELETE FROM review_totals_state",
            "INSERT OR REPLACE INTO review_totals_state (id, counted_upto) VALUES (1, -5)",
            "INSERT OR REPLACE INTO review_totals_state (id, counted_upto) VALUES (1, 0)",
        ] {
            other.execute_batch(tamper).expect("tamper");
            crate::review_totals::tests::assert_counted_alike(&collection, tamper);
            let report = crate::review::check(&collection).expect("check");
            assert_eq!(report.problems, Vec::<String>::new(), "{tamper}");
        }
    }

    #[test]
    fn check_finds_totals_that_differ_from_the_log() {
        let dir = tempfile::tempdir().expect("dir");
        let collection = crate::review_totals::tests::collection(dir.path());
        crate::review_totals::tests::assert_counted_alike(&collection, "first statistics");
        let report = crate::review::check(&collection).expect("check");
        assert_eq!(report.problems, Vec::<String>::new());
        // Another SQLite program changes a kept total.
        let other = rusqlite::Connection::open(collection.path()).expect("open");
        other
            .execute_batch(
                "UPDATE review_day_totals SET reviews = reviews + 1
                 WHERE day = (SELECT max(day) FROM review_day_totals);
                 UPDATE review_deck_totals SET passed = passed - 1
                 WHERE deck_id = (SELECT min(deck_id) FROM review_deck_totals);",
            )
            .expect("tamper");
        let problems = crate::review::check(&collection).expect("check").problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("statistics' totals of 20"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("statistics' totals of deck "),
            "{problems:?}"
        );
    }
}
