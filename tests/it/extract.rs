//! `notedeck extract`: cards made from text selected on a card, written
//! into the note (LF and CRLF, with and without a BOM), imported at once,
//! and taken out again byte for byte by undo; a note changed on disk is
//! refused and left untouched.

use crate::support::{id_of, Env};

fn note(eol: &str, bom: bool) -> Vec<u8> {
    let text = [
        "# Ocean",
        "",
        "## Tides",
        "The moon pulls the sea, so tides rise and fall twice a day.",
        "Spring tides come at new and full moon.",
        "",
        "Neap tides come in between.",
        "",
        "## Currents",
        "Wind and the turning of the earth drive surface currents.",
        "",
    ]
    .join(eol);
    let mut bytes = if bom {
        vec![0xEF, 0xBB, 0xBF]
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn file_bytes(env: &Env) -> Vec<u8> {
    std::fs::read(env.notes().join("ocean.md")).expect("read note")
}

#[test]
fn clozes_and_questions_are_written_imported_and_undone_byte_for_byte() {
    for (eol, bom) in [("\n", false), ("\r\n", false), ("\n", true), ("\r\n", true)] {
        let env = Env::new();
        let original = note(eol, bom);
        env.write("ocean.md", &original);
        env.import_notes();
        let tides = id_of(&env, "Tides");

        let made = env.json(&["extract", &tides, "--cloze", "twice a day"]);
        let cloze_id = made["card_id"].as_str().expect("card_id").to_owned();
        assert!(made["note"].as_str().expect("note").ends_with("ocean.md"));
        let written = String::from_utf8(file_bytes(&env)).expect("utf-8");
        let lines: Vec<&str> = written.split(eol).collect();
        let line = made["line"].as_u64().expect("line") as usize;
        assert_eq!(
            lines[line - 1],
            "The moon pulls the sea, so tides rise and fall ==twice a day==.",
            "{eol:?} {bom}: {written:?}"
        );
        assert!(lines.contains(&"#cloze"), "{written:?}");
        assert_eq!(
            written.starts_with('\u{feff}'),
            bom,
            "the BOM is kept as it was"
        );
        assert_eq!(
            written.matches("\r\n").count() > 0,
            eol == "\r\n",
            "line endings kept"
        );
        let card = env
            .cards()
            .into_iter()
            .find(|c| c["id"] == cloze_id.as_str())
            .expect("the new card is in the collection");
        assert_eq!(card["kind"], "cloze");

        let asked = env.json(&[
            "extract",
            &tides,
            "--question",
            "When do spring tides come?",
            "--answer",
            "at new and full moon",
        ]);
        let question_id = asked["card_id"].as_str().expect("card_id").to_owned();
        let written = String::from_utf8(file_bytes(&env)).expect("utf-8");
        let lines: Vec<&str> = written.split(eol).collect();
        let line = asked["line"].as_u64().expect("line") as usize;
        assert_eq!(
            lines[line - 1],
            "When do spring tides come?::at new and full moon"
        );
        let card = env
            .cards()
            .into_iter()
            .find(|c| c["id"] == question_id.as_str())
            .expect("question card");
        assert_eq!(card["kind"], "basic");

        // Undo takes out the question, then the cloze: the note is as it was.
        let undone = env.json(&["undo"]);
        assert_eq!(
            undone["unwritten"]["card_id"],
            question_id.as_str(),
            "{undone:#}"
        );
        env.ok(&["undo"]);
        assert_eq!(
            file_bytes(&env),
            original,
            "{eol:?} {bom}: the note is back byte for byte"
        );
        let states: Vec<String> = env
            .cards()
            .iter()
            .filter(|c| c["id"] == cloze_id.as_str() || c["id"] == question_id.as_str())
            .map(|c| c["state"].as_str().unwrap_or("").to_owned())
            .collect();
        assert_eq!(
            states,
            ["retired", "retired"],
            "the made cards leave with their lines"
        );
        assert_eq!(
            env.card("Tides")["id"],
            tides.as_str(),
            "the section keeps its id"
        );
        let check = env.json(&["check"]);
        assert_eq!(check["problems"], serde_json::json!([]));
    }
}

#[test]
fn a_note_changed_on_disk_is_refused_and_left_untouched() {
    let env = Env::new();
    env.write("ocean.md", note("\n", false));
    env.import_notes();
    let tides = id_of(&env, "Tides");
    // Edited after the import: notedeck must not write over it.
    let mut edited = note("\n", false);
    edited.extend_from_slice(b"A line added in the editor.\n");
    env.write("ocean.md", &edited);
    let out = env.run(&["extract", &tides, "--cloze", "twice a day"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("changed on disk since it was imported: import it again first"),
        "{stderr}"
    );
    assert_eq!(file_bytes(&env), edited);

    // Written, then edited by hand: undo leaves the note alone and says so.
    env.import_notes();
    env.json(&["extract", &tides, "--cloze", "twice a day"]);
    let mut by_hand = file_bytes(&env);
    by_hand.extend_from_slice(b"More by hand.\n");
    env.write("ocean.md", &by_hand);
    let out = env.run(&["undo"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("remove the card from the note by hand"));
    assert_eq!(file_bytes(&env), by_hand);
}

#[test]
fn selections_that_are_not_in_the_section_are_refused_with_what_to_do() {
    let env = Env::new();
    env.write("ocean.md", note("\n", false));
    env.import_notes();
    let tides = id_of(&env, "Tides");
    let before = file_bytes(&env);
    for (args, says) in [
        (vec!["--cloze", "surface currents"], "not in this section"),
        (vec!["--cloze", "a::b"], "card syntax"),
        (
            vec!["--question", "What?", "--answer", "   "],
            "nothing is selected",
        ),
    ] {
        let mut all = vec!["extract", tides.as_str()];
        all.extend(args);
        let out = env.run(&all);
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{all:?}: {stderr}");
    }
    assert_eq!(file_bytes(&env), before);
}
