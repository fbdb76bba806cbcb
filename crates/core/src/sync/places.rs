//! Card identity across devices: where an import put a card, and one card
//! merged into another.
//!
//! An import that keeps a card's id while its place changes (a renamed
//! heading, a moved section or note), retires a card or restores one
//! writes the decision down ([`decide`]); those decisions travel. A device
//! that takes one in gives the place's section that card's id: an import
//! that would make a new card there uses the id instead ([`claimed_for`]),
//! and a card already made there under another id becomes one card with it
//! ([`settle`], [`unify`]): the answers and actions of both, replayed in
//! time order, under the smaller of the two ids (the same whichever device
//! merges first); the merge (an alias) travels too, so the answers the
//! other id collected elsewhere find their card. A place's newest claim
//! wins; a card's newest placing holds; a retirement acts only where the
//! card sits at the retired place.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::model::CardId;
use crate::scheduler::Scheduler;
use crate::storage::{AliasRow, PlaceRow, Tx};
use crate::Result;

/// Writes down an import's decision: `card_id` now sits at `match_key` in
/// the note at `path` (within its vault), or was `retired`.
pub fn decide(
    tx: &Tx<'_>,
    card_id: &CardId,
    (path, match_key): (&str, &str),
    retired: bool,
    now: &str,
) -> Result<()> {
    tx.record_place(&PlaceRow {
        id: crate::actions::new_ordered_id(parse_time(now)),
        card_id: card_id.clone(),
        path: path.to_owned(),
        match_key: match_key.to_owned(),
        retired,
        at: now.to_owned(),
        device: None,
    })
}

/// The card another device's decision puts at this place, when it is
/// free to take it here: not in this collection yet, or retired, or one
/// of `unmatched` (the note's stored cards this import leaves over).
/// With no claim, the card the place's own id (`first_id`) was merged
/// into, if it was: a new card under that id would split them again.
pub fn claimed_for(
    tx: &Tx<'_>,
    (path, match_key): (&str, &str),
    first_id: &CardId,
    unmatched: &[CardId],
) -> Result<Option<CardId>> {
    let claimed = match tx.reader().claimed_card(path, match_key)? {
        Some(claimed) => tx.reader().resolve_alias(&claimed)?,
        None => match tx.reader().resolve_alias(first_id)? {
            merged if &merged != first_id => merged,
            _ => return Ok(None),
        },
    };
    let free = match tx.reader().card(&claimed)? {
        None => true,
        Some(card) => {
            card.state == crate::model::CardState::Retired || unmatched.contains(&claimed)
        }
    };
    Ok(free.then_some(claimed))
}

/// Makes `occupant` (the card at this place here) and the card the
/// place's newest claim names one card, when that is another card and it
/// is not in use elsewhere here. Returns the card the place now holds.
pub fn settle(
    tx: &Tx<'_>,
    (path, match_key): (&str, &str),
    occupant: &CardId,
    epochs: &HashMap<i64, Scheduler>,
    now: &str,
) -> Result<CardId> {
    let Some(claimed) = tx.reader().claimed_card(path, match_key)? else {
        return Ok(occupant.clone());
    };
    let claimed = tx.reader().resolve_alias(&claimed)?;
    if &claimed == occupant {
        return Ok(claimed);
    }
    if tx.reader().card_is_live(&claimed)? {
        return Ok(occupant.clone());
    }
    let id = crate::actions::new_id(parse_time(now));
    unify(tx, (occupant, &claimed), epochs, (&id, now, None))
}

/// Makes `a` and `b` one card, and records it (an alias, made here when
/// `device` is none, so it travels). Which id stays does not depend on
/// which device merges or in what order: the smaller one (so two devices
/// that merge the same pair either way round agree, and aliases never
/// form a loop). The card keeps the place of whichever is in a note here,
/// and the merged history is replayed. Returns the id kept.
pub fn unify(
    tx: &Tx<'_>,
    (a, b): (&CardId, &CardId),
    epochs: &HashMap<i64, Scheduler>,
    (id, now, device): (&str, &str, Option<&str>),
) -> Result<CardId> {
    let (from, into) = if a < b { (b, a) } else { (a, b) };
    if from == into {
        return Ok(into.clone());
    }
    let replay = tx.reader().card_has_history(from)? || tx.reader().card_has_history(into)?;
    tx.merge_card_into(from, into)?;
    if replay {
        crate::history::rebuild(tx, into, epochs, now)?;
    }
    tx.record_alias(&AliasRow {
        id: id.to_owned(),
        from_id: from.clone(),
        to_id: into.clone(),
        at: now.to_owned(),
        device: device.map(str::to_owned),
    })?;
    Ok(into.clone())
}

/// An RFC 3339 time as stored (the epoch when it is not one: the id is
/// still unique).
fn parse_time(at: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(at)
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}
