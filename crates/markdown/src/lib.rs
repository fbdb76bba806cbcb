//! From a note's text to cards: sections, definitions, titles and tags.
//!
//! Parsing never fails as a whole: whatever cannot become a card is listed
//! in [`ParsedNote::skipped`] with its line and reason.

pub mod audit;
pub mod budget;
pub mod card;
pub mod code;
pub mod definitions;
pub mod dendron;
pub mod embed;
pub mod fast_html;
pub mod footnotes;
pub mod frontmatter;
pub mod gitbook;
pub mod implicit;
pub mod junk;
pub mod kramdown;
pub mod liquid;
pub mod logseq;
pub mod media;
pub mod nesting;
pub mod obsidian;
pub mod plain;
pub mod render;
mod scan;
pub mod text;
pub mod whole;
pub mod written;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::card::{CardKind, ContentHash};
use crate::scan::Substring;

/// The longest back of a flashcard, in characters of text: a section
/// longer than this is a reading card (the card doctor's `too_long`
/// measures the same).
pub const MAX_BACK_CHARS: usize = 800;
use render::{RenderContext, Rendered};

/// Bump when parsing or rendering changes, so unchanged files are parsed again.
pub const PARSER_VERSION: i64 = 6;

/// The tag that leaves a section (or, in front matter, a note) out.
pub const NO_CARD_TAG: &str = "nocard";

/// The tag that makes each `==highlight==` of a note or section a cloze
/// card.
pub const CLOZE_TAG: &str = "cloze";

/// A note turned into cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedNote {
    /// The deck name this note asks for (front matter title, first `#`
    /// heading, or the file name).
    pub title: String,
    /// Tags from the front matter.
    pub tags: Vec<String>,
    /// The cards, in note order.
    pub cards: Vec<ParsedCard>,
    /// Sections that made no card, with the reason.
    pub skipped: Vec<SkippedSection>,
    /// Problems worth telling the user that did not stop a card.
    pub warnings: Vec<String>,
    /// True when the note embeds other notes.
    pub embeds_notes: bool,
}

/// One card as it comes out of the parser, before it meets the collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedCard {
    /// A heading section or a definition.
    pub kind: CardKind,
    /// Headings from the top of the note down to this card (its own heading
    /// or term last); empty for the note's title section.
    pub heading_path: Vec<String>,
    /// The heading (or term) as sanitised inline HTML; the note title for the
    /// title section.
    pub front_html: String,
    /// The body as sanitised HTML.
    pub back_html: String,
    /// The section's Markdown with whitespace folded: what matching compares.
    pub source: String,
    /// Hash of `source`.
    pub content_hash: ContentHash,
    /// Front matter tags plus inline `#tags` of this section.
    pub tags: Vec<String>,
    /// One-based line of the heading (or definition) in the file.
    pub line: usize,
    /// Too long to answer (a section or definition over the doctor's
    /// `too_long` limit, with reading cards on): stored as a reading card
    /// ([`CardKind::Reading`]), matched as its own kind.
    pub reading: bool,
}

/// A section that produced no card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedSection {
    /// The heading text.
    pub heading: String,
    /// One-based line in the file.
    pub line: usize,
    /// Why it made no card.
    pub reason: String,
}

/// A top-level heading found in the note body.
#[derive(Debug, PartialEq)]
struct Heading {
    level: HeadingLevel,
    text: String,
    inline_source: String,
    range: Range<usize>,
}

/// Where a note comes from, as far as parsing cares.
#[derive(Clone, Copy, Default)]
pub struct NoteSource<'a> {
    /// Names the deck when neither the front matter's `title` nor a `#`
    /// heading that opens the note does (the file name).
    pub fallback_title: &'a str,
    /// The note is part of a Jekyll site (under `_posts` or `_drafts`, or
    /// below a folder with `_config.yml`): Liquid tags are removed. Front
    /// matter with `layout` or `permalink` says so too.
    pub jekyll_site: bool,
    /// The note is a page of a GitBook space (`SUMMARY.md`, `.gitbook.yaml`
    /// or `.gitbook/` beside it or in a folder above it, up to the vault):
    /// GitBook's blocks are rewritten (see [`gitbook`]).
    pub gitbook_space: bool,
    /// Which sections make no card (see [`junk`]).
    pub junk: junk::JunkRules,
    /// The note is a page of a Logseq graph (a `logseq/` folder at the
    /// vault root); pages are also recognised by their shape.
    pub logseq_graph: bool,
    /// The note is part of a Dendron vault (`dendron.yml` at the vault
    /// root, or `root.md` beside dotted note names): `{{fm.KEY}}`, note
    /// references and links are read as Dendron's (see [`dendron`]), and
    /// only the front matter's `title` names the note.
    pub dendron_vault: bool,
    /// Finds what `![[Other note#Part]]` embeds (see [`embed::excerpt`]).
    pub resolve_note: Option<&'a render::NoteResolver<'a>>,
    /// Pass every section through the sanitiser (see
    /// [`render::RenderContext::sanitize_all`]); false outside tests.
    pub sanitize_all: bool,
}

/// Parses a decoded note; `resolve_image` maps an image reference to its
/// card `src`.
pub fn parse_note(
    text: &str,
    source: NoteSource<'_>,
    resolve_image: &mut dyn FnMut(&str, bool) -> Option<String>,
) -> ParsedNote {
    let fallback_title = source.fallback_title;
    let (mut front, body, front_lines) = frontmatter::split(text);
    let logseq_page;
    let body = if source.logseq_graph || logseq::looks_like_logseq(body) {
        let (markdown, properties) = logseq::to_markdown_with(body, source.resolve_note);
        if front.title.is_none() {
            front.title = properties.title;
        }
        for tag in properties.tags {
            if front.tags.len() < budget::MAX_TAGS && !front.tags.contains(&tag) {
                front.tags.push(tag);
            }
        }
        logseq_page = markdown;
        logseq_page.as_str()
    } else {
        body
    };
    // What the note's cards may copy; in a Dendron vault `{{fm.KEY}}`
    // values take from it first.
    let mut note_budget = budget::Budget::for_note(text.len());
    let dendron_page;
    let mut dendron_warnings = Vec::new();
    let body = if source.dendron_vault {
        let rewritten = dendron::rewrite(text, body, &mut note_budget);
        dendron_warnings = rewritten
            .problems
            .into_iter()
            .map(|(line, what)| format!("line {}: {what}", front_lines + 1 + line))
            .collect();
        dendron_page = rewritten.text;
        dendron_page.as_str()
    } else {
        body
    };
    front.tags.truncate(budget::MAX_TAGS);
    let mut gitbook_left_out = Vec::new();
    let gitbook_page;
    let body = if source.gitbook_space {
        let rewritten = gitbook::rewrite(body);
        gitbook_left_out = rewritten.left_out;
        gitbook_page = rewritten.text;
        gitbook_page.as_str()
    } else {
        body
    };
    let jekyll = source.jekyll_site || front.jekyll;
    let (body, footnotes) = syntax_passes(body, jekyll);
    let body = if source.junk.implicit_headings {
        implicit_headings(&body).unwrap_or(body)
    } else {
        body
    };
    let without_cards = |reason: &str| {
        let title = front
            .title
            .clone()
            .unwrap_or_else(|| fallback_title.to_owned());
        ParsedNote {
            title: title.clone(),
            tags: front.tags.clone(),
            cards: Vec::new(),
            skipped: vec![SkippedSection {
                heading: title,
                line: front_lines + 1,
                reason: reason.to_owned(),
            }],
            warnings: front.error.iter().cloned().collect(),
            embeds_notes: false,
        }
    };
    if front.no_cards {
        return without_cards("its front matter says `notedeck: false`");
    }
    if junk::is_link_page(&source.junk, &body) {
        return without_cards(
            "the note is mostly links: an index or map-of-content page (rule link-pages)",
        );
    }
    let mut warnings: Vec<String> = front.error.iter().cloned().collect();
    warnings.append(&mut dendron_warnings);
    warnings.extend(
        gitbook_left_out
            .iter()
            .map(|(line, what)| format!("line {}: {what}", front_lines + line)),
    );
    let mut headings = find_headings(&body);
    for heading in headings.iter_mut().filter(|h| h.inline_source.has("{{c")) {
        heading.inline_source = liquid::show_clozes(&heading.inline_source);
        heading.text = liquid::show_clozes(&heading.text);
    }
    let link_definitions = link_definitions(&body);
    let mut ctx = RenderContext {
        link_definitions: &link_definitions,
        footnotes: &footnotes,
        kramdown_math: jekyll,
        resolve_image,
        resolve_note: source.resolve_note,
        embed_stack: Vec::new(),
        problems: Vec::new(),
        embeds_notes: false,
        sanitize_all: source.sanitize_all,
        budget: note_budget,
        refused_embeds: Default::default(),
    };

    let first_h1 = headings.iter().position(|h| h.level == HeadingLevel::H1);
    let (title, title_heading) = match (&front.title, first_h1) {
        (Some(title), Some(index)) if index == 0 && same_text(&headings[0].text, title) => {
            (title.clone(), Some(0))
        }
        (Some(title), _) => (title.clone(), None),
        // Only a `#` heading that opens the note names it; a later one is
        // an ordinary section. A Dendron note is named by its front
        // matter or its file name alone, as in Dendron (its parents' deck
        // levels are named the same way).
        (None, Some(0))
            if !source.dendron_vault && body[..headings[0].range.start].trim().is_empty() =>
        {
            (headings[0].text.clone(), Some(0))
        }
        (None, _) => (fallback_title.to_owned(), None),
    };

    // Headings come in file order, so lines are counted incrementally
    // (counting from the start for each would be quadratic).
    let mut counted = (0usize, front_lines + 1);
    let mut line_of = |offset: usize| {
        let (from, line) = counted;
        let line = line + memchr::memchr_iter(b'\n', &body.as_bytes()[from..offset]).count();
        counted = (offset, line);
        line
    };
    let mut cards = Vec::new();
    let mut skipped = Vec::new();

    // The title section: text before the first heading, plus the body of a
    // leading `#` heading that names the note.
    let preamble_end = headings.first().map_or(body.len(), |h| h.range.start);
    let mut title_body = body[..preamble_end].to_owned();
    // The line the title section's body starts on (its cards count from it).
    let mut title_body_line = front_lines + 1;
    if title_heading.is_some() {
        let end = headings.get(1).map_or(body.len(), |h| h.range.start);
        if title_body.trim().is_empty() {
            title_body.clear();
            title_body_line = line_of(headings[0].range.end);
        }
        title_body.push_str(&body[headings[0].range.end..end]);
    }
    let title_front = render::escape_text(&title);
    add_section(
        &mut cards,
        &mut skipped,
        &mut warnings,
        &mut ctx,
        SectionInput {
            heading_path: Vec::new(),
            front_html: title_front,
            body: &title_body,
            line: front_lines + 1,
            body_line: title_body_line,
            note_tags: &front.tags,
            is_title: true,
            junk: source.junk,
        },
    );

    let mut stack: Vec<(HeadingLevel, String)> = Vec::new();
    for (index, heading) in headings.iter().enumerate() {
        if Some(index) == title_heading {
            continue;
        }
        while stack
            .last()
            .is_some_and(|(level, _)| *level >= heading.level)
        {
            stack.pop();
        }
        let mut heading_path: Vec<String> = stack.iter().map(|(_, t)| t.clone()).collect();
        heading_path.push(heading.text.clone());
        stack.push((heading.level, heading.text.clone()));
        let end = headings
            .get(index + 1)
            .map_or(body.len(), |h| h.range.start);
        let front_html = render::render_inline(&heading.inline_source, &mut ctx).html;
        add_section(
            &mut cards,
            &mut skipped,
            &mut warnings,
            &mut ctx,
            SectionInput {
                heading_path,
                front_html,
                body: &body[heading.range.end..end],
                line: line_of(heading.range.start),
                body_line: line_of(heading.range.end),
                note_tags: &front.tags,
                is_title: false,
                junk: source.junk,
            },
        );
    }

    if let Some((line, what)) = ctx.budget.cards_refused() {
        warnings.push(format!("line {line}: {what}"));
    }
    warnings.extend(collect_missing(&mut cards));
    ParsedNote {
        title,
        tags: front.tags.clone(),
        cards: cards.into_iter().map(|(card, _)| card).collect(),
        skipped,
        warnings,
        embeds_notes: ctx.embeds_notes,
    }
}

struct SectionInput<'s> {
    heading_path: Vec<String>,
    front_html: String,
    body: &'s str,
    line: usize,
    /// The line `body` starts on.
    body_line: usize,
    note_tags: &'s [String],
    is_title: bool,
    junk: junk::JunkRules,
}

/// Turns one section into its card, its written cards (see [`written`])
/// and its definition cards.
fn add_section(
    cards: &mut Vec<(ParsedCard, Vec<String>)>,
    skipped: &mut Vec<SkippedSection>,
    problems: &mut Vec<String>,
    ctx: &mut RenderContext<'_>,
    input: SectionInput<'_>,
) {
    let mut tags = input.note_tags.to_vec();
    // Tags on the heading line count for its section.
    let heading = input.heading_path.last().map_or("", String::as_str);
    for tag in inline_tags(heading)
        .into_iter()
        .chain(inline_tags(input.body))
    {
        let room = tags.len() < budget::MAX_TAGS || tag == NO_CARD_TAG || tag == CLOZE_TAG;
        if room && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    // `#nocard` (on the section or the note) leaves the section out.
    if tags.iter().any(|t| t == NO_CARD_TAG) {
        skipped.push(SkippedSection {
            heading: input.heading_path.last().cloned().unwrap_or_default(),
            line: input.line,
            reason: format!("tagged #{NO_CARD_TAG}"),
        });
        return;
    }
    let highlight_clozes = tags.iter().any(|t| t == CLOZE_TAG);
    let written = written::extract(input.body, highlight_clozes, &mut ctx.budget);
    // What the written cards leave makes the section card; clozes left in
    // it (in code, or malformed) show their answers.
    let rest = liquid::show_clozes(&written.rest);
    let body = rest.as_str();
    let body_first_line = input.body_line;
    for (line, what) in &written.left_out {
        problems.push(format!("line {}: {what}", body_first_line + line));
    }
    let written_cards = written.cards.len();
    // The section's own card goes before its written cards.
    let section_at = cards.len();
    for card in written.cards {
        let line = body_first_line + card.line;
        if !ctx.budget.take_card(line) {
            continue;
        }
        // Footnotes cited on the back are shown under it, as on a section.
        let front_text = footnotes::without_references(&card.front);
        let front_text = card_text(front_text.into(), line, problems);
        // A cloze card's front and back are the same paragraph: both are
        // blocks, so the answer can take the front's place.
        let front = if front_text.contains('\n') || card.kind == CardKind::Cloze {
            render::render_block(&front_text, ctx)
        } else {
            render::render_inline(&front_text, ctx)
        };
        let back = with_footnotes(&card.back, line, ctx, problems);
        let back = render::render_block(&back, ctx);
        let mut heading_path = input.heading_path.clone();
        heading_path.push(card.name);
        let source = fold_whitespace(&format!("{} :: {}", card.front, card.back));
        cards.push(own_card(
            card.kind,
            heading_path,
            (front, back),
            source,
            tags.clone(),
            line,
        ));
    }
    // Definition lines are cards of their own: the section card's back
    // does not repeat them.
    let definitions = definitions::find(body);
    let section_text = definitions::without_definitions(body, &definitions);
    if !has_content(&section_text) {
        if !input.is_title && written_cards == 0 && definitions.is_empty() {
            skipped.push(SkippedSection {
                heading: input.heading_path.last().cloned().unwrap_or_default(),
                line: input.line,
                reason: "heading has no content of its own".into(),
            });
        }
    } else if ctx.budget.take_card(input.line) {
        let text = with_footnotes(&section_text, input.line, ctx, problems);
        let Rendered {
            html,
            missing_images,
            shape,
        } = render::render_block(&text, ctx);
        for problem in std::mem::take(&mut ctx.problems) {
            problems.push(format!("line {}: {problem}", input.line));
        }
        match junk::section_reason(&input.junk, &shape, &html, &missing_images) {
            // Tags above the section's own cards: they tag those cards, and
            // nothing was left out.
            Some(junk::ONLY_TAGS) if written_cards > 0 || !definitions.is_empty() => {}
            Some(reason) => skipped.push(SkippedSection {
                heading: input.heading_path.last().cloned().unwrap_or_default(),
                line: input.line,
                reason: reason.to_owned(),
            }),
            None => {
                let source = fold_whitespace(&section_text);
                let reading = input.junk.reading_cards && is_reading_length(&html);
                cards.insert(
                    section_at,
                    (
                        ParsedCard {
                            kind: CardKind::Section,
                            reading,
                            heading_path: input.heading_path.clone(),
                            front_html: input.front_html.clone(),
                            back_html: html,
                            content_hash: ContentHash::of(&source),
                            source,
                            tags: tags.clone(),
                            line: input.line,
                        },
                        missing_images,
                    ),
                );
            }
        }
    }
    for definition in definitions {
        let line = body_first_line + definition.line;
        if !ctx.budget.take_card(line) {
            continue;
        }
        let front =
            render::render_inline(&card_text((&definition.term).into(), line, problems), ctx);
        let back = render::render_block(
            &card_text((&definition.definition).into(), line, problems),
            ctx,
        );
        let plain_term = budget::cut_name(fold_whitespace(&strip_inline_markup(&definition.term)));
        let mut heading_path = input.heading_path.clone();
        heading_path.push(plain_term);
        let source = fold_whitespace(&format!("{}: {}", definition.term, definition.definition));
        let mut card = own_card(
            CardKind::Definition,
            heading_path,
            (front, back),
            source,
            tags.clone(),
            line,
        );
        card.0.reading = input.junk.reading_cards && is_reading_length(&card.0.back_html);
        cards.push(card);
    }
}

/// True when a section's back is too long to answer (over the doctor's
/// `too_long` limit, counted the same way): it is read, not recalled.
pub fn is_reading_length(back_html: &str) -> bool {
    // Cheap first: the text is never longer than its HTML.
    back_html.len() > MAX_BACK_CHARS && plain::longer_than(back_html, MAX_BACK_CHARS)
}

/// `text` with the definitions of the footnotes it cites appended, as long
/// as the note's budget has room for them (those left out are reported),
/// and cut at [`budget::MAX_CARD_BYTES`].
fn with_footnotes<'t>(
    text: &'t str,
    line: usize,
    ctx: &mut RenderContext<'_>,
    problems: &mut Vec<String>,
) -> std::borrow::Cow<'t, str> {
    let footnotes = ctx.footnotes;
    let (text, left_out) = footnotes.with_definitions_within(text, &mut ctx.budget);
    if !left_out.is_empty() {
        problems.push(format!(
            "line {line}: footnote(s) {} not shown under this card: the note's cards already copy as much text as a note may (16 times its size plus 1 MB)",
            left_out.join(", ")
        ));
    }
    card_text(text, line, problems)
}

/// A card's text, cut at [`budget::MAX_CARD_BYTES`] (reported) when longer.
fn card_text<'t>(
    text: std::borrow::Cow<'t, str>,
    line: usize,
    problems: &mut Vec<String>,
) -> std::borrow::Cow<'t, str> {
    match budget::cut_card_text(&text) {
        Some(cut) => {
            problems.push(format!(
                "line {line}: this card's text is {}; its card shows the first {} and says the rest is in the note",
                budget::size_in_words(text.len()),
                budget::size_in_words(budget::MAX_CARD_BYTES)
            ));
            cut.into()
        }
        None => text,
    }
}

/// A card of its own within a section (written or a definition), with
/// the media its two sides could not find.
fn own_card(
    kind: CardKind,
    heading_path: Vec<String>,
    (front, back): (Rendered, Rendered),
    source: String,
    tags: Vec<String>,
    line: usize,
) -> (ParsedCard, Vec<String>) {
    let mut missing = front.missing_images;
    missing.extend(back.missing_images);
    (
        ParsedCard {
            kind,
            heading_path,
            front_html: front.html,
            back_html: back.html,
            content_hash: ContentHash::of(&source),
            source,
            tags,
            line,
            reading: false,
        },
        missing,
    )
}

fn collect_missing(cards: &mut [(ParsedCard, Vec<String>)]) -> Vec<String> {
    let mut warnings = Vec::new();
    for (card, missing) in cards.iter() {
        for image in missing {
            let what = match crate::media::kind_of_name(image) {
                Some(crate::media::MediaKind::Image) | None => "image",
                Some(_) => "file",
            };
            warnings.push(format!(
                "line {}: {what} `{}` not found; the card shows its name",
                card.line, image
            ));
        }
    }
    warnings
}

/// `body` with the labels of its sections without sub-headings made
/// headings (see [`implicit`]), or `None` when it has none. Headings are
/// found here by their lines (`#`s and a space, outside fenced code), not
/// by a parse: a note that gains no heading costs one pass over its lines.
fn implicit_headings(body: &str) -> Option<String> {
    if body.has("\n===") || body.has("\n---") {
        // Setext headings (a line underlined): found by the parser only.
        return None;
    }
    let mut fences = code::Fences::default();
    let mut headings: Vec<(usize, usize)> = Vec::new();
    let mut lines = 0;
    for (i, line) in crate::scan::split_lines(body).enumerate() {
        lines = i + 1;
        if fences.is_code(line) {
            continue;
        }
        let indented = line.len() - line.trim_start_matches(' ').len();
        let hashes = line[indented..].bytes().take_while(|&b| b == b'#').count();
        let after = &line[indented + hashes..];
        if indented <= 3
            && (1..=6).contains(&hashes)
            && (after.is_empty() || after.starts_with([' ', '\t']))
        {
            headings.push((i, hashes));
        }
    }
    let mut sections = Vec::new();
    if headings.is_empty() {
        sections.push(implicit::Section {
            level: 1,
            start: 0,
            end: lines,
        });
    }
    for (k, &(line, level)) in headings.iter().enumerate() {
        let next = headings.get(k + 1);
        // A section with sub-headings has its structure already.
        if next.is_some_and(|&(_, next_level)| next_level > level) {
            continue;
        }
        sections.push(implicit::Section {
            level,
            start: line + 1,
            end: next.map_or(lines, |&(next_line, _)| next_line),
        });
    }
    implicit::label_headings(body, &sections)
}

/// Top-level headings (not inside quotes, lists or code) with their ranges.
fn find_headings(body: &str) -> Vec<Heading> {
    headings_by_lines(body).unwrap_or_else(|| headings_by_parser(body))
}

/// [`find_headings`] from the lines alone, without parsing the note,
/// where nothing in it can make a `#` line other than a top-level heading
/// or make a heading of another line: code fences only in the first
/// column, no HTML block, setext underline, indented `#` or
/// carriage return, and no heading with
/// a `[` where the note defines links or footnotes (which it could use).
/// Each heading line is parsed alone for its text. `None`: the parser
/// decides.
fn headings_by_lines(body: &str) -> Option<Vec<Heading>> {
    if scan::find_ascii(body, b"\r\0").is_some() {
        return None;
    }
    // A heading's `[…]` may be a link or a citation defined elsewhere.
    let definitions = body.has("]:");
    let mut headings = Vec::new();
    let mut start = 0;
    // The open fence's character and length.
    let mut fence: Option<(u8, usize)> = None;
    let fenced = body.has("```") || body.has("~~~");
    for line in crate::scan::split_lines_inclusive(body) {
        let line_start = start;
        start += line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        // Code fences in the first column only (a fence anywhere else may
        // belong to a list item or a quote: the parser decides).
        if let Some((mark, opened)) = fence {
            let rest = content.trim_start_matches(' ');
            let marks = rest.bytes().take_while(|&b| b == mark).count();
            let closes = content.len() - rest.len() <= 3
                && marks >= opened
                && rest[marks..].bytes().all(|b| b == b' ');
            if closes {
                fence = None;
            }
            continue;
        }
        let marks_here = fenced && scan::find_ascii(content, b"`~").is_some();
        if marks_here && (content.starts_with("```") || content.starts_with("~~~")) {
            let mark = content.as_bytes()[0];
            let marks = content.bytes().take_while(|&b| b == mark).count();
            if mark == b'`' && content[marks..].contains('`') {
                return None;
            }
            fence = Some((mark, marks));
            continue;
        }
        if marks_here && (content.has("```") || content.has("~~~")) {
            return None;
        }
        let trimmed = content.trim_start_matches([' ', '\t']);
        if trimmed.starts_with('<') || trimmed.len() < content.len() && trimmed.starts_with('#') {
            return None;
        }
        // A table needs no care: it starts only from a paragraph's line
        // and a `#` line ends it, as it ends a paragraph.
        let bare = trimmed.trim_end_matches([' ', '\t']);
        let underline = !bare.is_empty()
            && bare
                .bytes()
                .all(|b| matches!(b, b'=' | b'-' | b' ' | b'\t'));
        if underline {
            return None;
        }
        let marks = content.bytes().take_while(|&b| b == b'#').count();
        let opens_heading = (1..=6).contains(&marks)
            && matches!(content.as_bytes().get(marks), None | Some(b' ' | b'\t'));
        if !opens_heading {
            continue;
        }
        if definitions && content.contains('[') {
            return None;
        }
        if let Some(mut heading) = plain_heading(line, marks) {
            heading.range = line_start..start;
            headings.push(heading);
            continue;
        }
        // The line alone, as the parser reads it: one heading, the line.
        let mut alone = headings_by_parser(line);
        match alone.pop() {
            Some(mut heading) if alone.is_empty() && heading.range == (0..line.len()) => {
                heading.range = line_start..start;
                headings.push(heading);
            }
            _ => return None,
        }
    }
    Some(headings)
}

/// A heading line (`marks` `#`s, then white space or nothing) whose text
/// is letters, digits, spaces and punctuation that means nothing to the
/// parser, read without it: the heading the parser would make of the line
/// alone (its range the line's). `None` for any other line.
fn plain_heading(line: &str, marks: usize) -> Option<Heading> {
    let content = line.strip_suffix('\n').unwrap_or(line);
    let text = &content[marks..];
    let plain = text.bytes().all(|b| {
        b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'\t' | b',' | b':' | b';' | b'?' | b'(' | b')' | b'/'
            )
    });
    if !plain {
        return None;
    }
    let level = match marks {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    Some(Heading {
        level,
        text: budget::cut_name(fold_whitespace(text)),
        inline_source: heading_inline_source(line),
        range: 0..line.len(),
    })
}

/// [`find_headings`] by parsing the whole note.
fn headings_by_parser(body: &str) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut depth = 0usize;
    let mut current: Option<(HeadingLevel, Range<usize>, String)> = None;
    for (event, range) in Parser::new_ext(body, render::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) if depth == 0 => {
                current = Some((level, range, String::new()));
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(TagEnd::Heading(_)) if depth == 1 => {
                depth -= 1;
                if let Some((level, range, text)) = current.take() {
                    let source = &body[range.clone()];
                    headings.push(Heading {
                        level,
                        text: budget::cut_name(fold_whitespace(&text)),
                        inline_source: heading_inline_source(source),
                        range,
                    });
                }
            }
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, _, text)) = current.as_mut() {
                    text.push(' ');
                }
            }
            _ => {}
        }
    }
    headings
}

/// The inline Markdown of a heading: no `#` markers, closing sequence or
/// setext underline.
fn heading_inline_source(source: &str) -> String {
    let trimmed = source.trim();
    if trimmed.starts_with('#') {
        let line = crate::scan::lines(trimmed).next().unwrap_or_default();
        let text = line.trim_start_matches('#').trim();
        // A closing sequence is `#`s preceded by a space (or the whole text).
        let without_closing = text.trim_end_matches('#');
        if without_closing.is_empty() {
            return String::new();
        }
        if without_closing.ends_with(' ') || without_closing.len() == text.len() {
            return without_closing.trim_end().to_owned();
        }
        return text.to_owned();
    }
    let mut lines: Vec<&str> = crate::scan::lines(trimmed).collect();
    lines.pop();
    lines.join(" ").trim().to_owned()
}

/// Reference-style link definitions of the whole note, so a section can use
/// a definition that stands in another section.
/// The passes every rendering of a note's body takes before Markdown:
/// Liquid and MathJax delimiters on a Jekyll site, Obsidian syntax,
/// display math joined, nesting limited, footnotes taken out.
fn syntax_passes(body: &str, jekyll: bool) -> (String, footnotes::Footnotes) {
    // Anki clozes stay for the sections' written cards (see `written`);
    // headings show their answers.
    let body = if jekyll {
        kramdown::mathjax_to_dollars(&liquid::strip(body))
    } else {
        body.to_owned()
    };
    let body = obsidian::strip(&body);
    let body = if body.has("$$") {
        obsidian::join_display_math(&body).into_owned()
    } else {
        body
    };
    let body = nesting::limit(&body).into_owned();
    footnotes::extract(&body)
}

fn link_definitions(body: &str) -> HashMap<String, (String, String)> {
    // Every definition has `]:`; most notes have none to parse for.
    if !body.has("]:") {
        return HashMap::new();
    }
    let parser = Parser::new_ext(body, render::options());
    parser
        .reference_definitions()
        .iter()
        .map(|(label, def)| {
            (
                label.to_lowercase(),
                (
                    def.dest.to_string(),
                    def.title.as_deref().unwrap_or("").to_owned(),
                ),
            )
        })
        .collect()
}

/// True when the text holds something besides whitespace, HTML comments,
/// link reference definitions and thematic breaks.
fn has_content(body: &str) -> bool {
    // The common case without parsing: a first line that starts with a
    // letter in the first column begins a paragraph (or a table or setext
    // heading), whose text is content.
    let first = crate::scan::lines(body).find(|line| !line.trim().is_empty());
    if first.is_some_and(|line| line.starts_with(|c: char| c.is_ascii_alphabetic())) {
        return true;
    }
    let mut depth = 0usize;
    for event in Parser::new_ext(body, render::options()) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            Event::Rule => {}
            Event::Html(html) | Event::InlineHtml(html) => {
                let text = html.trim();
                let comment = text.starts_with("<!--") && text.ends_with("-->");
                if !text.is_empty() && !comment {
                    return true;
                }
            }
            Event::Text(t) if t.trim().is_empty() => {}
            Event::SoftBreak | Event::HardBreak => {}
            _ => return true,
        }
    }
    false
}

/// Inline `#tags` outside code: `#` after a space or line start, then a
/// letter, then letters, digits, `_`, `-` or `/`.
fn inline_tags(body: &str) -> Vec<String> {
    let mut tags = Vec::new();
    // Most sections have no `#` at all: one search, no line walked.
    if !body.contains('#') {
        return tags;
    }
    let mut in_fence = false;
    for line in crate::scan::lines(body) {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence
            || !line.contains('#')
            || trimmed.starts_with('#') && trimmed[1..].starts_with([' ', '#'])
        {
            continue;
        }
        tags_of_line(line, &mut tags);
    }
    tags
}

/// Adds the `#tags` of one line (outside backtick code) to `tags`.
fn tags_of_line(line: &str, tags: &mut Vec<String>) {
    // From one backtick or `#` to the next.
    let bytes = line.as_bytes();
    let mut in_code = false;
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'`', b'#', &bytes[at..]) {
        let mark = at + found;
        at = mark + 1;
        if bytes[mark] == b'`' {
            in_code = !in_code;
            continue;
        }
        let after = &line[mark + 1..];
        let previous = line[..mark].chars().next_back().unwrap_or(' ');
        if in_code
            || !previous.is_whitespace()
            || !after.chars().next().is_some_and(char::is_alphabetic)
        {
            continue;
        }
        let len = after
            .char_indices()
            .find(|(_, n)| !(n.is_alphanumeric() || matches!(n, '_' | '-' | '/')))
            .map_or(after.len(), |(end, _)| end);
        let tag = after[..len].to_owned();
        at += len;
        // Past the cap only the tags that change what the section makes
        // are kept.
        let room = tags.len() < budget::MAX_TAGS || tag == NO_CARD_TAG || tag == CLOZE_TAG;
        if room && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
}

/// Drops `*`, `_`, `` ` `` and `[[ ]]` so a term reads as plain text.
fn strip_inline_markup(text: &str) -> String {
    text.replace("[[", "")
        .replace("]]", "")
        .chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect()
}

/// Collapses every run of whitespace to one space and trims the ends.
pub fn fold_whitespace(text: &str) -> String {
    if text.is_ascii() {
        return fold_ascii_whitespace(text);
    }
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`fold_whitespace`] of ASCII text, line by line: a line whose words
/// already stand one space apart (found by byte searches, nearly every
/// line of prose) is copied whole; any other is folded word by word.
fn fold_ascii_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Looked at once in the whole text, then line by line only if needed.
    let all_single_spaced = single_spaced(text);
    for line in crate::scan::split_lines(text) {
        let line = line.trim_matches(' ');
        if line.is_empty() {
            continue;
        }
        if all_single_spaced || single_spaced(line) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(line);
            continue;
        }
        for word in line
            .split(|c: char| c.is_ascii() && scan::is_ascii_white(c as u8))
            .filter(|word| !word.is_empty())
        {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// True when `text` has no white space but single spaces and newlines.
fn single_spaced(text: &str) -> bool {
    // Built once: a search for a common byte (a space) is slow byte by
    // byte, and building the searcher costs more than most searches.
    static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    scan::find_ascii(text, b"\t\r\x0b").is_none()
        && memchr::memchr(b'\x0c', text.as_bytes()).is_none()
        && DOUBLE_SPACE.find(text.as_bytes()).is_none()
}

fn same_text(a: &str, b: &str) -> bool {
    fold_whitespace(a).to_lowercase() == fold_whitespace(b).to_lowercase()
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod worst_case_tests;
