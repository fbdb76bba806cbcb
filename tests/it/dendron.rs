//! Dendron vaults: `tests/vaults/dendron/` (a workspace with `dendron.yml`
//! and a vault `notes/` of dotted notes) imported as it is, and a vault
//! written here whose parent note is renamed. Refresh the snapshot with
//! `UPDATE_EXPECT=1 cargo test`.

use std::path::{Path, PathBuf};

use expect_test::expect;
use serde_json::Value;

use crate::support::Env;

fn dendron_vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vaults/dendron/notes")
        .canonicalize()
        .expect("the test vault exists")
}

/// Each card as `note:line [headings] deck=…` and its back, then the
/// report's warnings.
fn listing(env: &Env, root: &Path, report: &Value) -> String {
    let root = root.to_str().expect("path");
    let relative = |path: &str| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .trim_start_matches('/')
            .to_owned()
    };
    let mut out = String::new();
    for card in env.cards() {
        let heading: Vec<&str> = card["heading_path"]
            .as_array()
            .expect("path")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        out.push_str(&format!(
            "{}:{} [{}] deck={}\n    {}\n",
            relative(card["note"].as_str().unwrap_or("")),
            card["line"],
            heading.join(" › "),
            card["deck"].as_str().unwrap_or(""),
            card["back_html"]
                .as_str()
                .unwrap_or("")
                .replace('\n', "\n    ")
        ));
    }
    for note in report["notes"].as_array().expect("notes") {
        let path = relative(note["path"].as_str().unwrap_or(""));
        for warning in note["warnings"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "warning {path}: {}\n",
                warning.as_str().unwrap_or("")
            ));
        }
    }
    out
}

#[test]
fn dendron_vault_decks_follow_the_hierarchy_and_references_are_shown() {
    let env = Env::new();
    let root = dendron_vault();
    let report = env.json(&["import", root.to_str().expect("path")]);
    for card in env.cards() {
        for side in ["front_html", "back_html"] {
            let html = card[side].as_str().unwrap_or("");
            assert!(!html.contains("{{fm."), "{side} of {card:#?}");
            assert!(!html.contains("![["), "{side} of {card:#?}");
        }
    }
    expect![[r#"
        root.md:8 [] deck=notes
            <p>The top of the study vault: biology and a review page.</p>
        biology.md:8 [] deck=notes::Life sciences
            <p>How living things work, from molecules to ecosystems.</p>
        biology.cells.md:8 [] deck=notes::Life sciences::Cells
            <p>The units every organism is built from.</p>
        biology.cells.md:11 [Parts] deck=notes::Life sciences::Cells
            <p>A cell keeps its insides apart from the world.</p>
        biology.cells.md:15 [Parts › Nucleus] deck=notes::Life sciences::Cells
            <p>Holds the genetic material.</p>
        biology.cells.md:19 [Parts › Ribosomes] deck=notes::Life sciences::Cells
            <p>Build proteins from amino acids.</p>
        biology.cells.md:23 [Sizes] deck=notes::Life sciences::Cells
            <p>Most are too small to see without a microscope.</p>
            <p><img src="media/99319ee5112226f50141.png" alt="Diagram"></p>
        biology.cells.membrane.md:8 [] deck=notes::Life sciences::Cells::Cell membrane
            <p>A thin layer of lipids around every cell, written by .</p>
        biology.cells.membrane.md:11 [Transport] deck=notes::Life sciences::Cells::Cell membrane
            <p>Small molecules cross on their own; larger ones need a channel.</p>
            <ul>
            <li>diffusion</li>
            <li>pumps that spend energy</li>
            </ul>
        biology.plants.photosynthesis.md:9 [Summary] deck=notes::Life sciences::Plants::Photosynthesis
            <p>Leaves turn light, water and carbon dioxide into sugar and oxygen.</p>
        review.md:9 [Inside a cell] deck=notes::Review
            <p>The parts, without their heading:</p>
            <div class="embed"><div class="embed-title">biology.cells › parts</div><p>A cell keeps its insides apart from the world.</p></div>
        review.md:15 [From the nucleus on] deck=notes::Review
            <div class="embed"><div class="embed-title">biology.cells › nucleus</div><h3>Nucleus</h3>
            <p>Holds the genetic material.</p>
            <h3>Ribosomes</h3>
            <p>Build proteins from amino acids.</p>
            <h2>Sizes</h2>
            <p>Most are too small to see without a microscope.</p>
            <p><img src="media/99319ee5112226f50141.png" alt="Diagram"></p></div>
        review.md:19 [Crossing the membrane] deck=notes::Review
            <p>Which molecules need help:</p>
            <div class="embed"><div class="embed-title">biology.cells.membrane</div><p>Small molecules cross on their own; larger ones need a channel.</p></div>
        review.md:25 [From gate to diffusion] deck=notes::Review
            <div class="embed"><div class="embed-title">biology.cells.membrane</div><p>Small molecules cross on their own; larger ones need a channel.</p>
            <ul>
            <li>diffusion</li>
            </ul></div>
        review.md:29 [Everything on plants] deck=notes::Review
            <p>See <span class="wikilink" title="biology.plants.photosynthesis">the plant notes</span> and <span class="wikilink" title="biology.plants.*">biology.plants.*</span>.</p>
        review.md:33 [What the membrane note says first] deck=notes::Review
            <div class="embed"><div class="embed-title">biology.cells.membrane</div><p>A thin layer of lipids around every cell, written by .</p></div>
        warning biology.cells.membrane.md: line 9: `{{fm.author}}` shows nothing: the front matter has no `author`
        warning review.md: line 31: `![[biology.plants.*]]` shows every note its pattern names: notedeck does not copy wildcard note references into cards; it is shown as a link
    "#]]
    .assert_eq(&listing(&env, &root, &report));
}

#[test]
fn renaming_a_dendron_parent_moves_its_children() {
    let env = Env::new();
    env.write("dendron.yml", "version: 5\n");
    env.write("root.md", "---\nid: r\ntitle: Root\n---\nThe top.\n");
    env.write(
        "garden.md",
        "---\nid: g\ntitle: Garden\n---\nWhat grows outside.\n",
    );
    env.write(
        "garden.herbs.basil.md",
        "---\nid: b\ntitle: Basil\n---\n## Care\nLikes warmth and sun.\n",
    );
    let decks = |env: &Env| {
        let mut decks: Vec<String> = env
            .cards()
            .iter()
            .map(|c| c["deck"].as_str().unwrap_or("").to_owned())
            .collect();
        decks.sort();
        decks
    };
    env.import_notes();
    assert_eq!(
        decks(&env),
        ["notes", "notes::Garden", "notes::Garden::Herbs::Basil"]
    );
    let care = env.card("Care")["id"].clone();
    // A new title for the parent: the child's stored rule changed, so it
    // is read again and moves, keeping its card.
    env.write(
        "garden.md",
        "---\nid: g\ntitle: Kitchen garden\n---\nWhat grows outside.\n",
    );
    let report = env.import_notes();
    assert_eq!(
        decks(&env),
        [
            "notes",
            "notes::Kitchen garden",
            "notes::Kitchen garden::Herbs::Basil"
        ]
    );
    assert_eq!(env.card("Care")["id"], care);
    let basil_note = crate::support::note_report(&report, "garden.herbs.basil.md");
    assert_eq!(basil_note["status"], "updated", "{basil_note:#}");
}
