//! Printing results for people (text) and scripts (JSON).

use indicatif::{ProgressBar, ProgressStyle};
use notedeck_api::{CardDto, DeckNode, ImportReportDto};
use serde::Serialize;

/// A progress bar for long imports (only shown on a terminal).
pub fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} notes {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A readable import report: one line per note, reasons for skips.
pub fn print_import(report: &ImportReportDto) {
    if report.dry_run {
        println!("Dry run: nothing was written.");
    }
    for note in &report.notes {
        let c = &note.counts;
        let mut parts = Vec::new();
        for (n, label) in [
            (c.added, "added"),
            (c.updated, "updated"),
            (c.unchanged, "unchanged"),
            (c.moved, "moved"),
            (c.retired, "retired"),
            (c.restored, "restored"),
            (c.skipped, "skipped"),
        ] {
            if n > 0 {
                parts.push(format!("{n} {label}"));
            }
        }
        let deck = note
            .deck
            .as_deref()
            .map(|d| format!(" → {d}"))
            .unwrap_or_default();
        println!(
            "{:<9} {}{deck}: {}",
            note.status,
            note.path,
            if parts.is_empty() {
                "no cards".into()
            } else {
                parts.join(", ")
            }
        );
        if let Some(from) = &note.moved_from {
            println!("          moved from {from}");
        }
        for item in &note.skipped_items {
            match (&item.heading, item.line) {
                (Some(h), Some(line)) => {
                    println!("          skipped line {line} “{h}”: {}", item.reason)
                }
                _ => println!("          skipped: {}", item.reason),
            }
        }
        for warning in &note.warnings {
            println!("          warning: {warning}");
        }
    }
    let t = &report.totals;
    println!(
        "{} notes: {} added, {} updated, {} unchanged, {} moved, {} retired, {} restored, {} skipped",
        report.notes.len(),
        t.added,
        t.updated,
        t.unchanged,
        t.moved,
        t.retired,
        t.restored,
        t.skipped
    );
}

/// The deck tree with counts.
pub fn print_decks(decks: &[DeckNode]) {
    if decks.is_empty() {
        println!("No decks yet: run `notedeck import PATH` to turn notes into cards.");
        return;
    }
    println!("{:<50} {:>6} {:>6} {:>6}", "Deck", "Total", "New", "Due");
    fn walk(nodes: &[DeckNode], depth: usize) {
        for node in nodes {
            let name = format!("{}{}", "  ".repeat(depth), node.short_name);
            println!(
                "{:<50} {:>6} {:>6} {:>6}",
                truncate(&name, 50),
                node.total,
                node.new,
                node.due
            );
            walk(&node.children, depth + 1);
        }
    }
    walk(decks, 0);
}

/// One line per card: id, state, deck and heading path.
pub fn print_cards(cards: &[CardDto]) {
    for card in cards {
        let heading = if card.heading_path.is_empty() {
            "(title)".to_owned()
        } else {
            card.heading_path.join(" › ")
        };
        let due = card.due.as_deref().unwrap_or("-");
        println!(
            "{}  {:<8} {:<10} {} › {}",
            card.id, card.state, due, card.deck, heading
        );
    }
    println!("{} cards", cards.len());
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut out: String = text.chars().take(width - 1).collect();
        out.push('…');
        out
    }
}

/// Today's queue, one line per card.
pub fn print_queue(queue: &[notedeck_api::QueueCardDto]) {
    if queue.is_empty() {
        println!("Nothing due. Come back tomorrow, or import more notes.");
        return;
    }
    for item in queue {
        let card = &item.card;
        let heading = if card.heading_path.is_empty() {
            "(title)".to_owned()
        } else {
            card.heading_path.join(" › ")
        };
        println!("{}  {:<6} {} › {}", card.id, item.queue, card.deck, heading);
    }
    println!("{} cards", queue.len());
}

/// The result of an answer or an undo.
pub fn print_answer(answer: &notedeck_api::AnswerDto, verb: &str) {
    let r = &answer.review;
    let c = &answer.card;
    println!(
        "{verb} {} with grade {} ({}) on {}",
        r.card_id, r.grade, r.kind, r.day
    );
    println!(
        "now: {}, n={}, EF={:.2}, interval {} day(s), due {}, lapses {}",
        c.state,
        c.repetitions,
        c.ease_factor,
        c.interval_days,
        c.due.as_deref().unwrap_or("-"),
        c.lapses
    );
}

/// The result of `check`.
pub fn print_check(report: &notedeck_api::CheckDto) {
    for problem in &report.problems {
        println!("problem: {problem}");
    }
    println!(
        "{}: replayed {} answers over {} cards",
        if report.ok { "ok" } else { "FAILED" },
        report.reviews,
        report.cards
    );
}

/// The backups, newest first.
pub fn print_backups(backups: &[notedeck_api::BackupDto]) {
    if backups.is_empty() {
        println!("No backups yet: one is taken each day the collection is opened for review.");
    }
    for backup in backups {
        println!("{:>10}  {}", human_bytes(backup.size), backup.path);
    }
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}
