//! Answering cards, undoing answers and auditing the log.
//!
//! Every answer is one transaction that appends a log row and updates the
//! card's cached schedule; with `synchronous=FULL` it is on disk when
//! [`answer`] returns. Undo deletes the newest log row and puts back the
//! state recorded before it. [`check`] replays the whole log.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::CardId;
use crate::scheduler::{self, Grade, Schedule};
use crate::storage::{schedule_of, CardRow, Collection, ReviewRow};
use crate::{Error, Result};

/// Records an answer of `card_id` with `grade` at `now` (learner's day
/// `today`); returns the log row.
pub fn answer(
    collection: &mut Collection,
    card_id: &CardId,
    grade: Grade,
    now: DateTime<Utc>,
    today: NaiveDate,
    duration_ms: Option<i64>,
) -> Result<ReviewRow> {
    let tx = collection.transaction()?;
    let card = tx
        .reader()
        .card(card_id)?
        .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?;
    if card.state == crate::model::CardState::Retired {
        return Err(Error::CardRetired(card_id.to_string()));
    }
    let before = schedule_of(&card);
    let first_of_day = !tx.reader().answered_on(card_id, today)?;
    let (after, kind) = scheduler::answer(before, grade, today, first_of_day);
    let timestamp = uuid::Timestamp::from_unix(
        uuid::NoContext,
        now.timestamp().max(0) as u64,
        now.timestamp_subsec_nanos(),
    );
    let mut review = ReviewRow {
        seq: 0,
        id: uuid::Uuid::new_v7(timestamp).to_string(),
        card_id: card_id.clone(),
        answered_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        day: today,
        grade: grade.value(),
        kind,
        before,
        after,
        duration_ms,
    };
    review.seq = tx.insert_review(&review)?;
    if after != before {
        tx.set_schedule(card_id, &after, &review.answered_at)?;
    }
    tx.commit()?;
    Ok(review)
}

/// Takes back the newest answer exactly; returns it.
pub fn undo(collection: &mut Collection, now: DateTime<Utc>) -> Result<ReviewRow> {
    let tx = collection.transaction()?;
    let last = tx.reader().last_review()?.ok_or(Error::NothingToUndo)?;
    tx.delete_review(last.seq)?;
    tx.set_schedule(
        &last.card_id,
        &last.before,
        &now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )?;
    tx.commit()?;
    Ok(last)
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Answers replayed.
    pub reviews: i64,
    /// Cards compared.
    pub cards: i64,
    /// Every difference and integrity problem, one line each.
    pub problems: Vec<String>,
}

/// Replays the review log from each card's initial state, compares every
/// logged state and the cached card states, and runs SQLite's checks.
pub fn check(collection: &Collection) -> Result<CheckReport> {
    let reader = collection.reader();
    let mut report = CheckReport {
        problems: reader.integrity_problems()?,
        ..CheckReport::default()
    };
    let mut replayed: HashMap<CardId, (Schedule, Option<NaiveDate>)> = HashMap::new();
    let mut problems = Vec::new();
    reader.for_each_review(&mut |row| {
        report.reviews += 1;
        let (state, last_day) = replayed
            .get(&row.card_id)
            .copied()
            .unwrap_or((Schedule::NEW, None));
        let Some(grade) = Grade::new(row.grade) else {
            problems.push(format!(
                "answer {} has grade {}, outside 0–5",
                row.id, row.grade
            ));
            return Ok(());
        };
        if row.before != state {
            problems.push(format!(
                "answer {} (card {}): logged state before {} but replay gives {}",
                row.id,
                row.card_id,
                describe(&row.before),
                describe(&state)
            ));
        }
        let first_of_day = last_day != Some(row.day);
        let (after, kind) = scheduler::answer(state, grade, row.day, first_of_day);
        if row.after != after || row.kind != kind {
            problems.push(format!(
                "answer {} (card {}): logged {} {} but SM-2 gives {} {}",
                row.id,
                row.card_id,
                row.kind.as_str(),
                describe(&row.after),
                kind.as_str(),
                describe(&after)
            ));
        }
        replayed.insert(row.card_id.clone(), (after, Some(row.day)));
        Ok(())
    })?;
    for (id, stored) in reader.schedules()? {
        report.cards += 1;
        let expected = replayed.get(&id).map_or(Schedule::NEW, |(s, _)| *s);
        if stored != expected {
            problems.push(format!(
                "card {id}: stored {} but the log gives {}",
                describe(&stored),
                describe(&expected)
            ));
        }
    }
    report.problems.extend(problems);
    Ok(report)
}

fn describe(s: &Schedule) -> String {
    format!(
        "(n={}, EF={:.2}, I={}, due={}, lapses={})",
        s.repetitions,
        s.ease.as_f64(),
        s.interval_days,
        s.due.map_or("-".to_owned(), crate::day::format_day),
        s.lapses
    )
}

/// The card as it is now (after an answer or undo).
pub fn card_now(collection: &Collection, card_id: &CardId) -> Result<CardRow> {
    collection
        .reader()
        .card(card_id)?
        .ok_or_else(|| Error::CardNotFound(card_id.to_string()))
}
