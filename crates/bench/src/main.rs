//! `notedeck-bench`: measures notedeck on a generated vault.
//!
//! `cargo run --release -p notedeck-bench -- [--shape small|rich|prose] [--notes N] [--sections S] [--reviews R]`
//! generates N notes of S sections (N×S cards, of the shape named), imports them, re-imports
//! them unchanged and with 1% edited, simulates R review rows with SM-2,
//! then times today's queue, durable answers, statistics, the card doctor
//! and exports.
//! Prints a Markdown table; `--json FILE` also writes the figures under
//! stable keys and `--anki-tsv FILE` writes the same cards for Anki's text
//! import (both read by `bench/compare.py`).

mod vault;

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The allocator the shipped binaries use, so the in-process figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use anyhow::{Context, Result};
use chrono::{TimeZone, Utc};
use notedeck_api::{ExportFormat, ImportRequest, Service};
use notedeck_core::fixtures;
use notedeck_core::storage::Collection;

/// notedeck-bench: times notedeck on a generated vault (import, queue,
/// answers, statistics, the card doctor, exports) and prints a Markdown
/// table.
#[derive(clap::Parser, Debug)]
#[command(name = "notedeck-bench", version, about)]
struct Args {
    /// The shape of the generated notes: small, rich or prose.
    #[arg(long, default_value = "small", value_parser = parse_shape)]
    shape: vault::Shape,
    /// Notes generated.
    #[arg(long, default_value_t = 1_000)]
    notes: usize,
    /// Heading sections (cards) per note.
    #[arg(long, default_value_t = 10)]
    sections: usize,
    /// Review-log rows simulated with SM-2.
    #[arg(long, default_value_t = 1_000_000)]
    reviews: usize,
    /// Durable answers timed.
    #[arg(long, default_value_t = 500)]
    answers: usize,
    /// Work in this folder (kept) instead of a temporary one.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Also write the figures, under stable keys, to this JSON file.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Also write the same cards for Anki's text import to this file.
    #[arg(long, value_name = "FILE")]
    anki_tsv: Option<PathBuf>,
    /// Time with FSRS as the scheduler.
    #[arg(long)]
    fsrs: bool,
}

fn parse_shape(name: &str) -> Result<vault::Shape, String> {
    vault::Shape::parse(name).ok_or_else(|| format!("{name}: the shapes are small, rich and prose"))
}

fn parse_args() -> Result<Args> {
    Ok(<Args as clap::Parser>::parse())
}

/// Peak resident memory of this process so far, in MB (Linux).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// The figures of one run: printed rows, and numbers under stable keys.
#[derive(Default)]
struct Table {
    rows: Vec<(String, String)>,
    keyed: serde_json::Map<String, serde_json::Value>,
}

impl Table {
    fn row(&mut self, what: &str, value: String) {
        println!("{what}: {value}");
        self.rows.push((what.to_owned(), value));
    }

    /// A timing, printed and kept under `key` in milliseconds.
    fn time(&mut self, key: &str, what: &str, took: Duration) {
        let ms = took.as_secs_f64() * 1000.0;
        self.keyed.insert(key.to_owned(), serde_json::json!(ms));
        self.row(what, format!("{ms:.1} ms"));
    }

    /// How many times `floor` `took` is, kept under `key` and printed as
    /// `1.23×` (nothing when the floor took no time).
    fn ratio(&mut self, key: &str, what: &str, took: Duration, floor: Duration) {
        if !floor.is_zero() {
            let over = took.as_secs_f64() / floor.as_secs_f64();
            self.number(key, what, over, format!("{over:.2}×"));
        }
    }

    /// A number kept under `key`, printed as `shown`.
    fn number(&mut self, key: &str, what: &str, value: f64, shown: String) {
        self.keyed.insert(key.to_owned(), serde_json::json!(value));
        self.row(what, shown);
    }
}

fn main() -> Result<()> {
    notedeck_api::without_huge_pages();
    let args = parse_args()?;
    let tmp = std::env::temp_dir().join(format!("notedeck-bench-{}", std::process::id()));
    let dir = args.dir.clone().unwrap_or(tmp);
    let vault = dir.join("vault");
    let db = dir.join("collection.sqlite3");
    std::fs::create_dir_all(&dir)?;
    let _ = std::fs::remove_file(&db);
    let mut table = Table::default();
    let now = Utc
        .with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
        .single()
        .context("date")?;

    let started = Instant::now();
    vault::write(&vault, args.shape, args.notes, args.sections)?;
    table.time("generate_ms", "generate vault", started.elapsed());

    let mut service = Service::open(&db)?;
    let request = ImportRequest::default();
    let started = Instant::now();
    let report = service.import(std::slice::from_ref(&vault), &request, now, &mut |_| {})?;
    let import_took = started.elapsed();
    table.time("import_ms", "first import", import_took);
    let cards = report.totals.added;
    table.row("cards", cards.to_string());
    time_import_floor(&db, &dir, &mut table, import_took)?;
    if let Some(tsv) = &args.anki_tsv {
        write_anki_tsv(&db, tsv)?;
    }
    let started = Instant::now();
    service.import(std::slice::from_ref(&vault), &request, now, &mut |_| {})?;
    table.time(
        "reimport_unchanged_ms",
        "re-import, nothing changed",
        started.elapsed(),
    );
    let edited = vault::edit_one_percent(&vault, args.shape, args.notes, args.sections)?;
    let started = Instant::now();
    let report = service.import(std::slice::from_ref(&vault), &request, now, &mut |_| {})?;
    table.time(
        "reimport_edited_ms",
        &format!("re-import, {edited} notes (1%) edited"),
        started.elapsed(),
    );
    table.row("  updated cards", report.totals.updated.to_string());
    drop(service);

    // Simulated history: answers spread over the year before `now`.
    let started = Instant::now();
    let rows = {
        let mut collection = Collection::open(&db)?;
        fixtures::simulate_history(&mut collection, args.reviews, now.date_naive(), 42)?
    };
    table.time(
        "simulate_ms",
        &format!("simulate {rows} review rows"),
        started.elapsed(),
    );
    // The statistics' first look at the history counts the whole log and
    // keeps its totals; the statistics timed after the answers below count
    // only those answers (as a learner's daily look does).
    let started = Instant::now();
    Service::open(&db)?.stats(None, 365, now)?;
    table.time(
        "stats_first_ms",
        "statistics, first time (counts the whole log, keeps its totals)",
        started.elapsed(),
    );

    let started = Instant::now();
    let service = Service::open(&db)?;
    let queue = service.due(None, now)?;
    table.time(
        "open_queue_ms",
        "open collection + today's queue",
        started.elapsed(),
    );
    table.row("  queue length", queue.len().to_string());
    let started = Instant::now();
    let _warm = service.due(None, now)?;
    table.time("queue_ms", "today's queue (warm)", started.elapsed());

    // Distinct due cards are answered, as Anki's benchmark answers
    // distinct cards: the daily review limit is raised past the answers
    // and the pages' probe for that (untimed), and put back after, so the
    // queue timed above and the CLI's next day keep the default limit.
    // (Answering the 200 cards of the default queue round-robin made most
    // answers same-day repeats, which write fewer pages.)
    let mut service = service;
    let limit = service.settings()?.reviews_per_day;
    let raised = notedeck_api::SettingsUpdate {
        reviews_per_day: Some(limit.max((args.answers + PAGES_PROBE) as i64)),
        ..Default::default()
    };
    service.update_settings(&raised, now)?;
    let to_answer = service.due(None, now)?;
    let answered = args.answers.min(to_answer.len());
    time_answers(
        &mut service,
        &mut table,
        &to_answer,
        args.answers,
        now,
        ("answer", ""),
    )?;
    let pages = pages_per_answer(&mut service, &db, &to_answer[answered..], now)?;
    let restored = notedeck_api::SettingsUpdate {
        reviews_per_day: Some(limit),
        ..Default::default()
    };
    service.update_settings(&restored, now)?;
    table.number(
        "answer_pages",
        "  pages an answer writes to the WAL (cards, log and their indexes)",
        pages,
        format!("{pages:.1}"),
    );
    time_disk_floor(
        &dir,
        &mut table,
        args.answers.max(50),
        pages.round() as usize,
    )?;

    let started = Instant::now();
    let stats = service.stats(None, 365, now)?;
    let stats_took = started.elapsed();
    table.time(
        "stats_ms",
        "statistics (365 days; the answers since the first time counted)",
        stats_took,
    );
    table.row("  reviews counted", stats.reviews.to_string());
    time_stats_floor(&db, &mut table, stats_took)?;
    let started = Instant::now();
    let findings = service.doctor(None)?;
    table.time(
        "doctor_ms",
        "card doctor over every card",
        started.elapsed(),
    );
    table.row("  findings", findings.len().to_string());

    // The card browser: its index (built after an import, off its path),
    // then a word, a phrase, a field search, a sorted first page.
    let started = Instant::now();
    let indexed = service.index_search()?;
    table.time(
        "search_index_ms",
        &format!("search index of {indexed} new cards (after the import)"),
        started.elapsed(),
    );
    for (key, what, search, sort) in [
        (
            "search_word_ms",
            "search: one word, first page",
            "forgetting",
            None,
        ),
        (
            "search_word_due_ms",
            "search: one word, by due",
            "forgetting",
            Some("due"),
        ),
        (
            "search_words_field_ms",
            "search: two words and a field, first page",
            "forgetting review -state:new",
            None,
        ),
        (
            "search_phrase_ms",
            "search: a phrase and a field, first page",
            "\"forgetting curve\" -state:new",
            None,
        ),
        (
            "search_fields_ms",
            "search: state:young lapses:>1, by due",
            "state:young lapses:>1",
            Some("due"),
        ),
        (
            "browse_first_page_ms",
            "browse every card, by interval, first page",
            "",
            Some("interval"),
        ),
    ] {
        let started = Instant::now();
        let page = service.browse(
            &notedeck_api::BrowseRequest {
                search: Some(search.to_owned()),
                sort: sort.and_then(notedeck_api::Sort::parse),
                ..Default::default()
            },
            now,
        )?;
        table.time(key, what, started.elapsed());
        table.row("  cards found", page.total.to_string());
    }
    let ids: Vec<String> = service
        .search_ids("", now)?
        .into_iter()
        .take(10_000)
        .collect();
    let started = Instant::now();
    let suspended = service.act(&ids, notedeck_api::CardAction::Suspend, None, now)?;
    table.time(
        "suspend_10k_ms",
        &format!("suspend {} selected cards", suspended.changed),
        started.elapsed(),
    );
    service.undo(now)?;
    let mut sink = std::io::sink();
    let started = Instant::now();
    let exported = service.export_reviews(None, ExportFormat::Csv, &mut sink)?;
    table.time(
        "export_reviews_ms",
        &format!("export {exported} reviews as CSV"),
        started.elapsed(),
    );
    let started = Instant::now();
    service.export_cards(None, ExportFormat::Json, &mut sink)?;
    table.time("export_cards_ms", "export cards as JSON", started.elapsed());
    if args.fsrs {
        bench_fsrs(&mut service, &mut table, args.answers, now)?;
    }

    time_sync(&dir, &vault, now, &mut table)?;

    let peak = peak_mb();
    table.number("peak_mb", "peak memory", peak, format!("{peak:.0} MB"));

    println!();
    println!("| measure | notedeck |");
    println!("|---|---|");
    for (what, value) in &table.rows {
        println!("| {what} | {value} |");
    }
    if let Some(path) = &args.json {
        let json = serde_json::json!({
            "cards": cards,
            "reviews": rows,
            "rows": table.keyed,
        });
        std::fs::write(path, serde_json::to_string_pretty(&json)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    if args.dir.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// Answers from another computer that a sync merges in the benchmark.
const SYNC_RECORDS: usize = 10_000;

/// Sync between two computers: one with a month of answers
/// ([`SYNC_RECORDS`]) writes them to the folder; the other, with the same
/// notes, merges them; then a sync with nothing new.
fn time_sync(
    dir: &std::path::Path,
    vault: &std::path::Path,
    now: chrono::DateTime<Utc>,
    table: &mut Table,
) -> Result<()> {
    let folder = dir.join("sync-folder");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder)?;
    let request = ImportRequest::default();
    let mut sides = Vec::new();
    for name in ["sync-a.sqlite3", "sync-b.sqlite3"] {
        let db = dir.join(name);
        let _ = std::fs::remove_file(&db);
        let mut service = Service::open(&db)?;
        service.import(
            std::slice::from_ref(&vault.to_path_buf()),
            &request,
            now,
            &mut |_| {},
        )?;
        sides.push(db);
    }
    let written = {
        let mut collection = Collection::open(&sides[0])?;
        fixtures::simulate_history(&mut collection, SYNC_RECORDS, now.date_naive(), 7)?
    };
    let mut a = Service::open(&sides[0])?;
    let started = Instant::now();
    a.sync_set_folder(&folder, now)?;
    table.time(
        "sync_write_ms",
        &format!("sync: write {written} answers to the folder"),
        started.elapsed(),
    );
    let mut b = Service::open(&sides[1])?;
    let started = Instant::now();
    let report = b.sync_set_folder(&folder, now)?;
    table.time(
        "sync_merge_ms",
        &format!("sync: merge {} answers of another computer", report.merged),
        started.elapsed(),
    );
    let started = Instant::now();
    b.sync_now(now)?;
    table.time(
        "sync_nothing_new_ms",
        "sync: nothing new",
        started.elapsed(),
    );
    drop((a, b));
    // What syncing on open adds when nothing is new: the best of several
    // opens with the sync, less the best of as many without.
    let best_of = |with_sync: bool| -> Result<std::time::Duration> {
        let mut best = std::time::Duration::MAX;
        for _ in 0..7 {
            let started = Instant::now();
            let mut service = Service::open(&sides[1])?;
            if with_sync {
                service.sync_now(now)?;
            }
            best = best.min(started.elapsed());
        }
        Ok(best)
    };
    let (alone, synced) = (best_of(false)?, best_of(true)?);
    table.time("sync_open_ms", "open the collection (sync off)", alone);
    table.time(
        "sync_open_extra_ms",
        "sync on open with nothing new: added to the open",
        synced.saturating_sub(alone),
    );
    Ok(())
}

/// Cards [`pages_per_answer`] answers.
const PAGES_PROBE: usize = 20;

/// How many pages one answer writes to the WAL: the WAL emptied, then
/// up to [`PAGES_PROBE`] answers of cards not answered yet today (`fresh`;
/// round-robin when fewer), then its frames counted (fewer than the
/// automatic checkpoint's 1,000, so none is reused).
fn pages_per_answer(
    service: &mut Service,
    db: &std::path::Path,
    fresh: &[notedeck_api::QueueCardDto],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<f64> {
    if fresh.is_empty() {
        anyhow::bail!("no card left unanswered today to count an answer's pages");
    }
    let probe = rusqlite::Connection::open(db)?;
    let busy: i64 = probe.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        anyhow::bail!("the WAL could not be emptied to count an answer's pages");
    }
    let page_size: i64 = probe.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    let page_size = page_size.max(512) as u64;
    for item in fresh.iter().cycle().take(PAGES_PROBE) {
        service.answer(&item.card.id, notedeck_api::Grade::Good, now, None)?;
    }
    let wal = std::fs::metadata(format!("{}-wal", db.display()))?.len();
    let frames = wal.saturating_sub(32) / (page_size + 24);
    Ok(frames as f64 / PAGES_PROBE as f64)
}

/// SQLite's own floor for the first import: the rows the import wrote
/// (decks, sources, notes, cards) inserted again, one statement per row
/// with every value bound as the import binds them, into a fresh
/// collection of the same schema on the same disk, in one durable
/// transaction written as the import writes it (a first import of
/// [`notedeck_core::import::BULK_FILES`] files or more through a rollback
/// journal with `synchronous=EXTRA`, a smaller one through the WAL with its
/// checkpoint). Only the inserts and the commit (and checkpoint) are timed
/// (the rows are read from the imported collection in blocks between
/// them); no parsing.
fn time_import_floor(
    db: &std::path::Path,
    dir: &std::path::Path,
    table: &mut Table,
    import_took: Duration,
) -> Result<()> {
    use rusqlite::types::Value;
    let path = dir.join("import-floor.sqlite3");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    // The same schema, as a new collection has it.
    drop(Collection::open(&path)?);
    let source =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let target = rusqlite::Connection::open(&path)?;
    let notes: i64 = source.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?;
    let bulk = notes >= notedeck_core::import::BULK_FILES as i64;
    target.execute_batch(if bulk {
        "PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; PRAGMA foreign_keys = ON;"
    } else {
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;"
    })?;
    let mut took = Duration::ZERO;
    let started = Instant::now();
    target.execute_batch("BEGIN IMMEDIATE")?;
    took += started.elapsed();
    for name in ["decks", "sources", "notes", "cards"] {
        let columns: Vec<String> = {
            let mut stmt =
                target.prepare(&format!("SELECT name FROM pragma_table_info('{name}')"))?;
            let names = stmt.query_map([], |r| r.get(0))?;
            names.collect::<rusqlite::Result<_>>()?
        };
        let list = columns.join(", ");
        let marks = vec!["?"; columns.len()].join(", ");
        let mut insert =
            target.prepare(&format!("INSERT INTO {name} ({list}) VALUES ({marks})"))?;
        let mut read = source.prepare(&format!(
            "SELECT rowid, {list} FROM {name} WHERE rowid > ?1 ORDER BY rowid LIMIT 4096"
        ))?;
        let mut after = i64::MIN;
        loop {
            let block: Vec<(i64, Vec<Value>)> = {
                let rows = read.query_map([after], |r| {
                    let values = (1..=columns.len())
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<rusqlite::Result<_>>()?;
                    Ok((r.get::<_, i64>(0)?, values))
                })?;
                rows.collect::<rusqlite::Result<_>>()?
            };
            let Some((last, _)) = block.last() else {
                break;
            };
            after = *last;
            let started = Instant::now();
            for (_, values) in &block {
                insert.execute(rusqlite::params_from_iter(values))?;
            }
            took += started.elapsed();
        }
    }
    let started = Instant::now();
    target.execute_batch("COMMIT")?;
    if !bulk {
        target.query_row("PRAGMA wal_checkpoint", [], |_| Ok(()))?;
    }
    took += started.elapsed();
    table.time(
        "import_floor_ms",
        "  SQLite's own floor: the same rows inserted into a fresh collection, durable",
        took,
    );
    table.ratio(
        "import_over_floor",
        "  first import over SQLite's own floor",
        import_took,
        took,
    );
    Ok(())
}

/// SQLite's own floor for the statistics' pass over the log: stepping
/// every answer's row and reading the columns the statistics read (as
/// `Reader::for_each_review_fact` selects them), in two halves on two
/// connections at once as the statistics do, and nothing else. The best
/// of three, warm.
fn time_stats_floor(db: &std::path::Path, table: &mut Table, stats_took: Duration) -> Result<()> {
    let last: i64 = rusqlite::Connection::open(db)?.query_row(
        "SELECT COALESCE(MAX(seq), 0) FROM review_log",
        [],
        |r| r.get(0),
    )?;
    let step = |(after, upto): (i64, i64)| -> Result<u64> {
        let conn =
            rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let mut stmt = conn.prepare(
            "SELECT card_id, day, grade, kind, reps_before, interval_before,
                    due_before IS NULL, duration_ms
             FROM review_log WHERE seq > ?1 AND seq <= ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query([after, upto])?;
        let mut bytes = 0u64;
        while let Some(row) = rows.next()? {
            for i in 0..8 {
                bytes += match row.get_ref(i)? {
                    rusqlite::types::ValueRef::Text(t) => t.len() as u64,
                    rusqlite::types::ValueRef::Integer(n) => n as u64 & 1,
                    _ => 0,
                };
            }
        }
        Ok(bytes)
    };
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let middle = last / 2;
        let (first, second) = std::thread::scope(|threads| {
            let second = threads.spawn(|| step((middle, last)));
            (step((i64::MIN, middle)), second.join())
        });
        let second = second.map_err(|_| anyhow::anyhow!("the second reader stopped"))?;
        std::hint::black_box(first? + second?);
        best = best.min(started.elapsed());
    }
    table.time(
        "stats_floor_ms",
        "  SQLite's own floor: stepping the log's rows and reading the columns statistics read, two threads",
        best,
    );
    table.ratio(
        "stats_over_floor",
        "  statistics over SQLite's own floor",
        stats_took,
        best,
    );
    Ok(())
}

/// The disk's own floor for an answer: the median of `n` bare durable
/// one-row SQLite transactions (WAL, `synchronous=FULL`, as the
/// collection) on the same disk, and of `n` that write `pages` pages (as
/// many as an answer), and how many times those an answer takes.
fn time_disk_floor(dir: &std::path::Path, table: &mut Table, n: usize, pages: usize) -> Result<()> {
    let path = dir.join("fsync-floor.sqlite3");
    let _ = std::fs::remove_file(&path);
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE t (id INTEGER PRIMARY KEY, x TEXT NOT NULL);
         CREATE TABLE wide (id INTEGER PRIMARY KEY, x BLOB NOT NULL);",
    )?;
    // Rows of 3,000 bytes: each on a page of its own.
    let pages = pages.max(1);
    for i in 0..pages {
        conn.execute(
            "INSERT INTO wide (id, x) VALUES (?1, zeroblob(3000))",
            [i as i64],
        )?;
    }
    let mut one = Vec::with_capacity(n);
    let mut many = Vec::with_capacity(n);
    for i in 0..n {
        let started = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        conn.execute("INSERT INTO t (x) VALUES (?1)", [format!("row {i}")])?;
        conn.execute_batch("COMMIT")?;
        one.push(started.elapsed());
        let started = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE")?;
        for page in 0..pages {
            conn.execute(
                "UPDATE wide SET x = zeroblob(3000 + ?1 % 2) WHERE id = ?2",
                [i as i64, page as i64],
            )?;
        }
        conn.execute_batch("COMMIT")?;
        many.push(started.elapsed());
    }
    one.sort();
    many.sort();
    let floor = one[one.len() / 2];
    let floor_pages = many[many.len() / 2];
    table.time(
        "disk_floor_median_ms",
        "a bare durable one-row SQLite transaction (the disk's floor), median",
        floor,
    );
    table.time(
        "disk_floor_pages_median_ms",
        &format!("a bare durable transaction writing {pages} pages (as an answer does), median"),
        floor_pages,
    );
    if let Some(answer) = table.keyed.get("answer_median_ms").and_then(|v| v.as_f64()) {
        for (key, label, base) in [
            (
                "answer_over_floor",
                "  answer median over the one-row floor",
                floor,
            ),
            (
                "answer_over_pages_floor",
                "  answer median over the same pages' floor",
                floor_pages,
            ),
        ] {
            table.ratio(key, label, Duration::from_secs_f64(answer / 1000.0), base);
        }
    }
    let _ = std::fs::remove_file(&path);
    Ok(())
}

/// Times `answers` durable answers (Good) of `queue`'s cards in order,
/// again from its start; reports the median and p99 under keys
/// `{key}_median_ms` and `{key}_p99_ms`, labelled with `label`.
fn time_answers(
    service: &mut Service,
    table: &mut Table,
    queue: &[notedeck_api::QueueCardDto],
    answers: usize,
    now: chrono::DateTime<chrono::Utc>,
    (key, label): (&str, &str),
) -> Result<()> {
    let mut latencies = Vec::new();
    for item in queue.iter().cycle().take(answers) {
        let started = Instant::now();
        service.answer(&item.card.id, notedeck_api::Grade::Good, now, None)?;
        latencies.push(started.elapsed());
    }
    latencies.sort();
    if !latencies.is_empty() {
        let pick = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
        table.time(
            &format!("{key}_median_ms"),
            &format!("answer median{label} (durable)"),
            pick(0.5),
        );
        table.time(
            &format!("{key}_p99_ms"),
            &format!("answer p99{label} (durable)"),
            pick(0.99),
        );
    }
    Ok(())
}

/// FSRS beside SM-2 (`--fsrs`): switching the whole log to FSRS, its
/// queue and durable answers, evaluating and fitting on the log, and
/// switching back.
fn bench_fsrs(
    service: &mut Service,
    table: &mut Table,
    answers: usize,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let started = Instant::now();
    let switched = service.set_scheduler(
        Some(notedeck_api::SchedulerName::Fsrs),
        None,
        now,
        &mut |_, _| {},
    )?;
    table.time(
        "fsrs_switch_ms",
        &format!(
            "switch to FSRS: replay {} answers",
            switched.answers_replayed
        ),
        started.elapsed(),
    );
    table.row(
        "  cards rescheduled",
        switched.cards_rescheduled.to_string(),
    );
    // Tomorrow: today's limits were spent by the SM-2 answers above.
    let now = now + chrono::Duration::days(1);
    let started = Instant::now();
    let queue = service.due(None, now)?;
    table.time(
        "fsrs_queue_ms",
        "today's queue under FSRS (lowest recall first)",
        started.elapsed(),
    );
    table.row("  queue length", queue.len().to_string());
    // As the SM-2 answers above: the queue in order, again from its start.
    time_answers(
        service,
        table,
        &queue,
        answers,
        now,
        ("fsrs_answer", " under FSRS"),
    )?;
    let started = Instant::now();
    let evaluation = service.evaluate_schedulers(&|_, _| {})?;
    table.time(
        "fsrs_evaluate_ms",
        &format!(
            "scheduler evaluate (fit on {}, test on {})",
            evaluation.fsrs_fitted.reviews_trained, evaluation.sm2.reviews_tested
        ),
        started.elapsed(),
    );
    table.row(
        "  log loss SM-2 / FSRS default / fitted",
        format!(
            "{:.3} / {:.3} / {:.3}",
            evaluation.sm2.log_loss,
            evaluation.fsrs_default.log_loss,
            evaluation.fsrs_fitted.log_loss
        ),
    );
    let started = Instant::now();
    let optimized = service.optimize(now, &|_, _| {})?;
    table.time(
        "fsrs_optimize_ms",
        &format!("optimize on {} answers", optimized.reviews_used),
        started.elapsed(),
    );
    let started = Instant::now();
    let back = service.set_scheduler(
        Some(notedeck_api::SchedulerName::Sm2),
        None,
        now,
        &mut |_, _| {},
    )?;
    table.time(
        "fsrs_switch_back_ms",
        &format!(
            "switch back to SM-2: replay {} answers",
            back.answers_replayed
        ),
        started.elapsed(),
    );
    Ok(())
}

/// Writes the collection's active cards as a tab-separated file for Anki's
/// text import: a header Anki reads (separator, HTML, columns), then one
/// `front<TAB>back` line per card with tabs and line breaks flattened.
fn write_anki_tsv(db: &std::path::Path, out: &std::path::Path) -> Result<()> {
    use std::io::Write as _;
    let collection = Collection::open(db)?;
    let file =
        std::fs::File::create(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    writeln!(writer, "#separator:tab\n#html:true\n#columns:Front\tBack")?;
    let flat = |html: &str| html.replace(['\t', '\n', '\r'], " ");
    collection.reader().for_each_card(None, &mut |card| {
        if card.state.as_str() != "retired" {
            writeln!(
                writer,
                "{}\t{}",
                flat(&card.front_html),
                flat(&card.back_html)
            )
            .map_err(|e| notedeck_core::Error::io("writing the Anki TSV", e))?;
        }
        Ok(())
    })?;
    writer.flush()?;
    Ok(())
}
