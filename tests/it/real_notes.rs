//! Every real note in `../shared/notes` imports into clean cards.

use crate::support::{shared_notes, Env};

#[test]
fn every_shared_note_imports_into_clean_cards() {
    let env = Env::new();
    let mut notes: Vec<_> = std::fs::read_dir(shared_notes())
        .expect("../shared/notes must sit beside the checkout")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    notes.sort();
    assert!(
        notes.len() >= 5,
        "expected the five real notes, found {notes:?}"
    );
    for note in &notes {
        std::fs::copy(note, env.notes().join(note.file_name().expect("name"))).expect("copy");
    }
    let report = env.import_notes();
    for entry in report["notes"].as_array().expect("notes") {
        assert_eq!(entry["status"], "new", "{entry:#}");
        assert!(
            entry["added"].as_u64().expect("added") >= 1,
            "no cards from {entry:#}"
        );
    }

    let cards = env.cards();
    assert!(cards.len() >= 30, "only {} cards", cards.len());
    for card in &cards {
        let front = card["front_html"].as_str().expect("front");
        let back = card["back_html"].as_str().expect("back");
        for (side, html) in [("front", front), ("back", back)] {
            for residue in [
                "[[", "]]", "{%", "%}", "{{", "â€", "Ã", "[!info]", "<script",
            ] {
                assert!(
                    !html.contains(residue),
                    "{side} of {} holds `{residue}`: {html}",
                    card["id"]
                );
            }
        }
        assert!(!back.trim().is_empty(), "empty back: {card:#}");
    }
}

#[test]
fn real_note_quirks_are_handled() {
    let env = Env::new();
    for name in [
        "001_9ab6b7663ed1ece3.txt",
        "002_aec5a62a88af0d51.txt",
        "003_7ffc10323c3bdb2f.txt",
        "004_ac2266efff173835.txt",
    ] {
        std::fs::copy(shared_notes().join(name), env.notes().join(name)).expect("copy");
    }
    let report = env.import_notes();

    // Mis-encoded dashes are repaired and the repair is reported.
    let mojibake = crate::support::note_report(&report, "002_aec5a62a88af0d51.txt");
    assert!(
        mojibake["warnings"].to_string().contains("repaired"),
        "{mojibake:#}"
    );
    let cards = env.cards();
    assert!(cards.iter().any(|c| c["back_html"]
        .as_str()
        .expect("back")
        .contains("embedding—a")));

    // Front matter titles name the decks, nested under the folder's deck.
    let decks: Vec<&str> = cards
        .iter()
        .map(|c| c["deck"].as_str().expect("deck"))
        .collect();
    assert!(decks.contains(&"notes::AI Alignment"), "{decks:?}");

    // `**Term:** definition` lines become cards of their own.
    let alignment = env.card("Alignment");
    assert_eq!(alignment["kind"], "definition");
    assert!(alignment["back_html"]
        .as_str()
        .expect("back")
        .contains("intent alignment"));

    // Obsidian callouts render as callouts; wikilinks show their alias.
    let mech = env.card("Mechanistic Interpretability");
    let back = mech["back_html"].as_str().expect("back");
    assert!(back.contains("class=\"callout\""), "{back}");
    assert!(back.contains("data-callout=\"info\""), "{back}");
    assert!(back.contains(">understanding AI models</span>"), "{back}");

    // A heading with nothing of its own is skipped and reported with its line.
    let alignment_note = crate::support::note_report(&report, "004_ac2266efff173835.txt");
    let skipped = alignment_note["skipped_items"].to_string();
    assert!(
        skipped.contains("Scalable Oversight") && skipped.contains("no content"),
        "{skipped}"
    );

    // Front matter tags become card tags.
    assert!(alignment["tags"].to_string().contains("notes"));
}
