//! Finding ASCII punctuation and white space in text fast: the passes that look for code
//! spans, Liquid tags, comments, footnote references and the like look for
//! two or three ASCII bytes across every note, and `str::find` with a set of
//! chars decodes every char on the way. An ASCII byte never occurs inside
//! another char's UTF-8 bytes, so the first such byte is where `str::find`
//! would find the first of those chars.

/// The byte offset of the first of the ASCII bytes `set` in `text` (a char
/// boundary), as `text.find(chars)` gives it for the same chars.
pub fn find_ascii(text: &str, set: &[u8]) -> Option<usize> {
    debug_assert!(set.is_ascii(), "only ASCII bytes are char boundaries");
    let bytes = text.as_bytes();
    match *set {
        [] => None,
        [a] => memchr::memchr(a, bytes),
        [a, b] => memchr::memchr2(a, b, bytes),
        [a, b, c] => memchr::memchr3(a, b, c, bytes),
        _ => bytes.iter().position(|byte| set.contains(byte)),
    }
}

/// The text's lines as `text.split('\n')` gives them, found with
/// `memchr`'s SIMD search (the standard library's byte search for a char
/// walks a word at a time; the passes over a note split it often).
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain(std::iter::once(None));
    ends.map(move |end| {
        let start = from;
        match end {
            Some(end) => {
                from = end + 1;
                &text[start..end]
            }
            None => &text[start..],
        }
    })
}

/// The text's lines with their `\n`, as `text.split_inclusive('\n')`
/// gives them (nothing for an empty text, no empty last line), found as
/// [`split_lines`] finds them.
pub fn split_lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    let ends = memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|end| end + 1)
        .chain(std::iter::once(text.len()));
    ends.filter_map(move |end| {
        let start = from;
        from = end;
        (end > start).then(|| &text[start..end])
    })
}

/// The text's lines as `text.lines()` gives them (a `\r` before a `\n`
/// left out), found as [`split_lines`] finds them.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    split_lines_inclusive(text).map(|line| match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    })
}

/// Substring search through `memchr`: each place of the needle's first
/// byte, found by SIMD and checked (the needles the passes ask for begin
/// with punctuation that is rare in notes, and setting up `memmem`'s
/// searcher costs more than such a search), going on with `memmem` over
/// a long text when that byte turns out common (the standard library's
/// `str::contains` with a text pattern walks long notes several times
/// slower).
pub trait Substring {
    /// True when `needle` occurs in the text (as `str::contains`).
    fn has(&self, needle: &str) -> bool;
}

/// A search that has looked at this many places where the needle's first
/// byte stood, in vain, with a long text still ahead, goes on with
/// `memchr`'s substring search (building it costs more than most searches
/// for a rare first byte, but it never looks at a place twice).
const MISSES_BEFORE_MEMMEM: usize = 8;

/// What is left of a text for the switch to the substring search to pay.
const LONG_REST: usize = 256;

impl Substring for str {
    fn has(&self, needle: &str) -> bool {
        let (text, needle) = (self.as_bytes(), needle.as_bytes());
        let Some(&first) = needle.first() else {
            return true;
        };
        let mut from = 0;
        let mut misses = 0;
        while let Some(found) = memchr::memchr(first, &text[from..]) {
            let at = from + found;
            if text[at..].starts_with(needle) {
                return true;
            }
            from = at + 1;
            misses += 1;
            if misses == MISSES_BEFORE_MEMMEM && text.len() - from >= LONG_REST {
                return memchr::memmem::find(&text[from..], needle).is_some();
            }
        }
        false
    }
}

/// True for the ASCII bytes `char::is_whitespace` takes for white space
/// (the vertical tab too, which `u8::is_ascii_whitespace` leaves out).
pub fn is_ascii_white(byte: u8) -> bool {
    matches!(byte, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `has` says what `str::contains` says, on short and long texts.
        #[test]
        fn has_is_contains(
            text in "[ab\u{e9}\n]{0,700}",
            needle in "[ab\u{e9}]{0,4}",
        ) {
            proptest::prop_assert_eq!(text.has(&needle), text.contains(needle.as_str()));
        }
    }

    proptest::proptest! {
        /// The same where the first byte stands in many places: the search
        /// goes on with `memmem` from where it was.
        #[test]
        fn has_is_contains_after_many_misses(
            text in "(a{0,12}b?){0,60}",
            needle in "a{1,3}b",
        ) {
            proptest::prop_assert_eq!(text.has(&needle), text.contains(needle.as_str()));
        }
    }

    #[test]
    fn the_search_goes_on_from_the_last_miss() {
        let text = format!(
            "{}b{}",
            "a".repeat(MISSES_BEFORE_MEMMEM + 1),
            "x".repeat(LONG_REST)
        );
        assert!(text.has("ab"));
    }

    proptest::proptest! {
        /// The lines found with `memchr` are the standard library's.
        #[test]
        fn lines_are_split_as_str_splits_them(text in "[a\n\u{e9}\r]{0,12}") {
            proptest::prop_assert_eq!(
                split_lines(&text).collect::<Vec<_>>(),
                text.split('\n').collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(
                split_lines_inclusive(&text).collect::<Vec<_>>(),
                text.split_inclusive('\n').collect::<Vec<_>>()
            );
            proptest::prop_assert_eq!(lines(&text).collect::<Vec<_>>(), text.lines().collect::<Vec<_>>());
        }
    }

    #[test]
    fn finds_what_str_find_finds() {
        let text = "caf\u{e9} `code` {% tag %} [^1] %%x%% \u{3000}[[link]]!";
        for set in ["`", "`{", "`[", "`{[", "`{[!", "%", "}{", "\\`", "z"] {
            let chars: Vec<char> = set.chars().collect();
            assert_eq!(
                find_ascii(text, set.as_bytes()),
                text.find(chars.as_slice()),
                "{set}"
            );
            for from in 0..text.len() {
                if text.is_char_boundary(from) {
                    assert_eq!(
                        find_ascii(&text[from..], set.as_bytes()),
                        text[from..].find(chars.as_slice()),
                        "{set} from {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn ascii_white_space_is_what_char_says() {
        for byte in 0..128u8 {
            assert_eq!(
                is_ascii_white(byte),
                char::from(byte).is_whitespace(),
                "{byte}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn matches_str_find_on_any_text(text in "[ -~\\u{e9}\\u{3000}\\u{1f600}]{0,80}") {
            for set in ["`[", "`{", "`%", "`\\\\", "{}", "`{[!"] {
                let chars: Vec<char> = set.chars().collect();
                proptest::prop_assert_eq!(find_ascii(&text, set.as_bytes()), text.find(chars.as_slice()));
            }
        }
    }
}
