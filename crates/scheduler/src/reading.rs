//! Re-reading on expanding intervals: the schedule of a reading card (a
//! passage too long to answer, read in full), as the Obsidian plugin's note
//! review does it. Reading is not recall: it never touches the E-Factor,
//! lapses or FSRS's memory, and is the same under either scheduler.
//!
//! With `I` the card's interval before (0 for a card never read):
//! - **Hard** (read it sooner): `max(1, ⌈I / 2⌉)`;
//! - **Good**: `max(3, ⌈I × 2.5⌉)`;
//! - **Easy** (read it much later): `max(7, ⌈I × 4⌉)`;
//! - **Again** (a grade below 3; not a button on a reading card): 1 day.
//!
//! Each reading counts one repetition; the interval is capped by the
//! deck's longest interval and [`MAX_READING_DAYS`].

use chrono::{Days, NaiveDate};

use super::{Grade, Schedule};

/// Longest re-reading interval, in days (a year).
pub const MAX_READING_DAYS: u32 = 365;

/// The schedule after reading a card with `grade` on `today`; `cap` is
/// its deck's longest interval.
pub fn answer(state: Schedule, grade: Grade, today: NaiveDate, cap: Option<u32>) -> Schedule {
    let before = u64::from(state.interval_days);
    let days = match grade.value() {
        0..=2 => 1,
        3 => before.div_ceil(2).max(1),
        4 => (before * 5).div_ceil(2).max(3),
        _ => (before * 4).max(7),
    };
    let limit = cap
        .filter(|c| *c >= 1)
        .unwrap_or(MAX_READING_DAYS)
        .min(MAX_READING_DAYS);
    let interval_days = days.min(u64::from(limit)) as u32;
    Schedule {
        repetitions: state.repetitions.saturating_add(1),
        interval_days,
        due: today.checked_add_days(Days::new(u64::from(interval_days))),
        ..state
    }
}

/// The interval each of the four buttons would give a reading card.
pub fn preview(state: Schedule, today: NaiveDate, cap: Option<u32>) -> [u32; 4] {
    [Grade::AGAIN, Grade::HARD, Grade::GOOD, Grade::EASY]
        .map(|grade| answer(state, grade, today, cap).interval_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, d).unwrap()
    }

    #[test]
    fn intervals_expand_and_hard_brings_the_reading_closer() {
        let new = Schedule::NEW;
        assert_eq!(preview(new, day(1), None), [1, 1, 3, 7]);
        let read = answer(new, Grade::GOOD, day(1), None);
        assert_eq!(
            (read.interval_days, read.due, read.repetitions),
            (3, Some(day(4)), 1)
        );
        assert_eq!(preview(read, day(4), None), [1, 2, 8, 12]);
        let again = answer(read, Grade::GOOD, day(4), None);
        assert_eq!(again.interval_days, 8);
        assert_eq!(answer(again, Grade::HARD, day(12), None).interval_days, 4);
        assert_eq!(answer(again, Grade::EASY, day(12), None).interval_days, 32);
    }

    #[test]
    fn reading_leaves_recall_state_alone_and_is_capped() {
        let state = Schedule {
            repetitions: 4,
            ease: super::super::Ease(170),
            interval_days: 300,
            due: Some(day(1)),
            lapses: 2,
            memory: None,
            learning: None,
        };
        let after = answer(state, Grade::EASY, day(1), None);
        assert_eq!((after.ease, after.lapses), (state.ease, 2));
        assert_eq!(after.interval_days, MAX_READING_DAYS);
        assert_eq!(
            answer(state, Grade::GOOD, day(1), Some(30)).interval_days,
            30
        );
    }
}
