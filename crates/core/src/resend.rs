//! Answers a page may send more than once.
//!
//! A phone on a flaky network keeps an answer whose reply it never heard
//! and sends it again when the connection returns. Each such answer carries
//! a key the page made; the first arrival is recorded (the key with it, in
//! the same transaction), and every later one records nothing and is given
//! the answer already made. An answer kept waiting is recorded at the time
//! it was given, not the time it arrived, but never before the card's own
//! newest answer or action, so each card's history stays in the order it
//! was written.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::model::CardId;
use crate::review::{self, AnswerOptions, Answered};
use crate::scheduler::Grade;
use crate::scheduler::Scheduler;
use crate::storage::{CardRow, Collection, Reader, ReviewRow};
use crate::{Error, Result};

/// How long a key is remembered: an answer sent again after this long may
/// be recorded twice.
pub const KEY_KEPT_DAYS: i64 = 30;

/// The longest an answer may wait in a page before it is sent.
pub const MAX_WAIT_MS: i64 = KEY_KEPT_DAYS * 24 * 60 * 60 * 1000;

/// A key a page made for one answer: 16 to 64 letters, digits, `-` or `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerKey(String);

impl AnswerKey {
    /// Reads a key as sent, or says what a key must be.
    pub fn parse(text: &str) -> Result<AnswerKey> {
        let fits = (16..=64).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if fits {
            Ok(AnswerKey(text.to_owned()))
        } else {
            Err(Error::BadAnswerKey(text.chars().take(80).collect()))
        }
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What an answer sent under a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sent {
    /// It arrived for the first time and was recorded.
    Recorded(Answered),
    /// It was recorded before: nothing was recorded now. The earlier
    /// answer, or none when an undo has taken it back since.
    Again(Option<ReviewRow>),
}

/// When an answer given `waited_ms` before `now` is recorded: then, but
/// never before the card's newest answer or action (plus a millisecond).
fn given_at(
    reader: &Reader<'_>,
    card_id: &CardId,
    now: DateTime<Utc>,
    waited_ms: i64,
) -> Result<DateTime<Utc>> {
    if !(0..=MAX_WAIT_MS).contains(&waited_ms) {
        return Err(Error::OutOfRange {
            name: "waited_ms".into(),
            value: waited_ms,
            min: 0,
            max: MAX_WAIT_MS,
        });
    }
    let given = now - Duration::milliseconds(waited_ms);
    let newest = reader
        .newest_entry_of(card_id)?
        .and_then(|at| DateTime::parse_from_rfc3339(&at).ok())
        .map(|at| at.with_timezone(&Utc) + Duration::milliseconds(1));
    Ok(match newest {
        Some(after) if after > given => after.min(now),
        _ => given,
    })
}

/// What [`answer_locked`] did, with what the caller's reply shows, read
/// before the commit.
#[derive(Debug, Clone)]
pub struct LockedAnswer {
    /// Recorded now, or recorded before under its key.
    pub sent: Sent,
    /// The card as it stands after the answer.
    pub card: CardRow,
    /// The scheduler in force.
    pub scheduler: Scheduler,
}

/// Reads, inside an answer's transaction, what the answer needs: given the
/// card's deck and when the answer counts as given, the learner's day and
/// the options.
pub type Prepare<'p> =
    dyn FnMut(&Reader<'_>, &str, DateTime<Utc>) -> Result<(NaiveDate, AnswerOptions)> + 'p;

/// Records an answer of `card_id` (under `key`: once, see [`Sent`]; given
/// `waited_ms` before `now`: at that time, but never before the card's
/// newest answer or action) with every read it needs inside its own
/// transaction, under the one write lock it takes: `prepare` reads the
/// day and the options, and the card and scheduler the reply shows are
/// read before the commit. Each read outside a transaction takes the
/// file's lock and gives it back, which was a third of an answer's own
/// time.
pub fn answer_locked(
    collection: &mut Collection,
    key: Option<&AnswerKey>,
    card_id: &CardId,
    grade: Grade,
    (now, waited_ms): (DateTime<Utc>, Option<i64>),
    prepare: &mut Prepare<'_>,
) -> Result<LockedAnswer> {
    let tx = collection.transaction()?;
    let locked = {
        let reader = tx.reader();
        let at = match waited_ms {
            Some(waited) => given_at(&reader, card_id, now, waited)?,
            None => now,
        };
        let earlier = match key {
            Some(key) => reader.review_id_of_key(key.as_str())?,
            None => None,
        };
        let sent = match earlier {
            Some(review_id) => Sent::Again(reader.review_by_id(&review_id)?),
            None => {
                let card = reader
                    .card(card_id)?
                    .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?;
                let (today, mut options) = prepare(&reader, &card.deck, at)?;
                options.key = key.cloned();
                Sent::Recorded(review::answer_card(&tx, card, grade, at, today, &options)?)
            }
        };
        LockedAnswer {
            sent,
            card: reader
                .card(card_id)?
                .ok_or_else(|| Error::CardNotFound(card_id.to_string()))?,
            scheduler: reader.current_scheduler()?.1,
        }
    };
    tx.commit()?;
    Ok(locked)
}
