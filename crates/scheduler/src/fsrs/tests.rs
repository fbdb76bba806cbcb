//! FSRS as notedeck applies it: the reference implementation's own test
//! vectors (from `fsrs-rs`'s `src/inference.rs` tests), the grade mapping,
//! the fuzz and the order of the buttons.

use super::*;

/// The parameters `fsrs-rs` tests its memory states with (FSRS-5's 19,
/// filled to 21 as the crate fills them).
const TEST_PARAMETERS: [f32; 19] = [
    0.6845422,
    1.6790825,
    4.7349424,
    10.042885,
    7.4410233,
    0.64219797,
    1.071918,
    0.0025195254,
    1.432437,
    0.1544,
    0.8692766,
    2.0696752,
    0.0953,
    0.2975,
    2.4691248,
    0.19542035,
    3.201072,
    0.18046261,
    0.121442534,
];

fn model(parameters: &[f32]) -> Fsrs {
    Fsrs::new(&FsrsConfig {
        parameters: fsrs::check_and_fill_parameters(parameters).expect("parameters"),
        desired_retention: 0.9,
    })
    .expect("model")
}

/// Steps `ratings` (1–4) after `elapsed` days each, from a new card.
fn replay(fsrs: &Fsrs, ratings: &[u32], elapsed: &[u32]) -> Memory {
    let mut memory = None;
    for (&rating, &days) in ratings.iter().zip(elapsed) {
        memory = Some(fsrs.next_memories(memory, days)[rating as usize - 1].0);
    }
    memory.expect("answered")
}

fn assert_close(memory: Memory, stability: f32, difficulty: f32) {
    assert!(
        (memory.stability - stability).abs() < 1e-4
            && (memory.difficulty - difficulty).abs() < 1e-4,
        "{memory:?}, expected S={stability} D={difficulty}"
    );
}

#[test]
fn reference_memory_states_with_default_parameters() {
    // fsrs-rs `test_memory_state`: Again, then Good five times.
    let fsrs = model(&[]);
    assert_close(
        replay(&fsrs, &[1, 3, 3, 3, 3, 3], &[0, 0, 1, 3, 8, 21]),
        53.62691,
        6.3574867,
    );
    let mut frozen = fsrs::DEFAULT_PARAMETERS;
    frozen[17] = 0.0;
    frozen[18] = 0.0;
    frozen[19] = 0.0;
    assert_close(
        replay(&model(&frozen), &[1, 3, 3, 3, 3, 3], &[0, 0, 1, 3, 8, 21]),
        53.335106,
        6.3574867,
    );
}

#[test]
fn reference_next_states() {
    // fsrs-rs `test_next_states` and `test_memo_state`.
    let fsrs = model(&TEST_PARAMETERS);
    let state = replay(&fsrs, &[1, 3, 3, 3], &[0, 1, 3, 8]);
    let next = fsrs.next_memories(Some(state), 21);
    let expected = [
        (2.9691455, 8.000659),
        (17.091452, 7.6913934),
        (31.722992, 7.382128),
        (71.7502, 7.0728626),
    ];
    for ((memory, interval), (stability, difficulty)) in next.iter().zip(expected) {
        assert_close(*memory, stability, difficulty);
        assert!(
            (interval - stability).abs() < 1e-3,
            "at 90 % the interval is the stability"
        );
    }
    let from = Memory {
        stability: 20.925528,
        difficulty: 7.005062,
    };
    assert_close(fsrs.next_memories(Some(from), 21)[2].0, 40.87456, 6.9913807);
}

#[test]
fn reference_retrievability() {
    // fsrs-rs `test_current_retrievability`, decay 0.2.
    let mut parameters = fsrs::DEFAULT_PARAMETERS;
    parameters[20] = 0.2;
    let fsrs = model(&parameters);
    let memory = Memory {
        stability: 1.0,
        difficulty: 5.0,
    };
    assert_eq!(fsrs.retrievability(memory, 0.0), 1.0);
    assert_eq!(fsrs.retrievability(memory, 1.0), 0.9);
    assert_eq!(fsrs.retrievability(memory, 2.0), 0.84028935);
}

#[test]
fn grades_map_to_ratings() {
    let ratings: Vec<u32> = (0..=5)
        .map(|g| rating(Grade::new(g).expect("grade")))
        .collect();
    assert_eq!(ratings, [1, 1, 1, 2, 3, 4]);
}

#[test]
fn fuzz_is_deterministic_and_within_the_authors_range() {
    let day = NaiveDate::from_ymd_opt(2026, 5, 1).expect("day");
    assert_eq!(fuzz_seed("abc", day), fuzz_seed("abc", day));
    assert_ne!(fuzz_seed("abc", day), fuzz_seed("abd", day));
    assert_eq!(fuzzed(1.4, 0.99, 36_500), 1, "no fuzz under 2.5 days");
    assert_eq!(fuzzed(2.4, 0.99, 36_500), 2);
    // 100 days: delta = 1 + 0.15·4.5 + 0.1·13 + 0.05·80 = 6.975.
    let spread: Vec<u32> = (0..100)
        .map(|i| fuzzed(100.0, f64::from(i) / 100.0, 36_500))
        .collect();
    assert_eq!(spread.iter().min(), Some(&93));
    assert_eq!(spread.iter().max(), Some(&107));
    assert_eq!(fuzzed(100.0, 0.99, 30), 30, "capped");
    let seeds: Vec<f64> = (0..1000)
        .map(|i| fuzz_seed(&format!("card{i}"), day))
        .collect();
    assert!(seeds.iter().all(|s| (0.0..1.0).contains(s)));
    let mean = seeds.iter().sum::<f64>() / 1000.0;
    assert!((0.45..0.55).contains(&mean), "{mean}");
}

#[test]
fn buttons_are_in_order_and_answers_follow_sm2_bookkeeping() {
    let fsrs = model(&[]);
    let today = NaiveDate::from_ymd_opt(2026, 5, 1).expect("day");
    let preview = fsrs.preview(Schedule::NEW, today, true, "card", None);
    assert!(
        preview[1] <= preview[2] && preview[2] < preview[3],
        "{preview:?}"
    );
    let (after, kind) = fsrs.answer(Schedule::NEW, Grade::GOOD, today, true, "card", None);
    assert_eq!(kind, AnswerKind::Learn);
    assert_eq!(after.repetitions, 1, "SM-2's repetitions");
    assert_eq!(after.interval_days, preview[2]);
    assert!(after.memory.is_some());
    let (repeat, kind) = fsrs.answer(after, Grade::AGAIN, today, false, "card", None);
    assert_eq!(
        (repeat, kind),
        (after, AnswerKind::Repeat),
        "a repeat changes nothing"
    );
    let later = after.due.expect("due");
    let (next, _) = fsrs.answer(after, Grade::GOOD, later, true, "card", Some(3));
    assert!(
        next.interval_days <= 3,
        "the deck's longest interval caps it"
    );
    let (lapse, kind) = fsrs.answer(
        next,
        Grade::AGAIN,
        next.due.expect("due"),
        true,
        "card",
        None,
    );
    assert_eq!(kind, AnswerKind::Review, "two passes made it a review card");
    assert_eq!(lapse.lapses, 1);
    assert!(lapse.memory.expect("memory").stability < next.memory.expect("memory").stability);
}
