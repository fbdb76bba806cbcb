//! Training items, the benchmark's bins and scores, and a fit that finds
//! back the memory model a learner was simulated with.

use super::*;

fn day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).expect("day") + chrono::Duration::days(n)
}

fn answer(n: i64, grade: Grade) -> Answer {
    Answer { day: day(n), grade }
}

#[test]
fn a_run_gives_one_item_per_answer_after_the_first() {
    let run = [
        answer(0, Grade::GOOD),
        answer(1, Grade::GOOD),
        answer(7, Grade::AGAIN),
        answer(8, Grade::EASY),
    ];
    let mut items = Vec::new();
    push_items(&run, &mut items);
    assert_eq!(items.len(), 3);
    let last = &items[2].item.reviews;
    let pairs: Vec<(u32, u32)> = last.iter().map(|r| (r.rating, r.delta_t)).collect();
    assert_eq!(pairs, [(3, 0), (3, 1), (1, 6), (4, 1)]);
    // SM-2's interval before each answer: 1 after the first Good, 6 after
    // the second, 1 after Again.
    let intervals: Vec<u32> = items.iter().map(|i| i.sm2_interval).collect();
    assert_eq!(intervals, [1, 6, 1]);
    assert!(items
        .iter()
        .all(|i| i.item.reviews.last().is_some_and(|r| r.delta_t > 0)));
}

#[test]
fn bins_follow_the_benchmark() {
    let item = |reviews: &[(u32, u32)]| FSRSItem {
        reviews: reviews
            .iter()
            .map(|&(rating, delta_t)| FSRSReview { rating, delta_t })
            .collect(),
    };
    // One day: 2.48·100; four days: 2.48·3.62·100; one or two answers
    // after a gap (length 2 or 3): 1.99·1.89 rounded; one lapse before:
    // 1.65 rounded.
    assert_eq!(bin_of(&item(&[(3, 0), (3, 1)])), (248, 4, 0));
    assert_eq!(bin_of(&item(&[(3, 0), (1, 4), (3, 4)])), (898, 4, 2));
}

#[test]
fn scores_are_log_loss_and_binned_rmse() {
    let mut scorer = Scorer::default();
    scorer.add(0.5, true, (1, 1, 0));
    scorer.add(0.5, false, (1, 1, 0));
    let score = scorer.score();
    assert!((score.log_loss - std::f64::consts::LN_2).abs() < 1e-12);
    assert!(
        score.rmse_bins.abs() < 1e-12,
        "the bin's mean prediction is its mean recall"
    );
    let mut wrong = Scorer::default();
    wrong.add(0.9, false, (1, 1, 0));
    wrong.add(0.1, true, (2, 1, 0));
    assert!((wrong.score().rmse_bins - 0.9).abs() < 1e-9);
}

/// A learner whose recall follows FSRS with the default parameters: each
/// card is answered on the day it falls due, recalled with the model's
/// probability (a fixed pseudo-random sequence).
fn simulated_items(cards: u64) -> Vec<Item> {
    let model = fsrs::FSRS::default();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut uniform = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut items = Vec::new();
    for card in 0..cards {
        let mut run = vec![answer((card % 60) as i64, Grade::GOOD)];
        let mut memory = model.next_states(None, 0.9, 0).expect("first").good.memory;
        let mut today = (card % 60) as i64;
        for _ in 0..8 {
            let interval = model
                .next_interval(Some(memory.stability), 0.9, 1)
                .round()
                .max(1.0);
            today += interval as i64;
            let recall =
                fsrs::current_retrievability(memory, interval, fsrs::DEFAULT_PARAMETERS[20]);
            let grade = if uniform() < f64::from(recall) {
                Grade::GOOD
            } else {
                Grade::AGAIN
            };
            let next = model
                .next_states(Some(memory), 0.9, interval as u32)
                .expect("next");
            memory = if grade == Grade::GOOD {
                next.good.memory
            } else {
                next.again.memory
            };
            run.push(answer(today, grade));
        }
        push_items(&run, &mut items);
    }
    items.sort_by_key(|item| item.day);
    items
}

#[test]
fn too_few_answers_to_fit_say_so() {
    let items = simulated_items(10);
    assert!(matches!(
        fit(&items, &|_, _| {}),
        Err(Error::NotEnoughReviews {
            usable: 80,
            needed: MIN_REVIEWS_TO_FIT
        })
    ));
}

#[test]
fn fsrs_predicts_a_learner_who_forgets_as_fsrs_says_better_than_sm2() {
    let items = simulated_items(400);
    let heard = std::sync::atomic::AtomicBool::new(false);
    let evaluation = evaluate(&items, &|_, _| {
        heard.store(true, std::sync::atomic::Ordering::Relaxed)
    })
    .expect("evaluate");
    assert_eq!(evaluation.trained + evaluation.sm2.tested, items.len());
    assert!(
        evaluation.fsrs_default.log_loss < evaluation.sm2.log_loss,
        "{evaluation:?}"
    );
    assert!(
        evaluation.fsrs_fitted.log_loss < evaluation.sm2.log_loss,
        "{evaluation:?}"
    );
    assert!(
        evaluation.fsrs_default.rmse_bins < evaluation.sm2.rmse_bins,
        "{evaluation:?}"
    );
    assert!(
        heard.load(std::sync::atomic::Ordering::Relaxed),
        "progress was reported"
    );
}
