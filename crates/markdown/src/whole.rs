//! A whole note as one read-only page: what "Open note" shows on a device
//! that cannot open the file (a phone). The note goes through the same
//! passes as its cards (front matter left out, Obsidian, Logseq and Liquid
//! syntax, nesting limits, footnotes) and the same sanitiser, but is
//! rendered in one piece, headings and text between them included.

use crate::render::{self, RenderContext};
use crate::{budget, frontmatter, logseq};

/// The note `text` as sanitised HTML; `jekyll_site` as for its cards;
/// `resolve_image` maps an image reference to its `src` (or `None`).
pub fn render_whole_note(
    text: &str,
    jekyll_site: bool,
    resolve_image: &mut dyn FnMut(&str, bool) -> Option<String>,
) -> String {
    let (front, body, _) = frontmatter::split(text);
    let logseq_page;
    let body = if logseq::looks_like_logseq(body) {
        logseq_page = logseq::to_markdown_with(body, None).0;
        logseq_page.as_str()
    } else {
        body
    };
    let jekyll = jekyll_site || front.jekyll;
    let (body, footnotes) = crate::syntax_passes(body, jekyll);
    let link_definitions = crate::link_definitions(&body);
    let mut ctx = RenderContext {
        link_definitions: &link_definitions,
        footnotes: &footnotes,
        kramdown_math: jekyll,
        resolve_image,
        resolve_note: None,
        embed_stack: Vec::new(),
        problems: Vec::new(),
        embeds_notes: false,
        sanitize_all: true,
        budget: budget::Budget::for_note(text.len()),
        refused_embeds: Default::default(),
    };
    render::render_block(&body, &mut ctx).html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_note_is_one_sanitised_page_without_its_front_matter() {
        let note = "---\ntitle: Cells\ntags: [bio]\n---\nAn intro line.\n\n# Cells\n\nText under the title.\n\n## Nucleus\nHolds the [[DNA]].<script>alert(1)</script>\n\n![a cell](cell.png)\n";
        let mut asked = Vec::new();
        let html = render_whole_note(note, false, &mut |reference, _| {
            asked.push(reference.to_owned());
            Some(format!("media/{reference}"))
        });
        assert!(!html.contains("tags:"), "{html}");
        assert!(html.contains("An intro line."), "{html}");
        assert!(
            html.contains("<h1>Cells</h1>") && html.contains("<h2>Nucleus</h2>"),
            "{html}"
        );
        assert!(html.contains("DNA") && !html.contains("[[DNA]]"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains(r#"src="media/cell.png""#), "{html}");
        assert_eq!(asked, ["cell.png"]);
    }
}
