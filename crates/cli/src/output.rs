//! Printing results for people (text) and scripts (JSON).

use indicatif::{ProgressBar, ProgressStyle};
use notedeck_api::{AnkiImportDto, CardDto, DeckNode, ImportReportDto};
use serde::Serialize;

/// Prints one line of text for a person, with terminal control characters
/// (from file, folder or deck names) made visible instead of obeyed.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::print_line(&format!($($arg)*))
    };
}

/// Writes `text` and a newline to standard output, control characters
/// shown as `\x1b`-style escapes; a closed pipe ends output quietly.
pub fn print_line(text: &str) {
    write_line(&mut std::io::stdout().lock(), text);
}

/// Writes `text` and a newline to `out` as [`print_line`] does.
fn write_line(out: &mut impl std::io::Write, text: &str) {
    let _ = writeln!(out, "{}", visible(text));
}

/// Lines of text for a person on standard output, buffered: each is
/// written as [`print_line`] writes it, many in one write (standard output
/// alone writes at every line). A closed pipe ends output quietly.
pub struct Lines(std::io::BufWriter<std::io::StdoutLock<'static>>);

impl Lines {
    /// Buffered lines on standard output (held until dropped).
    pub fn new() -> Lines {
        Lines(std::io::BufWriter::new(std::io::stdout().lock()))
    }

    /// Writes `text` and a newline, control characters made visible.
    pub fn say(&mut self, text: &str) {
        write_line(&mut self.0, text);
    }
}

/// `text` with control characters other than newline and tab written as
/// escapes (`\x1b`, `\u{9b}`), so a name cannot move the cursor, change
/// colours or retitle the terminal.
pub fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_hidden_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !is_hidden_control(c) {
            out.push(c);
        } else if (c as u32) < 0x80 {
            out.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    std::borrow::Cow::Owned(out)
}

fn is_hidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// A progress bar for long imports (only shown on a terminal).
pub fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} notes {msg}") {
        bar.set_style(style);
    }
    bar
}

/// What a change of scheduler did, in a line.
pub fn print_switched(switched: &notedeck_api::SwitchedDto) {
    let name = if switched.scheduler == notedeck_api::SchedulerName::Fsrs {
        "FSRS"
    } else {
        "SM-2"
    };
    if !switched.changed {
        say!("{name} was already in force; nothing changed.");
    } else if switched.rebuilt {
        say!(
            "Now scheduling with {name}: replayed {} answers, {} cards rescheduled. Switching back gives exactly the schedules of before.",
            switched.answers_replayed,
            switched.cards_rescheduled
        );
    } else {
        say!("{name}'s new setting applies to the answers from now on.");
    }
}

/// `simulate`: one line per desired retention.
pub fn print_projections(projections: &[notedeck_api::ProjectionDto], days: usize) {
    if let Some(first) = projections.first() {
        say!(
            "{} cards over {days} days under FSRS (your new-card limit, FSRS's parameters in force):",
            first.cards
        );
    }
    say!(
        "{:>9} {:>13} {:>13} {:>17}",
        "retention",
        "reviews a day",
        "minutes a day",
        "remembered at end"
    );
    for p in projections {
        say!(
            "{:>8.0}% {:>13.1} {:>13.1} {:>17.0}",
            p.desired_retention * 100.0,
            p.reviews_per_day,
            p.minutes_per_day,
            p.remembered_at_end
        );
    }
}

/// What `optimize` fitted.
pub fn print_optimized(optimized: &notedeck_api::OptimizedDto) {
    say!(
        "Fitted FSRS's parameters to {} answers{}",
        optimized.reviews_used,
        if optimized.applied {
            ": they schedule your answers from now on."
        } else {
            ". They apply when you choose FSRS (`notedeck settings --scheduler fsrs`)."
        }
    );
    let shown: Vec<String> = optimized
        .parameters
        .iter()
        .map(|p| format!("{p:.4}"))
        .collect();
    say!("parameters: {}", shown.join(", "));
}

/// `scheduler evaluate`: a table and a sentence.
pub fn print_evaluation(evaluation: &notedeck_api::EvaluationDto) {
    say!(
        "{:<28} {:>9} {:>11} {:>8}",
        "scheduler",
        "log loss",
        "RMSE (bins)",
        "tested"
    );
    for (name, score) in [
        ("SM-2", &evaluation.sm2),
        ("FSRS, default parameters", &evaluation.fsrs_default),
        ("FSRS, fitted to your answers", &evaluation.fsrs_fitted),
    ] {
        say!(
            "{name:<28} {:>9.4} {:>10.2}% {:>8}",
            score.log_loss,
            score.rmse_bins * 100.0,
            score.reviews_tested
        );
    }
    say!("{}", evaluation_sentence(evaluation));
}

/// The evaluation in plain words.
pub fn evaluation_sentence(evaluation: &notedeck_api::EvaluationDto) -> String {
    let best_fsrs = evaluation
        .fsrs_fitted
        .log_loss
        .min(evaluation.fsrs_default.log_loss);
    let sm2 = evaluation.sm2.log_loss;
    if best_fsrs < sm2 {
        format!(
            "On your last {} answers FSRS predicted your recall better than SM-2 (log loss {:.3} against {:.3}; lower is better): with FSRS, reviews come when you are about to forget.",
            evaluation.sm2.reviews_tested, best_fsrs, sm2
        )
    } else {
        format!(
            "On your last {} answers SM-2 predicted your recall as well as FSRS or better (log loss {:.3} against {:.3}): SM-2 suits you as it is.",
            evaluation.sm2.reviews_tested, sm2, best_fsrs
        )
    }
}

/// Pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    // Written, not printed: a reader that stops early (`| head`) ends the
    // command quietly instead of a panic.
    // Buffered: standard output alone flushes at every line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// What bringing in an Anki package did.
pub fn print_anki_import(report: &AnkiImportDto) {
    say!(
        "Anki package ({} format): {} notes, {} cards, {} reviews",
        report.format,
        report.notes,
        report.cards,
        report.reviews
    );
    for t in &report.notetypes {
        say!("  {} ({} notes): {}", t.name, t.notes, t.mapping);
    }
    let verb = if report.import.is_none() {
        "Would write"
    } else {
        "Wrote"
    };
    say!("{verb} into {}:", report.into);
    for f in &report.files {
        say!(
            "  {:<9} {} ({} notes) ← {}",
            f.outcome,
            f.path,
            f.notes,
            f.deck
        );
    }
    if report.media_copied + report.media_present > 0 {
        say!(
            "  media: {} copied, {} already there",
            report.media_copied,
            report.media_present
        );
    }
    for name in &report.media_missing {
        say!("  missing media: {name} (named by a note, not in the package)");
    }
    for why in report.media_skipped.iter().chain(&report.skipped) {
        say!("  skipped: {why}");
    }
    if report.files.iter().any(|f| f.outcome == "kept") {
        say!("  A note marked kept was edited since notedeck wrote it: it is left as it is.");
    }
    if let Some(import) = &report.import {
        say!("");
        print_import(import);
    }
    if let Some(p) = &report.progress {
        say!(
            "Progress kept: {} cards with their schedule, {} answers of Anki's review log{}",
            p.cards,
            p.answers,
            if p.already > 0 {
                format!(" ({} already here)", p.already)
            } else {
                String::new()
            }
        );
        if p.marked > 0 {
            say!(
                "  {} cards suspended, buried or flagged as in Anki",
                p.marked
            );
        }
        if p.without_answers > 0 {
            say!(
                "  {} cards had a due date set by hand in Anki and no answer: they start new",
                p.without_answers
            );
        }
        for why in &p.unmatched {
            say!("  not kept: {why}");
        }
    }
}

/// A readable import report: one line per note, reasons for skips; the
/// lines written in blocks (a report of 10,000 notes was 10,000 writes).
pub fn print_import(report: &ImportReportDto) {
    let mut out = Lines::new();
    // Here `say!` writes into the buffered lines.
    macro_rules! say {
        ($($arg:tt)*) => {
            out.say(&format!($($arg)*))
        };
    }
    if report.dry_run {
        say!("Dry run: nothing was written.");
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
        say!(
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
            say!("          moved from {from}");
        }
        if let Some(deck) = &note.deck_before {
            say!("          deck changes from {deck}");
        }
        if note.status != "new" {
            for change in &note.changes {
                match &change.from {
                    Some(from) => say!("          {} “{from}” → “{}”", change.kind, change.heading),
                    None => say!("          {} “{}”", change.kind, change.heading),
                }
            }
        }
        for item in &note.skipped_items {
            match (&item.heading, item.line) {
                (Some(h), Some(line)) => {
                    say!("          skipped line {line} “{h}”: {}", item.reason)
                }
                _ => say!("          skipped: {}", item.reason),
            }
        }
        for warning in &note.warnings {
            say!("          warning: {warning}");
        }
    }
    let t = &report.totals;
    say!(
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
    if let Some(found) = report.doctor_findings.filter(|&n| n > 0) {
        say!("The card doctor has {found} finding(s) in these notes: see `notedeck doctor`.");
    }
    for warning in &report.warnings {
        say!("Warning: {warning}");
    }
}

/// The deck tree with counts.
pub fn print_decks(decks: &[DeckNode], all: bool) {
    if decks.is_empty() {
        say!("No decks yet: run `notedeck import PATH` to turn notes into cards.");
        return;
    }
    fn hidden(nodes: &[DeckNode]) -> usize {
        nodes
            .iter()
            .map(|n| {
                if n.total == 0 {
                    1 + count(&n.children)
                } else {
                    hidden(&n.children)
                }
            })
            .sum()
    }
    fn count(nodes: &[DeckNode]) -> usize {
        nodes.iter().map(|n| 1 + count(&n.children)).sum()
    }
    say!(
        "{:<50} {:>6} {:>6} {:>6} {:>7}",
        "Deck",
        "Total",
        "New",
        "Due",
        "Reading"
    );
    let walk_all = all;
    fn walk(nodes: &[DeckNode], depth: usize, all: bool) {
        for node in nodes.iter().filter(|n| all || n.total > 0) {
            let name = format!("{}{}", "  ".repeat(depth), node.short_name);
            say!(
                "{:<50} {:>6} {:>6} {:>6} {:>7}",
                truncate(&name, 50),
                node.total,
                node.new,
                node.due,
                node.reading
            );
            walk(&node.children, depth + 1, all);
        }
    }
    walk(decks, 0, walk_all);
    let left_out = hidden(decks);
    if !all && left_out > 0 {
        say!("({left_out} deck(s) with no card left out; `notedeck decks --all` lists them)");
    }
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
        say!(
            "{}  {:<8} {:<10} {} › {}",
            card.id,
            card.state,
            due,
            card.deck,
            heading
        );
    }
    say!("{} cards", cards.len());
}

/// The card doctor's findings, one per line, then a count per rule.
pub fn print_findings(findings: &[notedeck_api::FindingDto]) {
    for f in findings {
        say!(
            "{}:{}  {}  {} (limit {})  {}",
            f.note,
            f.line,
            f.rule,
            f.value,
            f.threshold,
            f.fix
        );
    }
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for f in findings {
        *counts.entry(f.rule.as_str()).or_default() += 1;
    }
    let summary: Vec<String> = counts
        .iter()
        .map(|(rule, n)| format!("{rule} {n}"))
        .collect();
    if findings.is_empty() {
        say!("The card doctor found nothing to fix.");
    } else {
        say!("{} findings: {}", findings.len(), summary.join(", "));
    }
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
        say!("Nothing due. Come back tomorrow, or import more notes.");
        return;
    }
    for item in queue {
        let card = &item.card;
        let heading = if card.heading_path.is_empty() {
            "(title)".to_owned()
        } else {
            card.heading_path.join(" › ")
        };
        say!("{}  {:<6} {} › {}", card.id, item.queue, card.deck, heading);
    }
    say!("{} cards", queue.len());
}

/// The result of an answer or an undo.
pub fn print_answer(answer: &notedeck_api::AnswerDto, verb: &str) {
    let r = &answer.review;
    let c = &answer.card;
    say!(
        "{verb} {} with grade {} ({}) on {}",
        r.card_id,
        r.grade,
        r.kind,
        r.day
    );
    say!(
        "now: {}, n={}, EF={:.2}, interval {} day(s), due {}, lapses {}",
        c.state,
        c.repetitions,
        c.ease_factor,
        c.interval_days,
        c.due.as_deref().unwrap_or("-"),
        c.lapses
    );
    if answer.became_leech {
        say!(
            "this card is now a leech (forgotten {} times): it is tagged `leech`{}; rewrite it in its note, then `notedeck unsuspend {}`",
            c.lapses,
            if c.suspended { " and suspended" } else { "" },
            c.id
        );
    }
}

/// A deck's options: in force, and whether set on the deck or inherited.
pub fn print_deck_options(options: &notedeck_api::DeckOptionsDto) {
    let (own, effective) = (&options.own, &options.effective);
    let whose = |set: bool| if set { "" } else { " (inherited)" };
    let number = |n: Option<i64>| n.map_or("none".to_owned(), |n| n.to_string());
    say!("deck {}", options.deck);
    say!(
        "new cards per day: {}{}",
        number(effective.new_per_day),
        whose(own.new_per_day.is_some())
    );
    say!(
        "reviews per day:   {}{}",
        number(effective.reviews_per_day),
        whose(own.reviews_per_day.is_some())
    );
    say!(
        "new-card order:    {}{}",
        effective.new_order.map_or("note", |order| order.as_str()),
        whose(own.new_order.is_some())
    );
    say!(
        "longest interval:  {}{}",
        effective
            .max_interval
            .map_or("none".to_owned(), |d| format!("{d} days")),
        whose(own.max_interval.is_some())
    );
    say!(
        "siblings apart:    {}{}",
        if effective.bury_siblings == Some(false) {
            "off"
        } else {
            "on"
        },
        whose(own.bury_siblings.is_some())
    );
}

/// What `undo` took back.
pub fn print_undo(undone: &notedeck_api::UndoDto) {
    let c = &undone.card;
    if let Some(made) = &undone.unwritten {
        say!("took card {} out of {}", made.card_id, made.note);
        return;
    }
    match &undone.review {
        Some(r) => say!(
            "undid {} with grade {} ({}) on {}",
            r.card_id,
            r.grade,
            r.kind,
            r.day
        ),
        None => {
            let what = undone
                .actions
                .first()
                .map_or("action", |a| a.action.as_str());
            say!(
                "undid {what} of {}",
                crate::plural_cards(undone.actions.len())
            );
        }
    }
    say!(
        "now: {}{}, n={}, EF={:.2}, interval {} day(s), due {}, lapses {}",
        c.state,
        if c.suspended { " (suspended)" } else { "" },
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
        say!("problem: {problem}");
    }
    say!(
        "{}: replayed {} answers{} over {} cards",
        if report.ok { "ok" } else { "FAILED" },
        report.reviews,
        if report.actions > 0 {
            format!(" and {} actions", report.actions)
        } else {
            String::new()
        },
        report.cards
    );
}

/// The backups, newest first.
pub fn print_backups(backups: &[notedeck_api::BackupDto]) {
    if backups.is_empty() {
        say!("No backups yet: one is taken each day the collection is opened for review.");
    }
    for backup in backups {
        say!("{:>10}  {}", human_bytes(backup.size), backup.path);
    }
}

fn human_bytes(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.1} kB", bytes as f64 / 1e3)
    }
}

/// Runs `write` on `path` (see [`notedeck_api::write_whole_file`]: a
/// failure never leaves half a file) or on standard output.
pub fn to_file_or_stdout(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn std::io::Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    use std::io::Write;
    match path {
        None => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            write(&mut out)?;
            out.flush()?;
        }
        // Through a partial file renamed when whole (a device or pipe
        // such as /dev/stdout is written to as it is).
        Some(path) => notedeck_api::write_whole_file(path, write)?,
    }
    Ok(())
}

fn percent(rate: Option<f64>) -> String {
    rate.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "–".to_owned())
}

/// A readable statistics summary.
pub fn write_stats_text(
    s: &notedeck_api::StatsDto,
    w: &mut dyn std::io::Write,
) -> anyhow::Result<()> {
    let scope = s.deck.as_deref().unwrap_or("all decks");
    writeln!(
        w,
        "Statistics for {scope}, {} to {} ({} days)",
        s.from, s.today, s.days_in_range
    )?;
    writeln!(w)?;
    let c = &s.cards;
    writeln!(
        w,
        "Cards      {} total: {} new, {} learning, {} young, {} mature ({} retired)",
        c.total, c.new, c.learning, c.young, c.mature, c.retired
    )?;
    let minutes = s.time_ms as f64 / 60_000.0;
    writeln!(w, "Reviews    {} answers, {minutes:.1} min", s.reviews)?;
    writeln!(
        w,
        "Retention  {} overall ({} young, {} mature) on {} answers",
        percent(s.retention.all.rate),
        percent(s.retention.young.rate),
        percent(s.retention.mature.rate),
        s.retention.all.answers
    )?;
    writeln!(
        w,
        "Streak     {} days now, longest {}",
        s.current_streak, s.longest_streak
    )?;
    let next7: i64 = s.forecast_days.iter().take(7).map(|d| d.count).sum();
    let today = s.forecast_days.first().map_or(0, |d| d.count);
    writeln!(w, "Due        {today} today, {next7} in the next 7 days")?;
    if let Some(fsrs) = &s.fsrs {
        writeln!(
            w,
            "FSRS       recall today {} on average; predicted {} and got {} on {} answers (scheduled for {:.0}%)",
            percent(fsrs.average_retrievability),
            percent(fsrs.predicted_retention),
            percent(fsrs.actual_retention),
            fsrs.answers_compared,
            fsrs.desired_retention * 100.0
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "Last days  date        reviews  again  hard  good  easy  retention"
    )?;
    for d in s.days.iter().rev().take(7) {
        let again: i64 = d.by_grade[..3].iter().sum();
        writeln!(
            w,
            "           {}  {:>7}  {:>5}  {:>4}  {:>4}  {:>4}  {:>9}",
            d.date,
            d.reviews,
            again,
            d.by_grade[3],
            d.by_grade[4],
            d.by_grade[5],
            percent(d.retention.rate)
        )?;
    }
    writeln!(w)?;
    writeln!(w, "Intervals  {}", histogram(&s.intervals))?;
    writeln!(w, "E-Factors  {}", histogram(&s.eases))?;
    if !s.hardest.is_empty() {
        writeln!(w)?;
        writeln!(w, "Hardest cards (fix these notes first):")?;
        for card in &s.hardest {
            writeln!(
                w,
                "  {} lapses, EF {:.2}  {}:{}  {}",
                card.lapses,
                card.ease_factor,
                card.note,
                card.line,
                card.heading_path.join(" › ")
            )?;
        }
    }
    writeln!(w)?;
    writeln!(
        w,
        "{:<44} {:>6} {:>5} {:>5} {:>5} {:>6} {:>8} {:>9}",
        "Deck", "Cards", "New", "Young", "Matur", "Retir", "Reviews", "Retention"
    )?;
    for d in &s.decks {
        writeln!(
            w,
            "{:<44} {:>6} {:>5} {:>5} {:>5} {:>6} {:>8} {:>9}",
            truncate(&d.deck, 44),
            d.cards.total,
            d.cards.new,
            d.cards.young,
            d.cards.mature,
            d.cards.retired,
            d.reviews,
            percent(d.retention.rate)
        )?;
    }
    Ok(())
}

fn histogram(buckets: &[notedeck_api::BucketDto]) -> String {
    let parts: Vec<String> = buckets
        .iter()
        .filter(|b| b.count > 0)
        .map(|b| format!("{}: {}", b.label, b.count))
        .collect();
    if parts.is_empty() {
        "–".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The paired devices, a line each.
pub fn print_devices(devices: &[notedeck_api::DeviceDto]) {
    if devices.is_empty() {
        say!("No device is paired.");
        return;
    }
    for d in devices {
        say!(
            "{}  {}  paired {}  last seen {}",
            d.id,
            visible(&d.name),
            d.paired_at,
            d.last_seen
        );
    }
}

/// What one sync did, in a line.
pub fn print_sync_report(report: &notedeck_api::SyncReportDto) {
    say!(
        "Synced: {} record(s) written, {} merged from other devices, {} waiting, {} line(s) skipped.",
        report.written,
        report.merged,
        report.waiting,
        report.skipped
    );
    if report.waiting > 0 || report.skipped > 0 {
        say!("`notedeck sync --status` says why.");
    }
}

/// Where sync stands, one block per device.
pub fn print_sync_status(status: &notedeck_api::SyncStatusDto) {
    match &status.folder {
        Some(folder) => say!(
            "Syncing through {folder} as {} ({}).",
            visible(&status.device_name),
            status.device_id.as_deref().unwrap_or("no id yet")
        ),
        None => say!("Sync is off. `notedeck sync --folder PATH` starts it."),
    }
    if status.devices.is_empty() {
        say!("No other device has written to the folder yet.");
    }
    for d in &status.devices {
        say!(
            "{}  {}: {} record(s) merged, newest {}, {} line(s) skipped, {} waiting",
            d.id,
            visible(&d.name),
            d.records,
            d.last_record_at.as_deref().unwrap_or("none"),
            d.skipped,
            d.waiting
        );
        for problem in &d.problems {
            say!("  skipped: {}", visible(problem));
        }
        for copy in &d.conflict_copies {
            say!(
                "  a sync tool's conflicting copy, read like any file: {}",
                visible(copy)
            );
        }
        if let Some(reason) = &d.waiting_reason {
            say!("  waiting: {reason}");
        }
    }
}
