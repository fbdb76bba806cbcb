//! The action log (suspend, bury, forget, tag) and the card marks it drives.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter, OptionalExtension, Row};

use super::reviews::{logged_state, BEFORE_COLUMNS};
use super::{Reader, Tx};
use crate::actions::Action;
use crate::model::CardId;
use crate::scheduler::{Ease, Schedule};
use crate::Result;

/// What a card carries besides its schedule: the learner's own marks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardMarks {
    /// Out of every queue until unsuspended.
    pub suspended: bool,
    /// Out of the queue before this day.
    pub buried_until: Option<NaiveDate>,
    /// notedeck's own tags, sorted, each once.
    pub user_tags: Vec<String>,
}

impl CardMarks {
    /// True when `tag` is one of the card's notedeck tags.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.user_tags.iter().any(|t| t == tag)
    }

    /// Adds or removes `tag`, keeping the tags sorted.
    pub fn set_tag(&mut self, tag: &str, present: bool) {
        self.user_tags.retain(|t| t != tag);
        if present {
            self.user_tags.push(tag.to_owned());
            self.user_tags.sort();
        }
    }
}

/// One action as stored in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionRow {
    /// Order of the action among actions.
    pub seq: i64,
    /// Globally unique id (UUIDv7).
    pub id: String,
    /// The card acted on.
    pub card_id: CardId,
    /// UTC time, RFC 3339 with milliseconds.
    pub acted_at: String,
    /// The learner's day.
    pub day: NaiveDate,
    /// What was done.
    pub action: Action,
    /// The newest answer's `seq` when the action was taken (0 for none):
    /// the action replays after that answer.
    pub after_review: i64,
    /// Actions undone together share a batch.
    pub batch: String,
    /// The card's marks before the action (for a tag action, `user_tags`
    /// holds the tag when the card had it).
    pub marks_before: CardMarks,
    /// The card's schedule before the action.
    pub before: Schedule,
}

pub(super) const ACTION_COLUMNS: &str =
    "seq, id, card_id, acted_at, day, action, tag, buried_until,
    after_review, batch, suspended_before, buried_before, tagged_before,
    reps_before, ease_before, interval_before, due_before, lapses_before, stability_before,
    difficulty_before, learning_before";

fn day_of(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| crate::day::parse_day(t.as_bytes()))
}

pub(super) fn action_row(r: &Row<'_>) -> rusqlite::Result<ActionRow> {
    let name: String = r.get(5)?;
    let tag: Option<String> = r.get(6)?;
    let until = day_of(r.get(7)?);
    let action = Action::from_stored(&name, tag.as_deref(), until).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("unknown action `{name}`").into(),
        )
    })?;
    let tagged: bool = r.get(12)?;
    let user_tags = match (&action, tagged) {
        (Action::Tag(tag) | Action::Untag(tag), true) => vec![tag.clone()],
        _ => Vec::new(),
    };
    Ok(ActionRow {
        seq: r.get(0)?,
        id: r.get(1)?,
        card_id: r.get(2)?,
        acted_at: r.get(3)?,
        day: day_of(r.get(4)?).unwrap_or_default(),
        action,
        after_review: r.get(8)?,
        batch: r.get(9)?,
        marks_before: CardMarks {
            suspended: r.get(10)?,
            buried_until: day_of(r.get(11)?),
            user_tags,
        },
        before: Schedule {
            repetitions: r.get(13)?,
            ease: Ease(r.get(14)?),
            interval_days: r.get(15)?,
            due: day_of(r.get(16)?),
            lapses: r.get(17)?,
            memory: crate::scheduler::Memory::from_columns(r.get(18)?, r.get(19)?),
            learning: super::reviews::learning_of(r.get(20)?),
        },
    })
}

impl Tx<'_> {
    /// Appends an action to the log; returns its `seq`.
    pub fn insert_action(&self, row: &ActionRow) -> Result<i64> {
        let tag = row.action.tag();
        let tagged = tag.is_some_and(|t| row.marks_before.has_tag(t));
        let mut values: Vec<Value> = vec![
            row.id.clone().into(),
            row.card_id.as_str().to_owned().into(),
            row.acted_at.clone().into(),
            crate::day::format_day(row.day).into(),
            row.action.as_str().to_owned().into(),
            tag.map(str::to_owned).into(),
            row.action.buried_until().map(crate::day::format_day).into(),
            row.after_review.into(),
            row.batch.clone().into(),
            i64::from(row.marks_before.suspended).into(),
            row.marks_before
                .buried_until
                .map(crate::day::format_day)
                .into(),
            i64::from(tagged).into(),
        ];
        values.extend(logged_state(&row.before));
        self.tx
            .prepare_cached(&format!(
                "INSERT INTO card_actions (id, card_id, acted_at, day, action, tag, buried_until,
                     after_review, batch, suspended_before, buried_before, tagged_before,
                     {BEFORE_COLUMNS})
                 VALUES ({})",
                vec!["?"; values.len()].join(", ")
            ))?
            .execute(params_from_iter(values))?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Rewrites the card's state before an action (a switch of scheduler
    /// re-derives it).
    pub fn set_action_before(&self, seq: i64, before: &Schedule) -> Result<()> {
        let mut values: Vec<Value> = logged_state(before).into();
        values.push(seq.into());
        self.tx
            .prepare_cached(&format!(
                "UPDATE card_actions SET ({BEFORE_COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?) WHERE seq = ?"
            ))?
            .execute(params_from_iter(values))?;
        Ok(())
    }

    /// Writes a card's marks.
    pub fn set_marks(&self, card_id: &CardId, marks: &CardMarks, now: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE cards SET suspended = ?2, buried_until = ?3, user_tags = ?4, updated_at = ?5
                 WHERE id = ?1",
            )?
            .execute(params![
                card_id,
                marks.suspended,
                marks.buried_until.map(crate::day::format_day),
                marks.user_tags.join(" "),
                now
            ])?;
        Ok(())
    }

    /// Removes one batch of actions from the log (undo).
    pub fn delete_batch(&self, batch: &str, now: &str) -> Result<()> {
        // The undo travels to other devices (see `sync`).
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO undone_actions (action_id, card_id, undone_at)
                 SELECT id, card_id, ?2 FROM card_actions WHERE batch = ?1",
            )?
            .execute(params![batch, now])?;
        self.tx
            .prepare_cached("DELETE FROM card_actions WHERE batch = ?1")?
            .execute([batch])?;
        Ok(())
    }

    /// Takes one action out of the log (another device's undo of it).
    pub fn delete_action(&self, seq: i64) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM card_actions WHERE seq = ?1")?
            .execute([seq])?;
        Ok(())
    }

    /// Remembers that the action `action_id` of `card_id` was taken back.
    pub fn record_undone_action(&self, action_id: &str, card_id: &CardId, at: &str) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT OR IGNORE INTO undone_actions (action_id, card_id, undone_at) VALUES (?1, ?2, ?3)",
            )?
            .execute(params![action_id, card_id, at])?;
        Ok(())
    }

    /// Rewrites the card's marks before an action (after a replay in a new
    /// order): suspended, buried, and whether it had the action's tag.
    pub(crate) fn set_action_marks_before(
        &self,
        seq: i64,
        marks: &CardMarks,
        tagged: bool,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "UPDATE card_actions SET suspended_before = ?2, buried_before = ?3, tagged_before = ?4
                 WHERE seq = ?1",
            )?
            .execute(params![
                seq,
                marks.suspended,
                marks.buried_until.map(crate::day::format_day),
                tagged
            ])?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The action with id `id`, when the log holds it.
    pub fn action_by_id(&self, id: &str) -> Result<Option<ActionRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM card_actions WHERE id = ?1"
            ))?
            .query_row([id], action_row)
            .optional()?)
    }

    /// True when the action `id` was taken back (here or elsewhere).
    pub fn action_undone(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM undone_actions WHERE action_id = ?1")?
            .exists([id])?)
    }

    /// Actions taken here (not taken in from another device, nor a merged
    /// answer's own) and not yet written to the sync folder, in log order.
    pub fn unexported_actions(&self, limit: usize) -> Result<Vec<ActionRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM card_actions a
             WHERE NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = a.id AND e.kind = 'action')
               AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = a.id AND m.kind = 'action')
               AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = a.batch AND m.kind = 'answer')
             ORDER BY seq LIMIT ?1"
        ))?;
        let rows = stmt.query_map([limit as i64], action_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Action undos made here and not yet written to the sync folder.
    pub fn unexported_action_undos(&self) -> Result<Vec<(String, CardId, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT action_id, card_id, undone_at FROM undone_actions u
             WHERE NOT EXISTS (SELECT 1 FROM sync_exported e WHERE e.id = u.action_id AND e.kind = 'undo_action')
               AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = u.action_id AND m.kind = 'undo_action')
             ORDER BY undone_at",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The newest action taken here. Another device's actions merged here
    /// are not counted, nor a merged answer's own actions (a leech's: they
    /// go with that answer): they are that device's to undo.
    pub fn last_action(&self) -> Result<Option<ActionRow>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {ACTION_COLUMNS} FROM card_actions a
                 WHERE NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = a.batch AND m.kind = 'answer')
                   AND NOT EXISTS (SELECT 1 FROM sync_merged m WHERE m.id = a.id AND m.kind = 'action')
                 ORDER BY seq DESC LIMIT 1"
            ))?
            .query_row([], action_row)
            .optional()?)
    }

    /// The actions of one batch, oldest first.
    pub fn actions_of_batch(&self, batch: &str) -> Result<Vec<ActionRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM card_actions WHERE batch = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([batch], action_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every action in replay order: after its answer, then by `seq`.
    pub fn actions(&self) -> Result<Vec<ActionRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ACTION_COLUMNS} FROM card_actions ORDER BY after_review, seq"
        ))?;
        let rows = stmt.query_map([], action_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The actions on one card, oldest first.
    pub fn actions_of_card(&self, card_id: &CardId) -> Result<Vec<ActionRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM card_actions WHERE card_id = ?1 ORDER BY seq"
        ))?;
        let rows = stmt.query_map([card_id], action_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One card's marks; none when no card has that id.
    pub fn card_marks(&self, card_id: &CardId) -> Result<Option<CardMarks>> {
        Ok(self
            .conn
            .prepare_cached("SELECT suspended, buried_until, user_tags FROM cards WHERE id = ?1")?
            .query_row([card_id], |r| marks_at(r, 0))
            .optional()?)
    }

    /// Every card's marks, by id (cards without any mark left out).
    pub fn marks(&self) -> Result<Vec<(CardId, CardMarks)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, suspended, buried_until, user_tags FROM cards
             WHERE suspended != 0 OR buried_until IS NOT NULL OR user_tags != ''
             ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, CardId>(0)?, marks_at(r, 1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// The marks in `row`'s columns from `first` on: suspended, buried until,
/// the notedeck tags.
fn marks_at(row: &Row<'_>, first: usize) -> rusqlite::Result<CardMarks> {
    let tags: String = row.get(first + 2)?;
    Ok(CardMarks {
        suspended: row.get(first)?,
        buried_until: day_of(row.get(first + 1)?),
        user_tags: tags.split_whitespace().map(str::to_owned).collect(),
    })
}
