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
