//! Progress survives editing: every identity rule of re-importing a note.

use serde_json::Value;

use crate::support::{note_report, Env};

const NOTE: &str = "---\ntitle: Biology\n---\nIntro to the note.\n\n## Cells\nCells are the unit of life.\n\n### Membranes\nLipid bilayers keep the inside in.\n\n## Genetics\nDNA stores hereditary information.\n\n## Evolution\nNatural selection acts on variation.\n";

/// Every card's id, sorted.
fn sorted_ids(env: &Env) -> Vec<String> {
    let mut ids: Vec<String> = env
        .cards()
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// Gives a card some progress, as reviews would.
fn give_progress(env: &Env, id: &str) {
    env.sql()
        .execute(
            "UPDATE cards SET repetitions = 3, ease_factor = 2.36, interval_days = 15, lapses = 1, due_day = '2030-01-20' WHERE id = ?1",
            [id],
        )
        .expect("update");
}

#[track_caller]
fn assert_progress_kept(card: &Value) {
    assert_eq!(card["repetitions"], 3, "{card:#}");
    assert_eq!(card["ease_factor"], 2.36);
    assert_eq!(card["interval_days"], 15);
    assert_eq!(card["lapses"], 1);
    assert_eq!(card["due"], "2030-01-20");
}

fn setup() -> (Env, String) {
    let env = Env::new();
    env.write("bio.md", NOTE);
    env.import_notes();
    let id = env.card("Genetics")["id"].as_str().expect("id").to_owned();
    give_progress(&env, &id);
    (env, id)
}

#[test]
fn edited_section_keeps_its_card_and_schedule() {
    let (env, id) = setup();
    env.write(
        "bio.md",
        NOTE.replace(
            "DNA stores hereditary information.",
            "DNA and RNA store hereditary information.",
        ),
    );
    let report = env.import_notes();
    let note = note_report(&report, "bio.md");
    assert_eq!(note["status"], "updated");
    assert_eq!(note["updated"], 1);
    assert_eq!(note["unchanged"], 4);
    let card = env.card("Genetics");
    assert_eq!(card["id"], id.as_str());
    assert!(card["back_html"]
        .as_str()
        .expect("back")
        .contains("DNA and RNA"));
    assert_progress_kept(&card);
}

#[test]
fn renamed_heading_keeps_its_card() {
    let (env, id) = setup();
    env.write("bio.md", NOTE.replace("## Genetics", "## Heredity"));
    let report = env.import_notes();
    assert_eq!(note_report(&report, "bio.md")["moved"], 1);
    let card = env.card("Heredity");
    assert_eq!(card["id"], id.as_str());
    assert_progress_kept(&card);
}

#[test]
fn renamed_and_lightly_edited_heading_keeps_its_card() {
    let env = Env::new();
    let long = "## Photosynthesis\nPlants turn light, water and carbon dioxide into sugar and oxygen inside their chloroplasts, mostly in the leaves.\n";
    env.write("plants.md", long);
    env.import_notes();
    let id = env.card("Photosynthesis")["id"].clone();
    env.write(
        "plants.md",
        long.replace("## Photosynthesis", "## How plants make sugar")
            .replace("mostly in the leaves", "mostly in leaves"),
    );
    let report = env.import_notes();
    assert_eq!(note_report(&report, "plants.md")["moved"], 1, "{report:#}");
    assert_eq!(env.card("How plants make sugar")["id"], id);
}

#[test]
fn section_moved_under_another_heading_keeps_its_card() {
    let (env, id) = setup();
    let moved = "---\ntitle: Biology\n---\nIntro to the note.\n\n## Cells\nCells are the unit of life.\n\n### Membranes\nLipid bilayers keep the inside in.\n\n### Genetics\nDNA stores hereditary information.\n\n## Evolution\nNatural selection acts on variation.\n";
    env.write("bio.md", moved);
    env.import_notes();
    let card = env.card("Genetics");
    assert_eq!(
        card["heading_path"],
        serde_json::json!(["Cells", "Genetics"])
    );
    assert_eq!(card["id"], id.as_str());
    assert_progress_kept(&card);
}

#[test]
fn renamed_note_file_keeps_its_cards() {
    let (env, id) = setup();
    let before: Vec<Value> = env.cards().iter().map(|c| c["id"].clone()).collect();
    std::fs::rename(
        env.notes().join("bio.md"),
        env.notes().join("biology-notes.md"),
    )
    .expect("rename");
    let report = env.import_notes();
    let note = note_report(&report, "biology-notes.md");
    assert_eq!(note["status"], "moved", "{report:#}");
    assert!(note["moved_from"]
        .as_str()
        .expect("from")
        .ends_with("bio.md"));
    let after: Vec<Value> = env.cards().iter().map(|c| c["id"].clone()).collect();
    assert_eq!(before, after);
    assert_progress_kept(&env.card("Genetics"));
    assert_eq!(env.card("Genetics")["id"], id.as_str());
}

#[test]
fn note_moved_to_a_subfolder_and_edited_keeps_its_cards() {
    let (env, id) = setup();
    std::fs::create_dir_all(env.notes().join("science")).expect("mkdir");
    std::fs::remove_file(env.notes().join("bio.md")).expect("rm");
    env.write(
        "science/bio.md",
        NOTE.replace(
            "Natural selection acts on variation.",
            "Selection acts on heritable variation.",
        ),
    );
    let report = env.import_notes();
    assert_eq!(
        note_report(&report, "science/bio.md")["status"],
        "moved",
        "{report:#}"
    );
    let card = env.card("Genetics");
    assert_eq!(card["id"], id.as_str());
    assert_eq!(card["deck"], "notes::science::Biology");
    assert_progress_kept(&card);
}

#[test]
fn removed_section_is_retired_and_returns_with_its_progress() {
    let (env, id) = setup();
    env.write(
        "bio.md",
        NOTE.replace("## Genetics\nDNA stores hereditary information.\n\n", ""),
    );
    let report = env.import_notes();
    assert_eq!(note_report(&report, "bio.md")["retired"], 1);
    let retired = env.card("Genetics");
    assert_eq!(retired["state"], "retired");
    let decks = env.json(&["decks"]);
    assert_eq!(
        decks[0]["total"], 4,
        "retired cards leave the counts: {decks:#}"
    );

    env.write("bio.md", NOTE);
    let report = env.import_notes();
    assert_eq!(note_report(&report, "bio.md")["restored"], 1);
    let card = env.card("Genetics");
    assert_eq!(card["id"], id.as_str());
    assert_ne!(card["state"], "retired");
    assert_progress_kept(&card);
}

#[test]
fn deleted_note_retires_its_cards() {
    let (env, _) = setup();
    std::fs::remove_file(env.notes().join("bio.md")).expect("rm");
    let report = env.import_notes();
    let note = note_report(&report, "bio.md");
    assert_eq!(note["status"], "missing");
    assert_eq!(note["retired"], 5);
    assert!(env.cards().iter().all(|c| c["state"] == "retired"));
}

#[test]
fn unchanged_folder_is_not_parsed_again() {
    let (env, _) = setup();
    // Same size and modification time, different bytes: if the importer
    // read the file it would see the change; it must trust the stat.
    let path = env.notes().join("bio.md");
    let modified = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .expect("mtime");
    let garbage = "x".repeat(NOTE.len());
    std::fs::write(&path, garbage).expect("write");
    let file = std::fs::File::options()
        .write(true)
        .open(&path)
        .expect("open");
    file.set_modified(modified).expect("set mtime");
    drop(file);
    let report = env.import_notes();
    let note = note_report(&report, "bio.md");
    assert_eq!(note["status"], "unchanged");
    assert_eq!(note["unchanged"], 5);
    assert_eq!(report["totals"]["added"], 0);
}

#[test]
fn touched_but_identical_file_is_unchanged() {
    let (env, _) = setup();
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.write("bio.md", NOTE);
    let report = env.import_notes();
    assert_eq!(note_report(&report, "bio.md")["status"], "unchanged");
}

#[test]
fn import_without_paths_refreshes_every_source() {
    let (env, id) = setup();
    let single = env.dir.path().join("single.md");
    std::fs::write(
        &single,
        "# Chemistry\n## Atoms\nProtons, neutrons, electrons.\n",
    )
    .expect("write");
    env.ok(&["import", single.to_str().expect("path")]);
    env.write("bio.md", NOTE.replace("Natural selection", "Selection"));
    std::fs::write(
        &single,
        "# Chemistry\n## Atoms\nProtons and neutrons in a nucleus.\n",
    )
    .expect("write");
    let report = env.json(&["import"]);
    assert_eq!(report["totals"]["updated"], 2, "{report:#}");
    assert_eq!(env.card("Genetics")["id"], id.as_str());
    assert_eq!(env.card("Atoms")["deck"], "Chemistry");
}

#[test]
fn repeated_headings_are_told_apart_by_their_breadcrumb() {
    let env = Env::new();
    env.write("t.md", "# Topics\n## Sorting\n### Example\nBubble sort.\n## Searching\n### Example\nBinary search.\n");
    env.import_notes();
    let cards = env.cards();
    let examples: Vec<&Value> = cards
        .iter()
        .filter(|c| crate::support::last_heading(c) == "Example")
        .collect();
    assert_eq!(examples.len(), 2);
    assert!(examples[0]["front_html"]
        .as_str()
        .expect("front")
        .contains("Topics › Sorting"));
    assert!(examples[1]["front_html"]
        .as_str()
        .expect("front")
        .contains("Topics › Searching"));
}

#[test]
fn the_same_vault_gives_the_same_ids_wherever_it_is() {
    let one = Env::new();
    let two = Env::new();
    for env in [&one, &two] {
        env.write("vault/.obsidian/app.json", "{}");
        env.write("vault/bio/cells.md", "# Cells\n## Nucleus\nHolds DNA.\n");
        env.write(
            "vault/attachments/cell.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        );
        env.write(
            "vault/bio/organs.md",
            "# Organs\n## Heart\nPumps blood. ![[cell.png]]\n",
        );
    }
    one.json(&["import", one.notes().join("vault").to_str().expect("path")]);
    // The other imports only a sub-folder, from another place: the vault
    // (the folder with `.obsidian/`) is still the root.
    two.json(&[
        "import",
        two.notes().join("vault/bio").to_str().expect("path"),
    ]);
    assert_eq!(sorted_ids(&one), sorted_ids(&two));
    let heart = two.card("Heart")["back_html"]
        .as_str()
        .expect("html")
        .to_owned();
    assert!(
        heart.contains("<img src=\"media/"),
        "the vault's attachment is found: {heart}"
    );
}

/// Cards written in a note keep their id and progress when the text around
/// them changes, when they are reordered, and when they are lightly edited;
/// a card whose line is removed is retired.
#[test]
fn written_cards_keep_their_progress_across_edits() {
    let env = Env::new();
    env.write(
        "geo.md",
        "# Geography\n\n## Capitals\nA few capitals.\n\n- France::Paris\n- Italy::Rome\n- Spain::Madrid\n\nThe {{c1::Danube}} flows through {{c2::Vienna}}.\n",
    );
    env.import_notes();
    let id_of = |env: &Env, name: &str| env.card(name)["id"].as_str().expect("id").to_owned();
    let italy = id_of(&env, "Italy");
    let spain = id_of(&env, "Spain");
    let cloze = id_of(&env, "c2: Vienna");
    for id in [&italy, &spain, &cloze] {
        give_progress(&env, id);
    }
    // Text around them edited, the cards reordered, one front reworded a
    // little, one card removed, the cloze paragraph lightly edited.
    env.write(
        "geo.md",
        "# Geography\n\n## Capitals\nA few European capitals, to learn first.\n\n- Spain::Madrid\n- Italy (the country)::Rome\n\nThe {{c1::Danube}} river flows through {{c2::Vienna}}.\n",
    );
    let report = env.import_notes();
    let counts = note_report(&report, "geo.md");
    assert_eq!(counts["retired"], 1, "{report:#}");
    assert_eq!(counts["added"], 0, "{report:#}");
    assert_progress_kept(&env.card("Spain"));
    assert_eq!(id_of(&env, "Spain"), spain);
    let reworded = env.card("Italy (the country)");
    assert_eq!(reworded["id"], italy.as_str());
    assert_progress_kept(&reworded);
    let edited = env.card("c2: Vienna");
    assert_eq!(edited["id"], cloze.as_str());
    assert_progress_kept(&edited);
    assert_eq!(edited["kind"], "cloze");
    let kinds: Vec<String> = env
        .cards()
        .iter()
        .filter(|c| c["state"] != "retired")
        .map(|c| c["kind"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(kinds, ["section", "basic", "basic", "cloze", "cloze"]);
}

/// Two vaults holding a note at the same place make the same first id for
/// its sections: the second vault's cards take the next free id, and both
/// keep theirs on the next import.
#[test]
fn the_same_place_in_two_vaults_gives_two_cards() {
    let env = Env::new();
    env.write("one/bio.md", NOTE);
    env.write("two/bio.md", NOTE);
    let one = env.notes().join("one");
    let two = env.notes().join("two");
    for vault in [&one, &two] {
        let report = env.json(&["import", vault.to_str().expect("path")]);
        assert_eq!(report["totals"]["added"], 5, "{report}");
    }
    let places: Vec<String> = {
        let sql = env.sql();
        let mut stmt = sql
            .prepare("SELECT vault_path FROM notes")
            .expect("prepare");
        let rows = stmt.query_map([], |r| r.get(0)).expect("query");
        rows.map(|r| r.expect("row")).collect()
    };
    assert_eq!(
        places,
        ["bio.md", "bio.md"],
        "the same place in both vaults"
    );
    let first = sorted_ids(&env);
    assert_eq!(first.len(), 10, "{first:?}");
    assert!(first.windows(2).all(|w| w[0] != w[1]), "{first:?}");
    let again = env.json(&["import"]);
    assert_eq!(again["totals"]["added"], 0, "{again}");
    assert_eq!(sorted_ids(&env), first);
}
