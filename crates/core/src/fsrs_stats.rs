//! Statistics that only FSRS has: how long memories last (stability), how
//! likely each card is to be recalled today (retrievability), and whether
//! FSRS's predictions came true (predicted against actual retention).

use chrono::NaiveDate;

use crate::scheduler::fsrs::Fsrs;
use crate::stats::Bucket;
use crate::storage::{Collection, Scope};
use crate::Result;

/// FSRS's figures for a scope.
#[derive(Debug, Clone, PartialEq)]
pub struct FsrsStats {
    /// Cards by stability (days for recall to fall to 90 %).
    pub stability: Vec<Bucket>,
    /// Cards by their probability of recall today.
    pub retrievability: Vec<Bucket>,
    /// Mean probability of recall today over those cards.
    pub average_retrievability: Option<f64>,
    /// Mean recall FSRS predicted for the first answers of a day in the
    /// range (with today's parameters).
    pub predicted_retention: Option<f64>,
    /// Share of those answers that were recalled.
    pub actual_retention: Option<f64>,
    /// Answers compared.
    pub answers_compared: i64,
    /// The retention cards are scheduled for.
    pub desired_retention: f32,
}

const STABILITY_BUCKETS: &[(f32, f32, &str)] = &[
    (0.0, 1.0, "< 1 d"),
    (1.0, 3.0, "1–3 d"),
    (3.0, 7.0, "3–7 d"),
    (7.0, 21.0, "1–3 wk"),
    (21.0, 60.0, "3 wk–2 mo"),
    (60.0, 180.0, "2–6 mo"),
    (180.0, 365.0, "6–12 mo"),
    (365.0, f32::MAX, "1 y+"),
];

const RETRIEVABILITY_BUCKETS: &[(f32, f32, &str)] = &[
    (0.0, 0.5, "< 50%"),
    (0.5, 0.7, "50–70%"),
    (0.7, 0.8, "70–80%"),
    (0.8, 0.85, "80–85%"),
    (0.85, 0.9, "85–90%"),
    (0.9, 0.95, "90–95%"),
    (0.95, 1.01, "95–100%"),
];

fn buckets(values: &[f32], ranges: &[(f32, f32, &str)]) -> Vec<Bucket> {
    ranges
        .iter()
        .map(|&(low, high, label)| Bucket {
            label: label.to_owned(),
            count: values.iter().filter(|&&v| v >= low && v < high).count() as i64,
        })
        .collect()
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

/// FSRS's figures for `scope` on `today`, answers compared from `from`.
pub fn compute<'a>(
    collection: &Collection,
    scope: impl Into<Scope<'a>>,
    today: NaiveDate,
    from: NaiveDate,
    fsrs: &Fsrs,
) -> Result<FsrsStats> {
    let scope = scope.into();
    let reader = collection.reader();
    let states = reader.memory_states(scope)?;
    let stabilities: Vec<f32> = states.iter().map(|(m, _)| m.stability).collect();
    let recalls: Vec<f32> = states
        .iter()
        .map(|(memory, last)| {
            let elapsed = last.map_or(0, |l| (today - l).num_days().max(0));
            fsrs.retrievability(*memory, elapsed as f32)
        })
        .collect();
    let answers = reader.fsrs_answers_since(scope, from)?;
    Ok(FsrsStats {
        stability: buckets(&stabilities, STABILITY_BUCKETS),
        retrievability: buckets(&recalls, RETRIEVABILITY_BUCKETS),
        average_retrievability: mean(recalls.iter().map(|&r| f64::from(r))),
        predicted_retention: mean(
            answers
                .iter()
                .map(|(m, days, _)| f64::from(fsrs.retrievability(*m, *days as f32))),
        ),
        actual_retention: mean(answers.iter().map(|(_, _, ok)| if *ok { 1.0 } else { 0.0 })),
        answers_compared: answers.len() as i64,
        desired_retention: fsrs.config().desired_retention,
    })
}
