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

/// `html` with the start tags beyond [`MAX_HTML_DEPTH`] open elements (and
/// as many end tags after them) turned into text, in one linear pass;
/// borrowed when nothing had to change. The result is sanitised after.
pub fn limit_html(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    let mut done = 0;
    let mut depth = 0usize;
    let mut dropped = 0usize;
    let mut i = 0;
    while let Some(offset) = memchr_lt(&bytes[i..]) {
        let at = i + offset;
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, at + 4, b"-->").map_or(bytes.len(), |end| end + 3);
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
                depth = depth.saturating_sub(1);
                false
            }
        } else if VOID.contains(&name.as_str()) {
            false
        } else if depth >= MAX_HTML_DEPTH {
            dropped += 1;
            true
        } else {
            depth += 1;
            false
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

/// The index just past the `>` closing a tag whose name ends at `from`
/// (quoted attribute values may hold `>`).
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (offset, &b) in bytes[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return from + offset + 1,
            (None, b'<') => return from + offset,
            _ => {}
        }
    }
    bytes.len()
}

/// `text` with every line's block-container markers beyond
/// [`MAX_NESTING`] escaped; borrowed when nothing had to change.
pub fn limit(text: &str) -> Cow<'_, str> {
    let mut out: Option<String> = None;
    let mut done = 0; // bytes of `text` already copied into `out`
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
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
