//! The scheduler in force: exact SM-2 (the default) or FSRS.

use chrono::NaiveDate;

use super::fsrs::{Fsrs, FsrsConfig};
use super::{answer as sm2_answer, cap_interval, preview_capped, AnswerKind, Grade, Schedule};

/// The scheduler answers are computed with.
#[derive(Debug, Clone, Default)]
pub enum Scheduler {
    /// SM-2, exactly as specified.
    #[default]
    Sm2,
    /// FSRS-6 with its parameters and desired retention.
    Fsrs(Box<Fsrs>),
}

impl Scheduler {
    /// FSRS with `config`; an error names what is wrong with it.
    pub fn fsrs(config: &FsrsConfig) -> Result<Scheduler, String> {
        Ok(Scheduler::Fsrs(Box::new(Fsrs::new(config)?)))
    }

    /// `sm2` or `fsrs`.
    pub fn name(&self) -> &'static str {
        match self {
            Scheduler::Sm2 => "sm2",
            Scheduler::Fsrs(_) => "fsrs",
        }
    }

    /// Applies one answer of card `card_id` on `today`; `cap` is its
    /// deck's longest interval. Under SM-2 this is exactly
    /// [`super::answer`] then [`cap_interval`].
    pub fn answer(
        &self,
        state: Schedule,
        grade: Grade,
        today: NaiveDate,
        first_of_day: bool,
        card_id: &str,
        cap: Option<u32>,
    ) -> (Schedule, AnswerKind) {
        match self {
            Scheduler::Sm2 => {
                let (after, kind) = sm2_answer(state, grade, today, first_of_day);
                if kind == AnswerKind::Repeat {
                    (after, kind)
                } else {
                    (cap_interval(after, today, cap), kind)
                }
            }
            Scheduler::Fsrs(fsrs) => fsrs.answer(state, grade, today, first_of_day, card_id, cap),
        }
    }

    /// `SM-2` or `FSRS`, for people.
    pub fn label(&self) -> &'static str {
        match self {
            Scheduler::Sm2 => "SM-2",
            Scheduler::Fsrs(_) => "FSRS",
        }
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
        match self {
            Scheduler::Sm2 => preview_capped(state, today, first_of_day, cap),
            Scheduler::Fsrs(fsrs) => fsrs.preview(state, today, first_of_day, card_id, cap),
        }
    }

    /// A card's probability of recall on `today` (FSRS only; `None` under
    /// SM-2 and for cards without a memory state).
    pub fn retrievability(&self, state: &Schedule, today: NaiveDate) -> Option<f32> {
        let Scheduler::Fsrs(fsrs) = self else {
            return None;
        };
        let memory = state.memory?;
        let elapsed = (today - state.last_answer_day()?).num_days().max(0);
        Some(fsrs.retrievability(memory, elapsed as f32))
    }
}
