//! Learning steps (an option; none by default): new and lapsed cards come
//! back within the day at the steps' times, then the scheduler takes over;
//! the log replays them, under SM-2 and FSRS alike, and undo takes them
//! back.

use crate::support::{deck_of, id_of};

fn queue_of(env: &crate::support::Env, now: &str) -> Vec<(String, String)> {
    env.at(now, &["due"])
        .as_array()
        .expect("queue")
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_owned(),
                c["queue"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[test]
fn new_cards_go_through_the_steps_then_the_scheduler_takes_over() {
    let env = deck_of(2);
    env.ok(&[
        "settings",
        "--learning-steps",
        "1m 10m",
        "--relearning-steps",
        "10m",
    ]);
    let q1 = id_of(&env, "Q1");
    let due = env.at("2026-03-01T09:00:00Z", &["due"]);
    assert_eq!(
        due[0]["step_seconds"],
        serde_json::json!([60, 330, 600, null]),
        "{due:#}"
    );
    env.at("2026-03-01T09:00:00Z", &["answer", &q1, "good"]);
    // Shown again at 09:10 (within the learn-ahead 20 minutes it waits last).
    let queue = queue_of(&env, "2026-03-01T09:05:00Z");
    assert_eq!(
        queue.last(),
        Some(&(q1.clone(), "learning".to_owned())),
        "{queue:?}"
    );
    let queue = queue_of(&env, "2026-03-01T09:10:00Z");
    assert_eq!(
        queue.first(),
        Some(&(q1.clone(), "learning".to_owned())),
        "{queue:?}"
    );
    // Good at the last step graduates: SM-2's interval (set by the day's
    // first answer) is in force.
    let answered = env.at("2026-03-01T09:10:00Z", &["answer", &q1, "good"]);
    assert_eq!(answered["card"]["due"], "2026-03-02");
    assert!(queue_of(&env, "2026-03-01T09:40:00Z")
        .iter()
        .all(|(id, _)| *id != q1));
    // A lapse the next day takes the relearning step.
    env.at("2026-03-02T09:00:00Z", &["answer", &q1, "again"]);
    let queue = queue_of(&env, "2026-03-02T09:10:00Z");
    assert_eq!(
        queue.first(),
        Some(&(q1.clone(), "learning".to_owned())),
        "{queue:?}"
    );
    env.at("2026-03-02T09:10:00Z", &["answer", &q1, "good"]);
    assert!(queue_of(&env, "2026-03-02T09:30:00Z")
        .iter()
        .all(|(id, _)| *id != q1));
    // The log replays the steps, under SM-2 and under FSRS.
    assert_eq!(env.json(&["check"])["problems"], serde_json::json!([]));
    env.ok(&["settings", "--scheduler", "fsrs"]);
    assert_eq!(env.json(&["check"])["problems"], serde_json::json!([]));
    env.ok(&["settings", "--scheduler", "sm2"]);
    assert_eq!(env.json(&["check"])["problems"], serde_json::json!([]));
}

#[test]
fn undo_puts_a_card_back_in_its_step_and_no_steps_leave_sm2_alone() {
    let env = deck_of(2);
    let q1 = id_of(&env, "Q1");
    // No steps (the default): no step previews, SM-2's same-day repeat.
    let due = env.at("2026-03-01T09:00:00Z", &["due"]);
    assert_eq!(
        due[0]["step_seconds"],
        serde_json::json!([null, null, null, null])
    );
    env.ok(&["settings", "--learning-steps", "1m 10m"]);
    env.at("2026-03-01T09:00:00Z", &["answer", &q1, "again"]);
    env.at("2026-03-01T09:01:00Z", &["answer", &q1, "good"]);
    env.ok(&["undo"]);
    // Back at step 0, due at 09:01.
    let queue = queue_of(&env, "2026-03-01T09:01:00Z");
    assert_eq!(
        queue.first(),
        Some(&(q1.clone(), "learning".to_owned())),
        "{queue:?}"
    );
    assert_eq!(env.json(&["check"])["problems"], serde_json::json!([]));
    let bad = env.run(&["settings", "--learning-steps", "2d"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--learning-steps: `2d`"));
}

#[test]
fn a_deck_has_steps_of_its_own_or_none() {
    let env = crate::support::Env::new();
    env.write("drills/Verbs.md", "# Verbs\n\n## Go\nwent\n");
    env.write("exams/Dates.md", "# Dates\n\n## Moon landing\n1969\n");
    env.import_notes();
    env.ok(&["settings", "--learning-steps", "1m 10m"]);
    let shown = env.json(&["settings", "--deck", "Dates", "--learning-steps", ""]);
    assert_eq!(shown["own"]["learning_steps"], "", "{shown:#}");
    let due = env.at("2026-03-01T09:00:00Z", &["due"]);
    for card in due.as_array().expect("queue") {
        let steps = &card["step_seconds"];
        if card["deck"].as_str().unwrap_or("").ends_with("Dates") {
            assert_eq!(
                *steps,
                serde_json::json!([null, null, null, null]),
                "{card:#}"
            );
        } else {
            assert_eq!(*steps, serde_json::json!([60, 330, 600, null]), "{card:#}");
        }
    }
    let bad = env.run(&["settings", "--deck", "Verbs", "--relearning-steps", "ten"]);
    assert!(!bad.status.success());
}
