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
    /// Flashcards never answered.
    pub new: i64,
    /// Answered flashcards due on or before the given day.
    pub due: i64,
    /// Reading cards waiting (never read, or due again), counted apart.
    pub reading: i64,
    /// Answered flashcards due on or before the day after, as `due`
    /// would count them then.
    pub due_next_day: i64,
}

impl Tx<'_> {
    /// The id of the deck `name`, creating it and its parents when missing.
    pub fn ensure_deck(&self, name: &str) -> Result<i64> {
        self.ensure_deck_known(name, &mut std::collections::HashMap::new())
    }

    /// [`Self::ensure_deck`], taking the ids of decks and parents already
    /// looked up from `known` and adding those it looks up or makes (an
    /// import writes many notes under the same parents).
    pub fn ensure_deck_known(
        &self,
        name: &str,
        known: &mut std::collections::HashMap<String, i64>,
    ) -> Result<i64> {
        let mut parent: Option<i64> = None;
        let mut full = String::new();
        for part in name.split(DECK_SEPARATOR) {
            if !full.is_empty() {
                full.push_str(DECK_SEPARATOR);
            }
            full.push_str(part);
            if let Some(&id) = known.get(&full) {
                parent = Some(id);
                continue;
            }
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
            known.insert(full.clone(), id);
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
    /// Every deck with the counts of its cards carrying `tag` (all cards
    /// when `None`) on `today` and, for `due_next_day`, on `tomorrow`
    /// (both `YYYY-MM-DD`), by name: one pass over the cards, counted here
    /// (SQLite's own expressions for the five counts took three times as
    /// long as reading the rows).
    pub fn deck_counts_tagged(
        &self,
        today: &str,
        tomorrow: &str,
        tag: Option<&str>,
    ) -> Result<Vec<DeckCounts>> {
        let mut decks: Vec<DeckCounts> = self
            .conn
            .prepare_cached("SELECT id, name, parent_id FROM decks ORDER BY name")?
            .query_map([], |r| {
                Ok(DeckCounts {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    parent_id: r.get(2)?,
                    total: 0,
                    new: 0,
                    due: 0,
                    reading: 0,
                    due_next_day: 0,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let index: std::collections::HashMap<i64, usize> =
            decks.iter().enumerate().map(|(i, d)| (d.id, i)).collect();
        let pattern = super::Scope { deck: None, tag }.tag_pattern();
        // Without a tag, every column read is in the browser's covering
        // index: no card row (with its HTML) is read.
        let tagged = if pattern.is_some() {
            "AND (' ' || c.tags || ' ' || c.user_tags || ' ') LIKE ?1 ESCAPE '\\'"
        } else {
            "AND ?1 IS NULL"
        };
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT n.deck_id, c.due_day, c.suspended, c.buried_until, c.kind = 'reading'
             FROM notes n
             JOIN cards c INDEXED BY cards_browse ON c.note_id = n.id AND c.retired = 0 {tagged}"
        ))?;
        let mut rows = stmt.query([pattern])?;
        // The rows come note by note, so mostly deck by deck.
        let mut last: Option<(i64, usize)> = None;
        while let Some(row) = rows.next()? {
            let deck_id: i64 = row.get(0)?;
            let at = match last {
                Some((id, at)) if id == deck_id => at,
                _ => {
                    let Some(&at) = index.get(&deck_id) else {
                        continue;
                    };
                    last = Some((deck_id, at));
                    at
                }
            };
            let due_day = row.get_ref(1)?.as_str_or_null().ok().flatten();
            let suspended: i64 = row.get(2)?;
            let buried_until = row.get_ref(3)?.as_str_or_null().ok().flatten();
            let reading: bool = row.get(4)?;
            let counts = &mut decks[at];
            counts.total += 1;
            // Suspended and buried cards count in the total only.
            let waiting_on = |day: &str| suspended == 0 && buried_until.is_none_or(|b| b <= day);
            let due_by = |day: &str| due_day.is_some_and(|d| d <= day);
            if reading {
                if (due_day.is_none() || due_by(today)) && waiting_on(today) {
                    counts.reading += 1;
                }
                continue;
            }
            if waiting_on(today) {
                if due_day.is_none() {
                    counts.new += 1;
                } else if due_by(today) {
                    counts.due += 1;
                }
            }
            if due_by(tomorrow) && waiting_on(tomorrow) {
                counts.due_next_day += 1;
            }
        }
        Ok(decks)
    }

    /// The decks whose last part is `part` (case aside), by full name.
    pub fn decks_ending_with(&self, part: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name FROM decks
             WHERE lower(name) = lower(?1) OR lower(name) LIKE '%::' || lower(?2) ESCAPE '\\'
             ORDER BY name",
        )?;
        let escaped = part
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let rows = stmt.query_map(rusqlite::params![part, escaped], |r| r.get(0))?;
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

/// A deck's own options; `None` fields take the parent deck's (then the
/// collection's) value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckOptions {
    /// New cards introduced per day.
    pub new_per_day: Option<i64>,
    /// First-of-day answers per day.
    pub reviews_per_day: Option<i64>,
    /// `note` (note order) or `random`.
    pub new_order: Option<String>,
    /// The longest interval, in days.
    pub max_interval: Option<i64>,
    /// Keep siblings (the cards of one `:::` pair or cloze paragraph) off
    /// the same day (on unless set off).
    pub bury_siblings: Option<bool>,
    /// Learning steps of new cards, as written (`1m 10m`; empty: none).
    pub learning_steps: Option<String>,
    /// Relearning steps of lapsed cards, as written.
    pub relearning_steps: Option<String>,
}

impl DeckOptions {
    /// True when nothing is set (the deck inherits everything).
    pub fn is_empty(&self) -> bool {
        *self == DeckOptions::default()
    }

    /// These options, each unset field filled from `parent`.
    pub fn or(self, parent: &DeckOptions) -> DeckOptions {
        DeckOptions {
            new_per_day: self.new_per_day.or(parent.new_per_day),
            reviews_per_day: self.reviews_per_day.or(parent.reviews_per_day),
            new_order: self.new_order.or_else(|| parent.new_order.clone()),
            max_interval: self.max_interval.or(parent.max_interval),
            bury_siblings: self.bury_siblings.or(parent.bury_siblings),
            learning_steps: self
                .learning_steps
                .or_else(|| parent.learning_steps.clone()),
            relearning_steps: self
                .relearning_steps
                .or_else(|| parent.relearning_steps.clone()),
        }
    }
}

impl Reader<'_> {
    /// The options set on `deck` itself (none when it inherits all).
    pub fn deck_options(&self, deck: &str) -> Result<DeckOptions> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT new_per_day, reviews_per_day, new_order, max_interval, bury_siblings,
                     learning_steps, relearning_steps
                 FROM deck_options WHERE deck = ?1",
            )?
            .query_row([deck], |r| {
                Ok(DeckOptions {
                    new_per_day: r.get(0)?,
                    reviews_per_day: r.get(1)?,
                    new_order: r.get(2)?,
                    max_interval: r.get(3)?,
                    bury_siblings: r.get(4)?,
                    learning_steps: r.get(5)?,
                    relearning_steps: r.get(6)?,
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    /// Every deck's own options, by deck name (decks that set none left
    /// out).
    pub fn all_deck_options(&self) -> Result<std::collections::HashMap<String, DeckOptions>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT deck, new_per_day, reviews_per_day, new_order, max_interval, bury_siblings,
                 learning_steps, relearning_steps
             FROM deck_options",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                DeckOptions {
                    new_per_day: r.get(1)?,
                    reviews_per_day: r.get(2)?,
                    new_order: r.get(3)?,
                    max_interval: r.get(4)?,
                    bury_siblings: r.get(5)?,
                    learning_steps: r.get(6)?,
                    relearning_steps: r.get(7)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The options in force on `deck`: its own, then each parent's.
    pub fn inherited_deck_options(&self, deck: &str) -> Result<DeckOptions> {
        let mut options = DeckOptions::default();
        let mut name = Some(deck);
        while let Some(current) = name {
            options = options.or(&self.deck_options(current)?);
            name = current
                .rsplit_once(DECK_SEPARATOR)
                .map(|(parent, _)| parent);
        }
        Ok(options)
    }

    /// The longest interval in force on the cards of `deck`, if any.
    pub fn max_interval_of(&self, deck: &str) -> Result<Option<u32>> {
        Ok(self
            .inherited_deck_options(deck)?
            .max_interval
            .and_then(|d| u32::try_from(d).ok()))
    }

    /// Today's answers by deck name: (new cards introduced, first-of-day
    /// answers), as the daily limits count them (readings apart).
    pub fn answered_today_by_deck(
        &self,
        day: &str,
    ) -> Result<std::collections::HashMap<String, (i64, i64)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.name,
                    count(CASE WHEN r.kind != 'repeat' AND r.due_before IS NULL THEN 1 END),
                    count(CASE WHEN r.kind != 'repeat' THEN 1 END)
             FROM review_log r JOIN cards c ON c.id = r.card_id
             JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = n.deck_id
             WHERE r.day = ?1 AND r.kind NOT IN ('cram', 'read') AND r.session IS NULL
             GROUP BY d.name",
        )?;
        let rows = stmt.query_map([day], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

impl Tx<'_> {
    /// Sets `deck`'s own options (all unset: the deck inherits again).
    pub fn set_deck_options(&self, deck: &str, options: &DeckOptions) -> Result<()> {
        if options.is_empty() {
            self.tx
                .prepare_cached("DELETE FROM deck_options WHERE deck = ?1")?
                .execute([deck])?;
            return Ok(());
        }
        self.tx
            .prepare_cached(
                "INSERT INTO deck_options (deck, new_per_day, reviews_per_day, new_order, max_interval,
                     bury_siblings, learning_steps, relearning_steps)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT(deck) DO UPDATE SET new_per_day = excluded.new_per_day,
                     reviews_per_day = excluded.reviews_per_day, new_order = excluded.new_order,
                     max_interval = excluded.max_interval, bury_siblings = excluded.bury_siblings,
                     learning_steps = excluded.learning_steps,
                     relearning_steps = excluded.relearning_steps",
            )?
            .execute(rusqlite::params![
                deck,
                options.new_per_day,
                options.reviews_per_day,
                options.new_order,
                options.max_interval,
                options.bury_siblings,
                options.learning_steps,
                options.relearning_steps
            ])?;
        Ok(())
    }
}
