//! Each parser and renderer pass fed about 1 MB of its own worst case,
//! under a small thread stack: nothing may recurse as deep as the input
//! nests, and nothing may make more than the note's budget allows (see
//! SECURITY.md, "Nothing blocks or grows without bound"). A pass whose
//! work grew with the square of its input would show here as a test that
//! takes minutes.

use super::budget::{EXPANSION_ALLOWANCE, EXPANSION_FACTOR, MAX_CARDS_PER_NOTE};
use super::nesting::MAX_HTML_DEPTH;
use super::{parse_note, NoteSource};

/// The stack each case runs on. A debug build needs several times the
/// stack of a release build; shipped readers and request threads get
/// notedeck-core's `PARSER_STACK_BYTES`, 16 times this.
const SMALL_STACK: usize = 1 << 20;

/// About 1 MB of `unit`.
fn mb(unit: &str) -> String {
    unit.repeat((1 << 20) / unit.len().max(1))
}

/// A distinct word of letters for each `i` (`a`, `b`, …, `ba`, …).
fn label_word(mut i: usize) -> String {
    let mut word = String::new();
    loop {
        word.push(char::from(b'a' + (i % 26) as u8));
        i /= 26;
        if i == 0 {
            return word;
        }
    }
}

/// The worst cases: a name and the note.
fn cases() -> Vec<(&'static str, String)> {
    let mut cases = vec![
        ("separators", mb("a::")),
        ("separators in a list", mb("- a::b::")),
        (
            "clozes",
            (1..=70_000).map(|i| format!("{{{{c{i}::a}}}} ")).collect(),
        ),
        ("unclosed clozes", mb("{{c1::")),
        ("nested clozes", mb("{{c1::{{c2::")),
        ("highlights", format!("#cloze\n\n{}", mb("==a== "))),
        ("dollars", format!("{{{{c1::x}}}} {}", mb("$a "))),
        ("quotes", mb(">")),
        ("lists", mb("- ")),
        ("ordered lists", mb("1. ")),
        (
            "indented lists",
            (0..1000)
                .map(|k| format!("{}- x\n", "  ".repeat(k)))
                .collect(),
        ),
        (
            "emphasis",
            format!("{}x{}", "*".repeat(500_000), "*".repeat(500_000)),
        ),
        ("brackets", mb("[[")),
        (
            "images",
            format!("{}{}", "![".repeat(250_000), "](a)".repeat(250_000)),
        ),
        ("links", mb("[a](")),
        ("divs", mb("<div>")),
        (
            "divs closed by other tags",
            format!("<div>{}x\n", mb("<div></x>")),
        ),
        (
            "divs in an early comment end",
            format!("<!--><div>{}-->\n", mb("<div>")),
        ),
        (
            "divs after a stray quote",
            format!("<div '>{}'>\n", mb("<div>")),
        ),
        ("divs inside tags", mb("<div </div>")),
        ("footnote openings", mb("[^")),
        (
            "footnote references",
            (0..100_000).map(|i| format!("[^{i}]")).collect(),
        ),
        (
            "a footnote cited everywhere",
            format!("{}[^a]: {}\n", mb("# h\n[^a]\n\n"), "y".repeat(500_000)),
        ),
        ("definitions", mb("**a**: b\n")),
        (
            "inline tags",
            (0..125_000).map(|i| format!(" #t{i}")).collect(),
        ),
        (
            "a long heading over many sections",
            format!("x\n\n# {}\n{}", "a".repeat(500_000), mb("## b\nc\n")),
        ),
        (
            "a long link definition used everywhere",
            format!("[x]: /{}\n\n{}", "a".repeat(500_000), mb("# h\n[x]\n\n")),
        ),
        ("wikilink aliases", mb("[[|a]]")),
        ("math openings", mb("\\(")),
        (
            "backticks",
            (1..1414).rev().map(|k| "`".repeat(k) + "a").collect(),
        ),
        ("headings", mb("# a\n")),
        (
            "front matter",
            format!("---\n{}\n---\nx\n", "[".repeat(60_000)),
        ),
        (
            "deck levels in the title",
            format!("---\ntitle: {}\n---\nx\n", mb("a::")),
        ),
        ("liquid tags", mb("{%")),
        ("liquid output", mb("{{")),
        ("logseq macros", format!("title:: x\n- {}", mb("{{"))),
        ("logseq references", format!("title:: x\n- {}", mb("(("))),
        (
            "dendron variables of a long value",
            format!("---\nv: {}\n---\n{}", "x".repeat(60_000), mb("{{fm.v}}")),
        ),
        (
            "dendron variables of missing keys",
            (0..100_000).map(|i| format!("{{{{fm.k{i}}}}}")).collect(),
        ),
        ("dendron unclosed variables", mb("{{ fm.")),
        ("dendron references", mb("![[a.b#c,1:#*]] ")),
        ("dendron reference openings", mb("![[")),
        ("dendron aliased links", mb("[[a|b.c]]")),
        ("gitbook hints", mb("{% hint %}\n")),
        (
            "gitbook hints in a list",
            format!("- a\n{}", mb("  {% hint %}\n  x\n")),
        ),
        ("gitbook steps", mb("{% step %}\n\n")),
        ("gitbook tabs on a line", mb("{% tab title=\"a\" %}")),
        ("gitbook files on a line", mb("{% file src=\"a.png\" %}")),
        ("gitbook unclosed tags", mb("{% x")),
        // Found by review: a trim per tag over the line's trailing spaces,
        // a trim per `[[` over the spaces before a far `]]`, and a look
        // through every kind of numbered label opened so far.
        (
            "gitbook files before trailing spaces",
            "{% file src=a %}".repeat(30_000) + &" ".repeat(500_000),
        ),
        (
            "dendron openings before far closes",
            "[[a".repeat(100_000) + &" ".repeat(500_000) + "]]",
        ),
        (
            "labels of many kinds",
            (0..100_000)
                .map(|i| format!("K{}x 1:\ntext\n", label_word(i)))
                .collect(),
        ),
    ];
    cases.push(("everything at once", {
        let mut all = String::new();
        for (_, case) in &cases {
            all.push_str(&case[..case.len().min(30_000)]);
            all.push_str("\n\n");
        }
        all
    }));
    cases
}

/// The deepest element nesting of (sanitised, well-formed) card HTML.
fn html_depth(html: &str) -> usize {
    const VOID: &[&str] = &["br", "hr", "img", "input", "wbr", "col", "source", "track"];
    let (mut depth, mut deepest) = (0usize, 0usize);
    for tag in html.split('<').skip(1) {
        if tag.starts_with('/') {
            depth = depth.saturating_sub(1);
        } else if tag.starts_with(|c: char| c.is_ascii_alphabetic())
            && !VOID.iter().any(|v| tag.starts_with(v))
        {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

#[test]
fn every_pass_stays_shallow_and_bounded_on_its_worst_case() {
    for (name, note) in cases() {
        // Liquid and kramdown are read in Jekyll sites only, Logseq's
        // outline in graphs only, GitBook's blocks in spaces only.
        let jekyll_site = name.starts_with("liquid") || name.starts_with("math");
        let logseq_graph = name.starts_with("logseq");
        let gitbook_space = name.starts_with("gitbook");
        let dendron_vault = name.starts_with("dendron");
        let text = note.clone();
        let parsed = std::thread::Builder::new()
            .stack_size(SMALL_STACK)
            .spawn(move || {
                let source = NoteSource {
                    fallback_title: "worst",
                    jekyll_site,
                    logseq_graph,
                    gitbook_space,
                    dendron_vault,
                    ..NoteSource::default()
                };
                parse_note(&text, source, &mut |_, _| None)
            })
            .expect("thread")
            .join()
            .unwrap_or_else(|_| panic!("{name}: the parser panicked"));
        assert!(parsed.cards.len() <= MAX_CARDS_PER_NOTE, "{name}");
        let bytes: usize = parsed
            .cards
            .iter()
            .map(|c| c.front_html.len() + c.back_html.len() + c.source.len())
            .sum();
        // Own text about three times (HTML, source, a little markup),
        // plus what the budget lets the note copy.
        let bound = 8 * note.len() + EXPANSION_FACTOR * note.len() + EXPANSION_ALLOWANCE;
        assert!(bound >= bytes, "{name}: {bytes} bytes of cards");
        for card in &parsed.cards {
            let depth = html_depth(&card.back_html).max(html_depth(&card.front_html));
            assert!(depth <= MAX_HTML_DEPTH + 8, "{name}: HTML {depth} deep");
        }
    }
}
