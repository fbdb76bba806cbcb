//! The collection as a whole: backups, its check, statistics and exports.

use crate::*;

impl Service {
    /// Takes today's automatic backup if none was taken yet; call when a
    /// collection is opened for review.
    pub fn daily_backup(&self, now: DateTime<Utc>) -> ApiResult<Option<PathBuf>> {
        let today = self.today(now)?;
        Ok(backup::daily(&self.collection, today)?)
    }

    /// Claims the taking of today's backup for this process (see
    /// [`Service::daily_backup_held`]): the day when claimed, none when it
    /// was taken already or another process is taking it.
    pub fn claim_daily_backup(&self, now: DateTime<Utc>) -> ApiResult<Option<NaiveDate>> {
        let today = self.today(now)?;
        Ok(backup::claim_daily(self.collection.path(), today)?.then_some(today))
    }

    /// Takes the claimed backup of `day` from a snapshot held first:
    /// `held` is called once nothing written after it can reach the copy
    /// (another process waits for that, not for the copy). Gives the claim
    /// up when done, taken or not.
    pub fn daily_backup_held(&self, day: NaiveDate, held: &mut dyn FnMut()) -> ApiResult<PathBuf> {
        let taken = backup::daily_held(&self.collection, day, held);
        backup::release_daily(self.collection.path(), day);
        Ok(taken?)
    }

    /// Gives up a claim to take `day`'s backup.
    pub fn release_daily_backup(&self, day: NaiveDate) {
        backup::release_daily(self.collection.path(), day);
    }

    /// Takes today's backup on another thread, over a second connection, so
    /// the first card of the day does not wait for it. At most one runs at
    /// a time; a failure is reported on standard error (the review goes
    /// on: yesterday's backup is still there).
    pub fn daily_backup_in_background(&self, now: DateTime<Utc>) -> ApiResult<()> {
        static RUNNING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
        use std::sync::atomic::Ordering;
        let today = self.today(now)?;
        if backup::has_daily(self.collection.path(), today) || RUNNING.swap(true, Ordering::AcqRel)
        {
            return Ok(());
        }
        let sibling = match self.collection.sibling_reader() {
            Ok(sibling) => sibling,
            Err(err) => {
                RUNNING.store(false, Ordering::Release);
                return Err(err.into());
            }
        };
        std::thread::spawn(move || {
            if let Err(err) = backup::daily(&sibling, today) {
                eprintln!("notedeck: today's backup could not be taken: {err}");
            }
            RUNNING.store(false, Ordering::Release);
        });
        Ok(())
    }

    /// Replays the review log and checks the database.
    pub fn check(&self) -> ApiResult<CheckDto> {
        let report = review::check(&self.collection)?;
        Ok(CheckDto {
            ok: report.problems.is_empty(),
            reviews: report.reviews,
            actions: report.actions,
            cards: report.cards,
            problems: report.problems,
        })
    }

    /// Puts a backup back into the collection at `collection`, after saving
    /// the current state; works when the collection is too damaged to open.
    /// `file` is a path or a name from [`Service::backups_of`].
    pub fn restore_file(
        collection: &Path,
        file: &Path,
        now: DateTime<Utc>,
    ) -> ApiResult<RestoreDto> {
        let dir = backup::backup_dir(collection);
        let path = if file.is_file() || file.components().count() > 1 {
            file.to_owned()
        } else {
            dir.join(file)
        };
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
        let saved = backup::restore_file(collection, &path, &stamp)?;
        Ok(RestoreDto {
            restored: path.to_string_lossy().into_owned(),
            previous_state_saved_to: saved.to_string_lossy().into_owned(),
        })
    }

    /// The backups of the collection at `collection`, newest first, without
    /// opening it (it may be damaged).
    pub fn backups_of(collection: &Path) -> ApiResult<Vec<BackupDto>> {
        let dir = backup::backup_dir(collection);
        Ok(backup::list(&dir)?
            .into_iter()
            .map(BackupDto::from)
            .collect())
    }

    /// Statistics for the `days` days ending today.
    pub fn stats(&self, deck: Option<&str>, days: u32, now: DateTime<Utc>) -> ApiResult<StatsDto> {
        self.stats_tagged(deck, None, days, now)
    }

    /// Statistics of the cards with `tag` (in `deck`, if given).
    pub fn stats_tagged(
        &self,
        deck: Option<&str>,
        tag: Option<&str>,
        days: u32,
        now: DateTime<Utc>,
    ) -> ApiResult<StatsDto> {
        check_range("days", i64::from(days), 1..=MAX_STATS_DAYS)?;
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let tag = tag.map(actions::parse_tag).transpose()?;
        let today = self.today(now)?;
        let scope = notedeck_core::storage::Scope {
            deck,
            tag: tag.as_deref(),
        };
        let stats = notedeck_core::stats::compute(&self.collection, scope, today, days)?;
        let from = stats.from;
        let mut dto = StatsDto::from_stats(stats, days.max(1));
        dto.tag = tag.clone();
        if let (_, Scheduler::Fsrs(fsrs)) = self.collection.reader().current_scheduler()? {
            dto.fsrs = Some(
                notedeck_core::fsrs_stats::compute(&self.collection, scope, today, from, &fsrs)?
                    .into(),
            );
        }
        let rows =
            self.collection
                .reader()
                .leech_cards(deck, tag.as_deref(), MAX_LISTED_LEECHES)?;
        dto.leeches = rows.into_iter().map(CardDto::from).collect();
        Ok(dto)
    }

    /// The progress report: everything `stats` computes as one
    /// self-contained HTML page (no script, no request); returns its size
    /// in bytes.
    pub fn stats_report(
        &self,
        deck: Option<&str>,
        days: u32,
        now: DateTime<Utc>,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        report::write_html(&self.stats(deck, days, now)?, out)
    }

    /// Streams the review log (optionally of one deck) to `out`; returns
    /// the number of rows.
    pub fn export_reviews(
        &self,
        deck: Option<&str>,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let reader = self.collection.reader();
        if format == ExportFormat::Csv {
            // The log read once in its order, each card's place looked up
            // in memory, fields written as stored: no join per row.
            let last_seq = reader.last_review_seq()?;
            return crate::review_csv::write(out, deck, &self.collection, last_seq);
        }
        export::stream(format, out, REVIEW_COLUMNS, ReviewExport::from, |visit| {
            reader.for_each_review_export(deck, visit)
        })
    }

    /// Streams the cards with their current states to `out`.
    pub fn export_cards(
        &self,
        deck: Option<&str>,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> ApiResult<u64> {
        let deck = self.resolve_deck_opt(deck)?;
        let deck = deck.as_deref();
        let reader = self.collection.reader();
        export::stream(format, out, CARD_COLUMNS, CardExport::from, |visit| {
            reader.for_each_card_without_html(deck, visit)
        })
    }
}
