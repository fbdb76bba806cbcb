//! Fitting FSRS to the learner's own review log, and measuring how well
//! each scheduler predicts their recall.
//!
//! A card's history for FSRS is its first answers of each day (repeats and
//! cram answers left out), restarted by a forget. Each answer after the
//! first becomes one training item: the history up to it, the days between
//! answers, and whether it was recalled (anything but Again). Such items
//! always end with a review after a gap of a day or more, which the `fsrs`
//! crate needs.
//!
//! Evaluation follows the open spaced-repetition benchmark: items in the
//! order their last answer was given, the earliest 80 % to fit on and the
//! rest to test; SM-2's prediction is `0.9^(t / I)` (recall is 90 % after
//! its interval `I`); log loss over the tested answers and RMSE over bins of
//! elapsed days, history length and lapses, each bin weighted by its
//! answers.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use fsrs::{FSRSItem, FSRSReview};

use crate::actions::Action;
use crate::model::CardId;
use crate::scheduler::fsrs::rating;
use crate::scheduler::{self, AnswerKind, Grade, Schedule};
use crate::storage::Collection;
use crate::{Error, Result};

/// Answers after a gap needed to fit the parameters. The `fsrs` crate
/// itself falls back to the defaults under 8 and fits only the first
/// stabilities under 64; a few hundred give parameters worth keeping.
pub const MIN_REVIEWS_TO_FIT: usize = 400;

/// One first-of-day answer in a card's history.
#[derive(Debug, Clone, Copy)]
struct Answer {
    day: NaiveDate,
    grade: Grade,
}

/// One training item: the card's history up to an answer, and that
/// answer's day (for ordering) and SM-2 interval before it.
#[derive(Debug, Clone)]
pub struct Item {
    /// The history as FSRS reads it (the last review is the one predicted).
    pub item: FSRSItem,
    /// The day of the predicted answer.
    pub day: NaiveDate,
    /// SM-2's interval before the predicted answer, in days.
    pub sm2_interval: u32,
}

/// Every card's histories (first answers of each day, restarted by a
/// forget), as training items.
pub fn training_items(collection: &Collection) -> Result<Vec<Item>> {
    let reader = collection.reader();
    // In card order, so the items (and so the fit and the evaluation's
    // split) are the same on every run.
    let mut histories: BTreeMap<CardId, Vec<Vec<Answer>>> = BTreeMap::new();
    let actions = reader.actions()?;
    let mut next_action = 0;
    let forget = |histories: &mut BTreeMap<CardId, Vec<Vec<Answer>>>, id: &CardId| {
        let runs = histories.entry(id.clone()).or_default();
        if runs.last().is_some_and(|run| !run.is_empty()) {
            runs.push(Vec::new());
        }
    };
    reader.for_each_review(&mut |row| {
        while let Some(action) = actions
            .get(next_action)
            .filter(|a| a.after_review < row.seq)
        {
            if action.action == Action::Forget {
                forget(&mut histories, &action.card_id);
            }
            next_action += 1;
        }
        let first_of_day = matches!(
            row.kind,
            AnswerKind::Learn | AnswerKind::Review | AnswerKind::Relearn
        );
        if let (true, Some(grade)) = (first_of_day, Grade::new(row.grade)) {
            let runs = histories.entry(row.card_id).or_default();
            if runs.is_empty() {
                runs.push(Vec::new());
            }
            if let Some(run) = runs.last_mut() {
                run.push(Answer {
                    day: row.day,
                    grade,
                });
            }
        }
        Ok(())
    })?;
    let mut items = Vec::new();
    for runs in histories.into_values() {
        for run in runs {
            push_items(&run, &mut items);
        }
    }
    items.sort_by_key(|item| item.day);
    Ok(items)
}

/// The items of one run of answers (one per answer after the first).
fn push_items(run: &[Answer], items: &mut Vec<Item>) {
    let mut reviews: Vec<FSRSReview> = Vec::with_capacity(run.len());
    let mut sm2 = Schedule::NEW;
    for (i, answer) in run.iter().enumerate() {
        let delta_t = match i {
            0 => 0,
            _ => (answer.day - run[i - 1].day).num_days().max(0) as u32,
        };
        reviews.push(FSRSReview {
            rating: rating(answer.grade),
            delta_t,
        });
        if i > 0 && delta_t > 0 {
            items.push(Item {
                item: FSRSItem {
                    reviews: reviews.clone(),
                },
                day: answer.day,
                sm2_interval: sm2.interval_days.max(1),
            });
        }
        sm2 = scheduler::answer(sm2, answer.grade, answer.day, true).0;
    }
}

/// Fits FSRS's parameters to `items`; `progress` hears (done, total)
/// while the fit runs (on another thread).
pub fn fit(items: &[Item], progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Vec<f32>> {
    if items.len() < MIN_REVIEWS_TO_FIT {
        return Err(Error::NotEnoughReviews {
            usable: items.len(),
            needed: MIN_REVIEWS_TO_FIT,
        });
    }
    let state = fsrs::CombinedProgressState::new_shared();
    let train_set: Vec<FSRSItem> = items.iter().map(|i| i.item.clone()).collect();
    let input = fsrs::ComputeParametersInput {
        train_set,
        progress: Some(Arc::clone(&state)),
        // Only first answers of a day: the short-term parameters keep
        // their defaults.
        enable_short_term: false,
        ..Default::default()
    };
    let fitted = std::thread::scope(|scope| {
        let worker = scope.spawn(|| fsrs::compute_parameters(input));
        while !worker.is_finished() {
            if let Ok(state) = state.lock() {
                progress(state.current(), state.total());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let fitted = worker.join();
        progress(1, 1);
        fitted
    });
    let parameters = match fitted {
        Ok(Ok(parameters)) => parameters,
        Ok(Err(e)) => {
            return Err(Error::BadScheduler(format!(
                "FSRS could not fit parameters to this log ({e}); the defaults stay in force"
            )))
        }
        Err(_) => {
            return Err(Error::BadScheduler(
                "fitting FSRS's parameters failed; the defaults stay in force".to_owned(),
            ))
        }
    };
    let parameters = fsrs::check_and_fill_parameters(&parameters)
        .map_err(|e| Error::BadScheduler(format!("the fitted parameters are not usable: {e}")))?;
    Ok(parameters)
}

/// How well one scheduler predicted the tested answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Score {
    /// Mean log loss (lower is better).
    pub log_loss: f64,
    /// RMSE over the benchmark's bins (lower is better).
    pub rmse_bins: f64,
    /// Answers tested.
    pub tested: usize,
}

/// The evaluation of SM-2, FSRS with default parameters and FSRS with
/// parameters fitted on the earlier answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// SM-2's prediction (0.9 after its interval).
    pub sm2: Score,
    /// FSRS with the published default parameters.
    pub fsrs_default: Score,
    /// FSRS fitted on the earlier 80 % of the answers.
    pub fsrs_fitted: Score,
    /// Answers the fitted parameters were fitted on.
    pub trained: usize,
}

/// Fits on the earlier 80 % of `items` (in answer order) and scores every
/// scheduler on the rest.
pub fn evaluate(items: &[Item], progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Evaluation> {
    let needed = MIN_REVIEWS_TO_FIT * 5 / 4;
    if items.len() < needed {
        return Err(Error::NotEnoughReviews {
            usable: items.len(),
            needed,
        });
    }
    let cut = items.len() * 4 / 5;
    let (train, test) = items.split_at(cut);
    let fitted = fit(train, progress)?;
    let default_model = fsrs::FSRS::default();
    let fitted_model = fsrs::FSRS::new(&fitted)
        .map_err(|e| Error::BadScheduler(format!("the fitted parameters are not usable: {e}")))?;
    let decay_default = fsrs::DEFAULT_PARAMETERS[20];
    let decay_fitted = fitted[20];
    let fsrs_prediction = |model: &fsrs::FSRS, decay: f32, item: &FSRSItem| -> f64 {
        let history = FSRSItem {
            reviews: item.reviews[..item.reviews.len() - 1].to_vec(),
        };
        let elapsed = item.reviews.last().map_or(0, |r| r.delta_t) as f32;
        match model.memory_state(history, None) {
            Ok(memory) => f64::from(fsrs::current_retrievability(memory, elapsed, decay)),
            Err(_) => 0.5,
        }
    };
    let mut sm2 = Scorer::default();
    let mut default = Scorer::default();
    let mut tuned = Scorer::default();
    for item in test {
        let last = item.item.reviews[item.item.reviews.len() - 1];
        let recalled = last.rating > 1;
        let bin = bin_of(&item.item);
        let sm2_p = 0.9f64.powf(f64::from(last.delta_t) / f64::from(item.sm2_interval));
        sm2.add(sm2_p, recalled, bin);
        default.add(
            fsrs_prediction(&default_model, decay_default, &item.item),
            recalled,
            bin,
        );
        tuned.add(
            fsrs_prediction(&fitted_model, decay_fitted, &item.item),
            recalled,
            bin,
        );
    }
    Ok(Evaluation {
        sm2: sm2.score(),
        fsrs_default: default.score(),
        fsrs_fitted: tuned.score(),
        trained: train.len(),
    })
}

/// The benchmark's bin of an item: elapsed days, history length and
/// lapses, each on a roughly logarithmic scale.
fn bin_of(item: &FSRSItem) -> (u32, u32, u32) {
    let last = item.reviews[item.reviews.len() - 1];
    let delta_t = f64::from(last.delta_t.max(1));
    let delta_bin = (2.48 * 3.62f64.powf(delta_t.log(3.62).floor()) * 100.0).round() as u32;
    let long_term = item.reviews.iter().filter(|r| r.delta_t > 0).count() as f64 + 1.0;
    let length_bin = (1.99 * 1.89f64.powf(long_term.log(1.89).floor())).round() as u32;
    let lapses = item.reviews[..item.reviews.len() - 1]
        .iter()
        .filter(|r| r.rating == 1 && r.delta_t > 0)
        .count();
    let lapse_bin = if lapses == 0 {
        0
    } else {
        (1.65 * 1.73f64.powf((lapses as f64).log(1.73).floor())).round() as u32
    };
    (delta_bin, length_bin, lapse_bin)
}

/// Sums for log loss and binned RMSE.
#[derive(Default)]
struct Scorer {
    loss: f64,
    count: usize,
    /// In a fixed order, so the sum over bins is the same on every run.
    bins: BTreeMap<(u32, u32, u32), (f64, f64, f64)>,
}

impl Scorer {
    fn add(&mut self, p: f64, recalled: bool, bin: (u32, u32, u32)) {
        // As the benchmark (scikit-learn) does: clipped to machine epsilon.
        let p = p.clamp(f64::EPSILON, 1.0 - f64::EPSILON);
        let y = if recalled { 1.0 } else { 0.0 };
        self.loss -= y * p.ln() + (1.0 - y) * (1.0 - p).ln();
        self.count += 1;
        let entry = self.bins.entry(bin).or_default();
        entry.0 += p;
        entry.1 += y;
        entry.2 += 1.0;
    }

    fn score(&self) -> Score {
        let n = self.count.max(1) as f64;
        let squared: f64 = self
            .bins
            .values()
            .map(|(p, y, count)| count * (p / count - y / count).powi(2))
            .sum();
        Score {
            log_loss: self.loss / n,
            rmse_bins: (squared / n).sqrt(),
            tested: self.count,
        }
    }
}

#[cfg(test)]
mod tests;
