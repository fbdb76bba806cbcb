//! Answering cards, undoing answers and auditing the log.
//!
//! Every answer is one transaction that appends a log row and updates the
//! card's cached schedule; with `synchronous=FULL` it is on disk when
//! [`answer`] returns. Undo deletes the newest log row (an answer, or a
//! batch of actions from [`crate::actions`]) and puts back the state
//! recorded before it. [`check`] replays the whole log.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::actions::{self, Action, LeechRule, LEECH_TAG};
use crate::model::CardId;
use crate::queue::Session;
use crate::scheduler::{steps, AnswerKind, Grade, Schedule, Scheduler};
use crate::storage::{
    schedule_of, ActionRow, CardMarks, CardRow, Collection, ExtractionRow, ReviewRow,
};
use crate::{Error, Result};

/// An answer as logged, with what it did besides (a leech's tag and
/// suspension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The log row.
    pub review: ReviewRow,
    /// Actions the answer brought (a leech tagged and perhaps suspended).
    pub actions: Vec<ActionRow>,
}

impl Answered {
    /// True when this answer made the card a leech.
    pub fn made_leech(&self) -> bool {
        self.actions
            .iter()
            .any(|a| a.action == Action::Tag(LEECH_TAG.to_owned()))
    }
}

/// How an answer is recorded besides its grade.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerOptions {
    /// Time taken to answer, when known.
    pub duration_ms: Option<i64>,
    /// When the card becomes a leech, and what is then done.
    pub leech: LeechRule,
    /// The custom study session answered in (none: the daily queue). A
    /// cram answer changes nothing.
    pub session: Option<Session>,
    /// The learning steps in force (none: the scheduler alone).
    pub steps: crate::scheduler::steps::StepRule,
    /// The key the answer was sent under, recorded with it (see
    /// [`crate::resend`]).
    pub key: Option<crate::resend::AnswerKey>,
    /// The id the answer already has (an answer given on another device
    /// and merged here keeps its own); none: a new one.
    pub id: Option<String>,
    /// The answer may go into a retired card's history (an answer given
    /// on another device while the card was live there).
    pub into_retired: bool,
    /// The card's deck's options as it inherits them, when the caller has
    /// read them already (for its learning steps): the longest interval is
    /// taken from them; `None`: read here.
    pub deck_options: Option<crate::storage::DeckOptions>,
}

/// Records an answer of `card_id` with `grade` at `now` (learner's day
/// `today`); the card's deck's longest interval (an option) caps the new
/// interval, and a card that becomes a leech by `options.leech` is tagged
/// (and perhaps suspended) in the same transaction. Returns the log rows.
pub fn answer(
    collection: &mut Collection,
    card_id: &CardId,
    grade: Grade,
    now: DateTime<Utc>,
    today: NaiveDate,
    options: &AnswerOptions,
) -> Result<Answered> {
    let tx = collection.transaction()?;
    let answered = answer_in(&tx, card_id, grade, now, today, options)?;
    tx.commit()?;
    Ok(answered)
}

/// [`answer`] inside the caller's transaction (a sync merges many answers
/// in one).
pub(crate) fn answer_in(
    tx: &crate::storage::Tx<'_>,
    card_id: &CardId,
    grade: Grade,
    now: DateTime<Utc>,
    today: NaiveDate,
    options: &AnswerOptions,
) -> Result<Answered> {
    let card = tx
        .reader()
        .card(card_id)?
        .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?;
    answer_card(tx, card, grade, now, today, options)
}

/// [`answer_in`] of `card` as just read in the same transaction.
pub(crate) fn answer_card(
    tx: &crate::storage::Tx<'_>,
    card: CardRow,
    grade: Grade,
    now: DateTime<Utc>,
    today: NaiveDate,
    options: &AnswerOptions,
) -> Result<Answered> {
    let (duration_ms, leech) = (options.duration_ms, options.leech);
    let card_id = &card.id;
    if card.state == crate::model::CardState::Retired && !options.into_retired {
        return Err(Error::CardRetired(card_id.to_string()));
    }
    let before = schedule_of(&card);
    let max_interval = match &options.deck_options {
        Some(own) => own.max_interval.and_then(|d| u32::try_from(d).ok()),
        None => tx.reader().max_interval_of(&card.deck)?,
    };
    let (epoch, scheduler) = tx.reader().current_scheduler()?;
    // A card never answered (or forgotten since its answers today) starts
    // afresh: its answer is a first answer.
    let (after, kind) = if options.session == Some(Session::Cram) {
        (before, AnswerKind::Cram)
    } else if card.kind.is_reading() {
        // Reading is not recall: the same rule under either scheduler.
        let after = crate::scheduler::reading::answer(before, grade, today, max_interval);
        (after, AnswerKind::Read)
    } else {
        let first_of_day = before.due.is_none() || !tx.reader().answered_on(card_id, today)?;
        scheduler.answer(
            before,
            grade,
            today,
            first_of_day,
            card_id.as_str(),
            max_interval,
        )
    };
    // Learning steps: when a new or lapsed card is shown again today. A
    // cram answer and a reading change no place.
    let (after, steps) = if matches!(kind, AnswerKind::Cram | AnswerKind::Read) {
        (after, None)
    } else {
        let rule = &options.steps;
        let list = steps::steps_for(&before, &after, &rule.learning, &rule.relearning);
        (
            steps::apply(&before, after, grade, now.timestamp(), list),
            list.map(|(s, _)| s.text()),
        )
    };
    let mut review = ReviewRow {
        seq: 0,
        id: options.id.clone().unwrap_or_else(|| actions::new_id(now)),
        card_id: card_id.clone(),
        answered_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        day: today,
        grade: grade.value(),
        kind,
        before,
        after,
        duration_ms,
        session: options.session,
        max_interval,
        epoch,
        steps,
        imported: false,
    };
    review.seq = tx.insert_review(&review)?;
    if let Some(key) = &options.key {
        let forget_before = now - chrono::Duration::days(crate::resend::KEY_KEPT_DAYS);
        tx.insert_answer_key(
            key.as_str(),
            &review.id,
            &review.answered_at,
            &forget_before.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )?;
    }
    if after != before {
        tx.set_schedule(card_id, &after, &review.answered_at)?;
    }
    let mut done = Vec::new();
    if leech.catches(before.lapses, after.lapses) {
        // The leech's actions belong to the answer: undo takes them back
        // with it (their batch is the answer's id).
        let mut follow = vec![Action::Tag(LEECH_TAG.to_owned())];
        if leech.suspend {
            follow.push(Action::Suspend);
        }
        for action in follow {
            let now_card = tx
                .reader()
                .card(card_id)?
                .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?;
            let row =
                actions::log_action(tx, &now_card, &action, now, today, review.seq, &review.id)?;
            done.extend(row);
        }
    }
    Ok(Answered {
        review,
        actions: done,
    })
}

/// What an undo took back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Undone {
    /// An answer, with the actions it brought (a leech's).
    Answer(Answered),
    /// A batch of actions (a selection suspended, say), oldest first.
    Actions(Vec<ActionRow>),
    /// A card written into a note (its note is to be imported again), and
    /// the card it was made on.
    Extraction(ExtractionRow, CardId),
}

impl Undone {
    /// The card to show again: the answered card, the first acted on, or
    /// the card a new card was made on.
    pub fn card_id(&self) -> &CardId {
        match self {
            Undone::Answer(answered) => &answered.review.card_id,
            Undone::Actions(rows) => &rows[0].card_id,
            Undone::Extraction(_, from) => from,
        }
    }
}

/// The step the next undo takes back, described for asking first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoStep {
    /// The answer's id, the batch of actions' id, or the extraction's id:
    /// what [`undo_expected`] compares.
    pub id: String,
    /// `answer`, `actions` or `extraction`.
    pub what: &'static str,
    /// The answered card, the first card acted on, or the card a new card
    /// was made on.
    pub card_id: CardId,
    /// Cards the step changes (a batch of actions: all of them).
    pub cards: usize,
    /// The learner's day it was done on.
    pub day: NaiveDate,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// An answer's grade.
    pub grade: Option<u8>,
    /// A batch's action (`suspend`, …).
    pub action: Option<String>,
    /// An answer's custom study session.
    pub session: Option<Session>,
}

/// After an undone step taken at `at`: when another device's answer or
/// action to the card, merged since, came after it, the card's history is
/// replayed without the step (their logged states assumed it). Returns
/// whether it was.
fn replay_if_followed(
    tx: &crate::storage::Tx<'_>,
    card_id: &CardId,
    at: &str,
    stamp: &str,
) -> Result<bool> {
    let followed = tx
        .reader()
        .newest_entry_of(card_id)?
        .is_some_and(|newest| newest.as_str() > at);
    if followed {
        let epochs = tx.reader().epochs()?;
        crate::history::rebuild(tx, card_id, &epochs, stamp)?;
    }
    Ok(followed)
}

/// The newest step of the log: what undo takes back.
enum Newest {
    Answer(ReviewRow),
    Actions(Vec<ActionRow>),
    Extraction(ExtractionRow),
}

fn newest(reader: &crate::storage::Reader<'_>) -> Result<Option<Newest>> {
    let last = reader.last_review()?;
    let action = reader.last_action()?;
    if let Some(made) = reader.last_extraction()? {
        let newer = last.as_ref().is_none_or(|r| made.after_review >= r.seq)
            && action.as_ref().is_none_or(|a| made.after_action >= a.seq);
        if newer {
            return Ok(Some(Newest::Extraction(made)));
        }
    }
    // An action replays after the answer it followed: it is newer than
    // that answer unless it is one of that answer's own (a leech's).
    let action_is_newer = match (&action, &last) {
        (Some(a), Some(r)) => a.after_review >= r.seq && a.batch != r.id,
        (Some(_), None) => true,
        (None, _) => false,
    };
    Ok(match (action_is_newer, action, last) {
        (true, Some(action), _) => Some(Newest::Actions(reader.actions_of_batch(&action.batch)?)),
        (_, _, Some(review)) => Some(Newest::Answer(review)),
        _ => None,
    })
}

impl Newest {
    fn describe(&self) -> UndoStep {
        match self {
            Newest::Answer(r) => UndoStep {
                id: r.id.clone(),
                what: "answer",
                card_id: r.card_id.clone(),
                cards: 1,
                day: r.day,
                at: r.answered_at.clone(),
                grade: Some(r.grade),
                action: None,
                session: r.session,
            },
            Newest::Actions(rows) => UndoStep {
                id: rows.first().map(|a| a.batch.clone()).unwrap_or_default(),
                what: "actions",
                card_id: rows
                    .first()
                    .map(|a| a.card_id.clone())
                    .unwrap_or_else(|| CardId::from("")),
                cards: rows.len(),
                day: rows.first().map_or(NaiveDate::MIN, |a| a.day),
                at: rows.first().map(|a| a.acted_at.clone()).unwrap_or_default(),
                grade: None,
                action: rows.first().map(|a| a.action.as_str().to_owned()),
                session: None,
            },
            Newest::Extraction(made) => UndoStep {
                id: made.id.clone(),
                what: "extraction",
                card_id: CardId::from(made.from_card.as_str()),
                cards: 1,
                day: crate::day::parse_day(made.made_at.get(..10).unwrap_or_default().as_bytes())
                    .unwrap_or(NaiveDate::MIN),
                at: made.made_at.clone(),
                grade: None,
                action: None,
                session: None,
            },
        }
    }
}

/// What the next undo would take back, if anything (nothing is changed).
pub fn next_undo(collection: &Collection) -> Result<Option<UndoStep>> {
    Ok(newest(&collection.reader())?.map(|n| n.describe()))
}

/// Takes back the newest answer, batch of actions or card written into a
/// note exactly; returns it. A written card is taken out of its note only
/// if the note is as notedeck left it: otherwise the note is left alone,
/// the error says so, and the next undo goes on to what came before.
pub fn undo(collection: &mut Collection, now: DateTime<Utc>) -> Result<Undone> {
    undo_step(collection, now, None)
}

/// [`undo`], only if the newest step is `expected` (an [`UndoStep::id`]
/// the learner was shown): otherwise nothing changes and the error
/// describes the step that is newest now.
pub fn undo_expected(
    collection: &mut Collection,
    now: DateTime<Utc>,
    expected: &str,
) -> Result<Undone> {
    undo_step(collection, now, Some(expected))
}

fn undo_step(
    collection: &mut Collection,
    now: DateTime<Utc>,
    expected: Option<&str>,
) -> Result<Undone> {
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let tx = collection.transaction()?;
    let newest = newest(&tx.reader())?.ok_or(Error::NothingToUndo)?;
    if let Some(expected) = expected {
        let step = newest.describe();
        if step.id != expected {
            return Err(Error::UndoMoved {
                expected: expected.to_owned(),
                newest: step.id,
            });
        }
    }
    let undone = match newest {
        Newest::Extraction(made) => {
            let taken = crate::extract::take_back(
                &made.note_path,
                &made.inserted,
                &made.hash_before,
                &made.hash_after,
            );
            tx.mark_extraction_undone(made.seq, &stamp)?;
            tx.commit()?;
            taken?;
            let from = CardId::from(made.from_card.as_str());
            return Ok(Undone::Extraction(made, from));
        }
        Newest::Actions(rows) => {
            actions::take_back(&tx, &rows, &stamp)?;
            let mut replayed: Vec<&CardId> = Vec::new();
            for row in &rows {
                if !replayed.contains(&&row.card_id)
                    && replay_if_followed(&tx, &row.card_id, &row.acted_at, &stamp)?
                {
                    replayed.push(&row.card_id);
                }
            }
            Undone::Actions(rows)
        }
        Newest::Answer(review) => {
            let own = tx.reader().actions_of_batch(&review.id)?;
            actions::take_back(&tx, &own, &stamp)?;
            tx.delete_review(review.seq)?;
            if !replay_if_followed(&tx, &review.card_id, &review.answered_at, &stamp)? {
                tx.set_schedule(&review.card_id, &review.before, &stamp)?;
            }
            // The undo travels to other devices (see `sync`).
            tx.record_undone(&review.id, &review.card_id, &stamp)?;
            Undone::Answer(Answered {
                review,
                actions: own,
            })
        }
    };
    tx.commit()?;
    Ok(undone)
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    /// Answers replayed.
    pub reviews: i64,
    /// Actions (suspend, bury, forget, tag) replayed.
    pub actions: i64,
    /// Cards compared.
    pub cards: i64,
    /// Every difference and integrity problem, one line each.
    pub problems: Vec<String>,
}

/// Replays the review log and the action log, in the order they were
/// written, from each card's initial state; compares every logged state
/// and the cached card states (schedule and marks) and the statistics'
/// kept totals with a count of the log, and runs SQLite's checks (on a
/// second read connection, at once: on a big collection they take as
/// long as the rest).
pub fn check(collection: &Collection) -> Result<CheckReport> {
    let Ok(sibling) = collection.sibling_reader() else {
        let integrity = collection.reader().integrity_problems()?;
        return replay_and_compare(collection, integrity);
    };
    std::thread::scope(|threads| {
        let integrity = threads.spawn(move || sibling.reader().integrity_problems());
        let replayed = replay_and_compare(collection, Vec::new());
        let integrity = integrity.join().map_err(|_| {
            Error::io(
                "checking the database",
                std::io::Error::other("SQLite's checks stopped unexpectedly"),
            )
        })??;
        let mut report = replayed?;
        report.problems.splice(0..0, integrity);
        Ok(report)
    })
}

/// [`check`] but SQLite's checks, whose problems (`integrity`) come first.
fn replay_and_compare(collection: &Collection, integrity: Vec<String>) -> Result<CheckReport> {
    let reader = collection.reader();
    let mut report = CheckReport {
        problems: integrity,
        ..CheckReport::default()
    };
    let mut replay = Replay {
        epochs: reader.epochs()?,
        ..Replay::default()
    };
    // Each card's answers and actions in the order they happened (see
    // `history`): the order they were written, or, with answers merged
    // from another device, the order they were given.
    reader.for_each_card_history(&mut |_, reviews, actions| {
        report.reviews += reviews.len() as i64;
        report.actions += actions.len() as i64;
        for entry in crate::history::timeline(&reviews, &actions) {
            match entry {
                crate::history::Entry::Answer(row) => replay.answer(row),
                crate::history::Entry::Action(row) => replay.action(row),
            }
        }
        Ok(())
    })?;
    for (id, stored) in reader.schedules()? {
        report.cards += 1;
        let expected = replay.cards.get(&id).map_or(Schedule::NEW, |c| c.schedule);
        if stored != expected {
            replay.problems.push(format!(
                "card {id}: stored {} but the log gives {}",
                describe(&stored),
                describe(&expected)
            ));
        }
    }
    let stored_marks: HashMap<CardId, CardMarks> = reader.marks()?.into_iter().collect();
    for (id, card) in &replay.cards {
        let stored = stored_marks.get(id).cloned().unwrap_or_default();
        if stored != card.marks {
            replay.problems.push(format!(
                "card {id}: stored marks {stored:?} but the log gives {:?}",
                card.marks
            ));
        }
    }
    for (id, stored) in &stored_marks {
        if !replay.cards.contains_key(id) {
            replay.problems.push(format!(
                "card {id}: stored marks {stored:?} but the log has no action on it"
            ));
        }
    }
    report.problems.extend(replay.problems);
    report
        .problems
        .extend(crate::review_totals::problems(collection)?);
    Ok(report)
}

/// A card as the replay has rebuilt it so far.
#[derive(Debug, Clone)]
pub(crate) struct Replayed {
    /// Its schedule.
    pub schedule: Schedule,
    /// The day of its newest answer (not counting cram answers).
    pub last_day: Option<NaiveDate>,
    /// Its marks (suspended, buried, notedeck tags).
    pub marks: CardMarks,
}

impl Replayed {
    /// A card before any answer or action.
    pub fn new() -> Replayed {
        Replayed {
            schedule: Schedule::NEW,
            last_day: None,
            marks: CardMarks::default(),
        }
    }
}

/// The replay of both logs in progress.
#[derive(Default)]
struct Replay {
    cards: HashMap<CardId, Replayed>,
    problems: Vec<String>,
    /// The scheduler settings answers were computed under, by id.
    epochs: HashMap<i64, Scheduler>,
}

impl Replay {
    fn card(&mut self, id: &CardId) -> &mut Replayed {
        self.cards.entry(id.clone()).or_insert_with(Replayed::new)
    }

    fn answer(&mut self, row: &ReviewRow) {
        let Some(grade) = Grade::new(row.grade) else {
            self.problems.push(format!(
                "answer {} has grade {}, outside 0–5",
                row.id, row.grade
            ));
            return;
        };
        let card = self.card(&row.card_id).clone();
        let mut problems = Vec::new();
        if row.imported {
            // Brought in from Anki: its state after is Anki's, taken as it is.
            if row.before != card.schedule {
                self.problems.push(format!(
                    "imported answer {} (card {}): logged state before {} but replay gives {}",
                    row.id,
                    row.card_id,
                    describe(&row.before),
                    describe(&card.schedule)
                ));
            }
            let card = self.card(&row.card_id);
            card.schedule = row.after;
            card.last_day = Some(row.day);
            return;
        }
        if matches!(row.kind, AnswerKind::Cram | AnswerKind::Read) {
            // A cram answer changes nothing and is no answer of the day; a
            // reading follows its own rule under any scheduler.
            let cram = row.kind == AnswerKind::Cram;
            let expected = if cram {
                card.schedule
            } else {
                crate::scheduler::reading::answer(card.schedule, grade, row.day, row.max_interval)
            };
            if row.before != card.schedule || row.after != expected {
                self.problems.push(format!(
                    "{} answer {} (card {}): logged {} → {} but replay gives {} → {}",
                    row.kind.as_str(),
                    row.id,
                    row.card_id,
                    describe(&row.before),
                    describe(&row.after),
                    describe(&card.schedule),
                    describe(&expected)
                ));
            }
            if !cram {
                let card = self.card(&row.card_id);
                card.schedule = expected;
                card.last_day = Some(row.day);
            }
            return;
        }
        if row.before != card.schedule {
            problems.push(format!(
                "answer {} (card {}): logged state before {} but replay gives {}",
                row.id,
                row.card_id,
                describe(&row.before),
                describe(&card.schedule)
            ));
        }
        let scheduler = match row.epoch {
            None => &Scheduler::Sm2,
            Some(epoch) => match self.epochs.get(&epoch) {
                Some(scheduler) => scheduler,
                None => {
                    self.problems.push(format!(
                        "answer {} (card {}): computed under scheduler setting {epoch}, which the collection does not hold",
                        row.id, row.card_id
                    ));
                    return;
                }
            },
        };
        let (after, kind) = replay_answer(
            &card,
            (row.card_id.as_str(), row.day, grade, row.max_interval),
            scheduler,
        );
        let after = steps::replay(
            &card.schedule,
            after,
            grade,
            answered_secs(&row.answered_at),
            row.steps.as_deref(),
        );
        if row.after != after || row.kind != kind {
            problems.push(format!(
                "answer {} (card {}): logged {} {} but {} gives {} {}",
                row.id,
                row.card_id,
                row.kind.as_str(),
                describe(&row.after),
                scheduler.label(),
                kind.as_str(),
                describe(&after)
            ));
        }
        self.problems.extend(problems);
        let card = self.card(&row.card_id);
        card.schedule = after;
        card.last_day = Some(row.day);
    }

    fn action(&mut self, row: &ActionRow) {
        let card = self.card(&row.card_id).clone();
        let tag_differs = row
            .action
            .tag()
            .is_some_and(|t| row.marks_before.has_tag(t) != card.marks.has_tag(t));
        if row.before != card.schedule
            || row.marks_before.suspended != card.marks.suspended
            || row.marks_before.buried_until != card.marks.buried_until
            || tag_differs
        {
            self.problems.push(format!(
                "action {} ({} on card {}): logged the card before as {} {:?} but replay gives {} {:?}",
                row.id,
                row.action.as_str(),
                row.card_id,
                describe(&row.before),
                row.marks_before,
                describe(&card.schedule),
                card.marks
            ));
        }
        let card = self.card(&row.card_id);
        row.action.apply(&mut card.marks, &mut card.schedule);
    }
}

/// The state and kind an answer (card id, day, grade, the deck's longest
/// interval) gives a card as the replay has it.
pub(crate) fn replay_answer(
    card: &Replayed,
    (card_id, day, grade, max_interval): (&str, NaiveDate, Grade, Option<u32>),
    scheduler: &Scheduler,
) -> (Schedule, AnswerKind) {
    let first_of_day = card.schedule.due.is_none() || card.last_day != Some(day);
    scheduler.answer(
        card.schedule,
        grade,
        day,
        first_of_day,
        card_id,
        max_interval,
    )
}

/// An answer's time in UTC seconds (0 when it cannot be read).
pub(crate) fn answered_secs(answered_at: &str) -> i64 {
    DateTime::parse_from_rfc3339(answered_at).map_or(0, |t| t.timestamp())
}

fn describe(s: &Schedule) -> String {
    let memory = s.memory.map_or(String::new(), |m| {
        format!(", S={}, D={}", m.stability, m.difficulty)
    });
    let learning = s
        .learning
        .map_or(String::new(), |l| format!(", step {}", l.text()));
    format!(
        "(n={}, EF={:.2}, I={}, due={}, lapses={}{memory}{learning})",
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
