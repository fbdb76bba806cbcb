//! A cap on how deeply one line may nest block containers.
//!
//! Deep nesting (`- - - - …`, `>>>>…`) costs Markdown parsers and HTML
//! sanitisers time proportional to the square of the depth, and no real
//! note nests lists or quotes more than a few levels. Past
//! [`MAX_NESTING`] container markers on one line, the next marker is
//! escaped with a backslash, so the rest of the line stays as text. Line
//! numbers never change.

use std::borrow::Cow;

/// The deepest nesting of lists and block quotes that one line may open.
pub const MAX_NESTING: usize = 32;

/// The deepest nesting of HTML elements a card keeps (raw HTML in a note
/// can nest `<div>`s without end; the sanitiser's cost grows with the
/// square of the depth).
pub const MAX_HTML_DEPTH: usize = 128;

/// Elements that never have content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose end tag may be left out: a start tag of the same name
/// closes an open one on top, and an end tag of an enclosing block closes
/// them (HTML's "implied end tags").
const IMPLIED_END: &[&str] = &[
    "li", "p", "dd", "dt", "option", "optgroup", "rb", "rp", "rt", "rtc", "tr", "td", "th",
];

/// Block elements whose end tag closes the elements with implied ends
/// above them (`</ul>` closes an open `<li>`).
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "details",
    "dir",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "pre",
    "search",
    "section",
    "summary",
    "ul",
];

/// `html` with the start tags beyond [`MAX_HTML_DEPTH`] open elements (and
/// as many end tags after them) turned into text, in one linear pass;
/// borrowed when nothing had to change. The result is sanitised after.
///
/// The count never falls below what an HTML parser (html5ever, inside the
/// sanitiser) builds: an end tag closes an element only when it closes
/// the innermost open one (or, for a block, only elements with implied
/// ends lie above it); a comment ends at its earliest possible end
/// (`<!-->`, `-->`, `--!>`); quotes open a value only after `=`; only `>`
/// ends a tag. Where the parser would close more, this count is higher,
/// so the parser's depth stays within the limit.
pub fn limit_html(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut done = 0;
    // The open elements as this count sees them (names, lower case).
    let mut open: Vec<String> = Vec::new();
    let mut dropped = 0usize;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let at = i + offset;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            i = comment_end(bytes, at + 4);
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = at + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = at + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        let escape = if closing {
            if dropped > 0 {
                dropped -= 1;
                true
            } else {
                close(&mut open, &name);
                false
            }
        } else if VOID.contains(&name.as_str()) {
            false
        } else {
            if IMPLIED_END.contains(&name.as_str()) && open.last() == Some(&name) {
                open.pop();
            }
            if open.len() >= MAX_HTML_DEPTH {
                dropped += 1;
                true
            } else {
                open.push(name);
                false
            }
        };
        if escape {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() + 64));
            out.push_str(&html[done..at]);
            out.push_str("&lt;");
            done = at + 1;
        }
        i = end;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[done..]);
            Cow::Owned(out)
        }
    }
}

/// Closes what the end tag `name` surely closes: the innermost open
/// element when it has that name; for a block, also the elements with
/// implied ends above it. Anything else is left open (counted high).
fn close(open: &mut Vec<String>, name: &str) {
    if open.last().is_some_and(|top| top == name) {
        open.pop();
        return;
    }
    if !BLOCKS.contains(&name) {
        return;
    }
    let implied_above = open
        .iter()
        .rev()
        .take_while(|element| IMPLIED_END.contains(&element.as_str()))
        .count();
    let below = open.len() - implied_above;
    if below > 0 && open[below - 1] == name {
        open.truncate(below - 1);
    }
}

/// The index just past a comment whose text starts at `from` (after
/// `<!--`), at its earliest possible end: `>` or `->` right away, else the
/// first `-->` or `--!>` (the end of the text when none).
fn comment_end(bytes: &[u8], from: usize) -> usize {
    let rest = bytes.get(from..).unwrap_or_default();
    if rest.starts_with(b">") {
        return from + 1;
    }
    if rest.starts_with(b"->") {
        return from + 2;
    }
    let mut at = from;
    while let Some(dash) = find(bytes, at, b"--") {
        match bytes.get(dash + 2) {
            Some(b'>') => return dash + 3,
            Some(b'!') if bytes.get(dash + 3) == Some(&b'>') => return dash + 4,
            _ => at = dash + 1,
        }
    }
    bytes.len()
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// The index just past the `>` closing a tag whose name ends at `from`:
/// a quote opens an attribute value only right after `=` (spaces aside),
/// and only `>` outside such a value ends the tag, as an HTML parser reads
/// it.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    let mut after_equals = false;
    for (offset, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if after_equals => quote = Some(b),
            (None, b'>') => return from + offset + 1,
            (None, b'=') => {
                after_equals = true;
                continue;
            }
            (None, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') if after_equals => continue,
            _ => {}
        }
        after_equals = false;
    }
    bytes.len()
}

/// `text` with every line's block-container markers beyond
/// [`MAX_NESTING`] escaped; borrowed when nothing had to change.
pub fn limit(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut done = 0; // bytes of `text` already copied into `out`
    let mut line_start = 0;
    for line in crate::scan::split_lines_inclusive(text) {
        if let Some(at) = escape_point(line) {
            let out = out.get_or_insert_with(|| String::with_capacity(text.len() + 16));
            out.push_str(&text[done..line_start + at]);
            out.push('\\');
            done = line_start + at;
        }
        line_start += line.len();
    }
    match out {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[done..]);
            Cow::Owned(out)
        }
    }
}

/// Where to put a backslash in `line`: before the container marker that
/// would open level `MAX_NESTING + 1`, if there is one.
fn escape_point(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut depth = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\t' => i += 1,
            b'>' => {
                if depth == MAX_NESTING {
                    return Some(i);
                }
                depth += 1;
                i += 1;
            }
            b'-' | b'*' | b'+' if followed_by_space(bytes, i + 1) => {
                if depth == MAX_NESTING {
                    return Some(i);
                }
                depth += 1;
                i += 1;
            }
            b'0'..=b'9' => {
                let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                let end = i + digits;
                let ordered = digits <= 9
                    && matches!(bytes.get(end), Some(b'.' | b')'))
                    && followed_by_space(bytes, end + 1);
                if !ordered {
                    return None;
                }
                if depth == MAX_NESTING {
                    return Some(end);
                }
                depth += 1;
                i = end + 1;
            }
            _ => return None,
        }
    }
    None
}

fn followed_by_space(bytes: &[u8], at: usize) -> bool {
    matches!(bytes.get(at), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_nesting_is_capped() {
        let deep = format!("{}x{}", "<div>".repeat(200), "</div>".repeat(200));
        let limited = limit_html(&deep);
        assert_eq!(limited.matches("<div>").count(), MAX_HTML_DEPTH);
        assert_eq!(limited.matches("&lt;div>").count(), 200 - MAX_HTML_DEPTH);
        assert_eq!(limited.matches("</div>").count(), MAX_HTML_DEPTH);
        let ordinary = "<p>a <b title=\"x>y\">b</b><br><img src=\"i.png\"></p><!-- <div> -->";
        assert!(matches!(limit_html(ordinary), Cow::Borrowed(_)));
        let many_siblings = "<p>x</p>".repeat(1000);
        assert!(matches!(limit_html(&many_siblings), Cow::Borrowed(_)));
        // Items and paragraphs left open are closed as a parser closes them.
        let open_items = "<ul><li>a<li>b</ul><p>one<p>two".repeat(300);
        assert!(matches!(limit_html(&open_items), Cow::Borrowed(_)));
    }

    /// The deepest nesting of elements in sanitised (well-formed) HTML.
    fn depth_after_sanitising(html: &str) -> usize {
        let clean = super::super::render::sanitize(&limit_html(html));
        let (mut depth, mut deepest) = (0usize, 0usize);
        for tag in clean.split('<').skip(1) {
            if tag.starts_with('/') {
                depth = depth.saturating_sub(1);
            } else if !VOID.iter().any(|v| tag.starts_with(v)) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        deepest
    }

    #[test]
    fn html_that_once_slipped_past_the_count_is_capped() {
        // Each of these made the count fall while the parser nested deeper:
        // an end tag of no open element, a comment the parser ends early,
        // a quote that opens no value, a `<` inside a tag.
        for deep in [
            format!("<div>{}x\n", "<div></x>".repeat(20_000)),
            format!("<!--><div>{}-->\n", "<div>".repeat(20_000)),
            format!("<div '>{}'>\n", "<div>".repeat(20_000)),
            "<div </div>".repeat(20_000),
            "<span><div></span>".repeat(20_000),
        ] {
            let depth = depth_after_sanitising(&deep);
            assert!(depth <= MAX_HTML_DEPTH, "{depth} deep: {}", &deep[..20]);
        }
    }

    #[test]
    fn ordinary_notes_are_untouched() {
        let note = "# A\n\n- one\n  - two\n> quote\n> > nested\n1. first\n2) second\n-not a list\n";
        assert!(matches!(limit(note), Cow::Borrowed(_)));
    }

    #[test]
    fn deep_nesting_is_escaped_past_the_cap() {
        let deep = format!("{}x\nnext\n", "- ".repeat(40));
        let limited = limit(&deep);
        let expected = format!("{}\\{}x\nnext\n", "- ".repeat(32), "- ".repeat(8));
        assert_eq!(limited, expected);
        let quotes = format!("{}x", ">".repeat(100));
        assert_eq!(
            limit(&quotes),
            format!("{}\\{}x", ">".repeat(32), ">".repeat(68))
        );
        let ordered = format!("{}x", "1. ".repeat(33));
        assert_eq!(limit(&ordered), format!("{}1\\. x", "1. ".repeat(32)));
        assert_eq!(limit(&deep).lines().count(), deep.lines().count());
    }
}
