//! Suspend, bury, forget and tag through the real CLI: each is logged, undo
//! takes back the newest answer or action whatever its kind, `check`
//! rebuilds every card from the log, leeches are caught, and a collection
//! made by the previous release (schema 6) opens with its log intact.

use serde_json::Value;

use crate::support::{deck_of, id_of, Env};

fn queue(env: &Env, now: &str) -> Vec<String> {
    env.at(now, &["due"])
        .as_array()
        .expect("array")
        .iter()
        .map(crate::support::last_heading)
        .collect()
}

#[track_caller]
fn check_ok(env: &Env) -> Value {
    let report = env.json(&["check"]);
    assert_eq!(report["ok"], true, "{report:#}");
    report
}

const DAY1: &str = "2026-03-02T09:00:00Z";
const DAY2: &str = "2026-03-03T09:00:00Z";

#[test]
fn suspend_bury_forget_and_tag_are_logged_replayed_and_undone() {
    let env = deck_of(4);
    let (q1, q2, q3) = (id_of(&env, "Q1"), id_of(&env, "Q2"), id_of(&env, "Q3"));
    env.at(DAY1, &["answer", &q1, "good"]);

    // Suspend two cards: out of every queue, marked on the card.
    let done = env.at(DAY1, &["suspend", &q2, &q3]);
    assert_eq!(
        (done["changed"].as_u64(), done["unchanged"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(
        queue(&env, DAY1),
        ["Q4"],
        "Q1 was answered, Q2 and Q3 are suspended"
    );
    assert_eq!(env.card("Q2")["suspended"], true);
    // Suspending again changes nothing and logs nothing.
    let again = env.at(DAY1, &["suspend", &q2]);
    assert_eq!(
        (again["changed"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(1))
    );

    // Bury Q4 until tomorrow; tag Q1; forget Q1.
    env.at(DAY1, &["bury", &id_of(&env, "Q4")]);
    assert_eq!(env.card("Q4")["buried_until"], "2026-03-03");
    assert!(
        queue(&env, DAY1).is_empty(),
        "every card is answered, suspended or buried"
    );
    assert_eq!(
        queue(&env, DAY2),
        ["Q1", "Q4"],
        "the bury ends the next day; Q1 is due"
    );
    env.at(DAY1, &["tag", &q1, "--add", "#exam"]);
    assert_eq!(env.card("Q1")["user_tags"], serde_json::json!(["exam"]));
    env.at(DAY1, &["forget", &q1]);
    let q1_card = env.card("Q1");
    assert_eq!(
        (q1_card["state"].as_str(), q1_card["due"].as_str()),
        (Some("new"), None)
    );
    check_ok(&env);

    // Undo goes back one step at a time, whatever its kind.
    let undone = env.at(DAY1, &["undo"]);
    assert_eq!(undone["review"], Value::Null);
    assert_eq!(undone["actions"][0]["action"], "forget");
    assert_eq!(env.card("Q1")["due"], "2026-03-03", "the schedule is back");
    assert_eq!(env.at(DAY1, &["undo"])["actions"][0]["action"], "tag");
    assert_eq!(env.card("Q1")["user_tags"], serde_json::json!([]));
    assert_eq!(env.at(DAY1, &["undo"])["actions"][0]["action"], "bury");
    let suspension = env.at(DAY1, &["undo"]);
    assert_eq!(
        suspension["actions"].as_array().map(Vec::len),
        Some(2),
        "the selection is undone at once"
    );
    assert_eq!(env.card("Q3")["suspended"], false);
    let answer = env.at(DAY1, &["undo"]);
    assert_eq!(
        answer["review"]["card_id"],
        q1.as_str(),
        "then the answer before them"
    );
    assert!(!env.run(&["undo"]).status.success(), "nothing left to undo");
    check_ok(&env);
}

#[test]
fn an_answer_after_an_action_is_undone_first_and_check_replays_both_in_order() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    env.at(DAY1, &["answer", &q1, "good"]);
    env.at(DAY1, &["forget", &q1]);
    // Answered again the same day after being forgotten: the log holds an
    // answer, an action and an answer, and the replay must take them in
    // that order to agree.
    let relearned = env.at(DAY1, &["answer", &q1, "good"]);
    assert_eq!(
        relearned["review"]["kind"], "learn",
        "a forgotten card starts afresh, even the same day"
    );
    assert_eq!(relearned["card"]["due"], "2026-03-03");
    env.at(DAY2, &["answer", &q1, "easy"]);
    let report = check_ok(&env);
    assert_eq!(report["reviews"], 3);
    assert_eq!(report["actions"], 1);
    assert!(env.at(DAY2, &["undo"])["review"].is_object());
    assert!(env.at(DAY2, &["undo"])["review"].is_object());
    assert_eq!(env.at(DAY2, &["undo"])["actions"][0]["action"], "forget");
    check_ok(&env);
}

#[test]
fn check_finds_a_card_whose_marks_disagree_with_the_log() {
    let env = deck_of(1);
    let q1 = id_of(&env, "Q1");
    env.at(DAY1, &["suspend", &q1]);
    env.sql()
        .execute("UPDATE cards SET suspended = 0", [])
        .expect("tamper");
    let out = env.run(&["check"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("marks"), "{text}");
}

#[test]
fn actions_on_unknown_or_retired_cards_change_nothing() {
    let env = deck_of(2);
    let (q1, q2) = (id_of(&env, "Q1"), id_of(&env, "Q2"));
    let out = env.run(&["suspend", &q1, "no-such-card"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no card with id `no-such-card`"));
    assert_eq!(
        env.card("Q1")["suspended"],
        false,
        "the whole selection failed"
    );
    // Q2 leaves its note: it is retired, and cannot be suspended.
    env.write("deck.md", "# Deck\n## Q1\nAnswer 1.\n");
    env.import_notes();
    let out = env.run(&["bury", &q2]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("retired"),
        "{out:?}"
    );
    let out = env.run(&["tag", &q1, "--add", "two words"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a tag"));
    assert!(!env.run(&["undo"]).status.success(), "nothing was logged");
}

#[test]
fn a_leech_is_tagged_and_suspended_once_and_undo_takes_it_back_with_its_answer() {
    let env = deck_of(1);
    let q1 = id_of(&env, "Q1");
    env.ok(&["settings", "--leech-threshold", "2"]);
    // Learn, lapse, learn, lapse: the second lapse makes a leech.
    let days = [
        "2026-03-02",
        "2026-03-03",
        "2026-03-04",
        "2026-03-05",
        "2026-03-06",
        "2026-03-07",
    ];
    let mut answers = Vec::new();
    for (day, grade) in days
        .iter()
        .zip(["good", "good", "again", "good", "good", "again"])
    {
        let due = env.card("Q1")["due"].as_str().map(str::to_owned);
        let when = format!("{}T09:00:00Z", due.as_deref().unwrap_or(day));
        answers.push(env.at(&when, &["answer", &q1, grade]));
    }
    let card = env.card("Q1");
    assert_eq!(card["lapses"], 2, "{card:#}");
    assert_eq!(
        (card["leech"].as_bool(), card["suspended"].as_bool()),
        (Some(true), Some(true))
    );
    let flags: Vec<bool> = answers.iter().map(|a| a["became_leech"] == true).collect();
    assert_eq!(
        flags,
        [false, false, false, false, false, true],
        "said once"
    );
    check_ok(&env);
    // Undo takes the answer back with the leech's tag and suspension.
    let undone = env.json(&["undo"]);
    assert_eq!(undone["actions"].as_array().map(Vec::len), Some(2));
    let card = env.card("Q1");
    assert_eq!(
        (
            card["leech"].as_bool(),
            card["suspended"].as_bool(),
            card["lapses"].as_i64()
        ),
        (Some(false), Some(false), Some(1))
    );
    check_ok(&env);
    // Only tagging is a setting.
    env.ok(&["settings", "--leech-action", "tag"]);
    let due = env.card("Q1")["due"].as_str().expect("due").to_owned();
    env.at(&format!("{due}T09:00:00Z"), &["answer", &q1, "again"]);
    let card = env.card("Q1");
    assert_eq!(
        (card["leech"].as_bool(), card["suspended"].as_bool()),
        (Some(true), Some(false))
    );
    check_ok(&env);
}

#[test]
fn statistics_list_leeches_by_lapses_in_their_deck_and_tag() {
    let env = deck_of(3);
    let q1 = id_of(&env, "Q1");
    let q2 = id_of(&env, "Q2");
    env.ok(&[
        "settings",
        "--leech-threshold",
        "1",
        "--leech-action",
        "tag",
    ]);
    // Q1 lapses twice and Q2 once; Q3 is tagged leech by hand, no lapse.
    let answers = [
        ("Q1", &q1, &["good", "good", "again", "good", "again"][..]),
        ("Q2", &q2, &["good", "good", "again"][..]),
    ];
    for (heading, card, grades) in answers {
        for (i, grade) in grades.iter().enumerate() {
            let due = env.card(heading)["due"].as_str().map(str::to_owned);
            let day = due.unwrap_or_else(|| format!("2026-03-0{}", i + 1));
            env.at(&format!("{day}T09:00:00Z"), &["answer", card, grade]);
        }
    }
    let q3 = id_of(&env, "Q3");
    env.ok(&["tag", &q3, "--add", "leech"]);
    env.ok(&["tag", &q2, "--add", "exam/part"]);
    let leeches = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["--now", "2026-06-01T09:00:00Z", "stats", "--format", "json"];
        all.extend_from_slice(args);
        let stats: Value = serde_json::from_str(&env.ok(&all)).expect("json");
        stats["leeches"]
            .as_array()
            .expect("leeches")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(leeches(&[]), [q1.clone(), q2.clone(), q3.clone()]);
    assert_eq!(leeches(&["--deck", "Deck"]), [q1.clone(), q2.clone(), q3]);
    assert_eq!(leeches(&["--tag", "exam"]), [q2], "a tag under it counts");
    assert!(leeches(&["--tag", "other"]).is_empty());
}

#[test]
fn a_collection_of_the_previous_release_opens_with_its_history() {
    // Made by notedeck at schema 6 (before actions): the sample decks
    // imported, nine answers over six cards.
    let env = Env::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/collections/schema6.db");
    std::fs::copy(&fixture, env.db()).expect("copy the old collection");
    let report = check_ok(&env);
    assert_eq!(
        (report["reviews"].as_i64(), report["cards"].as_i64()),
        (Some(9), Some(52))
    );
    let version: i64 = env
        .sql()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert!(version >= 7, "migrated to {version}");
    let cards = env.cards();
    assert!(cards
        .iter()
        .all(|c| c["suspended"] == false && c["leech"] == false));
    let answered: Vec<&Value> = cards.iter().filter(|c| c["due"].is_string()).collect();
    assert_eq!(answered.len(), 6, "every answered card keeps its schedule");
    // The migrated log takes new answers and actions, and undo reaches
    // back into the old answers.
    let id = answered[0]["id"].as_str().expect("id");
    env.at(DAY1, &["suspend", id]);
    assert_eq!(env.json(&["undo"])["actions"][0]["action"], "suspend");
    assert!(env.json(&["undo"])["review"].is_object());
    check_ok(&env);
}
