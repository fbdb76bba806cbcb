//! A card's history in the order it replays, and its rebuild.
//!
//! Each card's state is the replay of its answers and actions in the order
//! they happened: by time, and at the same millisecond in the order they
//! were written (an action follows the answers written before it, as a
//! leech's tag follows its answer). On one device that is the
//! order they were written; an answer merged from another device (see
//! `sync`) may fall between two written here, and [`rebuild`] then
//! recomputes the card's logged states in that order. `review::check`
//! replays in the same order, so a collection whose cards have merged
//! answers checks like any other.

use std::collections::HashMap;

use crate::model::CardId;
use crate::review::{answered_secs, replay_answer, Replayed};
use crate::scheduler::{AnswerKind, Grade, Scheduler};
use crate::storage::{ActionRow, ReviewRow, Tx};
use crate::Result;

/// One entry of a card's history.
#[derive(Debug, Clone, Copy)]
pub enum Entry<'a> {
    /// An answer.
    Answer(&'a ReviewRow),
    /// An action (suspend, bury, forget, tag).
    Action(&'a ActionRow),
}

/// A card's answers and actions (each list already in the order it
/// happened) in replay order.
pub fn timeline<'a>(reviews: &'a [ReviewRow], actions: &'a [ActionRow]) -> Vec<Entry<'a>> {
    let mut out = Vec::with_capacity(reviews.len() + actions.len());
    let (mut r, mut a) = (0, 0);
    while r < reviews.len() || a < actions.len() {
        let answer_first = match (reviews.get(r), actions.get(a)) {
            // At the same moment (a fixed clock, or a leech's tag), the
            // order they were written: an action follows the answers
            // written before it.
            (Some(review), Some(action)) => match review.answered_at.cmp(&action.acted_at) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Greater => false,
                std::cmp::Ordering::Equal => review.seq <= action.after_review,
            },
            (Some(_), None) => true,
            _ => false,
        };
        if answer_first {
            out.push(Entry::Answer(&reviews[r]));
            r += 1;
        } else {
            out.push(Entry::Action(&actions[a]));
            a += 1;
        }
    }
    out
}

/// Replays one answer onto `card` under `scheduler` (a reading and a cram
/// answer follow their own rules; one imported from Anki gives the state
/// it logged): its schedule and the day of its last answer move on. Gives the schedule before and after, and the kind.
pub fn replay_into(
    card: &mut Replayed,
    row: &ReviewRow,
    scheduler: &Scheduler,
) -> (
    crate::scheduler::Schedule,
    crate::scheduler::Schedule,
    AnswerKind,
) {
    let before = card.schedule;
    // Brought in from Anki: the replay starts from Anki's state after it.
    if row.imported {
        card.schedule = row.after;
        card.last_day = Some(row.day);
        return (before, row.after, row.kind);
    }
    // A grade outside 0–5 (which `check` reports) changes nothing.
    let Some(grade) = Grade::new(row.grade) else {
        return (before, before, row.kind);
    };
    let (after, kind) = match row.kind {
        // A cram answer changes nothing and is no answer of the day.
        AnswerKind::Cram => return (before, before, AnswerKind::Cram),
        AnswerKind::Read => (
            crate::scheduler::reading::answer(before, grade, row.day, row.max_interval),
            AnswerKind::Read,
        ),
        _ => {
            let (after, kind) = replay_answer(
                card,
                (row.card_id.as_str(), row.day, grade, row.max_interval),
                scheduler,
            );
            let after = crate::scheduler::steps::replay(
                &before,
                after,
                grade,
                answered_secs(&row.answered_at),
                row.steps.as_deref(),
            );
            (after, kind)
        }
    };
    card.schedule = after;
    card.last_day = Some(row.day);
    (before, after, kind)
}

/// Replays `card_id`'s history in order under the schedulers its answers
/// were given under (`epochs`; none: SM-2), rewrites every answer's kind
/// and logged states and every action's logged schedule that differ, and
/// the card's cached schedule. Returns how many rows changed.
pub fn rebuild(
    tx: &Tx<'_>,
    card_id: &CardId,
    epochs: &HashMap<i64, Scheduler>,
    now: &str,
) -> Result<usize> {
    let (reviews, actions) = tx.reader().card_history(card_id)?;
    let mut card = Replayed::new();
    let mut marks = crate::storage::CardMarks::default();
    let mut changed = 0;
    for entry in timeline(&reviews, &actions) {
        match entry {
            Entry::Answer(row) => {
                let scheduler = row
                    .epoch
                    .and_then(|e| epochs.get(&e))
                    .unwrap_or(&Scheduler::Sm2);
                let (before, after, kind) = replay_into(&mut card, row, scheduler);
                if row.before != before || row.after != after || row.kind != kind {
                    tx.set_review_replayed(row.seq, kind, &before, &after)?;
                    changed += 1;
                }
            }
            Entry::Action(row) => {
                if row.before != card.schedule {
                    tx.set_action_before(row.seq, &card.schedule)?;
                    changed += 1;
                }
                let tagged = row.action.tag().is_some_and(|t| marks.has_tag(t));
                let logged_tagged = row
                    .action
                    .tag()
                    .is_some_and(|t| row.marks_before.has_tag(t));
                if row.marks_before.suspended != marks.suspended
                    || row.marks_before.buried_until != marks.buried_until
                    || tagged != logged_tagged
                {
                    tx.set_action_marks_before(row.seq, &marks, tagged)?;
                    changed += 1;
                }
                row.action.apply(&mut marks, &mut card.schedule);
            }
        }
    }
    let stored = tx.reader().card(card_id)?;
    if stored.as_ref().map(crate::storage::schedule_of) != Some(card.schedule) {
        tx.set_schedule(card_id, &card.schedule, now)?;
    }
    if stored.as_ref().map(crate::actions::marks_of) != Some(marks.clone()) {
        tx.set_marks(card_id, &marks, now)?;
    }
    Ok(changed)
}
