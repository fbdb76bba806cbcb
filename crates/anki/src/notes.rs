//! An Anki collection as Markdown notes the user owns: one note per deck
//! (sub-decks as folders), each Anki note as the card syntax notedeck
//! reads: a Basic note `Front::Back`, Basic-and-reversed `Front:::Back`
//! (the optional reverse only when its field is filled), a Cloze note its
//! text with `{{cN::…::hint}}` as it is (its Back Extra after a line
//! break), any other note type a card over several lines: its first field,
//! `?`, the others labelled. Notes are grouped under their tags (a
//! section per set of tags, the tags on its first line), so each card
//! carries them. Pure: no files are touched here (see `write`).

use std::collections::{BTreeMap, HashMap};

use crate::collection::{AnkiCollection, Kind, Note, NoteType};
use crate::html;

/// How a note type was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Mapping {
    /// `Front::Back`.
    Basic,
    /// `Front:::Back`.
    Reversed,
    /// `Front::Back`, or `Front:::Back` when its third field is filled.
    OptionalReversed,
    /// Its text with its clozes.
    Cloze,
    /// A card over several lines: the first field, `?`, the others
    /// labelled.
    Fields,
}

impl Mapping {
    /// How it is named in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Mapping::Basic => "basic (Front::Back)",
            Mapping::Reversed => "reversed (Front:::Back)",
            Mapping::OptionalReversed => "basic, reversed when its reverse field is filled",
            Mapping::Cloze => "cloze ({{c1::…}})",
            Mapping::Fields => "a card: its first field, then the others labelled",
        }
    }
}

/// How a note type maps: by its kind and templates.
pub fn mapping_of(notetype: &NoteType) -> Mapping {
    if notetype.kind == Kind::Cloze {
        return Mapping::Cloze;
    }
    let mentions = |format: &str, field: &str| {
        format.contains(&format!("{{{{{field}}}}}")) || format.contains(&format!(":{field}}}}}"))
    };
    let (Some(first), Some(second)) = (notetype.fields.first(), notetype.fields.get(1)) else {
        return Mapping::Fields;
    };
    let forward = |t: &crate::collection::Template| {
        mentions(&t.front, first)
            && !t.front.contains(&format!("{{{{{second}}}}}"))
            && mentions(&t.back, second)
    };
    let backward =
        |t: &crate::collection::Template| mentions(&t.front, second) && mentions(&t.back, first);
    match notetype.templates.as_slice() {
        [one] if forward(one) && notetype.fields.len() == 2 => Mapping::Basic,
        [one, two] if forward(one) && backward(two) => match notetype.fields.get(2) {
            Some(third) if two.front.contains(&format!("{{{{#{third}}}}}")) => {
                Mapping::OptionalReversed
            }
            _ if notetype.fields.len() == 2 => Mapping::Reversed,
            _ => Mapping::Fields,
        },
        _ => Mapping::Fields,
    }
}

/// One note file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFile {
    /// Its path under the folder written into, with `/`.
    pub path: String,
    /// The Anki deck it holds.
    pub deck: String,
    /// Its text.
    pub text: String,
    /// The Anki notes in it.
    pub notes: usize,
}

/// Where one Anki note was written: its cards are the notedeck cards its
/// note file makes at that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The note file (its path under the folder).
    pub file: String,
    /// The line (1-based, as written, front matter included) it starts on.
    pub line: i64,
    /// The Anki note's id.
    pub note: i64,
    /// The Anki note's guid.
    pub guid: String,
    /// How it was written.
    pub mapping: Mapping,
    /// Written both ways (a reversed note, or an optional reverse filled).
    pub both_ways: bool,
}

/// What the conversion made and left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Converted {
    /// The note files.
    pub files: Vec<NoteFile>,
    /// Where each note written went.
    pub blocks: Vec<Block>,
    /// Each note type by name, how it was written, and its notes.
    pub notetypes: Vec<(String, Mapping, usize)>,
    /// Notes left out, each with why.
    pub skipped: Vec<String>,
    /// Media names the notes use.
    pub media_used: Vec<String>,
    /// Media names the notes use that the package lacks (web addresses
    /// aside).
    pub media_missing: Vec<String>,
}

/// The folder the media are copied into, under the folder written into.
pub const MEDIA_FOLDER: &str = "media";

/// Converts the collection; `has_media` says whether the package holds a
/// media file (a reference to one it lacks is kept and reported).
pub fn convert(collection: &AnkiCollection, has_media: &dyn Fn(&str) -> bool) -> Converted {
    let mut converted = Converted::default();
    let decks = collection.deck_names();
    let types: HashMap<i64, (&NoteType, Mapping)> = collection
        .notetypes
        .iter()
        .map(|t| (t.id, (t, mapping_of(t))))
        .collect();
    // Each note's deck: its first card's.
    let mut deck_of: HashMap<i64, i64> = HashMap::new();
    for card in &collection.cards {
        deck_of.entry(card.note).or_insert(card.deck);
    }
    let mut by_deck: BTreeMap<String, Vec<&Note>> = BTreeMap::new();
    let mut counts: BTreeMap<(String, Mapping), usize> = BTreeMap::new();
    for note in &collection.notes {
        let Some(&(notetype, mapping)) = types.get(&note.notetype) else {
            converted.skipped.push(format!(
                "note {}: its note type is missing from the package",
                note.guid
            ));
            continue;
        };
        let Some(deck) = deck_of.get(&note.id).and_then(|d| decks.get(d)) else {
            converted
                .skipped
                .push(format!("note {}: it has no cards", note.guid));
            continue;
        };
        *counts.entry((notetype.name.clone(), mapping)).or_default() += 1;
        by_deck.entry((*deck).to_owned()).or_default().push(note);
    }
    converted.notetypes = counts
        .into_iter()
        .map(|((name, mapping), n)| (name, mapping, n))
        .collect();
    let used: std::cell::RefCell<std::collections::BTreeSet<String>> = Default::default();
    let missing: std::cell::RefCell<std::collections::BTreeSet<String>> = Default::default();
    for (deck, notes) in by_deck {
        let path = deck_path(&deck);
        let depth = path.matches('/').count();
        let media_prefix = format!("{}{MEDIA_FOLDER}/", "../".repeat(depth));
        let media = |name: &str| -> Option<String> {
            if has_media(name) {
                used.borrow_mut().insert(name.to_owned());
                Some(format!("{media_prefix}{name}"))
            } else {
                if !name.contains("://") {
                    missing.borrow_mut().insert(name.to_owned());
                }
                None
            }
        };
        let leaf = deck.rsplit("::").next().unwrap_or(&deck);
        let mut text = format!(
            "---\ntitle: {}\nanki_deck: {}\n---\n",
            json_string(leaf),
            json_string(&deck)
        );
        // Notes grouped under their tags, untagged ones first (before any
        // heading): a section per set of tags, the tags on its first line,
        // so its cards carry them.
        let mut groups: BTreeMap<Vec<String>, Vec<&Note>> = BTreeMap::new();
        for note in &notes {
            groups.entry(tags_of(note)).or_default().push(note);
        }
        let mut written = 0;
        let (mut newlines, mut counted) = (0, 0);
        for (tags, group) in groups {
            let mut heading_written = false;
            for note in group {
                let (notetype, mapping) = types[&note.notetype];
                let block = match note_text(note, notetype, mapping, &media) {
                    Ok(block) => block,
                    Err(why) => {
                        converted.skipped.push(format!(
                            "note {} ({}, deck {deck}): {why}",
                            note.guid, notetype.name
                        ));
                        continue;
                    }
                };
                if !tags.is_empty() && !heading_written {
                    let shown: Vec<&str> = tags.iter().map(String::as_str).collect();
                    let line: Vec<String> = tags.iter().map(|t| format!("#{t}")).collect();
                    text.push_str(&format!(
                        "\n## Tagged {}\n\n{}\n",
                        shown.join(", "),
                        line.join(" ")
                    ));
                    heading_written = true;
                }
                text.push('\n');
                // Its first line, counting the line `write::stamped` adds.
                // (The lines counted so far are kept: counting the whole
                // text again for each note is quadratic in a deck's size.)
                newlines += text.as_bytes()[counted..]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                counted = text.len();
                let line = newlines as i64 + 2;
                converted.blocks.push(Block {
                    file: path.clone(),
                    line,
                    note: note.id,
                    guid: note.guid.clone(),
                    mapping,
                    both_ways: block.lines().next().is_some_and(|l| l.contains(":::")),
                });
                text.push_str(&block);
                text.push('\n');
                written += 1;
            }
        }
        converted.files.push(NoteFile {
            path,
            deck,
            text,
            notes: written,
        });
    }
    converted.media_used = used.into_inner().into_iter().collect();
    converted.media_missing = missing.into_inner().into_iter().collect();
    converted
}

/// One note as Markdown (`Err`: why it makes no card).
fn note_text(
    note: &Note,
    notetype: &NoteType,
    mapping: Mapping,
    media: &dyn Fn(&str) -> Option<String>,
) -> Result<String, String> {
    let field = |i: usize| {
        note.fields
            .get(i)
            .map(|f| html::to_markdown(f, media))
            .unwrap_or_default()
    };
    match mapping {
        Mapping::Basic | Mapping::Reversed | Mapping::OptionalReversed => {
            let (front, back) = (side(&field(0)), side(&field(1)));
            if front.is_empty() || back.is_empty() {
                return Err("an empty front or back".into());
            }
            let both = mapping == Mapping::Reversed
                || mapping == Mapping::OptionalReversed && !field(2).trim().is_empty();
            Ok(format!("{front}{}{back}", if both { ":::" } else { "::" }))
        }
        Mapping::Cloze => {
            let text = block_start(&field(0));
            if !text.contains("{{c") {
                return Err("a cloze note without a cloze".into());
            }
            let extra = note
                .fields
                .get(1)
                .map(|f| html::to_markdown(f, media))
                .filter(|e| !e.trim().is_empty());
            Ok(match extra {
                Some(extra) => format!("{text}<br>{extra}"),
                None => text,
            })
        }
        Mapping::Fields => {
            // A written card over several lines: the first field, `?`,
            // the others labelled on one line.
            let front = side(&field(0).replace("<br>", " "));
            if front.is_empty() {
                return Err(format!(
                    "its first field ({}) is empty",
                    notetype.fields.first().map_or("", String::as_str)
                ));
            }
            let back: Vec<String> = notetype
                .fields
                .iter()
                .enumerate()
                .skip(1)
                .filter_map(|(i, name)| {
                    let value = field(i);
                    (!value.trim().is_empty())
                        .then(|| format!("*{}:* {}", html_name(name), value.replace("::", r":\:")))
                })
                .collect();
            if back.is_empty() {
                return Err("only its first field is filled".into());
            }
            Ok(format!("{front}\n?\n{}", back.join("<br>")))
        }
    }
}

/// A side of a written card: `::` escaped (it would split the line), and
/// a start Markdown would read as a block (a list, a quote, HTML) made
/// plain text.
fn side(text: &str) -> String {
    block_start(&text.replace("::", r":\:"))
}

/// `text` with a start Markdown would read as a block made plain text.
fn block_start(text: &str) -> String {
    let text = text.trim();
    let first = text.chars().next();
    let numbered = text.split_once(['.', ')']).is_some_and(|(n, _)| {
        !n.is_empty() && n.len() <= 9 && n.bytes().all(|b| b.is_ascii_digit())
    });
    match first {
        Some('-' | '+' | '>') => format!("\\{text}"),
        Some('<') => format!("&#8203;{text}"),
        _ if numbered => {
            let at = text.find(['.', ')']).unwrap_or(0);
            format!("{}\\{}", &text[..at], &text[at..])
        }
        _ => text.to_owned(),
    }
}

/// A field's name shown as a label (markup characters escaped).
fn html_name(name: &str) -> String {
    html::to_markdown(&name.replace('<', "&lt;"), &|_| None)
}

/// A note's tags as notedeck tags: `::` levels as `/`, other characters
/// a tag cannot hold as `-`, starting with a letter.
fn tags_of(note: &Note) -> Vec<String> {
    let mut tags: Vec<String> = note
        .tags
        .iter()
        .map(|t| {
            let t = t.replace("::", "/");
            let mut tag: String = t
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '_' | '-' | '/') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            if !tag.chars().next().is_some_and(char::is_alphabetic) {
                tag.insert_str(0, "anki-");
            }
            tag
        })
        .collect();
    tags.sort();
    tags.dedup();
    tags
}

/// A deck's note path: its levels as folders, each made a safe file name.
pub fn deck_path(deck: &str) -> String {
    let parts: Vec<String> = deck.split("::").map(file_name).collect();
    format!("{}.md", parts.join("/"))
}

/// A deck level as a file name: no separators, no characters file
/// systems refuse, not hidden, not empty.
fn file_name(level: &str) -> String {
    let name: String = level
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '-'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim().trim_start_matches('.').trim().to_owned();
    let name: String = name.chars().take(100).collect();
    if name.is_empty() {
        "Deck".to_owned()
    } else {
        name
    }
}

/// A string as YAML reads it (JSON's quoting).
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::Template;

    fn notetype(fields: &[&str], templates: &[(&str, &str)], kind: Kind) -> NoteType {
        NoteType {
            id: 1,
            name: "t".into(),
            kind,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            templates: templates
                .iter()
                .map(|(q, a)| Template {
                    name: "c".into(),
                    front: q.to_string(),
                    back: a.to_string(),
                })
                .collect(),
        }
    }

    #[test]
    fn note_types_map_by_their_templates() {
        let basic = notetype(
            &["Front", "Back"],
            &[("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}")],
            Kind::Normal,
        );
        assert_eq!(mapping_of(&basic), Mapping::Basic);
        let reversed = notetype(
            &["Front", "Back"],
            &[
                ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
                ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
            ],
            Kind::Normal,
        );
        assert_eq!(mapping_of(&reversed), Mapping::Reversed);
        let optional = notetype(
            &["Front", "Back", "Add Reverse"],
            &[
                ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
                (
                    "{{#Add Reverse}}{{Back}}{{/Add Reverse}}",
                    "{{FrontSide}}<hr id=answer>{{Front}}",
                ),
            ],
            Kind::Normal,
        );
        assert_eq!(mapping_of(&optional), Mapping::OptionalReversed);
        let cloze = notetype(
            &["Text", "Back Extra"],
            &[("{{cloze:Text}}", "")],
            Kind::Cloze,
        );
        assert_eq!(mapping_of(&cloze), Mapping::Cloze);
        let vocab = notetype(
            &["Word", "Meaning", "Example"],
            &[("{{Word}}", "{{Meaning}}<br>{{Example}}")],
            Kind::Normal,
        );
        assert_eq!(mapping_of(&vocab), Mapping::Fields);
    }

    #[test]
    fn sides_never_split_the_line_or_open_a_block() {
        assert_eq!(side("std::vec"), r"std:\:vec");
        assert_eq!(side("- item"), r"\- item");
        assert_eq!(side("1. first"), r"1\. first");
        assert_eq!(side("<ul><li>a</li></ul>"), "&#8203;<ul><li>a</li></ul>");
        assert_eq!(deck_path("Biology::Cells"), "Biology/Cells.md");
        assert_eq!(deck_path("a/b::..::"), "a-b/Deck/Deck.md");
    }
}
