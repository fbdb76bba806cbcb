//! "Open note" on a phone: the note's whole text rendered read-only from
//! the file as it is now (text outside any card included, nothing that
//! runs), and its cards as last imported when the file cannot be read.

use crate::support::Env;

#[test]
fn a_note_is_shown_whole_and_read_only_and_its_cards_stand_in_when_the_file_is_gone() {
    let env = Env::new();
    let note = env.write(
        "cells.md",
        "---\ntags: [bio]\n---\nA line before any heading.\n\n# Cells\n\n## Nucleus\nHolds the DNA.<script>alert(1)</script>\n\n## Ribosome\nMakes proteins.\n",
    );
    env.import_notes();
    let path = std::fs::canonicalize(&note).expect("path");
    let path = path.to_str().expect("utf-8");
    let service = notedeck_api::Service::open(&env.db()).expect("open");
    let view = service.note_view(path).expect("view");
    let html = view.html.expect("the note's text");
    assert!(html.contains("A line before any heading."), "{html}");
    assert!(
        html.contains("Nucleus") && html.contains("Makes proteins."),
        "{html}"
    );
    assert!(
        !html.contains("<script") && !html.contains("tags:"),
        "{html}"
    );
    let cards = view.cards.len();
    assert!(cards >= 2, "{cards}");

    std::fs::remove_file(&note).expect("remove");
    let view = service.note_view(path).expect("view");
    assert!(view.html.is_none());
    assert!(
        view.no_html
            .as_deref()
            .is_some_and(|w| w.contains("cannot be read now")),
        "{:?}",
        view.no_html
    );
    assert_eq!(view.cards.len(), cards, "its cards stand in");

    let err = service.note_view("/not/a/note.md").expect_err("refused");
    assert_eq!(err.code, notedeck_api::ErrorCode::PathNotFound);
}
