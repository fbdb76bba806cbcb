//! Learning steps (an option; none by default, so SM-2 stays exact): new
//! and lapsed cards come back within the day at the steps' times before
//! the scheduler's interval takes over, as in Anki. Steps never change the
//! scheduler's state (E-Factor, repetitions, interval, due day, FSRS
//! memory): they only say when a card in learning is shown again, and
//! when it graduates.
//!
//! For a card at step `i` of the steps `S` (a card entering the steps is
//! at step 0):
//! - **Again**: back to step 0, shown again after `S[0]`;
//! - **Hard**: stays at step `i`, shown after the mean of `S[i]` and
//!   `S[i+1]` (1.5 × `S[i]` at the last step);
//! - **Good**: on to step `i+1` (a card entering goes to step 1), shown
//!   after it; past the last step it graduates;
//! - **Easy**: graduates.
//!
//! New cards take the learning steps; a card that lapses (a first answer
//! of the day below 3 on a learned card) takes the relearning steps.

use super::{Grade, Learning, Schedule};

/// The longest step: a day less a minute (steps are within the day).
pub const MAX_STEP_SECONDS: u32 = 86_340;
/// Steps in one list, at most.
pub const MAX_STEPS: usize = 10;

/// Steps in seconds, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Steps(pub Vec<u32>);

impl Steps {
    /// Parses `1m 10m 1h` (minutes `m`, hours `h`, seconds `s`; a bare
    /// number is minutes); an error says what is wrong.
    pub fn parse(text: &str) -> Result<Steps, String> {
        let mut steps = Vec::new();
        for part in text.split([' ', ',']).filter(|p| !p.is_empty()) {
            let (number, unit) = match part.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
                Some((at, _)) => part.split_at(at),
                None => (part, "m"),
            };
            let value: u32 = number.parse().map_err(|_| {
                format!("`{part}` is not a step: write minutes like `1m 10m` or hours like `1h`")
            })?;
            let seconds = match unit {
                "s" => value,
                "m" => value.saturating_mul(60),
                "h" => value.saturating_mul(3600),
                _ => return Err(format!("`{part}`: a step is in s, m or h (`10m`)")),
            };
            if seconds == 0 || seconds > MAX_STEP_SECONDS {
                return Err(format!(
                    "`{part}`: a step is from 1s to 23h59m (longer gaps are the scheduler's)"
                ));
            }
            steps.push(seconds);
        }
        if steps.len() > MAX_STEPS {
            return Err(format!("at most {MAX_STEPS} steps"));
        }
        Ok(Steps(steps))
    }

    /// The steps as written (`1m 10m`), for settings and the log.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|&s| {
                if s % 3600 == 0 {
                    format!("{}h", s / 3600)
                } else if s % 60 == 0 {
                    format!("{}m", s / 60)
                } else {
                    format!("{s}s")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when there are none (the card is the scheduler's alone).
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Which steps an answer takes: the card's own list while it is in
/// learning, the learning steps for a new card, the relearning steps for
/// a lapse (`after` has one more lapse than `before`), none otherwise.
/// Returns the list and whether it is the relearning one.
pub fn steps_for<'a>(
    before: &Schedule,
    after: &Schedule,
    learning: &'a Steps,
    relearning: &'a Steps,
) -> Option<(&'a Steps, bool)> {
    let (list, relearn) = match before.learning {
        Some(l) => (
            if l.relearning { relearning } else { learning },
            l.relearning,
        ),
        None if before.due.is_none() => (learning, false),
        None if after.lapses > before.lapses => (relearning, true),
        None => return None,
    };
    (!list.is_empty()).then_some((list, relearn))
}

/// `after` (the scheduler's answer) with the card's place in `steps` set:
/// in learning until `at + step`, or graduated. `at` is the answer's UTC
/// time in seconds.
pub fn apply(
    before: &Schedule,
    mut after: Schedule,
    grade: Grade,
    at: i64,
    steps: Option<(&Steps, bool)>,
) -> Schedule {
    let Some((steps, relearning)) = steps else {
        after.learning = None;
        return after;
    };
    let s = &steps.0;
    let entering = before.learning.is_none();
    let i = before
        .learning
        .map_or(0, |l| usize::from(l.step))
        .min(s.len() - 1);
    let next = match grade.value() {
        0..=2 => Some((0, s[0])),
        3 => Some((
            i,
            match s.get(i + 1) {
                Some(&n) => (s[i] + n) / 2,
                None => s[i].saturating_mul(3) / 2,
            },
        )),
        4 => {
            let to = if entering { 1 } else { i + 1 };
            s.get(to).map(|&secs| (to, secs))
        }
        _ => None,
    };
    after.learning = next.map(|(step, secs)| Learning {
        step: step as u8,
        due: at + i64::from(secs),
        relearning,
    });
    after
}

/// The learning and relearning steps in force (none by default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepRule {
    /// For new cards.
    pub learning: Steps,
    /// For cards that lapsed.
    pub relearning: Steps,
}

/// Replays the steps of a logged answer: `after` (the scheduler's replayed
/// state) with the place the recorded steps (`recorded`, as written) give.
pub fn replay(
    before: &Schedule,
    after: Schedule,
    grade: Grade,
    at: i64,
    recorded: Option<&str>,
) -> Schedule {
    let steps = recorded
        .and_then(|text| Steps::parse(text).ok())
        .filter(|s| !s.is_empty());
    let relearning = before
        .learning
        .map_or(after.lapses > before.lapses, |l| l.relearning);
    apply(
        before,
        after,
        grade,
        at,
        steps.as_ref().map(|s| (s, relearning)),
    )
}

/// How many seconds until each button (Again, Hard, Good, Easy) shows the
/// card again within its steps (`None`: it leaves them).
pub fn preview(
    before: &Schedule,
    afters: [Schedule; 4],
    at: i64,
    learning: &Steps,
    relearning: &Steps,
) -> [Option<u32>; 4] {
    let grades = [Grade::AGAIN, Grade::HARD, Grade::GOOD, Grade::EASY];
    let mut out = [None; 4];
    for (k, (grade, after)) in grades.iter().zip(afters).enumerate() {
        let list = steps_for(before, &after, learning, relearning);
        out[k] = apply(before, after, *grade, at, list)
            .learning
            .map(|l| (l.due - at).max(0) as u32);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(text: &str) -> Steps {
        Steps::parse(text).expect("steps")
    }

    #[test]
    fn steps_parse_and_print() {
        assert_eq!(steps("1m 10m").0, [60, 600]);
        assert_eq!(steps("1 1h 30s").text(), "1m 1h 30s");
        assert!(Steps::parse("2d").is_err());
        assert!(Steps::parse("0m").is_err());
        assert!(Steps::parse("ten").is_err());
        assert!(steps("").is_empty());
    }

    #[test]
    fn a_new_card_goes_through_the_steps_then_graduates() {
        let learn = steps("1m 10m");
        let none = Steps::default();
        let new = Schedule::NEW;
        let sm2 = |s: Schedule| Schedule {
            due: Some(chrono::NaiveDate::MIN),
            ..s
        };
        let list = steps_for(&new, &sm2(new), &learn, &none);
        let again = apply(&new, sm2(new), Grade::AGAIN, 1000, list);
        assert_eq!(
            again.learning,
            Some(Learning {
                step: 0,
                due: 1060,
                relearning: false
            })
        );
        let hard = apply(&new, sm2(new), Grade::HARD, 1000, list);
        assert_eq!(hard.learning.map(|l| l.due), Some(1330));
        let good = apply(&new, sm2(new), Grade::GOOD, 1000, list);
        assert_eq!(
            good.learning,
            Some(Learning {
                step: 1,
                due: 1600,
                relearning: false
            })
        );
        // At the last step, Good graduates; Easy graduates at once.
        let list = steps_for(&good, &good, &learn, &none);
        assert_eq!(apply(&good, good, Grade::GOOD, 1600, list).learning, None);
        assert_eq!(
            apply(&new, sm2(new), Grade::EASY, 1000, list).learning,
            None
        );
        assert_eq!(
            apply(&good, good, Grade::HARD, 1600, list)
                .learning
                .map(|l| l.due),
            Some(1600 + 900)
        );
    }

    #[test]
    fn a_lapse_takes_the_relearning_steps_and_no_steps_change_nothing() {
        let relearn = steps("10m");
        let none = Steps::default();
        let learned = Schedule {
            repetitions: 3,
            interval_days: 10,
            due: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
            ..Schedule::NEW
        };
        let lapsed = Schedule {
            repetitions: 0,
            lapses: 1,
            interval_days: 1,
            ..learned
        };
        let list = steps_for(&learned, &lapsed, &none, &relearn);
        assert_eq!(list.map(|(_, r)| r), Some(true));
        let after = apply(&learned, lapsed, Grade::AGAIN, 0, list);
        assert_eq!(
            after.learning,
            Some(Learning {
                step: 0,
                due: 600,
                relearning: true
            })
        );
        // Everything but the steps is the scheduler's.
        assert_eq!(
            Schedule {
                learning: None,
                ..after
            },
            lapsed
        );
        // A review passed takes no steps.
        let passed = Schedule {
            repetitions: 4,
            ..learned
        };
        assert!(steps_for(&learned, &passed, &steps("1m"), &relearn).is_none());
    }
}
