//! The part of a note another note embeds: `![[Note]]` (the whole note),
//! `![[Note#Heading]]` (that heading's section) or `![[Note#^id]]` (the
//! block carrying that id); in a Dendron vault, Dendron's note references
//! with their ranges ([`dendron_excerpt`]).

use super::code::Fences;
use super::frontmatter;

/// How deep embeds may nest (a note embedding a note embedding a note).
pub const MAX_EMBED_DEPTH: usize = 3;

/// The Markdown `reference`'s anchor picks out of the note `text`, or
/// `None` when the heading or block is not there.
pub fn excerpt(text: &str, anchor: Option<&str>) -> Option<String> {
    let (_, body, _) = frontmatter::split(text);
    let Some(anchor) = anchor.map(str::trim).filter(|a| !a.is_empty()) else {
        return Some(body.to_owned());
    };
    match anchor.strip_prefix('^') {
        Some(id) => block(body, id),
        None => section(body, anchor),
    }
}

/// The part of a Dendron note's `body` (its front matter taken off) that
/// a note reference's `anchor` shows, as Dendron shows it; `None` when an
/// anchor is not in the note. A heading is named by its text or by
/// Dendron's slug of it (`#cell-walls` for `## Cell walls`), and the
/// excerpt starts with the heading itself:
/// - none: the whole note;
/// - `#heading`: the heading and its section, up to the next heading of
///   the same or a higher level;
/// - `#^id`: the paragraph or list item carrying `^id` (for `^id` alone
///   on a line, the block above it);
/// - `#^begin`: the text before the first heading;
/// - `START:#END`: from `START` (a heading or `^id`) up to the heading
///   `END` (which is left out), through the block `^END`, up to the next
///   heading of any level (`*`), or to the end of the note (`^end`);
/// - `#heading,N` (also with a range): leaves out the first `N` blocks
///   (the heading is one, so `,1` shows its section without it).
///
/// One pass over the note's lines finds its headings; each anchor is then
/// one scan.
pub fn dendron_excerpt(body: &str, anchor: Option<&str>) -> Option<String> {
    let Some(anchor) = anchor.map(str::trim).filter(|a| !a.is_empty()) else {
        return Some(body.to_owned());
    };
    let note = Outline::of(body);
    let (start, end) = match anchor.split_once(":#") {
        Some((start, end)) => (start.trim(), Some(end.trim())),
        None => (anchor, None),
    };
    // `,N` after a heading; a comma in the heading's own text stays.
    let offset = start
        .rsplit_once(',')
        .filter(|_| !start.starts_with('^'))
        .and_then(|(name, n)| Some((name.trim(), n.trim().parse::<usize>().ok()?)));
    let (start, skip) = offset.unwrap_or((start, 0));
    let len = note.lines.len();
    let (from, section_end) = match start {
        "^begin" => (0, note.next_heading(0, 7).unwrap_or(len)),
        "^end" | "*" => return None,
        _ => match start.strip_prefix('^') {
            Some(id) => note.block(id, 0)?,
            None => {
                let at = note.heading(start, 0)?;
                let level = note.level(at).unwrap_or(1);
                (at, note.next_heading(at + 1, level).unwrap_or(len))
            }
        },
    };
    let to = match end {
        None => section_end,
        Some("*") => note.next_heading(from + 1, 6).unwrap_or(len),
        Some("^end") => len,
        Some("^begin") => return None,
        Some(end) => match end.strip_prefix('^') {
            Some(id) => note.block(id, from)?.1,
            None => note.heading(end, from + 1)?,
        },
    };
    let from = note.skip_blocks(from, to, skip);
    Some(note.lines[from.min(to)..to].join("\n"))
}

/// A note's lines, with the level of each heading (outside code).
struct Outline<'t> {
    lines: Vec<&'t str>,
    /// Per line: the heading level (1 to 6), 0 for text, 7 in code.
    kinds: Vec<u8>,
}

/// The kind of a line inside a fenced code block.
const CODE: u8 = 7;

impl<'t> Outline<'t> {
    fn of(body: &'t str) -> Outline<'t> {
        let lines: Vec<&str> = crate::scan::lines(body).collect();
        let mut fences = Fences::default();
        let kinds = lines
            .iter()
            .map(|line| {
                if fences.is_code(line) {
                    return CODE;
                }
                heading_text(line).map_or(0, |(level, _)| level)
            })
            .collect();
        Outline { lines, kinds }
    }

    /// The heading level of line `at`, if it is a heading.
    fn level(&self, at: usize) -> Option<u8> {
        Some(self.kinds[at]).filter(|k| (1..=6).contains(k))
    }

    /// The first heading at or after line `from` of level `level` or
    /// higher (a smaller number).
    fn next_heading(&self, from: usize, level: u8) -> Option<usize> {
        (from..self.lines.len()).find(|&at| self.level(at).is_some_and(|l| l <= level))
    }

    /// The first heading at or after line `from` named `name` (its text
    /// or its slug).
    fn heading(&self, name: &str, from: usize) -> Option<usize> {
        let wanted = slug(name);
        (from..self.lines.len()).find(|&at| {
            self.level(at).is_some()
                && heading_text(self.lines[at]).is_some_and(|(_, text)| slug(text) == wanted)
        })
    }

    /// The lines of the block carrying `^id` at or after line `from`:
    /// its paragraph (up to the line with the id), its list item (with
    /// the lines indented under it), or, for `^id` alone on a line, the
    /// block above.
    fn block(&self, id: &str, from: usize) -> Option<(usize, usize)> {
        let marker = format!("^{id}");
        let suffix = format!(" {marker}");
        let at = (from..self.lines.len()).find(|&at| {
            let line = self.lines[at].trim_end();
            self.kinds[at] != CODE && (line.trim_start() == marker || line.ends_with(&suffix))
        })?;
        let blank = |k: usize| self.lines[k].trim().is_empty();
        let paragraph_start = |end: usize| {
            (0..end)
                .rev()
                .find(|&k| blank(k) || self.level(k).is_some())
                .map_or(0, |k| k + 1)
        };
        let line = self.lines[at];
        if line.trim() == marker {
            return Some((paragraph_start(at), at));
        }
        let item = line.trim_start();
        let is_item = (item.starts_with(['-', '*', '+']) && item[1..].starts_with(' '))
            || item.split_once(['.', ')']).is_some_and(|(n, rest)| {
                !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with(' ')
            });
        if is_item {
            let indent = line.len() - item.len();
            let children = self.lines[at + 1..]
                .iter()
                .take_while(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() > indent)
                .count();
            return Some((at, at + 1 + children));
        }
        Some((paragraph_start(at), at + 1))
    }

    /// Line `from` moved past `count` blocks (a heading, or lines up to a
    /// blank line or a heading) and the blank lines after them, not past
    /// `to`.
    fn skip_blocks(&self, mut from: usize, to: usize, count: usize) -> usize {
        let blank = |k: usize| self.kinds[k] != CODE && self.lines[k].trim().is_empty();
        for _ in 0..count {
            while from < to && blank(from) {
                from += 1;
            }
            if from >= to {
                break;
            }
            if self.level(from).is_some() {
                from += 1;
                continue;
            }
            while from < to && !blank(from) && self.level(from).is_none() {
                from += 1;
            }
        }
        if count > 0 {
            while from < to && blank(from) {
                from += 1;
            }
        }
        from
    }
}

/// The level and text of an ATX heading line (`## Text ##`).
fn heading_text(line: &str) -> Option<(u8, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let level = trimmed.bytes().take_while(|b| *b == b'#').count();
    let rest = &trimmed[level..];
    if !(1..=6).contains(&level) || !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((level as u8, rest.trim().trim_end_matches('#').trim()))
}

/// Dendron's (GitHub's) slug of a heading: lower case, spaces as `-`,
/// other punctuation left out.
fn slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// The paragraph or list item ending in ` ^id`, without the id; for `^id`
/// alone on a line, the block above it (a table, a quote).
fn block(body: &str, id: &str) -> Option<String> {
    let lines: Vec<&str> = crate::scan::lines(body).collect();
    let marker = format!("^{id}");
    let suffix = format!(" {marker}");
    let at = lines.iter().position(|l| {
        let t = l.trim_end();
        t.trim_start() == marker || t.ends_with(&suffix)
    })?;
    let line = lines[at].trim_end();
    let paragraph_start = |end: usize| {
        lines[..end]
            .iter()
            .rposition(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            .map_or(0, |p| p + 1)
    };
    if line.trim_start() == marker {
        return Some(lines[paragraph_start(at)..at].join("\n"));
    }
    let own = line[..line.len() - suffix.len()].trim_end();
    if own.trim_start().starts_with(['-', '*', '+']) {
        return Some(own.to_owned());
    }
    let mut text: Vec<&str> = lines[paragraph_start(at)..at].to_vec();
    text.push(own);
    Some(text.join("\n"))
}

/// The section under the heading whose text is `heading` (any level), up
/// to the next heading of the same or a higher level.
fn section(body: &str, heading: &str) -> Option<String> {
    let wanted = heading.trim().to_lowercase();
    let mut level_found: Option<usize> = None;
    let mut out: Vec<&str> = Vec::new();
    let mut fence = false;
    for line in crate::scan::lines(body) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = !fence;
        }
        let level = (!fence)
            .then(|| trimmed.chars().take_while(|c| *c == '#').count())
            .filter(|n| (1..=6).contains(n) && trimmed[*n..].starts_with(' '));
        match (level_found, level) {
            (None, Some(n))
                if trimmed[n..]
                    .trim()
                    .trim_end_matches('#')
                    .trim()
                    .to_lowercase()
                    == wanted =>
            {
                level_found = Some(n);
            }
            (Some(found), Some(n)) if n <= found => break,
            (Some(_), _) => out.push(line),
            _ => {}
        }
    }
    level_found.map(|_| out.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    const NOTE: &str = "---\ntitle: Other\n---\nIntro.\n\n## Part one\nFirst part. ^p1\n\n### Detail\nDeep.\n\n## Part two\n- item a\n- item b ^li\n";

    #[test]
    fn whole_note_heading_and_block() {
        assert!(excerpt(NOTE, None).is_some_and(|t| t.starts_with("Intro.")));
        assert_eq!(
            excerpt(NOTE, Some("Part one")).as_deref(),
            Some("First part. ^p1\n\n### Detail\nDeep.\n")
        );
        assert_eq!(excerpt(NOTE, Some("^p1")).as_deref(), Some("First part."));
        assert_eq!(excerpt(NOTE, Some("^li")).as_deref(), Some("- item b"));
        assert_eq!(excerpt(NOTE, Some("Nowhere")), None);
        assert_eq!(excerpt(NOTE, Some("^none")), None);
    }

    mod dendron {
        use super::super::dendron_excerpt;

        /// A Dendron note's body: sections two deep, blocks with anchors,
        /// a heading inside code that is none.
        const BODY: &str = "Opening words.\n\n## Cell walls\nRigid layer. ^wall\n\n### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n\n## Membranes\n- lipids ^lip\n  - two layers\n- proteins\n\nLast words.\n^end-note\n";

        #[track_caller]
        fn check(anchor: &str, expected: Option<&str>) {
            assert_eq!(
                dendron_excerpt(BODY, Some(anchor)).as_deref(),
                expected,
                "{anchor}"
            );
        }

        #[test]
        fn no_anchor_is_the_whole_note() {
            assert_eq!(dendron_excerpt(BODY, None).as_deref(), Some(BODY));
        }

        #[test]
        fn a_heading_shows_itself_and_its_section() {
            let walls = "## Cell walls\nRigid layer. ^wall\n\n### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n";
            check("cell-walls", Some(walls));
            check("Cell walls", Some(walls));
            check(
                "plants-mostly",
                Some("### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n"),
            );
            check("not-a-heading", None);
            check("nowhere", None);
        }

        #[test]
        fn an_offset_leaves_out_the_first_blocks() {
            check(
                "cell-walls,1",
                Some("Rigid layer. ^wall\n\n### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n"),
            );
            check("cell-walls,2:#*", Some(""));
            check("cell-walls,1:#*", Some("Rigid layer. ^wall\n"));
            check("cell-walls,x", None);
        }

        #[test]
        fn ranges_end_at_a_heading_a_block_or_the_end() {
            check("cell-walls:#*", Some("## Cell walls\nRigid layer. ^wall\n"));
            check(
                "plants-mostly:#membranes",
                Some("### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n"),
            );
            check("membranes:#^end", Some("## Membranes\n- lipids ^lip\n  - two layers\n- proteins\n\nLast words.\n^end-note"));
            check("membranes:#cell-walls", None);
            check("^wall:#^lip", Some("Rigid layer. ^wall\n\n### Plants, mostly\nMade of cellulose.\n\n```\n## not a heading\n```\n\n## Membranes\n- lipids ^lip\n  - two layers"));
            check("^lip:#^wall", None);
        }

        #[test]
        fn blocks_and_positions() {
            check("^wall", Some("Rigid layer. ^wall"));
            check("^lip", Some("- lipids ^lip\n  - two layers"));
            check("^end-note", Some("Last words."));
            check("^begin", Some("Opening words.\n"));
            check(
                "^begin:#^wall",
                Some("Opening words.\n\n## Cell walls\nRigid layer. ^wall"),
            );
            check("^nowhere", None);
            check("^end", None);
            check("*", None);
        }
    }
}
