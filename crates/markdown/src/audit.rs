//! An independent check that card HTML is safe to insert: no element that
//! runs or loads code, no event handler, no script URL, no inline style but
//! table alignment. The fuzz target (`fuzz/`) and the tests run every parsed
//! note through [`audit_note`], which panics on a violation.

use super::{parse_note, ParsedNote};
use crate::text;

/// Elements that must never reach a card.
const FORBIDDEN_TAGS: &[&str] = &[
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "link", "meta",
    "base", "form", "button", "textarea", "select", "option", "template", "noscript", "svg",
    "input", "keygen", "output", "label", "fieldset", "math", "source", "track", "portal",
    "dialog", "html", "head", "body",
];

/// URL schemes that must never appear in `href` or `src`.
const FORBIDDEN_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:", "file:"];

/// Why `html` is unsafe, or `Ok` when it is clean.
pub fn check_card_html(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if rest.starts_with("!--") || rest.starts_with('!') || rest.starts_with('?') {
            return Err(format!(
                "comment or declaration in card HTML: <{}",
                head(rest)
            ));
        }
        let closing = rest.starts_with('/');
        let body = rest.trim_start_matches('/');
        let name_len = body
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(body.len());
        if name_len == 0 {
            return Err(format!("a raw `<` outside a tag: <{}", head(rest)));
        }
        let name = body[..name_len].to_ascii_lowercase();
        if FORBIDDEN_TAGS.contains(&name.as_str()) {
            return Err(format!("forbidden element <{name}>"));
        }
        let end = tag_end(body).ok_or_else(|| format!("unterminated tag <{}", head(rest)))?;
        if !closing {
            check_attributes(&name, &body[name_len..end])?;
        }
        rest = &body[end + 1..];
    }
    Ok(())
}

/// The index of the `>` closing a tag, skipping quoted attribute values.
fn tag_end(tag: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in tag.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn check_attributes(tag: &str, mut attrs: &str) -> Result<(), String> {
    loop {
        attrs = attrs.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if attrs.is_empty() {
            return Ok(());
        }
        let name_len = attrs
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/' || c == '>')
            .unwrap_or(attrs.len());
        let name = attrs[..name_len].to_ascii_lowercase();
        attrs = attrs[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = attrs.strip_prefix('=') {
            let after = after.trim_start();
            let (v, rest) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = after[1..].find(q).map_or(after.len(), |i| i + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = unescape(v);
            attrs = rest;
        }
        if matches!(tag, "audio" | "video") {
            let allowed = matches!(
                name.as_str(),
                "controls" | "preload" | "src" | "title" | "width" | "height"
            );
            if !allowed {
                return Err(format!("attribute `{name}` on <{tag}>"));
            }
            let own = value
                .strip_prefix("media/")
                .is_some_and(crate::media::is_media_file_name);
            if name == "src" && !own {
                return Err(format!(
                    "<{tag}> plays `{value}`, not a media file of the collection"
                ));
            }
        }
        if name.starts_with("on") || matches!(name.as_str(), "srcdoc" | "formaction" | "srcset") {
            return Err(format!("forbidden attribute `{name}` on <{tag}>"));
        }
        if name == "style" {
            // No style at all: the page's CSP refuses style attributes
            // (table alignment is a class).
            return Err(format!("inline style `{value}` on <{tag}>"));
        }
        if matches!(name.as_str(), "href" | "src" | "cite" | "action" | "poster") {
            // As a browser's URL parser reads it: leading C0 controls and
            // spaces dropped, tabs and line breaks removed anywhere.
            let squeezed: String = value
                .trim_start_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            if let Some(scheme) = FORBIDDEN_SCHEMES.iter().find(|s| squeezed.starts_with(**s)) {
                return Err(format!("`{scheme}` URL in {name} of <{tag}>"));
            }
        }
    }
}

/// Decodes the character references a browser would decode in a value.
fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let code = if let Some(hex) = entity.strip_prefix("#x").or(entity.strip_prefix("#X")) {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = entity.strip_prefix('#') {
                dec.parse().ok()
            } else {
                match entity {
                    "amp" => Some(u32::from('&')),
                    "lt" => Some(u32::from('<')),
                    "gt" => Some(u32::from('>')),
                    "quot" => Some(u32::from('"')),
                    "apos" => Some(u32::from('\'')),
                    "colon" => Some(u32::from(':')),
                    "Tab" => Some(9),
                    "NewLine" => Some(10),
                    _ => None,
                }
            };
            code.and_then(char::from_u32).map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn head(text: &str) -> &str {
    let end = text.char_indices().nth(40).map_or(text.len(), |(i, _)| i);
    &text[..end]
}

/// Decodes and parses `bytes` as a note the way the importer does (every
/// image resolves), and panics if any card's HTML fails
/// [`check_card_html`]. Binary input is skipped, as the importer skips it.
pub fn audit_note(bytes: &[u8]) -> Option<ParsedNote> {
    let decoded = text::decode(bytes).ok()?;
    let parse = |sanitize_all| {
        // Odd-length inputs take the Jekyll path, so both are fuzzed.
        let source = super::NoteSource {
            fallback_title: "fuzz",
            jekyll_site: bytes.len() % 2 == 1,
            // Half of each (lengths 2 and 3 mod 4) as GitBook pages.
            gitbook_space: bytes.len() % 4 >= 2,
            junk: super::junk::JunkRules::default(),
            logseq_graph: false,
            // A third as Dendron notes.
            dendron_vault: bytes.len().is_multiple_of(3),
            resolve_note: None,
            sanitize_all,
        };
        parse_note(&decoded.text, source, &mut |reference, _embed| {
            (!reference.is_empty()).then(|| "media/0123456789abcdef.png".to_owned())
        })
    };
    let parsed = parse(false);
    assert_same_html(&parsed, &parse(true));
    for card in &parsed.cards {
        for html in [&card.front_html, &card.back_html] {
            if let Err(problem) = check_card_html(html) {
                panic!("unsafe card HTML: {problem}\n--- html ---\n{html}");
            }
        }
    }
    Some(parsed)
}

/// Parses `bytes` as a note whose every embed and Logseq block reference
/// finds the same other note (the bytes after the first NUL-free `\n---8<---\n`
/// line, or the note itself), and panics when the cards hold more than the
/// budget allows: the note's own text about eight times over (HTML,
/// source, markup) plus [`super::budget::EXPANSION_FACTOR`] times its size
/// and the allowance, or more than [`super::budget::MAX_CARDS_PER_NOTE`]
/// cards. Exercises written cards, clozes, footnotes, embeds and block
/// references, in Obsidian, Logseq and Dendron shapes (odd lengths as a
/// Logseq page, multiples of three as a Dendron note).
pub fn audit_expansion(bytes: &[u8]) -> Option<ParsedNote> {
    use super::budget::{EXPANSION_ALLOWANCE, EXPANSION_FACTOR, MAX_CARDS_PER_NOTE};
    use super::render::Resolved;
    let decoded = text::decode(bytes).ok()?;
    let (note, other) = match decoded.text.split_once("\n---8<---\n") {
        Some((note, other)) => (note.to_owned(), other.to_owned()),
        None => (decoded.text.clone(), decoded.text.clone()),
    };
    let resolve = |_: &str| Resolved::Found(other.clone());
    let source = super::NoteSource {
        fallback_title: "fuzz",
        jekyll_site: false,
        gitbook_space: false,
        junk: super::junk::JunkRules::default(),
        logseq_graph: bytes.len() % 2 == 1,
        dendron_vault: bytes.len().is_multiple_of(3),
        resolve_note: Some(&resolve),
        sanitize_all: false,
    };
    let parsed = parse_note(&note, source, &mut |_, _| None);
    let bytes_of_cards: usize = parsed
        .cards
        .iter()
        .map(|c| c.front_html.len() + c.back_html.len() + c.source.len())
        .sum();
    // The page a Logseq reference copies into may itself have grown by its
    // own allowance before the cards were made of it.
    let page = note.len() * (1 + EXPANSION_FACTOR) + EXPANSION_ALLOWANCE;
    let bound = 8 * page + EXPANSION_FACTOR * page + EXPANSION_ALLOWANCE;
    assert!(
        bytes_of_cards <= bound,
        "a note of {} bytes made {bytes_of_cards} bytes of cards (bound {bound})",
        note.len()
    );
    assert!(parsed.cards.len() <= MAX_CARDS_PER_NOTE);
    for card in &parsed.cards {
        for html in [&card.front_html, &card.back_html] {
            if let Err(problem) = check_card_html(html) {
                panic!("unsafe card HTML: {problem}\n--- html ---\n{html}");
            }
        }
    }
    Some(parsed)
}

/// Panics unless `fast` (parsed as the importer does) has the very card
/// HTML of `sanitized` (every section through the sanitiser): the check
/// that [`super::fast_html`] writes what the sanitiser would.
pub fn assert_same_html(fast: &ParsedNote, sanitized: &ParsedNote) {
    assert_eq!(
        fast.cards.len(),
        sanitized.cards.len(),
        "card count differs"
    );
    for (a, b) in fast.cards.iter().zip(&sanitized.cards) {
        for (fast_html, safe_html) in [(&a.front_html, &b.front_html), (&a.back_html, &b.back_html)]
        {
            assert!(
                fast_html == safe_html,
                "the fast path wrote other HTML than the sanitiser\n--- fast ---\n{fast_html}\n--- sanitiser ---\n{safe_html}\n--- source ---\n{}",
                a.source
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checker_catches_what_it_must() {
        for bad in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"java&#x73;cript:alert(1)\">x</a>",
            "<a href=\" JaVa\tScRiPt:alert(1)\">x</a>",
            "<a href=\"\u{1}java\nscript:alert(1)\">x</a>",
            "<p style=\"color:red\">x</p>",
            "<iframe src=\"https://example.com\"></iframe>",
            "<svg><circle/></svg>",
            "<!-- hidden -->",
            "a < b",
            "<img src='data:text/html,x'>",
            "<video src=\"https://example.com/track.mp4\"></video>",
            "<audio src=\"media/x.html\"></audio>",
            "<audio autoplay src=\"media/0123.mp3\"></audio>",
            "<video><source src=\"x.mp4\"></video>",
            "<table><tr><td style=\"text-align: right\">1</td></tr></table>",
        ] {
            assert!(check_card_html(bad).is_err(), "{bad}");
        }
        for good in [
            "<p>plain &lt;script&gt; text, a &gt; b</p>",
            "<a href=\"https://example.com\" rel=\"noopener noreferrer\">x</a>",
            "<table><tr><td class=\"align-right\">1</td></tr></table>",
            "<img src=\"media/abc.png\" alt=\"a &quot;quoted&quot; > alt\">",
            "<details class=\"callout\" open><summary>x</summary></details>",
            "<audio controls preload=\"none\" src=\"media/0123abcd.mp3\" title=\"talk\"></audio>",
            // Not a scheme for a browser (DEL is not removed): a relative URL.
            "<a href=\"javascript\u{7f}:alert(1)\">x</a>",
        ] {
            assert_eq!(check_card_html(good), Ok(()), "{good}");
        }
    }

    /// Every input kept under `fuzz/` (the seed corpus and any crash the
    /// fuzzer found), every note of the project's own vaults and decks, and
    /// the shared real notes parse to clean HTML, the same on the fast path
    /// as through the sanitiser. `NOTEDECK_AUDIT_DIRS` (paths joined by
    /// `:`) adds folders, such as public vaults tried by hand.
    #[test]
    fn the_fuzz_corpus_real_notes_and_regressions_stay_clean() {
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs: Vec<std::path::PathBuf> = [
            "fuzz/corpus/parse_render",
            "fuzz/corpus/expansion",
            "fuzz/regressions",
            "tests/vaults",
            "decks",
            "../shared/notes",
        ]
        .iter()
        .map(|d| repo.join(d))
        .collect();
        if let Ok(extra) = std::env::var("NOTEDECK_AUDIT_DIRS") {
            dirs.extend(extra.split(':').map(std::path::PathBuf::from));
        }
        let mut seen = 0;
        let mut by_lines_seen = 0;
        let mut stack = dirs;
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(bytes) = std::fs::read(&path) else {
                    continue;
                };
                if bytes.len() > 4 << 20 {
                    continue;
                }
                let outcome = std::panic::catch_unwind(|| audit_note(&bytes));
                assert!(outcome.is_ok(), "{} fails the audit", path.display());
                // Headings found from the lines are the parser's.
                if let Ok(decoded) = crate::text::decode(&bytes) {
                    if let Some(by_lines) = crate::headings_by_lines(&decoded.text) {
                        assert_eq!(
                            by_lines,
                            crate::headings_by_parser(&decoded.text),
                            "{}",
                            path.display()
                        );
                        by_lines_seen += 1;
                    }
                }
                // The one-pass plain text (search index, doctor) is what the
                // three passes gave, on every card.
                for card in outcome.ok().flatten().iter().flat_map(|p| &p.cards) {
                    for html in [&card.front_html, &card.back_html] {
                        assert_eq!(
                            crate::plain::text_of(html),
                            crate::plain::text_of_in_three_passes(html),
                            "{}",
                            path.display()
                        );
                    }
                }
                let outcome = std::panic::catch_unwind(|| audit_expansion(&bytes));
                assert!(
                    outcome.is_ok(),
                    "{} expands past its budget",
                    path.display()
                );
                seen += 1;
            }
        }
        assert!(seen >= 5, "the fuzz corpus is missing ({seen} files)");
        assert!(
            by_lines_seen >= 5,
            "{by_lines_seen} notes' headings found from lines"
        );
    }
}
