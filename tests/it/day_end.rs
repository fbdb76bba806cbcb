//! The end of the day tells the truth: what the limits hold back and by
//! which limit, and tomorrow's count for the deck reviewed.

use crate::support::deck_of;

#[test]
fn the_end_of_the_day_says_what_the_limits_hold_back_and_tomorrow_per_deck() {
    let env = deck_of(25);
    env.write("other.md", "# Other\n\n## A\nOne.\n\n## B\nTwo.\n");
    env.import_notes();
    let day = "2026-03-01T09:00:00Z";
    let due = env.at(day, &["due"]);
    for card in due.as_array().expect("queue") {
        env.at(day, &["answer", card["id"].as_str().expect("id"), "good"]);
    }
    let service = notedeck_api::Service::open(&env.db()).expect("open");
    let now = "2026-03-01T12:00:00Z".parse().expect("now");
    let all = service.day_summary(None, now).expect("summary");
    assert_eq!(all.answers, 20);
    assert_eq!(all.new_waiting, 7);
    assert_eq!(
        all.held_back.as_deref(),
        Some("7 new cards wait for later days: the daily limit of 20 new cards is reached. Study more shows them now without changing the limits.")
    );
    // Tomorrow's count is the deck's own.
    let decks = service.decks(now).expect("decks");
    let names: Vec<String> = decks
        .iter()
        .flat_map(|d| {
            std::iter::once(d.name.clone()).chain(d.children.iter().map(|c| c.name.clone()))
        })
        .collect();
    let other = names
        .iter()
        .find(|n| n.ends_with("Other"))
        .expect("Other deck");
    let other_summary = service.day_summary(Some(other), now).expect("summary");
    assert!(
        other_summary.due_tomorrow < all.due_tomorrow,
        "{} vs {}",
        other_summary.due_tomorrow,
        all.due_tomorrow
    );
    assert_eq!(all.due_tomorrow, 20);
    // Each deck of the list carries its own tomorrow.
    let node = decks
        .iter()
        .find(|d| d.due_tomorrow > 0)
        .expect("a deck due tomorrow");
    assert_eq!(node.due_tomorrow, all.due_tomorrow);
}
