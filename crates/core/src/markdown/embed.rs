//! The part of a note another note embeds: `![[Note]]` (the whole note),
//! `![[Note#Heading]]` (that heading's section) or `![[Note#^id]]` (the
//! block carrying that id).

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

/// The paragraph or list item ending in ` ^id`, without the id; for `^id`
/// alone on a line, the block above it (a table, a quote).
fn block(body: &str, id: &str) -> Option<String> {
    let lines: Vec<&str> = body.lines().collect();
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
    for line in body.lines() {
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
}
