//! Logseq pages: outlines whose blocks carry properties and drawers.
//!
//! A page is read as Logseq's when its graph says so (a `logseq/` folder at
//! the vault root) or by its shape: an outline of `- ` bullets that also
//! uses `key:: value` properties, `- #` heading bullets, `((uuid))` block
//! references or `:LOGBOOK:` drawers. Such a page is rewritten to the
//! Markdown its author sees, line for line (line numbers hold):
//!
//! - page properties (the leading `key:: value` lines) give the deck title
//!   (`title::`) and tags (`tags::`), and are not shown;
//! - block properties and `:LOGBOOK:`…`:END:` (and other) drawers go;
//! - a heading bullet (`- ## Topic`) starts a section like a heading;
//! - on a page with no heading at all (a journal day), each top-level
//!   block that has children becomes a section: the block as the heading,
//!   its children as the body (a top-level block without children makes
//!   no card);
//! - `{{embed [[Page]]}}` embeds that page, `{{cloze answer}}` shows its
//!   answer, and a `((uuid))` block reference shows the referenced block's
//!   text (found through the caller), or is marked when it is not found;
//! - a block tagged `#card` is a card: on a journal-style page it is a
//!   section (the block as the front, its children as the back) even
//!   without children when it holds clozes, its `{{cloze answer}}`s become
//!   Anki clozes of one number (hidden together, as Logseq does), and the
//!   tag itself is not shown.

use std::collections::HashMap;

use super::budget::Budget;
use super::render::Resolved;
use crate::scan::Substring;

/// What a Logseq page's own properties say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageProperties {
    /// `title::`, when set.
    pub title: Option<String>,
    /// `tags::` (and `alias::` is ignored), without `#` or `[[ ]]`.
    pub tags: Vec<String>,
}

/// True when `text` has the shape of a Logseq page.
pub fn looks_like_logseq(text: &str) -> bool {
    let marked = text.has("::") || text.has("((") || text.has("- #");
    if !marked && !text.has(":LOGBOOK:") {
        return false;
    }
    let lines: Vec<&str> = crate::scan::lines(text)
        .filter(|l| !l.trim().is_empty())
        .collect();
    if lines.is_empty() {
        return false;
    }
    let bullets = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("- ") || l.trim() == "-")
        .count();
    let outline = bullets * 10 >= lines.len() * 6;
    let marks = lines.iter().any(|l| {
        let line = l.trim_start();
        let heading_bullet = line.starts_with("- #") && line.trim_start_matches("- ").has("# ");
        is_property(line).is_some() || line.starts_with(":LOGBOOK:") || heading_bullet
    }) || text.has("((");
    (outline && marks)
        || lines
            .first()
            .is_some_and(|l| is_property(l).is_some() && !l.starts_with('-'))
}

/// `key:: value` → (key, value).
fn is_property(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.trim().split_once("::")?;
    let key = key.trim();
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    valid.then_some((key, value.trim()))
}

/// One outline line: its indentation depth (tabs or two spaces a level),
/// whether it is a bullet, and its text.
struct Line<'a> {
    depth: usize,
    bullet: bool,
    text: &'a str,
}

fn read_line(line: &str) -> Line<'_> {
    let indent: usize = line
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .map(|c| if c == '\t' { 2 } else { 1 })
        .sum();
    let rest = line.trim_start_matches([' ', '\t']);
    match rest.strip_prefix("- ").or((rest == "-").then_some("")) {
        Some(text) => Line {
            depth: indent / 2,
            bullet: true,
            text,
        },
        None => Line {
            depth: indent / 2,
            bullet: false,
            text: rest,
        },
    }
}

/// Rewrites a Logseq page into plain Markdown (same number of lines) and
/// reads its page properties.
pub fn to_markdown(text: &str) -> (String, PageProperties) {
    to_markdown_with(text, None)
}

/// As [`to_markdown`], showing each `((uuid))` block reference as the text
/// of the block `resolve` finds for it (given `((uuid))`), as long as the
/// page's budget (see [`Budget::for_note`]) has room for it.
pub fn to_markdown_with(
    text: &str,
    resolve: Option<&super::render::NoteResolver<'_>>,
) -> (String, PageProperties) {
    let mut references = References {
        resolve,
        budget: Budget::for_note(text.len()),
    };
    let raw: Vec<&str> = crate::scan::split_lines(text).collect();
    let mut lines: Vec<String> = Vec::with_capacity(raw.len());
    let mut properties = PageProperties::default();
    let mut in_page_properties = true;
    let mut in_drawer = false;
    for line in &raw {
        let parsed = read_line(line);
        let trimmed = parsed.text.trim();
        if in_drawer {
            if trimmed == ":END:" {
                in_drawer = false;
            }
            lines.push(String::new());
            continue;
        }
        let drawer_name = trimmed.len() > 2
            && trimmed.starts_with(':')
            && trimmed.ends_with(':')
            && trimmed[1..trimmed.len() - 1]
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b == b'_' || b == b'-');
        if trimmed.starts_with(':') && trimmed.ends_with(':') && trimmed.len() > 2 && !parsed.bullet
            || parsed.bullet && drawer_name
        {
            // `:LOGBOOK:`, `:PROPERTIES:`: a drawer up to `:END:`.
            in_drawer = trimmed != ":END:";
            lines.push(String::new());
            continue;
        }
        if let Some((key, value)) = is_property(parsed.text) {
            if in_page_properties && parsed.depth == 0 {
                match key.to_ascii_lowercase().as_str() {
                    "title" if !value.is_empty() => properties.title = Some(value.to_owned()),
                    "tags" => properties.tags.extend(split_tags(value)),
                    _ => {}
                }
            }
            lines.push(String::new());
            continue;
        }
        if !trimmed.is_empty() {
            in_page_properties = false;
        }
        lines.push((*line).to_owned());
    }
    let has_heading = raw.iter().any(|l| {
        let t = read_line(l).text;
        t.starts_with('#') && t.trim_start_matches('#').starts_with(' ')
    });
    let has_children = |index: usize| {
        lines[index + 1..]
            .iter()
            .map(|l| read_line(l))
            .find(|l| !l.text.trim().is_empty())
            .is_some_and(|next| next.depth > 0)
    };
    // A page without headings whose top-level blocks have children (a
    // journal day): each such block is a section of its own.
    let blocks_are_sections = !has_heading
        && lines.iter().enumerate().any(|(i, l)| {
            let parsed = read_line(l);
            parsed.bullet && parsed.depth == 0 && !parsed.text.trim().is_empty() && has_children(i)
        });
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    // Inside a block that became a heading: its children lose one level of
    // indentation (else a tab-indented child reads as indented code).
    let mut under_heading = false;
    for (index, line) in lines.iter().enumerate() {
        let card = is_card_block(line);
        let card_line;
        let line = if card {
            card_line = card_block(line);
            &card_line
        } else {
            line
        };
        let parsed = read_line(line);
        let heading_bullet = parsed.bullet
            && parsed.text.starts_with('#')
            && parsed.text.trim_start_matches('#').starts_with(' ');
        if heading_bullet {
            out.push(references.show(&macros(&without_task_marker(parsed.text))));
            under_heading = true;
            continue;
        }
        if blocks_are_sections && parsed.bullet && parsed.depth == 0 {
            if !parsed.text.trim().is_empty() && has_children(index) {
                let text = parsed.text.trim();
                let text = task_marker(text).map_or(text, |(_, rest)| rest);
                out.push(format!("## {}", references.show(&macros(text))));
                under_heading = true;
            } else if card && parsed.text.has("{{c1::") {
                // A `#card` block of clozes: a list item of its own, which
                // makes its cloze card.
                out.push(format!("- {}", references.show(parsed.text.trim())));
                under_heading = false;
            } else {
                // A loose top-level block: no card of its own, and no part
                // of the block before it.
                out.push(String::new());
                under_heading = false;
            }
            continue;
        }
        if parsed.depth == 0 && !parsed.text.trim().is_empty() {
            under_heading = false;
        }
        let line = if under_heading && parsed.depth > 0 {
            dedent_once(line)
        } else {
            line.as_str()
        };
        let trimmed = read_line(line).text.trim();
        if trimmed.starts_with("#+BEGIN_") || trimmed.starts_with("#+END_") {
            // Org blocks (`#+BEGIN_NOTE` …): their text stays, the markers go.
            out.push(String::new());
            continue;
        }
        out.push(references.show(&macros(&task_box(line))));
    }
    (out.join("\n"), properties)
}

/// Logseq's task markers: those that mean done (shown ticked and struck
/// through), and those still open.
const DONE_MARKERS: &[&str] = &["DONE", "CANCELED", "CANCELLED"];
const OPEN_MARKERS: &[&str] = &[
    "TODO",
    "DOING",
    "NOW",
    "LATER",
    "WAIT",
    "WAITING",
    "IN-PROGRESS",
];

/// The task marker starting `text` (`TODO buy milk`): whether it means
/// done, and the text after it.
fn task_marker(text: &str) -> Option<(bool, &str)> {
    let (word, rest) = text.split_once(' ').unwrap_or((text, ""));
    let done = DONE_MARKERS.contains(&word);
    (done || OPEN_MARKERS.contains(&word)).then_some((done, rest.trim_start()))
}

/// A block's line with its task marker as Logseq shows it: a task box,
/// ticked and struck through when done (`- DONE x` → `- [x] ~~x~~`), so
/// the only-tasks rule counts it. Other lines are returned as they are.
fn task_box(line: &str) -> std::borrow::Cow<'_, str> {
    let parsed = read_line(line);
    let Some((done, rest)) = parsed.bullet.then(|| task_marker(parsed.text)).flatten() else {
        return line.into();
    };
    let prefix = &line[..line.len() - parsed.text.len()];
    if done && !rest.trim().is_empty() {
        format!("{prefix}[x] ~~{}~~", rest.trim_end()).into()
    } else if done {
        format!("{prefix}[x] ").into()
    } else {
        format!("{prefix}[ ] {rest}").into()
    }
}

/// A heading's text without a task marker (`## TODO Plan` → `## Plan`).
fn without_task_marker(text: &str) -> String {
    let hashes = text.len() - text.trim_start_matches('#').len();
    let (marks, rest) = text.split_at(hashes);
    match task_marker(rest.trim_start()) {
        Some((_, after)) => format!("{marks} {after}"),
        None => text.to_owned(),
    }
}

/// True when a block's line carries the `#card` tag.
fn is_card_block(line: &str) -> bool {
    line.has("#card")
        && line
            .split_whitespace()
            .any(|word| word.eq_ignore_ascii_case("#card"))
}

/// A `#card` block's line: the tag taken out, its `{{cloze x}}`s written as
/// Anki clozes of one number.
fn card_block(line: &str) -> String {
    let without_tag: String = line
        .split(' ')
        .filter(|word| !word.eq_ignore_ascii_case("#card"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(without_tag.len());
    let mut rest = without_tag.as_str();
    while let Some(start) = rest.find("{{cloze ") {
        let after = &rest[start + "{{cloze ".len()..];
        let Some(end) = after.find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str("{{c1::");
        out.push_str(after[..end].trim());
        out.push_str("}}");
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out.trim_end().to_owned()
}

/// `line` with one level of indentation (a tab, or up to two spaces) less.
fn dedent_once(line: &str) -> &str {
    if let Some(rest) = line.strip_prefix('\t') {
        return rest;
    }
    line.strip_prefix("  ")
        .or_else(|| line.strip_prefix(' '))
        .unwrap_or(line)
}

/// Logseq's `{{embed [[Page]]}}` becomes an embed of that page and
/// `{{cloze answer}}` shows its answer; other macros stay as written.
fn macros(line: &str) -> String {
    if !line.has("{{") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    // Each `}}` of the line is found once, however many `{{` come before it.
    let mut closes = super::code::Ahead::new(line, |text: &str| text.find("}}"));
    let mut rest = line;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let from = line.len() - after.len();
        let Some(end) = closes.at_or_after(from).map(|close| close - from) else {
            out.push_str("{{");
            rest = after;
            continue;
        };
        let inner = after[..end].trim().trim_start_matches('{').trim();
        let after_end = if after[end + 2..].starts_with('}') {
            end + 1
        } else {
            end
        };
        // `{{embed ((uuid))}}`: the block reference, resolved after.
        if let Some(block) = inner
            .strip_prefix("embed ")
            .map(str::trim)
            .filter(|t| t.starts_with("((") && t.ends_with("))"))
        {
            out.push_str(block);
            rest = &after[after_end + 2..];
            continue;
        }
        let word = inner.split_whitespace().next().unwrap_or("");
        if matches!(
            word,
            "query" | "function" | "renderer" | "namespace" | "tutorial-video" | "cards"
        ) {
            // Live views of the graph: nothing to learn on a card.
            rest = &after[after_end + 2..];
            continue;
        }
        if matches!(word, "youtube" | "video" | "vimeo" | "tweet" | "twitter") {
            let url = inner[word.len()..].trim();
            if url.starts_with("http") {
                out.push_str(&format!("<{url}>"));
            } else if !url.is_empty() {
                out.push_str(&format!("<https://www.youtube.com/watch?v={url}>"));
            }
            rest = &after[after_end + 2..];
            continue;
        }
        if word == "youtube-timestamp" {
            // A moment of the page's video: shown as Logseq does, ▶ m:ss.
            let seconds: u64 = inner[word.len()..].trim().parse().unwrap_or(0);
            out.push_str(&format!("▶ {}:{:02}", seconds / 60, seconds % 60));
            rest = &after[after_end + 2..];
            continue;
        }
        if word.starts_with("zotero-") {
            // `{{zotero-imported-file "KEY" "paper.pdf"}}`: the file's name.
            let name = inner.rsplit('"').nth(1).unwrap_or("").trim();
            if !name.is_empty() {
                out.push_str(&format!("📄 {name}"));
            }
            rest = &after[after_end + 2..];
            continue;
        }
        if let Some(page) = inner
            .strip_prefix("embed ")
            .map(str::trim)
            .and_then(|p| p.strip_prefix("[["))
            .and_then(|p| p.strip_suffix("]]"))
        {
            out.push_str(&format!("![[{page}]]"));
        } else if let Some(answer) = inner.strip_prefix("cloze ") {
            out.push_str(answer.trim());
        } else {
            out.push_str(&rest[start..start + 2 + after_end + 2]);
        }
        rest = &after[after_end + 2..];
    }
    out.push_str(rest);
    out
}

/// How a page's block references are shown: the resolver and what the
/// page may still copy.
struct References<'r, 'f> {
    resolve: Option<&'r super::render::NoteResolver<'f>>,
    budget: Budget,
}

impl References<'_, '_> {
    /// `line` with each `((uuid))` shown as the referenced block's text (as
    /// Logseq shows it), or marked when the block cannot be found or would
    /// copy more than the page's budget allows.
    fn show(&mut self, line: &str) -> String {
        block_references(line, self.resolve, &mut self.budget)
    }
}

/// Each `((uuid))` of `line` shown as the referenced block's text, each
/// taking its size from `budget`.
fn block_references(
    line: &str,
    resolve: Option<&super::render::NoteResolver<'_>>,
    budget: &mut Budget,
) -> String {
    if !line.has("((") {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    // Each `))` of the line is found once, however many `((` come before it.
    let mut closes = super::code::Ahead::new(line, |text: &str| text.find("))"));
    let mut rest = line;
    while let Some(start) = rest.find("((") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let from = line.len() - after.len();
        match closes.at_or_after(from).map(|close| close - from) {
            Some(end) if is_uuid(&after[..end]) => {
                let reference = format!("(({}))", &after[..end]);
                match resolve.map(|find| find(&reference)) {
                    Some(Resolved::Found(text)) if budget.take(text.trim().len()) => {
                        out.push_str(text.trim());
                    }
                    Some(Resolved::Found(_) | Resolved::LeftOut(_)) => {
                        out.push_str("↪ (a block left out: this page already shows as much text from other blocks as a page may)");
                    }
                    Some(Resolved::Missing) | None => out.push_str("↪ (a block of another page)"),
                }
                rest = &after[end + 2..];
            }
            _ => {
                out.push_str("((");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every block id of `page` (`id:: uuid`) with the text of its block
/// (the first line of the nearest bullet above its `id::`, without the
/// bullet or heading marks), in one pass: the first block of an id wins.
pub fn block_ids(page: &str) -> HashMap<String, String> {
    let mut ids = HashMap::new();
    // The text of the nearest bullet line above.
    let mut bullet: Option<&str> = None;
    for line in crate::scan::lines(page) {
        let id = line
            .trim()
            .strip_prefix("id::")
            .map(str::trim)
            .filter(|id| is_property(line).is_some_and(|(_, v)| v == *id));
        if let Some(id) = id {
            if let Some(text) = bullet {
                ids.entry(id.to_owned())
                    .or_insert_with(|| text.trim().trim_start_matches('#').trim().to_owned());
            }
        }
        let parsed = read_line(line);
        if parsed.bullet {
            bullet = Some(parsed.text);
        }
    }
    ids
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36 && text.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

fn split_tags(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|t| {
            t.trim()
                .trim_start_matches('#')
                .trim_start_matches("[[")
                .trim_end_matches("]]")
                .trim()
                .to_owned()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_recognised_by_shape() {
        assert!(looks_like_logseq("title:: Cells\n- a block\n  - child\n"));
        assert!(looks_like_logseq(
            "- ## Topic\n  - fact one\n  - fact two\n"
        ));
        assert!(!looks_like_logseq(
            "# A note\n\n- a plain list\n- of items\n"
        ));
        assert!(!looks_like_logseq("Just prose.\n"));
    }

    #[test]
    fn properties_drawers_and_heading_bullets() {
        let page = "title:: Cell biology\ntags:: bio, [[science]]\n\n- ## Mitochondria\n  id:: 64f0c1a2-0000-4000-8000-000000000000\n  - make ATP\n    :LOGBOOK:\n    CLOCK: [2024-01-01]\n    :END:\n  - see ((64f0c1a2-0000-4000-8000-000000000001))\n";
        let (markdown, props) = to_markdown(page);
        assert_eq!(props.title.as_deref(), Some("Cell biology"));
        assert_eq!(props.tags, ["bio", "science"]);
        assert_eq!(markdown.lines().count(), page.lines().count());
        assert!(markdown.contains("## Mitochondria\n"), "{markdown}");
        assert!(
            !markdown.contains("id::") && !markdown.contains("LOGBOOK"),
            "{markdown}"
        );
        assert!(
            markdown.contains("↪ (a block of another page)"),
            "{markdown}"
        );
    }

    #[test]
    fn block_references_show_the_block() {
        let page = "- The Calvin cycle fixes carbon\n  id:: 650a1b2c-0000-4000-8000-0000000000a1\n";
        assert_eq!(
            block_ids(page)
                .get("650a1b2c-0000-4000-8000-0000000000a1")
                .map(String::as_str),
            Some("The Calvin cycle fixes carbon")
        );
        let resolve = |r: &str| {
            if r == "((650a1b2c-0000-4000-8000-0000000000a1))" {
                Resolved::Found("The block".to_owned())
            } else {
                Resolved::Missing
            }
        };
        let (markdown, _) = to_markdown_with(
            "- see ((650a1b2c-0000-4000-8000-0000000000a1)) and ((650a1b2c-0000-4000-8000-0000000000a2))\n",
            Some(&resolve),
        );
        assert_eq!(
            markdown,
            "- see The block and ↪ (a block of another page)\n"
        );
    }

    #[test]
    fn macros_become_embeds_and_answers() {
        assert_eq!(
            macros("- see {{embed [[Photosynthesis]]}} and the {{cloze thylakoid}} {{{youtube abc}}} {{query (todo)}}{{unknown x}}"),
            "- see ![[Photosynthesis]] and the thylakoid <https://www.youtube.com/watch?v=abc> {{unknown x}}"
        );
    }

    #[test]
    fn tab_indented_children_stay_a_list_and_pages_of_loose_blocks_stay_whole() {
        let page = "- ## Topic\n\t- child\n\t\t- grandchild\n";
        let (markdown, _) = to_markdown(page);
        assert_eq!(markdown, "## Topic\n- child\n\t- grandchild\n");
        let loose = "- first thought\n- second thought\n";
        assert_eq!(to_markdown(loose).0, loose);
        let org = "- ## Note\n  - #+BEGIN_NOTE\n  - keep this\n  - #+END_NOTE\n";
        assert!(!to_markdown(org).0.contains("#+"));
    }

    #[test]
    fn a_journal_day_makes_a_section_per_block_with_children() {
        let day = "- Met Sam about the move\n  - boxes on Friday\n- a loose thought\n- Read about ATP\n  - made in mitochondria\n";
        let (markdown, _) = to_markdown(day);
        assert_eq!(
            markdown,
            "## Met Sam about the move\n- boxes on Friday\n\n## Read about ATP\n- made in mitochondria\n"
        );
    }

    #[test]
    fn openings_without_a_close_are_read_once() {
        // Each `{{` and `((` once searched the rest of the line for its
        // close (quadratic: minutes at this size).
        let braces = "{{".repeat(500_000);
        let (markdown, _) = to_markdown(&format!("title:: x\n- {braces}"));
        assert_eq!(markdown, format!("\n- {braces}"));
        let parens = "((".repeat(500_000);
        assert_eq!(
            block_references(&parens, None, &mut Budget::unlimited()),
            parens
        );
        // One `))` at the end, after no block id.
        let closed = parens + "))";
        assert_eq!(
            block_references(&closed, None, &mut Budget::unlimited()),
            closed
        );
        assert_eq!(
            to_markdown("- see {{embed [[P]]}} {{ {{cloze a}} }} {{query x}} ((650a1b2c-0000-4000-8000-0000000000a1)) ((x)) ((\n").0,
            "- see ![[P]] a }}  ↪ (a block of another page) ((x)) ((\n"
        );
    }

    #[test]
    fn timestamps_and_zotero_files_read_as_logseq_shows_them() {
        let (markdown, _) = to_markdown(
            "- {{youtube-timestamp 125}} the key idea\n- {{zotero-imported-file \"AB12\" \"paper.pdf\"}}\n- {{cards Biology}}\n",
        );
        assert_eq!(markdown, "- ▶ 2:05 the key idea\n- 📄 paper.pdf\n- \n");
    }

    #[test]
    fn a_drawer_in_a_block_of_its_own_is_hidden() {
        let (markdown, _) = to_markdown(
            "- DONE Ship it\n- :LOGBOOK:\n  CLOCK: [2024-01-01 Mon 10:00]\n  :END:\n- Next\n",
        );
        assert_eq!(markdown, "- [x] ~~Ship it~~\n\n\n\n- Next\n");
    }

    #[test]
    fn task_markers_become_task_boxes() {
        let page = "- TODO water the plants\n- DONE call Sam\n  - LATER read it\n- CANCELED old plan\n- NOWHERE is a word\n- ## TODO Plan\n";
        let (markdown, _) = to_markdown(page);
        assert_eq!(
            markdown,
            "- [ ] water the plants\n- [x] ~~call Sam~~\n  - [ ] read it\n- [x] ~~old plan~~\n- NOWHERE is a word\n## Plan\n"
        );
    }
}
