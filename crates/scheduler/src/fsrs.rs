//! FSRS-6, the second scheduler, through the `fsrs` crate (the reference
//! implementation of the algorithm's authors), as notedeck applies it:
//!
//! - only the **first answer of a card on a day** moves its memory state
//!   and schedule, as under SM-2; later answers that day are repeats and
//!   change nothing (the learner's day is the unit, as in the algorithm's
//!   long-term model; the short-term formula is never reached);
//! - grades map to ratings: below 3 → Again (1), 3 → Hard (2), 4 → Good
//!   (3), 5 → Easy (4);
//! - intervals are rounded to whole days (at least 1), kept in order
//!   (Hard ≤ Good < Easy), fuzzed as the authors' schedulers fuzz them
//!   (from 2.5 days on, within ±(1 day + 15 % of the part between 2.5
//!   and 7 days + 10 % of the part between 7 and 20 + 5 % beyond)), and
//!   capped at 36,500 days and at the deck's longest interval. The fuzz is
//!   drawn from the card's id and the day, so a replay gives the same day;
//! - repetitions, E-Factor and lapses keep following SM-2's rules, so that
//!   states, leeches and the E-Factor column mean what they always meant.

use chrono::{Days, NaiveDate};

use super::{answer as sm2_answer, AnswerKind, Grade, Memory, Schedule, MAX_INTERVAL_DAYS};

/// Desired retention when none is set.
pub const DEFAULT_RETENTION: f32 = 0.9;
/// The desired retentions a learner may choose.
pub const RETENTION_RANGE: std::ops::RangeInclusive<f32> = 0.70..=0.97;

/// FSRS's settings: its 21 parameters and the desired retention.
#[derive(Debug, Clone, PartialEq)]
pub struct FsrsConfig {
    /// The model's parameters (the published defaults until optimised).
    pub parameters: Vec<f32>,
    /// The probability of recall a card is scheduled for (0.70–0.97).
    pub desired_retention: f32,
}

impl Default for FsrsConfig {
    fn default() -> FsrsConfig {
        FsrsConfig {
            parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
            desired_retention: DEFAULT_RETENTION,
        }
    }
}

/// A ready FSRS model with its desired retention.
#[derive(Debug, Clone)]
pub struct Fsrs {
    model: fsrs::FSRS,
    config: FsrsConfig,
}

/// The FSRS rating (1–4) of a grade (0–5).
pub fn rating(grade: Grade) -> u32 {
    match grade.value() {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    }
}

impl Fsrs {
    /// The model for `config`; an error names what is wrong with it.
    pub fn new(config: &FsrsConfig) -> Result<Fsrs, String> {
        if !RETENTION_RANGE.contains(&config.desired_retention) {
            return Err(format!(
                "desired retention {} is outside 0.70–0.97",
                config.desired_retention
            ));
        }
        if config.parameters.len() != 21 || config.parameters.iter().any(|p| !p.is_finite()) {
            return Err(format!(
                "FSRS-6 needs 21 finite parameters, not {}",
                config.parameters.len()
            ));
        }
        let model = fsrs::FSRS::new(&config.parameters)
            .map_err(|e| format!("the FSRS parameters are not usable: {e}"))?;
        Ok(Fsrs {
            model,
            config: config.clone(),
        })
    }

    /// The settings this model was made from.
    pub fn config(&self) -> &FsrsConfig {
        &self.config
    }

    /// The forgetting curve's decay (the last parameter).
    pub fn decay(&self) -> f32 {
        self.config.parameters[20]
    }

    /// The probability of recalling a card `elapsed_days` after its last
    /// answer.
    pub fn retrievability(&self, memory: Memory, elapsed_days: f32) -> f32 {
        fsrs::current_retrievability(
            fsrs::MemoryState {
                stability: memory.stability,
                difficulty: memory.difficulty,
            },
            elapsed_days.max(0.0),
            self.decay(),
        )
    }

    /// The memory state and raw interval each rating (Again, Hard, Good,
    /// Easy) gives from `memory` (none: a first answer) after
    /// `elapsed_days`.
    pub fn next_memories(&self, memory: Option<Memory>, elapsed_days: u32) -> [(Memory, f32); 4] {
        let current = memory.map(|m| fsrs::MemoryState {
            stability: m.stability,
            difficulty: m.difficulty,
        });
        let next = self
            .model
            .next_states(current, self.config.desired_retention, elapsed_days);
        let convert = |state: &fsrs::ItemState| {
            (
                Memory {
                    stability: state.memory.stability,
                    difficulty: state.memory.difficulty,
                },
                state.interval,
            )
        };
        match next {
            Ok(next) => [
                convert(&next.again),
                convert(&next.hard),
                convert(&next.good),
                convert(&next.easy),
            ],
            // Only a non-finite state fails; keep the card as it was, due
            // the next day, rather than lose the answer.
            Err(_) => {
                let kept = memory.unwrap_or(Memory {
                    stability: 1.0,
                    difficulty: 5.0,
                });
                [(kept, 1.0); 4]
            }
        }
    }

    /// A scheduled card's memory state: its own, or for a card scheduled
    /// by SM-2 alone the one FSRS reads from its E-Factor and interval.
    pub fn memory_of(&self, state: &Schedule) -> Option<Memory> {
        if state.memory.is_some() || state.due.is_none() {
            return state.memory;
        }
        let memory = self
            .model
            .memory_state_from_sm2(
                state.ease.as_f64() as f32,
                state.interval_days.max(1) as f32,
                0.9,
            )
            .ok()?;
        Some(Memory {
            stability: memory.stability,
            difficulty: memory.difficulty,
        })
    }

    /// The four buttons' intervals in whole days, in order, fuzzed for
    /// `card_id` on `today` and capped; with the memory each rating gives.
    fn plan(
        &self,
        state: &Schedule,
        today: NaiveDate,
        card_id: &str,
        cap: Option<u32>,
    ) -> [(Memory, u32); 4] {
        let (memory, elapsed) = match state.last_answer_day() {
            Some(last) => (self.memory_of(state), days_between(last, today)),
            None => (state.memory, 0),
        };
        let next = self.next_memories(memory, elapsed);
        let limit = cap
            .filter(|&c| c >= 1)
            .map_or(MAX_INTERVAL_DAYS, |c| c.min(MAX_INTERVAL_DAYS));
        let seed = fuzz_seed(card_id, today);
        let mut days = next.map(|(_, interval)| fuzzed(interval, seed, limit));
        // Hard no longer than Good; Good and Easy each at least a day more.
        days[1] = days[1].min(days[2]);
        days[2] = days[2].max(days[1] + 1);
        days[3] = days[3].max(days[2] + 1);
        let days = days.map(|d| d.clamp(1, limit));
        [0, 1, 2, 3].map(|i| (next[i].0, days[i]))
    }

    /// Applies one answer: SM-2's bookkeeping (repetitions, E-Factor,
    /// lapses, the kind of answer), FSRS's memory state and interval.
    pub fn answer(
        &self,
        state: Schedule,
        grade: Grade,
        today: NaiveDate,
        first_of_day: bool,
        card_id: &str,
        cap: Option<u32>,
    ) -> (Schedule, AnswerKind) {
        let (sm2, kind) = sm2_answer(state, grade, today, first_of_day);
        if kind == AnswerKind::Repeat {
            return (state, kind);
        }
        let (memory, days) = self.plan(&state, today, card_id, cap)[rating(grade) as usize - 1];
        let after = Schedule {
            interval_days: days,
            due: today.checked_add_days(Days::new(u64::from(days))),
            memory: Some(memory),
            ..sm2
        };
        (after, kind)
    }

    /// The interval each of the four buttons would give.
    pub fn preview(
        &self,
        state: Schedule,
        today: NaiveDate,
        first_of_day: bool,
        card_id: &str,
        cap: Option<u32>,
    ) -> [u32; 4] {
        if !first_of_day && state.due.is_some() {
            return [state.interval_days; 4];
        }
        self.plan(&state, today, card_id, cap).map(|(_, days)| days)
    }
}

/// Whole days from `from` to `to` (0 if `to` is earlier).
fn days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    (to - from).num_days().clamp(0, i64::from(u32::MAX)) as u32
}

/// A number in [0, 1) drawn from the card and the day (FNV-1a), the same
/// on every replay.
fn fuzz_seed(card_id: &str, today: NaiveDate) -> f64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let day = chrono::Datelike::num_days_from_ce(&today).to_le_bytes();
    for byte in card_id.bytes().chain(day) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    (hash >> 11) as f64 / (1u64 << 53) as f64
}

/// `interval` rounded to whole days and fuzzed as the algorithm's authors
/// fuzz it (nothing under 2.5 days), at most `limit`.
fn fuzzed(interval: f32, seed: f64, limit: u32) -> u32 {
    let interval = f64::from(interval);
    if !interval.is_finite() {
        return 1;
    }
    if interval < 2.5 {
        return (interval.round().max(1.0) as u32).min(limit);
    }
    const RANGES: [(f64, f64, f64); 3] =
        [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f64::MAX, 0.05)];
    let delta = 1.0
        + RANGES
            .iter()
            .map(|&(start, end, factor)| factor * (interval.min(end) - start).max(0.0))
            .sum::<f64>();
    let max = ((interval + delta).round() as i64).min(i64::from(limit));
    let min = ((interval - delta).round() as i64).max(2).min(max);
    let days = (seed * (max - min + 1) as f64 + min as f64).floor() as i64;
    days.clamp(1, i64::from(limit)) as u32
}

#[cfg(test)]
mod tests;
