//! Many answers written or rewritten in one transaction (another
//! program's review log brought in, a sync's merge, a switch of
//! scheduler): parts of the log that cost each such write dearly are set
//! aside meanwhile and put back, exactly as they were, before the
//! transaction ends, so no other connection ever sees the log without
//! them.
//!
//! - The totals' insert trigger (`review_totals_answer_added`, schema 29):
//!   a table with a trigger makes SQLite keep a statement journal for
//!   every insert (each page the insert touches copied first), and an
//!   appended answer never fires it. Its effect is applied once at the
//!   end instead, should any answer written meanwhile have been counted.
//! - The totals' update trigger (`review_totals_answer_changed`) while
//!   every answer's logged states are rewritten (a switch of scheduler):
//!   the same statement journal per update; the totals are forgotten at
//!   the end when they count anything, as the trigger would have.
//! - The log's index of days (`review_log_day`, schema 30), when the
//!   answers to come are many beside the log (at least [`BULK_ANSWERS`]
//!   and a quarter of it): they come card by card and their days land all
//!   over it; made again in one sorted pass at the end.

use rusqlite::OptionalExtension;

use super::Tx;
use crate::Result;

/// The schema objects set aside, each as SQLite keeps it: the trigger
/// always, the index for many answers.
const SET_ASIDE: [(&str, &str); 2] = [
    ("trigger", "review_totals_answer_added"),
    ("index", "review_log_day"),
];

/// The fewest answers for which the index of days is made again rather
/// than kept up.
pub const BULK_ANSWERS: usize = 20_000;

/// The totals' update trigger (`review_totals_answer_changed`), set aside
/// while every answer's logged states are rewritten (a switch of
/// scheduler), for the same reason as the insert trigger.
const REWRITE_TRIGGER: (&str, &str) = ("trigger", "review_totals_answer_changed");

/// What [`Tx::set_aside_for_answers`] or [`Tx::set_aside_for_rewrites`]
/// set aside, to be put back by [`Tx::put_back_after_answers`] in the same
/// transaction.
#[must_use = "put back with Tx::put_back_after_answers before the commit"]
#[derive(Debug)]
pub struct SetAside {
    /// What was dropped: its kind and the `CREATE` statement SQLite kept.
    statements: Vec<(&'static str, String)>,
    /// What the answers meanwhile are.
    written: Written,
}

/// The answers written while the trigger is set aside.
#[derive(Debug, Clone, Copy)]
enum Written {
    /// Appended after the log's `seq` then.
    Appended { after_seq: i64 },
    /// Every answer's states rewritten.
    Rewritten,
}

impl Tx<'_> {
    /// Sets the totals' insert trigger aside, and the log's index of days
    /// when about `expected` answers are many beside the log, for them to
    /// go in (see the module's note).
    pub fn set_aside_for_answers(&self, expected: usize) -> Result<SetAside> {
        let last_seq_before = self.reader().last_review_seq()?;
        let logged = usize::try_from(last_seq_before).unwrap_or(0);
        let index_too = expected >= BULK_ANSWERS && expected.saturating_mul(4) >= logged;
        let objects = &SET_ASIDE[..if index_too { 2 } else { 1 }];
        Ok(SetAside {
            statements: self.drop_keeping_text(objects)?,
            written: Written::Appended {
                after_seq: last_seq_before,
            },
        })
    }

    /// Sets the totals' update trigger aside while every answer's logged
    /// states are rewritten in this transaction (a switch of scheduler).
    pub fn set_aside_for_rewrites(&self) -> Result<SetAside> {
        Ok(SetAside {
            statements: self.drop_keeping_text(&[REWRITE_TRIGGER])?,
            written: Written::Rewritten,
        })
    }

    /// Drops each of `objects` (kind, name) there is, returning the
    /// `CREATE` statements SQLite kept for them.
    fn drop_keeping_text(
        &self,
        objects: &[(&'static str, &str)],
    ) -> Result<Vec<(&'static str, String)>> {
        let mut statements = Vec::new();
        for (kind, name) in objects {
            let sql: Option<String> = self
                .tx
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = ?1 AND name = ?2",
                    [kind, name],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(sql) = sql {
                self.tx
                    .execute_batch(&format!("DROP {} {name}", kind.to_uppercase()))?;
                statements.push((*kind, sql));
            }
        }
        Ok(statements)
    }

    /// Puts back what was set aside, first doing what the trigger would
    /// have done: forget the stored totals when an answer written meanwhile
    /// has a `seq` they count, or, after a rewrite of every answer, when
    /// they count any.
    pub fn put_back_after_answers(&self, set_aside: SetAside) -> Result<()> {
        let counted_upto = self.reader().review_totals_counted_upto()?;
        let counted_anew: bool = match set_aside.written {
            Written::Rewritten => counted_upto > 0,
            Written::Appended { after_seq } => self.tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM review_log WHERE seq > ?1 AND seq <= ?2)",
                [after_seq, counted_upto],
                |r| r.get(0),
            )?,
        };
        if counted_anew {
            self.tx.execute_batch(
                "DELETE FROM review_day_totals;
                 DELETE FROM review_deck_totals;
                 UPDATE review_totals_state SET counted_upto = 0;",
            )?;
        }
        // An index's sort takes as much memory as the page cache; the
        // cache's pages are written by then.
        let cache_before = if set_aside
            .statements
            .iter()
            .any(|(kind, _)| *kind == "index")
        {
            let cache: i64 = self.tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            self.tx.execute_batch("PRAGMA cache_size = -2048")?;
            Some(cache)
        } else {
            None
        };
        for (_, statement) in &set_aside.statements {
            self.tx.execute_batch(statement)?;
        }
        if let Some(cache) = cache_before {
            self.tx
                .execute_batch(&format!("PRAGMA cache_size = {cache}"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Collection;

    /// The schema's text, every object in name order.
    fn schema(collection: &Collection) -> Vec<(String, Option<String>)> {
        let conn = rusqlite::Connection::open(collection.path()).expect("open");
        let mut stmt = conn
            .prepare("SELECT name, sql FROM sqlite_schema ORDER BY name")
            .expect("prepare");
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("query");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    }

    #[test]
    fn what_is_set_aside_comes_back_as_it_was() {
        let dir = tempfile::tempdir().expect("dir");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let before = schema(&collection);
        let tx = collection.transaction().expect("tx");
        let set_aside = tx.set_aside_for_answers(BULK_ANSWERS).expect("set aside");
        assert_eq!(set_aside.statements.len(), SET_ASIDE.len());
        tx.put_back_after_answers(set_aside).expect("put back");
        tx.commit().expect("commit");
        assert_eq!(schema(&collection), before);
    }

    #[test]
    fn the_index_stays_for_few_answers() {
        let dir = tempfile::tempdir().expect("dir");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let tx = collection.transaction().expect("tx");
        let set_aside = tx
            .set_aside_for_answers(BULK_ANSWERS - 1)
            .expect("set aside");
        assert_eq!(set_aside.statements.len(), 1);
        assert!(set_aside.statements[0].1.contains("TRIGGER"));
        tx.put_back_after_answers(set_aside).expect("put back");
    }

    #[test]
    fn nothing_is_left_set_aside_when_the_transaction_is_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        let before = schema(&collection);
        let tx = collection.transaction().expect("tx");
        let _set_aside = tx.set_aside_for_answers(BULK_ANSWERS).expect("set aside");
        drop(tx);
        assert_eq!(schema(&collection), before);
    }

    /// Appends a copy of the log's last answer, under a new id.
    fn append_copy(tx: &Tx<'_>) {
        tx.tx
            .execute_batch(
                "INSERT INTO review_log (id, card_id, answered_at, day, grade, kind,
                     reps_before, ease_before, interval_before, lapses_before,
                     reps_after, ease_after, interval_after, lapses_after)
                 SELECT id || '+', card_id, answered_at, day, grade, kind,
                     reps_before, ease_before, interval_before, lapses_before,
                     reps_after, ease_after, interval_after, lapses_after
                 FROM review_log ORDER BY seq DESC LIMIT 1",
            )
            .expect("append");
    }

    /// Sets aside, appends a copy of the last answer, puts back, commits;
    /// then the totals' mark and how many days they hold.
    fn append_set_aside(collection: &mut Collection, expected: usize) -> (i64, i64) {
        let tx = collection.transaction().expect("tx");
        let set_aside = tx.set_aside_for_answers(expected).expect("set aside");
        append_copy(&tx);
        tx.put_back_after_answers(set_aside).expect("put back");
        tx.commit().expect("commit");
        let reader = collection.reader();
        let days: i64 = reader
            .conn
            .query_row("SELECT count(*) FROM review_day_totals", [], |r| r.get(0))
            .expect("days");
        (reader.review_totals_counted_upto().expect("mark"), days)
    }

    #[test]
    fn the_totals_are_forgotten_as_the_trigger_would_only_when_an_answer_is_counted() {
        let dir = tempfile::tempdir().expect("dir");
        let mut collection = crate::review_totals::tests::collection(dir.path());
        crate::review_totals::tests::assert_counted_alike(&collection, "first statistics");
        let mark = collection
            .reader()
            .review_totals_counted_upto()
            .expect("mark");
        assert!(mark > 0, "the statistics keep their totals");
        // An appended answer is past the mark: the totals stay.
        let (kept_mark, days) = append_set_aside(&mut collection, 1);
        assert_eq!(kept_mark, mark);
        assert!(days > 0);
        // A mark past the log's end (as another program may leave it): the
        // next appended answer is one the totals would claim to count.
        rusqlite::Connection::open(collection.path())
            .expect("open")
            .execute_batch("UPDATE review_totals_state SET counted_upto = counted_upto + 10")
            .expect("mark ahead");
        assert_eq!(append_set_aside(&mut collection, BULK_ANSWERS), (0, 0));
        crate::review_totals::tests::assert_counted_alike(&collection, "after the answers");
    }
}
