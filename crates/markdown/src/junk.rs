//! Sections that would make cards nobody wants to review.
//!
//! Real vaults are full of sections that hold no fact to learn: a line of
//! tags, a reading list, a to-do list, raw HTML that the sanitiser emptied,
//! an image that is not there, whole index ("map of content") pages. Each
//! rule below skips such a section with its reason; each can be turned off
//! (`notedeck settings --skip RULE=off`).

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::render;
use crate::scan::Substring;

/// Which junk rules are on (all by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JunkRules {
    /// Skip a section that holds only `#tags`.
    pub only_tags: bool,
    /// Skip a section that holds only links (a reading list).
    pub only_links: bool,
    /// Skip a section that holds only tasks (a to-do list).
    pub only_tasks: bool,
    /// Skip a section left without text, image or math after sanitising.
    pub empty: bool,
    /// Skip a section whose only content is media that is not there.
    pub only_missing_media: bool,
    /// Make no cards from a note that is mostly links (an index page).
    pub link_pages: bool,
    /// Read labels in prose as headings (see [`super::implicit`]): not a
    /// junk rule, but a parsing choice stored with each note the same way
    /// (`settings --implicit-headings on|off`).
    pub implicit_headings: bool,
    /// Make a section longer than the doctor's `too_long` limit a reading
    /// card (`settings --reading-per-day 0` turns this off): a parsing
    /// choice stored with each note the same way.
    pub reading_cards: bool,
}

impl Default for JunkRules {
    fn default() -> JunkRules {
        JunkRules {
            only_tags: true,
            only_links: true,
            only_tasks: true,
            empty: true,
            only_missing_media: true,
            link_pages: true,
            implicit_headings: true,
            reading_cards: true,
        }
    }
}

/// The rules' names, as settings and the CLI spell them.
pub const RULE_NAMES: &[&str] = &[
    "only-tags",
    "only-links",
    "only-tasks",
    "empty",
    "only-missing-media",
    "link-pages",
];

impl JunkRules {
    /// The rule named `name` (see [`RULE_NAMES`]), for setting it.
    pub fn rule_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "only-tags" => &mut self.only_tags,
            "only-links" => &mut self.only_links,
            "only-tasks" => &mut self.only_tasks,
            "empty" => &mut self.empty,
            "only-missing-media" => &mut self.only_missing_media,
            "link-pages" => &mut self.link_pages,
            _ => return None,
        })
    }

    /// A small number that changes whenever the rules do (stored with each
    /// note, so a change parses every note again).
    pub fn mask(&self) -> i64 {
        [
            self.only_tags,
            self.only_links,
            self.only_tasks,
            self.empty,
            self.only_missing_media,
            self.link_pages,
            self.implicit_headings,
            self.reading_cards,
        ]
        .iter()
        .enumerate()
        .map(|(i, on)| i64::from(!*on) << i)
        .sum()
    }
}

/// A note is a link page when at least this share of its content lines
/// hold nothing but links…
pub const LINK_PAGE_SHARE: f64 = 0.8;
/// …and it has at least this many of them.
pub const LINK_PAGE_MIN_LINES: usize = 5;

/// What a section's Markdown holds, counted from the parser's events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Words outside links, tags and task markers, counted up to
    /// [`ENOUGH_WORDS`].
    words: usize,
    /// Tags, counted until `words` has enough (the rules read them only
    /// when there is no word).
    tags: usize,
    links: usize,
    images: usize,
    /// Embeds of files notedeck does not show (`![[Plans.canvas]]`,
    /// `.excalidraw`, `.base`): a name, no content (also in `images`).
    unshown_files: usize,
    /// Embeds of other notes (`![[Other note#Part]]`): their content is
    /// shown, so they are content, not links.
    note_embeds: usize,
    tasks: usize,
    list_items: usize,
    /// Code, math, tables, raw HTML: content of its own.
    other: usize,
}

impl Shape {
    /// Counts what `events` (a parsed section, before rewriting) hold.
    pub fn of_events(events: &[Event<'_>]) -> Shape {
        let mut shape = Shape::default();
        let mut in_link = 0usize;
        for event in events {
            match event {
                Event::Start(Tag::Link { .. }) => {
                    in_link += 1;
                    shape.links += 1;
                }
                Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    ..
                }) => {
                    in_link += 1;
                    shape.images += 1;
                    let name = dest_url.split(['#', '|']).next().unwrap_or(dest_url);
                    let wikilink = matches!(link_type, LinkType::WikiLink { .. });
                    if wikilink && !render::is_file_embed(dest_url) {
                        shape.note_embeds += 1;
                    } else if wikilink && crate::media::kind_of_name(name).is_none() {
                        shape.unshown_files += 1;
                    }
                }
                Event::End(TagEnd::Image) => in_link = in_link.saturating_sub(1),
                Event::Start(Tag::Item) => shape.list_items += 1,
                Event::TaskListMarker(_) => shape.tasks += 1,
                Event::Text(text) if in_link == 0 && shape.words < ENOUGH_WORDS => {
                    let (words, tags) = count_words(text, ENOUGH_WORDS - shape.words);
                    shape.words += words;
                    shape.tags += tags;
                }
                Event::Code(_)
                | Event::InlineMath(_)
                | Event::DisplayMath(_)
                | Event::Start(Tag::CodeBlock(_) | Tag::Table(_)) => shape.other += 1,
                Event::Html(html) | Event::InlineHtml(html) if !html.trim().is_empty() => {
                    shape.other += 1
                }
                _ => {}
            }
        }
        shape
    }
}

fn shape(body: &str) -> Shape {
    let events: Vec<Event<'_>> = Parser::new_ext(body, render::options()).collect();
    Shape::of_events(&events)
}

/// Words past this many in a section change no rule (the rules ask only
/// whether it has none, or one), so counting stops there.
const ENOUGH_WORDS: usize = 2;

/// The words (with a letter or digit) and the tags of `text`, cut at
/// white space as `split_whitespace` cuts it, up to `enough` words: the
/// text after them is not read (tags there are not counted). Nearly all
/// text is ASCII, read byte by byte; from a word with any other byte on,
/// the whole text is counted word by word as `str` gives them.
fn count_words(text: &str, enough: usize) -> (usize, usize) {
    use crate::scan::is_ascii_white;
    let (mut words, mut tags) = (0, 0);
    let mut rest = text.as_bytes();
    while words < enough {
        let Some(start) = rest.iter().position(|b| !is_ascii_white(*b)) else {
            break;
        };
        rest = &rest[start..];
        let end = rest
            .iter()
            .position(|b| is_ascii_white(*b))
            .unwrap_or(rest.len());
        let (word, after) = rest.split_at(end);
        match word {
            _ if !word.is_ascii() => return count_str_words(text, enough),
            [b'#', first, rest @ ..]
                if first.is_ascii_alphabetic()
                    && rest
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/')) =>
            {
                tags += 1
            }
            _ if word.iter().any(u8::is_ascii_alphanumeric) => words += 1,
            _ => {}
        }
        rest = after;
    }
    (words, tags)
}

/// [`count_words`] for text that is not all ASCII: word by word, as
/// `split_whitespace` cuts it.
fn count_str_words(text: &str, enough: usize) -> (usize, usize) {
    let (mut words, mut tags) = (0, 0);
    for word in text.split_whitespace() {
        if words >= enough {
            break;
        }
        if is_tag(word) {
            tags += 1;
        } else if word.chars().any(char::is_alphanumeric) {
            words += 1;
        }
    }
    (words, tags)
}

fn is_tag(word: &str) -> bool {
    word.strip_prefix('#').is_some_and(|rest| {
        rest.chars().next().is_some_and(char::is_alphabetic)
            && rest
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'))
    })
}

/// The reason given for a section of tags only.
pub const ONLY_TAGS: &str = "only tags, nothing to learn (rule only-tags)";

/// Why this section makes no card, if a rule says so. `shape` counts what
/// its Markdown holds, `html` is the rendered back, `missing` the media it
/// names that were not found.
pub fn section_reason(
    rules: &JunkRules,
    shape: &Shape,
    html: &str,
    missing: &[String],
) -> Option<&'static str> {
    let text_free = shape.words == 0 && shape.other == 0;
    if rules.only_tags && text_free && shape.tags > 0 && shape.links + shape.images == 0 {
        return Some(ONLY_TAGS);
    }
    if rules.only_tasks && shape.tasks > 0 && shape.tasks == shape.list_items && shape.other == 0 {
        return Some("only tasks, a to-do list (rule only-tasks)");
    }
    if rules.only_missing_media
        && text_free
        && !missing.is_empty()
        && shape.images <= missing.len()
        && shape.links == 0
    {
        return Some("only media that is not there (rule only-missing-media)");
    }
    if rules.only_links && text_free && shape.links > 0 && shape.images == 0 {
        return Some("only links, a reading list (rule only-links)");
    }
    if rules.only_links
        && text_free
        && shape.unshown_files > 0
        && shape.images == shape.unshown_files
    {
        return Some(
            "only links and embeds of files notedeck does not show (a canvas, a drawing, a base) (rule only-links)",
        );
    }
    if rules.empty && !shows_text(html) && !has_media_or_math(html) {
        return Some("nothing left to show after unsafe HTML was removed (rule empty)");
    }
    None
}

/// True when most of `body`'s content lines are nothing but links: an
/// index or map-of-content page (see [`LINK_PAGE_SHARE`]).
pub fn is_link_page(rules: &JunkRules, body: &str) -> bool {
    if !rules.link_pages {
        return false;
    }
    let content = || {
        crate::scan::lines(body)
            .map(str::trim)
            .filter(|t| !t.is_empty() && !t.starts_with('#') && !t.starts_with("---"))
    };
    let candidate = |t: &&str| t.has("[[") || t.has("](");
    // Cheapest first: a line with a link holds `[[` or `](`, so there are
    // no more such lines than there are of those in the whole note.
    static WIKILINK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("[["));
    static LINK: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("]("));
    let most =
        WIKILINK.find_iter(body.as_bytes()).count() + LINK.find_iter(body.as_bytes()).count();
    if most < LINK_PAGE_MIN_LINES {
        return false;
    }
    let content_lines = content().count();
    if (most as f64) < LINK_PAGE_SHARE * content_lines as f64 {
        return false;
    }
    // Then only lines with a link can count, so most notes are decided by
    // counting, without parsing a line or keeping one.
    let candidates = content().filter(candidate).count();
    if candidates < LINK_PAGE_MIN_LINES
        || (candidates as f64) < LINK_PAGE_SHARE * content_lines as f64
    {
        return false;
    }
    let mut link_lines = 0usize;
    for trimmed in content().filter(candidate) {
        let shape = shape(trimmed);
        if (shape.links > 0 || trimmed.has("[[") && shape.note_embeds == 0)
            && shape.words <= 1
            && shape.other == 0
        {
            link_lines += 1;
        }
    }
    link_lines >= LINK_PAGE_MIN_LINES && link_lines as f64 >= LINK_PAGE_SHARE * content_lines as f64
}

/// True when `html` shows any text (outside tags), without building it.
fn shows_text(html: &str) -> bool {
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

fn has_media_or_math(html: &str) -> bool {
    ["<img", "<audio", "<video", "class=\"math", "<hr"]
        .iter()
        .any(|needle| html.contains(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`count_words`] as it was written first: word by word, every word
    /// (then stopping at `enough` the simplest way).
    fn count_words_by_str(text: &str, enough: usize) -> (usize, usize) {
        let (mut words, mut tags) = (0, 0);
        for word in text.split_whitespace() {
            if words == enough {
                break;
            }
            if is_tag(word) {
                tags += 1;
            } else if word.chars().any(char::is_alphanumeric) {
                words += 1;
            }
        }
        (words, tags)
    }

    #[test]
    fn words_and_tags_are_counted_as_str_counts_them() {
        for text in [
            "",
            "#",
            "# #a #1 #a1_b-c/d #a! a#b",
            "one\x0btwo\x0cthree\rfour\tfive\nsix  seven",
            "... -- !! a",
            "caf\u{e9} na\u{ef}ve #t\u{e9}g \u{a0}x\u{a0}y",
        ] {
            for enough in [0, 1, 2, 3, usize::MAX] {
                assert_eq!(
                    count_words(text, enough),
                    count_words_by_str(text, enough),
                    "{text:?}, {enough}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn words_and_tags_match_on_any_text(
            text in "[ -~\t\n\x0b\x0c\r#_/\u{a0}\u{e9}\u{3000}]{0,60}",
            enough in proptest::prop_oneof![0usize..4, proptest::strategy::Just(usize::MAX)],
        ) {
            proptest::prop_assert_eq!(count_words(&text, enough), count_words_by_str(&text, enough));
        }
    }

    fn reason(body: &str) -> Option<&'static str> {
        section_reason(&JunkRules::default(), &shape(body), "<p>x</p>", &[])
    }

    #[test]
    fn junk_sections_are_named() {
        assert!(reason("#project #todo\n").is_some_and(|r| r.contains("only-tags")));
        assert!(reason("- [[Book one]]\n- [Site](https://example.org)\n")
            .is_some_and(|r| r.contains("only-links")));
        assert!(
            reason("- [ ] buy milk\n- [x] call Sam\n").is_some_and(|r| r.contains("only-tasks"))
        );
        assert_eq!(reason("Mitochondria make ATP. #bio\n"), None);
        assert_eq!(
            reason("- [Paper](https://x.org): shows that cells divide\n"),
            None
        );
        assert_eq!(reason("```\ncode\n```\n"), None);
        let empty = section_reason(
            &JunkRules::default(),
            &shape("<script>x</script>\n"),
            "",
            &[],
        );
        assert!(empty.is_some_and(|r| r.contains("rule empty")));
        let missing = section_reason(
            &JunkRules::default(),
            &shape("![[gone.png]]\n"),
            "<p><span class=\"missing-image\">gone</span></p>",
            &["gone.png".to_owned()],
        );
        assert!(missing.is_some_and(|r| r.contains("only-missing-media")));
        for unshown in [
            "![[Plans.canvas]]\n",
            "![[Sketch.excalidraw]]\n- [[Project]]\n",
            "![[Books.base]]\n",
        ] {
            assert!(
                reason(unshown).is_some_and(|r| r.contains("does not show")),
                "{unshown}"
            );
        }
        // A picture, a note or words beside it keep the card.
        assert_eq!(reason("![[Plans.canvas]]\n![[map.png]]\n"), None);
        assert_eq!(reason("![[Other note]]\n"), None);
        assert_eq!(reason("The plan: ![[Plans.canvas]]\n"), None);
    }

    #[test]
    fn rules_can_be_turned_off() {
        let mut rules = JunkRules::default();
        *rules.rule_mut("only-tags").expect("rule") = false;
        assert_eq!(
            section_reason(&rules, &shape("#a #b\n"), "<p>#a #b</p>", &[]),
            None
        );
        assert_ne!(rules.mask(), JunkRules::default().mask());
        assert!(rules.rule_mut("nonsense").is_none());
    }

    /// [`is_link_page`] before the count of `[[` and `](` in the whole
    /// note: every line looked at.
    fn is_link_page_line_by_line(body: &str) -> bool {
        let content = || {
            crate::scan::lines(body)
                .map(str::trim)
                .filter(|t| !t.is_empty() && !t.starts_with('#') && !t.starts_with("---"))
        };
        let candidate = |t: &&str| t.has("[[") || t.has("](");
        let content_lines = content().count();
        let link_lines = content()
            .filter(candidate)
            .filter(|trimmed| {
                let shape = shape(trimmed);
                (shape.links > 0 || trimmed.has("[[") && shape.note_embeds == 0)
                    && shape.words <= 1
                    && shape.other == 0
            })
            .count();
        link_lines >= LINK_PAGE_MIN_LINES
            && link_lines as f64 >= LINK_PAGE_SHARE * content_lines as f64
    }

    proptest::proptest! {
        /// The counts that decide most notes at once decide as looking at
        /// every line decides.
        #[test]
        fn link_pages_are_found_as_line_by_line(
            pieces in proptest::collection::vec(proptest::prop_oneof![
                proptest::strategy::Just("- [[A]]\n"), proptest::strategy::Just("[b](c)\n"),
                proptest::strategy::Just("[[x]] [y](z)\n"), proptest::strategy::Just("![[e]]\n"),
                proptest::strategy::Just("words here\n"), proptest::strategy::Just("# H [[a]]\n"),
                proptest::strategy::Just("---\n"), proptest::strategy::Just("\n"),
                proptest::strategy::Just("[["), proptest::strategy::Just("]("),
                proptest::strategy::Just("[[[a]]]\n"), proptest::strategy::Just("`x` [[a]]\n"),
            ], 0..24)
        ) {
            let body = pieces.concat();
            proptest::prop_assert_eq!(
                is_link_page(&JunkRules::default(), &body),
                is_link_page_line_by_line(&body)
            );
        }
    }

    #[test]
    fn index_pages_are_link_pages() {
        let rules = JunkRules::default();
        let index = "# Index\n- [[A]]\n- [[B]]\n- [[C]]\n- [[D]]\n- [[E]]\nSee also:\n";
        assert!(is_link_page(&rules, index));
        let prose = "# Notes\nA fact.\nAnother fact.\n- [[A]]\n- [[B]]\n";
        assert!(!is_link_page(&rules, prose));
        // Embedded notes show their content: a page of them is no index.
        let embeds = "![[a.b#h]]\n![[c]]\n![[d#^x]]\n![[e]]\n![[f]]\n";
        assert!(!is_link_page(&rules, embeds));
    }
}
