//! What an Anki collection holds, read with SQLite (read-only) from either
//! schema: 11 (decks and note types as JSON in `col`) or 18 (tables
//! `decks`, `notetypes`, `fields`, `templates`, their configs protobuf).
//! Notes, cards and the review log are the same table shapes in both.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::AnkiError;

/// A deck, its name with `::` between levels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deck {
    /// Anki's id.
    pub id: i64,
    /// `Parent::Child`.
    pub name: String,
}

/// What kind of note type: cards from templates, or clozes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One card per template.
    Normal,
    /// One card per cloze number.
    Cloze,
}

/// A card template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Its name.
    pub name: String,
    /// The front's format (`{{Front}}`).
    pub front: String,
    /// The back's format.
    pub back: String,
}

/// A note type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteType {
    /// Anki's id.
    pub id: i64,
    /// Its name (`Basic`, `Cloze`, or the user's).
    pub name: String,
    /// Normal or cloze.
    pub kind: Kind,
    /// Its fields' names in order.
    pub fields: Vec<String>,
    /// Its templates in order.
    pub templates: Vec<Template>,
}

/// A note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Anki's id.
    pub id: i64,
    /// Its globally unique id (kept across exports).
    pub guid: String,
    /// Its note type.
    pub notetype: i64,
    /// Its tags (`cells::organelles` kept as Anki writes it).
    pub tags: Vec<String>,
    /// Its fields' HTML, in the note type's order.
    pub fields: Vec<String>,
}

/// A card and its schedule as Anki keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Anki's id.
    pub id: i64,
    /// Its note.
    pub note: i64,
    /// Its deck (its home deck when in a filtered one).
    pub deck: i64,
    /// Which template (or cloze number − 1).
    pub ord: i64,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// 0 new, 1 learning, 2 review, 3 day learning, 4 preview, −1
    /// suspended, −2 and −3 buried.
    pub queue: i64,
    /// New: position; review: day number from the collection's creation;
    /// learning: a time (seconds).
    pub due: i64,
    /// Interval in days.
    pub interval: i64,
    /// Ease factor in permille (2500).
    pub factor: i64,
    /// Answers.
    pub reps: i64,
    /// Lapses.
    pub lapses: i64,
    /// Flag colour in the low three bits.
    pub flags: i64,
    /// Its card data (JSON: FSRS memory state `s`, `d`, and more).
    pub data: String,
}

/// One entry of Anki's review log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Its id: the answer's time in milliseconds.
    pub id: i64,
    /// The card.
    pub card: i64,
    /// The button: 1 again, 2 hard, 3 good, 4 easy (0: a manual entry).
    pub ease: i8,
    /// 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i8,
    /// Interval after (days; negative: seconds).
    pub interval: i32,
    /// Interval before.
    pub last_interval: i32,
    /// Ease factor after, permille.
    pub factor: i32,
    /// Time taken, milliseconds.
    pub time_ms: i32,
}

/// An Anki collection read whole.
#[derive(Debug, Clone, Default)]
pub struct AnkiCollection {
    /// Its schema version (11 or 18).
    pub schema: i64,
    /// Its creation time (seconds): review due days count from its day.
    pub created: i64,
    /// Its decks.
    pub decks: Vec<Deck>,
    /// Its note types.
    pub notetypes: Vec<NoteType>,
    /// Its notes.
    pub notes: Vec<Note>,
    /// Its cards.
    pub cards: Vec<Card>,
    /// Its review log, oldest first.
    pub reviews: Vec<Review>,
}

impl AnkiCollection {
    /// Reads the collection at `path` (a copy taken out of a package).
    pub fn read(path: &Path) -> Result<AnkiCollection, AnkiError> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(not_anki)?;
        // Schema 18 orders names with Anki's own collation: Unicode case
        // folding (lower case is close enough for reading).
        conn.create_collation("unicase", |a: &str, b: &str| {
            a.to_lowercase().cmp(&b.to_lowercase())
        })
        .map_err(not_anki)?;
        let (schema, created): (i64, i64) = conn
            .query_row("SELECT ver, crt FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(not_anki)?;
        if !(11..=18).contains(&schema) {
            return Err(AnkiError::Schema(schema));
        }
        let (decks, notetypes) = if schema >= 15 {
            (decks_18(&conn)?, notetypes_18(&conn)?)
        } else {
            legacy_decks_and_types(&conn)?
        };
        Ok(AnkiCollection {
            schema,
            created,
            decks,
            notetypes,
            notes: notes(&conn)?,
            cards: cards(&conn)?,
            reviews: reviews(&conn)?,
        })
    }

    /// Each deck's name by id.
    pub fn deck_names(&self) -> HashMap<i64, &str> {
        self.decks.iter().map(|d| (d.id, d.name.as_str())).collect()
    }
}

fn not_anki(e: rusqlite::Error) -> AnkiError {
    AnkiError::NotAnki(e.to_string())
}

fn decks_18(conn: &Connection) -> Result<Vec<Deck>, AnkiError> {
    let mut stmt = conn
        .prepare("SELECT id, name FROM decks")
        .map_err(not_anki)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Deck {
                id: r.get(0)?,
                name: r.get::<_, String>(1)?.replace('\u{1f}', "::"),
            })
        })
        .map_err(not_anki)?;
    rows.collect::<rusqlite::Result<_>>().map_err(not_anki)
}

fn notetypes_18(conn: &Connection) -> Result<Vec<NoteType>, AnkiError> {
    let mut types: Vec<NoteType> = {
        let mut stmt = conn
            .prepare("SELECT id, name, config FROM notetypes ORDER BY id")
            .map_err(not_anki)?;
        let rows = stmt
            .query_map([], |r| {
                let config: Vec<u8> = r.get(2)?;
                Ok(NoteType {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: if crate::proto::number(&config, 1) == Some(1) {
                        Kind::Cloze
                    } else {
                        Kind::Normal
                    },
                    fields: Vec::new(),
                    templates: Vec::new(),
                })
            })
            .map_err(not_anki)?;
        rows.collect::<rusqlite::Result<_>>().map_err(not_anki)?
    };
    let index: HashMap<i64, usize> = types.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let mut stmt = conn
        .prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")
        .map_err(not_anki)?;
    let fields = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(not_anki)?;
    for field in fields {
        let (ntid, name) = field.map_err(not_anki)?;
        if let Some(&i) = index.get(&ntid) {
            types[i].fields.push(name);
        }
    }
    let mut stmt = conn
        .prepare("SELECT ntid, name, config FROM templates ORDER BY ntid, ord")
        .map_err(not_anki)?;
    let templates = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
        .map_err(not_anki)?;
    for template in templates {
        let (ntid, name, config) = template.map_err(not_anki)?;
        if let Some(&i) = index.get(&ntid) {
            types[i].templates.push(Template {
                name,
                front: crate::proto::string(&config, 1).unwrap_or_default(),
                back: crate::proto::string(&config, 2).unwrap_or_default(),
            });
        }
    }
    Ok(types)
}

fn legacy_decks_and_types(conn: &Connection) -> Result<(Vec<Deck>, Vec<NoteType>), AnkiError> {
    let (models, decks): (String, String) = conn
        .query_row("SELECT models, decks FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(not_anki)?;
    let json = |text: &str| -> Result<serde_json::Map<String, serde_json::Value>, AnkiError> {
        serde_json::from_str(text)
            .map_err(|e| AnkiError::NotAnki(format!("its note types or decks are not JSON ({e})")))
    };
    let text = |v: &serde_json::Value, key: &str| {
        v.get(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut deck_list: Vec<Deck> = json(&decks)?
        .values()
        .filter_map(|d| {
            Some(Deck {
                id: d.get("id")?.as_i64()?,
                name: text(d, "name"),
            })
        })
        .collect();
    deck_list.sort_by_key(|d| d.id);
    let mut types: Vec<NoteType> = json(&models)?
        .values()
        .filter_map(|m| {
            let list = |key: &str| {
                let mut items: Vec<&serde_json::Value> = m
                    .get(key)
                    .and_then(serde_json::Value::as_array)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                items.sort_by_key(|f| f.get("ord").and_then(serde_json::Value::as_i64));
                items
            };
            Some(NoteType {
                id: m.get("id")?.as_i64()?,
                name: text(m, "name"),
                kind: if m.get("type").and_then(serde_json::Value::as_i64) == Some(1) {
                    Kind::Cloze
                } else {
                    Kind::Normal
                },
                fields: list("flds").into_iter().map(|f| text(f, "name")).collect(),
                templates: list("tmpls")
                    .into_iter()
                    .map(|t| Template {
                        name: text(t, "name"),
                        front: text(t, "qfmt"),
                        back: text(t, "afmt"),
                    })
                    .collect(),
            })
        })
        .collect();
    types.sort_by_key(|t| t.id);
    Ok((deck_list, types))
}

fn notes(conn: &Connection) -> Result<Vec<Note>, AnkiError> {
    let mut stmt = conn
        .prepare("SELECT id, guid, mid, tags, flds FROM notes ORDER BY id")
        .map_err(not_anki)?;
    let rows = stmt
        .query_map([], |r| {
            let tags: String = r.get(3)?;
            let fields: String = r.get(4)?;
            Ok(Note {
                id: r.get(0)?,
                guid: r.get(1)?,
                notetype: r.get(2)?,
                tags: tags.split_whitespace().map(str::to_owned).collect(),
                fields: fields.split('\u{1f}').map(str::to_owned).collect(),
            })
        })
        .map_err(not_anki)?;
    rows.collect::<rusqlite::Result<_>>().map_err(not_anki)
}

fn cards(conn: &Connection) -> Result<Vec<Card>, AnkiError> {
    let mut stmt = conn
        .prepare(
            "SELECT id, nid, CASE WHEN odid != 0 THEN odid ELSE did END, ord, type, queue,
                 CASE WHEN odid != 0 THEN odue ELSE due END, ivl, factor, reps, lapses, flags,
                 coalesce(data, '')
             FROM cards ORDER BY nid, ord",
        )
        .map_err(not_anki)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Card {
                id: r.get(0)?,
                note: r.get(1)?,
                deck: r.get(2)?,
                ord: r.get(3)?,
                kind: r.get(4)?,
                queue: r.get(5)?,
                due: r.get(6)?,
                interval: r.get(7)?,
                factor: r.get(8)?,
                reps: r.get(9)?,
                lapses: r.get(10)?,
                flags: r.get(11)?,
                data: r.get(12)?,
            })
        })
        .map_err(not_anki)?;
    rows.collect::<rusqlite::Result<_>>().map_err(not_anki)
}

fn reviews(conn: &Connection) -> Result<Vec<Review>, AnkiError> {
    // Sized once: a log of millions of entries is not grown by doubling.
    let count: i64 = conn
        .query_row("SELECT count(*) FROM revlog", [], |r| r.get(0))
        .map_err(not_anki)?;
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut stmt = conn
        .prepare("SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id")
        .map_err(not_anki)?;
    let rows = stmt
        .query_map([], |r| {
            let small = |i: usize| -> rusqlite::Result<i32> {
                Ok(r.get::<_, i64>(i)?
                    .clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32)
            };
            Ok(Review {
                id: r.get(0)?,
                card: r.get(1)?,
                ease: small(2)?.clamp(-1, 9) as i8,
                interval: small(3)?,
                last_interval: small(4)?,
                factor: small(5)?,
                time_ms: small(6)?,
                kind: small(7)?.clamp(-1, 9) as i8,
            })
        })
        .map_err(not_anki)?;
    for row in rows {
        out.push(row.map_err(not_anki)?);
    }
    Ok(out)
}
