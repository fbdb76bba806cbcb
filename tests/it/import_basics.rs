//! Import behaviour beyond identity: decks, encodings, skipping, rendering,
//! sanitising, media, dry runs and atomicity.

use crate::support::{note_report, Env};

#[test]
fn folder_import_nests_decks_and_skips_hidden_folders() {
    let env = Env::new();
    env.write("top.md", "# Top\nBody of top.\n");
    env.write(
        "sub/inner.markdown",
        "---\ntitle: Inner Title\n---\nInner body.\n",
    );
    env.write("sub/plain.txt", "No headings at all, just text.\n");
    env.write(".obsidian/workspace.md", "# Hidden\nNever imported.\n");
    env.write(".git/notes.md", "# Hidden\nNever imported.\n");
    env.write("image.png", b"\x89PNG\r\n\x1a\n\0\0");
    env.import_notes();
    let decks = env.json(&["decks"]);
    assert_eq!(decks.as_array().expect("array").len(), 1);
    assert_eq!(decks[0]["name"], "notes");
    assert_eq!(decks[0]["total"], 3);
    assert_eq!(decks[0]["new"], 3);
    let names: Vec<String> = env
        .cards()
        .iter()
        .map(|c| c["deck"].as_str().expect("deck").to_owned())
        .collect();
    assert_eq!(
        names,
        ["notes::Top", "notes::sub::Inner Title", "notes::sub::plain"]
    );
    let sub = env.json(&["cards", "--deck", "notes::sub"]);
    assert_eq!(
        sub.as_array().expect("array").len(),
        2,
        "deck filter includes only that deck"
    );
}

#[test]
fn deck_option_names_the_deck() {
    let env = Env::new();
    let file = env.write("a.md", "# A title\n## Q\nAnswer.\n");
    env.ok(&[
        "import",
        file.to_str().expect("path"),
        "--deck",
        "Exam::Week 1",
    ]);
    assert_eq!(env.card("Q")["deck"], "Exam::Week 1");
    let tree = env.json(&["decks"]);
    assert_eq!(tree[0]["name"], "Exam");
    assert_eq!(tree[0]["children"][0]["short_name"], "Week 1");
    assert_eq!(tree[0]["total"], 1);
}

#[test]
fn encodings_line_endings_and_byte_order_marks() {
    let env = Env::new();
    env.write("bom.md", b"\xEF\xBB\xBF# BOM\r\n## Q1\r\nCRLF answer\r\n");
    env.write(
        "latin.md",
        b"# Latin\n## Caf\xE9\nCr\xE8me br\xFBl\xE9e \x96 dessert\n",
    );
    let report = env.import_notes();
    assert!(note_report(&report, "latin.md")["warnings"]
        .to_string()
        .contains("Windows-1252"));
    assert_eq!(env.card("Q1")["back_html"], "<p>CRLF answer</p>");
    assert_eq!(env.card("Q1")["deck"], "notes::BOM");
    assert_eq!(
        env.card("Café")["back_html"],
        "<p>Crème brûlée – dessert</p>"
    );
}

#[test]
fn binary_oversized_and_empty_files_are_skipped_with_reasons() {
    let env = Env::new();
    env.write("good.md", "# Good\n## Q\nA.\n");
    env.write("binary.md", b"\0\x01\x02binary");
    env.write(
        "huge.md",
        "# Huge\n".to_owned() + &"word ".repeat(3_600_000),
    );
    env.write("empty.md", "");
    env.write("hollow.md", "# Hollow\n## Nothing here\n### Nor here\n");
    let out = env.run(&["import", env.notes().to_str().expect("path"), "--json"]);
    assert!(out.status.success(), "skipping bad files is not a failure");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(note_report(&report, "binary.md")["skipped_items"]
        .to_string()
        .contains("binary"));
    let huge = note_report(&report, "huge.md")["skipped_items"].to_string();
    assert!(huge.contains("18.0 MB") && huge.contains("limit"), "{huge}");
    assert!(note_report(&report, "empty.md")["skipped_items"]
        .to_string()
        .contains("empty"));
    let hollow = note_report(&report, "hollow.md")["skipped_items"].to_string();
    assert!(
        hollow.contains("Nothing here") && hollow.contains("no content of its own"),
        "{hollow}"
    );
    assert_eq!(env.cards().len(), 1, "only the good note made a card");
}

#[test]
fn markdown_features_render_to_html() {
    let env = Env::new();
    env.write(
        "features.md",
        concat!(
            "# Features\n",
            "## Table\n| a | b |\n|---|:-:|\n| 1 | 2 |\n\n",
            "## Code\n```rust\n# not a heading\nfn main() {}\n```\n\n",
            "## Setext heading\n\nText under it.\n\nAnother setext\n--------------\nBody two.\n\n",
            "## Closing hashes ##\nBody three.\n\n",
            "## Math and more\nInline $e^{i\\pi}+1=0$ and ==highlighted== and ~~struck~~ text[^1].\n\n$$\\int_0^1 x\\,dx$$\n\n- [x] done\n- [ ] open\n\n[^1]: A footnote.\n\n",
            "## Braces outside Jekyll\nOn {{date}} the {{c1::answer::hint}} shows.\n\n",
            "## Callouts\n> [!tip]- Folded tip\n> Hidden body.\n\n> [!warning]\n> Careful.\n",
        ),
    );
    env.write(
        "site/_posts/2024-01-01-post.md",
        "# Post\n## Jekyll and kramdown\n{% include figure.html path=\"x.png\" %}\nVisible {{ site.title }}text.\n{: .lead}\n{% raw %}{{ kept }}{% endraw %}\n",
    );
    env.import_notes();
    let back = |h: &str| env.card(h)["back_html"].as_str().expect("back").to_owned();
    assert!(back("Table").contains("<table>"));
    let code = back("Code");
    assert!(
        code.contains("<pre><code class=\"language-rust\"># not a heading"),
        "{code}"
    );
    assert_eq!(back("Setext heading"), "<p>Text under it.</p>");
    assert_eq!(back("Another setext"), "<p>Body two.</p>");
    assert_eq!(
        env.card("Closing hashes")["heading_path"],
        serde_json::json!(["Closing hashes"])
    );
    let math = back("Math and more");
    assert!(
        math.contains("<span class=\"math math-inline\">e^{i\\pi}+1=0</span>"),
        "{math}"
    );
    assert!(
        math.contains("<span class=\"math math-display\">"),
        "{math}"
    );
    assert!(
        math.contains("<mark>highlighted</mark>") && math.contains("<del>struck</del>"),
        "{math}"
    );
    assert!(
        math.contains("<span class=\"task") && math.contains("footnote"),
        "{math}"
    );
    let jekyll = back("Jekyll and kramdown");
    assert_eq!(jekyll, "<p>Visible text.</p>\n<p>{{ kept }}</p>");
    // A paragraph with an Anki cloze is a cloze card; other braces stay.
    let cloze = back("c1: answer");
    assert_eq!(
        cloze.as_str(),
        "<p>On {{date}} the <mark>answer</mark> shows.</p>"
    );
    let callouts = back("Callouts");
    assert!(callouts.contains("<details class=\"callout\" data-callout=\"tip\"><summary class=\"callout-title\">Folded tip</summary>"), "{callouts}");
    assert!(
        callouts.contains("<div class=\"callout-title\">Warning</div>"),
        "{callouts}"
    );
}

#[test]
fn raw_html_is_sanitised() {
    let env = Env::new();
    env.write(
        "xss.md",
        "# XSS\n## Attack\n<script>alert(1)</script><img src=x onerror=\"alert(2)\"><a href=\"javascript:alert(3)\">js</a><iframe src=\"https://evil.example\"></iframe><p onclick=\"alert(4)\" style=\"color:red\">click</p>\n\nLine<br>break H<sub>2</sub>O <a href=\"https://example.org\">safe</a> <details><summary>More</summary>Hidden</details>\n",
    );
    env.import_notes();
    let back = env.card("Attack")["back_html"]
        .as_str()
        .expect("back")
        .to_owned();
    for bad in [
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
        "style=",
    ] {
        assert!(!back.contains(bad), "`{bad}` survived: {back}");
    }
    for good in [
        "<br>",
        "<sub>2</sub>",
        "href=\"https://example.org\"",
        "<details>",
        "<summary>More</summary>",
    ] {
        assert!(back.contains(good), "`{good}` was removed: {back}");
    }
}

#[test]
fn local_images_are_copied_and_missing_ones_reported() {
    let env = Env::new();
    env.write(
        "attachments/diagram.png",
        b"\x89PNG\r\n\x1a\nfake image bytes",
    );
    env.write("pics/photo one.jpg", b"\xFF\xD8\xFFfake jpeg");
    env.write(
        "vault/note.md",
        "# Pictures\n## Embed\n![[diagram.png]]\n\n## Relative\n![A photo](../pics/photo%20one.jpg)\n\n## Missing\n![Lost chart](nowhere.png) and ![[gone.png]]\n",
    );
    let report = env.import_notes();
    let embed = env.card("Embed")["back_html"]
        .as_str()
        .expect("back")
        .to_owned();
    assert!(
        embed.contains("<img src=\"media/") && embed.contains(".png\""),
        "{embed}"
    );
    assert!(env.card("Relative")["back_html"]
        .as_str()
        .expect("back")
        .contains(".jpg\" alt=\"A photo\""));
    let missing = env.card("Missing")["back_html"]
        .as_str()
        .expect("back")
        .to_owned();
    assert!(
        missing.contains("Lost chart") && !missing.contains("<img"),
        "{missing}"
    );
    let warnings = note_report(&report, "note.md")["warnings"].to_string();
    assert!(
        warnings.contains("nowhere.png") && warnings.contains("gone.png"),
        "{warnings}"
    );
    let media: Vec<_> = std::fs::read_dir(env.dir.path().join("collection.media"))
        .expect("media dir")
        .collect();
    assert_eq!(media.len(), 2);
}

#[test]
fn dry_run_writes_nothing() {
    let env = Env::new();
    env.write("a.md", "# A\n## Q\nAnswer.\n");
    let report = env.json(&["import", env.notes().to_str().expect("path"), "--dry-run"]);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["totals"]["added"], 1);
    assert!(env.cards().is_empty());
    assert!(env.json(&["decks"]).as_array().expect("array").is_empty());
}

#[test]
fn junk_sections_are_skipped_with_their_reason_and_return_when_a_rule_is_off() {
    let env = Env::new();
    env.write(
        "vault/journal.md",
        concat!(
            "# Monday\n",
            "#daily #log\n\n",
            "## Reading\n- [[Deep Work]]\n- [A paper](https://example.org/p)\n\n",
            "## Chores\n- [ ] laundry\n- [x] email Sam\n\n",
            "## Learned\nMitochondria make ATP.\n\n",
            "## Unsafe\n<script>alert(1)</script>\n\n",
            "## Gone\n![[nowhere.png]]\n",
        ),
    );
    env.write(
        "vault/index.md",
        "# Index\n- [[Alpha]]\n- [[Beta]]\n- [[Gamma]]\n- [[Delta]]\n- [[Epsilon]]\n- [[Zeta]]\n",
    );
    let report = env.json(&["import", env.notes().join("vault").to_str().expect("path")]);
    let cards = env.cards();
    let headings: Vec<String> = cards.iter().map(crate::support::last_heading).collect();
    assert_eq!(headings, ["Learned"], "{report:#}");
    let text = report.to_string();
    for rule in [
        "rule only-tags",
        "rule only-links",
        "rule only-tasks",
        "rule empty",
        "rule only-missing-media",
        "rule link-pages",
    ] {
        assert!(text.contains(rule), "{rule} is reported: {report:#}");
    }

    // Turning a rule off brings its sections back at the next import.
    env.json(&[
        "settings",
        "--skip",
        "only-tasks=off",
        "--skip",
        "link-pages=off",
    ]);
    let settings = env.json(&["settings"]);
    assert_eq!(settings["skip_rules"]["only_tasks"], false);
    assert_eq!(settings["skip_rules"]["only_links"], true);
    let again = env.json(&["import"]);
    let headings: Vec<String> = env
        .cards()
        .iter()
        .map(crate::support::last_heading)
        .collect();
    assert_eq!(headings, ["Chores", "Learned"]);
    assert_eq!(again["totals"]["added"], 1, "{again:#}");
    // The index page is read section by section now: a list of links.
    let index = crate::support::note_report(&again, "index.md").to_string();
    assert!(
        index.contains("rule only-links") && !index.contains("rule link-pages"),
        "{index}"
    );
    // On again: the card is retired (history kept); off again: it returns
    // with the same id.
    let chores = env.card("Chores")["id"].clone();
    env.json(&["settings", "--skip", "only-tasks=on"]);
    let retired = env.json(&["import"]);
    assert_eq!(retired["totals"]["retired"], 1, "{retired:#}");
    env.json(&["settings", "--skip", "only-tasks=off"]);
    let restored = env.json(&["import"]);
    assert_eq!(restored["totals"]["restored"], 1, "{restored:#}");
    assert_eq!(env.card("Chores")["id"], chores);
    let out = env.run(&["settings", "--skip", "nonsense=off"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the rules are"));
}

#[test]
fn a_jekyll_site_resolves_root_relative_images_and_post_links() {
    let env = Env::new();
    env.write("site/_config.yml", "title: A site\n");
    env.write("site/assets/fig.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    env.write(
        "site/_posts/2024-02-01-figures.md",
        "---\nlayout: post\ntitle: Figures\n---\n## Chart\n![a chart](/assets/fig.png)\n<img src=\"/assets/fig.png\" alt=\"raw\">\n<img src=\"/assets/none.png\">\n\n## Link\nSee [the intro]({% post_url 2024-01-31-intro %}) and \\(x^2\\).\n",
    );
    // Only the posts folder is imported: the site (with `_config.yml`) is
    // still the root for `/assets/…`.
    env.json(&[
        "import",
        env.notes().join("site/_posts").to_str().expect("path"),
    ]);
    let chart = env.card("Chart")["back_html"]
        .as_str()
        .expect("html")
        .to_owned();
    assert_eq!(chart.matches("src=\"media/").count(), 2, "{chart}");
    assert!(chart.contains("missing-image"), "{chart}");
    let link = env.card("Link")["back_html"]
        .as_str()
        .expect("html")
        .to_owned();
    assert!(link.contains("href=\"2024-01-31-intro.md\""), "{link}");
    assert!(link.contains("math math-inline"), "{link}");
}

#[test]
fn embedded_notes_show_their_content_with_cycles_cut() {
    let env = Env::new();
    env.write(
        "vault/Cells.md",
        "# Cells\n## Summary\n![[Organelles#Mitochondria]]\n\n## Quote\n![[Organelles#^atp]]\n\n## Whole\n![[Loop]]\n\n## Missing\n![[Nowhere]]\n",
    );
    env.write(
        "vault/biology/Organelles.md",
        "# Organelles\n## Mitochondria\nThey make ATP. ^atp\n\n## Ribosomes\nThey build proteins.\n",
    );
    env.write("vault/Loop.md", "# Loop\nLoop text.\n![[Cells#Whole]]\n");
    let report = env.import_notes();
    let back = |h: &str| {
        env.cards()
            .iter()
            .find(|c| {
                crate::support::last_heading(c) == h
                    && c["note"].as_str().unwrap_or("").ends_with("Cells.md")
            })
            .map(|c| c["back_html"].as_str().expect("html").to_owned())
            .unwrap_or_else(|| panic!("no card {h}"))
    };
    let summary = back("Summary");
    assert!(
        summary.contains("class=\"embed\"") && summary.contains("They make ATP."),
        "{summary}"
    );
    assert!(
        !summary.contains("build proteins"),
        "only the heading's section: {summary}"
    );
    let quote = back("Quote");
    assert!(
        quote.contains("They make ATP.") && !quote.contains("^atp"),
        "{quote}"
    );
    let whole = back("Whole");
    assert!(
        whole.contains("Loop text.") && whole.contains("embed-cut"),
        "{whole}"
    );
    let missing = back("Missing");
    assert!(missing.contains("missing-embed"), "{missing}");
    let text = report.to_string();
    assert!(
        text.contains("embedded note `Nowhere` not found"),
        "{report:#}"
    );
    assert!(text.contains("leads back to itself"), "{report:#}");

    // Editing only the embedded note reaches the embedding note's card.
    let summary_id = env
        .cards()
        .iter()
        .find(|c| crate::support::last_heading(c) == "Summary")
        .map(|c| c["id"].clone())
        .expect("summary");
    env.write(
        "vault/biology/Organelles.md",
        "# Organelles\n## Mitochondria\nThey make most of the cell's ATP. ^atp\n\n## Ribosomes\nThey build proteins.\n",
    );
    let again = env.import_notes();
    assert!(back("Summary").contains("most of the cell"), "{again:#}");
    let same_id = env
        .cards()
        .iter()
        .find(|c| crate::support::last_heading(c) == "Summary")
        .map(|c| c["id"].clone());
    assert_eq!(same_id, Some(summary_id));
}

#[test]
fn an_import_under_another_deck_name_warns_that_notes_move_and_accepts_home() {
    let env = Env::new();
    env.write("bio/cells.md", "# Cells\n\n## Q\nA.\n");
    let folder = env.notes().join("bio");
    let path = folder.to_str().expect("path");
    env.json(&["import", path, "--deck", "Biology"]);
    let preview = env.json(&["import", path, "--deck", "Bio 101", "--dry-run"]);
    let warnings = preview["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{preview:#}");
    let text = warnings[0].as_str().expect("text");
    assert!(
        text.contains("1 note would move from the deck Biology::Cells to Bio 101::Cells"),
        "{text}"
    );
    assert_eq!(preview["notes"][0]["deck_before"], "Biology::Cells");
    // The same path again under its own name: no warning.
    let again = env.json(&["import", path, "--deck", "Biology", "--dry-run"]);
    assert_eq!(again["warnings"], serde_json::json!([]));
    // `~` is the home folder, as in a shell.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_notedeck"))
        .arg("--db")
        .arg(env.db())
        .args([
            "import",
            "~/bio",
            "--deck",
            "Biology",
            "--dry-run",
            "--json",
        ])
        .env("HOME", env.notes())
        .env_remove("NOTEDECK_DB")
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["notes"].as_array().map(Vec::len), Some(1));
}

#[test]
fn a_preview_names_the_cards_it_would_change() {
    let env = Env::new();
    env.write(
        "cells.md",
        "# Cells\n\n## Nucleus\nHolds the DNA of the cell.\n\n## Ribosome\nMakes proteins from RNA.\n\n## Golgi\nPackages proteins for export.\n",
    );
    env.import_notes();
    // Nucleus edited, Golgi gone, Vacuole new.
    env.write(
        "cells.md",
        "# Cells\n\n## Nucleus\nHolds the DNA of the cell, behind a double membrane.\n\n## Ribosome\nMakes proteins from RNA.\n\n## Vacuole\nStores water.\n",
    );
    let notes = env.notes();
    let preview = env.json(&["import", notes.to_str().expect("path"), "--dry-run"]);
    let note = note_report(&preview, "cells.md");
    let mut changes: Vec<(String, String)> = note["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            let heading = c["heading"].as_str().expect("heading");
            (
                c["kind"].as_str().expect("kind").to_owned(),
                heading.rsplit(" › ").next().unwrap_or(heading).to_owned(),
            )
        })
        .collect();
    changes.sort();
    assert_eq!(
        changes,
        [
            ("added".to_owned(), "Vacuole".to_owned()),
            ("retired".to_owned(), "Golgi".to_owned()),
            ("updated".to_owned(), "Nucleus".to_owned()),
        ],
        "{note:#}"
    );
    assert_eq!(
        env.card("Nucleus")["back_html"],
        "<p>Holds the DNA of the cell.</p>",
        "a preview writes nothing"
    );
}

#[test]
fn implicit_headings_can_be_turned_off() {
    let env = Env::new();
    env.write(
        "draft.md",
        "Part 1:\nThe first part has its own text.\n\nPart 2:\nThe second part too.\n",
    );
    env.import_notes();
    let live = |env: &Env| {
        env.cards()
            .into_iter()
            .filter(|c| c["state"] != "retired")
            .map(|c| crate::support::last_heading(&c))
            .collect::<Vec<_>>()
    };
    assert_eq!(live(&env), ["Part 1", "Part 2"]);
    let settings = env.json(&["settings", "--implicit-headings", "off"]);
    assert_eq!(settings["implicit_headings"], false);
    env.import_notes();
    assert_eq!(live(&env), [""], "one card for the whole note");
}
