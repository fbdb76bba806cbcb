//! The kept totals against a count of every answer: the statistics are
//! the same whichever way the log is counted, after answers, an undo, a
//! note moved to another deck and a scheduler switch.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

use crate::import::{import, ImportOptions};
use crate::model::CardId;
use crate::review::{self, AnswerOptions};
use crate::scheduler::{Grade, Scheduler};
use crate::stats::{compute_counting, Counting};
use crate::storage::{Collection, Scope};

const TODAY: (i32, u32, u32) = (2026, 6, 1);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("day")
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(TODAY.0, TODAY.1, TODAY.2, 9, 0, 0)
        .unwrap()
}

/// Three notes in two folders (decks), with a simulated year of answers.
pub(crate) fn collection(dir: &std::path::Path) -> Collection {
    for (path, title) in [
        ("a/one.md", "One"),
        ("a/two.md", "Two"),
        ("b/three.md", "Three"),
    ] {
        let file = dir.join("notes").join(path);
        std::fs::create_dir_all(file.parent().expect("folder")).expect("folder");
        let sections: String = (0..6)
            .map(|i| format!("## {title} {i}\nAnswer {i} of {title}.\n"))
            .collect();
        std::fs::write(file, format!("# {title}\n{sections}")).expect("note");
    }
    let mut collection = Collection::open(&dir.join("c.sqlite3")).expect("open");
    import_notes(&mut collection, dir, &ImportOptions::default());
    crate::fixtures::simulate_history(&mut collection, 400, today(), 7).expect("history");
    collection
}

fn import_notes(collection: &mut Collection, dir: &std::path::Path, options: &ImportOptions) {
    import(
        collection,
        &[dir.join("notes")],
        options,
        now(),
        &mut |_| {},
    )
    .expect("import");
}

/// The statistics both ways over several ranges ending on several days.
pub(crate) fn assert_counted_alike(collection: &Collection, when: &str) {
    // Each card's deck looked up answer by answer, or (every other range,
    // starting either way) from the pass over the cards.
    let mut known_decks = when.len().is_multiple_of(2);
    for end in [today(), today() - Days::new(40), today() + Days::new(3)] {
        for days in [1, 7, 30, 200, 365, 1000] {
            known_decks = !known_decks;
            let from = if known_decks { 0 } else { i64::MAX };
            super::TEST_KNOWN_DECKS_FROM.with(|c| c.set(Some(from)));
            let kept = compute_counting(collection, Scope::default(), end, days, Counting::Kept)
                .expect("kept");
            let every = compute_counting(
                collection,
                Scope::default(),
                end,
                days,
                Counting::EveryAnswer,
            )
            .expect("every answer");
            // Not assert_eq: a whole year of statistics is too long to read.
            assert!(
                kept == every,
                "{when}: {days} days to {end} (known decks: {known_decks}) differ; \
                 decks {:?} against {:?}",
                kept.decks,
                every.decks
            );
        }
    }
    assert_eq!(
        super::problems(collection).expect("check"),
        Vec::<String>::new(),
        "{when}"
    );
}

fn mark(collection: &Collection) -> i64 {
    collection
        .reader()
        .review_totals_counted_upto()
        .expect("mark")
}

fn answer(collection: &mut Collection, card: &CardId, grade: u8, hours: i64) {
    let at = now() + chrono::Duration::hours(hours);
    review::answer(
        collection,
        card,
        Grade::new(grade).expect("grade"),
        at,
        today(),
        &AnswerOptions::default(),
    )
    .expect("answer");
}

#[test]
fn kept_totals_count_as_every_answer_does() {
    let dir = tempfile::tempdir().expect("dir");
    let mut collection = collection(dir.path());
    let last = collection.reader().last_review_seq().expect("last");
    assert!(last > 300, "a history to count");
    assert_eq!(mark(&collection), 0, "nothing counted before statistics");
    assert_counted_alike(&collection, "first statistics");
    assert_eq!(
        mark(&collection),
        last,
        "the first statistics keep their count"
    );

    // Answers land above the mark: the totals stay, the next statistics
    // count only them.
    let cards = collection.reader().active_card_ids().expect("cards");
    for (i, card) in cards.iter().take(5).enumerate() {
        answer(&mut collection, card, [1, 3, 4, 5, 2][i], i as i64);
    }
    assert_eq!(mark(&collection), last, "an answer keeps the totals");
    assert_counted_alike(&collection, "after five answers");
    assert_eq!(mark(&collection), last + 5);

    // An undo takes back a counted answer: the totals are forgotten.
    review::undo(&mut collection, now() + chrono::Duration::hours(6)).expect("undo");
    assert_eq!(
        mark(&collection),
        0,
        "an undo of a counted answer forgets the totals"
    );
    assert_counted_alike(&collection, "after an undo");

    // Every note of the folder into one deck: answered cards change deck.
    let counted = mark(&collection);
    assert!(counted > 0);
    let options = ImportOptions {
        deck: Some("Elsewhere".to_owned()),
        ..ImportOptions::default()
    };
    import_notes(&mut collection, dir.path(), &options);
    assert_eq!(
        mark(&collection),
        0,
        "a note moved to another deck forgets the totals"
    );
    assert_counted_alike(&collection, "after the notes moved deck");

    // A switch of scheduler rewrites every answer's states.
    let fsrs = crate::scheduler::fsrs::Fsrs::new(&Default::default()).expect("fsrs");
    crate::switch::set_scheduler(
        &mut collection,
        Scheduler::Fsrs(Box::new(fsrs)),
        now() + chrono::Duration::hours(7),
        &mut |_, _| {},
    )
    .expect("switch");
    assert_eq!(mark(&collection), 0, "a switch forgets the totals");
    assert_counted_alike(&collection, "after a switch to FSRS");
}

#[test]
fn a_read_only_collection_counts_without_keeping() {
    let dir = tempfile::tempdir().expect("dir");
    let collection = collection(dir.path());
    let path = collection.path().to_owned();
    drop(collection);
    let read_only = Collection::open_read_only(&path).expect("read only");
    let counted = super::current(&read_only, None).expect("counted");
    assert_eq!(
        counted.upto,
        read_only.reader().last_review_seq().expect("last")
    );
    assert_eq!(
        counted.totals.days.values().map(|d| d.reviews).sum::<i64>(),
        counted.upto,
        "every answer counted"
    );
    assert_eq!(mark(&read_only), 0, "nothing written");
}

#[test]
fn statistics_do_not_wait_for_a_writer() {
    let dir = tempfile::tempdir().expect("dir");
    let collection = collection(dir.path());
    // An import (another connection) holds the write lock until the
    // statistics are done, or gives up after 30 s (the collection's busy
    // timeout is 120 s): the statistics must not wait for it.
    let (locked, is_locked) = std::sync::mpsc::channel();
    let (done, is_done) = std::sync::mpsc::channel::<()>();
    let path = collection.path().to_owned();
    let writer = std::thread::spawn(move || {
        let other = rusqlite::Connection::open(path).expect("open");
        other.execute_batch("BEGIN IMMEDIATE").expect("lock");
        locked.send(()).expect("say locked");
        let waited_for = is_done.recv_timeout(std::time::Duration::from_secs(30));
        other.execute_batch("COMMIT").expect("unlock");
        waited_for.is_ok()
    });
    is_locked.recv().expect("locked");
    assert_counted_alike(&collection, "beside a writer");
    assert_eq!(mark(&collection), 0, "nothing kept while the lock was held");
    done.send(()).expect("done");
    assert!(
        writer.join().expect("writer"),
        "the statistics waited for the writer"
    );
    assert_counted_alike(&collection, "after the writer");
    assert!(mark(&collection) > 0);
}
