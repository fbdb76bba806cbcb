//! From Anki: a package's notes written as Markdown into a folder of the
//! user's, with its media, then imported as any notes.

use std::cell::RefCell;
use std::collections::HashMap;

use notedeck_core::storage::CardAtLine;

use crate::*;

/// The folder an Anki package's notes go into unless one is given: `Anki`
/// beside the collection.
pub const DEFAULT_ANKI_FOLDER: &str = "Anki";

impl Service {
    /// Reads an Anki package, writes its notes and media into
    /// `request.into` (else `Anki` beside the collection) and imports that
    /// folder. A dry run writes and imports nothing.
    pub fn import_anki(
        &mut self,
        request: &ImportAnkiRequest,
        now: DateTime<Utc>,
        progress: &mut dyn FnMut(ImportProgressDto),
    ) -> ApiResult<AnkiImportDto> {
        let file = shell::expand_home(Path::new(&request.file));
        let into = match request
            .into
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
        {
            Some(into) => shell::expand_home(Path::new(into)),
            None => self
                .path()
                .parent()
                .unwrap_or(Path::new("."))
                .join(DEFAULT_ANKI_FOLDER),
        };
        let written = notedeck_anki::write_out(&file, &into, request.dry_run)
            .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
        if request.dry_run {
            return Ok(anki_dto(written.report, None, None));
        }
        let import = ImportRequest {
            deck: request.deck.clone(),
            dry_run: false,
        };
        let imported = self.import(std::slice::from_ref(&into), &import, now, progress)?;
        let kept = self.keep_anki_progress(&written, &into, now)?;
        Ok(anki_dto(written.report, Some(imported), Some(kept)))
    }

    /// Writes the cards of `request.deck` (all when none) as an Anki
    /// package, with their progress when asked.
    pub fn export_anki(
        &self,
        request: &ExportAnkiRequest,
        now: DateTime<Utc>,
    ) -> ApiResult<AnkiExportDto> {
        let out = shell::expand_home(Path::new(&request.out));
        let deck = match request.deck.as_deref() {
            Some(deck) => Some(self.resolve_deck(deck)?),
            None => None,
        };
        let exported = notedeck_anki::export::export(
            &self.collection,
            deck.as_deref(),
            request.with_progress,
            &out,
            now,
        )
        .map_err(|e| ApiError::new(ErrorCode::InvalidInput, e.to_string()))?;
        Ok(AnkiExportDto {
            out: out.to_string_lossy().into_owned(),
            notes: exported.notes,
            cards: exported.cards,
            reviews: exported.reviews,
            media: exported.media,
            media_missing: exported.media_missing,
        })
    }

    /// Brings each Anki card's schedule and review log to the card its
    /// note made here.
    fn keep_anki_progress(
        &mut self,
        written: &notedeck_anki::WrittenOut,
        into: &Path,
        now: DateTime<Utc>,
    ) -> ApiResult<AnkiProgressDto> {
        let root = std::fs::canonicalize(into).unwrap_or_else(|_| into.to_owned());
        let reader = self.collection.reader();
        // The blocks come file by file: each file's cards are read once,
        // by line, and kept until the next file's are needed.
        let file_cards: RefCell<(String, HashMap<i64, Vec<CardAtLine>>)> = RefCell::default();
        let cards_at = |file: &str, line: i64| {
            let mut kept = file_cards.borrow_mut();
            if kept.0 != file {
                let path = root.join(file);
                *kept = (
                    file.to_owned(),
                    reader
                        .cards_by_line(&path.to_string_lossy())
                        .unwrap_or_default(),
                );
            }
            kept.1.get(&line).cloned().unwrap_or_default()
        };
        let (found, unmatched) =
            notedeck_anki::progress::find(&written.collection, &written.blocks, &cards_at);
        let today = self.today(now)?;
        let mut cards = notedeck_anki::progress::progress(&written.collection, &found);
        let counts = notedeck_core::imported::import_progress(
            &mut self.collection,
            &mut cards,
            written.collection.reviews.len(),
            now,
            today,
        )?;
        Ok(AnkiProgressDto {
            cards: counts.cards,
            answers: counts.answers,
            already: counts.already,
            marked: counts.marked,
            without_answers: counts.without_answers,
            unmatched,
        })
    }
}

fn anki_dto(
    report: notedeck_anki::AnkiReport,
    import: Option<ImportReportDto>,
    progress: Option<AnkiProgressDto>,
) -> AnkiImportDto {
    use notedeck_anki::notes::Mapping;
    use notedeck_anki::write::FileOutcome;
    AnkiImportDto {
        format: match report.format {
            notedeck_anki::package::Format::Current => "current",
            notedeck_anki::package::Format::Legacy => "legacy",
        }
        .to_owned(),
        into: report.into.to_string_lossy().into_owned(),
        notes: report.notes,
        cards: report.cards,
        reviews: report.reviews,
        media_copied: report.media_copied,
        media_present: report.media_present,
        media_missing: report.media_missing,
        media_skipped: report.media_skipped,
        notetypes: report
            .notetypes
            .into_iter()
            .map(|(name, mapping, notes)| AnkiNoteTypeDto {
                name,
                mapped_as: match mapping {
                    Mapping::Basic => "basic",
                    Mapping::Reversed => "reversed",
                    Mapping::OptionalReversed => "optional_reversed",
                    Mapping::Cloze => "cloze",
                    Mapping::Fields => "fields",
                }
                .to_owned(),
                mapping: mapping.as_str().to_owned(),
                notes,
            })
            .collect(),
        files: report
            .files
            .into_iter()
            .map(|f| AnkiFileDto {
                path: f.path,
                deck: f.deck,
                notes: f.notes,
                outcome: match f.outcome {
                    FileOutcome::Written => "written",
                    FileOutcome::Unchanged => "unchanged",
                    FileOutcome::Updated => "updated",
                    FileOutcome::Kept => "kept",
                }
                .to_owned(),
            })
            .collect(),
        skipped: report.skipped,
        import,
        progress,
    }
}
