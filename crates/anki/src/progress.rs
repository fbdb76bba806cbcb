//! Anki's progress for the cards the written notes made: each Anki card
//! found among the notedeck cards at its note's line (a basic or section
//! card is the note's first, a reversed note's second card its second
//! template, a cloze card `cN` its ord N − 1), with its review log (real
//! answers only: Anki's manual and rescheduled entries change no answer
//! count) and its schedule as Anki left it: due day counted from the
//! collection's creation day, interval, ease, lapses, FSRS memory, and
//! whether it is suspended, buried or flagged.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, TimeZone, Utc};
use notedeck_core::imported::{ImportedAnswer, ImportedCard};
use notedeck_core::model::{CardId, CardKind};
use notedeck_core::scheduler::{AnswerKind, Ease, Grade, Memory, Schedule};

use crate::collection::{AnkiCollection, Card, Review};
use crate::notes::{Block, Mapping};

/// The notedeck cards a note file makes at a line: id, kind, headings.
pub type CardsAt<'a> = dyn Fn(&str, i64) -> Vec<(CardId, CardKind, Vec<String>)> + 'a;

/// Where each Anki card went: the notedeck card it became, with its
/// note's guid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The Anki card's id.
    pub anki_card: i64,
    /// The notedeck card.
    pub card_id: CardId,
    /// Its Anki note's guid.
    pub guid: String,
}

/// Finds each Anki card among the notedeck cards at its note's line; and
/// the Anki cards found nowhere, each with why.
pub fn find(
    collection: &AnkiCollection,
    blocks: &[Block],
    cards_at: &CardsAt<'_>,
) -> (Vec<Found>, Vec<String>) {
    let mut by_note: HashMap<i64, Vec<&Card>> = HashMap::new();
    for card in &collection.cards {
        by_note.entry(card.note).or_default().push(card);
    }
    let mut found_all = Vec::new();
    let mut unmatched = Vec::new();
    for block in blocks {
        let here = cards_at(&block.file, block.line);
        for card in by_note.get(&block.note).into_iter().flatten() {
            let found = match block.mapping {
                Mapping::Cloze => here.iter().find(|(_, _, path)| {
                    path.last()
                        .is_some_and(|name| name.starts_with(&format!("c{}:", card.ord + 1)))
                }),
                _ if block.both_ways => here.get(card.ord as usize),
                _ if card.ord == 0 => here.first(),
                _ => None,
            };
            match found {
                Some((card_id, _, _)) => found_all.push(Found {
                    anki_card: card.id,
                    card_id: card_id.clone(),
                    guid: block.guid.clone(),
                }),
                None => unmatched.push(format!(
                    "card {} of note {} (line {} of {}): no card there to take its progress",
                    card.ord + 1,
                    block.guid,
                    block.line,
                    block.file
                )),
            }
        }
    }
    (found_all, unmatched)
}

/// Each found card's progress, made one at a time (a whole review log is
/// never held twice).
pub fn progress<'a>(
    collection: &'a AnkiCollection,
    found: &'a [Found],
) -> impl Iterator<Item = ImportedCard> + 'a {
    let cards: HashMap<i64, &Card> = collection.cards.iter().map(|c| (c.id, c)).collect();
    let mut reviews: HashMap<i64, Vec<&Review>> = HashMap::new();
    for review in &collection.reviews {
        reviews.entry(review.card).or_default().push(review);
    }
    let created = Utc
        .timestamp_opt(collection.created, 0)
        .single()
        .map(|t| t.date_naive())
        .unwrap_or_default();
    found.iter().filter_map(move |f| {
        let card = *cards.get(&f.anki_card)?;
        let answers = reviews
            .get(&card.id)
            .map(|r| answers_of(card, &f.guid, r))
            .unwrap_or_default();
        Some(ImportedCard {
            card_id: f.card_id.clone(),
            state: state_of(card, &answers, created),
            answers,
            suspended: card.queue == -1,
            buried: matches!(card.queue, -2 | -3),
            tags: flag_tag(card.flags).into_iter().collect(),
            anki: Some((f.guid.clone(), card.ord, card.id)),
        })
    })
}

/// A card's real answers, oldest first (Anki's manual and rescheduled
/// entries, and its own cram entries of no button, left out). Each is
/// named by its note's guid, the card's ord and its review id, which a
/// newer export of the same collection keeps.
fn answers_of(card: &Card, guid: &str, reviews: &[&Review]) -> Vec<ImportedAnswer> {
    let fsrs = memory_of(card).is_some();
    reviews
        .iter()
        .filter(|r| (1..=4).contains(&r.ease) && (0..=3).contains(&r.kind))
        .filter_map(|r| {
            let grade = Grade::new([1, 3, 4, 5][(r.ease - 1) as usize])?;
            Some(ImportedAnswer {
                id: format!("anki-{guid}-{}-{}", card.ord, r.id),
                at: Utc.timestamp_millis_opt(r.id).single()?,
                grade,
                kind: match r.kind {
                    0 => AnswerKind::Learn,
                    2 => AnswerKind::Relearn,
                    _ => AnswerKind::Review,
                },
                interval_days: r.interval.max(0).unsigned_abs(),
                // Under FSRS the log's factor is a difficulty, not an ease.
                ease: (!fsrs && r.factor > 0).then_some(Ease(r.factor.unsigned_abs() / 10)),
                duration_ms: Some(i64::from(r.time_ms)),
            })
        })
        .collect()
}

/// The card's schedule as Anki left it (none for a card new there and
/// never answered).
fn state_of(card: &Card, answers: &[ImportedAnswer], created: NaiveDate) -> Option<Schedule> {
    if card.kind == 0 && answers.is_empty() {
        return None;
    }
    if card.kind == 0 {
        return Some(Schedule::NEW);
    }
    // Learning cards are due at a time (seconds); review cards on a day
    // counted from the collection's creation.
    let due = if card.due > 1_000_000_000 {
        Utc.timestamp_opt(card.due, 0)
            .single()
            .map(|t| t.date_naive())
    } else {
        created.checked_add_days(Days::new(card.due.max(0) as u64))
    };
    // SM-2's repetitions: passes since the last lapse; a review card
    // grows its interval by its ease from now on, as in Anki.
    let passes = answers
        .iter()
        .rev()
        .take_while(|a| a.grade.value() >= 3)
        .count() as u32;
    let repetitions = if card.kind == 2 {
        passes.max(3)
    } else {
        passes
    };
    Some(Schedule {
        repetitions,
        ease: if card.factor > 0 && memory_of(card).is_none() {
            Ease((card.factor / 10) as u32)
        } else {
            Schedule::NEW.ease
        },
        interval_days: u32::try_from(card.interval.max(0)).unwrap_or(u32::MAX),
        due,
        lapses: u32::try_from(card.lapses.max(0)).unwrap_or(u32::MAX),
        memory: memory_of(card),
        learning: None,
    })
}

/// FSRS's memory state from the card's data (`{"s": …, "d": …}`).
fn memory_of(card: &Card) -> Option<Memory> {
    let data: serde_json::Value = serde_json::from_str(&card.data).ok()?;
    let stability = data.get("s")?.as_f64()? as f32;
    let difficulty = data.get("d")?.as_f64()? as f32;
    Some(Memory {
        stability,
        difficulty,
    })
}

/// Anki's flag as a notedeck tag.
fn flag_tag(flags: i64) -> Option<String> {
    let colour = match flags & 7 {
        1 => "red",
        2 => "orange",
        3 => "green",
        4 => "blue",
        5 => "pink",
        6 => "turquoise",
        7 => "purple",
        _ => return None,
    };
    Some(format!("anki-flag-{colour}"))
}
