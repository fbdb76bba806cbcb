//! Card HTML as plain text: for the card doctor's measures and the search
//! index.

/// Card HTML as plain text: tags out, entities decoded, whitespace folded
/// (each line's white space to one space, lines with no word left out).
/// One pass over the HTML: it is run on every card an import writes.
pub fn text_of(html: &str) -> String {
    let mut folded = Folded {
        text: String::with_capacity(html.len()),
        gap: Gap::None,
    };
    walk(html, &mut folded);
    folded.text
}

/// True when [`text_of`] `html` has more than `limit` characters; stops
/// counting there (an import asks it of every long section's back). The
/// walk of [`walk`] with the counting written into it: a run of word
/// bytes is passed over through a table, a byte a step.
pub fn longer_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut chars = 0usize;
    // White space or a tag since the last word (one character between
    // two words, whichever it was).
    let mut gap = false;
    let mut at = 0;
    while at < bytes.len() {
        let word_chars = match bytes[at] {
            b'<' => {
                at = memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |e| at + e + 1);
                gap = true;
                continue;
            }
            b'&' => {
                let (decoded, len) = entity_at(&bytes[at..]).unwrap_or(('&', 1));
                at += len;
                if decoded.is_whitespace() {
                    gap = true;
                    continue;
                }
                1
            }
            byte if byte.is_ascii() => {
                if crate::scan::is_ascii_white(byte) {
                    gap = true;
                    at += 1;
                    continue;
                }
                let start = at;
                at += 1;
                while bytes.get(at).is_some_and(|&b| WORD_BYTES[usize::from(b)]) {
                    at += 1;
                }
                at - start
            }
            _ => {
                let c = html[at..].chars().next().unwrap_or_default();
                at += c.len_utf8();
                if c.is_whitespace() {
                    gap = true;
                    continue;
                }
                1
            }
        };
        if gap && chars > 0 {
            chars += 1;
        }
        gap = false;
        chars += word_chars;
        if chars > limit {
            return true;
        }
    }
    false
}

/// The bytes that continue a run of ASCII word bytes in [`longer_than`]: ASCII,
/// not white space, not a tag's or an entity's start.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = !matches!(
            byte as u8,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'<' | b'&'
        );
        byte += 1;
    }
    table
};

/// The plain text of card HTML, piece by piece.
trait Pieces {
    /// Part of a word (no white space in it); false to stop the walk.
    fn word(&mut self, part: &str) -> bool;
    /// What came since the last word so far.
    fn gap(&mut self) -> &mut Gap;

    /// One white-space character (a newline ends the line).
    fn white(&mut self, c: char) {
        let gap = if c == '\n' { Gap::Line } else { Gap::Space };
        let seen = self.gap();
        *seen = (*seen).max(gap);
    }

    /// One character: white space or part of a word; false to stop.
    fn char(&mut self, c: char) -> bool {
        if c.is_whitespace() {
            self.white(c);
            true
        } else {
            self.word(c.encode_utf8(&mut [0; 4]))
        }
    }
}

/// Hands `pieces` the words and white space of `html` as plain text:
/// tags out (a block's end a newline, any other tag a space), the
/// entities card HTML uses decoded.
fn walk(html: &str, pieces: &mut impl Pieces) {
    let bytes = html.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let go_on = match bytes[at] {
            b'<' => {
                let end =
                    crate::scan::find_ascii(&html[at..], b">").map_or(html.len(), |e| at + e + 1);
                // Block ends separate words and sentences.
                let tag = &html[at..end];
                let block_end = tag.starts_with("</p")
                    || tag.starts_with("<br")
                    || tag.starts_with("</li")
                    || tag.starts_with("</h");
                pieces.white(if block_end { '\n' } else { ' ' });
                at = end;
                true
            }
            b'&' => {
                let (decoded, len) = entity_at(&bytes[at..]).unwrap_or(('&', 1));
                at += len;
                pieces.char(decoded)
            }
            byte if crate::scan::is_ascii_white(byte) => {
                pieces.white(byte as char);
                at += 1;
                true
            }
            byte if byte.is_ascii() => {
                // A run of word bytes at once.
                let run = bytes[at..]
                    .iter()
                    .position(|&b| {
                        !b.is_ascii() || crate::scan::is_ascii_white(b) || b == b'<' || b == b'&'
                    })
                    .map_or(bytes.len(), |n| at + n);
                let part = &html[at..run];
                at = run;
                pieces.word(part)
            }
            _ => {
                let c = html[at..].chars().next().unwrap_or_default();
                at += c.len_utf8();
                pieces.char(c)
            }
        };
        if !go_on {
            return;
        }
    }
}

/// The entity card HTML uses at the start of `bytes` (as [`decode`] reads
/// them) and its length.
fn entity_at(bytes: &[u8]) -> Option<(char, usize)> {
    const ENTITIES: [(&[u8], char); 6] = [
        (b"&lt;", '<'),
        (b"&gt;", '>'),
        (b"&quot;", '"'),
        (b"&#39;", '\''),
        (b"&nbsp;", ' '),
        (b"&amp;", '&'),
    ];
    ENTITIES
        .iter()
        .find(|(name, _)| bytes.starts_with(name))
        .map(|(name, c)| (*c, name.len()))
}

/// What came since the last word: nothing, white space, or a newline.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Line,
}

/// Plain text written word by word: words of a line joined by one space,
/// lines with words by one newline.
struct Folded {
    text: String,
    gap: Gap,
}

impl Pieces for Folded {
    fn word(&mut self, part: &str) -> bool {
        if !self.text.is_empty() {
            match self.gap {
                Gap::Line => self.text.push('\n'),
                Gap::Space => self.text.push(' '),
                Gap::None => {}
            }
        }
        self.gap = Gap::None;
        self.text.push_str(part);
        true
    }

    fn gap(&mut self) -> &mut Gap {
        &mut self.gap
    }
}

/// `text` with the entities card HTML uses decoded.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Card HTML without its leading breadcrumb (the note and headings above).
pub fn without_breadcrumb(html: &str) -> &str {
    const OPEN: &str = "<div class=\"breadcrumb\">";
    match html
        .strip_prefix(OPEN)
        .and_then(|rest| rest.split_once("</div>"))
    {
        Some((_, after)) => after,
        None => html,
    }
}

#[cfg(test)]
/// [`text_of`] as it was written first: tags out, then entities
/// decoded, then lines folded, each in a pass of its own.
pub(crate) fn text_of_in_three_passes(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = crate::scan::find_ascii(rest, b"<") {
        out.push_str(&rest[..at]);
        let end = crate::scan::find_ascii(&rest[at..], b">").map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        if tag.starts_with("</p")
            || tag.starts_with("<br")
            || tag.starts_with("</li")
            || tag.starts_with("</h")
        {
            out.push('\n');
        } else {
            out.push(' ');
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    fold_lines_by_collecting(&decode(&out))
}

#[cfg(test)]
/// The folding of [`text_of`] as it was written first.
fn fold_lines_by_collecting(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_of_card_html() {
        assert_eq!(
            text_of("<p>A &amp; B</p><ul><li>one</li><li>two</li></ul>"),
            "A & B\none\ntwo"
        );
    }

    proptest::proptest! {
        #[test]
        fn one_pass_gives_what_three_passes_gave(
            html in "(<p>|</p>|<br>|<br/>|</li>|</h2>|<b>|<|>|&lt;|&gt;|&quot;|&#39;|&nbsp;|&amp;|&|;|amp|lt|[ a-z\t\n\r\x0b\u{a0}\u{3000}\u{85}é€])*"
        ) {
            proptest::prop_assert_eq!(text_of(&html), text_of_in_three_passes(&html));
        }
    }

    proptest::proptest! {
        #[test]
        fn longer_than_counts_what_text_of_writes(
            html in "(<p>|</p>|<br>|<b>|<|>|&amp;|&nbsp;|&lt;|&#39;|&|;|[ a-z\\n\t\r\x0b\u{a0}\u{3000}é€])*",
            limit in 0usize..40,
        ) {
            let chars = text_of(&html).chars().count();
            proptest::prop_assert_eq!(longer_than(&html, limit), chars > limit);
        }
    }

    proptest::proptest! {
        #[test]
        fn lines_fold_as_they_did(text in "[ a-z\t\n\r\x0b\u{a0}\u{3000}]{0,60}") {
            // No tags and no entities: `text_of` only folds.
            proptest::prop_assert_eq!(text_of(&text), fold_lines_by_collecting(&text));
        }
    }

    #[test]
    fn the_breadcrumb_comes_off() {
        assert_eq!(
            without_breadcrumb("<div class=\"breadcrumb\">a › b</div><div class=\"front\">Q</div>"),
            "<div class=\"front\">Q</div>"
        );
        assert_eq!(without_breadcrumb("<p>x</p>"), "<p>x</p>");
    }
}
