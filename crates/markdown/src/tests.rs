//! Snapshot tests of note → cards. Refresh with `UPDATE_EXPECT=1 cargo test`.

use expect_test::{expect, Expect};

use super::{parse_note, NoteSource};

/// Parses `note` and compares a compact listing of its cards and skips.
#[track_caller]
fn check(note: &str, expected: Expect) {
    check_in(note, false, expected);
}

/// As [`check`], for a page of a Logseq graph when `logseq_graph` is true.
#[track_caller]
fn check_in(note: &str, logseq_graph: bool, expected: Expect) {
    check_source(note, (logseq_graph, false), expected);
}

/// As [`check`], for a page of a GitBook space.
#[track_caller]
fn check_gitbook(note: &str, expected: Expect) {
    check_source(note, (false, true), expected);
}

/// As [`check`], for a page of a Logseq graph or of a GitBook space.
#[track_caller]
fn check_source(note: &str, (logseq_graph, gitbook_space): (bool, bool), expected: Expect) {
    let parse = |sanitize_all| {
        let source = NoteSource {
            fallback_title: "file-name",
            jekyll_site: false,
            gitbook_space,
            junk: super::junk::JunkRules::default(),
            logseq_graph,
            dendron_vault: false,
            resolve_note: None,
            sanitize_all,
        };
        parse_note(note, source, &mut |reference, _| {
            (reference == "known.png").then(|| "media/abc.png".to_owned())
        })
    };
    let parsed = parse(false);
    super::audit::assert_same_html(&parsed, &parse(true));
    expected.assert_eq(&listing(&parsed));
}

#[test]
fn title_from_front_matter_and_nested_sections() {
    check(
        "---\ntitle: Cells\ntags: [bio]\n---\nIntro text.\n\n## Parts\n### Nucleus\nHolds DNA. #genetics\n### Ribosome\nMakes proteins.\n",
        expect![[r#"
            deck: Cells
            tags: bio
            section L5 [] Cells
                <p>Intro text.</p>
            section L8 [Parts › Nucleus] Nucleus
                <p>Holds DNA. #genetics</p>
                tags: bio genetics
            section L10 [Parts › Ribosome] Ribosome
                <p>Makes proteins.</p>
            skipped L7 Parts: heading has no content of its own
        "#]],
    );
}

#[test]
fn gitbook_blocks_become_markdown() {
    // Hints are callouts, steps and tabs are labelled, embeds and files
    // are links (a local media file is copied), a code block keeps its
    // title; an unknown block is reported and never shown.
    check_gitbook(
        "---\ndescription: How to brew\n---\n# Brewing tea\n\n{% hint style=\"warning\" %}\nBoiling water scalds green tea.\n{% endhint %}\n\n## Steps\n{% stepper %}\n{% step %}\n### Warm the pot\nRinse it with hot water.\n{% endstep %}\n{% step %}\n### Measure\nOne spoon per cup.\n{% endstep %}\n{% endstepper %}\n\n## Kettles\n{% tabs %}\n{% tab title=\"Electric\" %}\nSet it to 80 °C.\n{% endtab %}\n{% tab title=\"Stove\" %}\nTake it off before the boil.\n{% endtab %}\n{% endtabs %}\n\n## Reading\n{% embed url=\"https://tea.example/video\" %}\nA short film on leaves\n{% endembed %}\n{% file src=\"known.png\" %}\nThe leaf chart\n{% endfile %}\n{% code title=\"timer.sh\" %}\n```sh\nsleep 180 # {% not a tag %}\n```\n{% endcode %}\n{% include \"/reusable/footer\" %}\n",
        expect![[r#"
            deck: Brewing tea
            section L4 [] Brewing tea
                <div class="callout" data-callout="warning"><div class="callout-title">Warning</div><div class="callout-content">
                <p>Boiling water scalds green tea.</p>
                </div></div>
            section L13 [Steps › Step 1: Warm the pot] Step 1: Warm the pot
                <p>Rinse it with hot water.</p>
            section L17 [Steps › Step 2: Measure] Step 2: Measure
                <p>One spoon per cup.</p>
            section L24 [Kettles › Electric] Electric
                <p>Set it to 80 °C.</p>
            section L27 [Kettles › Stove] Stove
                <p>Take it off before the boil.</p>
            section L32 [Reading] Reading
                <p><a href="https://tea.example/video" rel="noopener noreferrer">A short film on leaves</a></p>
                <p><img src="media/abc.png" alt="The leaf chart"></p>
                <p><em>timer.sh</em></p>
                <pre><code class="language-sh">sleep 180 # {% not a tag %}
                </code></pre>
            skipped L10 Steps: heading has no content of its own
            skipped L22 Kettles: heading has no content of its own
            warning: line 44: GitBook block `{% include %}` is not shown (notedeck does not know it)
        "#]],
    );
    // Outside a GitBook space the tags are the author's text.
    check(
        "# Note\n{% hint style=\"info\" %}\nText\n{% endhint %}\n",
        expect![[r#"
            deck: Note
            section L1 [] Note
                <p>{% hint style=“info” %}
                Text
                {% endhint %}</p>
        "#]],
    );
}

#[test]
fn title_from_first_h1_absorbs_its_body() {
    check(
        "# Physics\nOverview paragraph.\n## Force\nF = ma.\n",
        expect![[r#"
            deck: Physics
            section L1 [] Physics
                <p>Overview paragraph.</p>
            section L3 [Force] Force
                <p>F = ma.</p>
        "#]],
    );
}

#[test]
fn file_name_when_no_title() {
    check(
        "Just a paragraph, no headings.\n",
        expect![[r#"
        deck: file-name
        section L1 [] file-name
            <p>Just a paragraph, no headings.</p>
    "#]],
    );
}

#[test]
fn empty_headings_are_skipped() {
    check(
        "# T\n## Parent\n### Child\nChild body.\n## Empty\n<!-- only a comment -->\n",
        expect![[r#"
            deck: T
            section L3 [Parent › Child] Child
                <p>Child body.</p>
            skipped L2 Parent: heading has no content of its own
            skipped L5 Empty: heading has no content of its own
        "#]],
    );
}

#[test]
fn definitions_become_cards() {
    check(
        "# Glossary\n## Terms\n**EF**: ease factor.\n- **Interval:** days until due.\n\n## Mixed\nSome prose.\n\n**Lapse**: forgetting a learned card.\n",
        expect![[r#"
            deck: Glossary
            definition L3 [Terms › EF] EF
                <p>ease factor.</p>
            definition L4 [Terms › Interval] Interval
                <p>days until due.</p>
            section L6 [Mixed] Mixed
                <p>Some prose.</p>
            definition L9 [Mixed › Lapse] Lapse
                <p>forgetting a learned card.</p>
        "#]],
    );
}

#[test]
fn obsidian_syntax() {
    check(
        "# O\n## Links\nSee [[Other note]] and [[target | the alias]], ==marked== text.\n\n![[known.png]] ![[missing.png]] ![[A note]]\n\n> [!note]+ Open callout\n> Inside **bold**.\n",
        expect![[r#"
            deck: O
            section L2 [Links] Links
                <p>See <span class="wikilink" title="Other note">Other note</span> and <span class="wikilink" title="target">the alias</span>, <mark>marked</mark> text.</p>
                <p><img src="media/abc.png" alt="known"> <span class="missing-image" title="image not found">missing.png</span> <span class="wikilink" title="A note">A note</span></p>
                <details class="callout" data-callout="note" open=""><summary class="callout-title">Open callout</summary><div class="callout-content">
                <p>Inside <strong>bold</strong>.</p>
                </div></details>
            warning: line 2: image `missing.png` not found; the card shows its name
        "#]],
    );
}

#[test]
fn headings_inside_code_and_quotes_do_not_split() {
    check(
        "# Code\n## Sample\n```sh\n# a comment, not a heading\n```\n> ## quoted heading\n> stays inside\n",
        expect![[r#"
            deck: Code
            section L2 [Sample] Sample
                <pre><code class="language-sh"># a comment, not a heading
                </code></pre>
                <blockquote>
                <h2>quoted heading</h2>
                <p>stays inside</p>
                </blockquote>
        "#]],
    );
}

#[test]
fn reference_links_resolve_across_sections() {
    check(
        "# R\n## Uses\nRead [the docs][docs].\n## Sources\n[docs]: https://example.org/docs\nListed above.\n",
        expect![[r#"
            deck: R
            section L2 [Uses] Uses
                <p>Read <a href="https://example.org/docs" rel="noopener noreferrer">the docs</a>.</p>
            section L4 [Sources] Sources
                <p>Listed above.</p>
        "#]],
    );
}

#[test]
fn a_late_h1_is_a_section_not_the_deck() {
    check(
        "Opening words.\n\n## Topic\nBody.\n\n# Appendix\nExtra material.\n",
        expect![[r#"
            deck: file-name
            section L1 [] file-name
                <p>Opening words.</p>
            section L3 [Topic] Topic
                <p>Body.</p>
            section L6 [Appendix] Appendix
                <p>Extra material.</p>
        "#]],
    );
}

#[test]
fn double_braces_stay_outside_jekyll_and_clozes_make_cards() {
    check(
        "# Biology\n\n## Cells\nThe powerhouse is the {{c1::mitochondrion}}.\n\nWritten on {{date}}; {{embed [[Other]]}}.\n",
        expect![[r#"
            deck: Biology
            section L3 [Cells] Cells
                <p>Written on {{date}}; {{embed <span class="wikilink" title="Other">Other</span>}}.</p>
            cloze L4 [Cells › c1: mitochondrion] <p>The powerhouse is the […].</p>
                <p>The powerhouse is the <mark>mitochondrion</mark>.</p>
        "#]],
    );
    check(
        "---\nlayout: post\ntitle: A post\n---\nSite: {{ site.title }} {% include x.html %}\n\n## Part\nText {: .lead}\n",
        expect![[r#"
            deck: A post
            section L5 [] A post
                <p>Site:</p>
            section L7 [Part] Part
                <p>Text</p>
        "#]],
    );
}

#[test]
fn obsidian_comments_and_block_ids_are_not_shown() {
    check(
        "# Note\n\n## Fact\nVisible %%private aside%% text. ^fact-1\n%%\nA whole\ncommented block\n%%\n- item ^item-2\n",
        expect![[r#"
            deck: Note
            section L3 [Fact] Fact
                <p>Visible  text.</p>
                <ul>
                <li>item</li>
                </ul>
        "#]],
    );
}

#[test]
fn embeds_by_kind() {
    // The test resolver finds only `known.png`; real media resolve through
    // the importer (see tests/it).
    check(
        "# Embeds\n\n## Kinds\n![[known.png|200]] ![[known.png|120x80]] ![sized|64](known.png)\n![[Albums.base]] ![[board.canvas]] ![[talk.mp3]] ![[Other note]]\n",
        expect![[r#"
            deck: Embeds
            section L3 [Kinds] Kinds
                <p><img src="media/abc.png" alt="known" width="200"> <img src="media/abc.png" alt="known" width="120" height="80"> <img src="media/abc.png" alt="sized" width="64">
                <span class="embed-file" title="a file notedeck does not show">Albums.base</span> <span class="embed-file" title="a file notedeck does not show">board.canvas</span> <span class="missing-file" title="file not found">talk.mp3</span> <span class="wikilink" title="Other note">Other note</span></p>
            warning: line 3: `Albums.base` is embedded, but notedeck does not show this kind of file; its name is shown
            warning: line 3: `board.canvas` is embedded, but notedeck does not show this kind of file; its name is shown
            warning: line 3: file `talk.mp3` not found; the card shows its name
        "#]],
    );
}

#[test]
fn each_card_shows_the_footnotes_it_cites() {
    check(
        "# Sources\n\n## First\nA claim.[^a]\n\n## Second\nAnother[^b] and the first again.[^a]\n\n[^a]: Where the first comes from.\n[^b]: Where the second comes from,\n    over two lines.\n",
        expect![[r#"
            deck: Sources
            section L3 [First] First
                <p>A claim.<sup class="footnote-reference">1</sup></p>
                <div class="footnote-definition"><sup class="footnote-definition-label">1</sup>
                <p>Where the first comes from.</p>
                </div>
            section L6 [Second] Second
                <p>Another<sup class="footnote-reference">2</sup> and the first again.<sup class="footnote-reference">1</sup></p>
                <div class="footnote-definition"><sup class="footnote-definition-label">1</sup>
                <p>Where the first comes from.</p>
                </div>
                <div class="footnote-definition"><sup class="footnote-definition-label">2</sup>
                <p>Where the second comes from,
                over two lines.</p>
                </div>
        "#]],
    );
}

#[test]
fn jekyll_math_follows_kramdown_and_mathjax() {
    check(
        "---\nlayout: post\n---\n## Math\nInline $$a^2$$ in text, \\(b^2\\) too.\n\n$$c^2$$\n\n\\[\nd^2\n\\]\n",
        expect![[r#"
            deck: file-name
            section L4 [Math] Math
                <p>Inline <span class="math math-inline">a^2</span> in text, <span class="math math-inline">b^2</span> too.</p>
                <p><span class="math math-display">c^2</span></p>
                <p><span class="math math-display">
                d^2
                </span></p>
        "#]],
    );
    // Outside Jekyll `$$` is display math wherever it stands, as in Obsidian.
    check(
        "## Math\nInline $$a^2$$ here.\n",
        expect![[r#"
        deck: file-name
        section L1 [Math] Math
            <p>Inline <span class="math math-display">a^2</span> here.</p>
    "#]],
    );
}

#[test]
fn logseq_pages_read_as_their_author_sees_them() {
    check(
        "title:: Cell biology\ntags:: bio\n\n- ## Mitochondria\n  id:: 64f0c1a2-0000-4000-8000-000000000000\n  - make ATP\n    :LOGBOOK:\n    CLOCK: [2024-01-01 Mon 10:00]\n    :END:\n- ## Ribosomes\n  - build proteins\n",
        expect![[r#"
            deck: Cell biology
            tags: bio
            section L4 [Mitochondria] Mitochondria
                <ul>
                <li>make ATP</li>
                </ul>
            section L10 [Ribosomes] Ribosomes
                <ul>
                <li>build proteins</li>
                </ul>
        "#]],
    );
    // A journal day of a Logseq graph: a card per top-level block with
    // children.
    check_in(
        "- Read about ATP #bio\n  - made in mitochondria\n- a loose thought\n- Met Sam\n  - boxes on Friday\n",
        true,
        expect![[r#"
            deck: file-name
            section L1 [Read about ATP #bio] Read about ATP #bio
                <ul>
                <li>made in mitochondria</li>
                </ul>
                tags: bio
            section L4 [Met Sam] Met Sam
                <ul>
                <li>boxes on Friday</li>
                </ul>
        "#]],
    );
}

#[test]
fn display_math_with_blank_lines_stays_math() {
    check(
        "## Sum\n> [!note] Formula\n> $$\n> \\begin{align}\n> a &= b\n>\n> c &= d\n> \\end{align}\n> $$\n",
        expect![[r#"
            deck: file-name
            section L1 [Sum] Sum
                <div class="callout" data-callout="note"><div class="callout-title">Formula</div><div class="callout-content">
                <p><span class="math math-display">
                \begin{align}
                a &amp;= b
                %
                c &amp;= d
                \end{align}
                </span></p>
                </div></div>
        "#]],
    );
}

#[test]
fn cards_written_in_notes() {
    check(
        "# Geo\n\n## Capitals\nSome context first.\n\n- France::Paris\n- Italy:::Rome\n\nWhich rivers cross *Paris*?\n?\nThe Seine\nand the Marne\n\n## Code\n```rust\nlet v = std::vec::Vec::new();\nq::a\n```\nUse `a::b` for paths.\n",
        expect![[r#"
            deck: Geo
            section L3 [Capitals] Capitals
                <p>Some context first.</p>
            basic L6 [Capitals › France] France
                <p>Paris</p>
            reversed L7 [Capitals › Italy] Italy
                <p>Rome</p>
            reversed L7 [Capitals › Rome] Rome
                <p>Italy</p>
            basic L9 [Capitals › Which rivers cross Paris?] Which rivers cross <em>Paris</em>?
                <p>The Seine
                and the Marne</p>
            section L14 [Code] Code
                <pre><code class="language-rust">let v = std::vec::Vec::new();
                q::a
                </code></pre>
                <p>Use <code>a::b</code> for paths.</p>
        "#]],
    );
    check(
        "# Bio\n\n## {{c1::Cells}}\nThe {{c1::mitochondrion}} makes {{c2::ATP::a molecule}}; see [[Cell]].\n\nBroken {{c1::}} stays.\n",
        expect![[r#"
            deck: Bio
            section L3 [Cells] Cells
                <p>Broken  stays.</p>
            cloze L4 [Cells › c1: mitochondrion] <p>The […] makes ATP; see <span class="wikilink" title="Cell">Cell</span>.</p>
                <p>The <mark>mitochondrion</mark> makes ATP; see <span class="wikilink" title="Cell">Cell</span>.</p>
            cloze L4 [Cells › c2: ATP] <p>The mitochondrion makes [a molecule]; see <span class="wikilink" title="Cell">Cell</span>.</p>
                <p>The mitochondrion makes <mark>ATP</mark>; see <span class="wikilink" title="Cell">Cell</span>.</p>
        "#]],
    );
    // A cloze inside math is written as math; one around math marks it.
    check(
        "# Phys\n\n## Energy\nMass and energy: $E = {{c1::mc^2::a product}}$, costs \\$5 or $ 6.\n\n$${{c1::\\int_0^1 x\\,dx}} = {{c2::\\tfrac12}}$$\n\nThe {{c3::$\\pi$}} constant.\n",
        expect![[r#"
            deck: Phys
            cloze L4 [Energy › c1: mc^2] <p>Mass and energy: <span class="math math-inline">E = \boxed{\text{a product}}</span>, costs $5 or $ 6.</p>
                <p>Mass and energy: <span class="math math-inline">E = \boxed{mc^2}</span>, costs $5 or $ 6.</p>
            cloze L6 [Energy › c1: int0^1 x,dx] <p><span class="math math-display">\boxed{\text{…}} = \tfrac12</span></p>
                <p><span class="math math-display">\boxed{\int_0^1 x\,dx} = \tfrac12</span></p>
            cloze L6 [Energy › c2: tfrac12] <p><span class="math math-display">\int_0^1 x\,dx = \boxed{\text{…}}</span></p>
                <p><span class="math math-display">\int_0^1 x\,dx = \boxed{\tfrac12}</span></p>
            cloze L8 [Energy › c3: $pi$] <p>The […] constant.</p>
                <p>The <mark><span class="math math-inline">\pi</span></mark> constant.</p>
        "#]],
    );
}

#[test]
fn switches_leave_cards_out_and_highlights_become_clozes() {
    check(
        "---\nnotedeck: false\n---\n# Drafts\n\n## Idea\nNot ready.\n",
        expect![[r#"
            deck: file-name
            skipped L4 file-name: its front matter says `notedeck: false`
        "#]],
    );
    check(
        "# Chem\n\n## Private #nocard\nMy own shorthand.\n\n## Water #cloze\nWater boils at ==100 °C== at ==sea level==.\n\n## Plain\nA ==highlight== only.\n",
        expect![[r#"
            deck: Chem
            cloze L7 [Water #cloze › highlight: 100 °C] <p>Water boils at […] at sea level.</p>
                <p>Water boils at <mark>100 °C</mark> at sea level.</p>
                tags: cloze
            cloze L7 [Water #cloze › highlight: sea level] <p>Water boils at 100 °C at […].</p>
                <p>Water boils at 100 °C at <mark>sea level</mark>.</p>
                tags: cloze
            section L9 [Plain] Plain
                <p>A <mark>highlight</mark> only.</p>
            skipped L3 Private #nocard: tagged #nocard
        "#]],
    );
}

#[test]
fn logseq_card_blocks() {
    check_in(
        "title:: Biology\n\n- What does the mitochondrion make? #card\n  - ATP, the energy currency\n  - by respiration\n- The {{cloze nucleus}} holds the {{cloze DNA}}. #card\n- A loose block\n- Plain block\n  - child\n",
        true,
        expect![[r#"
            deck: Biology
            section L3 [What does the mitochondrion make?] What does the mitochondrion make?
                <ul>
                <li>ATP, the energy currency</li>
                <li>by respiration</li>
                </ul>
            cloze L6 [What does the mitochondrion make? › c1: nucleus · DNA] <p>The […] holds the […].</p>
                <p>The <mark>nucleus</mark> holds the <mark>DNA</mark>.</p>
            section L8 [Plain block] Plain block
                <ul>
                <li>child</li>
                </ul>
        "#]],
    );
}

#[test]
fn shapes_of_issue_22() {
    // One-line cards end a multi-line card's front; a section of nothing
    // but embeds of files notedeck does not show makes no card.
    check(
        "# Chemistry\n\n## Salts\nFormula of ice::frozen water\nWhat is rust?\n?\nIron oxide.\n\n## Board\n![[Plans.canvas]]\n- [[Reactions]]\n\n## Sketch\nThe lab layout: ![[Lab.excalidraw]]\n",
        expect![[r#"
            deck: Chemistry
            basic L4 [Salts › Formula of ice] Formula of ice
                <p>frozen water</p>
            basic L5 [Salts › What is rust?] What is rust?
                <p>Iron oxide.</p>
            section L13 [Sketch] Sketch
                <p>The lab layout: <span class="embed-file" title="a file notedeck does not show">Lab.excalidraw</span></p>
            skipped L9 Board: only links and embeds of files notedeck does not show (a canvas, a drawing, a base) (rule only-links)
            warning: line 9: `Plans.canvas` is embedded, but notedeck does not show this kind of file; its name is shown
            warning: line 13: `Lab.excalidraw` is embedded, but notedeck does not show this kind of file; its name is shown
        "#]],
    );
    // Logseq's task markers are task boxes: a page of tasks is a to-do list.
    check_in(
        "- Garden\n  - TODO water the plants\n  - DONE buy seeds\n- Reading\n  - LATER finish the chapter on cells\n  - The cell membrane is a lipid bilayer\n",
        true,
        expect![[r#"
            deck: file-name
            section L4 [Reading] Reading
                <ul>
                <li><span class="task" title="to do">☐</span> finish the chapter on cells</li>
                <li>The cell membrane is a lipid bilayer</li>
                </ul>
            skipped L1 Garden: only tasks, a to-do list (rule only-tasks)
        "#]],
    );
}

/// As [`check`], for a note of a Dendron vault whose note references find
/// `biology.cells` (as the importer's finder does: see
/// [`super::embed::dendron_excerpt`]); any other note is missing.
#[track_caller]
fn check_dendron(note: &str, expected: Expect) {
    use super::render::Resolved;
    const CELLS: &str = "## Parts\nA cell has parts. ^parts\n\n### Membrane\nIt lets some things in.\n\n## Kinds\nPlant and animal.\n";
    let resolve = |reference: &str| {
        let (name, anchor) = match reference.split_once('#') {
            Some((name, anchor)) => (name, Some(anchor)),
            None => (reference, None),
        };
        if name != "biology.cells.md" {
            return Resolved::Missing;
        }
        super::embed::dendron_excerpt(CELLS, anchor).map_or(Resolved::Missing, Resolved::Found)
    };
    let parse = |sanitize_all| {
        let source = NoteSource {
            fallback_title: "Cells",
            dendron_vault: true,
            resolve_note: Some(&resolve),
            sanitize_all,
            ..NoteSource::default()
        };
        parse_note(note, source, &mut |_, _| None)
    };
    let parsed = parse(false);
    super::audit::assert_same_html(&parsed, &parse(true));
    expected.assert_eq(&listing(&parsed));
}

/// The compact listing [`check`] compares: deck, tags, cards, skips and
/// warnings.
fn listing(parsed: &super::ParsedNote) -> String {
    let mut out = format!("deck: {}\n", parsed.title);
    if !parsed.tags.is_empty() {
        out.push_str(&format!("tags: {}\n", parsed.tags.join(" ")));
    }
    for card in &parsed.cards {
        out.push_str(&format!(
            "{} L{} [{}] {}\n    {}\n",
            card.kind.as_str(),
            card.line,
            card.heading_path.join(" › "),
            card.front_html,
            card.back_html.replace('\n', "\n    ")
        ));
        if card.tags != parsed.tags {
            out.push_str(&format!("    tags: {}\n", card.tags.join(" ")));
        }
    }
    for skipped in &parsed.skipped {
        out.push_str(&format!(
            "skipped L{} {}: {}\n",
            skipped.line, skipped.heading, skipped.reason
        ));
    }
    for warning in &parsed.warnings {
        out.push_str(&format!("warning: {warning}\n"));
    }
    out
}

#[test]
fn dendron_variables_and_note_references() {
    check_dendron(
        "---\nid: 4f1\ntitle: Cell biology\ndesc: What cells are made of\nupdated: 1700000000000\ncreated: 1700000000000\n---\n{{fm.desc}}.\n\n## Overview\nFrom {{ fm.title }}, by {{fm.author}}.\n\n## Parts of a cell\n![[biology.cells#parts,1:#*]]\n\n## Membrane\n![[biology.cells#^parts]]\n![[dendron://main/biology.cells#membrane]]\n\n## Links\nSee [[The kinds|biology.cells#kinds]], `{{fm.title}}` and ![[biology.*]].\n",
        expect![[r#"
            deck: Cell biology
            section L8 [] Cell biology
                <p>What cells are made of.</p>
            section L10 [Overview] Overview
                <p>From Cell biology, by .</p>
            section L13 [Parts of a cell] Parts of a cell
                <div class="embed"><div class="embed-title">biology.cells › parts</div><p>A cell has parts.</p></div>
            section L16 [Membrane] Membrane
                <div class="embed"><div class="embed-title">biology.cells</div><p>A cell has parts.</p></div>
                <div class="embed"><div class="embed-title">biology.cells › membrane</div><h3>Membrane</h3>
                <p>It lets some things in.</p></div>
            section L20 [Links] Links
                <p>See <span class="wikilink" title="biology.cells#kinds">The kinds</span>, <code>{{fm.title}}</code> and <span class="wikilink" title="biology.*">biology.*</span>.</p>
            warning: line 11: `{{fm.author}}` shows nothing: the front matter has no `author`
            warning: line 21: `![[biology.*]]` shows every note its pattern names: notedeck does not copy wildcard note references into cards; it is shown as a link
        "#]],
    );
    // With no title in its front matter, a `#` heading that opens a Dendron
    // note is a section: the note is named after its file.
    check_dendron(
        "---\nid: 9a2\n---\n# Enzymes\nThey speed reactions up.\n",
        expect![[r#"
            deck: Cells
            section L4 [Enzymes] Enzymes
                <p>They speed reactions up.</p>
        "#]],
    );
}

#[test]
fn implicit_headings_in_prose() {
    // A draft shaped like the real ones: a question above its answer,
    // numbered parts, challenges and options, a bold label.
    check(
        "---\ntitle: Bridges\n---\nWhy do bridges sway?\n\nWind and traffic push them, and the deck stores the energy.\n\nPart 1:\nChallenge 1: What loads?\nWeight, wind and people walking in step.\n\nChallenge 2:\nResonance builds up when pushes come in time.\n\nOption 1: Dampers\n\nThey turn motion into heat.\n\nPart 2:\nMaterials matter as much as shape.\n\n**Sources**\nA textbook on structures.\n",
        expect![[r#"
            deck: Bridges
            section L4 [Why do bridges sway?] Why do bridges sway?
                <p>Wind and traffic push them, and the deck stores the energy.</p>
            section L9 [Why do bridges sway? › Part 1 › Challenge 1: What loads?] Challenge 1: What loads?
                <p>Weight, wind and people walking in step.</p>
            section L12 [Why do bridges sway? › Part 1 › Challenge 2] Challenge 2
                <p>Resonance builds up when pushes come in time.</p>
            section L15 [Why do bridges sway? › Part 1 › Challenge 2 › Option 1: Dampers] Option 1: Dampers
                <p>They turn motion into heat.</p>
            section L19 [Why do bridges sway? › Part 2] Part 2
                <p>Materials matter as much as shape.</p>
            section L22 [Sources] Sources
                <p>A textbook on structures.</p>
            skipped L8 Part 1: heading has no content of its own
        "#]],
    );
    // Prose without labels: nothing is invented.
    check(
        "# Essay\n\nThe first paragraph says something at length, as essays do.\n\nA second paragraph follows it, also long enough to be prose.\n\nIt ends here.\n",
        expect![[r#"
            deck: Essay
            section L1 [] Essay
                <p>The first paragraph says something at length, as essays do.</p>
                <p>A second paragraph follows it, also long enough to be prose.</p>
                <p>It ends here.</p>
        "#]],
    );
}

#[test]
fn table_alignment_is_a_class_not_a_style() {
    // Both paths (the fast writer, and the sanitiser when raw HTML is in
    // the section) give classes the page's CSP allows.
    for extra in ["", "\n\n<b>raw</b>"] {
        let note = format!("# T\n\n## Prices\n\n| item | cost |\n|:-:|--:|\n| tea | 3 |{extra}\n");
        let source = NoteSource {
            fallback_title: "T",
            jekyll_site: false,
            gitbook_space: false,
            junk: super::junk::JunkRules::default(),
            logseq_graph: false,
            dendron_vault: false,
            resolve_note: None,
            sanitize_all: false,
        };
        let parsed = parse_note(&note, source, &mut |_, _| None);
        let html = &parsed.cards[0].back_html;
        assert!(
            html.contains("<th class=\"align-center\">item</th>"),
            "{html}"
        );
        assert!(html.contains("<td class=\"align-right\">3</td>"), "{html}");
        assert!(!html.contains("style"), "{html}");
        assert_eq!(crate::audit::check_card_html(html), Ok(()));
    }
}

/// [`crate::fold_whitespace`] as it was written first, word by word.
fn fold_whitespace_by_str(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn folding_whitespace_matches_splitting_at_it() {
    for text in [
        "",
        "   ",
        " a ",
        "one\x0btwo\x0cthree\rfour\tfive\nsix  seven ",
        "caf\u{e9}\u{a0} na\u{ef}ve\u{3000}x",
    ] {
        assert_eq!(
            crate::fold_whitespace(text),
            fold_whitespace_by_str(text),
            "{text:?}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn folding_whitespace_matches_on_any_text(text in "[ -~\\t\\n\\x0b\\x0c\\r\\u{a0}\\u{e9}\\u{3000}]{0,60}") {
        proptest::prop_assert_eq!(crate::fold_whitespace(&text), fold_whitespace_by_str(&text));
    }
}

proptest::proptest! {
    #[test]
    fn folding_whitespace_matches_on_spaced_words(text in "[ a\\t\\n]{0,40}") {
        proptest::prop_assert_eq!(crate::fold_whitespace(&text), fold_whitespace_by_str(&text));
    }
}

/// [`crate::tags_of_line`] as it was written first: the line collected
/// into characters and walked one by one.
fn tags_of_line_by_chars(line: &str, tags: &mut Vec<String>) {
    let mut in_code = false;
    let mut previous = ' ';
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '`' {
            in_code = !in_code;
        } else if !in_code
            && c == '#'
            && previous.is_whitespace()
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
        {
            let tag: String = chars[i + 1..]
                .iter()
                .take_while(|n| n.is_alphanumeric() || matches!(n, '_' | '-' | '/'))
                .collect();
            i += tag.chars().count();
            let room = tags.len() < crate::budget::MAX_TAGS
                || tag == crate::NO_CARD_TAG
                || tag == crate::CLOZE_TAG;
            if room && !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        previous = chars[i];
        i += 1;
    }
}

proptest::proptest! {
    #[test]
    fn inline_tags_are_found_as_they_were(
        lines in proptest::collection::vec("(#|##|`| |\u{3000}|\u{a0}|a|é|1|_|-|/|tag|no-card|é#x| #a#b)*", 0..4)
    ) {
        // Tags gathered over several lines, as a section's are.
        let (mut found, mut before) = (Vec::new(), Vec::new());
        for line in &lines {
            crate::tags_of_line(line, &mut found);
            tags_of_line_by_chars(line, &mut before);
        }
        proptest::prop_assert_eq!(found, before);
    }
}

/// HTML escaping as it was written first: the special characters searched
/// for as characters.
fn escape_by_chars(text: &str, special: &[char]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(special) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().expect("a character at a match");
        out.push_str(crate::render::entity_of(c));
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

proptest::proptest! {
    #[test]
    fn escaping_finds_what_it_found_by_characters(text in "[a&<>\"'\u{a0}\u{c2}\u{e9}\u{100}\u{2000} ]{0,30}") {
        proptest::prop_assert_eq!(
            crate::render::escape_text(&text),
            escape_by_chars(&text, &['&', '<', '>', '\u{a0}'])
        );
        proptest::prop_assert_eq!(
            crate::render::escape_attr(&text),
            escape_by_chars(&text, &['&', '"', '<', '>', '\u{a0}'])
        );
    }
}

/// One line of a note, of a kind that could change what is a heading.
fn note_line() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    prop_oneof![
        "#{1,7}( [a-z]{0,3}( \\*\\*b\\*\\*| `c`| \\[x\\]| \\[\\^1\\]| \\[\\[W\\|a\\]\\]| \\$m\\$| #)?)?( #*)?[ \t]?",
        "[a-z ]{1,8}",
        "[=\\-]{1,3}",
        "(- |> |1\\. |    |  |\t)(# )?[a-z]{0,3}",
        "\\| a \\| b \\|",
        "\\|?---\\|---\\|?",
        "(#{1,2} )?a ?\\| ?b( \\|)?",
        "\\|?:?-{1,3}:? ?\\| ?:?-{1,3}:?\\|?",
        "<div>",
        "(```|````|~~~|~~~~)( ?[a-z`~]{0,3})?[ \t]?",
        "( {1,4}|- |> |\t)(```|~~~)",
        "\\[x\\]: /u",
        "\\[\\^1\\]: note",
        "\\$\\$",
        "\\*\\*\\*",
        "",
    ]
}

proptest::proptest! {
    /// Wherever headings are found from the lines alone, they are what the
    /// parser finds: notes made of lines of every kind that could matter.
    #[test]
    fn headings_by_lines_are_the_parsers(
        lines in proptest::collection::vec(note_line(), 0..10)
    ) {
        let body = lines.join("\n");
        if let Some(by_lines) = crate::headings_by_lines(&body) {
            proptest::prop_assert_eq!(by_lines, crate::headings_by_parser(&body));
        }
    }
}

#[test]
fn headings_using_the_notes_definitions_are_left_to_the_parser() {
    for body in ["# See [x]\n\n[x]: /u\n", "# Cite[^1]\n\n[^1]: a note\n"] {
        assert_eq!(crate::headings_by_lines(body), None, "{body:?}");
        let parsed = crate::headings_by_parser(body);
        let alone = crate::headings_by_parser(body.lines().next().unwrap_or_default());
        assert_ne!(
            parsed[0].text, alone[0].text,
            "{body:?}: the definition counts"
        );
    }
}

#[test]
fn headings_by_lines_follow_fences_as_the_parser_does() {
    for body in [
        "```\n# in code\n````\n# after\n",
        "````\n# in code\n```\n# still code\n````\n# after\n",
        "~~~ rust\n# in code\n    ~~~\n# still code\n~~~\n# after\n",
        "```\n# in code\n   ```  \n# after\n",
        "~~~\n```\n# in code\n~~~\n# after\n",
        "```\n# never closed\n",
        "~~~\n~~~\t\n# after a tab\n",
    ] {
        let by_lines = crate::headings_by_lines(body).expect("fences in the first column");
        assert_eq!(by_lines, crate::headings_by_parser(body), "{body:?}");
    }
}

proptest::proptest! {
    /// A plain heading line read without the parser is the heading the
    /// parser makes of it.
    #[test]
    fn plain_headings_are_the_parsers(
        line in "#{1,6}([ \t][A-Za-z0-9 \t,:;?()/]{0,120})?\n?"
    ) {
        let marks = line.bytes().take_while(|&b| b == b'#').count();
        let plain = crate::plain_heading(&line, marks).expect("a plain heading");
        proptest::prop_assert_eq!(vec![plain], crate::headings_by_parser(&line));
    }
}

#[test]
fn a_long_plain_heading_is_cut_as_the_parser_cuts_it() {
    let line = format!("## {}\n", "word ".repeat(150));
    let plain = crate::plain_heading(&line, 2).expect("a plain heading");
    assert!(plain.text.ends_with('…'));
    assert_eq!(vec![plain], crate::headings_by_parser(&line));
}
