//! SM-2, exactly as SuperMemo describes it, as a pure function on plain values.
//!
//! Grades are 0–5 (5 perfect, 4 correct after hesitation, 3 correct with
//! serious difficulty, 2/1/0 incorrect). On the **first answer of a card on
//! a given day**, with grade `q`:
//!
//! - if `q >= 3`: `EF' = max(1.3, EF + (0.1 - (5-q) * (0.08 + (5-q) * 0.02)))`,
//!   `n' = n + 1`, and `I' = 1` when `n' = 1`, `I' = 6` when `n' = 2`,
//!   `I' = ceil(I * EF')` when `n' > 2`;
//! - if `q < 3`: `EF' = EF`, `n' = 0`, `I' = 1`, and `lapses` grows by one if
//!   the card had been learned (`n > 0`);
//! - `I'` is capped at 36,500 days and `due = today + I'`.
//!
//! Later answers on the same day (SM-2's step 7: a card answered below 4
//! comes back until it is answered 4 or 5) are logged as repeats and change
//! nothing.
//!
//! The E-Factor is kept in hundredths: every SM-2 step changes it by a
//! multiple of 0.02, so integer arithmetic is exact and `ceil(I * EF')`
//! never suffers from floating-point error.

use chrono::{Days, NaiveDate};

/// Longest interval, in days (100 years).
pub const MAX_INTERVAL_DAYS: u32 = 36_500;
/// E-Factor of a new card, in hundredths.
pub const INITIAL_EASE: Ease = Ease(250);
/// Lowest E-Factor, in hundredths.
pub const MIN_EASE: Ease = Ease(130);

/// An SM-2 E-Factor in hundredths (250 = 2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ease(pub u32);

impl Ease {
    /// The E-Factor as a number (2.5).
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// The nearest E-Factor in hundredths to a stored number.
    pub fn from_f64(value: f64) -> Ease {
        Ease((value * 100.0).round().max(0.0) as u32)
    }
}

/// A grade from 0 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grade(u8);

impl Grade {
    /// Again: incorrect.
    pub const AGAIN: Grade = Grade(1);
    /// Hard: correct with serious difficulty.
    pub const HARD: Grade = Grade(3);
    /// Good: correct after hesitation.
    pub const GOOD: Grade = Grade(4);
    /// Easy: perfect.
    pub const EASY: Grade = Grade(5);

    /// A grade from 0 to 5, or `None`.
    pub fn new(value: u8) -> Option<Grade> {
        (value <= 5).then_some(Grade(value))
    }

    /// Parses `0`–`5` or `again`, `hard`, `good`, `easy`.
    pub fn parse(text: &str) -> Option<Grade> {
        match text.trim().to_ascii_lowercase().as_str() {
            "again" => Some(Grade::AGAIN),
            "hard" => Some(Grade::HARD),
            "good" => Some(Grade::GOOD),
            "easy" => Some(Grade::EASY),
            other => other.parse::<u8>().ok().and_then(Grade::new),
        }
    }

    /// The number 0–5.
    pub fn value(self) -> u8 {
        self.0
    }

    /// True for grades 3–5.
    pub fn is_pass(self) -> bool {
        self.0 >= 3
    }
}

/// FSRS's memory state of a card: how long its memory lasts (stability,
/// days to fall to 90 % recall) and how hard it is (difficulty, 1–10).
/// Compared bit for bit, so that a replay agrees exactly or not at all.
#[derive(Debug, Clone, Copy)]
pub struct Memory {
    /// Days for recall to fall from 100 % to 90 %.
    pub stability: f32,
    /// 1 (easiest) to 10 (hardest).
    pub difficulty: f32,
}

impl PartialEq for Memory {
    fn eq(&self, other: &Memory) -> bool {
        self.stability.to_bits() == other.stability.to_bits()
            && self.difficulty.to_bits() == other.difficulty.to_bits()
    }
}

impl Eq for Memory {}

impl std::hash::Hash for Memory {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.stability.to_bits().hash(state);
        self.difficulty.to_bits().hash(state);
    }
}

impl Memory {
    /// The memory state from its stored columns (both present), if any.
    pub fn from_columns(stability: Option<f64>, difficulty: Option<f64>) -> Option<Memory> {
        Some(Memory {
            stability: stability? as f32,
            difficulty: difficulty? as f32,
        })
    }
}

/// A card's schedule: SM-2's state (kept under either scheduler: under
/// FSRS the E-Factor, repetitions and lapses follow SM-2's rules while FSRS
/// sets the interval) and, under FSRS, the memory state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Schedule {
    /// Repetitions `n` (0 for a new card and after a lapse).
    pub repetitions: u32,
    /// E-Factor.
    pub ease: Ease,
    /// Interval `I` in days.
    pub interval_days: u32,
    /// The day the card is due; `None` for a card never answered.
    pub due: Option<NaiveDate>,
    /// Times a learned card was answered below 3.
    pub lapses: u32,
    /// FSRS's memory state; `None` under SM-2 and for a card never answered.
    pub memory: Option<Memory>,
    /// Where the card is in its learning steps (an option, see [`steps`]);
    /// `None` outside them.
    pub learning: Option<Learning>,
}

/// A card in its learning (or relearning) steps: shown again at `due`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Learning {
    /// The step it is at (0 is the first).
    pub step: u8,
    /// When it is shown again, UTC seconds since the epoch.
    pub due: i64,
    /// True in the relearning steps (after a lapse).
    pub relearning: bool,
}

impl Learning {
    /// Stored form: `step@due`, with `r` before the step when relearning.
    pub fn text(self) -> String {
        format!(
            "{}{}@{}",
            if self.relearning { "r" } else { "" },
            self.step,
            self.due
        )
    }

    /// Reads [`Learning::text`]; `None` for anything else.
    pub fn parse(text: &str) -> Option<Learning> {
        let (relearning, rest) = match text.strip_prefix('r') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (step, due) = rest.split_once('@')?;
        Some(Learning {
            step: step.parse().ok()?,
            due: due.parse().ok()?,
            relearning,
        })
    }
}

impl Schedule {
    /// The state of a new card.
    pub const NEW: Schedule = Schedule {
        repetitions: 0,
        ease: INITIAL_EASE,
        interval_days: 0,
        due: None,
        lapses: 0,
        memory: None,
        learning: None,
    };

    /// The day of the answer that set this schedule (due less interval).
    pub fn last_answer_day(&self) -> Option<NaiveDate> {
        self.due?
            .checked_sub_days(Days::new(u64::from(self.interval_days)))
    }
}

/// What kind of answer a log row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AnswerKind {
    /// First answer of the day of a card not yet passed twice, never lapsed.
    Learn,
    /// First answer of the day of a card passed at least twice.
    Review,
    /// First answer of the day of a card that lapsed and is being relearned.
    Relearn,
    /// A later answer on the same day (step 7): changes nothing.
    Repeat,
    /// An answer in a cram session (custom study): changes nothing and
    /// counts in no retention figure.
    Cram,
    /// A reading card read (see [`reading`]): scheduled for re-reading,
    /// never judged as recall (no retention figure, no FSRS training).
    Read,
}

impl AnswerKind {
    /// The name stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerKind::Learn => "learn",
            AnswerKind::Review => "review",
            AnswerKind::Relearn => "relearn",
            AnswerKind::Repeat => "repeat",
            AnswerKind::Cram => "cram",
            AnswerKind::Read => "read",
        }
    }

    /// Parses a stored name.
    pub fn parse(text: &str) -> Option<AnswerKind> {
        Some(match text {
            "learn" => AnswerKind::Learn,
            "review" => AnswerKind::Review,
            "relearn" => AnswerKind::Relearn,
            "repeat" => AnswerKind::Repeat,
            "cram" => AnswerKind::Cram,
            "read" => AnswerKind::Read,
            _ => return None,
        })
    }
}

/// Applies one answer under SM-2. `first_of_day` is false when the card
/// was already answered on `today`; such repeats leave the state as it is.
pub fn answer(
    state: Schedule,
    grade: Grade,
    today: NaiveDate,
    first_of_day: bool,
) -> (Schedule, AnswerKind) {
    if !first_of_day {
        return (state, AnswerKind::Repeat);
    }
    let kind = if state.repetitions >= 2 {
        AnswerKind::Review
    } else if state.lapses > 0 {
        AnswerKind::Relearn
    } else {
        AnswerKind::Learn
    };
    let mut next = state;
    if grade.is_pass() {
        let q = i64::from(grade.value());
        // 0.1 - (5-q)(0.08 + (5-q)0.02), in hundredths: 10 - (5-q)(8 + 2(5-q)).
        let delta = 10 - (5 - q) * (8 + 2 * (5 - q));
        next.ease = Ease((i64::from(state.ease.0) + delta).max(i64::from(MIN_EASE.0)) as u32);
        next.repetitions = state.repetitions + 1;
        next.interval_days = match next.repetitions {
            1 => 1,
            2 => 6,
            _ => {
                let product = u64::from(state.interval_days) * u64::from(next.ease.0);
                product.div_ceil(100).min(u64::from(MAX_INTERVAL_DAYS)) as u32
            }
        };
    } else {
        if state.repetitions > 0 {
            next.lapses = state.lapses + 1;
        }
        next.repetitions = 0;
        next.interval_days = 1;
    }
    next.interval_days = next.interval_days.min(MAX_INTERVAL_DAYS);
    next.due = today.checked_add_days(Days::new(u64::from(next.interval_days)));
    (next, kind)
}

/// `after` with its interval at most `cap` days (a deck's maximum
/// interval), due that many days after `today`; SM-2 itself is untouched:
/// without a cap, or under it, the state is as SM-2 gives it.
pub fn cap_interval(after: Schedule, today: NaiveDate, cap: Option<u32>) -> Schedule {
    match cap {
        Some(cap) if cap >= 1 && after.interval_days > cap => Schedule {
            interval_days: cap,
            due: today.checked_add_days(chrono::Days::new(u64::from(cap))),
            ..after
        },
        _ => after,
    }
}

/// The interval each of the four buttons would give, for showing on them.
pub fn preview(state: Schedule, today: NaiveDate, first_of_day: bool) -> [u32; 4] {
    preview_capped(state, today, first_of_day, None)
}

/// [`preview`] under a maximum interval.
pub fn preview_capped(
    state: Schedule,
    today: NaiveDate,
    first_of_day: bool,
    cap: Option<u32>,
) -> [u32; 4] {
    [Grade::AGAIN, Grade::HARD, Grade::GOOD, Grade::EASY].map(|grade| {
        let (after, kind) = answer(state, grade, today, first_of_day);
        if kind == AnswerKind::Repeat {
            after.interval_days
        } else {
            cap_interval(after, today, cap).interval_days
        }
    })
}

mod choice;
pub mod fsrs;
pub mod reading;
pub mod steps;

pub use choice::Scheduler;

#[cfg(test)]
mod tests;
