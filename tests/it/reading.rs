//! Reading cards: sections too long to answer are read in full and
//! scheduled for re-reading, apart from flashcards, and keep their ids and
//! history when they grow or shrink past the limit.

use crate::support::{id_of, shared_notes, Env};
use serde_json::Value;

/// A paragraph of about `sentences` × 50 characters, in the project's own
/// words.
fn prose(sentences: usize) -> String {
    "Tides rise and fall twice a day as the moon pulls the sea. ".repeat(sentences)
}

fn kind_of(env: &Env, heading: &str) -> String {
    env.card(heading)["kind"].as_str().expect("kind").to_owned()
}

#[test]
fn long_sections_become_reading_cards_kept_apart_and_after_flashcards() {
    let env = Env::new();
    env.write(
        "sea.md",
        format!(
            "# Sea\n\n## Short\nThe moon pulls the sea.\n\n## Long essay\n{}\n\n## Another long one\n{}\n",
            prose(20),
            prose(30)
        ),
    );
    env.import_notes();
    assert_eq!(kind_of(&env, "Short"), "section");
    assert_eq!(kind_of(&env, "Long essay"), "reading");
    // The deck list counts reading cards apart.
    let decks = env.json(&["decks"]);
    let sea = &decks[0];
    assert_eq!(
        (sea["new"].as_i64(), sea["reading"].as_i64()),
        (Some(1), Some(2)),
        "{decks:#}"
    );
    // `due` lists reading cards after every flashcard, with Hard, Good and
    // Easy moving the next reading closer or further.
    let due = env.at("2026-03-01T09:00:00Z", &["due"]);
    let kinds: Vec<&str> = due
        .as_array()
        .expect("queue")
        .iter()
        .map(|c| c["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, ["section", "reading", "reading"], "{due:#}");
    assert_eq!(due[1]["intervals"], serde_json::json!([1, 1, 3, 7]));

    // Reading is not recall: logged as `read`, in no retention figure.
    let long = id_of(&env, "Long essay");
    let read = env.at("2026-03-01T09:01:00Z", &["answer", &long, "good"]);
    assert_eq!(read["review"]["kind"], "read", "{read:#}");
    assert_eq!(read["card"]["due"], "2026-03-04");
    let short = id_of(&env, "Short");
    env.at("2026-03-01T09:02:00Z", &["answer", &short, "good"]);
    let stats: Value = serde_json::from_str(&env.ok(&[
        "--now",
        "2026-03-01T10:00:00Z",
        "stats",
        "--days",
        "1",
        "--format",
        "json",
    ]))
    .expect("stats JSON");
    let day = &stats["days"][0];
    assert_eq!(day["by_kind"]["read"], 1, "{day:#}");
    assert_eq!(day["new_learned"], 1, "only the flashcard was learned");
    // The reading limit: with 1 a day, the second reading card waits.
    env.ok(&["settings", "--reading-per-day", "1"]);
    let due = env.at("2026-03-01T10:00:00Z", &["due"]);
    assert_eq!(due.as_array().expect("queue").len(), 0, "{due:#}");
    let check = env.json(&["check"]);
    assert_eq!(check["problems"], serde_json::json!([]), "{check:#}");
}

#[test]
fn a_section_keeps_its_id_and_history_as_it_grows_into_a_reading_card_and_back() {
    let env = Env::new();
    let note = |body: &str| format!("# Sea\n\n## Tides\n{body}\n\n## Moon\nIt pulls.\n");
    env.write("sea.md", note("The moon pulls the sea twice a day."));
    env.import_notes();
    let id = id_of(&env, "Tides");
    env.at("2026-03-01T09:00:00Z", &["answer", &id, "good"]);
    env.write("sea.md", note(&prose(20)));
    env.import_notes();
    let card = env.card("Tides");
    assert_eq!(
        (card["id"].as_str(), card["kind"].as_str()),
        (Some(id.as_str()), Some("reading"))
    );
    assert_eq!(card["repetitions"], 1, "its history stays: {card:#}");
    env.at("2026-03-02T09:00:00Z", &["answer", &id, "easy"]);
    // Back to a short section: a flashcard again, same id, both answers kept.
    env.write("sea.md", note("The moon pulls the sea, twice a day."));
    env.import_notes();
    let card = env.card("Tides");
    assert_eq!(
        (card["id"].as_str(), card["kind"].as_str()),
        (Some(id.as_str()), Some("section"))
    );
    let sql = env.sql();
    let mut stmt = sql
        .prepare("SELECT kind FROM review_log WHERE card_id = ?1 ORDER BY seq")
        .expect("query");
    let kinds: Vec<String> = stmt
        .query_map([&id], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("kinds");
    assert_eq!(kinds, ["learn", "read"]);
    // The log replays under SM-2 and FSRS alike.
    env.ok(&["settings", "--scheduler", "fsrs"]);
    let check = env.json(&["check"]);
    assert_eq!(check["problems"], serde_json::json!([]), "{check:#}");
}

#[test]
fn reading_cards_turn_off_and_the_doctor_can_choose_them() {
    let env = Env::new();
    // Twelve short facts: too many for one card, short enough to stay one.
    let facts = "The sea has a tide. ".repeat(12);
    env.write(
        "sea.md",
        format!(
            "# Sea\n\n## Long essay\n{}\n\n## Listy\n{facts}\n",
            prose(20)
        ),
    );
    env.ok(&["settings", "--reading-per-day", "0"]);
    env.import_notes();
    assert_eq!(
        kind_of(&env, "Long essay"),
        "section",
        "off: long sections are flashcards"
    );
    env.ok(&["settings", "--reading-per-day", "5"]);
    env.import_notes();
    assert_eq!(
        kind_of(&env, "Long essay"),
        "reading",
        "on again at the next import"
    );
    // "Review as reading", through the API the doctor's button calls: the
    // choice is kept across imports.
    let listy = id_of(&env, "Listy");
    let findings = env.json(&["doctor"]);
    assert!(
        findings
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["card_id"] == listy.as_str() && f["rule"] == "too_long"),
        "{findings:#}"
    );
    let mut service = notedeck_api::Service::open(&env.db()).expect("open");
    let now = chrono::Utc::now();
    let chosen = service
        .review_as_reading(
            &notedeck_api::ReadingRequest {
                card_ids: vec![listy.clone()],
                reading: true,
            },
            now,
        )
        .expect("choose");
    assert_eq!(chosen.changed, std::slice::from_ref(&listy));
    drop(service);
    env.write(
        "sea.md",
        format!(
            "# Sea\n\n## Long essay\n{}\n\n## Listy\n{facts} More.\n",
            prose(20)
        ),
    );
    env.import_notes();
    assert_eq!(
        kind_of(&env, "Listy"),
        "reading",
        "the choice outlives an edit"
    );
    let findings: Value = env.json(&["doctor"]);
    assert!(
        findings
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| f["card_id"] != listy.as_str()),
        "{findings:#}"
    );
}

#[test]
fn on_the_shared_notes_no_flashcard_is_too_long_to_answer() {
    let env = Env::new();
    let notes = shared_notes();
    env.json(&["import", notes.to_str().expect("path")]);
    let cards = env.cards();
    let reading = cards.iter().filter(|c| c["kind"] == "reading").count();
    assert!(reading >= 5, "long passages are reading cards: {reading}");
    let findings = env.json(&["doctor"]);
    let long: Vec<&Value> = findings
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["rule"] == "too_long"
                && f["value"].as_f64().unwrap_or(0.0) > f["threshold"].as_f64().unwrap_or(0.0)
                && f["threshold"] == 800.0
        })
        .collect();
    assert!(
        long.is_empty(),
        "flashcards over the too_long length: {long:#?}"
    );
}

#[test]
fn the_terminal_review_shows_a_reading_card_in_full_and_takes_hard_good_easy() {
    use std::io::Write;
    let env = Env::new();
    env.write(
        "sea.md",
        format!(
            "# Sea\n\n## Short\nThe moon pulls the sea.\n\n## Long essay\n{}\n",
            prose(20)
        ),
    );
    env.import_notes();
    let mut child = env.spawn_review("2026-03-01T09:00:00Z");
    let mut stdin = child.stdin.take().expect("stdin");
    // The flashcard: Space, then Good. The reading card: no Space; 1 is
    // not one of its keys, 4 (Easy) is.
    stdin.write_all(b" 314").expect("keys");
    drop(stdin);
    let out = child.wait_with_output().expect("review");
    let screen = String::from_utf8_lossy(&out.stdout);
    assert!(
        screen.contains("[2] Hard (1d)  [3] Good (3d)  [4] Easy (7d)"),
        "{screen}"
    );
    assert!(
        !screen.contains("[1] Again (1d)  [2] Hard (1d)  [3] Good (3d)"),
        "{screen}"
    );
    let sql = env.sql();
    let kinds: Vec<(String, i64)> = sql
        .prepare("SELECT kind, grade FROM review_log ORDER BY seq")
        .expect("query")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("kinds");
    assert_eq!(kinds, [("learn".to_owned(), 4), ("read".to_owned(), 5)]);
}
