//! The text a line of Markdown shows, character by character, each with
//! the source bytes it stands for: what a learner selects on a rendered
//! card is found in the note even where formatting sits between its words.
//!
//! Emphasis (`**`, `__`, `*`, `_`, `~~`, `==`), code spans, links
//! (`[text](url)`) and wikilinks (`[[note|alias]]`) show their text; an
//! embed (`![[…]]`) shows nothing; a backslash escape shows its character.
//! A character inside such a construct stands for the whole outermost
//! construct, so a card made of it never splits its markup. Unclosed
//! markers are plain text. The scan is bounded: a closing marker is looked
//! for at most [`LOOK_AHEAD`] bytes ahead and constructs nest at most
//! [`MAX_DEPTH`] deep.

/// How far ahead a closing marker is looked for, in bytes.
pub const LOOK_AHEAD: usize = 200;
/// How deep constructs nest before the rest is read as plain text.
pub const MAX_DEPTH: usize = 4;

/// One shown character and the source byte range it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shown {
    /// The character.
    pub ch: char,
    /// Its source range (the outermost construct it is in).
    pub start: usize,
    /// See `start`.
    pub end: usize,
}

/// The characters `line` shows, in order.
pub fn shown(line: &str) -> Vec<Shown> {
    let mut out = Vec::with_capacity(line.len());
    scan(line, 0..line.len(), None, 0, &mut out);
    out
}

const MARKERS: [&str; 6] = ["**", "__", "~~", "==", "*", "_"];

fn scan(
    s: &str,
    range: std::ops::Range<usize>,
    outer: Option<(usize, usize)>,
    depth: usize,
    out: &mut Vec<Shown>,
) {
    let mut i = range.start;
    let to = range.end;
    let unit = |start: usize, end: usize| outer.unwrap_or((start, end));
    while i < to {
        let rest = &s[i..to];
        let Some(c) = rest.chars().next() else { break };
        if depth < MAX_DEPTH {
            if let Some(next) = construct(s, i, to, rest, c, outer, depth, out) {
                i = next;
                continue;
            }
        }
        let (start, end) = unit(i, i + c.len_utf8());
        out.push(Shown { ch: c, start, end });
        i += c.len_utf8();
    }
}

/// Reads the construct at `i`, if one starts there; returns where it ends.
#[allow(clippy::too_many_arguments)]
fn construct(
    s: &str,
    i: usize,
    to: usize,
    rest: &str,
    c: char,
    outer: Option<(usize, usize)>,
    depth: usize,
    out: &mut Vec<Shown>,
) -> Option<usize> {
    let window = |from: usize| &s[from..to.min(floor(s, from + LOOK_AHEAD))];
    match c {
        '\\' => {
            let next = rest[1..]
                .chars()
                .next()
                .filter(char::is_ascii_punctuation)?;
            let (start, end) = outer.unwrap_or((i, i + 2));
            out.push(Shown {
                ch: next,
                start,
                end,
            });
            Some(i + 2)
        }
        '!' if rest.starts_with("![[") => {
            let close = window(i + 3).find("]]")?;
            Some(i + 3 + close + 2)
        }
        '[' if rest.starts_with("[[") => {
            let close = i + 2 + window(i + 2).find("]]")?;
            let inner = &s[i + 2..close];
            let shown_from = i + 2 + inner.rfind('|').map_or(0, |p| p + 1);
            let (start, end) = outer.unwrap_or((i, close + 2));
            for ch in s[shown_from..close].trim().chars() {
                out.push(Shown { ch, start, end });
            }
            Some(close + 2)
        }
        '[' => {
            let text_end = i + 1 + window(i + 1).find("](")?;
            let close = text_end + 2 + window(text_end + 2).find(')')?;
            let unit = outer.or(Some((i, close + 1)));
            scan(s, i + 1..text_end, unit, depth + 1, out);
            Some(close + 1)
        }
        '`' => {
            let ticks = rest.bytes().take_while(|b| *b == b'`').count();
            let fence = &rest[..ticks];
            let Some(close) = window(i + ticks).find(fence).map(|p| p + i + ticks) else {
                // An unclosed run is text, read once.
                let (start, end) = outer.unwrap_or((i, i + ticks));
                out.extend((0..ticks).map(|_| Shown {
                    ch: '`',
                    start,
                    end,
                }));
                return Some(i + ticks);
            };
            let (start, end) = outer.unwrap_or((i, close + ticks));
            for ch in s[i + ticks..close].trim().chars() {
                out.push(Shown { ch, start, end });
            }
            Some(close + ticks)
        }
        '*' | '_' | '~' | '=' => {
            let marker = MARKERS.iter().find(|m| rest.starts_with(**m))?;
            let after = &rest[marker.len()..];
            if after.starts_with(char::is_whitespace) || after.is_empty() {
                return None;
            }
            // `snake_case` is text: `_` opens only after a non-word character.
            if *marker == "_"
                && s[..i]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
            {
                return None;
            }
            let body = i + marker.len();
            let close = closing(window(body), marker)? + body;
            let unit = outer.or(Some((i, close + marker.len())));
            scan(s, body..close, unit, depth + 1, out);
            Some(close + marker.len())
        }
        _ => None,
    }
}

/// Where `marker` closes in `text`: after a non-space, and for a single
/// `*` or `_` not as part of a double one.
fn closing(text: &str, marker: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find(marker).map(|p| p + from) {
        let before_space = text[..at].ends_with(char::is_whitespace) || at == 0;
        let doubled = marker.len() == 1 && text[at + 1..].starts_with(marker);
        if !before_space && !doubled {
            return Some(at);
        }
        from = at + marker.len() + usize::from(doubled);
    }
    None
}

/// The largest char boundary of `s` at or below `at`.
fn floor(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &str) -> String {
        shown(line).iter().map(|c| c.ch).collect()
    }

    #[test]
    fn formatting_shows_its_text() {
        assert_eq!(
            text("a **bold** and *it* and `code`"),
            "a bold and it and code"
        );
        assert_eq!(
            text("see [[Tides#Spring|spring tides]] and [the sea](https://x.org)"),
            "see spring tides and the sea"
        );
        assert_eq!(
            text("![[picture.png]]an ==mark== \\*star\\*"),
            "an mark *star*"
        );
        assert_eq!(
            text("snake_case_name and 5 * 3 and **open"),
            "snake_case_name and 5 * 3 and **open"
        );
    }

    #[test]
    fn a_character_stands_for_its_whole_construct() {
        let line = "x **bold [[N|link]]** y";
        let chars = shown(line);
        let l = chars.iter().find(|c| c.ch == 'l').expect("l");
        assert_eq!(&line[l.start..l.end], "**bold [[N|link]]**");
        let y = chars.last().expect("y");
        assert_eq!(&line[y.start..y.end], "y");
    }

    #[test]
    fn hostile_lines_stay_linear_and_shallow() {
        for line in [
            "**[".repeat(100_000),
            "*a ".repeat(100_000),
            "[[".repeat(100_000),
            "`".repeat(100_000),
        ] {
            assert!(shown(&line).len() <= line.len());
        }
        let deep = format!("{}x{}", "**[".repeat(50), "](u)**".repeat(50));
        assert_eq!(
            text(&deep)
                .trim_end_matches(['*', ']', '(', 'u', ')'])
                .chars()
                .last(),
            Some('x')
        );
    }
}
