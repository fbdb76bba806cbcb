//! GitBook's blocks in the Markdown notedeck renders.
//!
//! A page of a GitBook space (see [`super::NoteSource::gitbook_space`])
//! writes its blocks as tags, `{% name key="value" %}`, mostly on lines of
//! their own. They become:
//! - a hint → an Obsidian callout of its style (`> [!info]`, `> [!success]`,
//!   `> [!warning]`, `> [!danger]`), its content quoted;
//! - `code` → the fenced block it wraps, its title in italics above it;
//! - a stepper → its steps labelled "Step 1", "Step 2", … (on the step's
//!   first heading when it opens with one, else on a line of its own);
//! - tabs and updates → each tab labelled with its title, each update with
//!   its date, the same way; columns → their content one after the other;
//! - an embed, a page link (`content-ref`) and a file → a link (a local
//!   media file as an embed, so the media pipeline copies it), with its
//!   caption as text;
//! - the API blocks (`swagger`, `openapi`, the older `api-method`) → the
//!   method and path in bold, parameters as a list, responses labelled.
//!
//! Any other tag is removed and reported with its line. Code (fenced
//! blocks, inline spans) and `{{ … }}` stay as written, and every line
//! stays on its line (a tag line becomes an empty line or Markdown), so
//! line numbers still point into the file. One pass over the text: a label
//! looks ahead over the blank lines after its tag, a caption at the two
//! lines after its tag, and nothing is read twice.

use std::collections::HashSet;

use super::code::{span_len, Ahead, Fences};
use crate::scan::Substring;

/// Hints nested deeper than this are not quoted any deeper (each level
/// adds a marker to every line of its content).
const MAX_QUOTED_HINTS: usize = 3;

/// Whitespace before a hint's opening tag longer than this is not repeated
/// before each line of its content.
const MAX_HINT_INDENT: usize = 12;

/// Unknown tags reported per note (each name once).
const MAX_REPORTED: usize = 20;

/// A page's text with its GitBook blocks rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The text, line for line.
    pub text: String,
    /// What was not shown: the one-based line (of the text given) and why.
    pub left_out: Vec<(usize, String)>,
}

/// Rewrites the GitBook blocks of `body` (a page of a GitBook space) into
/// Markdown, outside code, keeping its number of lines.
pub fn rewrite(body: &str) -> Rewritten {
    if !body.has("{%") {
        return Rewritten {
            text: body.to_owned(),
            left_out: Vec::new(),
        };
    }
    let lines: Vec<&str> = crate::scan::split_lines_inclusive(body).collect();
    let mut pass = Pass {
        lines: &lines,
        out: String::with_capacity(body.len() + body.len() / 8),
        hints: 0,
        hint_indent: String::new(),
        steppers: Vec::new(),
        heading_label: None,
        caption_link: None,
        reported: HashSet::new(),
        left_out: Vec::new(),
    };
    let mut fences = Fences::default();
    for (index, line) in lines.iter().enumerate() {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, "\n"),
            None => (*line, ""),
        };
        if fences.is_code(content) {
            pass.code_line(content);
        } else {
            pass.line(index, content);
        }
        pass.out.push_str(newline);
    }
    Rewritten {
        text: pass.out,
        left_out: pass.left_out,
    }
}

/// The state of the pass between lines.
struct Pass<'l, 't> {
    /// The note's lines, each with its `\n`.
    lines: &'l [&'t str],
    out: String,
    /// Hints open.
    hints: usize,
    /// The whitespace before the outermost open hint: its content is quoted
    /// after it (a hint in a list item stays in the item).
    hint_indent: String,
    /// Each open stepper's steps so far.
    steppers: Vec<usize>,
    /// A step's, tab's or update's label, waiting for the heading that
    /// opens its block.
    heading_label: Option<String>,
    /// A link whose caption is the next line (`{% file %}`, caption,
    /// `{% endfile %}`).
    caption_link: Option<Link>,
    /// Unknown tag names already reported.
    reported: HashSet<String>,
    left_out: Vec<(usize, String)>,
}

/// One line being written.
#[derive(Default)]
struct LineOut {
    /// Something other than whitespace has been written (after the hint
    /// quote markers).
    started: bool,
    /// Whitespace read before anything was written.
    pending_ws: String,
    /// The link a tag wrote on this line, which the caption before its end
    /// tag may replace: where it starts and ends in the output.
    capture: Option<(usize, usize, Link)>,
}

/// A link a tag becomes.
#[derive(Debug, Clone)]
struct Link {
    /// Where it leads, as written.
    target: String,
    /// The end tag of its block (`endfile`): a caption before it becomes
    /// the link's text.
    end: &'static str,
    /// A local media file: written as an embed, which the media pipeline
    /// copies (a PDF shows as a link to its copy).
    media: bool,
    /// A page link (`content-ref`), whose content is the link itself: the
    /// content replaces it.
    content_is_link: bool,
}

impl Link {
    /// The Markdown of this link with `text` (Markdown) shown.
    fn markdown(&self, text: &str) -> String {
        let destination: String = self
            .target
            .chars()
            .map(|c| match c {
                '<' => "%3C".to_owned(),
                '>' => "%3E".to_owned(),
                '\\' => "%5C".to_owned(),
                c => c.to_string(),
            })
            .collect();
        let bang = if self.media { "!" } else { "" };
        format!("{bang}[{text}](<{destination}>)")
    }

    /// The text shown when there is no caption: the file's name for a file
    /// or a page, the address for an embed.
    fn default_text(&self) -> String {
        if self.end == "endembed" {
            return escape(&self.target);
        }
        let path = self.target.split(['?', '#']).next().unwrap_or_default();
        let name = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(path);
        let name = if self.content_is_link {
            name.strip_suffix(".md").unwrap_or(name)
        } else {
            name
        };
        if name.is_empty() {
            escape(&self.target)
        } else {
            escape(name)
        }
    }
}

impl Pass<'_, '_> {
    /// A line inside a fenced block (or a fence): kept, quoted when in a
    /// hint.
    fn code_line(&mut self, content: &str) {
        if self.hints == 0 {
            self.out.push_str(content);
            return;
        }
        let body = content
            .strip_prefix(self.hint_indent.as_str())
            .unwrap_or(content);
        self.push_quote();
        self.out.push(' ');
        self.out.push_str(body);
    }

    /// The hint quote markers (`>` once per open hint, at most
    /// [`MAX_QUOTED_HINTS`]) after the outermost hint's indentation, with
    /// no space after the last.
    fn push_quote(&mut self) {
        self.out.push_str(&self.hint_indent);
        for level in 0..self.hints.min(MAX_QUOTED_HINTS) {
            if level > 0 {
                self.out.push(' ');
            }
            self.out.push('>');
        }
    }

    /// A line outside code: its tags rewritten.
    fn line(&mut self, index: usize, content: &str) {
        let mut line = LineOut::default();
        if let Some(link) = self.caption_link.take() {
            // The caption line between a file's (or embed's) tags.
            let caption = escape_brackets(content.trim());
            let markdown = link.markdown(&caption);
            self.write(&markdown, &mut line);
            self.end_line(&mut line);
            return;
        }
        let labelled;
        let content = match self.heading_label.take() {
            Some(label) if content.trim().is_empty() => {
                self.heading_label = Some(label);
                content
            }
            Some(label) => match atx_marker_len(content) {
                Some(marker) => {
                    let text = content[marker..].trim_start();
                    labelled = if text.is_empty() {
                        format!("{}{label}", &content[..marker])
                    } else {
                        format!("{}{label}: {text}", &content[..marker])
                    };
                    labelled.as_str()
                }
                None => content,
            },
            None => content,
        };
        // Each `%}` of the line is found once, however many openings come
        // before it; so is each `{%`.
        let mut closes = Ahead::new(content, |text: &str| text.find("%}"));
        let mut at = 0;
        while let Some(pos) = crate::scan::find_ascii(&content[at..], b"`{") {
            let start = at + pos;
            self.text(&content[at..start], &mut line);
            let rest = &content[start..];
            if rest.starts_with('`') {
                let end = span_len(rest);
                self.text(&rest[..end], &mut line);
                at = start + end;
            } else if rest.starts_with("{%") {
                match closes.at_or_after(start + 2) {
                    Some(close) => {
                        let tag = Tag::parse(&content[start + 2..close]);
                        let after = &content[close + 2..];
                        self.tag(&tag, index, after, &mut line);
                        at = close + 2;
                    }
                    None => {
                        // Not a tag: no `%}` follows on the line.
                        self.text("{%", &mut line);
                        at = start + 2;
                    }
                }
            } else {
                self.text("{", &mut line);
                at = start + 1;
            }
        }
        self.text(&content[at..], &mut line);
        self.end_line(&mut line);
    }

    /// Text of the note (or of a tag's Markdown) for the line.
    fn text(&mut self, text: &str, line: &mut LineOut) {
        if text.is_empty() {
            return;
        }
        if line.started {
            self.out.push_str(text);
            return;
        }
        let trimmed = text.trim_start();
        line.pending_ws
            .push_str(&text[..text.len() - trimmed.len()]);
        if !trimmed.is_empty() {
            self.start(line);
            self.out.push_str(trimmed);
        }
    }

    /// Markdown a tag becomes, written like text.
    fn write(&mut self, markdown: &str, line: &mut LineOut) {
        self.text(markdown, line);
    }

    /// Starts the line's content: the hint quote markers, then the line's
    /// own indentation.
    fn start(&mut self, line: &mut LineOut) {
        line.started = true;
        if self.hints == 0 {
            self.out.push_str(&line.pending_ws);
            return;
        }
        self.push_quote();
        self.out.push(' ');
        let ws = line
            .pending_ws
            .strip_prefix(self.hint_indent.as_str())
            .unwrap_or(&line.pending_ws);
        self.out.push_str(ws);
    }

    /// Ends a line: one with nothing written is empty, or, inside a hint,
    /// an empty line of the quote.
    fn end_line(&mut self, line: &mut LineOut) {
        if !line.started && self.hints > 0 {
            self.push_quote();
        }
    }

    /// The next line that is not blank after line `index`, if any (the
    /// blank lines between belong to this tag's line alone, so each is
    /// read once).
    fn next_content_line(&self, index: usize) -> Option<&str> {
        self.lines[index + 1..]
            .iter()
            .find(|line| !line.trim().is_empty())
            .copied()
    }

    /// Rewrites one tag of line `index`; `after` is the rest of the line.
    fn tag(&mut self, tag: &Tag<'_>, index: usize, after: &str, line: &mut LineOut) {
        let name = tag.name.to_ascii_lowercase();
        // A caption between a link's tags on one line becomes its text.
        if let Some((start, end, link)) = line.capture.take() {
            if name == link.end {
                let caption = self.out[end..].trim().to_owned();
                let markdown = match (caption.is_empty(), link.content_is_link) {
                    // The page link's own content: shown as written.
                    (false, true) => return,
                    (false, false) => link.markdown(&escape_brackets(&caption)),
                    (true, true) => link.markdown(&link.default_text()),
                    (true, false) => return,
                };
                self.out.truncate(start);
                self.out.push_str(&markdown);
                return;
            }
        }
        match name.as_str() {
            "hint" => {
                self.hints += 1;
                if self.hints == 1 {
                    let indent = if line.started {
                        ""
                    } else {
                        line.pending_ws.as_str()
                    };
                    self.hint_indent = if indent.len() <= MAX_HINT_INDENT {
                        indent.to_owned()
                    } else {
                        String::new()
                    };
                }
                if !line.started {
                    let kind = callout_kind(tag.attr("style").as_deref());
                    self.write(&format!("[!{kind}]"), line);
                }
            }
            "endhint" => self.hints = self.hints.saturating_sub(1),
            "code" => {
                if let Some(title) = tag.attr("title").filter(|t| !t.trim().is_empty()) {
                    self.write(&format!("*{}*", escape(title.trim())), line);
                }
            }
            "stepper" => self.steppers.push(0),
            "endstepper" => {
                self.steppers.pop();
            }
            "step" => {
                let label = match self.steppers.last_mut() {
                    Some(count) => {
                        *count += 1;
                        format!("Step {count}")
                    }
                    None => "Step".to_owned(),
                };
                self.label(&label, index, after, line);
            }
            "tab" => {
                let title = tag.attr("title").unwrap_or_default();
                let title = if title.trim().is_empty() {
                    "Tab".to_owned()
                } else {
                    escape(title.trim())
                };
                self.label(&title, index, after, line);
            }
            "update" => {
                let date = tag.attr("date").unwrap_or_default();
                let date = if date.trim().is_empty() {
                    "Update".to_owned()
                } else {
                    escape(date.trim())
                };
                self.label(&date, index, after, line);
            }
            "embed" | "file" => {
                let (key, end) = if name == "embed" {
                    ("url", "endembed")
                } else {
                    ("src", "endfile")
                };
                let target = unbracket(&tag.attr(key).unwrap_or_default());
                if target.is_empty() {
                    return;
                }
                let media = end == "endfile"
                    && is_local(&target)
                    && crate::media::kind_of_name(target.split(['?', '#']).next().unwrap_or(""))
                        .is_some();
                let link = Link {
                    target,
                    end,
                    media,
                    content_is_link: false,
                };
                let caption = tag.attr("caption").filter(|c| !c.trim().is_empty());
                if let Some(caption) = caption {
                    self.write(&link.markdown(&escape(caption.trim())), line);
                } else if after.trim_start().is_empty() && self.caption_follows(index, end) {
                    self.caption_link = Some(link);
                } else {
                    self.write_capturing(link, line);
                }
            }
            "content-ref" => {
                let target = unbracket(&tag.attr("url").unwrap_or_default());
                if target.is_empty() {
                    return;
                }
                let link = Link {
                    target,
                    end: "endcontent-ref",
                    media: false,
                    content_is_link: true,
                };
                // `trim_start` stops at the first character: a check per
                // tag that stays short however long the line is.
                if !after.trim_start().is_empty() {
                    self.write_capturing(link, line);
                } else if self
                    .lines
                    .get(index + 1)
                    .is_some_and(|next| is_tag(next.trim(), "endcontent-ref"))
                {
                    // An empty page link: the page's name.
                    self.write(&link.markdown(&link.default_text()), line);
                }
            }
            "swagger" | "api-method" => {
                let method = tag.attr("method").unwrap_or_default().to_ascii_uppercase();
                let host = tag
                    .attr(if name == "swagger" { "baseUrl" } else { "host" })
                    .unwrap_or_default();
                let path = tag.attr("path").unwrap_or_default();
                let summary = tag.attr("summary").unwrap_or_default();
                let what = [method.trim(), &format!("{}{}", host.trim(), path.trim())]
                    .iter()
                    .filter(|part| !part.is_empty())
                    .map(|part| escape(part))
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut markdown = if what.is_empty() {
                    String::new()
                } else {
                    format!("**{what}**")
                };
                if !summary.trim().is_empty() {
                    if !markdown.is_empty() {
                        markdown.push_str(": ");
                    }
                    markdown.push_str(&escape(summary.trim()));
                }
                self.write(&markdown, line);
            }
            "openapi" | "openapi-operation" => {
                let method = tag.attr("method").unwrap_or_default().to_ascii_uppercase();
                let path = tag.attr("path").unwrap_or_default();
                let what = format!("{} {}", method.trim(), path.trim());
                if !what.trim().is_empty() {
                    self.write(&format!("**{}**", escape(what.trim())), line);
                }
            }
            "openapi-schemas" => {
                let schemas = tag.attr("schemas").unwrap_or_default();
                if !schemas.trim().is_empty() {
                    self.write(&format!("**Schemas: {}**", escape(schemas.trim())), line);
                }
            }
            "swagger-parameter" | "api-method-parameter" => {
                let name = tag.attr("name").unwrap_or_default();
                let details: Vec<String> = [tag.attr("in"), tag.attr("type")]
                    .into_iter()
                    .flatten()
                    .filter(|d| !d.trim().is_empty())
                    .map(|d| escape(d.trim()))
                    .chain(
                        tag.attr("required")
                            .filter(|r| r.trim().eq_ignore_ascii_case("true"))
                            .map(|_| "required".to_owned()),
                    )
                    .collect();
                let bullet = if line.started { "" } else { "- " };
                let mut markdown = format!("{bullet}**{}**", escape(name.trim()));
                if !details.is_empty() {
                    markdown.push_str(&format!(" ({})", details.join(", ")));
                }
                markdown.push(':');
                self.write(&markdown, line);
            }
            "swagger-response" | "api-method-response-example" => {
                let status = tag
                    .attr(if name == "swagger-response" {
                        "status"
                    } else {
                        "httpCode"
                    })
                    .unwrap_or_default();
                let description = tag.attr("description").unwrap_or_default();
                let mut markdown = if status.trim().is_empty() {
                    "**Response**".to_owned()
                } else {
                    format!("**Response {}**", escape(status.trim()))
                };
                if !description.trim().is_empty() {
                    markdown.push_str(&format!(": {}", escape(description.trim())));
                }
                self.write(&markdown, line);
            }
            "api-method-path-parameters" => self.write("**Path parameters**", line),
            "api-method-query-parameters" => self.write("**Query parameters**", line),
            "api-method-headers" => self.write("**Headers**", line),
            "api-method-form-data-parameters" => self.write("**Form data**", line),
            "api-method-body-parameters" => self.write("**Body**", line),
            // Blocks whose content is shown as it is.
            "tabs"
            | "columns"
            | "column"
            | "updates"
            | "swagger-description"
            | "api-method-summary"
            | "api-method-description"
            | "api-method-spec"
            | "api-method-request"
            | "api-method-response"
            | "api-method-response-example-description" => {}
            other if other.starts_with("end") => {}
            _ => self.report(tag, index),
        }
    }

    /// A step's, tab's or update's `label` (Markdown): before the text that
    /// follows the tag on its line, else on the heading that opens the block,
    /// else on the tag's line.
    fn label(&mut self, label: &str, index: usize, after: &str, line: &mut LineOut) {
        if line.started || !after.trim().is_empty() {
            self.write(&format!("**{label}:** "), line);
        } else if self
            .next_content_line(index)
            .is_some_and(|next| atx_marker_len(next).is_some())
        {
            self.heading_label = Some(label.to_owned());
        } else {
            self.write(&format!("**{label}**"), line);
        }
    }

    /// True when line `index + 1` is a caption and line `index + 2` the
    /// end tag `end`.
    fn caption_follows(&self, index: usize, end: &str) -> bool {
        let (Some(caption), Some(closing)) = (self.lines.get(index + 1), self.lines.get(index + 2))
        else {
            return false;
        };
        let caption = caption.trim();
        !caption.is_empty()
            && !caption.has("{%")
            && !caption.starts_with("```")
            && !caption.starts_with("~~~")
            && is_tag(closing.trim(), end)
    }

    /// Writes `link` with its default text; a caption before its end tag
    /// on this line replaces the text.
    fn write_capturing(&mut self, link: Link, line: &mut LineOut) {
        if link.content_is_link {
            self.start_if_needed(line);
            let at = self.out.len();
            line.capture = Some((at, at, link));
            return;
        }
        let markdown = link.markdown(&link.default_text());
        self.start_if_needed(line);
        let start = self.out.len();
        self.out.push_str(&markdown);
        line.capture = Some((start, self.out.len(), link));
    }

    fn start_if_needed(&mut self, line: &mut LineOut) {
        if !line.started {
            self.start(line);
        }
    }

    /// Reports an unknown tag (each name once, at most [`MAX_REPORTED`]).
    fn report(&mut self, tag: &Tag<'_>, index: usize) {
        let name: String = tag
            .name
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_'))
            .take(40)
            .collect();
        if self.reported.len() >= MAX_REPORTED || !self.reported.insert(name.clone()) {
            return;
        }
        let shown = if name.is_empty() {
            "{% %}".to_owned()
        } else {
            format!("{{% {name} %}}")
        };
        self.left_out.push((
            index + 1,
            format!("GitBook block `{shown}` is not shown (notedeck does not know it)"),
        ));
    }
}

/// A tag: its name and the text of its attributes.
struct Tag<'t> {
    name: &'t str,
    attrs: &'t str,
}

impl<'t> Tag<'t> {
    /// Reads the text between `{%` and `%}`.
    fn parse(inner: &'t str) -> Tag<'t> {
        let inner = inner.trim();
        let inner = inner.strip_prefix('-').unwrap_or(inner);
        let inner = inner.strip_suffix('-').unwrap_or(inner).trim();
        let end = inner.find(char::is_whitespace).unwrap_or(inner.len());
        Tag {
            name: &inner[..end],
            attrs: &inner[end..],
        }
    }

    /// The value of attribute `key` (`key="value"`, `key='value'` or
    /// `key=value`), read left to right once.
    fn attr(&self, key: &str) -> Option<String> {
        let mut rest = self.attrs;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                return None;
            }
            let name_end = rest
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(rest.len());
            let name = &rest[..name_end];
            rest = rest[name_end..].trim_start();
            let Some(value_text) = rest.strip_prefix('=') else {
                // A word without a value (`{% include "x" %}`): skipped,
                // quoted or not.
                rest = skip_word(rest);
                continue;
            };
            let value_text = value_text.trim_start();
            let (value, next) = match value_text.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &value_text[1..];
                    match body.find(quote) {
                        Some(end) => (&body[..end], &body[end + 1..]),
                        None => (body, ""),
                    }
                }
                _ => {
                    let end = value_text
                        .find(char::is_whitespace)
                        .unwrap_or(value_text.len());
                    (&value_text[..end], &value_text[end..])
                }
            };
            if name == key {
                return Some(value.to_owned());
            }
            rest = next;
        }
    }
}

/// `text` after its first word (a quoted string counts as one).
fn skip_word(text: &str) -> &str {
    match text.chars().next() {
        Some(quote @ ('"' | '\'')) => match text[1..].find(quote) {
            Some(end) => &text[end + 2..],
            None => "",
        },
        Some(_) => {
            let end = text.find(char::is_whitespace).unwrap_or(text.len());
            // A word is never empty here (the text is trimmed and not at a
            // `=`), so the scan moves on.
            &text[end.max(1).min(text.len())..]
        }
        None => "",
    }
}

/// True when `text` is exactly the tag `{% name %}`.
fn is_tag(text: &str, name: &str) -> bool {
    text.strip_prefix("{%")
        .and_then(|t| t.strip_suffix("%}"))
        .is_some_and(|inner| Tag::parse(inner).name.eq_ignore_ascii_case(name))
}

/// The callout a hint style becomes.
fn callout_kind(style: Option<&str>) -> &'static str {
    match style.map(|s| s.trim().to_ascii_lowercase()).as_deref() {
        Some("success") => "success",
        Some("warning") => "warning",
        Some("danger") => "danger",
        Some("tip") => "tip",
        _ => "info",
    }
}

/// The length of an ATX heading's marker (`## `, up to three spaces
/// before it) when `line` is one.
fn atx_marker_len(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let after = &trimmed[hashes..];
    if !(after.is_empty() || after.starts_with([' ', '\t', '\r', '\n'])) {
        return None;
    }
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    Some(line.len() - trimmed.len() + hashes + spaces)
}

/// An address as GitBook sometimes writes it, `<https://…>`, without the
/// brackets.
fn unbracket(target: &str) -> String {
    let target = target.trim();
    target
        .strip_prefix('<')
        .and_then(|t| t.strip_suffix('>'))
        .unwrap_or(target)
        .trim()
        .to_owned()
}

/// True for a path inside the space (no scheme, not `//host`).
fn is_local(target: &str) -> bool {
    !target.contains(':') && !target.starts_with("//")
}

/// `text` (an attribute's value) as Markdown text that shows it literally
/// and that no later pass reads as markup (tags, comments, cards, math).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '|' | '~' | '=' | '$'
            | '%' | '{' | '}' | '^' | ':' | '&' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A caption as a link's text: its brackets escaped, the rest its
/// author's Markdown.
fn escape_brackets(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    /// Rewrites `text` and checks what every rewrite must keep: the number
    /// of lines, and no tag outside code.
    #[track_caller]
    fn check(text: &str) -> String {
        let rewritten = rewrite(text);
        assert_eq!(
            rewritten.text.lines().count(),
            text.lines().count(),
            "lines changed:\n{}",
            rewritten.text
        );
        let mut fences = super::Fences::default();
        for line in rewritten.text.lines() {
            let quoted = line.trim_start().trim_start_matches(['>', ' ']);
            if !fences.is_code(quoted) && !quoted.contains('`') {
                assert!(!line.contains("{%"), "a tag is left: {line}");
            }
        }
        rewritten.text
    }

    #[test]
    fn hints_become_callouts_of_their_style() {
        let text = "Intro\n\n{% hint style=\"info\" %}\nFirst line\n\nSecond line\n{% endhint %}\n\n{% hint style=\"success\" %}\nDone\n{% endhint %}\n{% hint style=\"warning\" %}\nCareful\n{% endhint %}\n{% hint style=\"danger\" %}\nStop\n{% endhint %}\nAfter\n";
        assert_eq!(
            check(text),
            "Intro\n\n> [!info]\n> First line\n>\n> Second line\n\n\n> [!success]\n> Done\n\n> [!warning]\n> Careful\n\n> [!danger]\n> Stop\n\nAfter\n"
        );
    }

    #[test]
    fn a_hint_on_one_line_is_titled_with_its_text() {
        assert_eq!(
            check("{% hint style=\"warning\" %} Keep a copy {% endhint %}\n"),
            "> [!warning] Keep a copy \n"
        );
    }

    #[test]
    fn code_in_a_hint_is_quoted_and_kept() {
        let text =
            "{% hint style=\"info\" %}\nRun:\n```sh\n{% not a tag %}\n\n```\n{% endhint %}\n";
        assert_eq!(
            check(text),
            "> [!info]\n> Run:\n> ```sh\n> {% not a tag %}\n> \n> ```\n\n"
        );
    }

    #[test]
    fn hints_nest_and_keep_their_list_indentation() {
        let text = "1. Mix\n   {% hint style=\"tip\" %}\n   Slowly\n   {% hint style=\"danger\" %}\n   Hot\n   {% endhint %}\n   {% endhint %}\n";
        assert_eq!(
            check(text),
            "1. Mix\n   > [!tip]\n   > Slowly\n   > > [!danger]\n   > > Hot\n   >\n\n"
        );
    }

    #[test]
    fn code_blocks_keep_their_title() {
        let text = "{% code title=\"greet.py\" lineNumbers=\"true\" overflow=\"wrap\" %}\n```python\nprint(\"hi\")\n```\n{% endcode %}\n{% code %}\n```\nplain\n```\n{% endcode %}\n";
        assert_eq!(
            check(text),
            "*greet.py*\n```python\nprint(\"hi\")\n```\n\n\n```\nplain\n```\n\n"
        );
    }

    #[test]
    fn steps_are_numbered_on_their_heading_or_their_own_line() {
        let text = "{% stepper %}\n{% step %}\n## Boil the water\nWait for bubbles.\n{% endstep %}\n{% step %}\n\nAdd the leaves.\n{% endstep %}\n{% step %}Pour.{% endstep %}\n{% endstepper %}\n";
        assert_eq!(
            check(text),
            "\n\n## Step 1: Boil the water\nWait for bubbles.\n\n**Step 2**\n\nAdd the leaves.\n\n**Step 3:** Pour.\n\n"
        );
    }

    #[test]
    fn steppers_count_their_own_steps() {
        let text = "{% stepper %}\n{% step %}\nA\n{% stepper %}\n{% step %}\nA1\n{% endstep %}\n{% endstepper %}\n{% endstep %}\n{% step %}\nB\n{% endstep %}\n{% endstepper %}\n";
        let out = check(text);
        assert!(out.contains("**Step 1**\nA\n"), "{out}");
        assert!(out.contains("**Step 1**\nA1\n"), "{out}");
        assert!(out.contains("**Step 2**\nB\n"), "{out}");
    }

    #[test]
    fn tabs_are_labelled_blocks_and_columns_follow_each_other() {
        let text = "{% tabs %}\n{% tab title=\"Linux\" %}\n```sh\napt install tea\n```\n{% endtab %}\n\n{% tab title=\"Mac: *brew*\" %}\n### Brew\nUse brew.\n{% endtab %}\n{% endtabs %}\n{% columns %}\n{% column width=\"50%\" %}\nLeft\n{% endcolumn %}\n{% column %}\nRight\n{% endcolumn %}\n{% endcolumns %}\n";
        assert_eq!(
            check(text),
            "\n**Linux**\n```sh\napt install tea\n```\n\n\n\n### Mac\\: \\*brew\\*: Brew\nUse brew.\n\n\n\n\nLeft\n\n\nRight\n\n\n"
        );
    }

    #[test]
    fn updates_are_labelled_with_their_date() {
        let text = "{% updates format=\"full\" %}\n{% update date=\"2025-03-01\" tags=\"new\" %}\n## Faster search\nIt is faster.\n{% endupdate %}\n{% endupdates %}\n";
        assert_eq!(
            check(text),
            "\n\n## 2025-03-01: Faster search\nIt is faster.\n\n\n"
        );
    }

    #[test]
    fn embeds_page_links_and_files_become_links() {
        let text = "{% embed url=\"<https://video.example/watch?v=1>\" %}\n{% embed url=\"https://video.example/2\" %}\nA talk on tea\n{% endembed %}\n{% content-ref url=\"brewing.md\" %}\n[brewing.md](brewing.md)\n{% endcontent-ref %}\n{% content-ref url=\"../other/page.md\" %}\n{% endcontent-ref %}\n{% file src=\"https://files.example/menu.zip\" %}The menu{% endfile %}\n";
        assert_eq!(
            check(text),
            "[https\\://video.example/watch?v\\=1](<https://video.example/watch?v=1>)\n\n[A talk on tea](<https://video.example/2>)\n\n\n[brewing.md](brewing.md)\n\n[page](<../other/page.md>)\n\n[The menu](<https://files.example/menu.zip>)\n"
        );
    }

    #[test]
    fn local_media_files_are_embedded_for_the_media_pipeline() {
        let text = "{% file src=\"../.gitbook/assets/Tea guide.pdf\" %}\nThe [full] guide\n{% endfile %}\n{% file src=\".gitbook/assets/notes.docx\" %}\n{% file src=\"x.png\" caption=\"A leaf\" %}\n";
        assert_eq!(
            check(text),
            "\n![The \\[full\\] guide](<../.gitbook/assets/Tea guide.pdf>)\n\n[notes.docx](<.gitbook/assets/notes.docx>)\n![A leaf](<x.png>)\n"
        );
    }

    #[test]
    fn api_blocks_show_method_path_parameters_and_responses() {
        let text = "{% swagger method=\"get\" path=\"/teas\" baseUrl=\"https://api.example\" summary=\"List teas\" %}\n{% swagger-description %}\nAll teas.\n{% endswagger-description %}\n{% swagger-parameter in=\"query\" name=\"limit\" type=\"integer\" required=\"true\" %}\nHow many\n{% endswagger-parameter %}\n{% swagger-response status=\"200: OK\" description=\"The teas\" %}\n```json\n[]\n```\n{% endswagger-response %}\n{% endswagger %}\n{% openapi src=\"spec.yaml\" path=\"/teas\" method=\"post\" %}\n[spec.yaml](spec.yaml)\n{% endopenapi %}\n";
        assert_eq!(
            check(text),
            "**GET https\\://api.example/teas**: List teas\n\nAll teas.\n\n- **limit** (query, integer, required):\nHow many\n\n**Response 200\\: OK**: The teas\n```json\n[]\n```\n\n\n**POST /teas**\n[spec.yaml](spec.yaml)\n\n"
        );
    }

    #[test]
    fn unknown_tags_are_removed_and_reported_once_each() {
        let rewritten = rewrite(
            "A\n{% include \"/reusable/rc1\" %}\n{% include \"/reusable/rc2\" %}\n{% mystery a=1 %}x{% endmystery %}\n",
        );
        assert_eq!(rewritten.text, "A\n\n\nx\n");
        assert_eq!(
            rewritten.left_out,
            [
                (
                    2,
                    "GitBook block `{% include %}` is not shown (notedeck does not know it)"
                        .to_owned()
                ),
                (
                    4,
                    "GitBook block `{% mystery %}` is not shown (notedeck does not know it)"
                        .to_owned()
                )
            ]
        );
    }

    #[test]
    fn code_variables_and_stray_braces_stay() {
        let text = "Use `{% hint %}` in {{ space.vars.name }}.\n```\n{% hint style=\"info\" %}\n```\nA { brace and {% without a close\n";
        assert_eq!(rewrite(text).text, text);
        assert_eq!(rewrite("No tags here {{x}}\n").text, "No tags here {{x}}\n");
    }

    #[test]
    fn whitespace_control_and_quotes_are_read() {
        assert_eq!(
            check("{%- hint style='danger' -%}\nX\n{%- endhint -%}\n"),
            "> [!danger]\n> X\n\n"
        );
        assert_eq!(check("{% tab title=Plain %}text\n"), "**Plain:** text\n");
    }

    #[test]
    fn worst_cases_stay_linear_and_bounded() {
        // Each of these once could have read ahead (or quoted) without end:
        // 1 MB of each must come out about its own size.
        let mb = |unit: &str| unit.repeat((1 << 20) / unit.len());
        for text in [
            mb("{% hint %}\n"),
            format!("{}{}", " ".repeat(500_000), mb("{% hint %}\nx\n")),
            mb("{% step %}\n\n\n"),
            mb("{% tab title=\"a\" %}"),
            mb("{% file src=\"a.pdf\" %}"),
            mb("{%"),
            mb("{% x"),
            mb("{% embed url=\"u\" %}\n"),
        ] {
            let out = rewrite(&text).text;
            assert_eq!(out.lines().count(), text.lines().count());
            assert!(out.len() <= 4 * text.len() + 1024, "{} bytes", out.len());
        }
    }
}
