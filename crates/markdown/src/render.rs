//! Rendering one section's Markdown to sanitised HTML.
//!
//! pulldown-cmark parses CommonMark with the extensions real notes use;
//! the event stream is then rewritten for Obsidian syntax (wikilinks, embeds,
//! callouts, `==highlights==`), math is kept for KaTeX, images are resolved
//! through the caller, and the HTML is cleaned by ammonia's allow-list before
//! it leaves the core.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::media::MediaKind;
use crate::scan::Substring;
use pulldown_cmark::{
    html, BrokenLink, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeStream,
};

/// The pulldown-cmark extensions notedeck turns on for every note.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Finds the Markdown an embed of another note shows (see
/// [`super::embed::excerpt`]).
pub type NoteResolver<'a> = dyn Fn(&str) -> Resolved + 'a;

/// What a [`NoteResolver`] found for a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The Markdown the reference shows.
    Found(String),
    /// There is no such note, heading or block.
    Missing,
    /// Not read: the note has read as much of other notes as it may (see
    /// [`super::budget::EMBED_READ_FACTOR`]); the reason, for the report.
    LeftOut(String),
}

/// What the renderer needs to know about the note a section comes from.
pub struct RenderContext<'a> {
    /// Reference-style link definitions of the whole note (label → url, title).
    pub link_definitions: &'a HashMap<String, (String, String)>,
    /// The note's footnotes: each keeps its number in the note.
    pub footnotes: &'a super::footnotes::Footnotes,
    /// kramdown's rule (Jekyll sources): `$$…$$` inside a paragraph with
    /// other content is inline math; alone, it is display math.
    pub kramdown_math: bool,
    /// Resolves an image reference to the `src` it should have in the card,
    /// or `None` when the image cannot be found. The flag is true for
    /// Obsidian embeds (`![[file.png]]`).
    pub resolve_image: &'a mut dyn FnMut(&str, bool) -> Option<String>,
    /// Finds the Markdown an embed of another note (`![[Note#Part]]`) shows,
    /// or `None` when there is no such note, heading or block.
    pub resolve_note: Option<&'a NoteResolver<'a>>,
    /// The embeds being rendered, outermost first (to cut cycles).
    pub embed_stack: Vec<String>,
    /// Problems found while rendering, for the import report; the caller
    /// adds the line.
    pub problems: Vec<String>,
    /// Set when the note embeds another note (its cards then depend on
    /// that note's text).
    pub embeds_notes: bool,
    /// Pass every section through the sanitiser, even those
    /// [`super::fast_html`] writes itself (tests compare both).
    pub sanitize_all: bool,
    /// What the note may still copy into its cards (embeds take from it).
    pub budget: super::budget::Budget,
    /// Embeds (lower-case targets) already left out for the budget: not
    /// read again.
    pub refused_embeds: std::collections::HashSet<String>,
}

/// One rendered piece of Markdown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// Sanitised HTML.
    pub html: String,
    /// Local images that could not be found (as written in the note).
    pub missing_images: Vec<String>,
    /// What the Markdown holds (for the junk rules), counted while parsing.
    pub shape: super::junk::Shape,
}

/// Renders block Markdown (a section body) to sanitised HTML.
pub fn render_block(markdown: &str, ctx: &mut RenderContext<'_>) -> Rendered {
    render(markdown, ctx, false)
}

/// Renders inline Markdown (a heading or a term) to sanitised HTML with no
/// wrapping paragraph.
pub fn render_inline(markdown: &str, ctx: &mut RenderContext<'_>) -> Rendered {
    if !ctx.sanitize_all && is_plain_inline(markdown) {
        return plain_inline(markdown);
    }
    render(markdown, ctx, true)
}

/// Inline Markdown that the parser reads as one run of text, unchanged:
/// it starts with a letter (no list marker, heading or quote), holds
/// only letters, digits, spaces and punctuation that means
/// nothing in Markdown or to notedeck's passes (no `..` or `--`, which
/// smart punctuation turns into dashes and ellipses), and ends with no
/// space. Most headings are such text.
fn is_plain_inline(markdown: &str) -> bool {
    let mut chars = markdown.chars();
    if !chars.next().is_some_and(char::is_alphabetic) || markdown.ends_with(' ') {
        return false;
    }
    let mut previous = ' ';
    for c in markdown.chars() {
        let plain = c.is_alphanumeric()
            || matches!(c, ' ' | ',' | ':' | ';' | '?' | '(' | ')' | '/' | '+')
            || (matches!(c, '.' | '-') && previous != c);
        if !plain {
            return false;
        }
        previous = c;
    }
    true
}

/// What [`render`] makes of [`is_plain_inline`] text, without parsing it:
/// the text itself (nothing in it is escaped), shaped as one paragraph.
fn plain_inline(markdown: &str) -> Rendered {
    let events = [
        Event::Start(Tag::Paragraph),
        Event::Text(markdown.into()),
        Event::End(TagEnd::Paragraph),
    ];
    Rendered {
        html: markdown.to_owned(),
        missing_images: Vec::new(),
        shape: super::junk::Shape::of_events(&events),
    }
}

fn render(markdown: &str, ctx: &mut RenderContext<'_>, inline: bool) -> Rendered {
    let defs = ctx.link_definitions;
    // Each use of a reference link copies its address into the card: the
    // copies take from the note's budget (a long address used everywhere
    // would otherwise multiply), and past it the reference stays text.
    let mut budget = ctx.budget;
    let mut callback = |link: BrokenLink<'_>| {
        let key = link.reference.to_lowercase();
        defs.get(&key)
            .filter(|(url, title)| budget.take(url.len() + title.len()))
            .map(|(url, title)| (CowStr::from(url.clone()), CowStr::from(title.clone())))
    };
    let parser = Parser::new_with_broken_link_callback(markdown, options(), Some(&mut callback));
    let events: Vec<Event<'_>> = TextMergeStream::new(parser).collect();
    ctx.budget = budget;
    let shape = super::junk::Shape::of_events(&events);
    let mut needs_sanitizer = ctx.sanitize_all
        || events
            .iter()
            .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let mut missing_images = Vec::new();
    let mut events = rewrite(events, ctx, &mut missing_images, &mut needs_sanitizer);
    if inline {
        events.retain(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
    }
    let events = if needs_sanitizer {
        Err(events)
    } else {
        super::fast_html::prepare(&events).ok_or(events)
    };
    let html = match events {
        Ok(safe) => {
            let mut html = String::with_capacity(markdown.len() * 3 / 2);
            html::push_html(&mut html, safe.into_iter());
            super::fast_html::finish(html)
        }
        Err(events) => sanitized(markdown.len(), events),
    };
    Rendered {
        html,
        shape,
        missing_images,
    }
}

/// HTML of `events` through the sanitiser, with nesting capped first.
fn sanitized(size_hint: usize, events: Vec<Event<'_>>) -> String {
    let mut raw = String::with_capacity(size_hint * 3 / 2);
    html::push_html(&mut raw, events.into_iter());
    let raw = super::nesting::limit_html(raw.trim_end());
    without_empty_paragraphs(sanitize(&raw))
}

/// `html` without the empty paragraphs an embed (a block) inside a
/// paragraph leaves behind; copied only when it has one (nearly no card).
fn without_empty_paragraphs(html: String) -> String {
    if html.has("<p></p>") {
        html.replace("<p></p>", "")
    } else {
        html
    }
}

/// Rewrites the parser's events for Obsidian syntax, math and images.
/// Sets `needs_sanitizer` when it writes markup that holds HTML from
/// elsewhere (an embedded note) or that [`super::fast_html`] does not
/// write in the sanitiser's form (players, sized images, PDF links).
fn rewrite<'a>(
    mut events: Vec<Event<'a>>,
    ctx: &mut RenderContext<'_>,
    missing_images: &mut Vec<String>,
    needs_sanitizer: &mut bool,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    // For each open blockquote: the closing HTML if it became a callout.
    let mut quotes: Vec<Option<&'static str>> = Vec::new();
    let mut in_code = false;
    let mut i = 0;
    while i < events.len() {
        // Each event is taken, not copied: only the events ahead are read
        // again, and a paragraph's start behind (display math asks),
        // which is left in place.
        let event = match &events[i] {
            Event::Start(Tag::Paragraph) => Event::Start(Tag::Paragraph),
            _ => std::mem::replace(&mut events[i], Event::SoftBreak),
        };
        i += 1;
        match event {
            Event::Start(Tag::BlockQuote(_)) => {
                if let Some((callout, consumed)) = callout_at(&events[i..]) {
                    i += consumed;
                    out.push(Event::Html(callout.open.into()));
                    if callout.paragraph_continues {
                        out.push(Event::Start(Tag::Paragraph));
                    }
                    quotes.push(Some(callout.close));
                } else {
                    quotes.push(None);
                    out.push(event);
                }
            }
            Event::End(TagEnd::BlockQuote(_)) => match quotes.pop().flatten() {
                Some(close) => out.push(Event::Html(close.into())),
                None => out.push(event),
            },
            Event::Start(Tag::CodeBlock(_)) => {
                in_code = true;
                out.push(event);
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = false;
                out.push(event);
            }
            Event::Start(Tag::Link {
                link_type: LinkType::WikiLink { .. },
                dest_url,
                ..
            }) => {
                let end = matching_end(&events, i);
                push_wikilink(&dest_url, &events[i..end], &mut out);
                i = end + 1;
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let end = matching_end(&events, i);
                let image = Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                };
                let seen = ImageOutput {
                    missing: missing_images,
                    needs_sanitizer,
                };
                push_image(image, &events[i..=end], ctx, seen, &mut out);
                i = end + 1;
            }
            Event::InlineMath(math) => out.push(Event::InlineHtml(
                format!(
                    "<span class=\"math math-inline\">{}</span>",
                    escape_text(&math)
                )
                .into(),
            )),
            Event::DisplayMath(math) => {
                // Display only as a paragraph of its own.
                let alone = |e: Option<&Event<'_>>, edge: Event<'_>| e.is_none_or(|e| *e == edge);
                let inline = ctx.kramdown_math
                    && !(alone(
                        events.get(i.wrapping_sub(2)),
                        Event::Start(Tag::Paragraph),
                    ) && alone(events.get(i), Event::End(TagEnd::Paragraph)));
                let class = if inline { "math-inline" } else { "math-display" };
                out.push(Event::InlineHtml(
                    format!(
                        "<span class=\"math {class}\">{}</span>",
                        escape_text(&math)
                    )
                    .into(),
                ))
            }
            // Footnotes keep their number in the note, whichever card
            // shows them.
            Event::FootnoteReference(label) => out.push(Event::InlineHtml(
                format!(
                    "<sup class=\"footnote-reference\">{}</sup>",
                    footnote_number(ctx, &label)
                )
                .into(),
            )),
            Event::Start(Tag::FootnoteDefinition(label)) => out.push(Event::Html(
                format!(
                    "<div class=\"footnote-definition\"><sup class=\"footnote-definition-label\">{}</sup>",
                    footnote_number(ctx, &label)
                )
                .into(),
            )),
            Event::End(TagEnd::FootnoteDefinition) => out.push(Event::Html("</div>\n".into())),
            // A task's box is drawn, not a form control: no `<input>` in cards.
            Event::TaskListMarker(done) => out.push(Event::InlineHtml(
                if done {
                    "<span class=\"task done\" title=\"done\">☑</span> "
                } else {
                    "<span class=\"task\" title=\"to do\">☐</span> "
                }
                .into(),
            )),
            Event::Text(text) if !in_code && text.has("==") => {
                push_highlighted(&text, &mut out);
            }
            // Raw `<img src="…">` in a note: local sources resolve like
            // Markdown images (a Jekyll site's `/assets/…`).
            Event::Html(html) if html.has("<img") || html.has("<IMG") => {
                out.push(Event::Html(
                    resolve_raw_images(&html, ctx, missing_images).into(),
                ))
            }
            Event::InlineHtml(html) if html.has("<img") || html.has("<IMG") => {
                out.push(Event::InlineHtml(
                    resolve_raw_images(&html, ctx, missing_images).into(),
                ))
            }
            other => out.push(other),
        }
    }
    out
}

/// A wikilink (`[[Note]]`, `[[Note|shown]]`): its text in a span titled
/// with the target (notes are not pages to go to). `inner` holds the
/// link's inner events.
fn push_wikilink<'a>(dest_url: &str, inner: &[Event<'a>], out: &mut Vec<Event<'a>>) {
    out.push(Event::InlineHtml(
        format!(
            "<span class=\"wikilink\" title=\"{}\">",
            escape_attr(dest_url.trim())
        )
        .into(),
    ));
    for (k, event) in inner.iter().enumerate() {
        match event {
            Event::Text(text) => {
                let mut text: &str = text;
                if k == 0 {
                    text = text.trim_start();
                }
                if k + 1 == inner.len() {
                    text = text.trim_end();
                }
                out.push(Event::Text(text.to_owned().into()));
            }
            other => out.push(other.clone()),
        }
    }
    out.push(Event::InlineHtml("</span>".into()));
}

/// An image as the parser gave it.
struct Image<'a> {
    link_type: LinkType,
    dest_url: CowStr<'a>,
    title: CowStr<'a>,
    id: CowStr<'a>,
}

/// Where [`push_image`] notes what it found.
struct ImageOutput<'o> {
    /// Local images that could not be found.
    missing: &'o mut Vec<String>,
    /// Set when the image became markup the fast path does not write.
    needs_sanitizer: &'o mut bool,
}

/// An image (`![alt](src)`, `![[file]]`): a web image as written; a local
/// one resolved to the collection's copy (a player for audio and video, a
/// link for a PDF); an embedded note's content; or a labelled placeholder.
/// `rest` holds the image's inner events and its end.
fn push_image<'a>(
    image: Image<'a>,
    rest: &[Event<'a>],
    ctx: &mut RenderContext<'_>,
    seen: ImageOutput<'_>,
    out: &mut Vec<Event<'a>>,
) {
    let Image {
        link_type,
        dest_url,
        title,
        id,
    } = image;
    let inner = &rest[..rest.len().saturating_sub(1)];
    let embed = matches!(link_type, LinkType::WikiLink { .. });
    let alt: String = inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    if is_remote(&dest_url) {
        out.push(Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }));
        out.extend(rest.iter().cloned());
    } else if let Some(src) = (ctx.resolve_image)(&dest_url, embed) {
        let (alt, size) = split_size(&alt, embed);
        *seen.needs_sanitizer = true;
        let label = if embed && (alt.is_empty() || alt == dest_url.as_ref()) {
            file_stem(&dest_url)
        } else {
            alt
        };
        match crate::media::kind_of_name(&src) {
            Some(MediaKind::Audio) => out.push(Event::InlineHtml(
                format!(
                    "<audio controls preload=\"none\" src=\"{}\" title=\"{}\"></audio>",
                    escape_attr(&src),
                    escape_attr(&label)
                )
                .into(),
            )),
            Some(MediaKind::Video) => out.push(Event::InlineHtml(
                format!(
                    "<video controls preload=\"metadata\" src=\"{}\" title=\"{}\"{}></video>",
                    escape_attr(&src),
                    escape_attr(&label),
                    size.attributes()
                )
                .into(),
            )),
            Some(MediaKind::Pdf) => {
                let anchor = page_anchor(&dest_url);
                out.push(Event::InlineHtml(
                    format!(
                        "<a class=\"media-file pdf\" href=\"{}{anchor}\">",
                        escape_attr(&src)
                    )
                    .into(),
                ));
                out.push(Event::Text(label.into()));
                out.push(Event::InlineHtml("</a>".into()));
            }
            _ if size.is_some() => out.push(Event::InlineHtml(
                format!(
                    "<img src=\"{}\" alt=\"{}\"{}>",
                    escape_attr(&src),
                    escape_attr(&label),
                    size.attributes()
                )
                .into(),
            )),
            _ => {
                out.push(Event::Start(Tag::Image {
                    link_type: LinkType::Inline,
                    dest_url: src.into(),
                    title,
                    id,
                }));
                out.push(Event::Text(label.into()));
                out.push(Event::End(TagEnd::Image));
            }
        }
    } else if embed && !looks_like_image(&dest_url) && !is_file_embed(&dest_url) {
        // `![[Other note]]`, `#Heading`, `#^block`: its content.
        *seen.needs_sanitizer = true;
        out.push(Event::InlineHtml(embed_note(&dest_url, &alt, ctx).into()));
    } else if embed && !looks_like_image(&dest_url) {
        // Any other file (`.canvas`, `.base`, an audio file that
        // is missing): a labelled reference, never an image.
        let known = crate::media::kind_of_name(&dest_url).is_some();
        if known {
            seen.missing.push(dest_url.to_string());
        }
        let name = dest_url.split(['#', '|']).next().unwrap_or(&dest_url);
        if !known {
            ctx.problems.push(format!(
                    "`{name}` is embedded, but notedeck does not show this kind of file; its name is shown"
                ));
        }
        out.push(Event::InlineHtml(
            format!(
                "<span class=\"{}\" title=\"{}\">",
                if known { "missing-file" } else { "embed-file" },
                if known {
                    "file not found"
                } else {
                    "a file notedeck does not show"
                }
            )
            .into(),
        ));
        out.push(Event::Text(name.to_owned().into()));
        out.push(Event::InlineHtml("</span>".into()));
    } else {
        seen.missing.push(dest_url.to_string());
        let shown = if alt.trim().is_empty() {
            dest_url.to_string()
        } else {
            alt
        };
        out.push(Event::InlineHtml(
            "<span class=\"missing-image\" title=\"image not found\">".into(),
        ));
        out.push(Event::Text(shown.into()));
        out.push(Event::InlineHtml("</span>".into()));
    }
}

/// A footnote's number in the note, as text (`?` for one never cited).
fn footnote_number(ctx: &RenderContext<'_>, label: &str) -> String {
    ctx.footnotes
        .number(label)
        .map_or_else(|| "?".to_owned(), |n| n.to_string())
}

/// Index of the `End` event that closes the tag opened just before `from`.
fn matching_end(events: &[Event<'_>], from: usize) -> usize {
    let mut depth = 0usize;
    for (offset, event) in events[from..].iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => return from + offset,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

struct Callout {
    open: String,
    close: &'static str,
    paragraph_continues: bool,
}

/// Recognises an Obsidian callout (`> [!type]± Title`) at the start of a
/// blockquote; returns its HTML and how many events it consumed.
fn callout_at(events: &[Event<'_>]) -> Option<(Callout, usize)> {
    let (Some(Event::Start(Tag::Paragraph)), Some(Event::Text(first))) =
        (events.first(), events.get(1))
    else {
        return None;
    };
    let rest = first.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind: String = rest[..close].trim().to_lowercase();
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let mut after = &rest[close + 1..];
    let fold = after.chars().next().filter(|c| *c == '-' || *c == '+');
    if fold.is_some() {
        after = &after[1..];
    }
    let mut title = escape_text(after.trim());
    let mut consumed = 2;
    // The title runs to the end of the first line, which may hold markup.
    while let Some(event) = events.get(consumed) {
        match event {
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => break,
            Event::Text(t) => title.push_str(&escape_text(t)),
            Event::Code(t) => {
                title.push_str("<code>");
                title.push_str(&escape_text(t));
                title.push_str("</code>");
            }
            _ => {}
        }
        consumed += 1;
    }
    if title.trim().is_empty() {
        let mut chars = kind.chars();
        title = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
    }
    let paragraph_continues = match events.get(consumed) {
        Some(Event::End(TagEnd::Paragraph)) => {
            consumed += 1;
            false
        }
        Some(_) => {
            consumed += 1;
            true
        }
        None => false,
    };
    let kind = escape_attr(&kind);
    let (open, close) = match fold {
        Some(marker) => (
            format!(
                "<details class=\"callout\" data-callout=\"{kind}\"{}><summary class=\"callout-title\">{title}</summary><div class=\"callout-content\">",
                if marker == '+' { " open=\"\"" } else { "" }
            ),
            "</div></details>",
        ),
        None => (
            format!(
                "<div class=\"callout\" data-callout=\"{kind}\"><div class=\"callout-title\">{title}</div><div class=\"callout-content\">"
            ),
            "</div></div>",
        ),
    };
    Some((
        Callout {
            open,
            close,
            paragraph_continues,
        },
        consumed,
    ))
}

/// Splits text on `==` pairs into text and `<mark>` highlights.
fn push_highlighted<'a>(text: &str, out: &mut Vec<Event<'a>>) {
    let mut rest = text;
    while let Some(open) = rest.find("==") {
        let Some(len) = rest[open + 2..].find("==") else {
            break;
        };
        let inner = &rest[open + 2..open + 2 + len];
        if inner.is_empty() || inner.starts_with(' ') || inner.ends_with(' ') {
            out.push(Event::Text(rest[..open + 2].to_owned().into()));
            rest = &rest[open + 2..];
            continue;
        }
        if open > 0 {
            out.push(Event::Text(rest[..open].to_owned().into()));
        }
        out.push(Event::InlineHtml("<mark>".into()));
        out.push(Event::Text(inner.to_owned().into()));
        out.push(Event::InlineHtml("</mark>".into()));
        rest = &rest[open + 2 + len + 2..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(rest.to_owned().into()));
    }
}

fn is_remote(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The HTML for an embed of another note: its rendered content in a marked
/// block, or a marked name when it is missing, too deep or a cycle.
fn embed_note(reference: &str, alt: &str, ctx: &mut RenderContext<'_>) -> String {
    let target = reference.split('|').next().unwrap_or(reference).trim();
    let key = target.to_lowercase();
    let label = if alt.trim().is_empty() {
        target
    } else {
        alt.trim()
    };
    let marked = |class: &str, title: &str| {
        format!(
            "<span class=\"{class}\" title=\"{}\">{}</span>",
            escape_attr(title),
            escape_text(label)
        )
    };
    if ctx.embed_stack.contains(&key) {
        ctx.problems.push(format!(
            "embed of `{target}` leads back to itself; the loop was cut"
        ));
        return marked("wikilink embed-cut", "this embed leads back to itself");
    }
    if ctx.embed_stack.len() >= super::embed::MAX_EMBED_DEPTH {
        ctx.problems.push(format!(
            "embed of `{target}` is nested more than {} deep; shown as a link",
            super::embed::MAX_EMBED_DEPTH
        ));
        return marked("wikilink", "embeds nest at most three deep");
    }
    ctx.embeds_notes = true;
    let left_out = |ctx: &mut RenderContext<'_>, why: String| {
        ctx.problems
            .push(format!("embed of `{target}` left out: {why}"));
        marked("wikilink embed-cut", "left out: see the import report")
    };
    if ctx.refused_embeds.contains(&key) {
        return left_out(ctx, "as above".to_owned());
    }
    let markdown = match ctx.resolve_note.map(|find| find(target)) {
        None => return marked("wikilink", target),
        Some(Resolved::Missing) => {
            ctx.problems
                .push(format!("embedded note `{target}` not found"));
            return marked("missing-embed", "embedded note not found");
        }
        Some(Resolved::LeftOut(why)) => {
            ctx.refused_embeds.insert(key);
            return left_out(ctx, why);
        }
        Some(Resolved::Found(markdown)) => markdown,
    };
    if !ctx.budget.take(markdown.len()) {
        ctx.refused_embeds.insert(key);
        return left_out(
            ctx,
            format!(
                "it holds {}, and the note's cards already copy as much text as a note may (16 times its size plus 1 MB)",
                super::budget::size_in_words(markdown.len())
            ),
        );
    }
    let markdown = super::nesting::limit(&super::obsidian::strip(&super::liquid::show_clozes(
        &markdown,
    )))
    .into_owned();
    ctx.embed_stack.push(key);
    let inner = render(&markdown, ctx, false);
    ctx.embed_stack.pop();
    ctx.problems.extend(
        inner
            .missing_images
            .iter()
            .map(|m| format!("`{m}` (embedded from `{target}`) not found")),
    );
    // "Note › Heading" for a section, the note's name for a block or a note
    // (without `.md`); a Dendron range (`Heading,1:#*`) by its heading.
    let note_name = |name: &'_ str| name.strip_suffix(".md").unwrap_or(name).to_owned();
    let shown = match target.split_once('#') {
        Some((name, anchor)) if !anchor.starts_with('^') => {
            let heading = anchor.split(":#").next().unwrap_or(anchor);
            let heading = heading
                .rsplit_once(',')
                .filter(|(_, n)| n.trim().parse::<usize>().is_ok())
                .map_or(heading, |(heading, _)| heading);
            format!("{} › {heading}", note_name(name))
        }
        Some((name, _)) => note_name(name),
        None => note_name(target),
    };
    format!(
        "<div class=\"embed\"><div class=\"embed-title\">{}</div>{}</div>",
        escape_text(&shown),
        inner.html
    )
}

/// `html` with each `<img>` whose `src` is local pointed at the resolved
/// media file, or turned into a missing-image marker when there is none.
fn resolve_raw_images(
    html: &str,
    ctx: &mut RenderContext<'_>,
    missing_images: &mut Vec<String>,
) -> String {
    // ASCII lower-casing keeps byte offsets, so one copy finds every tag.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut done = 0;
    while let Some(found) = lower[done..].find("<img") {
        let start = done + found;
        out.push_str(&html[done..start]);
        let tag_end = html[start..]
            .find('>')
            .map_or(html.len(), |e| start + e + 1);
        out.push_str(&resolve_img_tag(&html[start..tag_end], ctx, missing_images));
        done = tag_end;
    }
    out.push_str(&html[done..]);
    out
}

/// One raw `<img …>` tag with its local `src` resolved.
fn resolve_img_tag(
    tag: &str,
    ctx: &mut RenderContext<'_>,
    missing_images: &mut Vec<String>,
) -> String {
    let lower = tag.to_ascii_lowercase();
    let Some(at) = lower.find("src=") else {
        return tag.to_owned();
    };
    let value_start = at + 4;
    let quote = tag[value_start..].chars().next();
    let (begin, end) = match quote {
        Some(q @ ('"' | '\'')) => {
            let begin = value_start + 1;
            let end = tag[begin..].find(q).map_or(tag.len(), |e| begin + e);
            (begin, end)
        }
        _ => {
            let end = tag[value_start..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(tag.len(), |e| value_start + e);
            (value_start, end)
        }
    };
    let src = &tag[begin..end];
    if src.is_empty() || is_remote(src) || src.starts_with("data:") || src.starts_with("media/") {
        return tag.to_owned();
    }
    match (ctx.resolve_image)(src, false) {
        Some(resolved) => format!("{}{}{}", &tag[..begin], escape_attr(&resolved), &tag[end..]),
        None => {
            missing_images.push(src.to_owned());
            format!(
                "<span class=\"missing-image\" title=\"image not found\">{}</span>",
                escape_text(src)
            )
        }
    }
}

/// Obsidian's size for an embed: `|200` (width) or `|200x100`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Size {
    width: Option<u32>,
    height: Option<u32>,
}

impl Size {
    fn is_some(&self) -> bool {
        self.width.is_some()
    }

    fn attributes(&self) -> String {
        let mut out = String::new();
        if let Some(w) = self.width {
            out.push_str(&format!(" width=\"{w}\""));
        }
        if let Some(h) = self.height {
            out.push_str(&format!(" height=\"{h}\""));
        }
        out
    }
}

/// Splits a size off an embed's alias (`200`, `200x100`) or a Markdown
/// image's alt (`a cat|200`): the rest of the text and the size.
fn split_size(alt: &str, embed: bool) -> (String, Size) {
    let (text, spec) = match alt.rsplit_once('|') {
        Some((text, spec)) => (text, spec),
        None if embed => ("", alt),
        None => return (alt.to_owned(), Size::default()),
    };
    let spec = spec.trim();
    let (w, h) = spec
        .split_once('x')
        .map_or((spec, None), |(w, h)| (w, Some(h)));
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 5 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    match (number(w), h.map(number)) {
        (Some(width), None) => (
            text.to_owned(),
            Size {
                width: Some(width),
                height: None,
            },
        ),
        (Some(width), Some(Some(height))) => (
            text.to_owned(),
            Size {
                width: Some(width),
                height: Some(height),
            },
        ),
        _ => (alt.to_owned(), Size::default()),
    }
}

/// `#page=N` from a PDF reference, kept on the link.
fn page_anchor(reference: &str) -> String {
    reference
        .split_once('#')
        .map(|(_, anchor)| anchor.trim())
        .and_then(|a| a.strip_prefix("page="))
        .filter(|n| !n.is_empty() && n.len() <= 6 && n.bytes().all(|b| b.is_ascii_digit()))
        .map(|n| format!("#page={n}"))
        .unwrap_or_default()
}

/// True for an embed of a file that is not a note (it has an ending that
/// is not Markdown): `x.canvas`, `x.base`, `x.pdf`.
pub(super) fn is_file_embed(reference: &str) -> bool {
    let name = reference.split(['#', '|']).next().unwrap_or(reference);
    crate::media::extension(name)
        .is_some_and(|ext| !matches!(ext.as_str(), "md" | "markdown" | "txt"))
}

fn looks_like_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [
        ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

/// Escapes text for HTML element content (as html5ever serialises it).
pub fn escape_text(text: &str) -> String {
    escape(text, &['&', '<', '>', '\u{a0}'])
}

/// Escapes text for a double-quoted HTML attribute (as html5ever
/// serialises it).
pub fn escape_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped_attr(&mut out, text);
    out
}

/// `text` with each of `special` (ASCII characters and the no-break
/// space) replaced by its entity; runs of other characters are copied at
/// once. Found byte by byte: the no-break space by its two UTF-8 bytes.
fn escape(text: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, special);
    out
}

/// Appends `text` escaped for an attribute value (as [`escape_attr`]).
pub fn push_escaped_attr(out: &mut String, text: &str) {
    push_escaped(out, text, &['&', '"', '<', '>', '\u{a0}']);
}

/// Appends `text` escaped for HTML element content (as [`escape_text`]).
pub fn push_escaped_text(out: &mut String, text: &str) {
    push_escaped(out, text, &['&', '<', '>', '\u{a0}']);
}

/// [`escape`] into `out`.
fn push_escaped(out: &mut String, text: &str, special: &[char]) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let c = match byte {
            b'&' | b'<' | b'>' | b'"' => char::from(byte),
            0xC2 if bytes.get(at + 1) == Some(&0xA0) => '\u{a0}',
            _ => continue,
        };
        if !special.contains(&c) {
            continue;
        }
        out.push_str(&text[copied..at]);
        out.push_str(entity_of(c));
        copied = at + c.len_utf8();
    }
    out.push_str(&text[copied..]);
}

/// The entity that stands for one of the characters [`escape`] replaces
/// (`&`, `<`, `>`, `"`, the no-break space for anything else).
pub(crate) fn entity_of(c: char) -> &'static str {
    match c {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        _ => "&nbsp;",
    }
}

/// Cleans HTML with notedeck's allow-list: no scripts, no event handlers, no
/// `javascript:` URLs, no iframes, no form controls, no inline styles.
pub fn sanitize(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    let mut clean = CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder
                .add_tags(["details", "summary", "mark", "section", "audio", "video"])
                .add_tag_attributes("audio", ["controls", "preload", "src", "title"])
                .add_tag_attributes(
                    "video",
                    ["controls", "preload", "src", "title", "width", "height"],
                )
                .add_tag_attributes("a", ["class"])
                .add_tag_attributes("details", ["open", "class", "data-callout"])
                .add_tag_attributes("div", ["class", "data-callout"])
                .add_tag_attributes("summary", ["class"])
                .add_tag_attributes("span", ["class", "title"])
                .add_tag_attributes("code", ["class"])
                .add_tag_attributes("pre", ["class"])
                .add_tag_attributes("sup", ["class"])
                .add_tag_attributes("li", ["class"])
                .add_tag_attributes("ul", ["class"])
                .add_tag_attributes("ol", ["start"])
                .add_tag_attributes("th", ["style"])
                .add_tag_attributes("td", ["style"])
                .attribute_filter(|element, attribute, value| {
                    if matches!(element, "audio" | "video") && attribute == "src" {
                        // Players only play the collection's own media.
                        let own = value
                            .strip_prefix("media/")
                            .is_some_and(crate::media::is_media_file_name);
                        return own.then(|| value.into());
                    }
                    if attribute == "style" {
                        // Table cell alignment is the only style that
                        // survives, and becomes a class (see
                        // `alignment_classes`).
                        let allowed = matches!(
                            value.trim(),
                            "text-align: left" | "text-align: center" | "text-align: right"
                        );
                        return allowed.then(|| value.into());
                    }
                    Some(value.into())
                });
            builder
        })
        .clean(html)
        .to_string();
    alignment_classes(&mut clean);
    clean
}

/// Table cell alignment as classes (`align-left`, `align-center`,
/// `align-right`) instead of the `style` attributes the Markdown writer
/// puts on cells: the page's Content-Security-Policy refuses style
/// attributes, so the alignment survives only as a class.
pub fn alignment_classes(html: &mut String) {
    if !html.has(" style=\"text-align: ") {
        return;
    }
    for tag in ["th", "td"] {
        for side in ["left", "center", "right"] {
            let style = format!("<{tag} style=\"text-align: {side}\">");
            if html.contains(&style) {
                *html = html.replace(&style, &format!("<{tag} class=\"align-{side}\">"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Renders `markdown` inline both ways: through the plain-text
    /// shortcut where it applies, and always through the parser.
    fn both_ways(markdown: &str) -> (Rendered, Rendered) {
        let definitions = HashMap::new();
        let footnotes = super::super::footnotes::Footnotes::default();
        let mut resolve_image = |_: &str, _: bool| None;
        let mut ctx = RenderContext {
            link_definitions: &definitions,
            footnotes: &footnotes,
            kramdown_math: false,
            resolve_image: &mut resolve_image,
            resolve_note: None,
            embed_stack: Vec::new(),
            problems: Vec::new(),
            embeds_notes: false,
            sanitize_all: false,
            budget: super::super::budget::Budget::unlimited(),
            refused_embeds: Default::default(),
        };
        let shortcut = render_inline(markdown, &mut ctx);
        let parsed = render(markdown, &mut ctx, true);
        (shortcut, parsed)
    }

    #[test]
    fn plain_headings_take_the_shortcut_and_marked_ones_do_not() {
        for plain in [
            "Section 0: model review",
            "Über (die) Zeit; why?",
            "e.g. A/B + C-D",
        ] {
            assert!(is_plain_inline(plain), "{plain}");
            let (shortcut, parsed) = both_ways(plain);
            assert_eq!(shortcut, parsed);
        }
        for marked in [
            "1. First", "- item", "A -- B", "Wait...", "It's", "a *b*", "x ", " x",
        ] {
            assert!(!is_plain_inline(marked), "{marked}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// Wherever the shortcut applies, it gives what the parser gives
        /// (plain text with up to three characters that mean something).
        #[test]
        fn the_plain_text_shortcut_renders_as_the_parser_does(
            text in "[aZé0 1.)-]?[aZé0 ,.:;?()/+\\-]{0,5}[*_`~=#$<>&'\"!\\[\\]|^%{}\t\u{a0}]?\
                [aZé0 ,.:;?()/+\\-]{0,5}[*_`~=#$<>&'\"!\\[\\]|^%{}\t\u{a0}\n]{0,2}[aZé0 .-]{0,3}"
        ) {
            let (shortcut, parsed) = both_ways(&text);
            prop_assert_eq!(shortcut, parsed);
        }

        /// The same with text that mostly takes the shortcut.
        #[test]
        fn plain_looking_text_renders_as_the_parser_does(
            text in "[aZé][aZé0 ,.:;?()/+\\-]{0,24}"
        ) {
            let (shortcut, parsed) = both_ways(&text);
            prop_assert_eq!(shortcut, parsed);
        }
    }
}
