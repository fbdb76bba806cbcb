//! Taking other devices' records in.
//!
//! Records are applied in the order they happened (time, then id). An
//! answer is merged as an answer given here at its own time and day, under
//! its own id (so it is never merged twice and an undo can name it): its
//! schedule is computed from the card's state here, which is the state the
//! other device answered from once both have each other's earlier records.
//! An answer older than what the card has here since (two devices
//! answered it offline) goes in at its own time, and the card's history is
//! replayed in the order things happened (`history::rebuild`): both
//! answers count; one for a card retired here since joins its history. A
//! record that cannot be applied yet (a card not imported here yet) waits
//! in `sync_pending` with its reason and is tried again at every sync.
//! Records naming a card merged into another here (an alias) apply to that
//! card; places and aliases are [`super::places`]'.

use chrono::{DateTime, Utc};

use super::{Incoming, Recorded};
use crate::model::CardId;
use crate::review::{self, AnswerOptions};
use crate::scheduler::Grade;
use crate::settings::{self, Settings};
use crate::storage::{PendingRow, Tx};
use crate::Result;

/// What applying one record did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    /// Taken in.
    Merged,
    /// Kept to merge later, for this reason.
    Waiting(String),
    /// Not a record this notedeck can use (its data is wrong).
    Unusable(String),
}

/// Applies `record` inside `tx`.
pub fn apply(
    tx: &Tx<'_>,
    record: &Incoming,
    settings: &Settings,
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    // A card merged into another here (an alias) is that other card.
    let card = |id: &str| tx.reader().resolve_alias(&CardId::from(id));
    let applied = match &record.what {
        Recorded::Answer {
            card_id,
            day,
            grade,
            duration_ms,
            session,
        } => apply_answer(
            tx,
            record,
            (
                card(card_id)?,
                *day,
                *grade,
                *duration_ms,
                session.as_deref(),
            ),
            settings,
            epochs,
        )?,
        Recorded::Undo { card_id } => apply_undo(tx, record, &card(card_id)?, epochs)?,
        Recorded::Action {
            card_id,
            action,
            day,
            batch,
        } => apply_action(tx, record, (&card(card_id)?, action, *day, batch), epochs)?,
        Recorded::UndoAction { card_id } => apply_undo_action(tx, record, &card(card_id)?, epochs)?,
        Recorded::Place {
            card_id,
            path,
            match_key,
            retired,
        } => apply_place(
            tx,
            record,
            (&CardId::from(card_id.as_str()), path, match_key, *retired),
            epochs,
        )?,
        Recorded::Setting {
            scope,
            key,
            value,
            stamp,
        } => super::shared::apply(tx, record, (scope, key, value, stamp))?,
        Recorded::Alias { from, to } => apply_alias(
            tx,
            record,
            (&CardId::from(from.as_str()), &CardId::from(to.as_str())),
            epochs,
        )?,
        Recorded::Unusable(why) => Applied::Unusable(why.clone()),
    };
    match &applied {
        Applied::Merged => tx.mark_merged(&record.id, record.kind(), &record.device, &record.at)?,
        Applied::Waiting(reason) => tx.put_pending(&PendingRow {
            id: record.id.clone(),
            kind: record.kind().to_owned(),
            device: record.device.clone(),
            at: record.at.clone(),
            line: record.line.clone(),
            reason: reason.clone(),
        })?,
        Applied::Unusable(_) => {}
    }
    Ok(applied)
}

/// A card answered or acted on here at or after `at` (RFC 3339): merging
/// an older record into it needs the replay in time order.
fn changed_here_since(tx: &Tx<'_>, card_id: &CardId, at: &str) -> Result<bool> {
    Ok(tx
        .reader()
        .newest_entry_of(card_id)?
        .is_some_and(|newest| newest.as_str() >= at))
}

fn apply_answer(
    tx: &Tx<'_>,
    record: &Incoming,
    (card_id, day, grade, duration_ms, session): (
        CardId,
        chrono::NaiveDate,
        u8,
        Option<i64>,
        Option<&str>,
    ),
    settings: &Settings,
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    let reader = tx.reader();
    if reader.review_by_id(&record.id)?.is_some() {
        return Ok(Applied::Merged);
    }
    if reader.answer_undone(&record.id)? {
        // Taken back before it arrived: merged as nothing.
        return Ok(Applied::Merged);
    }
    let Some(grade) = Grade::new(grade) else {
        return Ok(Applied::Unusable(format!(
            "an answer of grade {grade}, outside 0–5"
        )));
    };
    let Ok(at) = DateTime::parse_from_rfc3339(&record.at).map(|t| t.with_timezone(&Utc)) else {
        return Ok(Applied::Unusable(format!(
            "an answer at `{}`, not a time",
            record.at
        )));
    };
    let Some(card) = reader.card(&card_id)? else {
        return Ok(Applied::Waiting(
            "its card is not in this collection yet: import the same notes here".into(),
        ));
    };
    // Answered or changed here after this answer (two devices answered
    // the card offline): the answer goes in at its own time and the
    // card's history is replayed in the order things happened.
    let out_of_order = changed_here_since(tx, &card_id, &record.at)?;
    let options = AnswerOptions {
        duration_ms,
        // A leech is caught as answers arrive in order; one merged into
        // the past changes no tag.
        leech: if out_of_order {
            crate::actions::LeechRule {
                threshold: 0,
                suspend: false,
            }
        } else {
            settings.leech
        },
        session: session.and_then(crate::queue::Session::parse),
        steps: settings::steps_of_deck(&reader, &settings.steps, &card.deck)?,
        key: None,
        id: Some(record.id.clone()),
        // Given while the card was live there: its history keeps it here.
        into_retired: true,
        deck_options: None,
    };
    match review::answer_in(tx, &card_id, grade, at, day, &options) {
        Ok(_) if out_of_order => {
            let now = record.at.clone();
            crate::history::rebuild(tx, &card_id, epochs, &now)?;
            Ok(Applied::Merged)
        }
        Ok(_) => Ok(Applied::Merged),
        Err(e) => Err(e),
    }
}

fn apply_undo(
    tx: &Tx<'_>,
    record: &Incoming,
    card_id: &CardId,
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    let reader = tx.reader();
    // `record.id` is the undone answer's id.
    tx.record_undone(&record.id, card_id, &record.at)?;
    let Some(review) = reader.review_by_id(&record.id)? else {
        // Never merged here (or taken back here too): nothing to take back.
        return Ok(Applied::Merged);
    };
    // Out of the history, with the actions it brought (a leech's), and the
    // card replayed without it: the state before it, or, when the card was
    // answered or changed here since, what those give without it.
    let own_actions = reader.actions_of_batch(&review.id)?;
    crate::actions::take_back(tx, &own_actions, &record.at)?;
    tx.delete_review(review.seq)?;
    crate::history::rebuild(tx, card_id, epochs, &record.at)?;
    Ok(Applied::Merged)
}

fn apply_action(
    tx: &Tx<'_>,
    record: &Incoming,
    (card_id, action, day, batch): (&CardId, &crate::actions::Action, chrono::NaiveDate, &str),
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    let reader = tx.reader();
    if reader.action_by_id(&record.id)?.is_some() || reader.action_undone(&record.id)? {
        return Ok(Applied::Merged);
    }
    let Ok(at) = DateTime::parse_from_rfc3339(&record.at).map(|t| t.with_timezone(&Utc)) else {
        return Ok(Applied::Unusable(format!(
            "an action at `{}`, not a time",
            record.at
        )));
    };
    let Some(card) = reader.card(card_id)? else {
        return Ok(Applied::Waiting(
            "its card is not in this collection yet: import the same notes here".into(),
        ));
    };
    let after_review = reader.newest_review_seq()?;
    if !changed_here_since(tx, card_id, &record.at)? {
        crate::actions::log_action_as(
            tx,
            &card,
            action,
            (at, day),
            after_review,
            batch,
            Some(&record.id),
        )?;
        return Ok(Applied::Merged);
    }
    // Done here since: the action goes in at its own time (whatever the
    // card looks like now) and the card's history is replayed.
    let row = crate::storage::ActionRow {
        seq: 0,
        id: record.id.clone(),
        card_id: card_id.clone(),
        acted_at: record.at.clone(),
        day,
        action: action.clone(),
        after_review,
        batch: batch.to_owned(),
        marks_before: crate::actions::marks_of(&card),
        before: crate::storage::schedule_of(&card),
    };
    tx.insert_action(&row)?;
    crate::history::rebuild(tx, card_id, epochs, &record.at)?;
    Ok(Applied::Merged)
}

fn apply_undo_action(
    tx: &Tx<'_>,
    record: &Incoming,
    card_id: &CardId,
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    // `record.id` is the undone action's id.
    tx.record_undone_action(&record.id, card_id, &record.at)?;
    if let Some(action) = tx.reader().action_by_id(&record.id)? {
        tx.delete_action(action.seq)?;
        crate::history::rebuild(tx, card_id, epochs, &record.at)?;
    }
    Ok(Applied::Merged)
}

fn apply_place(
    tx: &Tx<'_>,
    record: &Incoming,
    (card_id, path, match_key, retired): (&CardId, &str, &str, bool),
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    let reader = tx.reader();
    if reader.place_known(&record.id)? {
        return Ok(Applied::Merged);
    }
    tx.record_place(&crate::storage::PlaceRow {
        id: record.id.clone(),
        card_id: card_id.clone(),
        path: path.to_owned(),
        match_key: match_key.to_owned(),
        retired,
        at: record.at.clone(),
        device: Some(record.device.clone()),
    })?;
    // Only a card's newest placing acts.
    let newest = reader.newest_place(card_id)?;
    let card_id = reader.resolve_alias(card_id)?;
    if retired {
        // A placing decided after this retirement (here or there) stands.
        if newest.is_some_and(|p| {
            (p.at.as_str(), p.id.as_str()) > (record.at.as_str(), record.id.as_str())
        }) {
            return Ok(Applied::Merged);
        }
        return retire_from(tx, record, (&card_id, path, match_key));
    }
    if newest.is_none_or(|p| p.id != record.id) {
        return Ok(Applied::Merged);
    }
    // The section sits here under another id: that card becomes this one.
    // No card there, and this one retired at that very place (another
    // decision retired it): it comes back, unless that retirement came
    // after this placing (a device that saw the section go decided later).
    match reader.card_at_place(path, match_key)? {
        Some(occupant) => {
            // A card's newest placing holds: when it still sits elsewhere
            // here (an older decision put it there), it leaves that place
            // and becomes one with the card here.
            let live_elsewhere = occupant != card_id && reader.card_is_live(&card_id)?;
            if live_elsewhere && reader.claimed_card(path, match_key)?.as_ref() == Some(&card_id) {
                tx.retire_card(&card_id, &record.at)?;
            }
            super::places::settle(tx, (path, match_key), &occupant, epochs, &record.at)?;
        }
        None if reader.retired_at_place(&card_id, path, match_key)?
            && !reader.retired_at_place_after(
                &card_id,
                (path, match_key),
                (&record.at, &record.id),
            )? =>
        {
            tx.unretire_card(&card_id, &record.at)?;
        }
        None => {
            // The card here was retired there by another device's decision
            // (the section may still be in this note): it comes back as
            // this card, when this card is not in use elsewhere here.
            let retired = if reader.card_is_live(&card_id)? {
                None
            } else {
                reader.retired_by_merge_at_place((path, match_key), &card_id)?
            };
            if let Some(retired) = retired {
                tx.unretire_card(&retired, &record.at)?;
                super::places::settle(tx, (path, match_key), &retired, epochs, &record.at)?;
            }
        }
    }
    Ok(Applied::Merged)
}

/// Another device's import retired a card (and nothing placed it since):
/// retired here too when it sits at that very place (another place means this computer's notes put it
/// elsewhere, and its own imports decide); made as a retired stand-in when
/// it never was here, so its answers have their card.
fn retire_from(
    tx: &Tx<'_>,
    record: &Incoming,
    (card_id, path, match_key): (&CardId, &str, &str),
) -> Result<Applied> {
    let reader = tx.reader();
    if !tx.card_exists(card_id)? {
        if let Some(note_id) = reader.note_at_vault_path(path)? {
            tx.insert_retired_stand_in(card_id, note_id, match_key, &record.at)?;
        }
        return Ok(Applied::Merged);
    }
    if reader.card_is_live(card_id)? && reader.card_is_at_place(card_id, path, match_key)? {
        tx.retire_card(card_id, &record.at)?;
    }
    Ok(Applied::Merged)
}

fn apply_alias(
    tx: &Tx<'_>,
    record: &Incoming,
    (from, to): (&CardId, &CardId),
    epochs: &std::collections::HashMap<i64, crate::scheduler::Scheduler>,
) -> Result<Applied> {
    let reader = tx.reader();
    if reader.place_known(&record.id)? {
        return Ok(Applied::Merged);
    }
    // What each id is here now (either may have been merged already).
    let (a, b) = (reader.resolve_alias(from)?, reader.resolve_alias(to)?);
    if a == b {
        tx.record_alias(&crate::storage::AliasRow {
            id: record.id.clone(),
            from_id: from.clone(),
            to_id: to.clone(),
            at: record.at.clone(),
            device: Some(record.device.clone()),
        })?;
        return Ok(Applied::Merged);
    }
    super::places::unify(
        tx,
        (&a, &b),
        epochs,
        (&record.id, &record.at, Some(&record.device)),
    )?;
    Ok(Applied::Merged)
}
