//! YAML front matter: the `---` block at the top of Obsidian and Jekyll notes.

use serde_yaml_ng::Value;

/// What notedeck reads from a note's front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontMatter {
    /// `title:`, when present and not empty.
    pub title: Option<String>,
    /// `tags:` (a list, or a string split on commas and spaces), without `#`.
    pub tags: Vec<String>,
    /// Set when the block was there but was not valid YAML.
    pub error: Option<String>,
    /// `layout` or `permalink` is set: a Jekyll page or post.
    pub jekyll: bool,
    /// `notedeck: false`: the author wants no cards from this note.
    pub no_cards: bool,
}

/// Splits `text` into its front matter and the body after it.
///
/// Returns the parsed front matter, the body, and the number of lines the
/// front matter took (so body line numbers can be mapped back to the file).
pub fn split(text: &str) -> (FrontMatter, &str, usize) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (FrontMatter::default(), text, 0);
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let lines = 2 + yaml.lines().count();
            return (parse(yaml), body, lines);
        }
        offset += line.len();
    }
    (FrontMatter::default(), text, 0)
}

fn parse(yaml: &str) -> FrontMatter {
    if yaml.trim().is_empty() {
        return FrontMatter::default();
    }
    let value: Value = match serde_yaml_ng::from_str(yaml) {
        Ok(value) => value,
        Err(err) => {
            return FrontMatter {
                error: Some(format!("front matter is not valid YAML ({err})")),
                ..FrontMatter::default()
            }
        }
    };
    let title = value
        .get("title")
        .and_then(scalar_text)
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let mut tags = Vec::new();
    for key in ["tags", "tag"] {
        match value.get(key) {
            Some(Value::Sequence(items)) => {
                tags.extend(items.iter().filter_map(scalar_text));
            }
            Some(other) => {
                if let Some(text) = scalar_text(other) {
                    tags.extend(
                        text.split([',', ' '])
                            .filter(|t| !t.is_empty())
                            .map(str::to_owned),
                    );
                }
            }
            None => {}
        }
    }
    let tags = tags
        .into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    let jekyll = value.get("layout").is_some() || value.get("permalink").is_some();
    let no_cards = matches!(value.get("notedeck"), Some(Value::Bool(false)))
        || value
            .get("notedeck")
            .and_then(scalar_text)
            .is_some_and(|t| matches!(t.trim(), "false" | "no" | "off"));
    FrontMatter {
        title,
        tags,
        error: None,
        jekyll,
        no_cards,
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_tags_and_body() {
        let (fm, body, lines) = split("---\ntitle: My note\ntags:\n  - a\n  - '#b'\n---\nBody\n");
        assert_eq!(fm.title.as_deref(), Some("My note"));
        assert_eq!(fm.tags, ["a", "b"]);
        assert_eq!(body, "Body\n");
        assert_eq!(lines, 6);
    }

    #[test]
    fn string_tags_and_empty_values() {
        let (fm, _, _) = split("---\ntitle:\ntags: ML, notes\nurl:\n---\n");
        assert_eq!(fm.title, None);
        assert_eq!(fm.tags, ["ML", "notes"]);
    }

    #[test]
    fn broken_yaml_is_reported_not_fatal() {
        let (fm, body, _) = split("---\ntitle: [unclosed\n---\ntext");
        assert!(fm.error.is_some());
        assert_eq!(body, "text");
    }

    #[test]
    fn no_front_matter() {
        let (fm, body, lines) = split("# Heading\n---\n");
        assert_eq!(fm, FrontMatter::default());
        assert_eq!(body, "# Heading\n---\n");
        assert_eq!(lines, 0);
    }
}
