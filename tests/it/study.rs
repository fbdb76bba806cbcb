//! Custom study through the real CLI: review ahead, cram, extra new cards
//! and the cards failed today, each leaving the daily queue and its limits
//! as they were; cram answers change no schedule and `check` agrees.

use serde_json::Value;

use crate::support::{deck_of, id_of, Env};

const DAY1: &str = "2026-03-02T09:00:00Z";

fn deck_name(env: &Env) -> String {
    env.card("Q1")["deck"].as_str().expect("deck").to_owned()
}

use crate::support::queue_entries as headings;

fn pair(h: &str, q: &str) -> (String, String) {
    (h.to_owned(), q.to_owned())
}

#[test]
fn cram_changes_no_schedule_and_leaves_the_day_alone() {
    let env = deck_of(3);
    let q1 = id_of(&env, "Q1");
    env.at(DAY1, &["answer", &q1, "good"]);
    let before = env.card("Q1");
    let daily = headings(&env.at(DAY1, &["due"]));
    let cram = headings(&env.at(DAY1, &["study", "--deck", &deck_name(&env), "--cram"]));
    assert_eq!(
        cram,
        [pair("Q1", "cram"), pair("Q2", "cram"), pair("Q3", "cram")]
    );
    let answered = env.at(DAY1, &["answer", &q1, "again", "--cram"]);
    assert_eq!(answered["review"]["kind"], "cram");
    assert_eq!(env.card("Q1"), before, "the schedule is untouched");
    assert_eq!(
        headings(&env.at(DAY1, &["due"])),
        daily,
        "no repeat, no change to today"
    );
    let stats: Value =
        serde_json::from_str(&env.ok(&["--now", DAY1, "stats", "--format", "json"])).expect("json");
    assert_eq!(stats["reviews"], 2, "the cram answer is an answer");
    assert_eq!(
        stats["retention"]["all"]["answers"], 0,
        "cram is in no retention"
    );
    assert_eq!(env.json(&["check"])["ok"], true);
    // Undo takes back the cram answer like any other.
    assert_eq!(env.at(DAY1, &["undo"])["review"]["kind"], "cram");
}

#[test]
fn review_ahead_and_failed_today() {
    let env = deck_of(2);
    let (q1, q2) = (id_of(&env, "Q1"), id_of(&env, "Q2"));
    env.at(DAY1, &["answer", &q1, "good"]);
    env.at(DAY1, &["answer", &q2, "again"]);
    // Both are due tomorrow (2026-03-03): ahead by 3 days finds them.
    let ahead = headings(&env.at(DAY1, &["study", "--deck", &deck_name(&env), "--ahead", "3"]));
    assert_eq!(ahead, [pair("Q1", "ahead"), pair("Q2", "ahead")]);
    let failed = headings(&env.at(
        DAY1,
        &[
            "study",
            "--search",
            &format!("deck:\"{}\"", deck_name(&env)),
            "--failed-today",
        ],
    ));
    assert_eq!(failed, [pair("Q2", "failed")]);
    let early = env.at(DAY1, &["answer", &q1, "good", "--session", "ahead"]);
    assert_eq!(
        early["review"]["kind"], "repeat",
        "already answered today: SM-2's same-day rule"
    );
    assert_eq!(env.json(&["check"])["ok"], true);
}

#[test]
fn extra_new_cards_leave_the_daily_limit_as_it_was() {
    let env = deck_of(4);
    env.ok(&["settings", "--new-per-day", "1"]);
    assert_eq!(headings(&env.at(DAY1, &["due"])), [pair("Q1", "new")]);
    let extra = headings(&env.at(
        DAY1,
        &["study", "--deck", &deck_name(&env), "--extra-new", "2"],
    ));
    assert_eq!(
        extra,
        [pair("Q2", "new"), pair("Q3", "new")],
        "beyond today's queue"
    );
    let q2 = id_of(&env, "Q2");
    env.at(DAY1, &["answer", &q2, "good", "--session", "extra_new"]);
    assert_eq!(
        headings(&env.at(DAY1, &["due"])),
        [pair("Q1", "new")],
        "today's new card is still offered"
    );
}

#[test]
fn a_session_needs_one_kind_and_sane_numbers() {
    let env = deck_of(1);
    assert!(!env
        .run(&["study", "--deck", &deck_name(&env)])
        .status
        .success());
    assert!(!env
        .run(&[
            "study",
            "--deck",
            &deck_name(&env),
            "--cram",
            "--ahead",
            "2"
        ])
        .status
        .success());
    let out = env.run(&["study", "--deck", &deck_name(&env), "--ahead", "0"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 1 and"));
    let out = env.run(&["study", "--deck", "Nope", "--cram"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no deck named"));
    let out = env.run(&["answer", &id_of(&env, "Q1"), "good", "--session", "binge"]);
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("[possible values: ahead, extra_new, failed_today, cram]"));
}
