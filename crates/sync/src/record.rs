//! The sync folder's file format: one record per line (JSON Lines), each
//! with its format version, id, kind, the device that wrote it, when, the
//! notedeck that wrote it, its data, and a checksum of the line.
//!
//! ```text
//! {"v":1,"id":"0193…","kind":"answer","device":"0193…","at":"2026-12-06T09:00:00.000Z","by":"notedeck 0.1.0","data":{…},"sum":"5f2c…"}
//! ```
//!
//! `sum` is the first 16 hex digits of the BLAKE3 hash of the line up to
//! (not including) `,"sum":…` with a `}` appended: the line as it would be
//! without its checksum. A reader takes every whole line it can check,
//! leaves a last line without its newline for later (a sync in progress),
//! and reports the rest.

use serde::{Deserialize, Serialize};

/// The format version this notedeck writes and reads.
pub const FORMAT: u32 = 1;

/// The longest line read (a record far longer is damage, not data).
pub const MAX_LINE_BYTES: usize = 64 * 1024;

/// One record as it travels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Format version.
    pub v: u32,
    /// Unique id (an answer's is the answer's own id).
    pub id: String,
    /// What it records: `answer`, `undo`, …
    pub kind: String,
    /// The device that wrote it.
    pub device: String,
    /// When it happened (UTC, RFC 3339 with milliseconds).
    pub at: String,
    /// The notedeck that wrote it (`notedeck 0.1.0`).
    pub by: String,
    /// What the kind needs.
    pub data: serde_json::Value,
}

/// Why a line was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// Not a record: cut, garbled or hand-edited.
    Damaged(String),
    /// Its checksum does not match its text.
    Checksum,
    /// Written in a newer format than this notedeck reads.
    Newer(u32),
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineProblem::Damaged(why) => write!(f, "damaged ({why})"),
            LineProblem::Checksum => write!(f, "its checksum does not match (changed or damaged)"),
            LineProblem::Newer(v) => write!(
                f,
                "written in format {v} by a newer notedeck: update notedeck on this computer"
            ),
        }
    }
}

const SUM_KEY: &str = ",\"sum\":\"";

fn checksum(unsummed: &str) -> String {
    blake3::hash(unsummed.as_bytes()).to_hex()[..16].to_owned()
}

/// The record as one line (without its newline).
pub fn encode(record: &Record) -> String {
    let body = serde_json::to_string(record).unwrap_or_else(|_| "{}".to_owned());
    let sum = checksum(&body);
    let open = body.strip_suffix('}').unwrap_or(&body);
    format!("{open}{SUM_KEY}{sum}\"}}")
}

/// Reads one line back, checking its checksum and version.
pub fn decode(line: &str) -> Result<Record, LineProblem> {
    if line.len() > MAX_LINE_BYTES {
        return Err(LineProblem::Damaged(format!(
            "a line of {} bytes, over {MAX_LINE_BYTES}",
            line.len()
        )));
    }
    let Some(at) = line.rfind(SUM_KEY) else {
        return Err(LineProblem::Damaged("no checksum".into()));
    };
    let given = line[at + SUM_KEY.len()..]
        .strip_suffix("\"}")
        .ok_or_else(|| LineProblem::Damaged("the line does not end as a record".into()))?;
    let unsummed = format!("{}}}", &line[..at]);
    // The version first: a newer format may not even parse as ours.
    let version = serde_json::from_str::<serde_json::Value>(&unsummed)
        .map_err(|e| LineProblem::Damaged(e.to_string()))?
        .get("v")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| LineProblem::Damaged("no format version".into()))?;
    // A newer format may sum its lines otherwise: say so first.
    if version > u64::from(FORMAT) {
        return Err(LineProblem::Newer(version.min(u64::from(u32::MAX)) as u32));
    }
    if checksum(&unsummed) != given {
        return Err(LineProblem::Checksum);
    }
    serde_json::from_str(&unsummed).map_err(|e| LineProblem::Damaged(e.to_string()))
}

/// What one read of a file's new bytes found.
#[derive(Debug, Default)]
pub struct Lines {
    /// The records, with the 1-based line number each was on (counted
    /// from the start of what was read) and the line itself.
    pub records: Vec<(usize, String, Record)>,
    /// Lines not taken, with their numbers.
    pub problems: Vec<(usize, LineProblem)>,
    /// Bytes read up to the end of the last whole line: the next read
    /// starts there (a last line still being written is read again).
    pub consumed: usize,
}

/// Reads the whole lines of `bytes` (a file's bytes from where the last
/// read stopped).
pub fn read_lines(bytes: &[u8]) -> Lines {
    let mut lines = Lines::default();
    let mut start = 0;
    let mut number = 0;
    while let Some(end) = bytes[start..].iter().position(|&b| b == b'\n') {
        number += 1;
        let raw = &bytes[start..start + end];
        start += end + 1;
        let text = match std::str::from_utf8(raw) {
            Ok(text) => text.trim_end_matches('\r'),
            Err(_) => {
                lines
                    .problems
                    .push((number, LineProblem::Damaged("not UTF-8".into())));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        match decode(text) {
            Ok(record) => lines.records.push((number, text.to_owned(), record)),
            Err(problem) => lines.problems.push((number, problem)),
        }
    }
    lines.consumed = start;
    lines
}

/// True for a file name a sync tool gave a conflicting copy
/// (`2026-12 (conflicted copy 2026-12-06).jsonl`, Syncthing's
/// `2026-12.sync-conflict-20261206-101010-ABCDEFG.jsonl`, iCloud's
/// `2026-12 2.jsonl`): its records are read like any others (they merge
/// by id), and it is named in the status.
pub fn is_conflict_copy(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.contains("conflicted copy")
        || lower.contains(".sync-conflict-")
        || lower.contains("conflict")
        || lower
            .strip_suffix(".jsonl")
            .and_then(|stem| stem.rsplit_once(' '))
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str) -> Record {
        Record {
            v: FORMAT,
            id: id.into(),
            kind: "answer".into(),
            device: "dev-a".into(),
            at: "2026-12-06T09:00:00.000Z".into(),
            by: "notedeck 0.1.0".into(),
            data: serde_json::json!({"card_id": "abc", "grade": 4}),
        }
    }

    #[test]
    fn a_record_comes_back_from_its_line() {
        let line = encode(&record("r1"));
        assert!(line.starts_with("{\"v\":1,\"id\":\"r1\""), "{line}");
        assert!(!line.contains('\n'));
        assert_eq!(decode(&line), Ok(record("r1")));
    }

    #[test]
    fn a_changed_cut_or_newer_line_is_not_taken() {
        let line = encode(&record("r1"));
        assert_eq!(
            decode(&line.replace("\"grade\":4", "\"grade\":5")),
            Err(LineProblem::Checksum)
        );
        assert!(matches!(
            decode(&line[..line.len() - 9]),
            Err(LineProblem::Damaged(_))
        ));
        let mut newer = record("r2");
        newer.v = 7;
        assert_eq!(decode(&encode(&newer)), Err(LineProblem::Newer(7)));
        // Even when its sum is made otherwise.
        let line = encode(&record("r3")).replacen("{\"v\":1,", "{\"v\":8,", 1);
        assert_eq!(decode(&line), Err(LineProblem::Newer(8)));
        assert!(matches!(decode("{}"), Err(LineProblem::Damaged(_))));
    }

    #[test]
    fn whole_lines_are_read_and_a_half_written_last_line_waits() {
        let (a, b) = (encode(&record("a")), encode(&record("b")));
        let text = format!("{a}\n\ngarbage\n{b}\n{}", &a[..20]);
        let lines = read_lines(text.as_bytes());
        let ids: Vec<&str> = lines
            .records
            .iter()
            .map(|(_, _, r)| r.id.as_str())
            .collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(lines.problems.len(), 1);
        assert_eq!(lines.problems[0].0, 3);
        assert_eq!(lines.consumed, text.len() - 20);
    }

    #[test]
    fn sync_tools_conflict_copies_are_recognised() {
        for name in [
            "2026-12 (conflicted copy 2026-12-06).jsonl",
            "2026-12.sync-conflict-20261206-101010-ABCDEFG.jsonl",
            "2026-12 2.jsonl",
        ] {
            assert!(is_conflict_copy(name), "{name}");
        }
        assert!(!is_conflict_copy("2026-12.jsonl"));
    }
}
