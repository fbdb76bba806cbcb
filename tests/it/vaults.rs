//! The project's own test vaults (`tests/vaults/`: an Obsidian vault, a
//! Logseq graph, a Jekyll site, a GitBook space), imported as they are: a
//! snapshot of every card and of the report. Refresh with
//! `UPDATE_EXPECT=1 cargo test`.

use std::path::{Path, PathBuf};

use expect_test::{expect, Expect};
use serde_json::Value;

use crate::support::Env;

fn vault(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/vaults")
        .join(name)
        .canonicalize()
        .expect("the test vault exists")
}

/// Imports the vault and lists its cards and report, paths relative to it.
#[track_caller]
fn check(name: &str, expected: Expect) {
    let env = Env::new();
    let root = vault(name);
    let report = env.json(&["import", root.to_str().expect("path")]);
    let relative = |path: &str| {
        path.strip_prefix(root.to_str().expect("path"))
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
            "{} {}:{} [{}] deck={}\n    {}\n",
            card["id"].as_str().unwrap_or(""),
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
        for item in note["skipped_items"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "skipped {path}:{} {}: {}\n",
                item["line"],
                item["heading"].as_str().unwrap_or(""),
                item["reason"].as_str().unwrap_or("")
            ));
        }
        for warning in note["warnings"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "warning {path}: {}\n",
                warning.as_str().unwrap_or("")
            ));
        }
    }
    expected.assert_eq(&out);
}

#[test]
fn obsidian_vault() {
    check(
        "obsidian",
        expect![[r#"
            9824b055e024 Biology/Cells.md:4 [] deck=obsidian::Biology::Cells
                <p>The smallest unit of life.</p>
            10af9c1e728e Biology/Cells.md:8 [Organelles] deck=obsidian::Biology::Cells
                <p>The cell holds organelles, each with a job.</p>
                <p><img src="media/99319ee5112226f50141.png" alt="cell-diagram" width="240"></p>
            3c5a6e12b509 Biology/Cells.md:13 [Energy] deck=obsidian::Biology::Cells
                <div class="embed"><div class="embed-title">Energy › Mitochondria</div><p>They turn nutrients into ATP, the cell’s energy currency.</p></div>
            ee23109d74e9 Biology/Cells.md:24 [Questions › c1: mitochondrion] deck=obsidian::Biology::Cells
                <p>The powerhouse of the cell is the <mark>mitochondrion</mark>.<sup class="footnote-reference">1</sup></p>
                <div class="footnote-definition"><sup class="footnote-definition-label">1</sup>
                <p>A common exam phrase, not the whole story.</p>
                </div>
            f079fd51a207 Biology/Cells.md:28 [Appendix] deck=obsidian::Biology::Cells
                <p>A late top-level heading is an ordinary section here.</p>
            535c4f77204e Biology/Energy.md:3 [Mitochondria] deck=obsidian::Biology::Energy
                <p>They turn nutrients into ATP, the cell’s energy currency.</p>
            caaf603dacc8 Biology/Energy.md:6 [Chloroplasts] deck=obsidian::Biology::Energy
                <p>They capture light in plants.</p>
            skipped .obsidian:null : Obsidian's settings and plugins, not notes
            skipped .trash:null : Obsidian's trash: deleted notes are not imported
            skipped Templates:null : the vault's templates folder: templates are not notes to learn
            skipped Biology/Cells.md:16 Sources: only links, a reading list (rule only-links)
            skipped Biology/Cells.md:20 Tags: only tags, nothing to learn (rule only-tags)
            skipped Biology/Energy.md:9 To do: only tasks, a to-do list (rule only-tasks)
            skipped Index.md:1 Index: the note is mostly links: an index or map-of-content page (rule link-pages)
        "#]],
    );
}

#[test]
fn logseq_graph() {
    check(
        "logseq",
        expect![[r#"
            7a568efac35a pages/Photosynthesis.md:4 [Light reactions] deck=logseq::Photosynthesis
                <ul>
                <li>happen in the thylakoid membranes</li>
                <li>split water and release oxygen</li>
                </ul>
            5f32781319a9 pages/Photosynthesis.md:8 [Calvin cycle] deck=logseq::Photosynthesis
                <ul>
                <li>
                <p>fixes carbon dioxide into sugar</p>
                </li>
                <li>
                <p>see Light reactions</p>
                </li>
                </ul>
            b16a6d39debb journals/2024_03_01.md:1 [Read about enzymes #biology] deck=logseq::journals::2024_03_01
                <ul>
                <li>they lower activation energy</li>
                <li>they are not used up</li>
                </ul>
            e849017f52ce journals/2024_03_01.md:5 [Talked with the lab about sequencing] deck=logseq::journals::2024_03_01
                <ul>
                <li>short reads are cheap, long reads resolve repeats</li>
                </ul>
            c87ebf126718 journals/2024_03_01.md:7 [Reviewed photosynthesis] deck=logseq::journals::2024_03_01
                <ul>
                <li><div class="embed"><div class="embed-title">Photosynthesis</div><h2>Light reactions</h2>
                <ul>
                <li>happen in the thylakoid membranes</li>
                <li>split water and release oxygen</li>
                </ul>
                <h2>Calvin cycle</h2>
                <ul>
                <li>
                <p>fixes carbon dioxide into sugar</p>
                </li>
                <li>
                <p>see Light reactions</p>
                </li>
                </ul></div></li>
                </ul>
            skipped logseq:null : Logseq's own folder (backups and old versions of pages, settings), not notes
        "#]],
    );
}

#[test]
fn gitbook_space() {
    check(
        "gitbook",
        expect![[r#"
        f3162b0f01ab README.md:1 [] deck=gitbook::Tea basics
            <p>Tea is the cured leaf of one shrub; how the leaf is treated makes it green or black.</p>
            <div class="callout" data-callout="info"><div class="callout-title">Info</div><div class="callout-content">
            <p>Every true tea comes from the same plant.</p>
            </div></div>
            <p><a href="brewing/green.md" rel="noopener noreferrer">green.md</a></p>
        ffacfd5d6538 brewing/black.md:3 [Timer] deck=gitbook::brewing::Black tea
            <p><em>timer.sh</em></p>
            <pre><code class="language-sh">sleep 240 # {% not a tag in code %}
            </code></pre>
        33cd1eb9ca0e brewing/black.md:11 [Serving] deck=gitbook::brewing::Black tea
            <p>Milk is optional; lemon is common too.</p>
        3aa872dc270e brewing/green.md:7 [Water] deck=gitbook::brewing::Green tea
            <div class="callout" data-callout="warning"><div class="callout-title">Warning</div><div class="callout-content">
            <p>Water just off the boil makes green tea bitter.</p>
            </div></div>
            <p>Aim for about 80 °C.</p>
        535c5fba91ba brewing/green.md:19 [Steeping › Step 1: Warm the cup] deck=gitbook::brewing::Green tea
            <p>Rinse it with hot water first.</p>
        1b932e9bf0eb brewing/green.md:24 [Steeping › Step 2: Steep briefly] deck=gitbook::brewing::Green tea
            <p>Two minutes is enough.</p>
        2fc49aa02aeb brewing/green.md:32 [Kettles › Electric kettle] deck=gitbook::brewing::Green tea
            <p>Pick the 80 °C setting.</p>
        94190f826b22 brewing/green.md:36 [Kettles › Stove] deck=gitbook::brewing::Green tea
            <p>Take the pot off when the first small bubbles rise.</p>
        0560360c127f brewing/green.md:41 [Leaf chart] deck=gitbook::brewing::Green tea
            <p><img src="media/99319ee5112226f50141.png" alt="How the leaves unroll"></p>
            <p><a href="https://tea.example/green" rel="noopener noreferrer">A short film on picking</a></p>
        skipped .gitbook:null : GitBook's settings and uploaded files, not notes
        skipped SUMMARY.md:null : GitBook's table of contents: it orders the notes, and is no note itself
        skipped brewing/green.md:15 Steeping: heading has no content of its own
        skipped brewing/green.md:29 Kettles: heading has no content of its own
        warning brewing/black.md: line 13: GitBook block `{% include %}` is not shown (notedeck does not know it)
    "#]],
    );
}

#[test]
fn gitbook_blocks_never_reach_a_card_and_the_summary_orders_the_notes() {
    let env = Env::new();
    let root = vault("gitbook");
    let report = env.json(&["import", root.to_str().expect("path")]);
    let cards = env.cards();
    assert!(cards.len() >= 8, "{cards:#?}");
    for card in &cards {
        for side in ["front_html", "back_html"] {
            let html = card[side].as_str().unwrap_or("");
            // Only the code block quotes a tag, as its text.
            if !html.contains("<code") {
                assert!(!html.contains("{%"), "{side} of {card:#?}");
            }
        }
    }
    let notes: Vec<&str> = report["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n["path"].as_str())
        .filter_map(|p| p.strip_prefix(root.to_str().expect("path")))
        .collect();
    // SUMMARY.md lists green before black (their names sort the other
    // way), and is itself no note: it is reported as skipped.
    let order: Vec<&str> = notes
        .iter()
        .copied()
        .filter(|p| p.ends_with(".md"))
        .collect();
    assert_eq!(
        order,
        [
            "/SUMMARY.md",
            "/README.md",
            "/brewing/green.md",
            "/brewing/black.md"
        ],
        "{report:#}"
    );
}

#[test]
fn jekyll_site() {
    check(
        "jekyll",
        expect![[r#"
        6e4821038673 _posts/2024-02-01-learning-curves.md:7 [The forgetting curve] deck=jekyll::Learning curves
            <p>Memory decays roughly exponentially: <span class="math math-inline">R = e^{-t/S}</span>.</p>
            <p><img src="media/99319ee5112226f50141.png" alt="the curve"></p>
        6bc70bd9aa75 _posts/2024-02-01-learning-curves.md:13 [Spacing] deck=jekyll::Learning curves
            <p>Reviews at growing intervals flatten the curve; inline <span class="math math-inline">S_{n+1} &gt; S_n</span> after each success.</p>
            <p><span class="math math-display">
            S_{n+1} = S_n \cdot EF
            </span></p>
            <p>See <a href="2024-01-15-hello.md" rel="noopener noreferrer">the first post</a>.</p>
    "#]],
    );
}

#[test]
fn notes_left_out_on_purpose_are_retired_though_their_files_remain() {
    let env = Env::new();
    std::fs::create_dir_all(env.notes().join("logseq")).expect("graph");
    env.write("pages/kept.md", "- Kept\n  - a fact to keep\n");
    env.write("drafts/old.md", "- Old\n  - a draft copy\n");
    let first = env.import_notes();
    assert_eq!(first["totals"]["added"], 2, "{first:#}");
    // The graph now hides its drafts (as Logseq keeps old copies in
    // `logseq/bak`): the next import retires the cards made from them.
    env.write("logseq/config.edn", "{:hidden [\"drafts\"]}\n");
    let second = env.import_notes();
    assert_eq!(second["totals"]["retired"], 1, "{second:#}");
    let live: Vec<String> = env
        .cards()
        .into_iter()
        .filter(|c| c["state"] != "retired")
        .map(|c| c["note"].as_str().expect("note").to_owned())
        .collect();
    assert!(live.len() == 1 && live[0].ends_with("kept.md"), "{live:?}");
}
