//! Choosing the scheduler: a switch between SM-2 and FSRS re-derives every
//! logged state by replaying the log under the new scheduler, in one
//! transaction, so that `check` agrees and switching back gives exactly the
//! states of before; a change of FSRS's parameters or retention applies to
//! the answers after it.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::CardId;
use crate::review::Replayed;
use crate::scheduler::Scheduler;
use crate::storage::{CardMarks, Collection, Tx};
use crate::Result;

/// What choosing a scheduler did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switched {
    /// `sm2` or `fsrs`, now in force.
    pub scheduler: &'static str,
    /// True when the log was replayed under it (a switch of scheduler).
    pub rebuilt: bool,
    /// Answers replayed.
    pub answers: usize,
    /// Cards whose schedule changed.
    pub cards_changed: usize,
    /// False when the setting was already in force (nothing recorded).
    pub changed: bool,
}

/// Puts `target` in force from `now` on; `progress` hears (answers
/// replayed, answers in all) while a switch replays the log.
pub fn set_scheduler(
    collection: &mut Collection,
    target: Scheduler,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Switched> {
    let tx = collection.transaction()?;
    let switched = set_scheduler_in(&tx, target, now, progress)?;
    tx.commit()?;
    if switched.rebuilt {
        // The rewrite filled the write-ahead log: copied now, not by the
        // next answers.
        collection.checkpoint()?;
    }
    Ok(switched)
}

/// As [`set_scheduler`], as part of `tx` (which the caller commits).
pub fn set_scheduler_in(
    tx: &Tx<'_>,
    target: Scheduler,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Switched> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (_, current) = tx.reader().current_scheduler()?;
    let rebuild = current.name() != target.name();
    let unchanged = match (&current, &target) {
        (Scheduler::Sm2, Scheduler::Sm2) => true,
        (Scheduler::Fsrs(a), Scheduler::Fsrs(b)) => a.config() == b.config(),
        _ => false,
    };
    let mut switched = Switched {
        scheduler: target.name(),
        rebuilt: rebuild,
        answers: 0,
        cards_changed: 0,
        changed: !unchanged,
    };
    if unchanged {
        return Ok(switched);
    }
    let epoch = tx.insert_epoch(&target, &stamp, rebuild)?;
    if !rebuild {
        return Ok(switched);
    }

    // The totals' update trigger is set aside while every answer is
    // rewritten, and put back whether or not the rewrite went through.
    let set_aside = tx.set_aside_for_rewrites()?;
    let rewritten = rewrite_every_answer(tx, &target, (epoch, &stamp), progress, &mut switched);
    tx.put_back_after_answers(set_aside)?;
    rewritten?;
    Ok(switched)
}

/// Replays every card's history under `target`, in the order it happened
/// (see `history`), rewriting its logged states (and actions' states
/// before) and the cards whose schedule changed.
fn rewrite_every_answer(
    tx: &Tx<'_>,
    target: &Scheduler,
    (epoch, stamp): (i64, &str),
    progress: &mut dyn FnMut(usize, usize),
    switched: &mut Switched,
) -> Result<()> {
    let total = tx.reader().review_count()?.max(0) as usize;
    let mut done = 0;
    let mut finals: Vec<(CardId, crate::scheduler::Schedule)> = Vec::new();
    tx.reader()
        .for_each_card_history(&mut |card_id, reviews, actions| {
            let mut card = Replayed::new();
            for entry in crate::history::timeline(&reviews, &actions) {
                match entry {
                    crate::history::Entry::Answer(row) => {
                        let (before, after, _) =
                            crate::history::replay_into(&mut card, row, target);
                        tx.set_review_states(row.seq, &row.before, (&before, &after), Some(epoch))?;
                        done += 1;
                        if done % 10_000 == 0 {
                            progress(done, total);
                        }
                    }
                    crate::history::Entry::Action(action) => {
                        if action.before != card.schedule {
                            tx.set_action_before(action.seq, &card.schedule)?;
                        }
                        let mut marks = CardMarks::default();
                        action.action.apply(&mut marks, &mut card.schedule);
                    }
                }
            }
            finals.push((card_id.clone(), card.schedule));
            Ok(())
        })?;
    progress(total, total);
    switched.answers = done;

    let stored: HashMap<CardId, _> = tx.reader().schedules()?.into_iter().collect();
    for (id, schedule) in &finals {
        if stored.get(id) != Some(schedule) && stored.contains_key(id) {
            tx.set_schedule(id, schedule, stamp)?;
            switched.cards_changed += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod proptests;
