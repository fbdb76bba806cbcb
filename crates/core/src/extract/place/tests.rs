//! Where cards made from a selection go, on small notes.

use super::*;

fn section(first_line: usize, has_heading: bool) -> Section {
    Section {
        first_line,
        next_line: None,
        has_heading,
        tagged_cloze: false,
    }
}

fn cloze(text: &str) -> Making {
    Making::Cloze { text: text.into() }
}

#[test]
fn a_cloze_is_highlighted_and_its_section_tagged_under_the_heading() {
    let note = "# Tides\n\nThe moon pulls the sea\ntwice a day.\n\n## Next\nOther.\n";
    let edit = plan(note, section(1, true), &cloze("pulls the sea")).unwrap();
    let made = edit.apply(note);
    assert_eq!(
        made,
        "# Tides\n#cloze\n\nThe moon ==pulls the sea==\ntwice a day.\n\n## Next\nOther.\n"
    );
    assert_eq!(edit.card_line, 4);
    assert_eq!(
        made.lines().nth(edit.card_line - 1),
        Some("The moon ==pulls the sea==")
    );
}

#[test]
fn a_tagged_section_only_gets_the_highlight_and_crlf_stays() {
    let note = "## Tides #cloze\r\nThe moon pulls the sea.\r\n";
    let mut s = section(1, true);
    s.tagged_cloze = true;
    let edit = plan(note, s, &cloze("the sea")).unwrap();
    assert_eq!(
        edit.apply(note),
        "## Tides #cloze\r\nThe moon pulls ==the sea==.\r\n"
    );
    assert_eq!(edit.card_line, 2);
    assert_eq!(edit.inserted_ranges(), vec![(32, 2), (41, 2)]);
}

#[test]
fn a_heading_followed_by_text_gets_the_tag_as_a_paragraph_of_its_own() {
    let note = "# Tides\nThe moon pulls the sea.";
    let edit = plan(note, section(1, true), &cloze("moon")).unwrap();
    assert_eq!(
        edit.apply(note),
        "# Tides\n#cloze\n\nThe ==moon== pulls the sea."
    );
    assert_eq!(edit.card_line, 4);
}

#[test]
fn a_question_goes_after_its_paragraph_in_one_line() {
    let note = "# Tides\n\nThe moon pulls\nthe sea twice a day.\nMore of it.\n\nNext paragraph.\n";
    let making = Making::Question {
        question: " What pulls the sea? ".into(),
        answer: "The moon pulls\nthe sea".into(),
    };
    let edit = plan(note, section(1, true), &making).unwrap();
    let made = edit.apply(note);
    assert_eq!(
        made,
        "# Tides\n\nThe moon pulls\nthe sea twice a day.\nMore of it.\n\nWhat pulls the sea?::The moon pulls the sea\n\nNext paragraph.\n"
    );
    assert_eq!(
        made.lines().nth(edit.card_line - 1),
        Some("What pulls the sea?::The moon pulls the sea")
    );
}

#[test]
fn a_question_at_the_end_of_a_file_without_a_final_line_break() {
    let note = "Tides come twice a day";
    let making = Making::Question {
        question: "How often do tides come?".into(),
        answer: "twice a day".into(),
    };
    let edit = plan(note, section(1, false), &making).unwrap();
    assert_eq!(
        edit.apply(note),
        "Tides come twice a day\n\nHow often do tides come?::twice a day\n"
    );
    assert_eq!(edit.card_line, 3);
}

#[test]
fn the_selection_is_found_only_in_its_own_section_outside_code() {
    let note = "# A\n```\nsecret\n```\n\n# B\nsecret here\n";
    // In section A the word is only in code.
    let err = plan(note, section(1, true), &cloze("secret")).unwrap_err();
    assert!(err.contains("not in this section"), "{err}");
    let edit = plan(note, section(6, true), &cloze("secret")).unwrap();
    assert!(edit
        .apply(note)
        .ends_with("# B\n#cloze\n\n==secret== here\n"));
}

#[test]
fn refusals_say_what_to_do() {
    let note = "# A\nOne line\nnext line.\n\nNew paragraph.\n";
    let across = plan(note, section(1, true), &cloze("line next")).unwrap_err();
    assert!(across.contains("within one line"), "{across}");
    let paragraphs = plan(note, section(1, true), &cloze("line. New")).unwrap_err();
    assert!(paragraphs.contains("not in this section"), "{paragraphs}");
    let syntax = plan(note, section(1, true), &cloze("a::b")).unwrap_err();
    assert!(syntax.contains("`::`"), "{syntax}");
    let empty = plan(note, section(1, true), &cloze("  ")).unwrap_err();
    assert!(empty.contains("nothing is selected"), "{empty}");
    let question = Making::Question {
        question: "Why::".into(),
        answer: "One line".into(),
    };
    assert!(plan(note, section(1, true), &question).is_err());
}

#[test]
fn multibyte_text_keeps_its_bytes() {
    let note = "\u{feff}# Café\n\nLa crème brûlée est là.\n";
    let edit = plan(note, section(1, true), &cloze("crème brûlée")).unwrap();
    assert_eq!(
        edit.apply(note),
        "\u{feff}# Café\n#cloze\n\nLa ==crème brûlée== est là.\n"
    );
}

#[test]
fn a_selection_across_formatting_covers_whole_constructs() {
    let note = "# Tides\n\nThe **moon** pulls the [[Sea|open sea]] twice a day.\n";
    // As the card shows it: "The moon pulls the open sea twice a day."
    let edit = plan(note, section(1, true), &cloze("moon pulls the open")).unwrap();
    assert_eq!(
        edit.apply(note),
        "# Tides\n#cloze\n\nThe ==**moon** pulls the [[Sea|open sea]]== twice a day.\n"
    );
    let making = Making::Question {
        question: "What pulls the sea?".into(),
        answer: "The moon".into(),
    };
    let edit = plan(note, section(1, true), &making).unwrap();
    assert!(edit
        .apply(note)
        .ends_with("twice a day.\n\nWhat pulls the sea?::The moon\n"));
}

#[test]
fn a_highlight_is_not_highlighted_again() {
    let note = "# Tides #cloze\n\nThe ==moon== pulls the sea.\n";
    let mut s = section(1, true);
    s.tagged_cloze = true;
    let err = plan(note, s, &cloze("moon pulls")).unwrap_err();
    assert!(err.contains("already highlighted"), "{err}");
}
