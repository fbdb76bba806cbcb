//! `notedeck`: the command-line shell over the notedeck service layer.
//!
//! It parses arguments, reads the clock once (or `--now`), calls the API and
//! prints text or JSON. Errors are printed as one line and exit non-zero.

mod output;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use notedeck_api::{ImportRequest, Service};

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
    /// Show the deck tree with total, new and due counts.
    Decks {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List every card (or a deck's cards, sub-decks included).
    Cards {
        /// Only this deck and its sub-decks.
        #[arg(long, value_name = "NAME")]
        deck: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("notedeck: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
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
    let now = match &cli.now {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .with_context(|| {
                format!("--now `{text}` is not an RFC 3339 time such as 2026-01-31T09:00:00Z")
            })?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    let db = match cli.db {
        Some(db) => db,
        None => default_db()?,
    };
    let mut service = Service::open(&db)?;
    match cli.command {
        Command::Import {
            paths,
            deck,
            dry_run,
            json,
        } => {
            let request = ImportRequest { deck, dry_run };
            let bar = (!json && std::io::stdout().is_terminal()).then(output::progress_bar);
            let report = service.import(&paths, &request, now, &mut |p| {
                if let Some(bar) = &bar {
                    bar.set_length(p.total as u64);
                    bar.set_position(p.done as u64);
                }
            })?;
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
            if json {
                output::print_json(&report)?;
            } else {
                output::print_import(&report);
            }
        }
        Command::Decks { json } => {
            let decks = service.decks(now)?;
            if json {
                output::print_json(&decks)?;
            } else {
                output::print_decks(&decks);
            }
        }
        Command::Cards { deck, json } => {
            let cards = service.cards(deck.as_deref())?;
            if json {
                output::print_json(&cards)?;
            } else {
                output::print_cards(&cards);
            }
        }
    }
    Ok(())
}

/// The shared default collection: `<data dir>/notedeck/collection.sqlite3`.
fn default_db() -> Result<PathBuf> {
    let data = dirs::data_dir()
        .context("cannot find this platform's data folder; pass --db PATH or set NOTEDECK_DB")?;
    Ok(data.join("notedeck").join("collection.sqlite3"))
}
