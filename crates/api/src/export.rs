//! Streaming exports of the review log and the cards, as CSV (RFC 4180) or
//! a JSON array, written row by row so a million answers never sit in memory.

use std::io::Write;

use notedeck_core::day::format_day;
use notedeck_core::storage::{CardRow, ReviewExportRow};
use serde::Serialize;

use crate::stats::csv_error;
use crate::{ApiError, ApiResult, ErrorCode, ExportFormat};

impl ExportFormat {
    /// The file ending of an export in this format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Json => "json",
        }
    }

    /// The content type of a download in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }
}

/// The review export's columns, in order (the fields of [`ReviewExport`]).
pub const REVIEW_COLUMNS: &[&str] = &[
    "review_id",
    "answered_at_utc",
    "day",
    "card_id",
    "deck",
    "note",
    "heading",
    "grade",
    "kind",
    "repetitions_before",
    "ease_before",
    "interval_before",
    "due_before",
    "lapses_before",
    "repetitions_after",
    "ease_after",
    "interval_after",
    "due_after",
    "lapses_after",
    "duration_ms",
    "session",
    "stability_after",
    "difficulty_after",
];

/// The card export's columns, in order (the fields of [`CardExport`]).
pub const CARD_COLUMNS: &[&str] = &[
    "card_id",
    "deck",
    "note",
    "line",
    "heading",
    "kind",
    "state",
    "tags",
    "repetitions",
    "ease_factor",
    "interval_days",
    "lapses",
    "due",
    "stability",
    "difficulty",
];

/// One answer of the review log, as exported. Column order is the CSV order.
#[derive(Debug, Clone, Serialize)]
pub struct ReviewExport {
    /// Globally unique id (UUIDv7).
    pub review_id: String,
    /// UTC time, RFC 3339.
    pub answered_at_utc: String,
    /// Learner's local day.
    pub day: String,
    /// Card id.
    pub card_id: String,
    /// Deck.
    pub deck: String,
    /// Source note path.
    pub note: String,
    /// Heading path joined with ` › `.
    pub heading: String,
    /// Grade 0–5.
    pub grade: u8,
    /// learn, review, relearn, repeat.
    pub kind: String,
    /// Repetitions before.
    pub repetitions_before: u32,
    /// E-Factor before.
    pub ease_before: f64,
    /// Interval before, days.
    pub interval_before: u32,
    /// Due day before.
    pub due_before: Option<String>,
    /// Lapses before.
    pub lapses_before: u32,
    /// Repetitions after.
    pub repetitions_after: u32,
    /// E-Factor after.
    pub ease_after: f64,
    /// Interval after, days.
    pub interval_after: u32,
    /// Due day after.
    pub due_after: Option<String>,
    /// Lapses after.
    pub lapses_after: u32,
    /// Time taken, when measured.
    pub duration_ms: Option<i64>,
    /// The custom study session (`ahead`, `extra_new`, `failed_today`,
    /// `cram`), empty for the daily queue.
    pub session: Option<String>,
    /// FSRS's stability after the answer, under FSRS (appended: columns
    /// are only added).
    pub stability_after: Option<f64>,
    /// FSRS's difficulty after the answer, under FSRS.
    pub difficulty_after: Option<f64>,
}

impl From<ReviewExportRow> for ReviewExport {
    fn from(row: ReviewExportRow) -> Self {
        let r = row.review;
        ReviewExport {
            review_id: r.id,
            answered_at_utc: r.answered_at,
            day: format_day(r.day),
            card_id: r.card_id.0,
            deck: row.deck,
            note: row.note,
            heading: row.heading_path.join(" › "),
            grade: r.grade,
            kind: r.kind.as_str().to_owned(),
            repetitions_before: r.before.repetitions,
            ease_before: r.before.ease.as_f64(),
            interval_before: r.before.interval_days,
            due_before: r.before.due.map(format_day),
            lapses_before: r.before.lapses,
            repetitions_after: r.after.repetitions,
            ease_after: r.after.ease.as_f64(),
            interval_after: r.after.interval_days,
            due_after: r.after.due.map(format_day),
            lapses_after: r.after.lapses,
            duration_ms: r.duration_ms,
            session: r.session.map(|s| s.as_str().to_owned()),
            stability_after: r.after.memory.map(|m| crate::decimal(m.stability)),
            difficulty_after: r.after.memory.map(|m| crate::decimal(m.difficulty)),
        }
    }
}

/// One card, as exported. Column order is the CSV order.
#[derive(Debug, Clone, Serialize)]
pub struct CardExport {
    /// Card id.
    pub card_id: String,
    /// Deck.
    pub deck: String,
    /// Source note path.
    pub note: String,
    /// Line of the heading in the note.
    pub line: i64,
    /// Heading path joined with ` › `.
    pub heading: String,
    /// section or definition.
    pub kind: String,
    /// new, learning, review, retired.
    pub state: String,
    /// Tags joined with spaces.
    pub tags: String,
    /// Repetitions.
    pub repetitions: i64,
    /// E-Factor.
    pub ease_factor: f64,
    /// Interval, days.
    pub interval_days: i64,
    /// Lapses.
    pub lapses: i64,
    /// Due day.
    pub due: Option<String>,
    /// FSRS's stability, under FSRS (appended: columns are only added).
    pub stability: Option<f64>,
    /// FSRS's difficulty, under FSRS.
    pub difficulty: Option<f64>,
}

impl From<CardRow> for CardExport {
    fn from(c: CardRow) -> Self {
        CardExport {
            card_id: c.id.0,
            deck: c.deck,
            note: c.note,
            line: c.line,
            heading: c.heading_path.join(" › "),
            kind: c.kind.as_str().to_owned(),
            state: c.state.as_str().to_owned(),
            tags: c.tags.join(" "),
            repetitions: c.repetitions,
            ease_factor: c.ease_factor,
            interval_days: c.interval_days,
            lapses: c.lapses,
            due: c.due.map(format_day),
            stability: c.memory.map(|m| crate::decimal(m.stability)),
            difficulty: c.memory.map(|m| crate::decimal(m.difficulty)),
        }
    }
}

/// Writes rows one at a time in the chosen format.
pub(crate) struct RowWriter<'w> {
    format: ExportFormat,
    csv: Option<csv::Writer<&'w mut dyn Write>>,
    json: Option<&'w mut dyn Write>,
    rows: u64,
}

fn io_error(err: std::io::Error) -> ApiError {
    ApiError::new(ErrorCode::Io, format!("cannot write the export: {err}"))
}

impl<'w> RowWriter<'w> {
    /// Starts an export; a CSV gets its header row (`columns`) at once.
    pub(crate) fn new(
        format: ExportFormat,
        out: &'w mut dyn Write,
        columns: &[&str],
    ) -> ApiResult<RowWriter<'w>> {
        Ok(match format {
            ExportFormat::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                csv.write_record(columns).map_err(csv_error)?;
                RowWriter {
                    format,
                    csv: Some(csv),
                    json: None,
                    rows: 0,
                }
            }
            ExportFormat::Json => RowWriter {
                format,
                csv: None,
                json: Some(out),
                rows: 0,
            },
        })
    }

    pub(crate) fn write<T: Serialize>(&mut self, row: &T) -> ApiResult<()> {
        match self.format {
            ExportFormat::Csv => {
                if let Some(csv) = self.csv.as_mut() {
                    csv.serialize(row).map_err(csv_error)?;
                }
            }
            ExportFormat::Json => {
                if let Some(out) = self.json.as_mut() {
                    out.write_all(if self.rows == 0 { b"[\n" } else { b",\n" })
                        .map_err(io_error)?;
                    serde_json::to_writer(&mut *out, row)
                        .map_err(|e| ApiError::new(ErrorCode::Io, e.to_string()))?;
                }
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the document; returns the number of rows.
    pub(crate) fn finish(mut self) -> ApiResult<u64> {
        match self.format {
            ExportFormat::Csv => {
                if let Some(mut csv) = self.csv.take() {
                    csv.flush().map_err(io_error)?;
                }
            }
            ExportFormat::Json => {
                if let Some(out) = self.json.as_mut() {
                    out.write_all(if self.rows == 0 { b"[]\n" } else { b"\n]\n" })
                        .map_err(io_error)?;
                    out.flush().map_err(io_error)?;
                }
            }
        }
        Ok(self.rows)
    }
}

/// A number as the general path's CSV prints it (a whole one with `.0`).
pub(crate) fn float_text(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    let _ = write!(out, "{value}");
    if !out.contains(['.', 'e', 'i', 'N']) {
        out.push_str(".0");
    }
}

/// An E-Factor stored ×100 as the general path prints it (`2.5`, `2.0`,
/// `2.36`).
pub(crate) fn ease_text(out: &mut String, ease: i64) {
    use std::fmt::Write as _;
    let (whole, part) = (ease / 100, ease % 100);
    let _ = if part == 0 {
        write!(out, "{whole}.0")
    } else if part % 10 == 0 {
        write!(out, "{whole}.{}", part / 10)
    } else {
        write!(out, "{whole}.{part:02}")
    };
}

/// Streams rows produced by `source` (a storage scan taking a visitor),
/// converted by `convert`, to `out` in `format`; returns the row count.
pub(crate) fn stream<R, T: Serialize>(
    format: ExportFormat,
    out: &mut dyn Write,
    columns: &[&str],
    convert: impl Fn(R) -> T,
    source: impl FnOnce(&mut dyn FnMut(R) -> notedeck_core::Result<()>) -> notedeck_core::Result<()>,
) -> ApiResult<u64> {
    let mut writer = RowWriter::new(format, out, columns)?;
    source(&mut |row| {
        writer.write(&convert(row)).map_err(|e| {
            notedeck_core::Error::io("cannot write the export", std::io::Error::other(e.message))
        })
    })?;
    writer.finish()
}
