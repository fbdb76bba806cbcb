//! Progress brought in from another program (Anki): each card's past
//! answers as imported history, its schedule as that program left it, and
//! its suspension, burial and flags as actions.
//!
//! An imported answer is logged with `imported` set and its state after
//! as the other program computed it; every replay (`check`, a rebuild, a
//! switch of scheduler) takes that state as it is, so the replay starts
//! from the imported state and answers given here since replay from it.
//! The card's last imported answer carries its schedule as the program
//! left it (due day, interval, ease, lapses, FSRS memory), so later changes
//! there without an answer (a due date set by hand) are kept too. Answers
//! are keyed by the program's own ids: importing the same history again
//! adds nothing, and a newer export adds only the answers it has anew.

use chrono::{DateTime, Days, NaiveDate, Utc};

use crate::actions::Action;
use crate::model::CardId;
use crate::scheduler::{AnswerKind, Ease, Grade, Schedule};
use crate::storage::{Collection, ReviewRow};
use crate::Result;

/// One answer of the other program.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedAnswer {
    /// Its id here (made from the program's own: stable across imports).
    pub id: String,
    /// When it was given.
    pub at: DateTime<Utc>,
    /// The grade (0–5, as notedeck's buttons: Again 1, Hard 3, Good 4,
    /// Easy 5).
    pub grade: Grade,
    /// Learn, review or relearn.
    pub kind: AnswerKind,
    /// The interval it gave, in days (0: again the same day).
    pub interval_days: u32,
    /// The E-Factor it left (none: unchanged, as in learning).
    pub ease: Option<Ease>,
    /// Time taken.
    pub duration_ms: Option<i64>,
}

/// One card's progress in the other program.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedCard {
    /// The card here.
    pub card_id: CardId,
    /// Its answers, oldest first.
    pub answers: Vec<ImportedAnswer>,
    /// Its schedule as the program left it (none: new there).
    pub state: Option<Schedule>,
    /// Suspended there.
    pub suspended: bool,
    /// Buried there (until the next day).
    pub buried: bool,
    /// notedeck tags to add (its flag).
    pub tags: Vec<String>,
    /// Where it came from in Anki: its note's guid, its ord, its card id.
    pub anki: Option<(String, i64, i64)>,
}

/// What bringing progress in did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportedCounts {
    /// Cards whose schedule was brought in.
    pub cards: usize,
    /// Answers added to the log.
    pub answers: usize,
    /// Answers already in the log (imported before).
    pub already: usize,
    /// Cards suspended, buried or tagged as there.
    pub marked: usize,
    /// Cards with a schedule there but no answer to carry it (a due date
    /// set by hand on a new card): they start new here.
    pub without_answers: usize,
}

/// Brings `cards`' progress in, in one transaction: all of it or none.
/// The cards come one at a time, so a whole review log is never held at
/// once; `expected_answers` is about how many answers they bring (what the
/// log sets aside while they go in depends on it).
pub fn import_progress(
    collection: &mut Collection,
    cards: &mut dyn Iterator<Item = ImportedCard>,
    expected_answers: usize,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<ImportedCounts> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let epochs = collection.reader().epochs()?;
    // A whole review log goes in: its index pages stay in memory.
    collection.set_cache_mib(BULK_CACHE_MIB)?;
    let counts = import_in(
        collection,
        cards,
        expected_answers,
        (now, today),
        &stamp,
        &epochs,
    );
    collection.set_cache_mib(2)?;
    counts
}

/// The page cache while a review log goes in, in MiB.
const BULK_CACHE_MIB: i64 = 40;

fn import_in(
    collection: &mut Collection,
    cards: &mut dyn Iterator<Item = ImportedCard>,
    expected_answers: usize,
    (now, today): (DateTime<Utc>, NaiveDate),
    stamp: &str,
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<ImportedCounts> {
    let tx = collection.transaction()?;
    let (epoch, _) = tx.reader().current_scheduler()?;
    let mut counts = ImportedCounts::default();
    let batch = crate::actions::new_id(now);
    let set_aside = tx.set_aside_for_answers(expected_answers)?;
    for card in cards {
        let card = &card;
        let Some(marks) = tx.reader().card_marks(&card.card_id)? else {
            continue;
        };
        if let Some((guid, ord, anki_card)) = &card.anki {
            tx.map_anki_card(guid, *ord, *anki_card, &card.card_id)?;
        }
        // A card answered nowhere yet (the usual first import) takes every
        // answer without looking each up.
        let had_history = tx.reader().card_has_history(&card.card_id)?;
        let fresh: std::collections::HashSet<&str> = card
            .answers
            .iter()
            .filter(|a| !had_history || matches!(tx.reader().review_by_id(&a.id), Ok(None)))
            .map(|a| a.id.as_str())
            .collect();
        counts.already += card.answers.len() - fresh.len();
        if card.answers.is_empty() && card.state.is_some() {
            counts.without_answers += 1;
        }
        if !fresh.is_empty() {
            let mut state = Schedule::NEW;
            let last = card.answers.last().map(|a| a.id.as_str());
            for answer in &card.answers {
                let day = answer.at.date_naive();
                let mut after = Schedule {
                    repetitions: if answer.grade.value() < 3 {
                        0
                    } else {
                        state.repetitions + 1
                    },
                    ease: answer.ease.unwrap_or(state.ease),
                    interval_days: answer.interval_days,
                    due: day.checked_add_days(Days::new(u64::from(answer.interval_days))),
                    lapses: state.lapses
                        + u32::from(answer.grade.value() < 3 && answer.kind == AnswerKind::Review),
                    memory: None,
                    learning: None,
                };
                if Some(answer.id.as_str()) == last {
                    if let Some(final_state) = card.state {
                        after = final_state;
                    }
                }
                if fresh.contains(answer.id.as_str()) {
                    tx.insert_review(&ReviewRow {
                        seq: 0,
                        id: answer.id.clone(),
                        card_id: card.card_id.clone(),
                        answered_at: answer
                            .at
                            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                        day,
                        grade: answer.grade.value(),
                        kind: answer.kind,
                        before: state,
                        after,
                        duration_ms: answer.duration_ms,
                        session: None,
                        max_interval: None,
                        epoch,
                        steps: None,
                        imported: true,
                    })?;
                    counts.answers += 1;
                }
                state = after;
            }
            if had_history {
                // The card's history in time order, with answers given here.
                crate::history::rebuild(&tx, &card.card_id, epochs, stamp)?;
            } else {
                // Logged in order from a new card: the replay ends here.
                tx.set_schedule(&card.card_id, &state, stamp)?;
            }
            counts.cards += 1;
        }
        let mut actions: Vec<Action> = Vec::new();
        if card.suspended && !marks.suspended {
            actions.push(Action::Suspend);
        }
        if card.buried && marks.buried_until.is_none() {
            actions.push(Action::Bury {
                until: today + Days::new(1),
            });
        }
        for tag in &card.tags {
            if !marks.has_tag(tag) {
                actions.push(Action::Tag(tag.clone()));
            }
        }
        if !actions.is_empty() {
            counts.marked += 1;
        }
        // After the card's last answer, even one stamped later than this
        // computer's clock: the replay puts the action where it belongs.
        let acted_at = card
            .answers
            .iter()
            .map(|a| a.at + chrono::Duration::milliseconds(1))
            .max()
            .map_or(now, |last| last.max(now));
        let after_review = if actions.is_empty() {
            0
        } else {
            tx.reader().last_review_seq()?
        };
        for action in actions {
            let Some(current) = tx.reader().card(&card.card_id)? else {
                break;
            };
            crate::actions::log_action_as(
                &tx,
                &current,
                &action,
                (acted_at, today),
                after_review,
                &batch,
                None,
            )?;
        }
    }
    tx.put_back_after_answers(set_aside)?;
    tx.commit()?;
    Ok(counts)
}
