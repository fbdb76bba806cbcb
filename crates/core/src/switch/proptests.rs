//! Property tests of choosing the scheduler: any history of answers,
//! undos, forgets and switches leaves a log that `check` replays exactly,
//! under either scheduler, and SM-2 → FSRS → SM-2 gives back exactly the
//! states of before.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::set_scheduler;
use crate::actions::{act, Action};
use crate::import::{import, ImportOptions};
use crate::model::CardId;
use crate::review::{answer, check, undo, AnswerOptions};
use crate::scheduler::fsrs::FsrsConfig;
use crate::scheduler::{Grade, Scheduler};
use crate::storage::Collection;

#[derive(Debug, Clone)]
enum Op {
    /// Answer card `card` (modulo the count) with `grade`, `later` days on.
    Answer {
        card: usize,
        grade: u8,
        later: u8,
    },
    Undo,
    Forget(usize),
    /// To FSRS with this retention (hundredths), or to SM-2.
    Switch(Option<u8>),
}

fn ops() -> impl Strategy<Value = Vec<Op>> {
    prop::collection::vec(
        prop_oneof![
            6 => (0..4usize, 0..=5u8, 0..4u8).prop_map(|(card, grade, later)| Op::Answer { card, grade, later }),
            1 => Just(Op::Undo),
            1 => (0..4usize).prop_map(Op::Forget),
            2 => prop::option::of(75..=95u8).prop_map(Op::Switch),
        ],
        1..40,
    )
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .expect("time")
}

fn collection(dir: &std::path::Path) -> (Collection, Vec<CardId>) {
    let note = dir.join("note.md");
    std::fs::write(
        &note,
        "# N\n\n## A\nOne.\n\n## B\nTwo.\n\n## C\nThree.\n\n## D\nFour.\n",
    )
    .expect("note");
    let mut collection = Collection::open(&dir.join("c.sqlite3")).expect("open");
    import(
        &mut collection,
        &[note],
        &ImportOptions::default(),
        start(),
        &mut |_| {},
    )
    .expect("import");
    let ids = collection
        .reader()
        .cards(None)
        .expect("cards")
        .into_iter()
        .map(|c| c.id)
        .collect();
    (collection, ids)
}

fn scheduler(retention: Option<u8>) -> Scheduler {
    match retention {
        None => Scheduler::Sm2,
        Some(r) => Scheduler::fsrs(&FsrsConfig {
            desired_retention: f32::from(r) / 100.0,
            ..FsrsConfig::default()
        })
        .expect("fsrs"),
    }
}

/// Every card's schedule and every logged state, for comparing.
fn states(collection: &Collection) -> String {
    let reader = collection.reader();
    let mut out = format!("{:?}\n", reader.schedules().expect("schedules"));
    reader
        .for_each_review(&mut |row| {
            out.push_str(&format!(
                "{} {:?} {:?} {}\n",
                row.seq,
                row.before,
                row.after,
                row.kind.as_str()
            ));
            Ok(())
        })
        .expect("log");
    for action in reader.actions().expect("actions") {
        out.push_str(&format!("{} {:?}\n", action.seq, action.before));
    }
    out
}

fn run(collection: &mut Collection, ids: &[CardId], ops: &[Op]) {
    let mut now = start();
    for op in ops {
        let today: NaiveDate = now.date_naive();
        match op {
            Op::Answer { card, grade, later } => {
                now += Duration::days(i64::from(*later));
                let grade = Grade::new(*grade).expect("grade");
                answer(
                    collection,
                    &ids[card % ids.len()],
                    grade,
                    now,
                    now.date_naive(),
                    &AnswerOptions::default(),
                )
                .expect("answer");
            }
            Op::Undo => {
                let _ = undo(collection, now);
            }
            Op::Forget(card) => {
                act(
                    collection,
                    &[ids[card % ids.len()].clone()],
                    &Action::Forget,
                    now,
                    today,
                )
                .expect("forget");
            }
            Op::Switch(retention) => {
                set_scheduler(collection, scheduler(*retention), now, &mut |_, _| {})
                    .expect("switch");
            }
        }
        now += Duration::minutes(1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// `check` agrees after any history, and a round trip through FSRS
    /// gives back SM-2's states exactly.
    #[test]
    fn check_agrees_and_switching_back_is_the_identity(history in ops()) {
        let dir = tempfile::tempdir().expect("temp");
        let (mut collection, ids) = collection(dir.path());
        run(&mut collection, &ids, &history);
        let report = check(&collection).expect("check");
        prop_assert!(report.problems.is_empty(), "{:?}", report.problems);

        let end = start() + Duration::days(400);
        set_scheduler(&mut collection, Scheduler::Sm2, end, &mut |_, _| {}).expect("to SM-2");
        let before = states(&collection);
        set_scheduler(&mut collection, scheduler(Some(90)), end, &mut |_, _| {}).expect("to FSRS");
        let report = check(&collection).expect("check");
        prop_assert!(report.problems.is_empty(), "under FSRS: {:?}", report.problems);
        for (id, schedule) in collection.reader().schedules().expect("schedules") {
            prop_assert_eq!(schedule.due.is_some(), schedule.memory.is_some(), "card {} under FSRS", id);
        }
        set_scheduler(&mut collection, Scheduler::Sm2, end, &mut |_, _| {}).expect("back");
        prop_assert_eq!(states(&collection), before);
        prop_assert!(!states(&collection).contains("Some(Memory"), "no memory state under SM-2");
        let report = check(&collection).expect("check");
        prop_assert!(report.problems.is_empty(), "back under SM-2: {:?}", report.problems);
    }
}
