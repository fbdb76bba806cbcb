//! notedeck's cards as an Anki package (`.apkg` in the legacy format,
//! schema 11, which current Anki and AnkiDroid import): each card a note of
//! notedeck's own note types (Basic, Basic and reversed, Cloze) with the
//! card's rendered HTML and its breadcrumb as a field, math as MathJax
//! `\(…\)`/`\[…\]`, media included; a guid made from the card's id, so
//! exporting again updates the notes in Anki instead of duplicating them.
//! With progress, each card's schedule and review log come along.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use notedeck_core::model::{CardKind, CardState};
use notedeck_core::scheduler::AnswerKind;
use notedeck_core::storage::{CardRow, Collection, ReviewRow};
use rusqlite::params;

use crate::AnkiError;

/// notedeck's note types in the package (ids fixed, so Anki keeps one of
/// each across exports).
const BASIC_ID: i64 = 1_700_000_000_001;
const REVERSED_ID: i64 = 1_700_000_000_002;
const CLOZE_ID: i64 = 1_700_000_000_003;

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exported {
    /// Notes written.
    pub notes: usize,
    /// Cards written.
    pub cards: usize,
    /// Review-log entries written (with progress).
    pub reviews: usize,
    /// Media files included.
    pub media: usize,
    /// Media the cards name that the media folder lacks.
    pub media_missing: Vec<String>,
}

/// One Anki note to write: its note type, guid, fields, tags, and the
/// notedeck cards that are its cards (by ord).
struct NoteOut<'a> {
    model: i64,
    guid: String,
    fields: [String; 3],
    tags: Vec<String>,
    deck: &'a str,
    cards: Vec<&'a CardRow>,
}

/// Writes the cards of `deck` (all when none) to `out`. The cards are
/// read one note at a time and written as they come: memory holds one
/// note's cards, whatever the collection's size.
pub fn export(
    collection: &Collection,
    deck: Option<&str>,
    with_progress: bool,
    out: &Path,
    now: DateTime<Utc>,
) -> Result<Exported, AnkiError> {
    let core = |e: notedeck_core::Error| AnkiError::NotAnki(e.to_string());
    let reader = collection.reader();
    // The decks first (the collection's row names them all), in the order
    // the cards come: by name.
    let mut decks: Vec<String> = Vec::new();
    reader
        .for_each_card_without_html(deck, &mut |card| {
            if card.state != CardState::Retired && decks.last() != Some(&card.deck) {
                decks.push(card.deck);
            }
            Ok(())
        })
        .map_err(core)?;
    let dir = tempfile::tempdir().map_err(|e| unwritable(out, e))?;
    let db = dir.path().join("collection.anki2");
    let conn = rusqlite::Connection::open(&db).map_err(|e| unwritable(out, e))?;
    let mut writer =
        AnkiWriter::start(&conn, &decks, with_progress, now).map_err(|e| unwritable(out, e))?;
    let mut media: BTreeSet<String> = BTreeSet::new();
    let mut note_cards: Vec<CardRow> = Vec::new();
    // A write that failed, kept while the walk stops.
    let mut failed: Option<rusqlite::Error> = None;
    let mut flush = |cards: &mut Vec<CardRow>| -> notedeck_core::Result<()> {
        let notes = notes_of(cards, &mut media);
        for note in &notes {
            let histories = note
                .cards
                .iter()
                .map(|card| {
                    if !with_progress {
                        return Ok(Vec::new());
                    }
                    let (reviews, _) = reader.card_history(&card.id)?;
                    Ok(reviews.iter().filter_map(revlog_of).collect())
                })
                .collect::<notedeck_core::Result<Vec<Vec<Revlog>>>>()?;
            if let Err(e) = writer.note(note, &histories) {
                failed = Some(e);
                return Err(notedeck_core::Error::io(
                    "writing the package",
                    std::io::Error::other("stopped"),
                ));
            }
        }
        cards.clear();
        Ok(())
    };
    let walked = reader.for_each_card(deck, &mut |card| {
        if card.state == CardState::Retired {
            return Ok(());
        }
        // A note's cards come together: the note before is whole.
        if note_cards.last().is_some_and(|last| last.note != card.note) {
            flush(&mut note_cards)?;
        }
        note_cards.push(card);
        Ok(())
    });
    let walked = walked.and_then(|()| flush(&mut note_cards));
    if let Some(e) = failed {
        return Err(unwritable(out, e));
    }
    walked.map_err(core)?;
    let mut exported = writer.finish().map_err(|e| unwritable(out, e))?;
    drop(conn);
    write_package(out, &db, &collection.media_dir(), &media, &mut exported)?;
    Ok(exported)
}

/// One note's cards as Anki notes, in the order of their first cards: a
/// reversed pair (one line, two cards) is one note of two cards.
fn notes_of<'c>(cards: &'c [CardRow], media: &mut BTreeSet<String>) -> Vec<NoteOut<'c>> {
    let mut notes: Vec<NoteOut<'_>> = Vec::new();
    let mut pairs: HashMap<i64, usize> = HashMap::new();
    for card in cards {
        let (breadcrumb, front) = split_front(&card.front_html);
        let mut fix = |html: &str| anki_html(html, media);
        if card.kind == CardKind::Reversed {
            if let Some(&i) = pairs.get(&card.line) {
                notes[i].cards.push(card);
                continue;
            }
            pairs.insert(card.line, notes.len());
        }
        let (model, fields) = match card.kind {
            CardKind::Cloze => (
                CLOZE_ID,
                [
                    cloze_text(&fix(&card.back_html)),
                    String::new(),
                    fix(&breadcrumb),
                ],
            ),
            CardKind::Reversed => (
                REVERSED_ID,
                [fix(&front), fix(&card.back_html), fix(&breadcrumb)],
            ),
            _ => (
                BASIC_ID,
                [fix(&front), fix(&card.back_html), fix(&breadcrumb)],
            ),
        };
        let mut tags: Vec<String> = card
            .tags
            .iter()
            .chain(&card.user_tags)
            .map(|t| t.replace('/', "::").replace(char::is_whitespace, "_"))
            .collect();
        tags.sort();
        tags.dedup();
        notes.push(NoteOut {
            model,
            guid: format!("notedeck-{}", card.id),
            fields,
            tags,
            deck: &card.deck,
            cards: vec![card],
        });
    }
    notes
}

fn unwritable(out: &Path, e: impl std::fmt::Display) -> AnkiError {
    AnkiError::Unwritable {
        path: out.to_owned(),
        why: e.to_string(),
    }
}

/// The breadcrumb's text and the front's HTML of a stored front.
fn split_front(front_html: &str) -> (String, String) {
    let crumb = front_html
        .strip_prefix("<div class=\"breadcrumb\">")
        .and_then(|rest| rest.split_once("</div>"))
        .map(|(crumb, _)| crumb.to_owned())
        .unwrap_or_default();
    let front = front_html
        .find("<div class=\"front\">")
        .map(|at| &front_html[at + "<div class=\"front\">".len()..])
        .map(|rest| rest.strip_suffix("</div>").unwrap_or(rest).to_owned())
        .unwrap_or_else(|| front_html.to_owned());
    (crumb, front)
}

/// notedeck's rendered HTML as Anki shows it: media by their names (and
/// noted to include), sounds as `[sound:…]`, math as MathJax.
fn anki_html(html: &str, media: &mut BTreeSet<String>) -> String {
    let mut out = html.to_owned();
    // Audio players become Anki's sound tags.
    while let Some(at) = out.find("<audio") {
        let Some(end) = out[at..]
            .find("</audio>")
            .map(|e| at + e + "</audio>".len())
        else {
            break;
        };
        let tag = &out[at..end];
        let name = tag
            .split("src=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .map(|s| s.trim_start_matches("media/").to_owned())
            .unwrap_or_default();
        media.insert(name.clone());
        out.replace_range(at..end, &format!("[sound:{name}]"));
    }
    // Images name their file without the folder.
    let mut rest = out.as_str();
    let mut fixed = String::with_capacity(out.len());
    while let Some(at) = rest.find("src=\"media/") {
        fixed.push_str(&rest[..at + 5]);
        rest = &rest[at + "src=\"media/".len()..];
        let name: String = rest.chars().take_while(|c| *c != '"').collect();
        media.insert(name);
    }
    fixed.push_str(rest);
    let mut out = fixed;
    for (class, open, close) in [
        ("<span class=\"math math-inline\">", "\\(", "\\)"),
        ("<span class=\"math math-display\">", "\\[", "\\]"),
    ] {
        while let Some(at) = out.find(class) {
            let from = at + class.len();
            let Some(end) = out[from..].find("</span>").map(|e| from + e) else {
                break;
            };
            let tex = out[from..end].to_owned();
            out.replace_range(at..end + "</span>".len(), &format!("{open}{tex}{close}"));
        }
    }
    out
}

/// A cloze card's back (its answers marked) as Anki cloze text: each
/// marked answer `{{c1::…}}`.
fn cloze_text(back: &str) -> String {
    back.replace("<mark>", "{{c1::").replace("</mark>", "}}")
}

/// Anki's schema 11 being filled, a note at a time.
struct AnkiWriter<'c> {
    tx: rusqlite::Transaction<'c>,
    /// Each deck's id in the package.
    decks: HashMap<String, i64>,
    with_progress: bool,
    now_s: i64,
    today: NaiveDate,
    /// The last note or card id given (ids follow the export's time).
    id: i64,
    /// New cards' positions, in order.
    position: i64,
    revlog_ids: RevlogIds,
    exported: Exported,
}

impl<'c> AnkiWriter<'c> {
    /// Creates the schema and the collection's row, naming `decks`.
    fn start(
        conn: &'c rusqlite::Connection,
        decks: &[String],
        with_progress: bool,
        now: DateTime<Utc>,
    ) -> rusqlite::Result<AnkiWriter<'c>> {
        // A file of our own in a temporary folder, zipped once it is
        // whole: written in one transaction, with neither a journal nor a
        // flush to the disk at each row (a crash leaves no package, never
        // half of one).
        conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(SCHEMA_11)?;
        let now_s = now.timestamp();
        let now_ms = now.timestamp_millis();
        let today = now.date_naive();
        // The collection's creation: today, so due days count from it.
        let crt = today
            .and_hms_opt(4, 0, 0)
            .map_or(now_s, |t| t.and_utc().timestamp());
        let ids: BTreeMap<&str, i64> = decks
            .iter()
            .enumerate()
            .map(|(k, name)| (name.as_str(), 1_700_000_100_000 + k as i64))
            .collect();
        tx.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
            params![
                crt,
                now_ms,
                CONF,
                models_json(now_s),
                decks_json(&ids, now_s),
                DCONF
            ],
        )?;
        let decks = ids.into_iter().map(|(n, id)| (n.to_owned(), id)).collect();
        Ok(AnkiWriter {
            tx,
            decks,
            with_progress,
            now_s,
            today,
            id: now_ms,
            position: 0,
            revlog_ids: RevlogIds::default(),
            exported: Exported::default(),
        })
    }

    /// Writes `note`, its cards, and (with progress) each card's log
    /// (`histories`, by the note's cards).
    fn note(&mut self, note: &NoteOut<'_>, histories: &[Vec<Revlog>]) -> rusqlite::Result<()> {
        self.id += 1;
        let note_id = self.id;
        let fields = note.fields.join("\u{1f}");
        let sort_field = strip_tags(&note.fields[0]);
        let checksum = i64::from(
            u32::from_str_radix(&blake3::hash(sort_field.as_bytes()).to_hex()[..8], 16)
                .unwrap_or(0),
        );
        let tags = if note.tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", note.tags.join(" "))
        };
        self.tx
            .prepare_cached("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?
            .execute(params![
                note_id, note.guid, note.model, self.now_s, tags, fields, sort_field, checksum
            ])?;
        self.exported.notes += 1;
        for (ord, card) in note.cards.iter().enumerate() {
            self.id += 1;
            let card_id = self.id;
            self.position += 1;
            let deck = self.decks.get(note.deck).copied().unwrap_or(1);
            let (kind, queue, due, interval, factor, reps, lapses) = if self.with_progress {
                progress_of(card, self.today, self.position)
            } else {
                (0, 0, self.position, 0, 0, 0, 0)
            };
            self.tx
                .prepare_cached(
                    "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, -1, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, 0, 0, 0, '')",
                )?
                .execute(params![
                    card_id, note_id, deck, ord as i64, self.now_s, kind, queue, due, interval,
                    factor, reps, lapses
                ])?;
            self.exported.cards += 1;
            for row in histories.get(ord).map_or(&[][..], Vec::as_slice) {
                let rid = self.revlog_ids.take(row.0);
                self.tx
                    .prepare_cached(
                        "INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?
                    .execute(params![
                        rid, card_id, row.1, row.2, row.3, row.4, row.5, row.6
                    ])?;
                self.exported.reviews += 1;
            }
        }
        Ok(())
    }

    /// Commits what was written; returns what it was.
    fn finish(self) -> rusqlite::Result<Exported> {
        self.tx.commit()?;
        Ok(self.exported)
    }
}

/// A card's schedule as Anki keeps it: type, queue, due, interval,
/// factor, reps, lapses.
fn progress_of(
    card: &CardRow,
    today: NaiveDate,
    position: i64,
) -> (i64, i64, i64, i64, i64, i64, i64) {
    let Some(due) = card.due else {
        return (0, 0, position, 0, 0, 0, 0);
    };
    let days = (due - today).num_days();
    let kind = if card.interval_days > 0 { 2 } else { 1 };
    let mut queue = if kind == 2 { 2 } else { 3 };
    if card.suspended {
        queue = -1;
    } else if card.buried_until.is_some_and(|b| b > today) {
        queue = -3;
    }
    let due_value = if kind == 1 {
        // A learning card is due in days from the collection's creation.
        days.max(0)
    } else {
        days
    };
    (
        kind,
        queue,
        due_value,
        card.interval_days,
        (card.ease_factor * 1000.0).round() as i64,
        card.repetitions,
        card.lapses,
    )
}

/// An answer as a row of Anki's revlog: its time (ms, the row's id before
/// it is made unique), ease, interval, last interval, factor, time taken
/// and type.
type Revlog = (i64, i64, i64, i64, i64, i64, i64);

/// Revlog ids handed out: each answer gets the smallest id at or after
/// its time not yet taken (Anki's revlog ids are unique). A taken id
/// points past the ids taken after it, so many answers of the same
/// millisecond do not make each search longer than the last.
#[derive(Default)]
struct RevlogIds {
    /// For a taken id, an id at or before the next free one.
    next: HashMap<i64, i64>,
}

impl RevlogIds {
    /// Takes the smallest free id at or after `wanted`. (Ids are times in
    /// milliseconds, far from `i64::MAX`.)
    fn take(&mut self, wanted: i64) -> i64 {
        let mut free = wanted;
        let mut passed = Vec::new();
        while let Some(&next) = self.next.get(&free) {
            passed.push(free);
            free = next;
        }
        let after = free.saturating_add(1);
        for id in passed {
            self.next.insert(id, after);
        }
        self.next.insert(free, after);
        free
    }
}

/// A logged answer as a revlog row: id (time in ms), ease (button),
/// interval, last interval, factor, time taken, type. Reading answers
/// are no recall and stay out.
fn revlog_of(review: &ReviewRow) -> Option<Revlog> {
    let kind = match review.kind {
        AnswerKind::Learn => 0,
        AnswerKind::Review | AnswerKind::Repeat => 1,
        AnswerKind::Relearn => 2,
        AnswerKind::Cram => 3,
        AnswerKind::Read => return None,
    };
    let at = DateTime::parse_from_rfc3339(&review.answered_at).ok()?;
    let ease = match review.grade {
        0..=2 => 1,
        3 => 2,
        4 => 3,
        _ => 4,
    };
    Some((
        at.timestamp_millis(),
        ease,
        i64::from(review.after.interval_days),
        i64::from(review.before.interval_days),
        i64::from(review.after.ease.0) * 10,
        review.duration_ms.unwrap_or(0).clamp(0, 60_000),
        kind,
    ))
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Zips the collection, the media list and the media.
fn write_package(
    out: &Path,
    db: &Path,
    media_dir: &Path,
    media: &BTreeSet<String>,
    exported: &mut Exported,
) -> Result<(), AnkiError> {
    // A pipe or a device (`--out /dev/stdout`) gets the finished package
    // copied into it; a file is replaced by the finished package at once.
    let into_stream = std::fs::metadata(out).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let dir = match parent {
        _ if into_stream => std::env::temp_dir(),
        Some(parent) => parent.to_owned(),
        None => Path::new(".").to_owned(),
    };
    let temp = tempfile::NamedTempFile::new_in(dir).map_err(|e| unwritable(out, e))?;
    let mut zip = zip::ZipWriter::new(temp.as_file());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut collection = std::fs::File::open(db).map_err(|e| unwritable(out, e))?;
    zip.start_file("collection.anki2", options)
        .map_err(|e| unwritable(out, e))?;
    std::io::copy(&mut collection, &mut zip).map_err(|e| unwritable(out, e))?;
    let mut map = serde_json::Map::new();
    for name in media {
        if crate::package::safe_media_name(name).is_err() {
            continue;
        }
        let Ok(bytes) = std::fs::read(media_dir.join(name)) else {
            exported.media_missing.push(name.clone());
            continue;
        };
        let entry = map.len().to_string();
        zip.start_file(entry.as_str(), options)
            .map_err(|e| unwritable(out, e))?;
        zip.write_all(&bytes).map_err(|e| unwritable(out, e))?;
        map.insert(entry, serde_json::Value::String(name.clone()));
        exported.media += 1;
    }
    zip.start_file("media", options)
        .map_err(|e| unwritable(out, e))?;
    zip.write_all(serde_json::Value::Object(map).to_string().as_bytes())
        .map_err(|e| unwritable(out, e))?;
    zip.finish().map_err(|e| unwritable(out, e))?;
    if into_stream {
        let mut package = temp.reopen().map_err(|e| unwritable(out, e))?;
        let mut stream = std::fs::OpenOptions::new()
            .write(true)
            .open(out)
            .map_err(|e| unwritable(out, e))?;
        std::io::copy(&mut package, &mut stream).map_err(|e| unwritable(out, e))?;
        return Ok(());
    }
    temp.persist(out).map_err(|e| unwritable(out, e.error))?;
    Ok(())
}

/// Anki's schema 11 tables.
const SCHEMA_11: &str = "
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL,
  scm integer NOT NULL, ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL,
  ls integer NOT NULL, conf text NOT NULL, models text NOT NULL, decks text NOT NULL,
  dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL,
  sfld integer NOT NULL, csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL,
  ord integer NOT NULL, mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL,
  queue integer NOT NULL, due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL,
  reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL,
  ease integer NOT NULL, ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// The collection's settings (Anki's defaults that matter on import).
const CONF: &str = r#"{"nextPos":1,"estTimes":true,"activeDecks":[1],"sortType":"noteFld","timeLim":0,"sortBackwards":false,"addToCur":true,"curDeck":1,"newBury":true,"newSpread":0,"dueCounts":true,"curModel":null,"collapseTime":1200}"#;

/// The default deck options group.
const DCONF: &str = r#"{"1":{"id":1,"name":"Default","mod":0,"usn":0,"maxTaken":60,"autoplay":true,"timer":0,"replayq":true,"dyn":false,"new":{"bury":false,"delays":[1.0,10.0],"initialFactor":2500,"ints":[1,4,0],"order":1,"perDay":20},"lapse":{"delays":[10.0],"leechAction":1,"leechFails":8,"minInt":1,"mult":0.0},"rev":{"bury":false,"ease4":1.3,"ivlFct":1.0,"maxIvl":36500,"perDay":200,"hardFactor":1.2}}}"#;

/// notedeck's three note types.
fn models_json(now: i64) -> String {
    let field = |name: &str, ord: i64| {
        serde_json::json!({"name": name, "ord": ord, "sticky": false, "rtl": false,
            "font": "Arial", "size": 20, "media": []})
    };
    let template = |name: &str, ord: i64, q: &str, a: &str| {
        serde_json::json!({"name": name, "ord": ord, "qfmt": q, "afmt": a,
            "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})
    };
    let crumb = "{{#Breadcrumb}}<div class=\"breadcrumb\">{{Breadcrumb}}</div>{{/Breadcrumb}}";
    let css = ".card { font-family: sans-serif; font-size: 20px; text-align: left; }\n.breadcrumb { font-size: 13px; opacity: .6; margin-bottom: .6em; }";
    let model = |id: i64,
                 name: &str,
                 kind: i64,
                 fields: Vec<serde_json::Value>,
                 templates: Vec<serde_json::Value>,
                 req: serde_json::Value| {
        serde_json::json!({"id": id, "name": name, "type": kind, "mod": now, "usn": -1,
            "sortf": 0, "did": 1, "tmpls": templates, "flds": fields, "css": css,
            "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
            "latexPost": "\\end{document}", "latexsvg": false, "req": req, "tags": [], "vers": []})
    };
    let basic_fields = || vec![field("Front", 0), field("Back", 1), field("Breadcrumb", 2)];
    let front_q = format!("{crumb}{{{{Front}}}}");
    let back_q = format!("{crumb}{{{{Back}}}}");
    let models = serde_json::json!({
        BASIC_ID.to_string(): model(BASIC_ID, "notedeck Basic", 0, basic_fields(),
            vec![template("Card 1", 0, &front_q, "{{FrontSide}}<hr id=answer>{{Back}}")],
            serde_json::json!([[0, "any", [0]]])),
        REVERSED_ID.to_string(): model(REVERSED_ID, "notedeck Basic (and reversed card)", 0, basic_fields(),
            vec![template("Card 1", 0, &front_q, "{{FrontSide}}<hr id=answer>{{Back}}"),
                 template("Card 2", 1, &back_q, "{{FrontSide}}<hr id=answer>{{Front}}")],
            serde_json::json!([[0, "any", [0]], [1, "any", [1]]])),
        CLOZE_ID.to_string(): model(CLOZE_ID, "notedeck Cloze", 1,
            vec![field("Text", 0), field("Back Extra", 1), field("Breadcrumb", 2)],
            vec![template("Cloze", 0, &format!("{crumb}{{{{cloze:Text}}}}"), "{{cloze:Text}}<br>{{Back Extra}}")],
            serde_json::json!([[0, "any", [0]]])),
    });
    models.to_string()
}

/// The decks, and Anki's Default deck.
fn decks_json(decks: &BTreeMap<&str, i64>, now: i64) -> String {
    let deck = |id: i64, name: &str| {
        serde_json::json!({"id": id, "name": name, "mod": now, "usn": -1, "lrnToday": [0, 0],
            "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false,
            "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0,
            "extendRev": 0})
    };
    let mut map = serde_json::Map::new();
    map.insert("1".into(), deck(1, "Default"));
    for (name, id) in decks {
        map.insert(id.to_string(), deck(*id, name));
    }
    serde_json::Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Each id is the smallest at or after the wanted one that no
        /// earlier answer took, as a plain search would find it.
        #[test]
        fn revlog_ids_are_the_first_free_ones(wanted in proptest::collection::vec(0i64..40, 0..300)) {
            let mut taken = std::collections::HashSet::new();
            let mut ids = RevlogIds::default();
            for want in wanted {
                let mut plain = want;
                while !taken.insert(plain) {
                    plain += 1;
                }
                prop_assert_eq!(ids.take(want), plain);
            }
        }
    }
}
