//! `notedeck review`: today's cards in the terminal.
//!
//! Space or Enter shows the answer, 1–4 answer Again/Hard/Good/Easy, `u`
//! (or Ctrl+Z) undoes, `q` (or Esc) quits. On a terminal keys are read raw;
//! when standard input is a pipe each byte is a key, so reviews can be
//! scripted (`printf ' 3 4q' | notedeck review`).

use std::io::{IsTerminal, Read, Write};
use std::time::Instant;

use anyhow::Result;
use chrono::{DateTime, Utc};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, execute, terminal};
use notedeck_api::{QueueCardDto, Service};

const BUTTONS: [&str; 4] = ["Again", "Hard", "Good", "Easy"];
const GRADES: [&str; 4] = ["again", "hard", "good", "easy"];

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
    let width = screen.width();
    // Answers given in this review: undo takes them back without asking.
    let mut own: Vec<String> = Vec::new();
    loop {
        let queue = service.due(deck, now())?;
        let Some(item) = queue.first() else { break };
        let summary = service.day_summary(deck, now())?;
        show_front(&screen, item, queue.len(), summary.answers, width)?;
        let shown = Instant::now();
        // A reading card is read in full: nothing to reveal.
        let reading = item.card.kind == "reading";
        if !reading {
            // Front: reveal, undo or quit.
            match next_action(&mut keys, |c| matches!(c, ' ' | '\n' | '\r'))? {
                Action::Quit => break,
                Action::Undo => {
                    undo(service, &screen, &mut keys, &own, now())?;
                    continue;
                }
                Action::Key(_) => {}
            }
        }
        show_back(&screen, item, width)?;
        // Back: answer (a reading card: Hard, Good or Easy), undo or quit.
        let first = if reading { '2' } else { '1' };
        match next_action(&mut keys, |c| (first..='4').contains(&c))? {
            Action::Quit => break,
            Action::Undo => undo(service, &screen, &mut keys, &own, now())?,
            Action::Key(c) => {
                let index = usize::from(c as u8 - b'1');
                let elapsed = shown.elapsed().as_millis() as i64;
                let answered =
                    service.answer(&item.card.id, GRADES[index], now(), Some(elapsed))?;
                own.push(answered.review.id);
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

fn show_front(
    screen: &Screen,
    item: &QueueCardDto,
    left: usize,
    done: i64,
    width: usize,
) -> Result<()> {
    screen.clear()?;
    screen.print(&format!(
        "notedeck · {left} left · {done} done today · {}\n",
        item.queue
    ))?;
    screen.print(&"─".repeat(width))?;
    screen.print("\n")?;
    screen.print(&text_of(&item.card.front_html, width))?;
    if item.card.kind == "reading" {
        return Ok(());
    }
    screen.print(&format!(
        "\n{}\n[Space] show answer   [u] undo   [q] quit\n",
        "─".repeat(width)
    ))
}

fn show_back(screen: &Screen, item: &QueueCardDto, width: usize) -> Result<()> {
    screen.print("\n")?;
    screen.print(&text_of(&item.card.back_html, width))?;
    // A reading card: when to read it again (Hard sooner, Easy later).
    let skip = usize::from(item.card.kind == "reading");
    let buttons: Vec<String> = BUTTONS
        .iter()
        .zip(item.intervals)
        .enumerate()
        .skip(skip)
        .map(|(i, (label, days))| format!("[{}] {label} ({days}d)", i + 1))
        .collect();
    screen.print(&format!(
        "\n{}\n{}   [u] undo   [q] quit\n",
        "─".repeat(width),
        buttons.join("  ")
    ))
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
