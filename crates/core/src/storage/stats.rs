//! Aggregate queries behind the statistics: a handful of grouped scans, so
//! a million review rows are summarised inside SQLite without being loaded.

use rusqlite::params;

use super::Reader;
use crate::Result;

/// Review counts grouped by everything the statistics split on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewGroup {
    /// Learner's day, `YYYY-MM-DD`.
    pub day: String,
    /// Grade 0–5.
    pub grade: u8,
    /// `learn`, `review`, `relearn` or `repeat`.
    pub kind: String,
    /// The card had been passed at least once before (`n >= 1`).
    pub learned: bool,
    /// The interval before was 21 days or more.
    pub mature: bool,
    /// The first answer the card ever got.
    pub introduced: bool,
    /// Answers in the group.
    pub count: i64,
    /// Milliseconds spent, where measured.
    pub time_ms: i64,
}

/// Card counts and distributions over the current schedules.
#[derive(Debug, Clone, PartialEq)]
pub struct CardGroup {
    /// Deck name.
    pub deck: String,
    /// Retired.
    pub retired: bool,
    /// Never answered.
    pub new: bool,
    /// Repetitions.
    pub repetitions: i64,
    /// Interval in days.
    pub interval_days: i64,
    /// E-Factor.
    pub ease_factor: f64,
    /// Cards with these values.
    pub count: i64,
}

/// The part of a query that limits rows to a deck and its sub-decks; cards
/// are `c`, decks are `d`, and the deck name is parameters `?1`/`?2`.
const DECK_FILTER: &str = "(?1 IS NULL OR d.name = ?1 OR d.name LIKE ?2 ESCAPE '\\')";

fn deck_params(deck: Option<&str>) -> (Option<String>, Option<String>) {
    (deck.map(str::to_owned), super::subdeck_pattern(deck))
}

impl Reader<'_> {
    /// Answers between `from` and `to` (inclusive days), grouped.
    pub fn review_groups(
        &self,
        deck: Option<&str>,
        from: &str,
        to: &str,
    ) -> Result<Vec<ReviewGroup>> {
        let (name, prefix) = deck_params(deck);
        let join = if deck.is_some() {
            "JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id"
        } else {
            ""
        };
        let filter = if deck.is_some() {
            DECK_FILTER
        } else {
            "(?1 IS NULL AND ?2 IS NULL)"
        };
        let sql = format!(
            "SELECT r.day, r.grade, r.kind, r.reps_before >= 1, r.interval_before >= 21,
                    r.kind != 'repeat' AND r.due_before IS NULL, count(*), coalesce(sum(r.duration_ms), 0)
             FROM review_log r {join}
             WHERE {filter} AND r.day BETWEEN ?3 AND ?4
             GROUP BY 1, 2, 3, 4, 5, 6"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, prefix, from, to], |r| {
            Ok(ReviewGroup {
                day: r.get(0)?,
                grade: r.get(1)?,
                kind: r.get(2)?,
                learned: r.get(3)?,
                mature: r.get(4)?,
                introduced: r.get(5)?,
                count: r.get(6)?,
                time_ms: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every day with at least one answer, oldest first (for streaks).
    pub fn review_days(&self, deck: Option<&str>) -> Result<Vec<(String, i64)>> {
        let (name, prefix) = deck_params(deck);
        let sql = if deck.is_some() {
            format!(
                "SELECT r.day, count(*) FROM review_log r
                 JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
                 WHERE {DECK_FILTER} GROUP BY r.day ORDER BY r.day"
            )
        } else {
            "SELECT day, count(*) FROM review_log WHERE ?1 IS NULL AND ?2 IS NULL GROUP BY day ORDER BY day".to_owned()
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards grouped by deck, state, repetitions, interval and E-Factor.
    pub fn card_groups(&self, deck: Option<&str>) -> Result<Vec<CardGroup>> {
        let (name, prefix) = deck_params(deck);
        let sql = format!(
            "SELECT d.name, c.retired, c.due_day IS NULL, c.repetitions, c.interval_days, c.ease_factor, count(*)
             FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE {DECK_FILTER}
             GROUP BY 1, 2, 3, 4, 5, 6"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, prefix], |r| {
            Ok(CardGroup {
                deck: r.get(0)?,
                retired: r.get(1)?,
                new: r.get(2)?,
                repetitions: r.get(3)?,
                interval_days: r.get(4)?,
                ease_factor: r.get(5)?,
                count: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Cards (not retired) falling due on each day up to `to`, overdue
    /// cards counted on `today`.
    pub fn due_forecast(
        &self,
        deck: Option<&str>,
        today: &str,
        to: &str,
    ) -> Result<Vec<(String, i64)>> {
        let (name, prefix) = deck_params(deck);
        let sql = format!(
            "SELECT max(c.due_day, ?3), count(*)
             FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE {DECK_FILTER} AND c.retired = 0 AND c.due_day IS NOT NULL AND c.due_day <= ?4
             GROUP BY 1 ORDER BY 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, prefix, today, to], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Review counts per deck between two days.
    pub fn deck_review_counts(
        &self,
        deck: Option<&str>,
        from: &str,
        to: &str,
    ) -> Result<Vec<(String, i64, i64, i64)>> {
        let (name, prefix) = deck_params(deck);
        let sql = format!(
            "SELECT d.name, count(*),
                    count(CASE WHEN r.kind != 'repeat' AND r.reps_before >= 1 THEN 1 END),
                    count(CASE WHEN r.kind != 'repeat' AND r.reps_before >= 1 AND r.grade >= 3 THEN 1 END)
             FROM review_log r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id
             JOIN decks d ON d.id = n.deck_id
             WHERE {DECK_FILTER} AND r.day BETWEEN ?3 AND ?4
             GROUP BY 1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map(params![name, prefix, from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The cards with the most lapses (then lowest E-Factor), not retired.
    pub fn hardest_cards(&self, deck: Option<&str>, limit: i64) -> Result<Vec<super::CardRow>> {
        self.select_cards(
            "AND c.retired = 0 AND c.lapses > 0 ORDER BY c.lapses DESC, c.ease_factor ASC, c.id LIMIT ?3",
            deck,
            &[&limit],
        )
    }
}
