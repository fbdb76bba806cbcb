//! Choosing the scheduler: a switch between SM-2 and FSRS re-derives every
//! logged state by replaying the log under the new scheduler, in one
//! transaction, so that `check` agrees and switching back gives exactly the
//! states of before; a change of FSRS's parameters or retention applies to
//! the answers after it.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::CardId;
use crate::review::{replay_answer, Replayed};
use crate::scheduler::{AnswerKind, Grade, Scheduler};
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

/// One logged answer, as little as the replay needs (a log can hold
/// millions).
struct Step {
    seq: i64,
    card: u32,
    day: NaiveDate,
    grade: Option<Grade>,
    cram: bool,
    /// A reading: the same rule under either scheduler.
    read: bool,
    max_interval: Option<u32>,
    /// When it was given (UTC seconds) and the learning steps it took.
    at: i64,
    steps: Option<String>,
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

    // The answers, compactly, then every card's replay.
    let mut ids: Vec<CardId> = Vec::new();
    let mut index: HashMap<CardId, u32> = HashMap::new();
    let mut card_index = |id: &CardId, ids: &mut Vec<CardId>| -> u32 {
        *index.entry(id.clone()).or_insert_with(|| {
            ids.push(id.clone());
            (ids.len() - 1) as u32
        })
    };
    let mut steps = Vec::new();
    tx.reader().for_each_review(&mut |row| {
        steps.push(Step {
            seq: row.seq,
            card: card_index(&row.card_id, &mut ids),
            day: row.day,
            grade: Grade::new(row.grade),
            cram: row.kind == AnswerKind::Cram,
            read: row.kind == AnswerKind::Read,
            max_interval: row.max_interval,
            at: crate::review::answered_secs(&row.answered_at),
            steps: row.steps.clone(),
        });
        Ok(())
    })?;
    let actions = tx.reader().actions()?;
    let action_cards: Vec<u32> = actions
        .iter()
        .map(|a| card_index(&a.card_id, &mut ids))
        .collect();
    let mut cards = vec![Replayed::new(); ids.len()];
    let mut next_action = 0;
    let total = steps.len();
    let mut apply_actions_before = |seq: Option<i64>, cards: &mut Vec<Replayed>| -> Result<()> {
        while let Some(action) = actions
            .get(next_action)
            .filter(|a| seq.is_none_or(|seq| a.after_review < seq))
        {
            let card = &mut cards[action_cards[next_action] as usize];
            if action.before != card.schedule {
                tx.set_action_before(action.seq, &card.schedule)?;
            }
            let mut marks = CardMarks::default();
            action.action.apply(&mut marks, &mut card.schedule);
            next_action += 1;
        }
        Ok(())
    };
    for (done, step) in steps.iter().enumerate() {
        apply_actions_before(Some(step.seq), &mut cards)?;
        let card = &mut cards[step.card as usize];
        let before = card.schedule;
        let after = match step.grade {
            Some(grade) if step.read => {
                card.last_day = Some(step.day);
                crate::scheduler::reading::answer(before, grade, step.day, step.max_interval)
            }
            Some(grade) if !step.cram => {
                let id = ids[step.card as usize].as_str();
                let (after, _) =
                    replay_answer(card, (id, step.day, grade, step.max_interval), &target);
                card.last_day = Some(step.day);
                crate::scheduler::steps::replay(
                    &before,
                    after,
                    grade,
                    step.at,
                    step.steps.as_deref(),
                )
            }
            // A cram answer (or a grade `check` reports) changes nothing.
            _ => before,
        };
        card.schedule = after;
        tx.set_review_states(step.seq, &before, &after, Some(epoch))?;
        if done % 10_000 == 0 {
            progress(done, total);
        }
    }
    apply_actions_before(None, &mut cards)?;
    progress(total, total);
    switched.answers = total;

    let stored: HashMap<CardId, _> = tx.reader().schedules()?.into_iter().collect();
    for (id, card) in ids.iter().zip(&cards) {
        if stored.get(id) != Some(&card.schedule) && stored.contains_key(id) {
            tx.set_schedule(id, &card.schedule, &stamp)?;
            switched.cards_changed += 1;
        }
    }
    Ok(switched)
}

#[cfg(test)]
mod proptests;
