//! What a learner does to cards besides answering them: suspend, bury,
//! forget, tag. Each action is logged beside the answers (one transaction
//! per selection), so replaying the log rebuilds every card's marks and
//! schedule, and undo takes back the newest answer or action.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::{CardId, CardState};
use crate::scheduler::Schedule;
use crate::storage::{schedule_of, ActionRow, CardMarks, CardRow, Collection, Tx};
use crate::{Error, Result};

/// The notedeck tag of a card failed too often.
pub const LEECH_TAG: &str = "leech";
/// The longest notedeck tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;

/// One thing done to a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Out of every queue until unsuspended.
    Suspend,
    /// Back into the queue.
    Unsuspend,
    /// Out of the queue until the given day.
    Bury {
        /// The first day the card is back.
        until: NaiveDate,
    },
    /// Back into today's queue before its bury ends.
    Unbury,
    /// Back to new: the schedule starts again (the history stays).
    Forget,
    /// Adds a notedeck tag.
    Tag(String),
    /// Removes a notedeck tag.
    Untag(String),
}

impl Action {
    /// The name stored in the log.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Suspend => "suspend",
            Action::Unsuspend => "unsuspend",
            Action::Bury { .. } => "bury",
            Action::Unbury => "unbury",
            Action::Forget => "forget",
            Action::Tag(_) => "tag",
            Action::Untag(_) => "untag",
        }
    }

    /// The action stored as `name` with its tag and bury day.
    pub fn from_stored(name: &str, tag: Option<&str>, until: Option<NaiveDate>) -> Option<Action> {
        Some(match name {
            "suspend" => Action::Suspend,
            "unsuspend" => Action::Unsuspend,
            "bury" => Action::Bury { until: until? },
            "unbury" => Action::Unbury,
            "forget" => Action::Forget,
            "tag" => Action::Tag(tag?.to_owned()),
            "untag" => Action::Untag(tag?.to_owned()),
            _ => return None,
        })
    }

    /// The tag a tag action adds or removes.
    pub fn tag(&self) -> Option<&str> {
        match self {
            Action::Tag(tag) | Action::Untag(tag) => Some(tag),
            _ => None,
        }
    }

    /// The day a bury lasts until.
    pub fn buried_until(&self) -> Option<NaiveDate> {
        match self {
            Action::Bury { until } => Some(*until),
            _ => None,
        }
    }

    /// Applies the action to a card's marks and schedule.
    pub fn apply(&self, marks: &mut CardMarks, schedule: &mut Schedule) {
        match self {
            Action::Suspend => marks.suspended = true,
            Action::Unsuspend => marks.suspended = false,
            Action::Bury { until } => marks.buried_until = Some(*until),
            Action::Unbury => marks.buried_until = None,
            Action::Forget => *schedule = Schedule::NEW,
            Action::Tag(tag) => marks.set_tag(tag, true),
            Action::Untag(tag) => marks.set_tag(tag, false),
        }
    }
}

/// A notedeck tag as the learner typed it (`#` and spaces around it
/// dropped), or an error saying what a tag may be.
pub fn parse_tag(text: &str) -> Result<String> {
    let tag = text.trim().trim_start_matches('#');
    let fine = !tag.is_empty()
        && tag.chars().count() <= MAX_TAG_CHARS
        && tag
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'));
    if fine {
        Ok(tag.to_owned())
    } else {
        Err(Error::BadTag(text.to_owned()))
    }
}

/// The marks of a stored card.
pub fn marks_of(card: &CardRow) -> CardMarks {
    CardMarks {
        suspended: card.suspended,
        buried_until: card.buried_until,
        user_tags: card.user_tags.clone(),
    }
}

/// Does `action` to every card of `ids` in one transaction, logged as one
/// batch (undone together); a card the action would not change is left
/// out of the log. Unknown or retired cards fail the whole call and
/// change nothing. Returns the logged rows.
pub fn act(
    collection: &mut Collection,
    ids: &[CardId],
    action: &Action,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<Vec<ActionRow>> {
    let tx = collection.transaction()?;
    let after_review = tx.reader().last_review_seq()?;
    let batch = new_id(now);
    let mut rows = Vec::new();
    for id in ids {
        let card = tx
            .reader()
            .card(id)?
            .ok_or_else(|| Error::CardNotFound(id.to_string()))?;
        if card.state == CardState::Retired {
            return Err(Error::CardRetired(id.to_string()));
        }
        if let Some(row) = log_action(&tx, &card, action, now, today, after_review, &batch)? {
            rows.push(row);
        }
    }
    tx.commit()?;
    Ok(rows)
}

/// Logs and applies one action on `card` inside `tx`; `None` when it
/// would change nothing.
pub(crate) fn log_action(
    tx: &Tx<'_>,
    card: &CardRow,
    action: &Action,
    now: DateTime<Utc>,
    today: NaiveDate,
    after_review: i64,
    batch: &str,
) -> Result<Option<ActionRow>> {
    log_action_as(tx, card, action, (now, today), after_review, batch, None)
}

/// [`log_action`] under an id the action already has (one taken on
/// another device and merged here keeps its own; none: a new one).
pub(crate) fn log_action_as(
    tx: &Tx<'_>,
    card: &CardRow,
    action: &Action,
    (now, today): (DateTime<Utc>, NaiveDate),
    after_review: i64,
    batch: &str,
    id: Option<&str>,
) -> Result<Option<ActionRow>> {
    let marks_before = marks_of(card);
    let before = schedule_of(card);
    let (mut marks, mut schedule) = (marks_before.clone(), before);
    action.apply(&mut marks, &mut schedule);
    // One that changes nothing here is not logged, unless another device
    // did it (it changed something there; an undo here of an action that
    // did the same must not take it away).
    if id.is_none() && marks == marks_before && schedule == before {
        return Ok(None);
    }
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let mut row = ActionRow {
        seq: 0,
        id: id.map_or_else(|| new_id(now), str::to_owned),
        card_id: card.id.clone(),
        acted_at: stamp.clone(),
        day: today,
        action: action.clone(),
        after_review,
        batch: batch.to_owned(),
        marks_before,
        before,
    };
    row.seq = tx.insert_action(&row)?;
    if marks != row.marks_before {
        tx.set_marks(&card.id, &marks, &stamp)?;
    }
    if schedule != before {
        tx.set_schedule(&card.id, &schedule, &stamp)?;
    }
    Ok(Some(row))
}

/// Puts back the card as it was before `rows` (newest first), deleting
/// their batch from the log.
pub(crate) fn take_back(tx: &Tx<'_>, rows: &[ActionRow], now: &str) -> Result<()> {
    for row in rows.iter().rev() {
        let Some(card) = tx.reader().card(&row.card_id)? else {
            continue;
        };
        let mut marks = marks_of(&card);
        marks.suspended = row.marks_before.suspended;
        marks.buried_until = row.marks_before.buried_until;
        if let Some(tag) = row.action.tag() {
            marks.set_tag(tag, row.marks_before.has_tag(tag));
        }
        tx.set_marks(&row.card_id, &marks, now)?;
        if row.action == Action::Forget {
            tx.set_schedule(&row.card_id, &row.before, now)?;
        }
    }
    if let Some(first) = rows.first() {
        tx.delete_batch(&first.batch, now)?;
    }
    Ok(())
}

/// When a card becomes a leech, and what is then done to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeechRule {
    /// Lapses from which a card is a leech (0: never).
    pub threshold: u32,
    /// Suspend a leech (else only tag it).
    pub suspend: bool,
}

impl Default for LeechRule {
    fn default() -> LeechRule {
        LeechRule {
            threshold: crate::settings::LEECH_THRESHOLD.default as u32,
            suspend: true,
        }
    }
}

impl LeechRule {
    /// True when an answer that took a card from `before` to `after` lapses
    /// makes it a leech: at the threshold, then every half threshold more
    /// (as Anki does), so a leech brought back and failed again is caught.
    pub fn catches(&self, before: u32, after: u32) -> bool {
        if self.threshold == 0 || after <= before || after < self.threshold {
            return false;
        }
        let step = (self.threshold / 2).max(1);
        (after - self.threshold).is_multiple_of(step)
    }
}

/// A new UUIDv7 for a log row at `now`.
pub(crate) fn new_id(now: DateTime<Utc>) -> String {
    let timestamp = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(timestamp).to_string()
}

/// A UUIDv7 for `now` that sorts after every id this function made before
/// for the same millisecond (or a later one): the decisions of one import,
/// all stamped with its time, keep the order it made them in for every
/// device that sorts them by time and id.
pub(crate) fn new_ordered_id(now: DateTime<Utc>) -> String {
    static CONTEXT: std::sync::Mutex<uuid::ContextV7> =
        std::sync::Mutex::new(uuid::ContextV7::new());
    let context = CONTEXT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let timestamp = uuid::Timestamp::from_unix(
        &*context,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    uuid::Uuid::new_v7(timestamp).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordered_ids_of_one_millisecond_keep_their_order() {
        let now: DateTime<Utc> = "2026-03-01T08:00:00Z".parse().expect("time");
        let ids: Vec<String> = (0..200).map(|_| new_ordered_id(now)).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        // Each carries that millisecond, or a later one when another test
        // made an id for a later time first (the order holds across all).
        let millis = format!("{:012x}", now.timestamp_millis());
        assert!(ids
            .iter()
            .all(|id| id.replace('-', "")[..12] >= *millis.as_str()));
    }

    #[test]
    fn leeches_are_caught_at_the_threshold_and_every_half_after() {
        let rule = LeechRule::default();
        let caught: Vec<u32> = (1..=20).filter(|&n| rule.catches(n - 1, n)).collect();
        assert_eq!(caught, vec![8, 12, 16, 20]);
        assert!(!rule.catches(8, 8), "an answer without a lapse");
        assert!(!LeechRule {
            threshold: 0,
            suspend: true
        }
        .catches(99, 100));
    }

    #[test]
    fn tags_are_words() {
        assert_eq!(parse_tag(" #exam-2027 ").unwrap(), "exam-2027");
        assert_eq!(parse_tag("bio/cells").unwrap(), "bio/cells");
        for bad in ["", "#", "two words", "a<b", &"x".repeat(65)] {
            assert!(parse_tag(bad).is_err(), "{bad:?}");
        }
    }
}
