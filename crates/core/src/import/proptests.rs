//! Property tests of import → edit → re-import on real SQLite files: random
//! notes, random edits, and the identity rules must hold every time.

use std::collections::HashMap;
use std::path::Path;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::{import, ImportOptions};
use crate::storage::Collection;

/// A section of a generated note: a unique heading and a body of words.
#[derive(Debug, Clone)]
struct Section {
    heading: String,
    body: String,
}

fn render(sections: &[Section]) -> String {
    let mut text = String::from("# Note\n");
    for s in sections {
        text.push_str(&format!("## {}\n{}\n\n", s.heading, s.body));
    }
    text
}

fn sections() -> impl Strategy<Value = Vec<Section>> {
    prop::collection::vec(prop::collection::vec("[a-z]{3,8}", 6..14), 1..8).prop_map(|bodies| {
        bodies
            .into_iter()
            .enumerate()
            .map(|(i, words)| Section {
                heading: format!("Topic {i}"),
                body: words.join(" "),
            })
            .collect()
    })
}

/// One edit of a note.
#[derive(Debug, Clone)]
enum Edit {
    /// Change one word of a section's body.
    Reword(usize),
    /// Rename a section's heading, body untouched.
    Rename(usize),
    /// Move a section to the end.
    MoveToEnd(usize),
    /// Delete a section.
    Delete(usize),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    prop::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(Edit::Reword),
            any::<usize>().prop_map(Edit::Rename),
            any::<usize>().prop_map(Edit::MoveToEnd),
            any::<usize>().prop_map(Edit::Delete),
        ],
        0..4,
    )
}

/// Card ids by heading of the note's active cards.
fn ids(collection: &Collection) -> HashMap<String, String> {
    collection
        .reader()
        .cards(None)
        .expect("cards")
        .into_iter()
        .filter(|c| c.state.as_str() != "retired")
        .filter_map(|c| c.heading_path.last().cloned().map(|h| (h, c.id.0)))
        .collect()
}

fn run_import(collection: &mut Collection, path: &Path) -> super::ImportReport {
    let now = Utc
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .expect("time");
    import(
        collection,
        &[path.to_owned()],
        &ImportOptions::default(),
        now,
        &mut |_| {},
    )
    .expect("import")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn edits_keep_every_surviving_card(original in sections(), edits in edits()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let note = dir.path().join("note.md");
        std::fs::write(&note, render(&original)).expect("write");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        run_import(&mut collection, &note);
        let before = ids(&collection);
        prop_assert_eq!(before.len(), original.len());

        // Apply the edits, remembering which original section each result is.
        let mut edited: Vec<(usize, Section)> = original.iter().cloned().enumerate().collect();
        let mut deleted = 0;
        for edit in &edits {
            if edited.is_empty() {
                break;
            }
            match *edit {
                Edit::Reword(i) => {
                    let at = i % edited.len();
                    let body = &mut edited[at].1.body;
                    *body = body.replacen(' ', " changed ", 1);
                }
                Edit::Rename(i) => {
                    let at = i % edited.len();
                    edited[at].1.heading.push_str(" renamed");
                }
                Edit::MoveToEnd(i) => {
                    let at = i % edited.len();
                    let section = edited.remove(at);
                    edited.push(section);
                }
                Edit::Delete(i) => {
                    let at = i % edited.len();
                    edited.remove(at);
                    deleted += 1;
                }
            }
        }
        let sections: Vec<Section> = edited.iter().map(|(_, s)| s.clone()).collect();
        std::fs::write(&note, render(&sections)).expect("write");
        let report = run_import(&mut collection, &note);
        let after = ids(&collection);

        // Every section that survives keeps the card it had.
        prop_assert_eq!(after.len(), edited.len());
        for (origin, section) in &edited {
            let old_id = &before[&original[*origin].heading];
            prop_assert_eq!(after.get(&section.heading), Some(old_id), "section {:?}", section);
        }
        // Deleted sections are retired, not lost.
        prop_assert_eq!(report.totals.retired, deleted as u64);
        prop_assert_eq!(report.totals.added, 0);
        let all = collection.reader().cards(None).expect("cards").len();
        prop_assert_eq!(all, original.len());
    }
}

/// A card written in a note: `Front::Back`, fronts unique.
#[derive(Debug, Clone)]
struct Written {
    front: String,
    back: String,
}

fn written_cards() -> impl Strategy<Value = Vec<Written>> {
    prop::collection::vec(prop::collection::vec("[a-z]{3,8}", 4..9), 1..10).prop_map(|cards| {
        cards
            .into_iter()
            .enumerate()
            .map(|(i, words)| Written {
                front: format!("Question {i} on {}", words[0]),
                back: words[1..].join(" "),
            })
            .collect()
    })
}

fn render_written(intro: &str, cards: &[Written]) -> String {
    let mut text = format!("# Note\n\n## Cards\n{intro}\n\n");
    for card in cards {
        text.push_str(&format!("- {}::{}\n", card.front, card.back));
    }
    text
}

/// One edit of a note's written cards.
#[derive(Debug, Clone)]
enum WrittenEdit {
    /// Change one word of a card's back.
    RewordBack(usize),
    /// Move a card to the end of the list.
    MoveToEnd(usize),
    /// Delete a card.
    Delete(usize),
    /// Rewrite the text around the cards.
    Intro,
}

fn written_edits() -> impl Strategy<Value = Vec<WrittenEdit>> {
    prop::collection::vec(
        prop_oneof![
            any::<usize>().prop_map(WrittenEdit::RewordBack),
            any::<usize>().prop_map(WrittenEdit::MoveToEnd),
            any::<usize>().prop_map(WrittenEdit::Delete),
            Just(WrittenEdit::Intro),
        ],
        0..5,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Written cards keep their ids through edits of their backs, moves,
    /// deletions of other cards and rewrites of the text around them;
    /// deleted ones are retired.
    #[test]
    fn written_cards_survive_edits(original in written_cards(), edits in written_edits()) {
        let dir = tempfile::tempdir().expect("tempdir");
        let note = dir.path().join("note.md");
        std::fs::write(&note, render_written("Some context.", &original)).expect("write");
        let mut collection = Collection::open(&dir.path().join("c.sqlite3")).expect("open");
        run_import(&mut collection, &note);
        let before = ids(&collection);

        let mut edited = original.clone();
        let mut intro = "Some context.".to_owned();
        let mut deleted = 0;
        for edit in &edits {
            match *edit {
                WrittenEdit::Intro => intro = "Other context, rewritten at length.".to_owned(),
                _ if edited.is_empty() => {}
                WrittenEdit::RewordBack(i) => {
                    let at = i % edited.len();
                    edited[at].back = edited[at].back.replacen(' ', " changed ", 1);
                }
                WrittenEdit::MoveToEnd(i) => {
                    let at = i % edited.len();
                    let card = edited.remove(at);
                    edited.push(card);
                }
                WrittenEdit::Delete(i) => {
                    let at = i % edited.len();
                    edited.remove(at);
                    deleted += 1;
                }
            }
        }
        std::fs::write(&note, render_written(&intro, &edited)).expect("write");
        let report = run_import(&mut collection, &note);
        let after = ids(&collection);
        for card in &edited {
            prop_assert_eq!(after.get(&card.front), before.get(&card.front), "card {:?}", card);
        }
        prop_assert_eq!(report.totals.retired, deleted as u64);
        prop_assert_eq!(report.totals.added, 0);
    }
}

/// The front with its breadcrumb as it was built before it was written
/// into one buffer: every crumb escaped, joined, then formatted.
fn front_by_joining(deck: &str, card: &notedeck_markdown::ParsedCard) -> String {
    let mut crumbs: Vec<&str> = deck.split(crate::model::DECK_SEPARATOR).collect();
    let parents = card.heading_path.len().saturating_sub(1);
    crumbs.extend(card.heading_path[..parents].iter().map(String::as_str));
    if card.heading_path.is_empty() {
        crumbs.pop();
    }
    let breadcrumb = crumbs
        .iter()
        .map(|c| notedeck_markdown::render::escape_text(c))
        .collect::<Vec<_>>()
        .join(" › ");
    if breadcrumb.is_empty() {
        format!("<div class=\"front\">{}</div>", card.front_html)
    } else {
        format!(
            "<div class=\"breadcrumb\">{breadcrumb}</div><div class=\"front\">{}</div>",
            card.front_html
        )
    }
}

proptest! {
    /// The breadcrumb written into one buffer is the one built by joining
    /// escaped crumbs: decks of no name, one level or several, headings
    /// with HTML's special characters, the title section.
    #[test]
    fn the_front_with_its_breadcrumb_is_as_before(
        deck in "(|[a-z&<]{0,3})(::[a-z >\u{a0}]{0,3}){0,2}",
        path in prop::collection::vec("[a-z&<> \u{a0}]{0,4}", 0..4),
        front in "[a-z<]{0,5}",
    ) {
        let card = notedeck_markdown::ParsedCard {
            kind: notedeck_markdown::card::CardKind::Section,
            heading_path: path,
            front_html: front,
            back_html: String::new(),
            source: String::new(),
            content_hash: notedeck_markdown::card::ContentHash::of(""),
            tags: Vec::new(),
            line: 1,
            reading: false,
        };
        prop_assert_eq!(super::DeckCrumbs::of(&deck).front(&card), front_by_joining(&deck, &card));
    }
}

proptest! {
    /// A card's id is the one a `format!` of its seed gave (ids must never
    /// change): any path, key and attempt.
    #[test]
    fn card_ids_are_as_before(
        path in "[a-z/é\u{0}]{0,12}",
        key in "[a-z0-9 \u{0}#]{0,12}",
        attempt in prop_oneof![0u64..12, any::<u64>()],
    ) {
        let seed = format!("{path}\0{key}\0{attempt}");
        let before = blake3::hash(seed.as_bytes()).to_hex()[..12].to_owned();
        prop_assert_eq!(super::card_id_for(&path, &key, attempt).0, before);
    }
}
