//! Work that must not grow with the collection, counted (never timed).
//!
//! A big first import writes its pages once (through a rollback journal,
//! see `Collection::begin_bulk_write`) when it is alone on the collection;
//! every other import goes through the WAL. Seen from the WAL file while
//! the collection stays open: a write through the WAL leaves its frames
//! there (a checkpoint copies them but does not shorten the file).
//!
//! An answer asks whether its card was answered today; SQLite's steps for
//! that are counted with the day's answers many. The pages a review writes
//! are counted from the WAL's frames.

use std::path::Path;

use chrono::{TimeZone, Utc};

use crate::import::{import, ImportOptions, BULK_FILES};
use crate::model::CardId;
use crate::storage::Collection;

/// Writes `n` notes of two sections each into `folder`.
fn write_notes(folder: &Path, n: usize) {
    std::fs::create_dir_all(folder).expect("folder");
    for i in 0..n {
        std::fs::write(
            folder.join(format!("n{i:04}.md")),
            format!("# Note {i}\n## A {i}\nText {i}.\n## B {i}\nMore {i}.\n"),
        )
        .expect("write note");
    }
}

fn import_folder(collection: &mut Collection, folder: &Path) {
    let now = Utc.with_ymd_and_hms(2026, 6, 1, 9, 0, 0).unwrap();
    import(
        collection,
        &[folder.to_owned()],
        &ImportOptions::default(),
        now,
        &mut |_| {},
    )
    .expect("import");
}

fn wal_bytes(db: &Path) -> u64 {
    std::fs::metadata(format!("{}-wal", db.display())).map_or(0, |m| m.len())
}

/// The journal mode and the number of cards, read on a connection of
/// their own.
fn mode_and_cards(db: &Path) -> (String, i64) {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mode = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .expect("journal mode");
    let cards = conn
        .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
        .expect("cards");
    (mode, cards)
}

/// A collection (in `dir`) of `n` imported notes of two sections each.
fn imported(dir: &Path, n: usize) -> Collection {
    let mut collection = Collection::open(&dir.join("c.sqlite3")).expect("open");
    write_notes(&dir.join("notes"), n);
    import_folder(&mut collection, &dir.join("notes"));
    collection
}

/// The day the answer tests answer on.
fn answer_day() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 2, 9, 0, 0).unwrap()
}

/// Answers each of `ids` Good on [`answer_day`].
fn answer_good<'a>(collection: &mut Collection, ids: impl IntoIterator<Item = &'a CardId>) {
    answer_good_at(collection, ids, answer_day());
}

/// Answers each of `ids` Good at `now`.
fn answer_good_at<'a>(
    collection: &mut Collection,
    ids: impl IntoIterator<Item = &'a CardId>,
    now: chrono::DateTime<Utc>,
) {
    for id in ids {
        crate::review::answer(
            collection,
            id,
            crate::scheduler::Grade::GOOD,
            now,
            now.date_naive(),
            &crate::review::AnswerOptions::default(),
        )
        .expect("answer");
    }
}

#[test]
fn a_big_first_import_alone_writes_around_the_wal_and_later_ones_through_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite3");
    let mut collection = Collection::open(&db).expect("open");
    write_notes(&dir.path().join("first"), BULK_FILES);
    import_folder(&mut collection, &dir.path().join("first"));
    assert!(wal_bytes(&db) < 4096, "{} bytes in the WAL", wal_bytes(&db));
    let cards = 2 * BULK_FILES as i64;
    assert_eq!(mode_and_cards(&db), ("wal".to_owned(), cards));

    write_notes(&dir.path().join("second"), BULK_FILES);
    import_folder(&mut collection, &dir.path().join("second"));
    assert!(
        wal_bytes(&db) > 64 * 1024,
        "the second import went around the WAL"
    );
    assert_eq!(mode_and_cards(&db), ("wal".to_owned(), 2 * cards));
}

#[test]
fn a_small_first_import_and_one_beside_another_connection_go_through_the_wal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite3");
    let mut collection = Collection::open(&db).expect("open");
    write_notes(&dir.path().join("small"), BULK_FILES - 1);
    import_folder(&mut collection, &dir.path().join("small"));
    assert!(
        wal_bytes(&db) > 64 * 1024,
        "a small import went around the WAL"
    );

    let db = dir.path().join("beside.sqlite3");
    let mut collection = Collection::open(&db).expect("open");
    let other = Collection::open(&db).expect("another connection");
    write_notes(&dir.path().join("big"), BULK_FILES);
    import_folder(&mut collection, &dir.path().join("big"));
    assert!(wal_bytes(&db) > 64 * 1024, "the import went around the WAL");
    drop(other);
    assert_eq!(
        mode_and_cards(&db),
        ("wal".to_owned(), 2 * BULK_FILES as i64)
    );
}

/// Whether a card was answered today is read from the card's own answers,
/// however many answers the day already has (it walked all of them, a
/// third of an answer's work after a few hundred).
#[test]
fn whether_a_card_was_answered_today_reads_its_own_answers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut collection = imported(dir.path(), 150);
    let ids = collection.reader().active_card_ids().expect("ids");
    answer_good(&mut collection, &ids[1..]);
    let today = answer_day().date_naive();
    assert!(!collection
        .reader()
        .answered_on(&ids[0], today)
        .expect("ask"));
    assert!(collection
        .reader()
        .answered_on(&ids[1], today)
        .expect("ask"));
    let steps = collection
        .conn
        .prepare_cached(super::reviews::ANSWERED_ON_SQL)
        .expect("the same statement")
        .get_status(rusqlite::StatementStatus::VmStep);
    assert!(steps < 200, "{steps} steps for two questions");
}

/// New cards come in note order whether the first notes walked in order
/// hold enough of them or every new card is sorted: the same cards as the
/// sort alone, with all new, the first notes studied, new cards scattered,
/// and a deck of its own.
#[test]
fn new_cards_in_note_order_whichever_way_they_are_found() {
    use crate::storage::{Pick, Scope};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut collection = imported(dir.path(), 30);
    let today = answer_day().date_naive();
    let day = crate::day::format_day(today);
    let ids = |cards: Vec<crate::storage::CardRow>| -> Vec<String> {
        cards.into_iter().map(|c| c.id.to_string()).collect()
    };
    let check = |collection: &Collection, what: &str| {
        let reader = collection.reader();
        for deck in [None, Some("notes::Note 7")] {
            let scope = Scope { deck, tag: None };
            let sorted = reader
                .new_cards_after_walking(scope, &day, 6, None, Pick::Flashcards, 0)
                .expect("sorted");
            assert!(
                what != "all new" || !sorted.is_empty(),
                "{deck:?} has new cards"
            );
            for first_notes in [1, 5, 29, 30, 31, 100] {
                let walked = reader
                    .new_cards_after_walking(scope, &day, 6, None, Pick::Flashcards, first_notes)
                    .expect("walked");
                assert_eq!(
                    ids(walked),
                    ids(sorted.clone()),
                    "{what}, {deck:?}, {first_notes}"
                );
            }
        }
    };
    check(&collection, "all new");
    // Study the first ten notes' cards, then every third card.
    let all: Vec<_> = collection
        .reader()
        .new_cards_after_walking(Scope::default(), &day, 1_000, None, Pick::Flashcards, 0)
        .expect("all");
    assert_eq!(all.len(), 60);
    answer_good(&mut collection, all[..20].iter().map(|c| &c.id));
    check(&collection, "first notes studied");
    answer_good(&mut collection, all[20..].iter().step_by(3).map(|c| &c.id));
    check(&collection, "scattered");
}

/// Today's new reading cards are looked for in the reading cards' own
/// index: in a vault of flashcards alone that is no work, where walking
/// the notes and then sorting every new card read them all.
#[test]
fn new_reading_cards_are_not_looked_for_among_flashcards() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    use crate::storage::{Pick, Scope};
    let dir = tempfile::tempdir().expect("temp dir");
    let mut collection = imported(dir.path(), 150);
    let day = crate::day::format_day(answer_day().date_naive());
    let flashcards = collection
        .reader()
        .new_cards_after_walking(Scope::default(), &day, 1_000, None, Pick::Flashcards, 5)
        .expect("flashcards");
    assert_eq!(flashcards.len(), 300);
    // SQLite's virtual machine steps, counted in tens.
    let tens = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&tens);
    collection
        .conn
        .progress_handler(
            10,
            Some(move || {
                counter.fetch_add(1, Ordering::Relaxed);
                false
            }),
        )
        .expect("count steps");
    let reading = collection
        .reader()
        .new_cards_after_walking(Scope::default(), &day, 20, None, Pick::Reading, 5)
        .expect("reading");
    collection
        .conn
        .progress_handler(0, None::<fn() -> bool>)
        .expect("stop counting");
    assert!(reading.is_empty());
    let steps = tens.load(Ordering::Relaxed) * 10;
    assert!(steps < 300, "{steps} steps for no reading cards");
}

/// A review moves its card in one index of due cards (schema 31: SM-2's
/// walk and FSRS's pick share it), so it writes the card's row, its
/// places in the browser's and the due index, and the log's row with its
/// three indexes: eight pages, counted from the WAL's frames.
#[test]
fn a_review_writes_eight_pages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("c.sqlite3");
    let mut collection = imported(dir.path(), 150);
    let ids = collection.reader().active_card_ids().expect("ids");
    answer_good(&mut collection, &ids);
    // Good again on the day the cards are due: reviews, not new cards.
    let due = Utc.with_ymd_and_hms(2026, 6, 3, 9, 0, 0).unwrap();
    collection
        .conn
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("empty the WAL");
    const PROBE: usize = 4;
    answer_good_at(&mut collection, ids.iter().step_by(37).take(PROBE), due);
    let page: i64 = collection
        .conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .expect("page size");
    let frames = wal_bytes(&db).saturating_sub(32) / (page as u64 + 24);
    assert_eq!(frames, 8 * PROBE as u64, "pages written by {PROBE} reviews");
}
