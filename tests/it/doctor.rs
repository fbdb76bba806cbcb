//! `notedeck doctor`: the card doctor's findings on real imports, and the
//! JSON contract scripts rely on.

use crate::support::Env;

#[test]
fn doctor_reports_weak_cards_with_the_contract_fields() {
    let env = Env::new();
    let long = "A sentence that adds one more fact to remember. ".repeat(25);
    env.write(
        "bio.md",
        format!(
            "# Biology\n\n## Overview\nCells are the unit of life.\n\n## Everything about cells\n{long}\n\n## Organelles\n- nucleus\n- ribosome\n- mitochondrion\n- chloroplast\n- vacuole\n- lysosome\n\n## What is ATP?\nThe energy currency of the cell.\n"
        ),
    );
    env.write(
        "copy.md",
        "# Copy\n\n## Cells\nThe energy currency of the cell, as every textbook says it.\n\n## Energy\nThe energy currency of the cell, as every textbook says it.\n",
    );
    env.write(
        "more.md",
        "# More\n\n## Again\nThe energy currency of the cell, as every textbook says it.\n",
    );
    // Reading cards off: a section too long to answer stays a flashcard,
    // which the doctor names (with them on, it is a reading card).
    env.ok(&["settings", "--reading-per-day", "0"]);
    let report = env.import_notes();
    let findings = env.json(&["doctor"]);
    // The import report counts the doctor's findings in the notes it wrote
    // (near-duplicates across notes of the same import included).
    assert_eq!(
        report["doctor_findings"],
        findings.as_array().expect("array").len(),
        "{report:#}"
    );
    let findings = findings.as_array().expect("an array");
    let rule_of = |heading_line: i64, note: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| {
                f["note"].as_str().unwrap_or("").ends_with(note) && f["line"] == heading_line
            })
            .map(|f| f["rule"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(rule_of(3, "bio.md"), ["vague_front"], "{findings:#?}");
    assert_eq!(rule_of(6, "bio.md"), ["too_long"]);
    assert_eq!(rule_of(9, "bio.md"), ["enumeration"]);
    assert!(
        rule_of(17, "bio.md").is_empty(),
        "a good card has no finding"
    );
    assert_eq!(rule_of(3, "more.md"), ["near_duplicate"]);
    // Each finding names its card by its front, as the learner sees it.
    let near = findings
        .iter()
        .find(|f| {
            f["rule"] == "near_duplicate" && f["note"].as_str().unwrap_or("").ends_with("more.md")
        })
        .expect("near-duplicate");
    assert!(
        near["front"].as_str().expect("front").contains("Again"),
        "{near:#}"
    );
    for finding in findings {
        for field in [
            "card_id",
            "note",
            "line",
            "rule",
            "value",
            "threshold",
            "fix",
        ] {
            assert!(!finding[field].is_null(), "{field} missing in {finding}");
        }
    }
    // The doctor only reports: the cards are as they were.
    let before = env.cards();
    env.json(&["doctor"]);
    assert_eq!(env.cards(), before);
    let deck = env.json(&["doctor", "--deck", "notes::More"]);
    assert!(deck
        .as_array()
        .expect("array")
        .iter()
        .all(|f| f["note"].as_str().unwrap_or("").ends_with("more.md")));

    // A dismissed finding stays dismissed; it can be brought back.
    let card = findings
        .iter()
        .find(|f| f["rule"] == "vague_front")
        .expect("the vague heading")["card_id"]
        .as_str()
        .expect("id")
        .to_owned();
    env.json(&["doctor", "--dismiss", &card, "--rule", "vague_front"]);
    let after = env.json(&["doctor"]);
    assert!(after
        .as_array()
        .expect("array")
        .iter()
        .all(|f| f["card_id"] != card.as_str()));
    env.import_notes();
    let reimported = env.json(&["doctor"]);
    assert!(reimported
        .as_array()
        .expect("array")
        .iter()
        .all(|f| f["card_id"] != card.as_str()));
    env.json(&["doctor", "--undismiss", &card, "--rule", "vague_front"]);
    let back = env.json(&["doctor"]);
    assert!(back
        .as_array()
        .expect("array")
        .iter()
        .any(|f| f["card_id"] == card.as_str()));
    let refused = env.run(&["doctor", "--dismiss", &card, "--rule", "nonsense"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr)
        .contains("[possible values: too_long, enumeration, vague_front"));
}
