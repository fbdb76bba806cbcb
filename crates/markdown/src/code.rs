//! Where code is, for the passes that rewrite a note's text before it is
//! parsed (Liquid, Obsidian marks, MathJax, footnotes): they leave code
//! alone, so they share one reading of fences and inline code spans. They
//! also share [`Ahead`], how they look for a closing delimiter without
//! reading the rest of a line once per opening.

/// Follows fenced code blocks (```` ``` ```` and `~~~`) line by line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fences {
    open: Option<(char, usize)>,
}

impl Fences {
    /// Feeds the next line; true when it is code: a fence line, or a line
    /// inside a fenced block.
    pub fn is_code(&mut self, line: &str) -> bool {
        if let Some(marker) = fence_marker(line) {
            match self.open {
                None => self.open = Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n && is_closing(line) => {
                    self.open = None
                }
                _ => {}
            }
            return true;
        }
        self.open.is_some()
    }

    /// True while a fenced block is open (after the lines fed so far).
    pub fn inside(&self) -> bool {
        self.open.is_some()
    }
}

/// The fence character and length if `line` opens or closes a code fence.
fn fence_marker(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = trimmed.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

fn is_closing(line: &str) -> bool {
    line.trim().chars().all(|c| c == '`' || c == '~')
}

/// For `text` starting with a backtick: the length of the inline code span
/// there (up to the matching backticks), or of the backticks alone when
/// the span is not closed.
pub fn span_len(text: &str) -> usize {
    let ticks = text.chars().take_while(|&c| c == '`').count();
    text[ticks..]
        .find(&text[..ticks])
        .map_or(ticks, |close| ticks + close + ticks)
}

/// Where a delimiter next occurs in a text, for a scan that only moves
/// forward. A search that found nothing is not repeated (nothing after a
/// failed search's start can be found either), nor is one whose find lies
/// still ahead, so all the searches of a scan read the text about once:
/// an opening without its close, repeated along a line, costs a constant
/// each instead of the rest of the line.
pub struct Ahead<'t, F> {
    text: &'t str,
    find: F,
    /// The last search: where it started and what it found.
    last: Option<(usize, Option<usize>)>,
}

impl<'t, F: Fn(&str) -> Option<usize>> Ahead<'t, F> {
    /// Searches in `text` with `find` (as `str::find` with a pattern: the
    /// offset of the first match).
    pub fn new(text: &'t str, find: F) -> Self {
        Ahead {
            text,
            find,
            last: None,
        }
    }

    /// Where the first match at or after `from` (a char boundary of the
    /// text) starts: what `find` gives for `&text[from..]`, plus `from`.
    /// Linear in all when `from` never decreases.
    pub fn at_or_after(&mut self, from: usize) -> Option<usize> {
        if let Some((start, found)) = self.last {
            if start <= from && found.is_none_or(|at| at >= from) {
                return found;
            }
        }
        let found = (self.find)(&self.text[from..]).map(|at| from + at);
        self.last = Some((from, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_spans() {
        let mut fences = Fences::default();
        let code: Vec<bool> = ["a", "```rust", "x", "~~~", "```", "b"]
            .iter()
            .map(|l| fences.is_code(l))
            .collect();
        assert_eq!(code, [false, true, true, true, true, false]);
        assert_eq!(span_len("`a` b"), 3);
        assert_eq!(span_len("``a`b`` c"), 7);
        assert_eq!(span_len("`open"), 1);
    }

    #[test]
    fn ahead_finds_what_a_search_from_each_place_finds() {
        let text = "a}} b {{ }}c }";
        let mut closes = Ahead::new(text, |text: &str| text.find("}}"));
        for from in 0..=text.len() {
            let searched = text[from..].find("}}").map(|at| from + at);
            assert_eq!(closes.at_or_after(from), searched, "from {from}");
        }
        // Going back searches again.
        assert_eq!(closes.at_or_after(0), Some(1));
    }
}
