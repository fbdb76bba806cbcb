//! The review log as CSV, fast: each card's place is quoted once, each row
//! is written as bytes from its stored columns, and the log is cut into
//! blocks formatted on two threads (each with its own connection) while the
//! output takes the blocks in log order. The text is byte for byte what the
//! general export path writes through the `csv` crate (fields quoted only
//! when they hold `,`, `"`, CR or LF; `"` doubled; `\n` after each row).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write;
use std::sync::mpsc;

use notedeck_core::storage::{Collection, RawReview, Reader};

use crate::export::REVIEW_COLUMNS;
use crate::{ApiError, ApiResult, ErrorCode};

/// Answers (by sequence number) per block: a block's text is about 1 MB.
/// Blocks of 4 MB (16,384 answers) made the kernel zero more fresh memory
/// and varied more: 1,000,000 answers took 735–753 ms against 591–621 ms
/// (medians of 10, whole process), peak memory 91 against 71 MB.
const BLOCK: i64 = 4_096;

/// Room kept for each row of a block (rows are 240-300 bytes; a longer
/// one grows the block).
const ROW_BYTES: usize = 320;

/// Blocks each reader may have ready before the output takes them.
const AHEAD: usize = 1;

/// Each card's deck, note and heading, as the CSV fields between its id
/// and the grade (quoted as needed, comma-separated): all in one buffer,
/// found by the card's id as a number when it is the usual 12 lowercase
/// hex digits (no key text kept, no text compared per answer), by the id's
/// text otherwise.
#[derive(Default)]
struct Places {
    /// The fields, in chunks of about [`PLACES_CHUNK`] bytes (a buffer
    /// grown by doubling would hold up to twice the text, and three times
    /// while it is copied).
    chunks: Vec<Vec<u8>>,
    by_number: HashMap<u64, Span, BuildHasherDefault<Fnv>>,
    by_id: HashMap<String, Span, BuildHasherDefault<Fnv>>,
}

/// Where a card's fields are: chunk, start, end.
type Span = (usize, usize, usize);

/// Bytes of card fields per chunk of [`Places`].
const PLACES_CHUNK: usize = 1 << 20;

impl Places {
    /// Adds card `id`'s fields: `fields`, then its heading path as a field.
    fn insert(&mut self, id: &str, fields: &[&[u8]], heading_path: &str) {
        // A heading path may grow in the CSV (separators, quotes doubled).
        let needed = fields.iter().map(|f| f.len()).sum::<usize>() + heading_path.len() * 5 + 2;
        let room = self.chunks.last().map_or(0, |c| c.capacity() - c.len());
        if room < needed {
            self.chunks
                .push(Vec::with_capacity(PLACES_CHUNK.max(needed)));
        }
        let chunk_index = self.chunks.len() - 1;
        let chunk = &mut self.chunks[chunk_index];
        let start = chunk.len();
        for part in fields {
            chunk.extend_from_slice(part);
        }
        push_heading(chunk, heading_path);
        let span = (chunk_index, start, chunk.len());
        match id_number(id) {
            Some(number) => self.by_number.insert(number, span),
            None => self.by_id.insert(id.to_owned(), span),
        };
    }

    /// Card `id`'s fields, if it is one of these cards.
    fn get(&self, id: &str) -> Option<&[u8]> {
        let span = match id_number(id) {
            Some(number) => self.by_number.get(&number),
            None => self.by_id.get(id),
        };
        span.map(|&(chunk, start, end)| &self.chunks[chunk][start..end])
    }
}

/// A card id of 12 lowercase hex digits as its number (one id, one
/// number: uppercase digits are not taken, so no two ids share one).
fn id_number(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    u64::from_str_radix(id, 16).ok()
}

/// FNV-1a: card ids are short and not chosen by an adversary here (they
/// are looked up, never inserted, per answer), so a simple hash is enough.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// Writes the answers with `seq <= last_seq` of the cards of `deck` (and
/// its sub-decks, or all) as CSV to `out`, read through two more read
/// connections to `collection`. Returns the number of rows.
pub(crate) fn write(
    out: &mut dyn Write,
    deck: Option<&str>,
    collection: &Collection,
    last_seq: i64,
) -> ApiResult<u64> {
    let places = places_of(collection, deck)?;
    write_in_blocks(out, &places, collection, last_seq, BLOCK)
}

/// Each card's deck, note and heading as CSV fields, read in two halves
/// of the notes at once (each half's cards in a map of its own).
fn places_of(collection: &Collection, deck: Option<&str>) -> ApiResult<[Places; 2]> {
    let last_note = collection.reader().last_note_id()?;
    let (first, second) =
        collection.read_in_two_halves(last_note, "the cards' places", |reader, notes| {
            let mut places = Places::default();
            // The deck's and note's fields, quoted once per note.
            let mut note_fields = (None, Vec::new());
            reader.for_each_card_place(deck, notes, &mut |place| {
                if note_fields.0 != Some(place.note_id) {
                    note_fields.1.clear();
                    push_text(&mut note_fields.1, place.deck);
                    note_fields.1.push(b',');
                    push_text(&mut note_fields.1, place.note);
                    note_fields.1.push(b',');
                    note_fields.0 = Some(place.note_id);
                }
                places.insert(place.card_id, &[&note_fields.1], place.heading_path);
            })?;
            Ok(places)
        })?;
    Ok([first, second])
}

/// A heading path as stored (headings joined with U+001F) as one text
/// field, the headings joined with ` › `.
fn push_heading(out: &mut Vec<u8>, heading_path: &str) {
    if heading_path.contains('\u{1f}') {
        push_text(out, &heading_path.replace('\u{1f}', " › "));
    } else {
        push_text(out, heading_path);
    }
}

/// [`write`] with blocks of `block` sequence numbers.
fn write_in_blocks(
    out: &mut dyn Write,
    places: &[Places; 2],
    collection: &Collection,
    last_seq: i64,
    block: i64,
) -> ApiResult<u64> {
    let mut header = Vec::new();
    for (i, column) in REVIEW_COLUMNS.iter().enumerate() {
        if i > 0 {
            header.push(b',');
        }
        push_text(&mut header, column);
    }
    header.push(b'\n');
    out.write_all(&header).map_err(io_error)?;
    let blocks = (last_seq.max(0) + block - 1) / block;
    // Two readers, each formatting every other block in order; this
    // thread only writes, taking the blocks in log order.
    let readers = [collection.sibling_reader()?, collection.sibling_reader()?];
    std::thread::scope(|scope| -> ApiResult<u64> {
        let mut queues = Vec::new();
        for (first, reader) in readers.into_iter().enumerate() {
            let (send, receive) = mpsc::sync_channel::<Block>(AHEAD);
            // Written blocks come back to be filled again: a fresh
            // buffer costs the kernel a zeroed page at each first touch.
            let (give_back, written) = mpsc::channel::<Vec<u8>>();
            queues.push((receive, give_back));
            scope.spawn(move || {
                let reader = reader.reader();
                for index in (first as i64..blocks).step_by(2) {
                    let range = (index * block, ((index + 1) * block).min(last_seq));
                    let text = written.try_recv().unwrap_or_default();
                    let text = format_block(&reader, places, range, text);
                    let failed = text.is_err();
                    if send.send(text).is_err() || failed {
                        return;
                    }
                }
            });
        }
        let mut rows = 0u64;
        for index in 0..blocks {
            let (receive, give_back) = &queues[(index % 2) as usize];
            let (mut text, n) = receive.recv().map_err(|_| {
                ApiError::new(ErrorCode::Io, "a reader of the export stopped unexpectedly")
            })??;
            out.write_all(&text).map_err(io_error)?;
            rows += n;
            text.clear();
            // The reader may have finished: its buffer is then dropped.
            let _ = give_back.send(text);
        }
        Ok(rows)
    })
    .and_then(|rows| {
        out.flush().map_err(io_error)?;
        Ok(rows)
    })
}

/// A block's text and its number of rows, or why it could not be read.
type Block = notedeck_core::Result<(Vec<u8>, u64)>;

/// The CSV rows of the answers with `after < seq <= upto` and how many
/// there are, written into `text` (empty; its room is kept).
fn format_block(
    reader: &Reader<'_>,
    places: &[Places; 2],
    range: (i64, i64),
    mut text: Vec<u8>,
) -> Block {
    // A row is 240-300 bytes: room for all of them at once, not grown.
    text.reserve(((range.1 - range.0).max(0) as usize).min(1 << 16) * ROW_BYTES);
    let mut rows = 0u64;
    let mut scratch = String::new();
    reader.for_each_raw_review(range, &mut |r| {
        if let Some(place) = places[0]
            .get(r.card_id)
            .or_else(|| places[1].get(r.card_id))
        {
            push_review(&mut text, r, place, &mut scratch);
            rows += 1;
        }
        Ok(())
    })?;
    Ok((text, rows))
}

/// One answer's row (with `place`, its card's quoted deck, note and
/// heading), in [`REVIEW_COLUMNS`] order.
fn push_review(out: &mut Vec<u8>, r: &RawReview<'_>, place: &[u8], scratch: &mut String) {
    let (b, a) = (r.before, r.after);
    push_text(out, r.id);
    out.push(b',');
    push_text(out, r.answered_at);
    out.push(b',');
    push_text(out, r.day);
    out.push(b',');
    push_text(out, r.card_id);
    out.push(b',');
    out.extend_from_slice(place);
    out.push(b',');
    push_int(out, r.grade);
    out.push(b',');
    push_text(out, r.kind);
    for (reps, ease, interval, due, lapses) in [b, a] {
        out.push(b',');
        push_int(out, reps);
        out.push(b',');
        push_ease(out, ease, scratch);
        out.push(b',');
        push_int(out, interval);
        out.push(b',');
        push_text(out, due.unwrap_or(""));
        out.push(b',');
        push_int(out, lapses);
    }
    out.push(b',');
    if let Some(ms) = r.duration_ms {
        push_int(out, ms);
    }
    out.push(b',');
    push_text(out, r.session.unwrap_or(""));
    out.push(b',');
    if let (Some(s), Some(d)) = (r.stability_after, r.difficulty_after) {
        scratch.clear();
        crate::export::float_text(scratch, crate::decimal(s as f32));
        out.extend_from_slice(scratch.as_bytes());
        out.push(b',');
        scratch.clear();
        crate::export::float_text(scratch, crate::decimal(d as f32));
        out.extend_from_slice(scratch.as_bytes());
    } else {
        out.push(b',');
    }
    out.push(b'\n');
}

/// A text field: as it is, or in quotes (with `"` doubled) when it holds
/// a comma, a quote, CR or LF.
fn push_text(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if !bytes
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.extend_from_slice(bytes);
        return;
    }
    out.push(b'"');
    for &b in bytes {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
}

/// An E-Factor stored ×100 as [`crate::export::ease_text`] writes it
/// (`2.5`, `2.0`, `2.36`).
fn push_ease(out: &mut Vec<u8>, ease: i64, scratch: &mut String) {
    if ease < 0 {
        scratch.clear();
        crate::export::ease_text(scratch, ease);
        out.extend_from_slice(scratch.as_bytes());
        return;
    }
    let (whole, part) = (ease / 100, ease % 100);
    push_int(out, whole);
    out.push(b'.');
    if part % 10 == 0 {
        out.push(b'0' + (part / 10) as u8);
    } else {
        out.push(b'0' + (part / 10) as u8);
        out.push(b'0' + (part % 10) as u8);
    }
}

/// A whole number in decimal.
fn push_int(out: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n.unsigned_abs();
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        out.push(b'-');
    }
    out.extend_from_slice(&digits[at..]);
}

fn io_error(e: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("cannot write the export: {e}"))
}

#[cfg(test)]
mod tests {

    /// Ids of the usual shape are found by their number, any other by its
    /// text; an uppercase id is not taken for its lowercase twin.
    #[test]
    fn places_are_found_by_number_or_by_text() {
        let mut places = Places::default();
        places.insert("abcdef012345", &[b"a,"], "one");
        places.insert("ABCDEF012345", &[b"b,"], "two");
        places.insert("legacy-id", &[b"c,"], "three");
        assert_eq!(places.get("abcdef012345"), Some(&b"a,one"[..]));
        assert_eq!(places.get("ABCDEF012345"), Some(&b"b,two"[..]));
        assert_eq!(places.get("legacy-id"), Some(&b"c,three"[..]));
        assert_eq!(places.get("abcdef012346"), None);
        assert_eq!(id_number("0000000000ff"), Some(255));
        assert_eq!(id_number("00000000000g"), None);
        assert_eq!(id_number("0000000000f"), None);
    }
    use super::*;

    /// What the `csv` crate writes for one record of `fields`.
    fn by_csv_crate(fields: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut csv = csv::WriterBuilder::new()
                .has_headers(false)
                .from_writer(&mut out);
            csv.write_record(fields).expect("csv");
            csv.flush().expect("flush");
        }
        out
    }

    #[test]
    fn blocks_on_two_threads_give_the_general_path_s_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let notes = dir.path().join("notes");
        std::fs::create_dir_all(&notes).expect("mkdir");
        std::fs::write(
            notes.join("quotes, commas.md"),
            "# Say \"hi\", then\n\n## One, two\nA.\n\n## \"Quoted\"\nB.\n\n## Plain\nC.\n",
        )
        .expect("write");
        std::fs::write(
            notes.join("other.md"),
            "# Other\n\n## Four\nD.\n\n## Five\nE.\n",
        )
        .expect("write");
        let mut service = crate::Service::open(&dir.path().join("c.sqlite3")).expect("open");
        let start: chrono::DateTime<chrono::Utc> = "2026-03-01T09:00:00Z".parse().expect("time");
        service
            .import(
                &[notes],
                &crate::ImportRequest::default(),
                start,
                &mut |_| {},
            )
            .expect("import");
        let mut answers = 0;
        for day in 0..40 {
            let now = start + chrono::Duration::days(day);
            for (i, item) in service.due(None, now).expect("due").iter().enumerate() {
                let grade = if (day + i as i64) % 3 == 0 {
                    crate::Grade::Again
                } else {
                    crate::Grade::Good
                };
                service
                    .answer(&item.card.id, grade, now, Some(1_000 + day))
                    .expect("answer");
                answers += 1;
            }
        }
        assert!(answers > 20, "{answers} answers");
        let collection = &service.collection;
        let reader = collection.reader();
        let mut general = Vec::new();
        crate::export::stream(
            crate::ExportFormat::Csv,
            &mut general,
            REVIEW_COLUMNS,
            crate::export::ReviewExport::from,
            |visit| reader.for_each_review_export(None, visit),
        )
        .expect("general");
        let last_seq = reader.last_review_seq().expect("seq");
        for block in [1, 7, 1_000_000] {
            let mut fast = Vec::new();
            let places = places_of(collection, None).expect("places");
            let rows =
                write_in_blocks(&mut fast, &places, collection, last_seq, block).expect("fast");
            assert_eq!(rows, answers, "block {block}");
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&general),
                "block {block}"
            );
        }
    }

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        let texts = [
            "plain",
            "",
            "a,b",
            "say \"hi\"",
            "line\nbreak",
            "cr\rhere",
            " spaced ",
            "#hash",
            "'quote'",
            "tab\there",
            "ünïcödé › heading",
            "\"",
        ];
        for text in texts {
            let mut ours = Vec::new();
            push_text(&mut ours, "x");
            ours.push(b',');
            push_text(&mut ours, text);
            ours.push(b'\n');
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&by_csv_crate(&["x", text])),
                "{text:?}"
            );
        }
    }

    #[test]
    fn e_factors_print_as_the_general_path_prints_them() {
        let mut scratch = String::new();
        for ease in [
            0, 5, 10, 99, 100, 130, 236, 250, 300, 1_000, 12_345, -130, -5,
        ] {
            let mut ours = Vec::new();
            push_ease(&mut ours, ease, &mut scratch);
            let mut theirs = String::new();
            crate::export::ease_text(&mut theirs, ease);
            assert_eq!(String::from_utf8(ours).expect("utf8"), theirs, "{ease}");
        }
    }

    #[test]
    fn whole_numbers_print_as_display_prints_them() {
        for n in [0, 7, -7, 10, 99, 100, 123_456_789, i64::MAX, i64::MIN] {
            let mut ours = Vec::new();
            push_int(&mut ours, n);
            assert_eq!(String::from_utf8(ours).expect("utf8"), n.to_string());
        }
    }
}
