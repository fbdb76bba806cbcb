//! Deck rows: a tree named with `::`, created on demand and pruned when empty.

use rusqlite::{params, OptionalExtension};

use super::{Reader, Tx};
use crate::model::DECK_SEPARATOR;
use crate::Result;

/// One deck with the counts of its own cards (sub-decks not included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckCounts {
    /// Row id.
    pub id: i64,
    /// Full name, `Parent::Child`.
    pub name: String,
    /// The parent deck, if any.
    pub parent_id: Option<i64>,
    /// Cards not retired.
    pub total: i64,
    /// Cards never answered.
    pub new: i64,
    /// Answered cards due on or before the given day.
    pub due: i64,
}

impl Tx<'_> {
    /// The id of the deck `name`, creating it and its parents when missing.
    pub fn ensure_deck(&self, name: &str) -> Result<i64> {
        let mut parent: Option<i64> = None;
        let mut full = String::new();
        for part in name.split(DECK_SEPARATOR) {
            if !full.is_empty() {
                full.push_str(DECK_SEPARATOR);
            }
            full.push_str(part);
            let existing: Option<i64> = self
                .tx
                .prepare_cached("SELECT id FROM decks WHERE name = ?1")?
                .query_row([&full], |r| r.get(0))
                .optional()?;
            let id = match existing {
                Some(id) => id,
                None => {
                    self.tx
                        .prepare_cached("INSERT INTO decks (name, parent_id) VALUES (?1, ?2)")?
                        .execute(params![full, parent])?;
                    self.tx.last_insert_rowid()
                }
            };
            parent = Some(id);
        }
        Ok(parent.unwrap_or_default())
    }

    /// Deletes decks that hold no notes and no sub-decks.
    pub fn prune_empty_decks(&self) -> Result<()> {
        loop {
            let removed = self.tx.execute(
                "DELETE FROM decks WHERE id NOT IN (SELECT deck_id FROM notes)
                   AND id NOT IN (SELECT parent_id FROM decks WHERE parent_id IS NOT NULL)",
                [],
            )?;
            if removed == 0 {
                return Ok(());
            }
        }
    }
}

impl Reader<'_> {
    /// Every deck with its own counts; `today` is `YYYY-MM-DD`.
    pub fn deck_counts(&self, today: &str) -> Result<Vec<DeckCounts>> {
        self.deck_counts_tagged(today, None)
    }

    /// Every deck with the counts of its cards carrying `tag` (all cards
    /// when `None`).
    pub fn deck_counts_tagged(&self, today: &str, tag: Option<&str>) -> Result<Vec<DeckCounts>> {
        let pattern = super::Scope { deck: None, tag }.tag_pattern();
        // Suspended and buried cards count in the total only.
        const WAITING: &str =
            "c.suspended = 0 AND (c.buried_until IS NULL OR c.buried_until <= ?1)";
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT d.id, d.name, d.parent_id,
                    count(c.id),
                    count(CASE WHEN c.id IS NOT NULL AND c.due_day IS NULL AND {WAITING} THEN 1 END),
                    count(CASE WHEN c.due_day <= ?1 AND {WAITING} THEN 1 END)
             FROM decks d
             LEFT JOIN notes n ON n.deck_id = d.id
             LEFT JOIN cards c ON c.note_id = n.id AND c.retired = 0
                 AND (?2 IS NULL OR (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?2 ESCAPE '\\')
             GROUP BY d.id
             ORDER BY d.name"
        ))?;
        let rows = stmt.query_map(rusqlite::params![today, pattern], |r| {
            Ok(DeckCounts {
                id: r.get(0)?,
                name: r.get(1)?,
                parent_id: r.get(2)?,
                total: r.get(3)?,
                new: r.get(4)?,
                due: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// True when a deck named exactly `name` exists.
    pub fn deck_exists(&self, name: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM decks WHERE name = ?1")?
            .exists([name])?)
    }
}
