//! The workload simulator: for each desired retention, the reviews a day
//! and the cards remembered over the coming days, simulated by the `fsrs`
//! crate from the learner's own cards (their memory states, or under SM-2
//! the states FSRS reads from their E-Factor and interval), new cards
//! introduced at the daily new-card limit, and FSRS's parameters in force.

use std::sync::Arc;

use chrono::NaiveDate;

use crate::scheduler::fsrs::{Fsrs, RETENTION_RANGE};
use crate::storage::Collection;
use crate::{Error, Result};

/// The longest simulation, in days (ten years).
pub const MAX_DAYS: usize = 3_650;

/// The most desired retentions one simulation compares (each is a whole
/// simulation of every card).
pub const MAX_RETENTIONS: usize = 20;

/// What one desired retention is expected to bring.
#[derive(Debug, Clone, PartialEq)]
pub struct Projection {
    /// The desired retention simulated.
    pub desired_retention: f32,
    /// Mean reviews a day (first answers of a day, new cards included).
    pub reviews_per_day: f64,
    /// Reviews over the whole span.
    pub total_reviews: u64,
    /// Mean minutes of reviewing a day (the simulator's answer times).
    pub minutes_per_day: f64,
    /// Cards you would recall if tested on all of them on the last day.
    pub remembered_at_end: f64,
    /// Cards in the simulation (active cards of the collection).
    pub cards: usize,
}

/// Simulates `days` days for each of `retentions`, `new_per_day` new
/// cards a day, from the collection's cards on `today`.
pub fn simulate(
    collection: &Collection,
    retentions: &[f32],
    days: usize,
    new_per_day: usize,
    today: NaiveDate,
) -> Result<Vec<Projection>> {
    if days == 0 || days > MAX_DAYS {
        return Err(Error::BadScheduler(format!(
            "--days {days}: simulate from 1 to {MAX_DAYS} days"
        )));
    }
    if retentions.is_empty() || retentions.len() > MAX_RETENTIONS {
        return Err(Error::BadScheduler(format!(
            "--retention: {} retentions given; compare from 1 to {MAX_RETENTIONS} at once, as in --retention 0.85,0.9,0.95",
            retentions.len()
        )));
    }
    if let Some(bad) = retentions.iter().find(|r| !RETENTION_RANGE.contains(*r)) {
        return Err(Error::BadScheduler(format!(
            "--retention {bad}: each retention must lie from 0.70 to 0.97"
        )));
    }
    let config = collection.fsrs_config()?;
    let model = Fsrs::new(&config).map_err(Error::BadScheduler)?;
    let parameters = config.parameters;
    let shared = Arc::new(parameters.clone());
    let mut existing = Vec::new();
    let schedules = collection.reader().active_schedules()?;
    let active = schedules.len();
    for (_, schedule) in schedules {
        let Some(due) = schedule.due else { continue };
        let interval = schedule.interval_days.max(1) as f32;
        let Some(memory) = model.memory_of(&schedule) else {
            continue;
        };
        let due_in = (due - today).num_days() as f32;
        existing.push(fsrs::Card {
            id: existing.len() as i64 + 1,
            difficulty: memory.difficulty,
            stability: memory.stability,
            last_date: due_in - interval,
            due: due_in.max(0.0),
            interval,
            lapses: schedule.lapses,
            desired_retention: 0.9,
            parameters: Arc::clone(&shared),
        });
    }
    let simulator = fsrs::SimulatorConfig {
        deck_size: active,
        learn_span: days,
        max_cost_perday: f32::MAX,
        learn_limit: new_per_day,
        review_limit: usize::MAX,
        // notedeck repeats a failed card the same day but schedules only by
        // the first answer: no learning or relearning steps.
        learning_step_count: 0,
        relearning_step_count: 0,
        ..fsrs::SimulatorConfig::default()
    };
    let project = |retention: f32| -> Result<Projection> {
        let cards: Vec<fsrs::Card> = existing
            .iter()
            .map(|c| fsrs::Card {
                desired_retention: retention,
                ..c.clone()
            })
            .collect();
        let result = fsrs::simulate(&simulator, &parameters, retention, Some(42), Some(cards))
            .map_err(|e| Error::BadScheduler(format!("the simulation failed: {e}")))?;
        let reviews: u64 = result
            .review_cnt_per_day
            .iter()
            .zip(&result.learn_cnt_per_day)
            .map(|(r, l)| (r + l) as u64)
            .sum();
        let seconds: f64 = result.cost_per_day.iter().map(|&c| f64::from(c)).sum();
        Ok(Projection {
            desired_retention: retention,
            reviews_per_day: reviews as f64 / days as f64,
            total_reviews: reviews,
            minutes_per_day: seconds / 60.0 / days as f64,
            remembered_at_end: result
                .memorized_cnt_per_day
                .last()
                .map_or(0.0, |&m| f64::from(m)),
            cards: active,
        })
    };
    // Each retention is simulated alone (with the same seed): one thread
    // per core takes every n-th of them, and the results keep their order.
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, retentions.len());
    let mut projections: Vec<Option<Result<Projection>>> = Vec::new();
    projections.resize_with(retentions.len(), || None);
    std::thread::scope(|scope| {
        let project = &project;
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    (first..retentions.len())
                        .step_by(threads)
                        .map(|k| (k, project(retentions[k])))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for (k, projection) in worker.join().unwrap_or_default() {
                projections[k] = Some(projection);
            }
        }
    });
    projections
        .into_iter()
        .map(|p| {
            p.unwrap_or_else(|| {
                Err(Error::BadScheduler(
                    "the simulation stopped unexpectedly".to_owned(),
                ))
            })
        })
        .collect()
}
