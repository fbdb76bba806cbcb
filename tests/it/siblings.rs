//! Siblings apart: the two cards of a `:::` pair and the cards of one
//! cloze paragraph are not shown on the same day (a deck option, on by
//! default), so the second is not answered from the first.

use crate::support::Env;

fn note(env: &Env) {
    env.write(
        "geo.md",
        "# Geo\n\n## Capitals\n\nFrance:::Paris\n\nThe {{c1::Seine}} flows through {{c2::Paris}} to the {{c3::Channel}}.\n\n## Rivers\nThe Loire is the longest river of France.\n",
    );
}

/// How many entries of `queue` are of `kind`.
fn of_kind(queue: &[String], kind: &str) -> usize {
    queue.iter().filter(|k| k.starts_with(kind)).count()
}

fn fronts(env: &Env, now: &str) -> Vec<String> {
    let due = env.at(now, &["due"]);
    due.as_array()
        .expect("queue")
        .iter()
        .map(|c| format!("{}:{}", c["kind"].as_str().unwrap_or(""), c["line"]))
        .collect()
}

#[test]
fn one_card_of_each_group_a_day_and_the_rest_on_later_days() {
    let env = Env::new();
    note(&env);
    env.import_notes();
    let day1 = "2026-03-01T09:00:00Z";
    let queue = fronts(&env, day1);
    assert_eq!(of_kind(&queue, "reversed"), 1, "{queue:?}");
    assert_eq!(of_kind(&queue, "cloze"), 1, "{queue:?}");
    // Answering the one shown keeps its siblings away for the day.
    let due = env.at(day1, &["due"]);
    for card in due.as_array().expect("queue") {
        let id = card["id"].as_str().expect("id");
        env.at(day1, &["answer", id, "easy"]);
    }
    assert_eq!(fronts(&env, "2026-03-01T18:00:00Z"), Vec::<String>::new());
    // The next day a sibling of each comes (the answered ones are not due).
    let day2 = fronts(&env, "2026-03-02T09:00:00Z");
    assert_eq!(of_kind(&day2, "reversed"), 1, "{day2:?}");
    assert_eq!(of_kind(&day2, "cloze"), 1, "{day2:?}");
}

#[test]
fn a_deck_can_keep_siblings_together() {
    let env = Env::new();
    note(&env);
    env.import_notes();
    let deck = env.json(&["decks"])[0]["name"]
        .as_str()
        .expect("deck")
        .to_owned();
    let shown = env.json(&["settings", "--deck", &deck, "--bury-siblings", "off"]);
    assert_eq!(shown["own"]["bury_siblings"], false);
    let queue = fronts(&env, "2026-03-01T09:00:00Z");
    assert_eq!(of_kind(&queue, "reversed"), 2, "{queue:?}");
    assert_eq!(of_kind(&queue, "cloze"), 3, "{queue:?}");
}

/// A day's limit is filled past the siblings left out: with room for two
/// new cards, the pair's second card gives way to the cloze after it.
#[test]
fn siblings_left_out_leave_room_for_the_next_cards() {
    let env = Env::new();
    note(&env);
    env.import_notes();
    env.ok(&["settings", "--new-per-day", "2"]);
    let queue = fronts(&env, "2026-03-01T09:00:00Z");
    assert_eq!(queue.len(), 2, "{queue:?}");
    assert_eq!(of_kind(&queue, "reversed"), 1, "{queue:?}");
    assert_eq!(of_kind(&queue, "cloze"), 1, "{queue:?}");
}
