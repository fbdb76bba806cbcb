//! Options per deck through the real CLI: daily limits inherited by
//! sub-decks and capping the queue, a random new-card order fixed for the
//! day, and a maximum interval that `check` replays from the log.

use serde_json::Value;

use crate::support::Env;

const DAY1: &str = "2026-03-02T09:00:00Z";

fn env_with(notes: &[(&str, usize)]) -> Env {
    let env = Env::new();
    for (folder, n) in notes {
        let mut text = format!("# {folder}\n");
        for i in 1..=*n {
            text.push_str(&format!("## {folder} Q{i}\nAnswer {i}.\n"));
        }
        env.write(&format!("course/{folder}/note.md"), text);
    }
    env.import_notes();
    env
}

fn deck_name_of(env: &Env, heading: &str) -> String {
    env.card(heading)["deck"].as_str().expect("deck").to_owned()
}

fn parent(deck: &str) -> String {
    deck.rsplit_once("::").expect("a parent").0.to_owned()
}

fn queue_len(env: &Env, deck: &str) -> usize {
    env.at(DAY1, &["due", "--deck", deck])
        .as_array()
        .expect("array")
        .len()
}

#[test]
fn limits_are_inherited_and_cap_the_queue_and_the_deck_list() {
    let env = env_with(&[("Alpha", 6), ("Beta", 6)]);
    let alpha = deck_name_of(&env, "Alpha Q1");
    let beta = deck_name_of(&env, "Beta Q1");
    // Find the deck both share, and limit it to 4 new cards a day.
    let mut course = parent(&alpha);
    while !beta.starts_with(&format!("{course}::")) {
        course = parent(&course);
    }
    let set = env.json(&["settings", "--deck", &course, "--new-per-day", "4"]);
    assert_eq!(set["own"]["new_per_day"], 4);
    let inherited = env.json(&["settings", "--deck", &alpha]);
    assert_eq!(
        (
            inherited["own"]["new_per_day"].clone(),
            inherited["effective"]["new_per_day"].clone()
        ),
        (Value::Null, 4.into())
    );
    assert_eq!(
        queue_len(&env, &alpha),
        4,
        "the parent's limit caps the child"
    );
    // Three new cards of Alpha answered: the course has 1 left today, so
    // Beta's queue holds 1 card although Beta itself answered none.
    let alpha_queue = env.at(DAY1, &["due", "--deck", &alpha]);
    for card in alpha_queue.as_array().expect("array").iter().take(3) {
        env.at(DAY1, &["answer", card["id"].as_str().expect("id"), "good"]);
    }
    assert_eq!(queue_len(&env, &beta), 1);
    let decks = env.at(DAY1, &["decks"]).to_string();
    assert!(
        decks.contains("\"new_today\":1"),
        "the deck list agrees: {decks}"
    );
    // Clearing the option: the collection's 20 a day again.
    env.json(&["settings", "--deck", &course, "--inherit"]);
    assert_eq!(queue_len(&env, &beta), 6);
}

#[test]
fn a_random_new_order_is_the_same_all_day() {
    let env = env_with(&[("Gamma", 12)]);
    let gamma = deck_name_of(&env, "Gamma Q1");
    let in_order: Vec<String> = env
        .at(DAY1, &["due", "--deck", &gamma])
        .as_array()
        .expect("array")
        .iter()
        .map(crate::support::last_heading)
        .collect();
    env.json(&["settings", "--deck", &gamma, "--new-order", "random"]);
    let shuffled = |at: &str| -> Vec<String> {
        env.at(at, &["due", "--deck", &gamma])
            .as_array()
            .expect("array")
            .iter()
            .map(crate::support::last_heading)
            .collect()
    };
    let first = shuffled(DAY1);
    assert_ne!(first, in_order, "a different order");
    assert_eq!(shuffled("2026-03-02T18:00:00Z"), first, "the same all day");
    let mut sorted = first.clone();
    sorted.sort();
    let mut expected = in_order.clone();
    expected.sort();
    assert_eq!(sorted, expected, "the same cards");
}

#[test]
fn a_maximum_interval_caps_schedules_and_check_replays_it() {
    let env = env_with(&[("Delta", 1)]);
    let delta = deck_name_of(&env, "Delta Q1");
    let id = env.card("Delta Q1")["id"].as_str().expect("id").to_owned();
    env.json(&["settings", "--deck", &delta, "--max-interval", "3"]);
    // SM-2 gives 1, then 6 days: the second is capped at 3.
    env.at(DAY1, &["answer", &id, "good"]);
    let queue = env.at("2026-03-03T09:00:00Z", &["due", "--deck", &delta]);
    assert_eq!(
        queue[0]["intervals"][2], 3,
        "Good's preview is capped: {queue:#}"
    );
    let second = env.at("2026-03-03T09:00:00Z", &["answer", &id, "good"]);
    assert_eq!(
        (
            second["card"]["interval_days"].as_i64(),
            second["card"]["due"].as_str()
        ),
        (Some(3), Some("2026-03-06"))
    );
    // The cap is kept with the answer: removing it later changes nothing
    // already answered, and check still agrees.
    env.json(&["settings", "--deck", &delta, "--inherit"]);
    assert_eq!(env.json(&["check"])["ok"], true);
}
