//! Table and property tests of SM-2. Each table row is hand-computed from the
//! formula in the module documentation.

use chrono::NaiveDate;

use super::*;
use proptest::prelude::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Runs grades on successive days (each answer on the day the card falls
/// due) and checks `(n, EF, I, due, lapses)` after each one.
#[track_caller]
fn check_table(start: &str, rows: &[(u8, u32, f64, u32, &str, u32)]) {
    let mut state = Schedule::NEW;
    let mut today = day(start);
    for (step, &(grade, n, ef, interval, due, lapses)) in rows.iter().enumerate() {
        let (next, _) = answer(state, Grade::new(grade).unwrap(), today, true);
        assert_eq!(
            (
                next.repetitions,
                next.ease.as_f64(),
                next.interval_days,
                next.due,
                next.lapses
            ),
            (n, ef, interval, Some(day(due)), lapses),
            "step {} (grade {grade})",
            step + 1
        );
        state = next;
        today = next.due.unwrap();
    }
}

#[test]
fn good_every_time() {
    // EF stays 2.5 on grade 4; I: 1, 6, ceil(6*2.5)=15, ceil(15*2.5)=38, ceil(38*2.5)=95.
    check_table(
        "2026-01-01",
        &[
            (4, 1, 2.5, 1, "2026-01-02", 0),
            (4, 2, 2.5, 6, "2026-01-08", 0),
            (4, 3, 2.5, 15, "2026-01-23", 0),
            (4, 4, 2.5, 38, "2026-03-02", 0),
            (4, 5, 2.5, 95, "2026-06-05", 0),
        ],
    );
}

#[test]
fn easy_then_hard_then_again() {
    // q=5: EF+0.10; q=3: EF-0.14; q=1: EF unchanged, n=0, I=1, lapse.
    // 2.6 (I=1), 2.7 (I=6), 2.56 (I=ceil(6*2.56)=ceil(15.36)=16),
    // again: 2.56, n=0, I=1, lapses=1; good: n=1, I=1; good: n=2, I=6;
    // good: n=3, I=ceil(6*2.56)=16.
    check_table(
        "2026-01-01",
        &[
            (5, 1, 2.6, 1, "2026-01-02", 0),
            (5, 2, 2.7, 6, "2026-01-08", 0),
            (3, 3, 2.56, 16, "2026-01-24", 0),
            (1, 0, 2.56, 1, "2026-01-25", 1),
            (4, 1, 2.56, 1, "2026-01-26", 1),
            (4, 2, 2.56, 6, "2026-02-01", 1),
            (4, 3, 2.56, 16, "2026-02-17", 1),
        ],
    );
}

#[test]
fn ease_never_falls_below_1_3() {
    // Nine grade-3 answers: 2.5 - 9*0.14 = 1.24, floored at 1.3 from the 9th.
    // I: 1, 6, ceil(6*2.08)=13, ceil(13*1.94)=26 (25.22), ceil(26*1.8)=47 (46.8),
    // ceil(47*1.66)=79 (78.02), ceil(79*1.52)=121 (120.08), ceil(121*1.38)=167 (166.98),
    // ceil(167*1.3)=218 (217.1).
    check_table(
        "2026-01-01",
        &[
            (3, 1, 2.36, 1, "2026-01-02", 0),
            (3, 2, 2.22, 6, "2026-01-08", 0),
            (3, 3, 2.08, 13, "2026-01-21", 0),
            (3, 4, 1.94, 26, "2026-02-16", 0),
            (3, 5, 1.8, 47, "2026-04-04", 0),
            (3, 6, 1.66, 79, "2026-06-22", 0),
            (3, 7, 1.52, 121, "2026-10-21", 0),
            (3, 8, 1.38, 167, "2027-04-06", 0),
            (3, 9, 1.3, 218, "2027-11-10", 0),
        ],
    );
}

#[test]
fn failing_a_new_card_is_not_a_lapse() {
    check_table(
        "2026-01-01",
        &[
            (0, 0, 2.5, 1, "2026-01-02", 0),
            (2, 0, 2.5, 1, "2026-01-03", 0),
            (4, 1, 2.5, 1, "2026-01-04", 0),
        ],
    );
}

#[test]
fn same_day_repeats_change_nothing() {
    let today = day("2026-01-01");
    let (after, kind) = answer(Schedule::NEW, Grade::AGAIN, today, true);
    assert_eq!(kind, AnswerKind::Learn);
    let (repeat, kind) = answer(after, Grade::EASY, today, false);
    assert_eq!(kind, AnswerKind::Repeat);
    assert_eq!(repeat, after);
}

#[test]
fn kinds_follow_the_state_before() {
    let today = day("2026-01-01");
    let learned = Schedule {
        repetitions: 2,
        interval_days: 6,
        due: Some(today),
        ..Schedule::NEW
    };
    assert_eq!(
        answer(learned, Grade::GOOD, today, true).1,
        AnswerKind::Review
    );
    let lapsed = answer(learned, Grade::AGAIN, today, true).0;
    assert_eq!(
        answer(lapsed, Grade::GOOD, day("2026-01-02"), true).1,
        AnswerKind::Relearn
    );
}

#[test]
fn interval_is_capped_at_100_years() {
    let state = Schedule {
        repetitions: 20,
        ease: Ease(300),
        interval_days: 30_000,
        due: Some(day("2026-01-01")),
        lapses: 0,
        memory: None,
        learning: None,
    };
    let (next, _) = answer(state, Grade::EASY, day("2026-01-01"), true);
    assert_eq!(next.interval_days, MAX_INTERVAL_DAYS);
    assert_eq!(next.due, Some(day("2125-12-08")));
}

#[test]
fn grades_parse_from_names_and_numbers() {
    assert_eq!(Grade::parse("again"), Some(Grade::AGAIN));
    assert_eq!(Grade::parse("Easy"), Some(Grade(5)));
    assert_eq!(Grade::parse("0"), Some(Grade(0)));
    assert_eq!(Grade::parse("6"), None);
    assert_eq!(Grade::parse("meh"), None);
}

#[test]
fn buttons_preview_their_intervals() {
    let state = Schedule {
        repetitions: 2,
        ease: Ease(250),
        interval_days: 6,
        due: Some(day("2026-01-08")),
        lapses: 0,
        memory: None,
        learning: None,
    };
    // Again 1; Hard ceil(6*2.36)=15; Good ceil(6*2.5)=15; Easy ceil(6*2.6)=16.
    assert_eq!(preview(state, day("2026-01-08"), true), [1, 15, 15, 16]);
}

/// One step of a generated history: a grade 0–5, whether it is the card's
/// first answer that day, and the days until the next step.
fn step() -> impl Strategy<Value = (u8, bool, u64)> {
    (0u8..=5, prop::bool::weighted(0.8), 0u64..400)
}

/// SM-2's E-Factor update as the paper writes it, in floating point: the
/// reference the exact hundredths are checked against.
fn reference_ease(ease: f64, q: u8) -> f64 {
    let d = f64::from(5 - q);
    (ease + (0.1 - d * (0.08 + d * 0.02))).max(1.3)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Over any history: E-Factor stays ≥ 1.3 and matches the paper's
    /// formula, intervals follow 1, 6, ⌈I·EF⌉ and are capped, failures
    /// reset repetitions and count lapses only for learned cards, same-day
    /// repeats change nothing, and the due day is today plus the interval.
    #[test]
    fn sm2_invariants_hold_over_any_history(steps in prop::collection::vec(step(), 1..60)) {
        let mut state = Schedule::NEW;
        let mut today = day("2026-01-01");
        let mut ease = 2.5_f64;
        for (value, first, gap) in steps {
            let grade = Grade::new(value).expect("0-5 is a grade");
            let (next, kind) = answer(state, grade, today, first);
            prop_assert!(next.ease >= MIN_EASE);
            prop_assert!(next.interval_days <= MAX_INTERVAL_DAYS);
            if !first {
                prop_assert_eq!((next, kind), (state, AnswerKind::Repeat));
            } else {
                let expected_kind = if state.repetitions >= 2 {
                    AnswerKind::Review
                } else if state.lapses > 0 {
                    AnswerKind::Relearn
                } else {
                    AnswerKind::Learn
                };
                prop_assert_eq!(kind, expected_kind);
                if grade.is_pass() {
                    ease = reference_ease(ease, value);
                    prop_assert!((next.ease.as_f64() - ease).abs() < 1e-9, "EF {} vs {}", next.ease.as_f64(), ease);
                    prop_assert_eq!(next.repetitions, state.repetitions + 1);
                    prop_assert_eq!(next.lapses, state.lapses);
                    let expected = match next.repetitions {
                        1 => 1,
                        2 => 6,
                        _ => ((f64::from(state.interval_days) * ease - 1e-9).ceil() as u32).min(MAX_INTERVAL_DAYS),
                    };
                    prop_assert_eq!(next.interval_days, expected);
                } else {
                    prop_assert_eq!((next.repetitions, next.interval_days, next.ease), (0, 1, state.ease));
                    prop_assert_eq!(next.lapses, state.lapses + u32::from(state.repetitions > 0));
                }
                prop_assert_eq!(next.due, today.checked_add_days(Days::new(u64::from(next.interval_days))));
            }
            state = next;
            today = today.checked_add_days(Days::new(gap)).expect("a date");
        }
    }

    /// The buttons show what answering would give, and a better grade never
    /// gives a shorter interval.
    #[test]
    fn previews_match_answers_and_grow_with_the_grade(
        steps in prop::collection::vec(step(), 0..30),
        first in any::<bool>(),
    ) {
        let mut state = Schedule::NEW;
        let mut today = day("2026-01-01");
        for (value, first, gap) in steps {
            state = answer(state, Grade::new(value).expect("grade"), today, first).0;
            today = today.checked_add_days(Days::new(gap)).expect("a date");
        }
        let shown = preview(state, today, first);
        for (i, grade) in [Grade::AGAIN, Grade::HARD, Grade::GOOD, Grade::EASY].into_iter().enumerate() {
            prop_assert_eq!(shown[i], answer(state, grade, today, first).0.interval_days);
        }
        prop_assert!(shown.windows(2).all(|w| w[0] <= w[1]), "{:?}", shown);
    }
}
