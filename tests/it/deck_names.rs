//! Decks named as people say them: `--deck` takes a deck's full name or its
//! last part when that is unique (an ambiguous one lists the candidates),
//! and the deck list leaves out decks of no card.

use crate::support::Env;

#[test]
fn a_deck_is_found_by_its_last_part_when_unique() {
    let env = Env::new();
    env.write("drills/Chemistry.md", "# Chemistry\n\n## Water\nH2O.\n");
    env.write("exams/Physics.md", "# Physics\n\n## Light\nFast.\n");
    env.write("more/Physics.md", "# Physics\n\n## Sound\nSlower.\n");
    env.write("index.md", "# Index\n\n#nocard\n");
    env.import_notes();
    let due = env.json(&["due", "--deck", "Chemistry"]);
    assert_eq!(due.as_array().expect("queue").len(), 1, "{due:#}");
    assert!(due[0]["deck"]
        .as_str()
        .expect("deck")
        .ends_with("drills::Chemistry"));
    // Case aside, too.
    assert_eq!(
        env.json(&["cards", "--deck", "chemistry"])
            .as_array()
            .expect("cards")
            .len(),
        1
    );
    let out = env.run(&["due", "--deck", "Physics"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`Physics` names 2 decks")
            && err.contains("exams::Physics")
            && err.contains("more::Physics"),
        "{err}"
    );
    // The deck list leaves out decks of no card, and says so.
    let text = env.ok(&["decks"]);
    assert!(!text.contains("Index"), "{text}");
    assert!(text.contains("1 deck(s) with no card left out"), "{text}");
    assert!(env.ok(&["decks", "--all"]).contains("Index"));
}
