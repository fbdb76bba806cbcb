//! `notedeck review`: today's cards in the terminal.
//!
//! Space or Enter shows the answer (and turns the pages of a long one, the
//! question staying on screen), 1–4 answer Again/Hard/Good/Easy (a reading
//! card takes 2–4), `b` buries the card until tomorrow, `s` suspends it,
//! `o` opens its note, `u` (or Ctrl+Z) undoes, `q` (or Esc) quits. On a terminal keys are read raw;
//! when standard input is a pipe each byte is a key, so reviews can be
//! scripted (`printf ' 3 4q' | notedeck review`).

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Utc};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use notedeck_api::{CardAction, Grade, QueueCardDto, Service};

const BUTTONS: [&str; 4] = ["Again", "Hard", "Good", "Easy"];
const GRADES: [Grade; 4] = [Grade::Again, Grade::Hard, Grade::Good, Grade::Easy];

/// Where keys come from.
enum Keys {
    Terminal,
    Pipe(std::io::Bytes<std::io::StdinLock<'static>>),
}

impl Keys {
    /// The next key, or `None` at the end of input.
    fn next(&mut self) -> Result<Option<char>> {
        match self {
            Keys::Pipe(bytes) => Ok(bytes.next().transpose()?.map(char::from)),
            Keys::Terminal => loop {
                if let Event::Key(key) = event::read()? {
                    if key.kind != KeyEventKind::Press {
                        continue;
                    }
                    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
                    let c = match key.code {
                        KeyCode::Char('c') if ctrl => 'q',
                        KeyCode::Char('z') if ctrl => 'u',
                        KeyCode::Char(c) => c,
                        KeyCode::Enter => '\n',
                        KeyCode::Esc => 'q',
                        _ => continue,
                    };
                    return Ok(Some(c));
                }
            },
        }
    }
}

/// Raw mode and the alternate screen, restored on drop.
struct Screen {
    raw: bool,
}

impl Screen {
    fn new(raw: bool) -> Result<Screen> {
        if raw {
            terminal::enable_raw_mode()?;
            execute!(std::io::stdout(), terminal::EnterAlternateScreen)?;
        }
        Ok(Screen { raw })
    }

    fn width(&self) -> usize {
        terminal::size()
            .map(|(w, _)| usize::from(w))
            .unwrap_or(80)
            .clamp(40, 100)
    }

    /// Lines the screen shows (24 when it cannot be told).
    fn height(&self) -> usize {
        terminal::size()
            .map(|(_, h)| usize::from(h))
            .unwrap_or(24)
            .max(12)
    }

    fn clear(&self) -> Result<()> {
        if self.raw {
            execute!(
                std::io::stdout(),
                terminal::Clear(terminal::ClearType::All),
                cursor::MoveTo(0, 0)
            )?;
        } else {
            println!();
        }
        Ok(())
    }

    fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        // Card and deck text never drives the terminal.
        let text = crate::output::visible(text);
        if self.raw {
            out.write_all(text.replace('\n', "\r\n").as_bytes())?;
        } else {
            out.write_all(text.as_bytes())?;
        }
        out.flush()?;
        Ok(())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        if self.raw {
            let _ = execute!(std::io::stdout(), terminal::LeaveAlternateScreen);
            let _ = terminal::disable_raw_mode();
        }
    }
}

/// What a key press asks for.
enum Action {
    /// `q`, Esc, Ctrl+C or the end of input.
    Quit,
    /// `u` or Ctrl+Z.
    Undo,
    /// A key the current step accepts.
    Key(char),
}

/// Waits for quit, undo, or a key `wanted` accepts; other keys are ignored.
fn next_action(keys: &mut Keys, wanted: impl Fn(char) -> bool) -> Result<Action> {
    loop {
        match keys.next()? {
            None | Some('q') => return Ok(Action::Quit),
            Some('u') => return Ok(Action::Undo),
            Some(c) if wanted(c) => return Ok(Action::Key(c)),
            Some(_) => {}
        }
    }
}

/// Renders sanitised card HTML as readable terminal text.
fn text_of(html: &str, width: usize) -> String {
    html2text::from_read(html.as_bytes(), width).unwrap_or_else(|_| html.to_owned())
}

/// Runs the review loop. `fixed_now` pins the clock (from `--now`).
pub fn run(
    service: &mut Service,
    deck: Option<&str>,
    fixed_now: Option<DateTime<Utc>>,
) -> Result<()> {
    let now = || fixed_now.unwrap_or_else(Utc::now);
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let mut keys = if interactive {
        Keys::Terminal
    } else {
        Keys::Pipe(std::io::stdin().lock().bytes())
    };
    let screen = Screen::new(interactive)?;
    // Answers given in this review: undo takes them back without asking.
    let mut own: Vec<String> = Vec::new();
    'cards: loop {
        let queue = service.due(deck, now())?;
        let Some(item) = queue.first() else { break };
        let summary = service.day_summary(deck, now())?;
        let shown = Instant::now();
        // A reading card is read in full: nothing to reveal.
        let reading = item.card.kind == "reading";
        let mut view = View {
            item,
            left: queue.len(),
            done: summary.answers,
            revealed: reading,
            page: 0,
        };
        loop {
            let more = view.draw(&screen)?;
            let revealed = view.revealed;
            let first = if reading { '2' } else { '1' };
            let wanted = |c: char| {
                matches!(c, ' ' | '\n' | '\r' | 'b' | 's' | 'o')
                    || (revealed && (first..='4').contains(&c))
            };
            match next_action(&mut keys, wanted)? {
                Action::Quit => break 'cards,
                Action::Undo => {
                    undo(service, &screen, &mut keys, &own, now())?;
                    continue 'cards;
                }
                Action::Key(' ' | '\n' | '\r') => {
                    // Space shows the answer, then turns its pages.
                    if !view.revealed {
                        view.revealed = true;
                    } else if more {
                        view.page += 1;
                    }
                }
                Action::Key(c @ ('b' | 's')) => {
                    let action = if c == 'b' {
                        CardAction::Bury
                    } else {
                        CardAction::Suspend
                    };
                    match service.act(std::slice::from_ref(&item.card.id), action, None, now()) {
                        Ok(done) => {
                            own.extend(done.undo_id);
                            continue 'cards;
                        }
                        Err(err) => screen.print(&format!("\n{}\n", err.message))?,
                    }
                }
                Action::Key('o') => {
                    let heading = item.card.heading_path.last().map(String::as_str);
                    if let Err(err) = service.open_note(&item.card.note, heading) {
                        screen.print(&format!("\n{}\n", err.message))?;
                    }
                }
                Action::Key(c) => {
                    let index = usize::from(c as u8 - b'1');
                    let elapsed = shown.elapsed().as_millis() as i64;
                    let answered =
                        service.answer(&item.card.id, GRADES[index], now(), Some(elapsed))?;
                    own.push(answered.review.id);
                    continue 'cards;
                }
            }
        }
    }
    drop(screen);
    let summary = service.day_summary(deck, now())?;
    let left = service.due(deck, now())?.len();
    if left > 0 {
        println!("{left} card(s) left for today.");
    } else if let Some(held) = &summary.held_back {
        println!("Done for today. {held}");
    } else {
        println!("All done for today.");
    }
    println!(
        "Today: {} answer(s) on {} card(s); {} due tomorrow.",
        summary.answers, summary.cards, summary.due_tomorrow
    );
    Ok(())
}

/// One card on the screen: its front, and once shown its answer a page at
/// a time, so a long answer never scrolls the question away.
struct View<'a> {
    item: &'a QueueCardDto,
    left: usize,
    done: i64,
    revealed: bool,
    /// The page of the answer shown (0: its start).
    page: usize,
}

impl View<'_> {
    /// Draws the card; true when the answer has pages after this one.
    fn draw(&self, screen: &Screen) -> Result<bool> {
        let (width, height) = (screen.width(), screen.height());
        let card = &self.item.card;
        screen.clear()?;
        let kind = if card.kind == "reading" {
            "reading"
        } else {
            self.item.queue.as_str()
        };
        screen.print(&format!(
            "notedeck · {} left · {} done today · {kind}\n",
            self.left, self.done
        ))?;
        let rule = "─".repeat(width);
        screen.print(&format!("{rule}\n"))?;
        let front = text_of(&card.front_html, width);
        screen.print(front.trim_end())?;
        screen.print("\n")?;
        if !self.revealed {
            screen.print(&format!(
                "{rule}\n[Space] show answer   [b] bury  [s] suspend  [o] open note   [u] undo   [q] quit\n"
            ))?;
            return Ok(false);
        }
        let back = text_of(&mark_answers(&card.back_html), width);
        let lines: Vec<&str> = back.trim_end().lines().collect();
        // Header, two rules, the front, and three lines of keys stay.
        let room = height
            .saturating_sub(front.trim_end().lines().count() + 6)
            .max(5);
        let pages = lines.len().div_ceil(room).max(1);
        let page = self.page.min(pages - 1);
        screen.print(&format!("{rule}\n"))?;
        let shown = &lines[(page * room).min(lines.len())..((page + 1) * room).min(lines.len())];
        screen.print(&shown.join("\n"))?;
        screen.print("\n")?;
        let more = page + 1 < pages;
        let reading = card.kind == "reading";
        let buttons: Vec<String> = BUTTONS
            .iter()
            .zip(self.item.intervals)
            .enumerate()
            .skip(usize::from(reading))
            .map(|(i, (label, days))| {
                format!("[{}] {label} ({})", i + 1, preview(self.item, i, days))
            })
            .collect();
        let paging = if more {
            format!("[Space] more ({}/{pages})   ", page + 1)
        } else {
            String::new()
        };
        screen.print(&format!(
            "{rule}\n{paging}{}\n[b] bury  [s] suspend  [o] open note   [u] undo   [q] quit\n",
            buttons.join("  ")
        ))?;
        Ok(more)
    }
}

/// What button `index` (0 Again … 3 Easy) does, as the app shows it: Again
/// and Hard bring a flashcard back later today under SM-2's rule; a cram
/// answer changes nothing.
fn preview(item: &QueueCardDto, index: usize, days: u32) -> String {
    if item.queue == "cram" {
        return "no change".to_owned();
    }
    // Within the learning steps: minutes (or hours).
    if let Some(seconds) = item.step_seconds[index] {
        return match seconds {
            0..=59 => format!("{seconds}s"),
            60..=3599 => format!("{}m", seconds.div_ceil(60)),
            _ => format!("{:.1}h", f64::from(seconds) / 3600.0),
        };
    }
    let interval = if days == 0 {
        "<1d".to_owned()
    } else {
        format!("{days}d")
    };
    if index <= 1 && item.card.kind != "reading" {
        format!("today, then {interval}")
    } else {
        interval
    }
}

/// A cloze's answers (`<mark>` on the back) between « and », so they stand
/// out in plain text.
fn mark_answers(html: &str) -> String {
    if !html.contains("<mark") {
        return html.to_owned();
    }
    let mut out = String::with_capacity(html.len() + 16);
    let mut rest = html;
    while let Some(at) = rest.find("<mark") {
        let Some(close) = rest[at..].find('>') else {
            break;
        };
        out.push_str(&rest[..at + close + 1]);
        out.push('«');
        rest = &rest[at + close + 1..];
        if let Some(end) = rest.find("</mark>") {
            out.push_str(&rest[..end]);
            out.push('»');
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// Asks a yes/no question on the terminal; true for `y`.
pub fn confirm(question: &str) -> Result<bool> {
    eprint!("{question} [y/N] ");
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(answer.trim().eq_ignore_ascii_case("y"))
}

/// Takes back the newest step; one that is not an answer given in this
/// review (`own`) is named and asked about first (`y` takes it back).
fn undo(
    service: &mut Service,
    screen: &Screen,
    keys: &mut Keys,
    own: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let step = match service.undo_preview(now) {
        Ok(Some(step)) => step,
        Ok(None) => return screen.print("\nNothing to undo.\n"),
        Err(err) => return screen.print(&format!("\n{}\n", err.message)),
    };
    if !own.contains(&step.id) {
        screen.print(&format!(
            "\nTake back {}? [y] yes, any other key keeps it\n",
            step.description
        ))?;
        if keys.next()? != Some('y') {
            return screen.print("Kept it.\n");
        }
    }
    match service.undo_expected(Some(&step.id), now) {
        Ok(undone) => screen.print(&match (&undone.review, &undone.unwritten) {
            (_, Some(made)) => format!("\nTook card {} out of {}.\n", made.card_id, made.note),
            (Some(review), None) => format!("\nUndid the answer to {}.\n", review.card_id),
            (None, None) => format!(
                "\nUndid {} of {}.\n",
                undone
                    .actions
                    .first()
                    .map_or("an action", |a| a.action.as_str()),
                undone.card.id
            ),
        }),
        Err(err) => screen.print(&format!("\n{}\n", err.message)),
    }
}
