//! The card browser's search through `notedeck cards --search`: words,
//! phrases and fields, negation, errors that name the position, and an
//! index the importer keeps in step with the notes.

use std::time::{Duration, Instant};

use notedeck_api::SEARCH_BUDGET;

use crate::support::Env;

fn found(env: &Env, query: &str) -> Vec<String> {
    let mut headings: Vec<String> = env
        .json(&["cards", "--search", query])
        .as_array()
        .expect("array")
        .iter()
        .map(crate::support::last_heading)
        .collect();
    headings.sort();
    headings
}

fn biology() -> Env {
    let env = Env::new();
    env.write(
        "bio/cells.md",
        "---\ntags: [biology, exam/june]\n---\n# Cells\n\n## Mitochondria\nThe powerhouse makes ATP, the energy currency.\n\n## Nucleus\nHolds the DNA of the cell.\n",
    );
    env.write(
        "chem/water.md",
        "# Water\n\n## Boiling\nWater boils at 100 °C at sea level: its energy goes into steam.\n\n## Café\nA word with an accent.\n",
    );
    env.import_notes();
    env
}

#[test]
fn words_phrases_fields_and_negation() {
    let env = biology();
    assert_eq!(found(&env, "energy"), ["Boiling", "Mitochondria"]);
    assert_eq!(
        found(&env, "ENERG"),
        ["Boiling", "Mitochondria"],
        "a word is a prefix, any case"
    );
    assert_eq!(found(&env, "\"energy currency\""), ["Mitochondria"]);
    assert_eq!(found(&env, "energy -steam"), ["Mitochondria"]);
    assert_eq!(found(&env, "cafe"), ["Café"], "accents aside");
    assert_eq!(found(&env, "nucleus"), ["Nucleus"], "headings are searched");
    let chem = found(&env, "note:chem");
    assert!(
        chem.contains(&"Boiling".to_owned()) && !chem.contains(&"Nucleus".to_owned()),
        "{chem:?}"
    );
    assert_eq!(
        found(&env, "tag:biology state:new"),
        found(&env, "note:cells")
    );
    assert_eq!(
        found(&env, "tag:exam energy"),
        ["Mitochondria"],
        "tag:exam finds exam/june"
    );
    assert!(found(&env, "deck:chem -deck:chem").is_empty());
    let water = found(&env, "deck:water");
    assert!(
        water.contains(&"Boiling".to_owned()),
        "a deck by its last part: {water:?}"
    );
}

#[test]
fn states_due_and_lapses() {
    let env = biology();
    let id = env.card("Nucleus")["id"].as_str().expect("id").to_owned();
    env.ok(&["--now", "2026-03-02T09:00:00Z", "answer", &id, "good"]);
    assert_eq!(found(&env, "state:learning"), ["Nucleus"]);
    env.ok(&["--now", "2026-03-02T09:00:00Z", "suspend", &id]);
    assert_eq!(found(&env, "state:suspended"), ["Nucleus"]);
    assert!(found(&env, "state:new").iter().all(|h| h != "Nucleus"));
    assert_eq!(found(&env, "lapses:0 nucleus"), ["Nucleus"]);
    assert!(found(&env, "lapses:>0").is_empty());
    // Due tomorrow (2026-03-03): within 2 days of 2026-03-02, not within 1.
    let due = |q: &str| -> Vec<String> {
        let v = env.json(&["--now", "2026-03-02T09:00:00Z", "cards", "--search", q]);
        v.as_array()
            .expect("array")
            .iter()
            .map(crate::support::last_heading)
            .collect()
    };
    assert_eq!(due("due:<2"), ["Nucleus"]);
    assert!(due("due:<1").is_empty());
}

#[test]
fn a_malformed_query_names_the_position() {
    let env = biology();
    for (query, position, words) in [
        ("energy \"currency", 8, "never closed"),
        ("state:ripe", 7, "not a state"),
        ("colour:red", 1, "not a field"),
        ("due:<soon", 5, "number of days"),
        ("lapses:>9223372036854775807", 8, "from 0 to 100000"),
        ("due:<99999", 5, "from -36500 to 36500"),
        ("tag:#", 5, "needs a tag name"),
    ] {
        let out = env.run(&["cards", "--search", query]);
        assert!(!out.status.success(), "{query}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("at character {position}")) && err.contains(words),
            "{query}: {err}"
        );
    }
}

#[test]
fn the_index_follows_edits_and_old_collections_are_indexed_on_opening() {
    let env = biology();
    assert_eq!(found(&env, "powerhouse"), ["Mitochondria"]);
    env.write(
        "bio/cells.md",
        "# Cells\n\n## Mitochondria\nThe organelle makes ATP by respiration.\n\n## Nucleus\nHolds the DNA of the cell.\n",
    );
    env.import_notes();
    assert!(found(&env, "powerhouse").is_empty(), "the old text is gone");
    assert_eq!(found(&env, "respiration"), ["Mitochondria"]);

    // A collection made at schema 6 has no index: opening it makes one.
    let old = Env::new();
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/collections/schema6.db");
    std::fs::copy(&fixture, old.db()).expect("copy");
    assert!(!found(&old, "alignment").is_empty());
}

/// `w.w.w…` (500 words in 999 characters) is one term, but it was 500
/// lookups in the index: 81 s on 20,000 cards. It is refused at once,
/// naming the limit.
#[test]
fn a_term_of_500_words_is_refused_at_once() {
    let env = crate::support::deck_of(2000);
    env.ok(&["cards", "--search", "nothing"]); // indexes the cards
    let dotted = vec!["w"; 500].join(".");
    let started = Instant::now();
    let out = env.run(&["cards", "--search", &dotted]);
    let took = started.elapsed();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("at character 1") && err.contains("at most 32 words"),
        "{err}"
    );
    assert!(took < SEARCH_BUDGET, "{took:?}");
}

/// A search the query language allows but the cards make slow stops at
/// the budget, with an error that says so and what to do, instead of
/// holding the collection for as long as it takes.
#[test]
fn a_search_past_its_time_budget_stops_with_a_clear_error() {
    let (env, query) = crate::support::long_tag_lists();
    let started = Instant::now();
    let out = env.run(&["cards", &format!("--search={query}")]);
    let took = started.elapsed();
    assert!(
        !out.status.success(),
        "the search finished within the budget"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the search took longer than 2 s") && err.contains("make it narrower"),
        "{err}"
    );
    assert!(took < SEARCH_BUDGET + Duration::from_secs(2), "{took:?}");
}
