//! `notedeck`: the command-line shell over the notedeck service layer.
//!
//! It parses arguments, reads the clock once (or `--now`), calls the API and
//! prints text or JSON. Errors are printed as one line and exit non-zero.

#[macro_use]
mod output;
mod review;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Parser, Subcommand};

use notedeck_api::{
    CardAction, DoctorRule, ExportFormat, Grade, ImportPhase, ImportRequest, LeechAction, NewOrder,
    SchedulerName, Service, SessionKind, SettingsUpdate, SkipRulesDto,
};

/// mimalloc: the import's parser threads and its writer allocate and free
/// many small strings across threads, where glibc's allocator took a tenth
/// of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// notedeck: spaced repetition for your Markdown notes.
#[derive(Parser, Debug)]
#[command(name = "notedeck", version, about, long_about = None)]
struct Cli {
    /// Collection file (default: the platform data folder's
    /// notedeck/collection.sqlite3).
    #[arg(long, global = true, env = "NOTEDECK_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Pretend the time is this RFC 3339 instant (for scripts and tests).
    #[arg(long, global = true, env = "NOTEDECK_NOW", value_name = "RFC3339")]
    now: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import notes (files or folders); with no path, re-import every source
    /// imported before.
    Import {
        /// Files (.md, .markdown, .txt) or folders to import.
        paths: Vec<PathBuf>,
        /// Put the notes in this deck (a folder's notes go under it).
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Show what would change without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Bring in an Anki package (.apkg or .colpkg, as Anki exports it):
    /// its notes are written as Markdown, one note per deck with sub-decks
    /// as folders, and its media beside them, into a folder of yours; then
    /// that folder is imported like any notes.
    ImportAnki {
        /// The package Anki exported (File → Export).
        file: PathBuf,
        /// Write the notes into this folder (default: `Anki` beside the
        /// collection). A note edited since notedeck wrote it is kept.
        #[arg(long, value_name = "FOLDER")]
        into: Option<PathBuf>,
        /// Put the notes under this deck (default: the folder's name).
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Show what would be written, writing and importing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write cards as an Anki package (.apkg) that Anki and AnkiDroid
    /// import: each card a note of notedeck's note types, its rendered
    /// HTML and breadcrumb, media included; exporting again updates the
    /// same notes in Anki.
    ExportAnki {
        /// The package to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// With each card's schedule and review log.
        #[arg(long)]
        with_progress: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the deck tree with total, new and due counts (decks of no
    /// card are left out of the text; `--all` lists them).
    Decks {
        /// Count only the cards with this tag (note tag or notedeck tag).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// List decks of no card too.
        #[arg(long)]
        all: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Today's queue in order: due reviews, new cards, same-day repeats.
    Due {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Only the cards with this tag (note tag or notedeck tag).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Print JSON (the fields of `cards --json`, plus `queue` and `intervals`).
        #[arg(long)]
        json: bool,
    },
    /// Answer a card: GRADE is 0–5 or again, hard, good, easy.
    Answer {
        /// The card's id (from `due` or `cards`).
        card_id: String,
        /// 0–5, or again (1), hard (3), good (4), easy (5).
        #[arg(value_enum, ignore_case = true)]
        grade: Grade,
        /// Milliseconds taken to answer, if you measured them.
        #[arg(long, value_name = "MS")]
        duration_ms: Option<i64>,
        /// A cram answer (custom study): logged, changes no schedule.
        #[arg(long, conflicts_with = "session")]
        cram: bool,
        /// The custom study session answered in: ahead, extra_new,
        /// failed_today or cram (its answers leave the daily limits alone).
        #[arg(long, value_name = "NAME", value_enum)]
        session: Option<SessionKind>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Custom study beyond today's queue (the daily queue and its limits
    /// stay as they are): prints the session's queue like `due`.
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["deck", "tag", "search"])))]
    #[command(group(clap::ArgGroup::new("kind").required(true).args(["ahead", "cram", "extra_new", "failed_today"])))]
    Study {
        /// The cards of this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// The cards with this tag (note tag or notedeck tag).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// The cards this search finds (as `cards --search`).
        #[arg(long, value_name = "QUERY")]
        search: Option<String>,
        /// Review ahead: cards due within this many days (answered normally).
        #[arg(long, value_name = "DAYS")]
        ahead: Option<u64>,
        /// Cram: every card, in note order; answer with `answer --cram`.
        #[arg(long)]
        cram: bool,
        /// This many new cards beyond today's limit (answer with
        /// `--session extra_new`).
        #[arg(long, value_name = "N")]
        extra_new: Option<u64>,
        /// The cards answered Again today, again.
        #[arg(long)]
        failed_today: bool,
        /// Print JSON (like `due --json`).
        #[arg(long)]
        json: bool,
    },
    /// Make a card from text of another card, written into its note: a
    /// cloze of TEXT (`--cloze`), or a question answered by TEXT
    /// (`--question Q --answer TEXT`). The note is imported again at once;
    /// `undo` takes the card out again.
    #[command(group(clap::ArgGroup::new("making").required(true).args(["cloze", "question"])))]
    Extract {
        /// The card the text is on (from `due` or `cards`).
        card_id: String,
        /// Make a cloze of this text (as written in the card's section).
        #[arg(long, value_name = "TEXT", conflicts_with_all = ["question", "answer"])]
        cloze: Option<String>,
        /// The question the answer text answers.
        #[arg(long, value_name = "Q", requires = "answer")]
        question: Option<String>,
        /// The text that answers the question (as written in the section).
        #[arg(long, value_name = "TEXT", requires = "question")]
        answer: Option<String>,
        /// Print JSON (`card_id`, `note`, `line`).
        #[arg(long)]
        json: bool,
    },
    /// Take back the last answer or action (repeat to go further back). In
    /// a terminal, a step of an earlier day is named and asked about first.
    Undo {
        /// Take it back without asking.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Replay the review log, compare it with the stored card states and
    /// the statistics' kept totals, and check the database; exits non-zero
    /// on any difference.
    Check {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Fit FSRS's parameters to your own review log (needs a few hundred
    /// answers given a day or more apart); they apply at once under FSRS,
    /// and when FSRS is chosen otherwise.
    Optimize {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Simulate the workload and what you would remember under FSRS for
    /// each desired retention, from your own cards and new-card limit.
    Simulate {
        /// Desired retentions to compare, comma-separated (0.70–0.97).
        #[arg(
            long,
            value_delimiter = ',',
            default_value = "0.85,0.9,0.95",
            value_name = "R,R,…"
        )]
        retention: Vec<f32>,
        /// Days to simulate.
        #[arg(long, default_value_t = 365)]
        days: usize,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// About the schedulers: `scheduler evaluate` compares how well SM-2
    /// and FSRS predict your own answers.
    Scheduler {
        #[command(subcommand)]
        command: SchedulerCommand,
    },
    /// Review today's cards in the terminal.
    Review {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
    },
    /// List the automatic backups.
    Backups {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The devices paired with `serve --lan` (a phone), or forget one.
    Devices {
        /// Forget this device: its token opens nothing from now on.
        #[arg(long, value_name = "ID")]
        forget: Option<String>,
        /// Print JSON: `id`, `name`, `paired_at`, `last_seen` for each.
        #[arg(long)]
        json: bool,
    },
    /// Keep several computers in step through a folder your own sync
    /// already carries (Syncthing, Dropbox, iCloud Drive, a git
    /// repository): each writes its answers and undos to files of its own
    /// there and merges the others'. The collection never goes into it.
    Sync {
        /// Sync through this folder from now on (it must exist), and sync.
        #[arg(long, value_name = "PATH", conflicts_with_all = ["status", "off"])]
        folder: Option<PathBuf>,
        /// Where sync stands: this device and each other one (records
        /// merged, the newest, lines skipped and why, records waiting).
        #[arg(long, conflicts_with = "off")]
        status: bool,
        /// Stop syncing (everything merged so far stays).
        #[arg(long)]
        off: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Takes the day's backup that `due`, `answer` or `review` claimed,
    /// from a snapshot it holds first (says `held` on standard output once
    /// it does), while they go on. Started by them, not by people.
    #[command(hide = true)]
    DailyBackupAside {
        /// The day (YYYY-MM-DD).
        day: String,
    },
    /// Put a backup back (the current state is backed up first).
    Restore {
        /// A backup file (a path, or a name from `notedeck backups`).
        file: PathBuf,
    },
    /// Show or change the daily limits and the rollover hour (with --deck:
    /// that deck's own options, inherited by its sub-decks).
    Settings {
        /// Show or change this deck's options instead of the collection's:
        /// --new-per-day, --reviews-per-day, --max-interval, --new-order,
        /// --bury-siblings, --learning-steps, --relearning-steps.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// With --deck: the longest interval in days.
        #[arg(long, value_name = "DAYS", requires = "deck")]
        max_interval: Option<i64>,
        /// With --deck: new cards in note order or in a random order.
        #[arg(long, value_enum, requires = "deck")]
        new_order: Option<NewOrder>,
        /// With --deck: keep siblings (the two cards of a `:::` pair, the
        /// cards of one cloze paragraph) off the same day (on by default).
        #[arg(long, value_enum, value_name = "on|off", requires = "deck")]
        bury_siblings: Option<Switch>,
        /// With --deck: clear the deck's own options (it inherits again).
        #[arg(long, requires = "deck")]
        inherit: bool,
        /// New cards per day.
        #[arg(long)]
        new_per_day: Option<i64>,
        /// Reviews per day.
        #[arg(long)]
        reviews_per_day: Option<i64>,
        /// Hour (0–23) at which a new day starts.
        #[arg(long)]
        rollover_hour: Option<i64>,
        /// Lapses from which a card is a leech (0: never).
        #[arg(long, value_name = "N")]
        leech_threshold: Option<i64>,
        /// What happens to a leech: suspend it (and tag it `leech`), or
        /// only tag it.
        #[arg(long, value_enum, value_name = "suspend|tag")]
        leech_action: Option<LeechAction>,
        /// Let cards load images from the web (off blocks them: no request
        /// leaves the app while you review).
        #[arg(long, value_enum, value_name = "on|off")]
        remote_images: Option<Switch>,
        /// Read labels in prose as headings (`Part 1:`, a line of bold
        /// text, a short line above a paragraph): each part becomes a card.
        /// The next import applies it.
        #[arg(long, value_enum, value_name = "on|off")]
        implicit_headings: Option<Switch>,
        /// Reading cards offered per day (default 5): a section too long to
        /// answer is read in full and scheduled for re-reading. 0 turns
        /// reading cards off (long sections are flashcards); turning them
        /// on or off applies at the next import.
        #[arg(long, value_name = "N")]
        reading_per_day: Option<i64>,
        /// Learning steps of new cards, within the day before the scheduler
        /// takes over (`"1m 10m"`; `""` for none, the default: SM-2 alone).
        #[arg(long, value_name = "STEPS")]
        learning_steps: Option<String>,
        /// Relearning steps of lapsed cards (`"10m"`; `""` for none).
        #[arg(long, value_name = "STEPS")]
        relearning_steps: Option<String>,
        /// The scheduler: sm2 (exact SM-2, the default) or fsrs (FSRS-6).
        /// Switching replays the review log under the new one; switching
        /// back gives exactly the schedules of before.
        #[arg(long, value_enum, value_name = "sm2|fsrs")]
        scheduler: Option<SchedulerName>,
        /// FSRS's desired retention: the chance of recall cards are
        /// scheduled for, 0.70–0.97 (default 0.90).
        #[arg(long, value_name = "R")]
        desired_retention: Option<f32>,
        /// Turn a junk-section rule on or off: RULE=on|off, where RULE is
        /// only-tags, only-links, only-tasks, empty, only-missing-media or
        /// link-pages (repeat for several). The next import applies it.
        #[arg(long, value_name = "RULE=on|off")]
        skip: Vec<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Progress statistics: card states, reviews, retention, forecast,
    /// streaks, distributions, hardest cards, per-deck rows.
    Stats {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Only the cards with this tag (note tag or notedeck tag).
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Days in the range, ending today.
        #[arg(long, default_value_t = 30, value_name = "N")]
        days: u32,
        /// text (a readable summary), json (everything), csv (one row per
        /// day) or html (a progress report to share: one page, no script).
        #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
        format: StatsFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Export the review log or the cards (streamed, any size).
    Export {
        /// What to export.
        #[arg(value_enum)]
        what: ExportWhat,
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// csv (RFC 4180, with a header) or json (an array of objects).
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Serve the web UI and its JSON API on this machine.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 7870)]
        port: u16,
        /// Address to listen on. Every request needs the token printed in
        /// the URL (NOTEDECK_TOKEN, of 16 characters or more, fixes it for
        /// scripts); only loopback addresses are safe from other machines.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Review on your phone: listen on this machine's network
        /// interfaces as well as loopback, print the URL with its home
        /// network address (other candidates after it) and its QR code.
        /// Only requests addressed to those addresses are answered.
        #[arg(long, conflicts_with = "host")]
        lan: bool,
        /// Serve https with this certificate chain (PEM), one you already
        /// have (your VPN's or router's): phones then allow adding notedeck
        /// to the home screen. notedeck never makes a certificate itself.
        #[arg(long, value_name = "FILE", requires_all = ["lan", "tls_key"])]
        tls_cert: Option<PathBuf>,
        /// The private key (PEM) of `--tls-cert`.
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
    },
    /// The card doctor: which cards will not work and how to fix them
    /// (too long, lists, vague headings, answers on the front,
    /// near-duplicates, leeches, links only). It changes nothing.
    Doctor {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Print JSON: an array of findings.
        #[arg(long)]
        json: bool,
        /// Dismiss the finding `--rule` on this card: it stays dismissed.
        #[arg(
            long,
            value_name = "CARD_ID",
            requires = "rule",
            conflicts_with = "undismiss"
        )]
        dismiss: Option<String>,
        /// Bring back a dismissed finding (`--rule`) of this card.
        #[arg(long, value_name = "CARD_ID", requires = "rule")]
        undismiss: Option<String>,
        /// The rule of the finding to dismiss or bring back (too_long, …).
        #[arg(long, value_name = "RULE", value_enum)]
        rule: Option<DoctorRule>,
    },
    /// Put cards aside: out of every queue until `unsuspend` (undoable).
    Suspend(Selection),
    /// Bring suspended cards back into the queue.
    Unsuspend(Selection),
    /// Keep cards out of the queue until tomorrow.
    Bury(Selection),
    /// Bring buried cards back today.
    Unbury(Selection),
    /// Start cards again as new (their history stays in the log).
    Forget(Selection),
    /// Add or remove a notedeck tag (kept in the collection, never written
    /// into your notes).
    Tag {
        #[command(flatten)]
        cards: Selection,
        /// The tag to add.
        #[arg(
            long,
            value_name = "TAG",
            conflicts_with = "remove",
            required_unless_present = "remove"
        )]
        add: Option<String>,
        /// The tag to remove.
        #[arg(long, value_name = "TAG")]
        remove: Option<String>,
    },
    /// List every card (or a deck's cards, sub-decks included, or those a
    /// search finds).
    Cards {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Only cards this search finds: words, "phrases", deck:, tag:,
        /// note:, state:new|learning|young|mature|suspended|buried|leech|retired,
        /// due:<N, lapses:>N; `-` before a term negates it.
        #[arg(long, value_name = "QUERY")]
        search: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The cards an action is for.
#[derive(clap::Args, Debug)]
struct Selection {
    /// Card ids (from `cards` or `due`); all are changed or none.
    #[arg(required = true, value_name = "CARD_ID")]
    card_ids: Vec<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// `scheduler …` subcommands.
#[derive(Subcommand, Debug)]
enum SchedulerCommand {
    /// Score SM-2, FSRS with default parameters and FSRS fitted on the
    /// earlier 80 % of your answers, on the later 20 % (log loss and RMSE
    /// over bins, as the open spaced-repetition benchmark measures them).
    Evaluate {
        /// Print JSON: one entry per scheduler (`sm2`, `fsrs_default`,
        /// `fsrs_fitted`) with `log_loss`, `rmse_bins`, `reviews_tested`.
        #[arg(long)]
        json: bool,
    },
}

/// An on/off setting.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum Switch {
    On,
    Off,
}

/// Formats of `stats`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum StatsFormat {
    Text,
    Json,
    Csv,
    /// One self-contained page (inline SVG charts, no script, no network).
    Html,
}

/// What `export` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum ExportWhat {
    Reviews,
    Cards,
}

fn main() -> ExitCode {
    notedeck_api::without_huge_pages();
    let cli = Cli::parse();
    // A bug must end in a one-line error and exit status 1, like any other
    // failure, not in a panic message and status 101. Panics caught on
    // purpose elsewhere (one note's parser) stay quiet.
    let last_panic = std::sync::Arc::new(std::sync::Mutex::new(None::<String>));
    let record = last_panic.clone();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut slot) = record.lock() {
            *slot = Some(info.to_string());
        }
    }));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(err)) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Ok(Err(err)) => {
            eprintln!("notedeck: {}", output::visible(&one_line(&err)));
            ExitCode::FAILURE
        }
        Err(_) => {
            let what = last_panic
                .lock()
                .ok()
                .and_then(|mut p| p.take())
                .unwrap_or_default();
            eprintln!(
                "notedeck: internal error ({what}); nothing was lost. Please report it, with the command you ran"
            );
            ExitCode::FAILURE
        }
    }
}

/// True when the reader of our output went away (`notedeck … | head`):
/// not a failure worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            || cause.to_string().contains("Broken pipe")
    })
}

/// The error and its causes on one line, without repeats.
fn one_line(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

fn run(cli: Cli) -> Result<()> {
    let now = now_of(cli.now.as_deref())?;
    let db = match cli.db {
        Some(db) => db,
        None => default_db()?,
    };
    // Backups can be listed and restored when the collection is too damaged
    // to open.
    if run_on_backups(&cli.command, &db, now)? {
        return Ok(());
    }
    let mut service = Service::open(&db)?;
    for notice in service.notices() {
        eprintln!("notedeck: {}", output::visible(notice));
    }
    let fixed_now = cli.now.is_some().then_some(now);
    match cli.command {
        Command::Import {
            paths,
            deck,
            dry_run,
            json,
        } => import(
            &mut service,
            &paths,
            ImportRequest { deck, dry_run },
            json,
            now,
        )?,
        Command::ImportAnki {
            file,
            into,
            deck,
            dry_run,
            json,
        } => {
            let request = notedeck_api::ImportAnkiRequest {
                file: file.to_string_lossy().into_owned(),
                into: into.map(|i| i.to_string_lossy().into_owned()),
                deck,
                dry_run,
            };
            let report = service.import_anki(&request, now, &mut |_| {})?;
            show(json, &report, output::print_anki_import)?;
        }
        Command::ExportAnki {
            out,
            deck,
            with_progress,
            json,
        } => {
            let request = notedeck_api::ExportAnkiRequest {
                out: out.to_string_lossy().into_owned(),
                deck,
                with_progress,
            };
            let report = service.export_anki(&request, now)?;
            show(json, &report, |r| {
                say!(
                    "Wrote {}: {} notes, {} cards, {} reviews, {} media",
                    r.out,
                    r.notes,
                    r.cards,
                    r.reviews,
                    r.media
                );
                for name in &r.media_missing {
                    say!("  missing media: {name}");
                }
            })?;
        }
        Command::Decks { tag, all, json } => {
            show(json, &service.decks_tagged(tag.as_deref(), now)?, |d| {
                output::print_decks(d, all)
            })?
        }
        Command::Due { deck, tag, json } => {
            // The queue writes nothing: it is read while the backup's
            // process starts, and the command ends once that holds its
            // snapshot (a write after it finds the day's backup taken).
            let backup = start_daily_backup(&service, now);
            let shown = service
                .due_tagged(deck.as_deref(), tag.as_deref(), now)
                .map_err(anyhow::Error::from)
                .and_then(|queue| show(json, &queue, |q| output::print_queue(q)));
            finish_daily_backup(&service, backup, now);
            shown?;
        }
        Command::Answer {
            card_id,
            grade,
            duration_ms,
            cram,
            session,
            json,
        } => {
            // Before the day's first answer, so that today's backup is the
            // state the day started from; a failed backup is only a warning.
            daily_backup(&service, now);
            let session = if cram {
                Some(SessionKind::Cram)
            } else {
                session
            };
            let answer = service.answer_in(&card_id, grade, now, duration_ms, session)?;
            show(json, &answer, |a| output::print_answer(a, "answered"))?;
        }
        Command::Extract {
            card_id,
            cloze,
            question,
            answer,
            json,
        } => {
            let request = notedeck_api::ExtractRequest {
                card_id,
                cloze,
                question,
                answer,
            };
            let made = service.extract(&request, now)?;
            show(json, &made, |m| {
                say!("{}", m.card_id);
                say!("written into {} at line {}", m.note, m.line);
            })?;
        }
        Command::Undo { yes, json } => {
            let step = service.undo_preview(now)?;
            let ask = !yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            if let (true, Some(step)) = (ask, &step) {
                if !step.today && !review::confirm(&format!("Take back {}?", step.description))? {
                    eprintln!("Kept it: nothing was taken back.");
                    return Ok(());
                }
            }
            let undone = service.undo_expected(step.as_ref().map(|s| s.id.as_str()), now)?;
            show(json, &undone, output::print_undo)?;
        }
        Command::Study {
            deck,
            tag,
            search,
            ahead,
            cram,
            extra_new,
            failed_today,
            json,
        } => {
            let request = notedeck_api::StudyRequest {
                deck,
                tag,
                search,
                ahead: ahead.map(notedeck_api::Count),
                cram: cram.then_some(notedeck_api::Flag(true)),
                extra_new: extra_new.map(notedeck_api::Count),
                failed_today: failed_today.then_some(notedeck_api::Flag(true)),
            };
            if request.search.is_some() {
                service.index_search()?;
            }
            show(json, &service.study(&request, now)?, |q| {
                output::print_queue(q)
            })?;
        }
        Command::Optimize { json } => {
            let optimized = with_fit_progress(json, |progress| service.optimize(now, progress));
            show(json, &optimized?, output::print_optimized)?;
        }
        Command::Scheduler {
            command: SchedulerCommand::Evaluate { json },
        } => {
            let evaluation =
                with_fit_progress(json, |progress| service.evaluate_schedulers(progress));
            show(json, &evaluation?, output::print_evaluation)?;
        }
        Command::Simulate {
            retention,
            days,
            json,
        } => {
            let projections = service.simulate(&retention, days, now)?;
            show(json, &projections, |p| output::print_projections(p, days))?;
        }
        Command::Check { json } => {
            let report = service.check()?;
            show(json, &report, output::print_check)?;
            if !report.ok {
                anyhow::bail!("check found {} problem(s)", report.problems.len());
            }
        }
        Command::Review { deck } => {
            daily_backup(&service, now);
            review::run(&mut service, deck.as_deref(), fixed_now)?;
        }
        Command::Backups { .. } | Command::Restore { .. } => {}
        Command::DailyBackupAside { day } => {
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map_err(|_| anyhow::anyhow!("`{day}` is not a day (YYYY-MM-DD)"))?;
            service.daily_backup_held(day, &mut || {
                // The process that started this one goes on now.
                println!("held");
                let _ = std::io::Write::flush(&mut std::io::stdout());
            })?;
        }
        Command::Sync {
            folder,
            status,
            off,
            json,
        } => {
            if off {
                service.sync_off()?;
                say!("Sync is off: this collection keeps everything merged so far.");
            } else if status {
                let status = service.sync_status()?;
                show(json, &status, output::print_sync_status)?;
            } else {
                let report = match folder {
                    Some(folder) => service.sync_set_folder(&folder, now)?,
                    None => {
                        if service.sync_status()?.folder.is_none() {
                            return Err(anyhow::anyhow!(
                                "sync is off: start it with `notedeck sync --folder PATH` (a folder your own sync carries)"
                            ));
                        }
                        service.sync_now(now)?
                    }
                };
                show(json, &report, output::print_sync_report)?;
            }
        }
        Command::Devices { forget, json } => {
            let devices = match forget {
                Some(id) => {
                    let left = service.forget_device(&id)?;
                    if !json {
                        say!("Forgot the device {id}: it can no longer open this collection.");
                    }
                    left
                }
                None => service.devices()?,
            };
            show(json, &devices, |d| output::print_devices(d))?;
        }
        Command::Settings {
            deck: Some(deck),
            new_per_day,
            reviews_per_day,
            max_interval,
            new_order,
            bury_siblings,
            learning_steps,
            relearning_steps,
            inherit,
            json,
            ..
        } => {
            let current = service.deck_options(&deck)?.own;
            let changed = new_per_day.is_some()
                || reviews_per_day.is_some()
                || max_interval.is_some()
                || new_order.is_some()
                || bury_siblings.is_some()
                || learning_steps.is_some()
                || relearning_steps.is_some()
                || inherit;
            let options = if !changed {
                service.deck_options(&deck)?
            } else {
                let keep = |given: Option<i64>, now: Option<i64>| {
                    if inherit {
                        given
                    } else {
                        given.or(now)
                    }
                };
                service.set_deck_options(
                    &notedeck_api::DeckOptionsRequest {
                        deck,
                        new_per_day: keep(new_per_day, current.new_per_day),
                        reviews_per_day: keep(reviews_per_day, current.reviews_per_day),
                        max_interval: keep(max_interval, current.max_interval),
                        new_order: match new_order {
                            Some(order) => Some(order),
                            None if inherit => None,
                            None => current.new_order,
                        },
                        bury_siblings: match bury_siblings {
                            Some(switch) => Some(switch == Switch::On),
                            None if inherit => None,
                            None => current.bury_siblings,
                        },
                        learning_steps: match learning_steps {
                            Some(text) => Some(text),
                            None if inherit => None,
                            None => current.learning_steps,
                        },
                        relearning_steps: match relearning_steps {
                            Some(text) => Some(text),
                            None if inherit => None,
                            None => current.relearning_steps,
                        },
                    },
                    now,
                )?
            };
            show(json, &options, output::print_deck_options)?;
        }
        Command::Settings {
            new_per_day,
            reviews_per_day,
            rollover_hour,
            remote_images,
            implicit_headings,
            reading_per_day,
            learning_steps,
            relearning_steps,
            leech_threshold,
            leech_action,
            skip,
            scheduler,
            desired_retention,
            json,
            ..
        } => {
            if scheduler.is_some() || desired_retention.is_some() {
                let name = scheduler;
                let bar = (!json && std::io::stderr().is_terminal()).then(output::progress_bar);
                let switched =
                    service.set_scheduler(name, desired_retention, now, &mut |done, all| {
                        if let Some(bar) = &bar {
                            bar.set_length(all as u64);
                            bar.set_position(done as u64);
                            bar.set_message("answers replayed");
                        }
                    })?;
                if let Some(bar) = bar {
                    bar.finish_and_clear();
                }
                if !json {
                    output::print_switched(&switched);
                }
            }
            let skip_rules = if skip.is_empty() {
                None
            } else {
                Some(skip_rules(service.settings()?.skip_rules, &skip)?)
            };
            let update = SettingsUpdate {
                new_per_day,
                reviews_per_day,
                rollover_hour,
                remote_images: remote_images.map(|s| s == Switch::On),
                implicit_headings: implicit_headings.map(|s| s == Switch::On),
                reading_per_day,
                learning_steps,
                relearning_steps,
                skip_rules,
                leech_threshold,
                leech_action,
                scheduler: None,
                desired_retention: None,
            };
            show(
                json,
                &service.update_settings(&update, now)?,
                print_settings,
            )?;
        }
        Command::Stats {
            deck,
            tag,
            days,
            format,
            out,
        } => {
            let stats = service.stats_tagged(deck.as_deref(), tag.as_deref(), days, now)?;
            output::to_file_or_stdout(out.as_deref(), |w| match format {
                StatsFormat::Text => output::write_stats_text(&stats, w),
                StatsFormat::Json => {
                    serde_json::to_writer_pretty(&mut *w, &stats)?;
                    writeln!(w)?;
                    Ok(())
                }
                StatsFormat::Csv => Ok(stats.write_csv(w)?),
                StatsFormat::Html => {
                    notedeck_api::report::write_html(&stats, w)?;
                    Ok(())
                }
            })?;
        }
        Command::Export {
            what,
            deck,
            format,
            out,
        } => export(&service, what, deck.as_deref(), format, out.as_deref())?,
        Command::Serve {
            port,
            host,
            lan,
            tls_cert,
            tls_key,
        } => {
            let tls = tls_cert
                .zip(tls_key)
                .map(|(cert, key)| notedeck_server::TlsFiles { cert, key });
            serve(service, host, lan, tls, port, fixed_now)?
        }
        Command::Doctor {
            deck,
            json,
            dismiss,
            undismiss,
            rule,
        } => match (dismiss.or(undismiss.clone()), rule) {
            (Some(card_id), Some(rule)) => {
                let request = notedeck_api::DismissRequest {
                    card_id,
                    rule,
                    dismissed: undismiss.is_none(),
                };
                let done = service.dismiss_finding(&request, now)?;
                show(json, &done, |d| {
                    say!(
                        "{} the `{}` finding on card {}.",
                        if d.dismissed {
                            "Dismissed"
                        } else {
                            "Brought back"
                        },
                        d.rule,
                        d.card_id
                    )
                })?;
            }
            _ => show(json, &service.doctor(deck.as_deref())?, |f| {
                output::print_findings(f)
            })?,
        },
        Command::Suspend(cards) => act(&mut service, cards, CardAction::Suspend, None, now)?,
        Command::Unsuspend(cards) => act(&mut service, cards, CardAction::Unsuspend, None, now)?,
        Command::Bury(cards) => act(&mut service, cards, CardAction::Bury, None, now)?,
        Command::Unbury(cards) => act(&mut service, cards, CardAction::Unbury, None, now)?,
        Command::Forget(cards) => act(&mut service, cards, CardAction::Forget, None, now)?,
        Command::Tag { cards, add, remove } => match (add, remove) {
            (Some(tag), _) => act(&mut service, cards, CardAction::Tag, Some(&tag), now)?,
            (None, tag) => act(&mut service, cards, CardAction::Untag, tag.as_deref(), now)?,
        },
        Command::Cards { deck, search, json } => {
            let cards = match search {
                Some(search) => {
                    service.index_search()?;
                    service.cards_matching(deck.as_deref(), &search, now)?
                }
                None => service.cards(deck.as_deref(), now)?,
            };
            show(json, &cards, |c| output::print_cards(c))?;
        }
    }
    Ok(())
}

/// One action on the selected cards, printed.
fn act(
    service: &mut Service,
    cards: Selection,
    action: CardAction,
    tag: Option<&str>,
    now: DateTime<Utc>,
) -> Result<()> {
    let done = service.act(&cards.card_ids, action, tag, now)?;
    show(cards.json, &done, |d| {
        let past = match d.action.as_str() {
            "suspend" => "suspended",
            "unsuspend" => "unsuspended",
            "bury" => "buried until tomorrow",
            "unbury" => "unburied",
            "forget" => "forgotten (new again)",
            "tag" => "tagged",
            _ => "untagged",
        };
        say!(
            "{} {past}{}; `notedeck undo` takes it back.",
            plural_cards(d.changed as usize),
            if d.unchanged > 0 {
                format!(" ({} already so)", d.unchanged)
            } else {
                String::new()
            }
        )
    })
}

/// "1 card", "2 cards".
fn plural_cards(n: usize) -> String {
    format!("{n} card{}", if n == 1 { "" } else { "s" })
}

/// The instant to use: `--now` (RFC 3339) or the clock.
fn now_of(text: Option<&str>) -> Result<DateTime<Utc>> {
    Ok(match text {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .with_context(|| {
                format!("--now `{text}` is not an RFC 3339 time such as 2026-01-31T09:00:00Z")
            })?
            .with_timezone(&Utc),
        None => Utc::now(),
    })
}

/// `backups` and `restore`, which work on the collection's file without
/// opening it; true when `command` was one of them.
fn run_on_backups(command: &Command, db: &std::path::Path, now: DateTime<Utc>) -> Result<bool> {
    match command {
        Command::Backups { json } => {
            show(*json, &Service::backups_of(db)?, |b| {
                output::print_backups(b)
            })?;
            Ok(true)
        }
        Command::Restore { file } => {
            let done = Service::restore_file(db, file, now)?;
            say!("Restored {}.", done.restored);
            say!(
                "The state before the restore is saved in {}.",
                done.previous_state_saved_to
            );
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// Prints `value` as JSON, or as text with `text`.
fn show<T: serde::Serialize>(json: bool, value: &T, text: impl FnOnce(&T)) -> Result<()> {
    if json {
        output::print_json(value)?;
    } else {
        text(value);
    }
    Ok(())
}

/// Runs `fit` (fitting FSRS) with a progress bar on a terminal (stderr),
/// none for JSON.
fn with_fit_progress<T>(json: bool, fit: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> T) -> T {
    let bar = (!json && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("fitting FSRS {bar:40} {percent}%")
        {
            bar.set_style(style);
        }
        bar
    });
    let result = fit(&|done, all| {
        if let Some(bar) = &bar {
            bar.set_length(all as u64);
            bar.set_position(done as u64);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    result
}

/// `import`: with a progress bar on a terminal.
fn import(
    service: &mut Service,
    paths: &[PathBuf],
    request: ImportRequest,
    json: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let bar = (!json && std::io::stdout().is_terminal()).then(output::progress_bar);
    let report = service.import(paths, &request, now, &mut |p| {
        if let Some(bar) = &bar {
            bar.set_length(p.total as u64);
            bar.set_position(p.done as u64);
            if p.phase == ImportPhase::Saving {
                bar.set_message("saving…");
            }
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    show(json, &report, output::print_import)
}

/// The settings as `settings` prints them.
fn print_settings(settings: &notedeck_api::SettingsDto) {
    say!("new cards per day: {}", settings.new_per_day);
    say!("reviews per day:   {}", settings.reviews_per_day);
    say!("day starts at:     {:02}:00", settings.rollover_hour);
    say!(
        "leeches:           {} lapses, then {}",
        settings.leech_threshold,
        match settings.leech_action {
            notedeck_api::LeechAction::Suspend => "suspended and tagged",
            notedeck_api::LeechAction::Tag => "tagged",
        }
    );
    say!(
        "images from the web: {}",
        if settings.remote_images { "on" } else { "off" }
    );
    let rules = settings.skip_rules;
    let on_off = |on: bool| if on { "on" } else { "off" };
    say!("implicit headings: {}", on_off(settings.implicit_headings));
    match settings.reading_per_day {
        0 => say!("reading cards: off"),
        n => say!("reading cards: {n} a day"),
    }
    let steps = |s: &str| {
        if s.is_empty() {
            "none".to_owned()
        } else {
            s.to_owned()
        }
    };
    say!(
        "learning steps:    {} (relearning: {})",
        steps(&settings.learning_steps),
        steps(&settings.relearning_steps)
    );
    say!(
        "skip sections: only-tags {}, only-links {}, only-tasks {}, empty {}, only-missing-media {}, link-pages {}",
        on_off(rules.only_tags),
        on_off(rules.only_links),
        on_off(rules.only_tasks),
        on_off(rules.empty),
        on_off(rules.only_missing_media),
        on_off(rules.link_pages)
    );
    say!(
        "scheduler:         {}",
        if settings.scheduler == SchedulerName::Fsrs {
            format!(
                "FSRS, desired retention {:.2}, {} parameters",
                settings.desired_retention,
                if settings.fsrs_fitted_at.is_some() {
                    "fitted"
                } else {
                    "default"
                }
            )
        } else {
            "SM-2".to_owned()
        }
    );
}

/// `export reviews|cards`: to `out`, or standard output.
fn export(
    service: &Service,
    what: ExportWhat,
    deck: Option<&str>,
    format: ExportFormat,
    out: Option<&std::path::Path>,
) -> Result<()> {
    output::to_file_or_stdout(out, |w| {
        match what {
            ExportWhat::Reviews => service.export_reviews(deck, format, w)?,
            ExportWhat::Cards => service.export_cards(deck, format, w)?,
        };
        Ok(())
    })
}

/// `serve`: runs until stopped, printing the URL to open.
fn serve(
    service: Service,
    host: std::net::IpAddr,
    lan: bool,
    tls: Option<notedeck_server::TlsFiles>,
    port: u16,
    fixed_now: Option<DateTime<Utc>>,
) -> Result<()> {
    let options = notedeck_server::Options {
        host,
        port,
        fixed_now,
        token: std::env::var("NOTEDECK_TOKEN")
            .ok()
            .filter(|t| t.len() >= 16),
        lan,
        tls,
    };
    notedeck_server::run(service, options, |listening| {
        use std::io::Write;
        // Whoever started the server may stop reading its output:
        // printing must not stop the server.
        let mut out = std::io::stdout();
        let _ = writeln!(out, "notedeck is serving {}", listening.url);
        for note in &listening.notes {
            let _ = writeln!(out, "{note}");
        }
        if let Some(qr) = &listening.qr {
            let _ = writeln!(
                out,
                "\nScan it with your phone's camera to pair it (once; then it opens notedeck without a token):\n{qr}"
            );
        }
        let _ = out.flush();
    })?;
    Ok(())
}

/// `current` with each `RULE=on|off` of `--skip` applied.
fn skip_rules(current: SkipRulesDto, changes: &[String]) -> Result<SkipRulesDto> {
    let mut rules: notedeck_api::JunkRules = current.into();
    for change in changes {
        let (name, value) = change.split_once('=').unwrap_or((change, ""));
        let on = match value {
            "on" => true,
            "off" => false,
            _ => anyhow::bail!("--skip {change}: write RULE=on or RULE=off"),
        };
        let Some(rule) = rules.rule_mut(name) else {
            anyhow::bail!(
                "--skip {change}: no rule `{name}`; the rules are {}",
                notedeck_api::JUNK_RULE_NAMES.join(", ")
            );
        };
        *rule = on;
    }
    Ok(rules.into())
}

/// Takes today's backup if none was taken yet. A failure is a warning: the
/// review goes on, and yesterday's backup is still there.
fn daily_backup(service: &Service, now: DateTime<Utc>) {
    finish_daily_backup(service, start_daily_backup(service, now), now);
}

/// Today's backup as it is being taken (see [`start_daily_backup`]).
enum DailyBackup {
    /// None to take: there is one, another process is taking it, or the
    /// claim failed (said on standard error).
    None,
    /// Another process was started to take it; it says when it holds its
    /// snapshot.
    Aside(Aside),
    /// That process could not be started (why): taken here instead.
    Here(NaiveDate, String),
}

/// Claims today's backup and starts another process that takes it from a
/// snapshot it holds, so the first review of the day never waits for the
/// copy. Work that writes nothing may go on meanwhile; anything that writes
/// waits for [`finish_daily_backup`] first, so that the backup is the state
/// the day started from.
fn start_daily_backup(service: &Service, now: DateTime<Utc>) -> DailyBackup {
    match service.claim_daily_backup(now) {
        Ok(Some(day)) => match start_aside(service.path(), day) {
            Ok(aside) => DailyBackup::Aside(aside),
            Err(why) => DailyBackup::Here(day, why.to_string()),
        },
        Ok(None) => DailyBackup::None,
        Err(err) => {
            eprintln!("notedeck: warning: today's backup could not be taken: {err}");
            DailyBackup::None
        }
    }
}

/// Waits until the process [`start_daily_backup`] started holds its
/// snapshot (not for the copy); where it could not, the backup is taken
/// here.
fn finish_daily_backup(service: &Service, backup: DailyBackup, now: DateTime<Utc>) {
    let (day, why) = match backup {
        DailyBackup::None => return,
        DailyBackup::Aside(aside) => {
            let day = aside.day;
            match aside.held() {
                Ok(()) => return,
                Err(why) => (day, why.to_string()),
            }
        }
        DailyBackup::Here(day, why) => (day, why),
    };
    service.release_daily_backup(day);
    if let Err(err) = service.daily_backup(now) {
        eprintln!("notedeck: warning: today's backup could not be taken ({why}): {err}");
    }
}

/// `notedeck daily-backup-aside` started on the collection.
struct Aside {
    day: NaiveDate,
    child: std::process::Child,
    /// The first line it writes (`held`), read on a thread of its own.
    heard: std::sync::mpsc::Receiver<String>,
}

/// Starts `notedeck daily-backup-aside` for `day` on the collection.
fn start_aside(db: &std::path::Path, day: NaiveDate) -> Result<Aside> {
    use std::io::BufRead;
    let exe = std::env::current_exe()?;
    let mut child = std::process::Command::new(exe)
        .arg("--db")
        .arg(db)
        .arg("daily-backup-aside")
        .arg(day.format("%Y-%m-%d").to_string())
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow::anyhow!("no pipe to the backup"))?;
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = std::io::BufReader::new(stdout).read_line(&mut line);
        let _ = said.send(line);
    });
    Ok(Aside { day, child, heard })
}

impl Aside {
    /// Waits until it holds its snapshot (`NOTEDECK_BACKUP_WAIT`: until the
    /// copy is made too, for tests that look at it at once).
    fn held(mut self) -> Result<()> {
        match self.heard.recv_timeout(std::time::Duration::from_secs(10)) {
            Ok(line) if line.trim() == "held" => {}
            _ => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                return Err(anyhow::anyhow!("the backup process did not start"));
            }
        }
        if std::env::var_os("NOTEDECK_BACKUP_WAIT").is_some() {
            self.child.wait()?;
        }
        Ok(())
    }
}

/// The shared default collection (`--db` and `NOTEDECK_DB` came first).
fn default_db() -> Result<PathBuf> {
    notedeck_api::platform_collection_path()
        .map_err(|e| anyhow::anyhow!("{}; or pass --db PATH", e.message))
}
